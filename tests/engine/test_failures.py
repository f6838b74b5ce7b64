"""Failure modes through the engine: a break-up is debris, not a target; the powered phase sets its height."""

from __future__ import annotations

import numpy as np

from sim.engine.draws import BlockDraws
from sim.engine.flights import BlockFlights
from sim.engine.plan import compile_plan
from sim.executors import Serial
from sim.runner import run

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
    # a 70 s burn to 60 km, broken up at 60 s: the debris starts at the boost's height then (the world's
    # powered phase is checked against its closed form in tests/world), and falls at the scenario's speed
    for fall_speed_ms in (200.0, 100.0):
        loaded = make(
            {
                **BREAK_UP,
                "threats.0.burn_time": "70s",
                "threats.0.burnout_altitude": "60km",
                "threats.0.failure.debris_fall_speed": f"{fall_speed_ms:g}m/s",
            }
        )
        r = run(loaded, runs=5, executor=Serial())
        plan = compile_plan(loaded.scenario)
        flights = BlockFlights(plan, BlockDraws(plan.sites, loaded.scenario.seed, 0, 100))
        launch = column(r, "launch")
        height_km = flights.trajectories[0].position(flights.launch[:, 0] + 60.0)[2][:5]
        assert (height_km > 20.0).all() and (height_km < 60.0).all()
        took = column(r, "impact") - launch
        np.testing.assert_allclose(took, 60.0 + height_km * 1000.0 / fall_speed_ms, rtol=1e-6)


def test_without_a_powered_phase_height_the_break_up_is_on_the_pad(make):
    # burnout altitude 0 with a burn time is the limit of a missile waiting on its pad (sim.world.powered);
    # without one the threat takes the nominal height of its boost
    r = run(
        make({**BREAK_UP, "threats.0.burn_time": "70s", "threats.0.burnout_altitude": "0km"}), runs=5, executor=Serial()
    )
    np.testing.assert_allclose(column(r, "impact") - column(r, "launch"), 60.0, atol=1e-6)
