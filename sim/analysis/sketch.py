"""A distribution merged block by block: exact values while they are few, a fine histogram beyond.

A streamed run (no outcome columns kept, :mod:`sim.analysis.partial`) still reports n, mean, sd,
min, max, p50 and p90 of every time. n, min and max are exact; mean and sd are merged with Chan's
parallel update (equal to the one-shot figures up to the last bits of float summation order).
Quantiles are exact (numpy's, on the same values) while a sample holds at most ``EXACT_CAP`` values;
beyond that the values go into a log-spaced histogram (the DDSketch idea, Masson et al. 2019): bucket
i holds |v| in (g^(i-1), g^i] with g = (1 + a) / (1 - a), and is read back as 2 g^i / (g + 1), within
a relative ``REL_ERROR`` = a of every value in it. An order statistic read from the histogram is thus
within a of the true one, and numpy's interpolation between two neighbours within
a * max(|x_k|, |x_k+1|) (values under ``TINY`` count as 0, an absolute error of at most ``TINY``).
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

import numpy as np

from sim.analysis.stats import Stats
from sim.numbers import NAN

EXACT_CAP = 50_000  # values kept exactly per distribution (a 10k run of two threats stays exact)
REL_ERROR = 0.005  # the histogram's relative error bound on a quantile
TINY = 1e-6  # |v| below this is read as 0
HUGE = 1e10  # |v| above this is clamped into the top bucket (no time in a scenario is that long)
_GAMMA = (1 + REL_ERROR) / (1 - REL_ERROR)
_LOG_G = math.log(_GAMMA)
_LO = math.floor(math.log(TINY) / _LOG_G)
_HI = math.ceil(math.log(HUGE) / _LOG_G)
_BINS = _HI - _LO + 1


def _bucket(a: np.ndarray) -> np.ndarray:
    """The bucket index (from 0) of each |v| >= TINY."""
    return np.clip(np.ceil(np.log(a) / _LOG_G).astype(np.int64), _LO, _HI) - _LO


def _centre(index: np.ndarray) -> np.ndarray:
    return 2 * np.exp((index + _LO) * _LOG_G) / (_GAMMA + 1)


@dataclass
class Sample:
    """The finite values of one quantity, merged from blocks: moments, extremes and quantiles."""

    n: int = 0
    mean: float = 0.0
    m2: float = 0.0  # sum of squared deviations from the mean
    lo: float = math.inf
    hi: float = -math.inf
    parts: list[np.ndarray] = field(default_factory=list)  # the exact values, while n <= EXACT_CAP
    neg: np.ndarray | None = None  # histogram of -v for negative v, once past the cap
    pos: np.ndarray | None = None
    zeros: int = 0

    @classmethod
    def of(cls, values: np.ndarray) -> Sample:
        v = np.asarray(values, dtype=float)
        v = v[np.isfinite(v)]
        if v.size == 0:
            return cls()
        mean = float(v.mean())
        return cls(int(v.size), mean, float(((v - mean) ** 2).sum()), float(v.min()), float(v.max()), [v])

    @property
    def exact(self) -> bool:
        return self.pos is None

    def merge(self, other: Sample) -> Sample:
        """This sample with ``other``'s values added (in place; returned for chaining)."""
        if other.n == 0:
            return self
        n = self.n + other.n
        delta = other.mean - self.mean
        self.m2 += other.m2 + delta * delta * self.n * other.n / n
        self.mean += delta * other.n / n
        self.n, self.lo, self.hi = n, min(self.lo, other.lo), max(self.hi, other.hi)
        if self.exact and other.exact and n <= EXACT_CAP:
            self.parts.extend(other.parts)
            return self
        self._to_histogram()
        if other.exact:
            for p in other.parts:
                self._count(p)
        else:
            assert self.neg is not None and self.pos is not None and other.neg is not None and other.pos is not None
            self.neg += other.neg
            self.pos += other.pos
            self.zeros += other.zeros
        return self

    def _to_histogram(self) -> None:
        if self.exact:
            self.neg, self.pos = np.zeros(_BINS, np.int64), np.zeros(_BINS, np.int64)
            for p in self.parts:
                self._count(p)
            self.parts = []

    def _count(self, v: np.ndarray) -> None:
        assert self.neg is not None and self.pos is not None
        a = np.abs(v)
        small = a < TINY
        self.zeros += int(small.sum())
        self.neg += np.bincount(_bucket(a[(v < 0) & ~small]), minlength=_BINS)
        self.pos += np.bincount(_bucket(a[(v > 0) & ~small]), minlength=_BINS)

    def quantiles(self, qs: list[float]) -> list[float]:
        """numpy's linear-interpolation quantiles: exact, or within the histogram's bound (module doc)."""
        if self.n == 0:
            return [NAN for _ in qs]
        if self.exact:
            return [float(x) for x in np.quantile(np.concatenate(self.parts), qs)]
        assert self.neg is not None and self.pos is not None
        # every bucket's value in ascending order, with its count
        values = np.concatenate([-_centre(np.arange(_BINS))[::-1], [0.0], _centre(np.arange(_BINS))])
        counts = np.concatenate([self.neg[::-1], [self.zeros], self.pos])
        ends = np.cumsum(counts)

        def order_stat(k: int) -> float:
            x = float(values[np.searchsorted(ends, k, side="right")])
            return min(max(x, self.lo), self.hi)  # the true value lies in [lo, hi]: clamping only helps

        out = []
        for q in qs:
            pos = q * (self.n - 1)
            k = math.floor(pos)
            a, b = order_stat(k), order_stat(min(k + 1, self.n - 1))
            out.append(a + (pos - k) * (b - a))
        return out

    def stats(self, among: str) -> Stats:
        """The :class:`Stats` of these values (what ``Stats.of`` gives for them all at once)."""
        if self.n == 0:
            return Stats(0, NAN, NAN, NAN, NAN, NAN, NAN, among)
        p50, p90 = self.quantiles([0.5, 0.9])
        sd = math.sqrt(self.m2 / (self.n - 1)) if self.n > 1 else NAN
        return Stats(self.n, self.mean, sd, p50, p90, self.lo, self.hi, among)
