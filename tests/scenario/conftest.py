"""Fixtures of the scenario-language tests; shared texts and helpers live in scenario_texts.py."""

from __future__ import annotations

import pytest

from sim.scenario.loader import load_text


@pytest.fixture
def load():
    def run(text: str, overrides=(), source: str = "s.yaml"):
        return load_text(text, source, list(overrides))

    return run
