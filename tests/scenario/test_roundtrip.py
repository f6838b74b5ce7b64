"""Scripts that load and save a scenario with another YAML library must not change what it means.

Trainers make variants with PyYAML's ``safe_load``/``safe_dump`` (YAML 1.1: ``on``, ``yes``, ``no`` are
booleans, ``1:30`` is 90) or ruamel.yaml (round-trip mode, YAML 1.2). Each shipped scenario, read and
written back by each, must load into the same Scenario as the original.
"""

from __future__ import annotations

import io
from pathlib import Path

import pytest
import yaml

from sim.scenario.loader import load_scenario, load_text

REPO = Path(__file__).resolve().parents[2]
SHIPPED = sorted((REPO / "scenarios").glob("*.yaml"))


@pytest.mark.parametrize("path", SHIPPED, ids=[p.name for p in SHIPPED])
def test_pyyaml_safe_round_trip_keeps_the_meaning(path):
    original = load_scenario(path).scenario
    text = yaml.safe_dump(yaml.safe_load(path.read_text(encoding="utf-8")), sort_keys=False, allow_unicode=True)
    assert load_text(text, f"{path.name} (PyYAML)").scenario == original


@pytest.mark.parametrize("path", SHIPPED, ids=[p.name for p in SHIPPED])
def test_ruamel_round_trip_keeps_the_meaning(path):
    ruamel = pytest.importorskip("ruamel.yaml", reason="ruamel.yaml is in the test extra; not installed here")
    rt = ruamel.YAML()  # round-trip mode, YAML 1.2
    out = io.StringIO()
    rt.dump(rt.load(path.read_text(encoding="utf-8")), out)
    assert load_text(out.getvalue(), f"{path.name} (ruamel)").scenario == load_scenario(path).scenario


def test_the_old_on_key_breaks_a_pyyaml_round_trip_which_is_why_it_was_renamed():
    """The reason for the rename, measured: YAML 1.1 turns the key 'on' into True, dumped as 'true'."""
    assert yaml.safe_dump(yaml.safe_load("on: launch\n")) == "true: launch\n"
    assert yaml.safe_dump(yaml.safe_load("trigger: launch\n")) == "trigger: launch\n"
