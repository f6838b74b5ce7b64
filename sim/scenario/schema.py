"""The JSON Schema of the scenario language, for editors and for ``sim schema``.

Each scenario starts with ``# yaml-language-server: $schema=../docs/scenario.schema.json`` so that
an editor with the YAML language server completes keys, shows the descriptions and flags unknown
keys while the trainer types. The schema comes from the pydantic model, made draft-07 compatible
(the draft the YAML language server and most editors understand): ``$defs`` becomes
``definitions`` and every ``$ref`` follows, and defaults are written the way a trainer writes them
(``3d``, ``600km``, ``1min``) instead of the base units the model stores (259200.0).

The schema checks shapes and spellings only; units, distributions and cross-references are
checked by the loader, which gives the exact ``FILE:LINE:COL: path: message``.
"""

from __future__ import annotations

import json
import math
import types as pytypes
import typing
from pathlib import Path
from typing import Any

from pydantic import BaseModel

from sim.scenario import types as t
from sim.scenario.distributions import Distribution, Fixed
from sim.scenario.model import Scenario
from sim.scenario.quantities import (
    ANGLE,
    BALLISTIC_COEFFICIENT,
    CROSS_SECTION,
    DISTANCE,
    DURATION,
    FRACTION,
    SPEED,
    Kind,
)

DRAFT_07 = "http://json-schema.org/draft-07/schema#"
TITLE = "tabletop-sim scenario"
DESCRIPTION = (
    "A tabletop-sim scenario: the readiness ladder, the command network, the fire units, the "
    "threats and the rules of engagement. Durations, distances and speeds carry their unit "
    "(90s, 1h30min, 460km, 4.8km/s); drawn values are written as distributions "
    "(lognormal(median=20min, p90=1h)). Generated from sim/scenario/model.py by "
    "`python -m tools.gen_docs`; do not edit by hand."
)
# The same schema inside the installed package, for editors outside a clone (`sim schema` prints it too).
PACKAGED_SCHEMA_FILE = Path(__file__).resolve().parent / "scenario.schema.json"

# Keywords of later drafts that a draft-07 validator would silently ignore.
LATER_DRAFT_KEYWORDS = frozenset(
    {
        "$defs",
        "$anchor",
        "$dynamicRef",
        "$dynamicAnchor",
        "$recursiveRef",
        "$recursiveAnchor",
        "prefixItems",
        "dependentRequired",
        "dependentSchemas",
        "unevaluatedItems",
        "unevaluatedProperties",
        "minContains",
        "maxContains",
        "contentSchema",
        "$vocabulary",
    }
)

# The scenario's field types, and the kind of quantity each one holds.
QUANTITY_TYPES: list[tuple[Any, Kind]] = [
    (t.Duration, DURATION),
    (t.Distance, DISTANCE),
    (t.Speed, SPEED),
    (t.Angle, ANGLE),
    (t.Probability, FRACTION),
    (t.CrossSection, CROSS_SECTION),
]
DISTRIBUTION_TYPES: list[tuple[Any, Kind]] = [
    (t.DurationDist, DURATION),
    (t.DistanceDist, DISTANCE),
    (t.SpeedDist, SPEED),
    (t.AngleDist, ANGLE),
    (t.ProbabilityDist, FRACTION),
    (t.BetaDist, BALLISTIC_COEFFICIENT),
]


# ---------------------------------------------------------------- what a field holds


def field_hint(model: type[BaseModel], name: str) -> Any:
    """The field's annotation with its ``Annotated`` metadata (what ``model_fields`` strips)."""
    return typing.get_type_hints(model, include_extras=True)[name]


def _strip_optional(hint: Any) -> tuple[Any, bool]:
    args = typing.get_args(hint)
    if typing.get_origin(hint) in (typing.Union, pytypes.UnionType) and type(None) in args:
        rest = [a for a in args if a is not type(None)]
        if len(rest) == 1:
            return rest[0], True
    return hint, False


