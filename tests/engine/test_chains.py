"""The engine against hand-computed and closed-form results (model.md, 'Formulas')."""

from __future__ import annotations

import math

import numpy as np
import pytest

from sim.executors import Serial
from sim.runner import run
from sim.world.ballistics import Trajectory, burnout_state_for
from sim.world.geo import initial_bearing_deg
from sim.world.sensors import first_visible_time_s
from sim.world.sites import parse_place
from tools.engine_checks_scenario import NO_DELAYS, SURE_RADAR

FAST = NO_DELAYS  # a chain with no delays at all, so that only the physics and the fire units decide


def column(result, field):
    return result.outcomes.threats[field][:, 0]


def test_fixed_delays_give_exact_times(make):
    # a radar so strong that every look in its coverage detects (Pd = Pfa^(1/(1+SNR)) -> 1): only the horizon,
    # the scan and the fixed delays decide
    r = run(
        make(
            {
                "rules_of_engagement": {"engage": "any"},
                "command.posts.0.decision_time": "60s",
                "units.0.radar": {"range": "1000000km"},
            }
        ),
        runs=3,
        executor=Serial(),
    )
    sinpo, vlad = parse_place("sinpo"), parse_place("vladivostok")
    speed, angle, alt = burnout_state_for(460.0, None, None, 60.0)  # the Scud class burns 60 s (sim/world/missiles.py)
    traj = Trajectory.from_burnout(
        *sinpo, initial_bearing_deg(*sinpo, *vlad), speed, angle, alt, 60.0, launch_time_s=100.0
    )
    horizon = float(first_visible_time_s(traj, *vlad, 30.0, math.inf))
    visible = 20.0 * math.ceil(horizon / 20.0)  # constant level, routine watch: a look every 2 x 10 s
    detect = visible + 30.0  # constant level: 30 s latency
    classify = detect + 40.0  # track 20 s, classify 20 s
    pip = classify  # on the 10 s track-update grid, after burnout (160 s), 2+ looks
    report = pip + 15.0 + 40.0  # bottom -> middle -> top
    decision = report + 60.0  # top decides in a minute
    order = decision + 40.0 + 15.0  # and back down
    assert horizon < 160.0, "the horizon is cleared during the boost"
    expected = {
        "launch": 100.0,
        "visible": visible,
        "detect": detect,
        "track": detect + 20.0,
        "classify": classify,
        "pip": pip,
        "report": report,
        "decision": decision,
        "order": order,
    }
    for field, value in expected.items():
        np.testing.assert_allclose(column(r, field), value, rtol=0, atol=1e-6, err_msg=field)
    assert (column(r, "authority") == r.outcomes.post_names.index("top")).all()


@pytest.mark.slow
def test_a_decision_that_leaves_no_time_in_the_window_never_intercepts(make):
    r = run(
        make(
            {
                "units.0.interceptors.kill_probability": 1.0,
                "rules_of_engagement": {"engage": "any"},
                "alert_levels.0.authority": "middle",
                "command.posts.1.decision_time": "uniform(0s, 200s)",
            }
        ),
        runs=400,
        executor=Serial(),
    )
    decided = column(r, "decided") == 1
    ready_to_fire = column(r, "decision") + 15.0 + 60.0  # order down to the battery, then its reaction
    late = decided & (ready_to_fire > column(r, "window_close"))
    early = decided & (ready_to_fire < column(r, "window_open"))
    assert late.sum() > 20 and early.sum() > 20  # both cases occur, so the test can tell them apart
    assert column(r, "intercepted")[late].sum() == 0
    assert (column(r, "engaged")[late] == 0).all() and (column(r, "too_late")[late] == 1).all()
    assert (column(r, "intercepted")[early] == 1).all()  # p = 1: those in time are all killed
    # the margin by hand: the window's close less the 75 s the order and the reaction take, less the decision
    margin = column(r, "latest_decision") - column(r, "decision")
    np.testing.assert_allclose(margin[decided], (column(r, "window_close") - ready_to_fire)[decided], atol=1e-6)
    assert ((margin < 0) == column(r, "too_late").astype(bool)).all()


