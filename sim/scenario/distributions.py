"""Distributions a trainer writes wherever a duration, a probability or another quantity is drawn.

Written inline, ``lognormal(median=20min, p90=1h)``, ``triangular(1h, 4h, 12h)``, ``uniform(0.6, 0.8)``,
or as a mapping ``{dist: lognormal, median: 20min, p90: 1h}``; a plain quantity (``5min``) is fixed.
The families themselves (sampling, means, quantiles) are in ``families``; this module reads them.
"""

from __future__ import annotations

import math
import re

from sim.scenario.families import (
    Z90,
    Choice,
    Distribution,
    DistributionError,
    Exponential,
    Fixed,
    LogNormal,
    Normal,
    Triangular,
    Uniform,
    _fmt,
    _Phi,
)
from sim.scenario.quantities import DURATION, FRACTION, Kind, QuantityError, parse

__all__ = [
    "DistributionError",
    "Distribution",
    "Fixed",
    "Uniform",
    "Triangular",
    "Normal",
    "LogNormal",
    "Exponential",
    "Choice",
    "FAMILIES",
    "parse_distribution",
]


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
        number = parse(value, kind)
    except QuantityError as exc:
        raise DistributionError(f"{exc}; or a distribution such as {_example(kind)}") from None
    _check_bounds(number, kind)
    return Fixed(kind, number)


def _example(kind: Kind) -> str:
    return (
        "lognormal(median=20min, p90=1h)"
        if kind is DURATION
        else "uniform(0.6, 0.8)"
        if kind is FRACTION
        else "normal(mean=0, sd=5)"
    )


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
                raise DistributionError(
                    f"normal(mean={m:g}, sd={s:g}) puts under 1% of its mass where a {kind.name} can lie"
                )
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
        raise DistributionError(
            f"{family} is unbounded; a {kind.name} must stay in [0, 1]: use uniform, triangular or normal"
        )
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
