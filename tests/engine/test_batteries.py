"""Every battery in reach: a second battery engages when the first cannot; several interceptor types;
launches spaced by the battery's least interval (against the closed form of shots_in_window)."""

from __future__ import annotations

import copy
from types import SimpleNamespace

import numpy as np
import pytest
import simpy

from sim.engine.fire_units import Engagement, engage
from sim.engine.outcome import ChainEnd, ThreatRecord
from sim.engine.trace import Trace
from sim.executors import Serial
from sim.runner import run
from sim.scenario.model import RulesOfEngagement
from sim.world.intercept import shots_in_window
from tools.engine_checks_scenario import BASE, NO_DELAYS

# Battery "slow" stands at the lowest level (its crews react in 10 min: the ~30 s window is long shut by
# then); battery "ready" at the same place stands at heightened, reacting at once, every shot a kill.
READY = {
    **BASE["units"][0],
    "name": "ready",
    "initial_level": "heightened",
    "launchers": 4,
    "interceptors": {"loaded": 16, "kill_probability": 1.0},
    "checks": {"passed_at_start": True},
}
TWO = {
    **NO_DELAYS,
    "alert_levels.0.reaction_time": "10min",
    "alert_levels.1.reaction_time": "0s",
    "alert_levels.1.detection_latency": "0s",
    "units.0.name": "slow",
    "units.0.interceptors.kill_probability": 1.0,
}


@pytest.fixture
def two_batteries(make):
    def build(batteries):
        return make(
            {
                "units": [copy.deepcopy(BASE["units"][0]), READY],
                **TWO,
                "rules_of_engagement": {**NO_DELAYS["rules_of_engagement"], "batteries": batteries},
            }
        )

    return build


@pytest.mark.slow
def test_the_second_battery_engages_when_the_first_cannot(two_batteries):
    one = run(two_batteries("one"), runs=40, seed=3, executor=Serial()).outcomes.threats[:, 0]
    both = run(two_batteries("first_ready"), runs=40, seed=3, executor=Serial()).outcomes.threats[:, 0]
    # the battery whose window closes last is the first (a tie goes to the first listed): alone, too late
    assert (one["unit"] == 0).all() and (one["end"] == ChainEnd.WINDOW_CLOSED).all() and not one["engaged"].any()
    # every battery in reach takes the order: the ready one fires and (p = 1) kills
    assert (both["end"] == ChainEnd.INTERCEPTED).all() and (both["unit"] == 1).all()
    assert (both["decision"] == one["decision"]).all()  # same story up to the order


def test_no_battery_in_reach_is_its_own_outcome(make):
    far = make({**NO_DELAYS, "units.0.site": "44.4,131.9"})  # some 140 km north of the impact
    rows = run(far, runs=20, seed=3, executor=Serial()).outcomes.threats[:, 0]
    assert (rows["end"] == ChainEnd.NO_BATTERY_IN_REACH).all()
    assert not rows["too_late"].any() and not rows["decided"].any() and np.isnan(rows["report"]).all()


@pytest.mark.slow
def test_a_second_interceptor_type_with_a_longer_reach_opens_a_window(make):
    """The main type cannot reach a battery 150 km off the impact; a long-range type can."""
    long_range = {
        "name": "long",
        "speed": "3km/s",
        "kill_probability": 1.0,
        "envelope": {"max_range": "250km", "max_altitude": "60km", "min_altitude": "1km"},
    }
    base = {**NO_DELAYS, "units.0.site": "44.4,131.9"}
    alone = run(make(base), runs=10, seed=3, executor=Serial()).outcomes.threats[:, 0]
    both = run(make({**base, "units.0.interceptor_types": [long_range]}), runs=10, seed=3, executor=Serial())
    rows = both.outcomes.threats[:, 0]
    assert (alone["end"] == ChainEnd.NO_BATTERY_IN_REACH).all()
    assert (rows["end"] == ChainEnd.INTERCEPTED).all() and (rows["window_close"] > rows["window_open"]).all()


def test_an_envelope_that_shrinks_with_speed_closes_the_window(make):
    """The same battery against the same flight: a table that cuts the reach to 1 km at 1 km/s and above
    leaves no window (the target comes down at some 2 km/s)."""
    table = [{"target_speed": "0.5km/s", "max_range": "60km"}, {"target_speed": "1km/s", "max_range": "1km"}]
    rows = run(
        make({**NO_DELAYS, "units.0.envelope": {"range_vs_speed": table}}), runs=10, seed=3, executor=Serial()
    ).outcomes.threats[:, 0]
    assert (rows["end"] == ChainEnd.NO_BATTERY_IN_REACH).all()


@pytest.mark.parametrize("close, interval, salvo", [(100.0, 30.0, 4), (50.0, 30.0, 4), (10.0, 4.0, 2), (0.0, 5.0, 3)])
def test_launches_are_spaced_by_the_least_interval(close, interval, salvo):
    """Shots leave one every interval while the window is open: floor(close / interval) + 1, at most the salvo."""
    env = simpy.Environment()
    stock = simpy.Container(env, capacity=64, init=64)
    battery = SimpleNamespace(
        unit=SimpleNamespace(name="b"),
        interceptors=stock,
        expend=stock.get,
        next_launch=0.0,
        first_of_salvo=float("nan"),
        trace=Trace(False),
    )
    rec = ThreatRecord()
    e = Engagement(
        threat="t",
        window_open=0.0,
        window_close=close,
        intercept_time=lambda t: t + 20.0,
        kill_probability=0.0,
        shots=[0.5] * salvo,
        assessments=[0.0],
        launch_interval=interval,
    )
    env.process(engage(env, battery, simpy.Resource(env, 1), e, RulesOfEngagement(salvo=salvo), rec, Trace(False)))
    env.run()
    expected = int(shots_in_window(0.0, close, interval, salvo))
    assert rec.interceptors_used == expected
    assert battery.next_launch == pytest.approx((expected - 1) * interval + interval)
    assert rec.end == ChainEnd.MISSED


@pytest.mark.parametrize("start, end, held", [("0s", "1d", True), ("20h", "1d", False)])
def test_own_aircraft_near_the_intercept_point_impose_a_weapons_hold(make, start, end, held):
    """Il-76s over the battery while the threat comes: no shot. The same sector later in the day: fire."""
    flights = [{"name": "drop", "site": "vladivostok", "radius": "80km", "ceiling": "40km", "start": start, "end": end}]
    rows = run(
        make({**NO_DELAYS, "units.0.interceptors.kill_probability": 1.0, "friendly_flights": flights}),
        runs=10,
        seed=3,
        executor=Serial(),
    ).outcomes.threats[:, 0]
    if held:
        assert (rows["end"] == ChainEnd.WEAPONS_HOLD).all() and not rows["engaged"].any()
        assert not rows["too_late"].any()
    else:
        assert (rows["end"] == ChainEnd.INTERCEPTED).all()
