"""The readiness chain: a unit reaches a level at the moment all its requirements hold, not before."""

from __future__ import annotations

import numpy as np

from sim.executors import Serial
from sim.runner import run

ORDER_ARRIVES = 3600.0 + 40.0 + 15.0  # issued at 1 h by 'top', two links down


def raise_alert(make, **unit):
    changes = {
        "alert_orders": [{"level": "heightened", "issued_by": "top", "at": "1h"}],
        "units.0.crew": {"on_station": 10, "on_leave": 2, "notify": "10min", "travel": "1h"},
        "units.0.depot": {"interceptors": 16, "trucks": 2, "per_trip": 4, "trip": "1h", "load": "30min"},
        "units.0.checks": {"duration": "2h", "fault_probability": 0.0},
        "threats": [],
    }
    changes.update({f"units.0.{k}": v for k, v in unit.items()})
    return run(make(changes), runs=4, executor=Serial())


def test_level_reached_when_the_last_requirement_holds(make):
    r = raise_alert(make)
    # crew back after 70 min, checks after 2 h, 16 interceptors in 4 trips of 1.5 h on 2 trucks: 3 h
    np.testing.assert_allclose(r.outcomes.readiness[:, 0, 1], ORDER_ARRIVES + 3 * 3600.0)
    np.testing.assert_allclose(r.outcomes.readiness[:, 0, 0], 0.0)


def test_a_fault_and_its_repair_delay_the_level(make):
    r = raise_alert(make, checks={"duration": "2h", "fault_probability": 1.0, "repair": "5h"})
    np.testing.assert_allclose(r.outcomes.readiness[:, 0, 1], ORDER_ARRIVES + 7 * 3600.0)


def test_level_never_reached_while_one_requirement_fails(make):
    r = raise_alert(make, depot={"interceptors": 12, "trucks": 2, "per_trip": 4, "trip": "1h", "load": "30min"})
    assert np.isnan(r.outcomes.readiness[:, 0, 1]).all()


def test_one_truck_serialises_the_trips(make):
    r = raise_alert(make, depot={"interceptors": 16, "trucks": 1, "per_trip": 4, "trip": "1h", "load": "30min"})
    np.testing.assert_allclose(r.outcomes.readiness[:, 0, 1], ORDER_ARRIVES + 4 * 1.5 * 3600.0)


def test_trips_wait_for_the_first_truck_free(make):
    # 16 interceptors 3 a trip: 6 trips of 1.5 h. On 3 trucks, or 5, two rounds: 3 h. On 6 trucks one round,
    # and then the 2 h of checks are the last requirement.
    for trucks, hours in ((3, 3.0), (5, 3.0), (6, 2.0)):
        depot = {"interceptors": 16, "trucks": trucks, "per_trip": 3, "trip": "1h", "load": "30min"}
        r = raise_alert(make, depot=depot)
        np.testing.assert_allclose(r.outcomes.readiness[:, 0, 1], ORDER_ARRIVES + hours * 3600.0, err_msg=str(trucks))


def test_an_outage_holds_the_order_until_the_link_is_back(make):
    r = run(
        make(
            {
                "alert_orders": [{"level": "heightened", "issued_by": "top", "at": "1h"}],
                "command.outages": [{"post": "middle", "start": "30min", "end": "3h"}],
                "units.0.interceptors.loaded": 32,
                "units.0.checks": {"duration": "1h"},
                "threats": [],
            }
        ),
        runs=2,
        executor=Serial(),
    )
    np.testing.assert_allclose(r.outcomes.readiness[:, 0, 1], 3 * 3600.0 + 40.0 + 15.0 + 3600.0)


def test_systems_checked_before_the_start_need_no_new_check(make):
    r = raise_alert(
        make, checks={"duration": "2h", "passed_at_start": True}, crew={"on_station": 10}, interceptors={"loaded": 32}
    )
    np.testing.assert_allclose(r.outcomes.readiness[:, 0, 1], ORDER_ARRIVES)  # nothing left to do


def _rail_pair(make):
    """Two batteries ordered to a level that needs them deployed, one train: load 1 h, travel 2 h, unload 1 h,
    the empty train back in 2 h, ready 5 min after unloading."""
    import copy

    from tools.engine_checks_scenario import BASE

    rail = {
        "at_field_position": False,
        "transport": "rail",
        "rail_load": "1h",
        "march": "2h",
        "rail_unload": "1h",
        "rail_return": "2h",
        "ready_after_march": "5min",
    }
    unit = copy.deepcopy(BASE["units"][0])
    unit.update({"launchers": 4, "crew": {"on_station": 10}, "checks": {"passed_at_start": True}, "deployment": rail})
    return make(
        {
            "units": [unit, {**copy.deepcopy(unit), "name": "second"}],
            "threats": [],
            "transport": {"trains": 1},
            "alert_levels.1.deployed": True,
            "alert_orders": [{"level": "heightened", "issued_by": "top", "at": "1h"}],
        }
    )


def test_the_train_cycle_loads_travels_unloads_and_returns(make):
    r = run(_rail_pair(make), runs=3, executor=Serial())
    first = ORDER_ARRIVES + 4 * 3600.0 + 300.0  # load + travel + unload, then ready
    second = ORDER_ARRIVES + 6 * 3600.0 + 4 * 3600.0 + 300.0  # waits for the train to come back empty
    np.testing.assert_allclose(r.outcomes.readiness[:, 0, 1], first)
    np.testing.assert_allclose(r.outcomes.readiness[:, 1, 1], second)


def test_a_unit_waiting_for_a_train_stays_on_duty(make):
    from sim.engine.draws import BlockDraws
    from sim.engine.flights import BlockFlights
    from sim.engine.plan import compile_plan
    from sim.engine.replication import Replication
    from sim.engine.trace import Trace

    plan = compile_plan(_rail_pair(make).scenario)
    draws = BlockDraws(plan.sites, 1, 0, 1)
    rep = Replication(plan, draws, BlockFlights(plan, draws), 0, Trace(False))
    rep.env.run(until=ORDER_ARRIVES + 3 * 3600.0)  # the first train is away; the second battery waits
    assert not rep.units[0].can_fire and rep.units[1].can_fire
    rep.env.run(until=ORDER_ARRIVES + 6 * 3600.0 + 60.0)  # the train is back and loading the second
    assert not rep.units[1].can_fire
