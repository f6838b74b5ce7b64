"""Rules of engagement by zone, standing orders, authority on order, busy posts and fallback authority."""

from __future__ import annotations

import numpy as np
import pytest

from sim.engine.authority import NOT_PURSUED, Rules
from sim.engine.outcome import ChainEnd
from sim.executors import Serial
from sim.runner import run
from sim.scenario.model import FORBIDDEN
from sim.world.geo import great_circle_km
from sim.world.sites import parse_place
from sim.world.zones import Zone, zone_of
from tools.engine_checks_scenario import NO_DELAYS

GULF = (43.0, 131.95)  # Peter the Great Gulf, within 12 nm of the shore: own territorial sea
SINPO = parse_place("sinpo")
TO_GULF = {
    "threats.0.toward": f"{GULF[0]},{GULF[1]}",
    "threats.0.range": f"{float(great_circle_km(*SINPO, *GULF)):.3f}km",
    "units.0.radar.measurement_error": "1m",
}  # a prediction as good as the truth
ROE = {"doctrine": "salvo", "salvo": 1}


def _rows(make, changes, runs=10):
    return run(make({**NO_DELAYS, **TO_GULF, **changes}), runs=runs, seed=11, executor=Serial()).outcomes.threats[:, 0]


def test_the_aim_point_is_in_the_territorial_sea():
    assert zone_of(*GULF) == Zone.OWN_TERRITORIAL_SEA


def test_a_stray_predicted_in_the_territorial_sea_follows_the_rule_for_that_zone(make):
    legacy = _rows(make, {"rules_of_engagement": {**ROE, "engage": "own_territory"}})
    forbidden = _rows(
        make,
        {
            "rules_of_engagement": {
                **ROE,
                "engage": "own_territory",
                "zones": [{"level": "constant", "own_territorial_sea": "forbidden", "own_land": "bottom"}],
            }
        },
    )
    allowed = _rows(
        make,
        {
            "rules_of_engagement": {
                **ROE,
                "engage": "own_territory",
                "zones": [{"level": "constant", "own_territorial_sea": "middle"}],
            }
        },
    )
    assert (legacy["predicted_zone"] == Zone.OWN_TERRITORIAL_SEA).all()
    # without a table, "own territory" is own land: the sea is not pursued (the older meaning, kept)
    assert (legacy["end"] == ChainEnd.PREDICTED_NOT_OWN).all()
    assert (forbidden["end"] == ChainEnd.FORBIDDEN).all() and not forbidden["decided"].any()
    assert allowed["decided"].all() and (allowed["authority"] == 1).all()  # posts: top, middle, bottom


def test_a_standing_order_delegates_for_its_time_only(make):
    standing = {"post": "bottom", "start": "0s", "end": "1h", "zones": ["own_territorial_sea"]}
    base = {"rules_of_engagement": {**ROE, "engage": "own_territory", "standing_orders": [standing]}}
    inside = _rows(make, base)
    later = _rows(make, {**base, "threats.0.launch.at": "2h"})
    assert inside["decided"].all() and (inside["authority"] == 2).all()
    assert (later["end"] == ChainEnd.PREDICTED_NOT_OWN).all()


def test_rules_table_lookup():
    """The table's cells by hand: explicit cells, the older default, standing orders by time and zone."""
    r = Rules(
        table=({int(Zone.OWN_EEZ): FORBIDDEN}, {}),
        level_authority=("top", "mid"),
        from_order=(False, True),
        engage_any=False,
        standing=((100.0, 200.0, frozenset({int(Zone.OWN_EEZ)}), "low"),),
    )
    assert r.authority(0, Zone.OWN_LAND, True, 0.0) == "top"
    assert r.authority(0, Zone.OWN_TERRITORIAL_SEA, False, 0.0) == NOT_PURSUED
    assert r.authority(0, Zone.OWN_EEZ, False, 0.0) == FORBIDDEN
    assert r.authority(0, Zone.OWN_EEZ, False, 150.0) == "low"
    assert r.authority(0, Zone.OWN_EEZ, False, 200.0) == FORBIDDEN
    assert r.authority(1, Zone.HIGH_SEAS, True, 0.0) == "mid"


