"""Small scenarios for engine tests: the engine-check base of sim.engine.validation with a few changes."""

from __future__ import annotations

import pytest

from tools.engine_checks_scenario import variant


@pytest.fixture
def make():
    """``make({"path.to.key": value, ...})`` -> a LoadedScenario from the base with those changes."""
    return variant
