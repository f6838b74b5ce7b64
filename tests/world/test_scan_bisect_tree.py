"""The one-call bisection of a few flights visits the same times as the step-by-step one."""

from __future__ import annotations

import numpy as np
import pytest

from sim.world import scan


@pytest.mark.parametrize("shape", [(), (1,), (3,), (4,)])
def test_tree_bisection_equals_step_by_step(shape, monkeypatch):
    rng = np.random.default_rng(7)
    for _ in range(50):
        root = rng.uniform(0, 10, shape)
        no = np.asarray(np.where(rng.uniform(size=shape) < 0.2, np.nan, np.floor(root)), dtype=float)
        yes = np.asarray(np.where(rng.uniform(size=shape) < 0.1, np.nan, np.floor(root) + 1.0), dtype=float)
        calls = []

        def condition(t, root=root, calls=calls):
            calls.append(t.shape[0])
            return t >= root

        fast = scan._bisect(condition, yes, no, 1.0, 0.01)
        monkeypatch.setattr(scan, "TREE_FLIGHTS", 0)
        slow = scan._bisect(condition, yes, no, 1.0, 0.01)
        monkeypatch.undo()
        np.testing.assert_array_equal(fast, slow)  # bit for bit, NaN where no bisection was possible
        refine = ~np.isnan(no) & ~np.isnan(yes)
        if refine.any():
            assert calls[0] == 2**7 - 1  # one call with every midpoint (log2(1 / 0.01) -> 7 steps)
            ok = refine & (np.asarray(slow) >= root) & (np.asarray(slow) - root <= 0.01)
            assert ok[refine].all()  # and the answer is within the tolerance above the true change


def test_a_short_scan_asks_the_condition_in_few_calls():
    calls = []

    def condition(t):
        calls.append(t.shape[0])
        return t >= 200.5

    found = scan.scan_time_s(condition, 0.0, 300.0)
    assert abs(found - 200.5) <= 0.01
    assert len(calls) <= 3  # one chunk of the grid finds it (256 samples), then one call of bisection


@pytest.mark.parametrize("flights", [2, 3, 4, 6])
def test_a_search_over_several_real_flights_gives_each_flight_its_own_answer(flights):
    """The tree hands the condition its midpoints as a transposed (Fortran-ordered) array. A real flight's position
    then has to come out as it does for one flight at a time: the Kepler solve once left such arrays at their first
    guess, and a battery's intercept of 2-4 flights at once came out up to a second off."""
    from sim.world.ballistics import Trajectory
    from sim.world.intercept import Envelope, intercept_time_s

    rng = np.random.default_rng(flights)
    traj = Trajectory.from_range(
        39.0, 125.5, rng.uniform(60.0, 80.0, flights), rng.uniform(700.0, 1000.0, flights), burn_time_s=60.0
    )
    battery_lat, battery_lon = 42.0, 131.5
    envelope = Envelope(min_range_km=3.0, max_range_km=250.0, min_alt_km=2.0, max_alt_km=60.0)
    launches = traj.launch_time_s + rng.uniform(150.0, 300.0, flights)
    together = intercept_time_s(traj, battery_lat, battery_lon, 2.0, launches, envelope=envelope)
    alone = [
        float(intercept_time_s(traj[i], battery_lat, battery_lon, 2.0, launches[i], envelope=envelope))
        for i in range(flights)
    ]
    assert np.isfinite(together).sum() >= 1  # the test only means something where a flight is met
    np.testing.assert_array_equal(together, alone)