@pytest.mark.parametrize("reached, ordered, expected", [(0, 0, 0), (0, 1, 1), (1, 1, 1), (0, 2, 1), (2, 2, 2)])
def test_authority_applies_on_order_only_for_levels_that_say_so(reached, ordered, expected):
    r = Rules(
        table=({}, {}, {}),
        level_authority=("a", "b", "c"),
        from_order=(False, True, False),
        engage_any=True,
        standing=(),
    )
    assert r.effective_level(reached, ordered) == expected


def test_authority_on_order_moves_the_decision_down(make):
    """Ordered to heightened at 0 but never reaching it (no crew to recall): authority stays with the lowest
    level's post, unless heightened's authority applies on order."""
    order = {
        "alert_orders": [{"level": "heightened", "issued_by": "top", "at": "0s"}],
        "units.0.crew": {"on_station": 1, "on_leave": 9, "notify": "1d", "travel": "1d"},
        "alert_levels.0.authority": "top",
        "rules_of_engagement": {**ROE, "engage": "any"},
        "command.posts.0.decision_time": "0s",
        "command.posts.1.decision_time": "0s",
        "command.posts.1.link_delay": "0s",
        "command.posts.2.link_delay": "0s",
    }
    reached = _rows(make, order)
    on_order = _rows(make, {**order, "alert_levels.1.authority_from": "order"})
    assert (reached["authority"] == 0).all() and (on_order["authority"] == 1).all()  # top, then middle


@pytest.mark.slow
def test_decisions_queue_for_the_duty_officer(make):
    """Two identical threats at once, one officer deciding in 60 s each: the second waits exactly 60 s."""
    from tools.engine_checks_scenario import BASE

    twin = {**BASE["threats"][0], "name": "m2"}
    rows = run(
        make(
            {
                "threats": [BASE["threats"][0], twin],
                **NO_DELAYS,
                **TO_GULF,
                "command.posts.2.decision_time": "60s",
                "command.posts.2.staff": 1,
                "rules_of_engagement": {**ROE, "engage": "any"},
            }
        ),
        runs=5,
        seed=11,
        executor=Serial(),
    ).outcomes.threats
    first, second = np.sort(rows["decision"], axis=1).T
    assert np.allclose(second - first, 60.0)
    free = run(
        make(
            {
                "threats": [BASE["threats"][0], twin],
                **NO_DELAYS,
                **TO_GULF,
                "command.posts.2.decision_time": "60s",
                "rules_of_engagement": {**ROE, "engage": "any"},
            }
        ),
        runs=5,
        seed=11,
        executor=Serial(),
    ).outcomes.threats
    assert np.allclose(free["decision"][:, 0], free["decision"][:, 1], atol=0.1)  # each decided on arrival


def test_the_fallback_post_decides_while_the_link_is_down(make):
    """The link middle -> top is down all day: the report waits (and comes too late) unless top's fallback,
    middle, decides."""
    down = {
        "command.outages": [{"post": "middle", "start": "0s", "end": "1d"}],
        "alert_levels.0.authority": "top",
        "rules_of_engagement": {**ROE, "engage": "any"},
    }
    stuck = _rows(make, down)
    fallback = _rows(make, {**down, "command.posts.0.fallback": "middle"})
    assert (stuck["end"] == ChainEnd.REPORT_LATE).all()
    assert fallback["decided"].all() and (fallback["authority"] == 1).all()


@pytest.mark.slow
def test_no_intercept_over_a_zone_the_rules_keep_clear(make):
    """Every zone kept clear: no shot, the chain ends "rules forbid" (not too late). None kept clear: fired."""
    every = ["own_land", "own_territorial_sea", "own_eez", "foreign_land", "foreign_sea", "high_seas"]
    base = {**NO_DELAYS, "units.0.interceptors.kill_probability": 1.0}
    held = run(
        make({**base, "rules_of_engagement": {**ROE, "engage": "any", "no_intercept_over": every}}),
        runs=10,
        seed=11,
        executor=Serial(),
    ).outcomes.threats[:, 0]
    free = run(
        make({**base, "rules_of_engagement": {**ROE, "engage": "any"}}), runs=10, seed=11, executor=Serial()
    ).outcomes.threats[:, 0]
    assert (held["end"] == ChainEnd.FORBIDDEN).all() and held["decided"].all() and not held["too_late"].any()
    assert (free["end"] == ChainEnd.INTERCEPTED).all()
