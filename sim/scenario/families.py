"""The families of distributions: fixed, uniform, triangular, normal, lognormal, exponential, choice.

Each samples whole vectors from a numpy Generator (the engine draws per block, never per event)
and knows its exact mean and quantiles, which the tests compare the samples against. How a trainer
writes them is in ``distributions``.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from sim.scenario.quantities import DURATION, FRACTION, Kind

Z90 = 1.2815515655446004  # standard normal 90th percentile


class DistributionError(ValueError):
    """A distribution that cannot be read or has impossible parameters."""


def _phi(x: float) -> float:
    return math.exp(-0.5 * x * x) / math.sqrt(2 * math.pi)


def _Phi(x: float) -> float:
    return 0.5 * (1.0 + math.erf(x / math.sqrt(2.0)))


def _Phi_inv(p: float) -> float:
    lo, hi = -40.0, 40.0
    for _ in range(200):
        mid = 0.5 * (lo + hi)
        lo, hi = (mid, hi) if _Phi(mid) < p else (lo, mid)
    return 0.5 * (lo + hi)


@dataclass(frozen=True)
class Distribution:
    """Base class: ``sample`` draws, ``mean`` and ``quantile`` are exact, ``text`` is how it was written."""

    kind: Kind

    def sample(self, rng: np.random.Generator, size) -> np.ndarray:  # pragma: no cover - abstract
        raise NotImplementedError

    def mean(self) -> float:  # pragma: no cover - abstract
        raise NotImplementedError

    def quantile(self, q: float) -> float:  # pragma: no cover - abstract
        raise NotImplementedError

    @property
    def is_fixed(self) -> bool:
        return False

    def bounds(self) -> tuple[float, float]:
        """Where values of this kind may lie: durations and distances are never negative, fractions in [0, 1]."""
        if self.kind is FRACTION:
            return 0.0, 1.0
        if self.kind.name in ("duration", "distance", "speed", "ballistic coefficient"):
            return 0.0, math.inf
        return -math.inf, math.inf


@dataclass(frozen=True)
class Fixed(Distribution):
    value: float

    def sample(self, rng, size):
        return np.full(size, self.value, dtype=float)

    def mean(self):
        return self.value

    def quantile(self, q):
        return self.value

    @property
    def is_fixed(self):
        return True

    def __str__(self):
        return _fmt(self.value, self.kind)


@dataclass(frozen=True)
class Uniform(Distribution):
    low: float
    high: float

    def sample(self, rng, size):
        return rng.uniform(self.low, self.high, size)

    def mean(self):
        return 0.5 * (self.low + self.high)

    def quantile(self, q):
        return self.low + q * (self.high - self.low)

    def __str__(self):
        return f"uniform({_fmt(self.low, self.kind)}, {_fmt(self.high, self.kind)})"


@dataclass(frozen=True)
class Triangular(Distribution):
    low: float
    mode: float
    high: float

    def sample(self, rng, size):
        if self.low == self.high:
            return np.full(size, self.low, dtype=float)
        return rng.triangular(self.low, self.mode, self.high, size)

    def mean(self):
        return (self.low + self.mode + self.high) / 3.0

    def quantile(self, q):
        a, c, b = self.low, self.mode, self.high
        f = (c - a) / (b - a)
        if q < f:
            return a + math.sqrt(q * (b - a) * (c - a))
        return b - math.sqrt((1 - q) * (b - a) * (b - c))

    def __str__(self):
        k = self.kind
        return f"triangular({_fmt(self.low, k)}, {_fmt(self.mode, k)}, {_fmt(self.high, k)})"


@dataclass(frozen=True)
class Normal(Distribution):
    """A normal law truncated to the kind's bounds (a duration is never negative): resampled, not clipped."""

    mu: float
    sd: float

    def _ab(self):
        lo, hi = self.bounds()
        a = (lo - self.mu) / self.sd if self.sd > 0 else -math.inf
        b = (hi - self.mu) / self.sd if self.sd > 0 else math.inf
        return a, b

    def sample(self, rng, size):
        lo, hi = self.bounds()
        x = rng.normal(self.mu, self.sd, size)
        bad = (x < lo) | (x > hi)
        while bad.any():
            x[bad] = rng.normal(self.mu, self.sd, int(bad.sum()))
            bad = (x < lo) | (x > hi)
        return x

    def mean(self):
        if self.sd == 0:
            return self.mu
        a, b = self._ab()
        pa = _phi(a) if math.isfinite(a) else 0.0
        pb = _phi(b) if math.isfinite(b) else 0.0
        return self.mu + self.sd * (pa - pb) / (_Phi(b) - _Phi(a))

    def quantile(self, q):
        a, b = self._ab()
        Fa, Fb = _Phi(a), _Phi(b)
        return self.mu + self.sd * _Phi_inv(Fa + q * (Fb - Fa))

    def __str__(self):
        return f"normal(mean={_fmt(self.mu, self.kind)}, sd={_fmt(self.sd, self.kind)})"


@dataclass(frozen=True)
class LogNormal(Distribution):
    """Stored as (mu, sigma) of the underlying normal; written by (median, p90) or (mean, sd)."""

    mu: float
    sigma: float

    def sample(self, rng, size):
        return rng.lognormal(self.mu, self.sigma, size)

    def mean(self):
        return math.exp(self.mu + 0.5 * self.sigma**2)

    def quantile(self, q):
        return math.exp(self.mu + self.sigma * _Phi_inv(q))

    def __str__(self):
        k = self.kind
        return f"lognormal(median={_fmt(self.quantile(0.5), k)}, p90={_fmt(self.quantile(0.9), k)})"


@dataclass(frozen=True)
class Exponential(Distribution):
    scale: float

    def sample(self, rng, size):
        return rng.exponential(self.scale, size)

    def mean(self):
        return self.scale

    def quantile(self, q):
        return -self.scale * math.log1p(-q)

    def __str__(self):
        return f"exponential(mean={_fmt(self.scale, self.kind)})"


@dataclass(frozen=True)
class Choice(Distribution):
    """An empirical law: a few values with weights (equal unless given)."""

    values: tuple[float, ...]
    weights: tuple[float, ...]

    def sample(self, rng, size):
        return rng.choice(np.asarray(self.values, dtype=float), size=size, p=np.asarray(self.weights))

    def mean(self):
        return float(np.dot(self.values, self.weights))

    def quantile(self, q):
        order = np.argsort(self.values)
        cum = np.cumsum(np.asarray(self.weights)[order])
        return float(np.asarray(self.values)[order][np.searchsorted(cum, q - 1e-12)])

    def __str__(self):
        items = ", ".join(f"{_fmt(v, self.kind)}: {w:g}" for v, w in zip(self.values, self.weights))
        return f"choice({items})"


def _fmt(value: float, kind: Kind) -> str:
    value = float(f"{value:.6g}")
    if value < 0:
        return "-" + _fmt(-value, kind)
    if kind is DURATION:
        for unit, size in (("d", 86400), ("h", 3600), ("min", 60)):
            if value >= size and abs(value / size - round(value / size, 3)) < 1e-9:
                return f"{round(value / size, 3):g}{unit}"
        return f"{value:g}s"
    return f"{value:g}{kind.base}" if not kind.unitless else f"{value:g}"
