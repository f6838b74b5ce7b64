"""The ``uncertainty:`` section: which assumptions a trainer doubts, and how far each may be off.

Each entry is a dotted path of the scenario and a range: absolute values ``[10s, 60s]`` (read in the
field's own units) or factors ``x0.5..x2`` of the value the file gives, for a duration, a distance,
a count or a whole distribution (every value of the distribution scaled). ``sim sensitivity`` moves
them all at once to find which ones a conclusion rests on; nothing else reads this section.
"""

from __future__ import annotations

import dataclasses
import math
import re
from dataclasses import dataclass
from typing import Annotated, Any

from pydantic import BaseModel, PlainValidator, TypeAdapter, ValidationError, WithJsonSchema

from sim.scenario.distributions import Choice, Distribution, Exponential, Fixed, LogNormal, Normal, Triangular, Uniform
from sim.scenario.quantities import FRACTION

_NUM = r"[0-9]+(?:\.[0-9]*)?|\.[0-9]+"
_FACTOR = re.compile(rf"^\s*x\s*({_NUM})\s*\.\.\s*x\s*({_NUM})\s*$")
_NOT_VARIED = {"seed", "runs", "uncertainty", "horizon"}


class RangeError(ValueError):
    """An entry that cannot be varied: no such place, not a number, or a range that does not fit."""


@dataclass(frozen=True)
class Spread:
    """A range as written: factors (``x0.5..x2``) or absolute values still in the trainer's text."""

    low: Any
    high: Any
    factor: bool

    def __str__(self) -> str:
        return f"x{self.low:g}..x{self.high:g}" if self.factor else f"[{self.low}, {self.high}]"


def _spread(value: object) -> Spread:
    if isinstance(value, Spread):
        return value
    if isinstance(value, str):
        m = _FACTOR.match(value)
        if not m:
            raise ValueError(f"expected a factor range such as x0.5..x2 or [low, high], got '{value}'")
        lo, hi = float(m.group(1)), float(m.group(2))
        if not 0 < lo < hi:
            raise ValueError(f"the factors must satisfy 0 < low < high (got x{lo:g}..x{hi:g})")
        return Spread(lo, hi, True)
    if isinstance(value, list) and len(value) == 2 and all(isinstance(v, (str, int, float)) for v in value):
        if any(isinstance(v, bool) for v in value):
            raise ValueError("expected values, not true/false")
        return Spread(value[0], value[1], False)
    raise ValueError("expected [low, high] (values with their units) or a factor range such as x0.5..x2")


SpreadField = Annotated[
    Spread,
    PlainValidator(_spread),
    WithJsonSchema(
        {
            "anyOf": [
                {"type": "string", "pattern": rf"^\s*x\s*(?:{_NUM})\s*\.\.\s*x\s*(?:{_NUM})\s*$"},
                {"type": "array", "minItems": 2, "maxItems": 2, "items": {"type": ["string", "number"]}},
            ],
            "description": "[low, high] with units, or factors of the file's value such as x0.5..x2",
            "examples": ["x0.5..x2", ["10s", "60s"]],
        }
    ),
]


@dataclass(frozen=True)
class Assumption:
    """One resolved entry: where it is, its value in the file, and the interval sampled (factors or base units)."""

    path: str
    steps: tuple[str | int, ...]
    nominal: Any  # float, int or Distribution, as the file gives it
    low: float
    high: float
    factor: bool
    integer: bool

    @property
    def midpoint_value(self) -> float:
        return 1.0 if self.factor else self.nominal_number

    @property
    def nominal_number(self) -> float:
        if isinstance(self.nominal, Fixed):
            return self.nominal.value
        return float(self.nominal) if not isinstance(self.nominal, Distribution) else math.nan

    def value_at(self, x: float) -> Any:
        """The scenario value for sample coordinate ``x`` (a factor or an absolute value in base units)."""
        if self.factor:
            return scaled(self.nominal, x, self.integer)
        if isinstance(self.nominal, Distribution):
            return Fixed(self.nominal.kind, x)
        return round(x) if self.integer else x


def scaled(value: Any, f: float, integer: bool = False) -> Any:
    """A number or a distribution with every value multiplied by ``f`` (a lognormal's median and p90 both)."""
    if isinstance(value, Fixed):
        return dataclasses.replace(value, value=value.value * f)
    if isinstance(value, Uniform):
        return dataclasses.replace(value, low=value.low * f, high=value.high * f)
    if isinstance(value, Triangular):
        return dataclasses.replace(value, low=value.low * f, mode=value.mode * f, high=value.high * f)
    if isinstance(value, Normal):
        return dataclasses.replace(value, mu=value.mu * f, sd=value.sd * f)
    if isinstance(value, LogNormal):
        return dataclasses.replace(value, mu=value.mu + math.log(f))
    if isinstance(value, Exponential):
        return dataclasses.replace(value, scale=value.scale * f)
    if isinstance(value, Choice):
        return dataclasses.replace(value, values=tuple(v * f for v in value.values))
    if isinstance(value, Distribution):
        raise RangeError(f"a {type(value).__name__.lower()} distribution cannot be scaled; give absolute values")
    return max(0, round(value * f)) if integer else value * f


