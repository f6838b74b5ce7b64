"""Searching a flight for a moment: the first or last time a condition holds, per flight, vectorised.

The sensors and the engagement window ask "from when is this true?" of thousands of flights at once.
The flight is sampled on a coarse grid, chunk by chunk so memory stays bounded, and the step in which
the answer turned is bisected down to a tolerance.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np

CHUNK = 500_000  # time samples x flights evaluated at once when scanning flights
FEW_SAMPLES = 256  # below this many samples a call, numpy's fixed cost per call dominates
TREE_FLIGHTS = 4  # bisect this many flights or fewer in one call over every midpoint the search could visit


def _grid(start, end, step_s, max_elements=CHUNK):
    """Chunks (K, *shape) of a time grid from start to end every `step_s`; each flight's samples
    are clipped to its own interval, so its last one sits exactly on its end."""
    if not step_s > 0:
        raise ValueError(f"time step must be positive (got {step_s})")
    start, end = np.broadcast_arrays(np.asarray(start, float), np.asarray(end, float))
    span = np.where(end >= start, end - start, np.nan)
    n_steps = int(np.ceil(np.nanmax(span) / step_s)) if np.isfinite(span).any() else 0
    largest = max(1, max_elements // max(1, start.size))
    # small chunks first (a search that ends early stops early), but never so small that numpy's cost per call
    # dominates: a few flights (an intercept asked for one flight) are scanned ~256 samples at a time
    chunk, k0 = min(max(8, FEW_SAMPLES // max(1, start.size)), largest), 0
    while k0 <= n_steps:
        k = np.arange(k0, min(k0 + chunk, n_steps + 1), dtype=float).reshape((-1,) + (1,) * start.ndim)
        yield np.clip(start + k * step_s, start, end)
        k0, chunk = k0 + chunk, min(2 * chunk, largest)


def _pick(t, i):
    """t[i[...], ...] along the first axis, elementwise over the rest."""
    return np.take_along_axis(t, np.asarray(i)[None], axis=0)[0]


class EdgeScan:
    """The first and last moments a condition holds, found over a time grid fed chunk by chunk.

    Feed it the samples (K, *shape) in time order with the condition's answers; it keeps, per
    element, the first true sample and the one before it, and the last true sample and the one
    after it; `first_s` / `last_s` then bisect between each pair. A condition true for less than a
    step between two samples can be missed: choose the step to suit the shortest event that matters.
    """

    def __init__(self, shape):
        nan = np.full(shape, np.nan)
        self.first_yes, self.first_no, self.last_yes, self.last_no = nan, nan.copy(), nan.copy(), nan.copy()
        self._tail = None  # last sample of the previous chunk and its answer

    @property
    def found_first(self) -> np.ndarray:
        return ~np.isnan(self.first_yes)

    def add(self, t, ok) -> None:
        t, ok = np.asarray(t, dtype=float), np.asarray(ok, dtype=bool)
        if self._tail is not None:  # overlap by one sample so neighbours across chunks are known
            t, ok = np.concatenate([self._tail[0][None], t]), np.concatenate([self._tail[1][None], ok])
        hit = ok.any(axis=0)
        new = hit & ~self.found_first
        if new.any():
            i = ok.argmax(axis=0)
            before = np.where(i == 0, np.nan, _pick(t, np.maximum(i - 1, 0)))
            self.first_yes = np.where(new, _pick(t, i), self.first_yes)
            self.first_no = np.where(new, before, self.first_no)
        if hit.any():
            j = len(t) - 1 - ok[::-1].argmax(axis=0)
            after = np.where(j == len(t) - 1, np.nan, _pick(t, np.minimum(j + 1, len(t) - 1)))
            self.last_yes = np.where(hit, _pick(t, j), self.last_yes)
            self.last_no = np.where(hit, after, self.last_no)
        self._tail = (t[-1], ok[-1])

    def first_s(self, condition, step_s, tol_s) -> np.ndarray:
        return _bisect(condition, self.first_yes, self.first_no, step_s, tol_s)

    def last_s(self, condition, step_s, tol_s) -> np.ndarray:
        return _bisect(condition, self.last_yes, self.last_no, step_s, tol_s)


def _bisect(condition, yes_t, no_t, step_s, tol_s):
    """Narrow each [no, yes] pair (a false and a true sample) onto the change; a missing `no`
    means the true sample was the first (or last) of the interval and stands as it is."""
    yes_t, no_t = yes_t.copy(), no_t.copy()
    refine = ~np.isnan(no_t) & ~np.isnan(yes_t)
    if refine.any():
        anywhere = np.where(np.isnan(yes_t), np.nanmax(yes_t, initial=0.0), yes_t)  # any valid time
        steps = max(1, int(np.ceil(np.log2(step_s / tol_s))))
        if yes_t.size <= TREE_FLIGHTS and steps <= 10:
            return _bisect_tree(condition, yes_t, no_t, refine, anywhere, steps)
        for _ in range(steps):
            mid = np.where(refine, (yes_t + no_t) / 2, anywhere)
            ok = np.asarray(condition(mid[None]), dtype=bool)[0]
            yes_t = np.where(refine & ok, mid, yes_t)
            no_t = np.where(refine & ~ok, mid, no_t)
    return yes_t[()]


def _bisect_tree(condition, yes_t, no_t, refine, anywhere, steps):
    """The bisection of `_bisect` for a few flights, with the condition asked once.

    Every midpoint the search could visit (2^steps - 1 of them, made by the same (yes + no) / 2 from the
    same ends, in Python floats: the same IEEE doubles) is evaluated in one call, then the search walks
    down its answers: the same times as the step-by-step search, without numpy's cost per call paid once a
    step. Node j's children are 2j + 1 (the condition held at j: yes = mid) and 2j + 2 (no = mid).
    """
    shape = np.shape(yes_t)
    ys, ns, ref = np.ravel(yes_t).tolist(), np.ravel(no_t).tolist(), np.ravel(refine).tolist()
    spare = np.ravel(anywhere).tolist()
    trees = []
    for y0, n0, r, a in zip(ys, ns, ref, spare):
        if not r:
            trees.append([a] * (2**steps - 1))
            continue
        level, tree = [(y0, n0)], []
        for _ in range(steps):
            mids = [(y + n) / 2 for y, n in level]
            tree += mids
            level = [pair for (y, n), mid in zip(level, mids) for pair in ((mid, n), (y, mid))]
        trees.append(tree)
    ok = np.asarray(condition(np.array(trees).T.reshape(-1, *shape)), dtype=bool).reshape(len(trees[0]), -1)
    for c, (tree, r) in enumerate(zip(trees, ref)):
        if not r:
            continue
        node = 0
        for _ in range(steps):
            if ok[node, c]:
                ys[c] = tree[node]
                node = 2 * node + 1
            else:
                ns[c] = tree[node]
                node = 2 * node + 2
    return np.array(ys).reshape(shape)[()]


def scan_time_s(
    condition: Callable, start_s, end_s, step_s=1.0, tol_s=0.01, latest=False, max_elements=CHUNK
) -> np.ndarray:
    """Earliest (or latest) time in [start, end] where `condition(t)` holds, elementwise; NaN if none.

    `condition` takes times shaped (K, *shape) and returns booleans of that shape. The interval is
    sampled every `step_s`; the step in which the answer turned is bisected down to `tol_s`.
    """
    start, end = np.broadcast_arrays(np.asarray(start_s, float), np.asarray(end_s, float))
    valid = end >= start
    scan = EdgeScan(start.shape)
    for t in _grid(start, end, step_s, max_elements):
        scan.add(t, np.asarray(condition(t), dtype=bool) & valid)
        if not latest and scan.found_first[valid].all():
            break
    return scan.last_s(condition, step_s, tol_s) if latest else scan.first_s(condition, step_s, tol_s)
