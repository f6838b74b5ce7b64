"""The readiness chain: a unit reaches a level at the moment all its requirements hold, not before."""

from __future__ import annotations

import numpy as np

from sim.runner import run
from sim.executors import Serial

ORDER_ARRIVES = 3600.0 + 40.0 + 15.0   # issued at 1 h by 'top', two links down


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


def test_an_outage_holds_the_order_until_the_link_is_back(make):
    r = run(make({
        "alert_orders": [{"level": "heightened", "issued_by": "top", "at": "1h"}],
        "command.outages": [{"post": "middle", "start": "30min", "end": "3h"}],
        "units.0.interceptors.loaded": 32, "units.0.checks": {"duration": "1h"}, "threats": [],
    }), runs=2, executor=Serial())
    np.testing.assert_allclose(r.outcomes.readiness[:, 0, 1], 3 * 3600.0 + 40.0 + 15.0 + 3600.0)


def test_systems_checked_before_the_start_need_no_new_check(make):
    r = raise_alert(make, checks={"duration": "2h", "passed_at_start": True},
                    crew={"on_station": 10}, interceptors={"loaded": 32})
    np.testing.assert_allclose(r.outcomes.readiness[:, 0, 1], ORDER_ARRIVES)   # nothing left to do
