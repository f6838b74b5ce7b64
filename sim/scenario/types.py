"""Field types of the scenario language: quantities and distributions as pydantic types.

Each type parses the trainer's text into base units (seconds, km, km/s, degrees, fractions)
and describes itself in the JSON Schema so editors can complete and check scenarios.
"""

from __future__ import annotations

from typing import Annotated

from pydantic import PlainValidator, WithJsonSchema

from sim.scenario import quantities as q
from sim.scenario.distributions import FAMILIES, Distribution, DistributionError, parse_distribution


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

    if kind.unitless:
        schema = {"type": ["number", "string"], "description": f"a {kind.name}, e.g. {kind.example}"}
    else:
        schema = {"type": "string", "description": f"a {kind.name} with its unit, e.g. {kind.example}", "examples": kind.example.replace(" or ", ", ").split(", ")}
    return Annotated[float, PlainValidator(check), WithJsonSchema(schema)]


def _distribution(kind: q.Kind):
    def check(value):
        try:
            return parse_distribution(value, kind)
        except DistributionError as exc:
            raise ValueError(str(exc)) from None

    text = {
        "type": "string",
        "description": f"a fixed {kind.name} ({kind.example}) or a distribution: "
        + ", ".join(f"{f}(...)" for f in FAMILIES),
    }
    mapping = {
        "type": "object",
        "properties": {"dist": {"enum": list(FAMILIES)}},
        "required": ["dist"],
        "description": "a distribution as a mapping, e.g. {dist: lognormal, median: 20min, p90: 1h}",
    }
    options = [text, mapping] + ([{"type": "number"}] if kind.unitless else [])
    return Annotated[Distribution, PlainValidator(check), WithJsonSchema({"anyOf": options})]


Duration = _quantity(q.DURATION)
Distance = _quantity(q.DISTANCE)
Speed = _quantity(q.SPEED)
Angle = _quantity(q.ANGLE, minimum=None)
Probability = _quantity(q.FRACTION, 0.0, 1.0)

DurationDist = _distribution(q.DURATION)
ProbabilityDist = _distribution(q.FRACTION)
AngleDist = _distribution(q.ANGLE)
SpeedDist = _distribution(q.SPEED)
DistanceDist = _distribution(q.DISTANCE)
