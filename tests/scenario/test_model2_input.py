"""Issue 12's scenario keys answer bad input with one line per problem, exit code 2, no traceback."""

from __future__ import annotations

import copy
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from tools.engine_checks_scenario import BASE

REPO = Path(__file__).resolve().parents[2]


def test_bad_rules_types_and_fallbacks_are_named_one_line_each(tmp_path):
    d = copy.deepcopy(BASE)
    d["units"][0]["interceptor_types"] = [
        {
            "name": "x",
            "speed": "9km/s",
            "kill_probability": 0.5,
            "envelope": {
                "min_range": "70km",
                "max_range": "60km",
                "range_vs_speed": [
                    {"target_speed": "2km/s", "max_range": "50km"},
                    {"target_speed": "1km/s", "max_range": "40km"},
                ],
            },
        }
    ]
    d["rules_of_engagement"] = {
        "zones": [{"level": "nope", "own_eez": "nobody"}],
        "standing_orders": [{"post": "top", "start": "2h", "end": "1h"}],
    }
    d["command"]["posts"][0]["fallback"] = "ghost"
    path = tmp_path / "bad.yaml"
    path.write_text(yaml.safe_dump(d, sort_keys=False), encoding="utf-8")
    r = subprocess.run(
        [sys.executable, "-m", "sim", "validate", str(path)],
        capture_output=True,
        text=True,
        timeout=60,
        env={"PYTHONPATH": str(REPO), "PATH": "/usr/bin:/bin"},
    )
    assert r.returncode == 2 and "Traceback" not in r.stderr
    lines = [x for x in r.stderr.splitlines() if x.startswith(str(path))]
    for where in (
        "command.posts.0.fallback",
        "interceptor_types.0.speed",
        "interceptor_types.0.envelope.min_range",
        "range_vs_speed.1.target_speed",
        "zones.0.level",
        "zones.0.own_eez",
        "standing_orders.0.end",
    ):
        assert sum(where in x for x in lines) == 1, (where, r.stderr)


@pytest.mark.slow
def test_an_unknown_own_territory_is_named_with_the_codes_the_map_holds(tmp_path):
    """Unchecked, a misspelt code defends nothing: every threat is 'not on own territory' and none is engaged."""
    d = copy.deepcopy(BASE)
    d.setdefault("rules_of_engagement", {})["own_territory"] = "RUSS"
    path = tmp_path / "bad.yaml"
    path.write_text(yaml.safe_dump(d, sort_keys=False), encoding="utf-8")
    done = subprocess.run(
        [sys.executable, "-m", "sim", "validate", str(path)], capture_output=True, text=True, cwd=REPO, check=False
    )
    assert done.returncode == 2, done.stderr
    lines = done.stderr.strip().splitlines()
    assert len(lines) == 1 and "Traceback" not in done.stderr
    assert lines[0].endswith("rules_of_engagement.own_territory: unknown territory 'RUSS' (did you mean 'RUS'?)")
