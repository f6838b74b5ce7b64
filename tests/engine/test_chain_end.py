"""Every threat that came down on own territory has exactly one recorded reason, where its chain ended."""

from __future__ import annotations

import numpy as np
import pytest

from sim.engine.outcome import ChainEnd
from sim.executors import Serial
from sim.runner import run
from sim.scenario.loader import load_scenario


@pytest.mark.slow
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
    # too late is about timing only: every battery heard from was ready after its window closed
    late = np.isin(end, [ChainEnd.ORDER_LATE, ChainEnd.WINDOW_CLOSED])
    assert rows["decided"][late].all() and rows["too_late"][late].all()
    not_timing = np.isin(end, [ChainEnd.NO_FIRE_CHANNEL, ChainEnd.NO_INTERCEPTORS, ChainEnd.MISSED])
    assert rows["decided"][not_timing].all() and not rows["too_late"][not_timing].any()
    assert not rows["too_late"][~rows["decided"]].any()
    # no battery in reach is its own outcome: nothing was asked of a post, and it is not "too late"
    out_of_reach = end == ChainEnd.NO_BATTERY_IN_REACH
    assert (~rows["decided"][out_of_reach]).all() and (~rows["too_late"][out_of_reach]).all()
    assert np.isnan(rows["window_close"][out_of_reach]).all()


@pytest.mark.slow
@pytest.mark.parametrize("scenario", ["stray_missile", "saturation", "alert_recall", "rail_redeployment"])
def test_too_late_exactly_when_the_margin_is_negative(scenario):
    """margin = latest decision that still fires (window close - order down - reaction) - decision."""
    r = run(load_scenario(f"scenarios/{scenario}.yaml"), runs=300, seed=11, executor=Serial())
    rows = r.outcomes.threats.reshape(-1)
    decided = rows["decided"]
    margin = rows["latest_decision"] - rows["decision"]
    assert np.isfinite(margin[decided]).all() and np.isnan(margin[~decided]).all()
    assert ((margin < 0) == rows["too_late"]).all()
    # the margin agrees with what happened: a battery fired only with time to spare, and a negative margin ends in
    # lateness (or a break-up or a march that would have stopped it anyway), never in a shot
    assert (margin[rows["engaged"]] >= 0).all()
    late_ends = [ChainEnd.ORDER_LATE, ChainEnd.WINDOW_CLOSED, ChainEnd.ON_THE_MARCH, ChainEnd.BROKE_UP]
    assert np.isin(rows["end"][rows["too_late"]], late_ends).all()
    assert not np.isin(rows["end"][decided & (margin >= 0)], [ChainEnd.ORDER_LATE]).any()


@pytest.mark.slow
def test_saturation_runs_out_of_fire_channels():
    r = run(load_scenario("scenarios/saturation.yaml"), runs=200, seed=5, executor=Serial())
    assert (r.outcomes.threats["end"] == ChainEnd.NO_FIRE_CHANNEL).any()
