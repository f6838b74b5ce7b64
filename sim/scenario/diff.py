"""What changed between two validated scenarios, path by path, written as the trainer writes them."""

from __future__ import annotations

import json
import math
import typing
from dataclasses import dataclass
from typing import Any

from pydantic import BaseModel

from sim.scenario.distributions import Distribution, Fixed
from sim.scenario.quantities import Kind

ABSENT = "(absent)"


@dataclass(frozen=True)
class Change:
    """One value that differs between the two scenarios, by its dotted path."""

    path: str
    a: str
    b: str


def scenario_changes(a: BaseModel, b: BaseModel) -> list[Change]:
    """Every dotted path whose value differs between two validated scenarios, in document order."""
    return [Change(path, va, vb) for path, va, vb in _differ(_tree(a), _tree(b), ())]


def override_changes(a: dict[str, Any], b: dict[str, Any]) -> list[Change]:
    """The overrides that differ, when the scenario texts themselves are not at hand."""
    return [
        Change(p, text(a.get(p, ABSENT)), text(b.get(p, ABSENT)))
        for p in list(a) + [k for k in b if k not in a]
        if a.get(p, ABSENT) != b.get(p, ABSENT)
    ]


def _differ(a: Any, b: Any, path: tuple[str, ...]) -> typing.Iterator[tuple[str, str, str]]:
    if isinstance(a, dict) and isinstance(b, dict):
        for key in list(a) + [k for k in b if k not in a]:
            yield from _differ(a.get(key, ABSENT), b.get(key, ABSENT), path + (str(key),))
    elif isinstance(a, list) and isinstance(b, list):
        for i in range(max(len(a), len(b))):
            yield from _differ(a[i] if i < len(a) else ABSENT, b[i] if i < len(b) else ABSENT, path + (str(i),))
    elif a != b:
        yield ".".join(path), text(a), text(b)


def text(value: Any) -> str:
    if isinstance(value, (dict, list)):
        return json.dumps(value, ensure_ascii=False)
    return str(value)


def _tree(value: Any, kind: Kind | None = None) -> Any:
    """A scenario as plain nested dicts and lists of text, quantities with their units.

    Written as the trainer writes them: distributions by ``str()``, quantities such as durations
    (stored as seconds) as ``3h``, so that the list of changes reads like the YAML.
    """
    if isinstance(value, BaseModel):
        fields = type(value).model_fields
        return {name: _tree(getattr(value, name), _kind_of(f.annotation, f.metadata)) for name, f in fields.items()}
    if isinstance(value, Distribution):
        return str(value)
    if isinstance(value, dict):
        return {str(k): _tree(v, kind) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_tree(v, kind) for v in value]
    if isinstance(value, float) and kind is not None and math.isfinite(value):
        return str(Fixed(kind, value))
    if isinstance(value, bool) or value is None:
        return json.dumps(value)
    return value if isinstance(value, str) else f"{value:g}" if isinstance(value, float) else str(value)


def _quantity_kinds() -> dict[Any, Kind]:
    from sim.scenario import quantities as q
    from sim.scenario import types as t

    pairs = (
        (t.Duration, q.DURATION),
        (t.Distance, q.DISTANCE),
        (t.Speed, q.SPEED),
        (t.Angle, q.ANGLE),
        (t.Probability, q.FRACTION),
    )
    return {typing.get_args(ann)[1].func: kind for ann, kind in pairs}


def _kind_of(annotation: Any, metadata: Any = ()) -> Kind | None:
    """The quantity kind of a model field (durations, distances, ...), or None for anything else."""
    kinds = _quantity_kinds()
    for m in metadata:
        if getattr(m, "func", None) in kinds:
            return kinds[m.func]
    for arg in typing.get_args(annotation):  # Optional[...], list[...], Annotated[...]
        if getattr(arg, "func", None) in kinds:
            return kinds[arg.func]
        found = _kind_of(arg)
        if found is not None:
            return found
    return None
