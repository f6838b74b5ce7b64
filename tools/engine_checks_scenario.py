"""The scenario every engine check varies: one battery at Vladivostok, one missile from Sinpo, three posts.

The checks of docs/validation.md's "Engine" section (``tools.engine_checks``) and many engine tests start
from :data:`BASE` and change a few paths (:func:`variant`); :data:`SURE_RADAR` and :data:`NO_DELAYS` are
the changes that take chance and delays out of the chain.
"""

from __future__ import annotations

import copy

import yaml

from sim.scenario.loader import LoadedScenario, load_text

# (check, formula, expected, simulated, tolerance, unit): one row of the engine section
EngineRow = tuple[str, str, float, float, float, str]

# One battery at Vladivostok, one missile from Sinpo, three posts: the base of every check.
BASE = {
    "name": "engine check",
    "seed": 7,
    "runs": 50,
    "horizon": "2d",
    "alert_levels": [
        {"name": "constant", "authority": "top", "detection_latency": "30s", "reaction_time": "60s"},
        {
            "name": "heightened",
            "authority": "middle",
            "detection_latency": "10s",
            "reaction_time": "20s",
            "crew_on_station": 1.0,
            "interceptors_loaded": 1.0,
            "systems_checked": True,
        },
    ],
    "command": {
        "posts": [
            {"name": "top", "decision_time": "300s"},
            {"name": "middle", "parent": "top", "link_delay": "40s", "decision_time": "60s"},
            {"name": "bottom", "parent": "middle", "link_delay": "15s", "decision_time": "10s"},
        ]
    },
    "units": [
        {
            "name": "battery",
            "post": "bottom",
            "site": "vladivostok",
            "interceptors": {"loaded": 16, "kill_probability": 0.7},
            "crew": {"on_station": 10},
        }
    ],
    "threats": [
        {
            "name": "m1",
            "launch": {"site": "sinpo", "at": "100s"},
            "toward": "vladivostok",
            "range": "460km",
        }
    ],
    "tracking": {"track_time": "20s", "classify_time": "20s", "engage_probability": 0.5},
}

# A radar so strong that every look in its coverage detects: the checks below test the chain, not the chance
# of detection (which has its own rows).
SURE_RADAR = {"units.0.radar": {"range": "1000000km"}}

# No delays at all: only the physics and the fire units decide.
NO_DELAYS = {
    **SURE_RADAR,
    "alert_levels.0.authority": "bottom",
    "alert_levels.0.detection_latency": "0s",
    "alert_levels.0.reaction_time": "0s",
    "command.posts.2.decision_time": "0s",
    "tracking.track_time": "0s",
    "tracking.classify_time": "0s",
    "rules_of_engagement": {"engage": "any", "doctrine": "salvo", "salvo": 1},
}


def variant(changes: dict | None = None) -> LoadedScenario:
    """The base scenario with ``{"dotted.path": value}`` changes, loaded like a file."""
    data = copy.deepcopy(BASE)
    for path, value in (changes or {}).items():
        keys = [int(k) if k.isdigit() else k for k in path.split(".")]
        node = data
        for k in keys[:-1]:
            node = node[k]
        node[keys[-1]] = copy.deepcopy(value)  # a value taken from BASE must never let a change reach BASE
    return load_text(yaml.safe_dump(data, sort_keys=False), "<engine check>")
