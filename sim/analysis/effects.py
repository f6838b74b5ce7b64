"""Effects over a full grid of scenario variants: how much each parameter, and each pair, moves a measure.

A sweep runs every combination of the axes' values with the same seed, so point g's value v[g] and its
per-replication parts come from the same replications as every other point's (common random numbers).
Main effects are averages over the whole grid, not slices through one corner: the main effect of
value a of axis i is the mean of v over the points with that value, minus the grand mean. The two-way
interaction of (a, b) on axes (i, j) is m_ab - m_a - m_b + grand mean (a two-way ANOVA decomposition
of a full factorial). Every effect is a linear contrast sum_g w_g v[g]; its 95% interval comes from
the same contrast of the points' per-replication influences (delta method), which pairing keeps narrow.
"""

from __future__ import annotations

import itertools
import math
from dataclasses import dataclass

import numpy as np

from sim.analysis.stats import Z95
from sim.numbers import NAN


@dataclass(frozen=True)
class Effect:
    """A contrast of the grid's values: its estimate and 95% interval (NaN when there are no replicates)."""

    estimate: float
    ci95: tuple[float, float]


@dataclass(frozen=True)
class AxisEffect:
    axis: int
    levels: tuple[Effect, ...]  # each value's main effect (its mean minus the grand mean)
    spread: Effect  # the largest level minus the smallest: how much this axis alone moves it


@dataclass(frozen=True)
class Interaction:
    axes: tuple[int, int]
    largest: Effect  # the interaction term of largest size over the pairs of values
    at: tuple[int, int]  # at which pair of values


@dataclass(frozen=True)
class GridEffects:
    grand_mean: float
    main: tuple[AxisEffect, ...]  # in axis order
    interactions: tuple[Interaction, ...]

    def ranked(self) -> list[AxisEffect]:
        """Axes by how much they move the measure over the whole grid, most first."""
        return sorted(self.main, key=lambda a: -abs(a.spread.estimate) if math.isfinite(a.spread.estimate) else 1.0)


def influences(num: np.ndarray, den: np.ndarray) -> tuple[float, np.ndarray]:
    """A ratio sum(num) / sum(den) over replications, and each replication's influence on it (delta method)."""
    total = den.sum()
    if total <= 0:
        return NAN, np.full(num.shape, NAN)
    value = float(num.sum() / total)
    return value, (num - value * den) / den.mean()


def _contrast(weights: np.ndarray, values: np.ndarray, infl: np.ndarray | None) -> Effect:
    estimate = float((weights * values).sum())
    if infl is None or not np.isfinite(infl).all():
        return Effect(estimate, (NAN, NAN))
    z = np.tensordot(weights, infl, axes=weights.ndim)  # per replication
    if z.size < 2:
        return Effect(estimate, (NAN, NAN))
    half = Z95 * float(z.std(ddof=1)) / math.sqrt(z.size)
    return Effect(estimate, (estimate - half, estimate + half))


def grid_effects(values: np.ndarray, infl: np.ndarray | None = None) -> GridEffects:
    """Main effects and two-way interactions of a full grid.

    ``values`` has one axis per swept parameter; ``infl`` (optional) is the same with a last axis of
    replications: each point's per-replication influences on its value.
    """
    shape = values.shape
    size = values.size
    main = []
    for i, n in enumerate(shape):
        levels = []
        for a in range(n):
            w = np.full(shape, -1.0 / size)
            sl: list[slice | int] = [slice(None)] * len(shape)
            sl[i] = a
            w[tuple(sl)] += n / size
            levels.append((w, _contrast(w, values, infl)))
        hi = max(range(n), key=lambda a: levels[a][1].estimate)
        lo = min(range(n), key=lambda a: levels[a][1].estimate)
        spread = _contrast(levels[hi][0] - levels[lo][0], values, infl)
        main.append(AxisEffect(i, tuple(e for _, e in levels), spread))
    interactions = []
    for i, j in itertools.combinations(range(len(shape)), 2):
        best: tuple[Effect, tuple[int, int]] | None = None
        for a, b in itertools.product(range(shape[i]), range(shape[j])):
            w = np.full(shape, 1.0 / size)
            for axis, level in ((i, a), (j, b)):
                sl = [slice(None)] * len(shape)
                sl[axis] = level
                w[tuple(sl)] -= shape[axis] / size
            sl = [slice(None)] * len(shape)
            sl[i], sl[j] = a, b
            w[tuple(sl)] += shape[i] * shape[j] / size
            effect = _contrast(w, values, infl)
            if best is None or abs(effect.estimate) > abs(best[0].estimate):
                best = (effect, (a, b))
        assert best is not None
        interactions.append(Interaction((i, j), best[0], best[1]))
    return GridEffects(float(values.mean()), tuple(main), tuple(interactions))
