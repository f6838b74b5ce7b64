"""Sensors and the learning impact prediction through the engine (issue 11).

- the stray is first seen only after it clears the radar horizon, during its boost;
- ``monitoring`` changes a result (routine watch searches half as often);
- a better sensor or tracker never lowers interception, all else equal (common random numbers):
  a larger reference range raises every look's chance, so with the same draws each look that detected
  still detects and the first detection can only come earlier, row by row (provable, tested exactly);
  for interception, which passes through a non-monotone map, the paired difference's upper 95 % bound
  must not lie below zero.
"""

from __future__ import annotations

import math
from pathlib import Path

import numpy as np
import pytest

from sim.engine.draws import BlockDraws
from sim.engine.flights import BlockFlights
from sim.engine.plan import compile_plan
from sim.engine.sensing import MASS, ROUTINE
from sim.executors import Serial
from sim.runner import run
from sim.scenario.loader import load_scenario
from sim.world.sensors import first_visible_time_s

ROOT = Path(__file__).resolve().parents[2]
STRAY = ROOT / "scenarios" / "stray_missile.yaml"


def _flights(overrides=()):
    loaded = load_scenario(STRAY, list(overrides))
    plan = compile_plan(loaded.scenario)
    return plan, BlockFlights(plan, BlockDraws(plan.sites, loaded.scenario.seed, 0, 100))


def test_the_stray_is_seen_only_after_it_clears_the_horizon_during_its_boost():
    plan, fl = _flights()
    k = 1  # the stray
    traj = fl.trajectories[k]
    site = plan.unit_sites[0]
    horizon = first_visible_time_s(traj, site.lat, site.lon, 30.0, math.inf)
    seen = fl.first_seen[:, k, 0, MASS]
    ok = ~np.isnan(seen)
    assert ok.mean() > 0.5
    assert (seen[ok] >= horizon[ok] - 0.05).all(), "no detection below the horizon"
    nominal = fl.failure[:, k] == 0
    # it clears the horizon while the engine still burns (Scud class: 60 s), so the first look is in the boost
    assert (horizon[nominal] < traj.burnout_time_s[nominal]).all()
    assert (horizon[nominal] > traj.launch_time_s[nominal] + 10.0).all(), "not seen on the pad"


def test_routine_watch_searches_less_often_than_mass_monitoring():
    _, fl = _flights()
    routine, mass = fl.first_seen[:, 1, 0, ROUTINE], fl.first_seen[:, 1, 0, MASS]
    both = ~np.isnan(routine) & ~np.isnan(mass)
    # not row by row (look n of each scan takes draw n, at different times), but on average: half the looks
    diff = routine[both] - mass[both]
    assert both.sum() > 50
    assert diff.mean() - 2 * diff.std(ddof=1) / math.sqrt(both.sum()) > 0.0


def _paired(overrides, runs=300):
    a = run(load_scenario(STRAY), runs=runs, executor=Serial())
    b = run(load_scenario(STRAY, list(overrides)), runs=runs, executor=Serial())
    return a.outcomes.threats, b.outcomes.threats


@pytest.mark.slow
def test_monitoring_changes_the_result():
    a, b = _paired(["alert_levels.0.monitoring=mass"], runs=200)
    assert not np.array_equal(np.nan_to_num(a["visible"], nan=-1), np.nan_to_num(b["visible"], nan=-1))


def test_a_longer_reference_range_never_detects_later_row_by_row():
    _, worse = _flights()
    _, better = _flights(["units.0.radar.range=900km"])
    a, b = worse.first_seen, better.first_seen
    seen_a = ~np.isnan(a)
    assert seen_a.any()
    assert (~np.isnan(b[seen_a])).all(), "what the weaker radar saw, the stronger one sees"
    assert (b[seen_a] <= a[seen_a]).all()
    assert (b[~np.isnan(b)] < np.nan_to_num(a[~np.isnan(b)], nan=np.inf)).any(), "and sometimes earlier"


@pytest.mark.parametrize(
    "better",
    [["units.0.radar.range=900km"], ["units.0.radar.measurement_error=0.1km"], ["units.0.radar.scan_period=5s"]],
    ids=["range", "accuracy", "scan"],
)
@pytest.mark.slow
def test_a_better_sensor_or_tracker_never_lowers_interception(better):
    a, b = _paired(better)
    k = 1
    diff = b["intercepted"][:, k].astype(float) - a["intercepted"][:, k].astype(float)
    n = len(diff)
    upper = diff.mean() + 1.96 * diff.std(ddof=1) / math.sqrt(n) if diff.std() > 0 else diff.mean()
    assert upper >= 0.0, f"interception fell: paired difference {diff.mean():.3f}, upper bound {upper:.3f}"
