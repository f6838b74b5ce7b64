"""Small scenarios for engine tests, built from one base by changing a few keys."""

from __future__ import annotations

import copy

import pytest
import yaml

from sim.scenario.loader import load_text

BASE = {
    "name": "engine test",
    "seed": 7,
    "runs": 50,
    "horizon": "2d",
    "alert_levels": [
        {"name": "constant", "authority": "top", "detection_latency": "30s", "reaction_time": "60s"},
        {"name": "heightened", "authority": "middle", "detection_latency": "10s", "reaction_time": "20s",
         "crew_on_station": 1.0, "interceptors_loaded": 1.0, "systems_checked": True},
    ],
    "command": {"posts": [
        {"name": "top", "decision_time": "300s"},
        {"name": "middle", "parent": "top", "link_delay": "40s", "decision_time": "60s"},
        {"name": "bottom", "parent": "middle", "link_delay": "15s", "decision_time": "10s"},
    ]},
    "units": [{
        "name": "battery", "post": "bottom", "site": "vladivostok",
        "interceptors": {"loaded": 16, "kill_probability": 0.7},
        "crew": {"on_station": 10},
    }],
    "threats": [{
        "name": "m1", "launch": {"site": "sinpo", "at": "100s"}, "toward": "vladivostok", "range": "460km",
    }],
    "tracking": {"track_time": "20s", "classify_time": "20s", "pip_error": "80km", "pip_halving": "10s",
                 "pip_required": "10km"},
}


def deep_set(data: dict, path: str, value) -> None:
    keys = [int(k) if k.isdigit() else k for k in path.split(".")]
    node = data
    for k in keys[:-1]:
        node = node[k]
    node[keys[-1]] = value


@pytest.fixture
def make():
    """``make({"path.to.key": value, ...})`` -> a LoadedScenario from BASE with those changes."""

    def build(changes: dict | None = None):
        data = copy.deepcopy(BASE)
        for path, value in (changes or {}).items():
            deep_set(data, path, value)
        return load_text(yaml.safe_dump(data, sort_keys=False), "<test>")

    return build