def _steps(path: str) -> tuple[str | int, ...]:
    return tuple(int(p) if p.isascii() and p.isdigit() else p for p in path.split("."))


def _field_adapter(parent: BaseModel, name: str) -> TypeAdapter:
    info = type(parent).model_fields[name]
    annotation = Annotated[(info.annotation, *info.metadata)] if info.metadata else info.annotation
    return TypeAdapter(annotation)


def _resolve(scenario: BaseModel, path: str, spread: Spread) -> Assumption:
    """The entry checked against the scenario; ValueError with the reason when it cannot be varied."""
    steps = _steps(path)
    if not path or any(s == "" for s in steps):
        raise RangeError("expected a dotted path such as command.posts.1.decision_time")
    if steps[0] in _NOT_VARIED:
        raise RangeError(f"'{steps[0]}' is not an assumption to vary")
    node: Any = scenario
    parent: Any = None
    for depth, step in enumerate(steps):
        where = ".".join(str(s) for s in steps[: depth + 1])
        parent = node
        if isinstance(node, BaseModel) and isinstance(step, str) and step in type(node).model_fields:
            node = getattr(node, step)
        elif isinstance(node, list) and isinstance(step, int) and step < len(node):
            node = node[step]
        else:
            raise RangeError(f"no such place in the scenario: '{where}'")
    if not isinstance(parent, BaseModel):
        raise RangeError("only a field of a part can be varied, not an item of a list")
    if isinstance(node, bool) or not isinstance(node, (int, float, Distribution)):
        raise RangeError("not a number or a distribution: only those can be varied")
    integer = isinstance(node, int)
    adapter = _field_adapter(parent, str(steps[-1]))
    if spread.factor:
        if isinstance(node, Distribution) and node.kind is FRACTION:
            raise RangeError("a probability cannot be scaled by a factor; give absolute values [low, high]")
        for f in (spread.low, spread.high):
            value = scaled(node, f, integer)
            if not isinstance(value, Distribution):
                try:
                    adapter.validate_python(value)
                except ValidationError as exc:  # a bare number of a kind with units is fine here: it is in base units
                    message = _first_message(exc)
                    if "needs a unit" not in message:
                        raise RangeError(f"x{f:g} makes it {value:g}: {message}") from None
        return Assumption(path, steps, node, spread.low, spread.high, True, integer)
    ends = []
    for raw in (spread.low, spread.high):
        try:
            v = adapter.validate_python(raw)
        except ValidationError as exc:  # pydantic's ValidationError, reduced to its message
            raise RangeError(f"'{raw}': {_first_message(exc)}") from None
        if isinstance(v, Distribution):
            if not isinstance(v, Fixed):
                raise RangeError(f"'{raw}': give a value, not a distribution")
            v = v.value
        ends.append(float(v))
    if not ends[0] < ends[1]:
        raise RangeError(f"low must be below high (got {spread})")
    return Assumption(path, steps, node, ends[0], ends[1], False, integer)


def _first_message(exc: Exception) -> str:
    errors = getattr(exc, "errors", None)
    if callable(errors):
        found = errors()
        if found:
            return str(found[0].get("msg", exc)).removeprefix("Value error, ")
    return str(exc)


def uncertainty_problems(scenario: Any) -> list[tuple[tuple[str | int, ...], str]]:
    """Every entry that names no number or distribution, or whose range does not fit it."""
    out: list[tuple[tuple[str | int, ...], str]] = []
    for path, spread in scenario.uncertainty.items():
        try:
            _resolve(scenario, path, spread)
        except RangeError as exc:
            out.append((("uncertainty", path), str(exc)))
    return out


def assumptions(scenario: Any) -> list[Assumption]:
    """The section resolved against the scenario, in the order written (the scenario is already validated)."""
    return [_resolve(scenario, path, spread) for path, spread in scenario.uncertainty.items()]


def with_values(scenario: BaseModel, chosen: list[tuple[Assumption, float]]) -> Any:
    """A copy of the scenario with each assumption set for its sample coordinate; the file's values elsewhere."""
    out = scenario
    for a, x in chosen:
        out = _replaced(out, a.steps, a.value_at(x))
    return out


def _replaced(node: Any, steps: tuple[str | int, ...], value: Any) -> Any:
    if not steps:
        return value
    step, rest = steps[0], steps[1:]
    if isinstance(node, BaseModel):
        return node.model_copy(update={str(step): _replaced(getattr(node, str(step)), rest, value)})
    items = list(node)
    items[int(step)] = _replaced(items[int(step)], rest, value)
    return items