def test_a_decision_the_missile_outruns_is_not_a_decision(make):
    r = run(
        make({"rules_of_engagement": {"engage": "any"}}), runs=20, executor=Serial()
    )  # Moscow needs 5 min; it flies 5
    assert (column(r, "decided") == 0).all()
    assert np.isnan(column(r, "decision")).all()
    # not "too late": that is said of a decision that came too late to fire; this one never came
    assert (column(r, "too_late") == 0).all() and (column(r, "leaked") == 1).all()
    assert np.isnan(column(r, "latest_decision")).all()
    assert (column(r, "authority") == r.outcomes.post_names.index("top")).all()  # the post it waited for


@pytest.mark.slow  # thousands of replications for a tight tolerance
def test_a_chain_of_exponential_delays_has_the_sum_of_their_means(make):
    n = 2000
    # a lofted flight (apogee 1000 km) lasts long enough that no decision is cut short by the impact
    r = run(
        make(
            {
                **SURE_RADAR,
                "command.posts.1.link_delay": "exponential(mean=10s)",
                "command.posts.2.link_delay": "exponential(mean=5s)",
                "command.posts.0.decision_time": "exponential(mean=30s)",
                "rules_of_engagement": {"engage": "any"},
                "threats.0.apogee": "1000km",
            }
        ),
        runs=n,
        executor=Serial(),
    )
    assert (column(r, "decided") == 1).all()
    took = column(r, "decision") - column(r, "pip")
    mean, sd = 10.0 + 5.0 + 30.0, math.sqrt(10.0**2 + 5.0**2 + 30.0**2)
    assert abs(took.mean() - mean) < 4 * sd / math.sqrt(n)


@pytest.mark.slow
@pytest.mark.parametrize("salvo", [1, 2, 3])
def test_salvo_kill_probability_is_one_minus_miss_to_the_n(make, salvo):
    n, p = 2000, 0.7
    changes = dict(FAST)
    changes["rules_of_engagement"] = {"engage": "any", "doctrine": "salvo", "salvo": salvo}
    changes["units.0.interceptors.kill_probability"] = p
    r = run(make(changes), runs=n, executor=Serial())
    engaged = column(r, "engaged") == 1
    assert engaged.all()
    expected = 1 - (1 - p) ** salvo
    observed = column(r, "intercepted")[engaged].mean()
    assert abs(observed - expected) < 4 * math.sqrt(expected * (1 - expected) / n) + 1e-9
    assert (column(r, "interceptors_used") == salvo).all()


@pytest.mark.slow
def test_shoot_look_shoot_uses_one_plus_miss_interceptors_on_average(make):
    n, p = 2000, 0.7
    changes = dict(FAST)
    changes["rules_of_engagement"] = {
        "engage": "any",
        "doctrine": "shoot_look_shoot",
        "salvo": 1,
        "max_looks": 2,
        "kill_assessment": "0s",
    }
    changes["units.0.interceptors.kill_probability"] = p
    changes["units.0.interceptors.speed"] = "4km/s"
    changes["units.0.envelope"] = {"max_range": "250km", "max_altitude": "200km", "min_altitude": "1km"}
    r = run(make(changes), runs=n, executor=Serial())
    used = column(r, "interceptors_used")
    killed = column(r, "intercepted")
    assert abs(killed.mean() - 0.91) < 4 * math.sqrt(0.91 * 0.09 / n)
    assert abs(used.mean() - 1.3) < 4 * math.sqrt(0.21 / n)  # used - 1 is Bernoulli(0.3)


@pytest.mark.slow
def test_authority_moves_with_the_alert_level(make):
    changes = {
        "alert_orders": [{"level": "heightened", "issued_by": "top", "at": "0s"}],
        "units.0.interceptors.loaded": 32,
        "rules_of_engagement": {"engage": "any"},
        "command.posts.0.decision_time": "10s",
    }
    early = run(make({**changes, "threats.0.launch.at": "100s"}), runs=5, executor=Serial())
    late = run(make({**changes, "threats.0.launch.at": "2000s"}), runs=5, executor=Serial())
    reached = early.outcomes.readiness[:, 0, 1]
    # the order needs 55 s down the links; the check takes the default hour
    np.testing.assert_allclose(reached, 55.0 + 3600.0)
    assert (column(early, "authority") == early.outcomes.post_names.index("top")).all()
    late = run(make({**changes, "threats.0.launch.at": "2h"}), runs=5, executor=Serial())
    assert (column(late, "authority") == late.outcomes.post_names.index("middle")).all()
    # and at the higher level the detection latency is the shorter one
    np.testing.assert_allclose(column(late, "detect") - column(late, "visible"), 10.0)
