"""Shared pieces for the history tests: the headline scenario and a variant with slower recall."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml
from history_setup import RUNS, SCENARIO, SEED, SLOW_TRAVEL

from sim.executors import Serial
from sim.scenario.loader import load_scenario, parse_yaml


@pytest.fixture(scope="session")
def scenario_path() -> Path:
    return SCENARIO


@pytest.fixture(scope="session")
def slow_recall_path(tmp_path_factory) -> Path:
    """The headline scenario with one change, written as a file a trainer would write."""
    data, _ = parse_yaml(SCENARIO.read_text(encoding="utf-8"), str(SCENARIO))  # YAML 1.2: 'on' stays a key
    data["units"][0]["crew"]["travel"] = SLOW_TRAVEL
    path = tmp_path_factory.mktemp("scenarios") / "slow_recall.yaml"
    path.write_text(yaml.safe_dump(data, sort_keys=False), encoding="utf-8")
    return path


@pytest.fixture(scope="session")
def pair(slow_recall_path):
    """Both scenarios run with the same seed and runs (one worker: the numbers do not depend on it)."""
    from sim.runner import run

    a = run(load_scenario(SCENARIO), runs=RUNS, seed=SEED, executor=Serial())
    b = run(load_scenario(slow_recall_path), runs=RUNS, seed=SEED, executor=Serial())
    return a, b
