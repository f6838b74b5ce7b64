"""Failure modes through the engine: a break-up is debris, not a target; the powered phase sets its height."""

from __future__ import annotations

import numpy as np

from sim.runner import run
from sim.executors import Serial

BREAK_UP = {
    "threats.0.failure": {"early_explosion": 1.0, "explosion_time": "60s", "wind_speed": "0m/s"},
    "rules_of_engagement": {"engage": "any"},
}


def column(result, field):
    return result.outcomes.threats[field][:, 0]


def test_debris_is_never_engaged_even_when_any_threat_may_be(make):
    r = run(make(BREAK_UP), runs=50, executor=Serial())
    assert (column(r, "failure") == 1).all()
    for flag in ("decided", "engaged", "too_late", "needless"):
        assert column(r, flag).sum() == 0, flag


def test_debris_falls_from_the_height_of_the_powered_phase(make):
    # a 70 s burn to 95 km, broken up at 60 s: (60/70)^2 x 95 km = 69.8 km up (P-13: about 70 km)
    height_km = 95.0 * (60.0 / 70.0) ** 2
    for fall_speed_ms in (200.0, 100.0):
        r = run(make({**BREAK_UP, "threats.0.burn_time": "70s", "threats.0.burnout_altitude": "95km",
                      "threats.0.failure.debris_fall_speed": f"{fall_speed_ms:g}m/s"}), runs=5, executor=Serial())
        took = column(r, "impact") - column(r, "launch")
        np.testing.assert_allclose(took, 60.0 + height_km * 1000.0 / fall_speed_ms, rtol=1e-6)


def test_without_a_powered_phase_height_the_break_up_is_on_the_pad(make):
    r = run(make({**BREAK_UP, "threats.0.burn_time": "70s"}), runs=5, executor=Serial())
    np.testing.assert_allclose(column(r, "impact") - column(r, "launch"), 60.0, atol=1e-6)