def field_kind(model: type[BaseModel], name: str) -> tuple[str | None, Kind | None, bool]:
    """``("quantity" | "distribution" | None, kind, optional)`` for one field of a model."""
    hint, optional = _strip_optional(field_hint(model, name))
    for known, kind in QUANTITY_TYPES:
        if hint == known:
            return "quantity", kind, optional
    for known, kind in DISTRIBUTION_TYPES:
        if hint == known:
            return "distribution", kind, optional
    return None, None, optional


def format_quantity(value: float, kind: Kind) -> str | float:
    """A value in base units written back the way a trainer writes it (``3d``, ``30m``, ``15m/s``)."""
    if kind.unitless:
        return int(value) if float(value).is_integer() else float(value)
    if kind is DISTANCE and 0 < value < 1:
        return f"{value * 1000:g}m"
    if kind is SPEED and 0 < value < 1:
        return f"{value * 1000:g}m/s"
    return str(Fixed(kind, value))


_NO_DEFAULT = object()


def yaml_default(model: type[BaseModel], name: str) -> Any:
    """The field's default as YAML would write it, or ``_NO_DEFAULT`` (required, or a nested part)."""
    info = model.model_fields[name]
    if info.is_required():
        return _NO_DEFAULT
    value = info.get_default(call_default_factory=True)
    if isinstance(value, BaseModel):
        return _NO_DEFAULT
    if isinstance(value, Distribution):
        if value.is_fixed:
            return format_quantity(value.mean(), value.kind)
        return str(value)
    what, kind, _ = field_kind(model, name)
    if what == "quantity" and kind is not None and isinstance(value, float) and math.isfinite(value):
        return format_quantity(value, kind)
    return value


def models(root: type[BaseModel] = Scenario) -> list[type[BaseModel]]:
    """Every part reachable from ``root``, in the order a reader meets them (depth first)."""
    seen: list[type[BaseModel]] = []

    def visit(m: type[BaseModel]) -> None:
        if m in seen:
            return
        seen.append(m)
        for name in m.model_fields:
            for sub in _models_in(field_hint(m, name)):
                visit(sub)

    visit(root)
    return seen


def _models_in(hint: Any) -> list[type[BaseModel]]:
    if isinstance(hint, type) and issubclass(hint, BaseModel):
        return [hint]
    found = []
    for arg in typing.get_args(hint):
        found.extend(_models_in(arg))
    return found


# ---------------------------------------------------------------- the schema


def _to_draft07(node: Any) -> Any:
    if isinstance(node, dict):
        out: dict[str, Any] = {}
        for key, value in node.items():
            if key == "$ref" and isinstance(value, str):
                out[key] = value.replace("#/$defs/", "#/definitions/")
            elif key == "$defs":
                out["definitions"] = _to_draft07(value)
            elif key in ("properties", "definitions"):
                out[key] = {k: _to_draft07(v) for k, v in value.items()}
            else:
                out[key] = _to_draft07(value)
        if "$ref" in out and len(out) > 1:
            # draft-07 ignores every keyword next to $ref: keep them by moving the ref into allOf.
            ref = out.pop("$ref")
            out = {"allOf": [{"$ref": ref}], **out}
        return out
    if isinstance(node, list):
        return [_to_draft07(v) for v in node]
    return node


def json_schema() -> dict:
    """The scenario's JSON Schema, draft-07 compatible, with defaults as a trainer writes them."""
    raw = Scenario.model_json_schema()
    schema = _to_draft07(raw)
    body = {k: v for k, v in schema.items() if k not in ("title", "description", "definitions")}
    out: dict = {"$schema": DRAFT_07, "title": TITLE, "description": DESCRIPTION, **body}
    out["definitions"] = schema.get("definitions", {})
    for m in models():
        target = out if m is Scenario else out["definitions"].get(m.__name__)
        if target is None:
            continue
        for name, prop in target.get("properties", {}).items():
            default = yaml_default(m, name)
            if default is not _NO_DEFAULT:
                prop["default"] = default
    return out


def schema_text() -> str:
    """The schema as the text of ``docs/scenario.schema.json`` (stable order, final newline)."""
    return json.dumps(json_schema(), indent=2) + "\n"  # the same bytes as `sim schema`
