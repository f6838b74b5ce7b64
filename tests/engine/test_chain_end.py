"""Every threat that came down on own territory has exactly one recorded reason, where its chain ended."""

from __future__ import annotations

import numpy as np
import pytest

from sim.engine.outcome import ChainEnd
from sim.executors import Serial
from sim.runner import run
from sim.scenario.loader import load_scenario


@pytest.mark.parametrize("scenario", ["stray_missile", "saturation", "failed_launch_debris", "may14_2017"])
def test_every_threatened_row_ends_with_one_reason(scenario):
    r = run(load_scenario(f"scenarios/{scenario}.yaml"), runs=200, seed=5, executor=Serial())
    rows = r.outcomes.threats.reshape(-1)
    end = rows["end"]
    assert set(np.unique(end)) <= {int(e) for e in ChainEnd}
    threatened = rows["threatened"]
    assert (end[threatened] != ChainEnd.OPEN).all()
    assert ((end == ChainEnd.INTERCEPTED) == rows["intercepted"]).all()
    assert ((end == ChainEnd.MISSED) == (rows["engaged"] & ~rows["intercepted"])).all()
    # the reason agrees with the times recorded: never visible means no visibility time, and so on
    assert np.isnan(rows["visible"][end == ChainEnd.NEVER_VISIBLE]).all()
    assert np.isnan(rows["detect"][end == ChainEnd.NOT_DETECTED]).all()
    assert (~rows["decided"][np.isin(end, [ChainEnd.REPORT_LATE, ChainEnd.DECISION_LATE])]).all()
    late = np.isin(
        end,
        [
            ChainEnd.ORDER_LATE,
            ChainEnd.WINDOW_CLOSED,
            ChainEnd.NO_FIRE_CHANNEL,
            ChainEnd.NO_INTERCEPTORS,
            ChainEnd.ON_THE_MARCH,
        ],
    )
    assert rows["decided"][late].all() and rows["too_late"][late].all()
    # no battery in reach is its own outcome: nothing was asked of a post, and it is not "too late"
    out_of_reach = end == ChainEnd.NO_BATTERY_IN_REACH
    assert (~rows["decided"][out_of_reach]).all() and (~rows["too_late"][out_of_reach]).all()
    assert np.isnan(rows["window_close"][out_of_reach]).all()


def test_saturation_runs_out_of_fire_channels():
    r = run(load_scenario("scenarios/saturation.yaml"), runs=200, seed=5, executor=Serial())
    assert (r.outcomes.threats["end"] == ChainEnd.NO_FIRE_CHANNEL).any()
