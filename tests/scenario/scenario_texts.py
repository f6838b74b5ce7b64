"""Scenario texts and helpers shared by the scenario-language tests (a uniquely named module:
``from conftest import ...`` would pick up whichever of the repository's conftest.py was imported last)."""

from __future__ import annotations

import pytest

from sim.scenario.loader import ScenarioError, load_text

# Fifteen lines; tests append to it so that what they add starts on line 16.
MINIMAL = """\
name: t
alert_levels:
  - name: constant
    authority: hq
command:
  posts:
    - name: hq
units:
  - name: u1
    post: hq
    site: vladivostok
    interceptors:
      loaded: 4
    crew:
      on_station: 10
"""
assert MINIMAL.count("\n") == 15


def problems_of(text: str, overrides=(), source: str = "s.yaml") -> list[str]:
    """The problem lines a scenario text gives (the test fails if it loads)."""
    with pytest.raises(ScenarioError) as info:
        load_text(text, source, list(overrides))
    return [str(p) for p in info.value.problems]
