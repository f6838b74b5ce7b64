"""Distributions a trainer writes wherever a duration, a probability or another quantity is drawn.

Written inline, ``lognormal(median=20min, p90=1h)``, ``triangular(1h, 4h, 12h)``, ``uniform(0.6, 0.8)``,
or as a mapping ``{dist: lognormal, median: 20min, p90: 1h}``; a plain quantity (``5min``) is fixed.
Each distribution samples whole vectors from a numpy Generator (the engine draws per block, never
per event) and knows its exact mean and quantiles, which the tests compare the samples against.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass

import numpy as np

from sim.scenario.quantities import DURATION, FRACTION, Kind, QuantityError, parse

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
        if self.kind.name in ("duration", "distance", "speed"):
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


# ---------------------------------------------------------------- reading

_CALL = re.compile(r"^\s*([a-z_]+)\s*\((.*)\)\s*$", re.S)
FAMILIES = ("fixed", "uniform", "triangular", "normal", "lognormal", "exponential", "choice", "empirical")
_POSITIONAL = {
    "fixed": ("value",),
    "uniform": ("low", "high"),
    "triangular": ("min", "mode", "max"),
    "normal": ("mean", "sd"),
    "lognormal": ("median", "p90"),
    "exponential": ("mean",),
}
_ALIASES_BY_FAMILY = {
    "uniform": {"min": "low", "max": "high"},
    "triangular": {"low": "min", "high": "max"},
    "normal": {"std": "sd", "sigma": "sd"},
    "lognormal": {"std": "sd"},
}


def _split_args(text: str) -> list[str]:
    parts, depth, cur = [], 0, ""
    for ch in text:
        if ch in "([":
            depth += 1
        elif ch in ")]":
            depth -= 1
        if ch == "," and depth == 0:
            parts.append(cur)
            cur = ""
        else:
            cur += ch
    if cur.strip():
        parts.append(cur)
    return [p.strip() for p in parts]


def parse_distribution(value: object, kind: Kind) -> Distribution:
    """Read a YAML value (string, number or mapping) as a distribution over ``kind``."""
    if isinstance(value, Distribution):
        return value
    if isinstance(value, dict):
        params = dict(value)
        family = params.pop("dist", None)
        if family is None:
            raise DistributionError(f"a distribution mapping needs 'dist' (one of {', '.join(FAMILIES)})")
        if family in ("choice", "empirical"):
            vals, weights = params.pop("values", None), params.pop("weights", None)
            if weights is not None and not isinstance(weights, list):
                raise DistributionError("choice 'weights' must be a list of numbers, one per value")
            if params:
                raise DistributionError(f"choice takes 'values' and 'weights', not {', '.join(map(str, params))}")
            if not isinstance(vals, list) or not vals:
                raise DistributionError("choice needs 'values': a list of values")
            return _choice([(v, None) for v in vals], weights, kind)
        return _build(str(family), [], {str(k): v for k, v in params.items()}, kind)
    if isinstance(value, str):
        m = _CALL.match(value)
        if m:
            family, inner = m.group(1), m.group(2)
            args = _split_args(inner)
            if family in ("choice", "empirical"):
                pairs = []
                for a in args:
                    v, _, w = a.partition(":")
                    try:
                        pairs.append((v.strip(), float(w) if w.strip() else None))
                    except ValueError:
                        raise DistributionError(f"choice: weight '{w.strip()}' is not a number") from None
                return _choice(pairs, None, kind)
            positional, named = [], {}
            for a in args:
                if "=" in a:
                    k, _, v = a.partition("=")
                    named[k.strip()] = v.strip()
                elif named:
                    raise DistributionError(f"in '{value}', a positional argument follows a named one")
                else:
                    positional.append(a)
            return _build(family, positional, named, kind)
    try:
        v = parse(value, kind)
    except QuantityError as exc:
        raise DistributionError(
            f"{exc}; or a distribution such as {_example(kind)}"
        ) from None
    _check_bounds(v, kind)
    return Fixed(kind, v)


def _example(kind: Kind) -> str:
    return "lognormal(median=20min, p90=1h)" if kind is DURATION else "uniform(0.6, 0.8)" if kind is FRACTION else "normal(mean=0, sd=5)"


def _check_bounds(v: float, kind: Kind, what: str = "value") -> None:
    lo, hi = Fixed(kind, 0.0).bounds()
    if v < lo:
        raise DistributionError(f"{what} must not be negative (got {_fmt(v, kind)})")
    if v > hi:
        raise DistributionError(f"{what} must be at most {hi:g} (got {v:g})")


_WEIGHTS = "choice: weights must be non-negative finite numbers with a positive sum"


def _choice(pairs, weights, kind: Kind) -> Choice:
    values = []
    for v, _ in pairs:
        try:
            values.append(parse(v, kind))
        except QuantityError as exc:
            raise DistributionError(str(exc)) from None
    for v in values:
        _check_bounds(v, kind)
    if weights is None:
        given = [w for _, w in pairs]
        if all(w is None for w in given):
            weights = [1.0] * len(values)
        elif any(w is None for w in given):
            raise DistributionError("choice: give a weight for every value or for none")
        else:
            weights = given
    if len(weights) != len(values):
        raise DistributionError("choice: as many weights as values")
    if any(isinstance(w, bool) or not isinstance(w, (int, float)) or not math.isfinite(w) or w < 0 for w in weights):
        raise DistributionError(_WEIGHTS)
    try:
        total = math.fsum(float(w) for w in weights)
    except OverflowError:
        total = math.inf
    if not 0 < total < math.inf:
        raise DistributionError(_WEIGHTS)
    return Choice(kind, tuple(values), tuple(float(w) / total for w in weights))


def _build(family: str, positional: list, named: dict, kind: Kind) -> Distribution:
    if family not in _POSITIONAL:
        import difflib

        near = difflib.get_close_matches(family, FAMILIES, n=1)
        hint = f" (did you mean {near[0]}?)" if near else ""
        raise DistributionError(f"unknown distribution '{family}'{hint}; use one of {', '.join(FAMILIES)}")
    names = _POSITIONAL[family]
    if len(positional) > len(names):
        raise DistributionError(f"{family} takes {len(names)} values ({', '.join(names)}), got {len(positional)}")
    p = dict(zip(names, positional))
    for key, val in named.items():
        canon = _ALIASES_BY_FAMILY.get(family, {}).get(key, key)
        accepted = names + (("mean", "sd") if family == "lognormal" else ())
        if canon not in accepted:
            import difflib

            near = difflib.get_close_matches(key, accepted, n=1)
            hint = f" (did you mean '{near[0]}'?)" if near else ""
            raise DistributionError(f"{family} does not take '{key}'{hint}; e.g. {_family_example(family, kind)}")
        p[canon] = val

    def q(name):
        try:
            return parse(p.pop(name), kind)
        except QuantityError as exc:
            raise DistributionError(f"{family} {name}: {exc}") from None

    def need(*keys):
        missing = [k for k in keys if k not in p]
        if missing:
            raise DistributionError(f"{family} needs {', '.join(keys)}; e.g. {_family_example(family, kind)}")

    lo_b, hi_b = Fixed(kind, 0.0).bounds()
    if family == "fixed":
        need("value")
        v = q("value")
        _check_bounds(v, kind)
        dist: Distribution = Fixed(kind, v)
    elif family == "uniform":
        need("low", "high")
        a, b = q("low"), q("high")
        if not a < b:
            raise DistributionError(f"uniform needs low < high (got {_fmt(a, kind)}, {_fmt(b, kind)})")
        _check_bounds(a, kind, "low")
        _check_bounds(b, kind, "high")
        dist = Uniform(kind, a, b)
    elif family == "triangular":
        need("min", "mode", "max")
        a, c, b = q("min"), q("mode"), q("max")
        if not (a <= c <= b and a < b):
            raise DistributionError("triangular needs min <= mode <= max with min < max")
        _check_bounds(a, kind, "min")
        _check_bounds(b, kind, "max")
        dist = Triangular(kind, a, c, b)
    elif family == "normal":
        need("mean", "sd")
        m, s = q("mean"), q("sd")
        if s < 0:
            raise DistributionError("normal sd must not be negative")
        dist = Normal(kind, m, s)
        if s > 0:
            a, b = dist._ab()
            if _Phi(b) - _Phi(a) < 0.01:
                raise DistributionError(f"normal(mean={m:g}, sd={s:g}) puts under 1% of its mass where a {kind.name} can lie")
        elif not lo_b <= m <= hi_b:
            _check_bounds(m, kind, "mean")
    elif family == "lognormal":
        if "mean" in p or "sd" in p:
            need("mean", "sd")
            m, s = q("mean"), q("sd")
            if m <= 0 or s <= 0:
                raise DistributionError("lognormal mean and sd must be positive")
            sigma2 = math.log1p((s / m) ** 2)
            dist = LogNormal(kind, math.log(m) - 0.5 * sigma2, math.sqrt(sigma2))
        else:
            need("median", "p90")
            med, p90 = q("median"), q("p90")
            if not 0 < med < p90:
                raise DistributionError("lognormal needs 0 < median < p90")
            dist = LogNormal(kind, math.log(med), math.log(p90 / med) / Z90)
    else:  # exponential
        need("mean")
        m = q("mean")
        if m <= 0:
            raise DistributionError("exponential mean must be positive")
        dist = Exponential(kind, m)
    if p:
        raise DistributionError(f"{family} does not take {', '.join(sorted(p))}; e.g. {_family_example(family, kind)}")
    if hi_b < math.inf and family in ("lognormal", "exponential"):
        raise DistributionError(f"{family} is unbounded; a {kind.name} must stay in [0, 1]: use uniform, triangular or normal")
    return dist


def _family_example(family: str, kind: Kind) -> str:
    if kind is DURATION:
        return {
            "fixed": "fixed(5min)",
            "uniform": "uniform(10min, 30min)",
            "triangular": "triangular(1h, 4h, 12h)",
            "normal": "normal(mean=30min, sd=5min)",
            "lognormal": "lognormal(median=20min, p90=1h)",
            "exponential": "exponential(mean=20min)",
        }[family]
    return {
        "fixed": "fixed(0.7)",
        "uniform": "uniform(0.6, 0.8)",
        "triangular": "triangular(0.5, 0.7, 0.8)",
        "normal": "normal(mean=0.7, sd=0.05)",
        "lognormal": "lognormal(median=2, p90=5)",
        "exponential": "exponential(mean=3)",
    }[family]
