"""Field types of the scenario language: quantities and distributions as pydantic types.

Each type parses the trainer's text into base units (seconds, km, km/s, degrees, fractions)
and describes itself in the JSON Schema so editors can complete and check scenarios.
"""

from __future__ import annotations

import math
import re
from typing import Annotated

from pydantic import PlainValidator, WithJsonSchema

from sim.scenario import quantities as q
from sim.scenario.distributions import (
    FAMILIES,
    Distribution,
    DistributionError,
    Fixed,
    parse_distribution,
)


def _quantity(kind: q.Kind, minimum: float | None = 0.0, maximum: float | None = None):
    def check(value):
        try:
            v = q.parse(value, kind)
        except q.QuantityError as exc:
            raise ValueError(str(exc)) from None
        if minimum is not None and v < minimum:
            raise ValueError(f"must not be negative (got {value})" if minimum == 0 else f"must be at least {minimum:g}")
        if maximum is not None and v > maximum:
            raise ValueError(f"must be at most {maximum:g} (got {value})")
        return v

    return Annotated[float, PlainValidator(check), WithJsonSchema(quantity_schema(kind, minimum, maximum))]


def _number_pattern(signed: bool) -> str:
    return (r"[-+]?" if signed else r"\+?") + r"(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)(?:[eE][-+]?[0-9]+)?"


def quantity_pattern(kind: q.Kind, signed: bool) -> str:
    """A regular expression (ECMA 262, for editors) of a quantity as ``quantities.parse`` reads it."""
    units = "|".join(re.escape(u) for u in sorted(kind.units, key=len, reverse=True))
    term = rf"{_number_pattern(signed)}\s*(?:{units})"
    if kind.unitless:
        return rf"^\s*{_number_pattern(signed)}\s*(?:{units})?\s*$"
    if kind is q.DURATION:
        return rf"^\s*(?:{term}\s*)+$"
    return rf"^\s*{term}\s*$"


def quantity_schema(kind: q.Kind, minimum: float | None = 0.0, maximum: float | None = None) -> dict:
    """A quantity in the JSON Schema: text with its unit (a pattern), or a bounded number where no unit is needed."""
    text = {"type": "string", "pattern": quantity_pattern(kind, signed=minimum is None or minimum < 0)}
    if not kind.unitless:
        examples = kind.example.replace(" or ", ", ").split(", ")
        return {**text, "description": f"a {kind.name} with its unit, e.g. {kind.example}", "examples": examples}
    number: dict = {"type": "number"}
    if minimum is not None:
        number["minimum"] = minimum
    if maximum is not None:
        number["maximum"] = maximum
    return {"anyOf": [number, text], "description": f"a {kind.name}, e.g. {kind.example}"}


def _distribution(kind: q.Kind):
    def check(value):
        try:
            return parse_distribution(value, kind)
        except DistributionError as exc:
            raise ValueError(str(exc)) from None

    return Annotated[Distribution, PlainValidator(check), WithJsonSchema(distribution_schema(kind))]


def distribution_schema(kind: q.Kind) -> dict:
    """A fixed quantity or a distribution, written inline or as a mapping; the family must be a known one."""
    lo, hi = Fixed(kind, 0.0).bounds()
    fixed = quantity_schema(kind, lo if lo > -math.inf else None, hi if hi < math.inf else None)
    call = {"type": "string", "pattern": rf"^\s*(?:{'|'.join(FAMILIES)})\s*\(.*\)\s*$"}
    mapping = {
        "type": "object",
        "properties": {"dist": {"enum": list(FAMILIES)}},
        "required": ["dist"],
        "description": "a distribution as a mapping, e.g. {dist: lognormal, median: 20min, p90: 1h}",
    }
    options = (fixed["anyOf"] if "anyOf" in fixed else [{k: v for k, v in fixed.items() if k != "description"}]) + [
        call,
        mapping,
    ]
    description = f"a fixed {kind.name} ({kind.example}) or a distribution: " + ", ".join(f"{f}(...)" for f in FAMILIES)
    return {"anyOf": options, "description": description}


Duration = _quantity(q.DURATION)
Distance = _quantity(q.DISTANCE)
Speed = _quantity(q.SPEED)
Angle = _quantity(q.ANGLE, minimum=None)
Probability = _quantity(q.FRACTION, 0.0, 1.0)
CrossSection = _quantity(q.CROSS_SECTION)

DurationDist = _distribution(q.DURATION)
ProbabilityDist = _distribution(q.FRACTION)
AngleDist = _distribution(q.ANGLE)
SpeedDist = _distribution(q.SPEED)
DistanceDist = _distribution(q.DISTANCE)
BetaDist = _distribution(q.BALLISTIC_COEFFICIENT)
