"""Proportions with Wilson intervals and distributions of times: the two kinds of number a report shows.

- Intervals are Wilson 95% score intervals: they stay inside [0, 1] and keep near-nominal coverage
  for the rare events a trainer asks about (3 leaks in 1000), where the normal interval collapses.
- Quantiles interpolate linearly between order statistics (numpy's default): p50 of 1, 2, 3, 4 is 2.5.
- NaN means "no row to say anything about".
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from sim.numbers import NAN

Z95 = 1.959964


def wilson(count, n, z: float = Z95):
    """Wilson score interval of `count` successes in `n` trials: (lo, hi); NaN when n is 0.

    Works elementwise on arrays too (the coverage test checks thousands at once).
    """
    count = np.asarray(count, dtype=float)
    n = np.asarray(n, dtype=float)
    with np.errstate(divide="ignore", invalid="ignore"):
        p = count / n
        z2n = z * z / n
        centre = (p + z2n / 2) / (1 + z2n)
        half = z / (1 + z2n) * np.sqrt(p * (1 - p) / n + z2n / (4 * n))
        lo = np.where(count <= 0, 0.0, np.clip(centre - half, 0.0, 1.0))
        hi = np.where(count >= n, 1.0, np.clip(centre + half, 0.0, 1.0))
    lo = np.where(n > 0, lo, np.nan)
    hi = np.where(n > 0, hi, np.nan)
    if lo.ndim == 0:
        return float(lo), float(hi)
    return lo, hi


@dataclass(frozen=True)
class Proportion:
    """`count` of `n` rows, and what the n rows are (``"threatened threat rows"``).

    ``n_eff`` is the effective number of rows when they come in clusters (the threats of one
    replication share its alert, its posts and its batteries): the interval is then Wilson's at
    ``n_eff``, as wide as the clustering makes it. None when the rows are independent (one per run).
    """

    count: int
    n: int
    among: str
    n_eff: float | None = None

    @property
    def p(self) -> float:
        return self.count / self.n if self.n else NAN

    @property
    def ci95(self) -> tuple[float, float]:
        if self.n_eff is None:
            lo, hi = wilson(self.count, self.n)
        else:
            lo, hi = wilson(self.p * self.n_eff, self.n_eff)
        return float(lo), float(hi)


def clustered(counted: np.ndarray, among: np.ndarray, label: str) -> Proportion:
    """A proportion over the rows of (runs, threats) arrays, its interval respecting that rows of one run go together.

    With one row per run the rows are independent and the plain Wilson interval holds. With several,
    the variance of the ratio estimator sum(c_r) / sum(m_r) over runs r (Cochran 1977, 6.9) gives an
    effective n = p (1 - p) / var, never more than n; the interval is Wilson's at that n.
    """
    c = counted.sum(axis=1).astype(float)
    m = among.sum(axis=1).astype(float)
    count, n = int(c.sum()), int(m.sum())
    runs = c.size
    if counted.ndim < 2 or counted.shape[1] <= 1 or n == 0 or runs < 2 or count in (0, n):
        return Proportion(count, n, label)
    p = count / n
    var = runs / (runs - 1) * float(((c - p * m) ** 2).sum()) / n**2
    n_eff = min(float(n), p * (1 - p) / var) if var > 0 else float(n)
    return Proportion(count, n, label, n_eff)


@dataclass(frozen=True)
class Stats:
    """Distribution of one quantity over the rows it is defined for (`among`)."""

    n: int
    mean: float
    sd: float  # sample standard deviation (ddof 1); what an unpaired comparison needs later
    p50: float
    p90: float
    min: float
    max: float
    among: str

    @classmethod
    def of(cls, values: np.ndarray, among: str) -> Stats:
        v = np.asarray(values, dtype=float)
        v = v[np.isfinite(v)]
        if v.size == 0:
            return cls(0, NAN, NAN, NAN, NAN, NAN, NAN, among)
        p50, p90 = np.quantile(v, [0.5, 0.9])
        sd = float(v.std(ddof=1)) if v.size > 1 else NAN
        return cls(int(v.size), float(v.mean()), sd, float(p50), float(p90), float(v.min()), float(v.max()), among)
