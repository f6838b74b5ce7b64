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
