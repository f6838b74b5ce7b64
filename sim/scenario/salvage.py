"""A stand-in scenario for a file with structural errors, so cross-references are checked in the same pass.

A trainer who fixes a misspelt key should not then meet a misspelt post name as a second round of
errors. When pydantic refuses the document, a copy is repaired just enough to validate: a bad value
that has a default is dropped (the default takes its place), a bad or missing required value gets a
stand-in of the right type. The cross-reference and physical checks then run on that copy, and
whatever they say about a repaired place is thrown away: only problems elsewhere are reported.
"""

from __future__ import annotations

import copy
import types as pytypes
import typing
from collections.abc import Mapping, Sequence
from typing import Any, Literal

from pydantic import BaseModel, ValidationError

from sim.scenario.problems import Path_

STAND_IN = "\u2047stand-in"  # a name no trainer writes: messages that mention it are dropped
RENAMED = {"on": "trigger", "true": "trigger"}  # old key -> new key ('true': 'on' after a YAML 1.1 tool)
_ROUNDS = 8


def error_loc(err: Mapping[str, Any]) -> Path_:
    """The path of a pydantic error with pydantic's own union and validator labels left out."""
    return tuple(p for p in err["loc"] if not (isinstance(p, str) and ("[" in p or p.startswith("function-"))))


def _strip(hint: Any) -> Any:
    """The type inside ``Optional[...]`` and ``Annotated[...]`` (keeping quantity types whole)."""
    origin = typing.get_origin(hint)
    if origin in (typing.Union, pytypes.UnionType):
        rest = [a for a in typing.get_args(hint) if a is not type(None)]
        return _strip(rest[0]) if len(rest) == 1 else hint
    return hint


def hint_at(model: type[BaseModel], loc: Path_) -> Any:
    """The annotation of the value at ``loc`` (a field or a list item), or None when the path leaves the model."""
    current: Any = model
    for step in loc:
        current = _strip(current)
        if isinstance(step, int):
            if typing.get_origin(current) is not list:
                return None
            current = typing.get_args(current)[0]
        elif isinstance(current, type) and issubclass(current, BaseModel):
            if step not in current.model_fields:
                return None
            current = typing.get_type_hints(current, include_extras=True)[step]
        elif typing.get_origin(current) is dict:
            current = typing.get_args(current)[1]
        else:
            return None
    return current


def _is_required(model: type[BaseModel], loc: Path_) -> bool:
    owner = hint_at(model, loc[:-1]) if loc else None
    owner = _strip(owner)
    if isinstance(loc[-1], str) and isinstance(owner, type) and issubclass(owner, BaseModel):
        field = owner.model_fields.get(loc[-1])
        return field is not None and field.is_required()
    return True  # a list item or a mapping value: it cannot be dropped without moving the others


def stand_in(hint: Any) -> Any:
    """A value of the type ``hint`` that validates (nested parts get their required keys next round)."""
    from sim.scenario.schema import DISTRIBUTION_TYPES, QUANTITY_TYPES

    for known, kind in QUANTITY_TYPES + DISTRIBUTION_TYPES:
        if hint == known:
            return f"1{kind.base}" if not kind.unitless else 0.5
    hint = _strip(hint)
    origin = typing.get_origin(hint)
    if isinstance(hint, type) and issubclass(hint, BaseModel):
        return {}
    if origin is list:
        return []
    if origin is dict:
        return {}
    if origin is Literal:
        return typing.get_args(hint)[0]
    if origin is typing.Annotated:
        return stand_in(typing.get_args(hint)[0])
    return {str: STAND_IN, int: 1, bool: False, float: 1.0}.get(hint, STAND_IN)


def _container(data: Any, loc: Path_) -> Any:
    node = data
    for step in loc:
        if (
            isinstance(node, dict)
            and step in node
            or isinstance(node, list)
            and isinstance(step, int)
            and 0 <= step < len(node)
        ):
            node = node[step]
        else:
            return None
    return node


def _repair(model: type[BaseModel], data: Any, errors: Sequence[Mapping[str, Any]], bad: set[Path_]) -> bool:
    changed = False
    for err in errors:
        loc = error_loc(err)
        bad.add(loc)
        if not loc:
            return False
        parent, key = _container(data, loc[:-1]), loc[-1]
        if isinstance(parent, dict) and err["type"] == "extra_forbidden":
            value = parent.pop(key, None)
            new = RENAMED.get(str(key))
            if new and new not in parent and hint_at(model, loc[:-1] + (new,)) is not None:
                parent[new] = value
            changed = True
            continue
        if isinstance(parent, dict) and key in parent and not _is_required(model, loc):
            del parent[key]
            changed = True
            continue
        hint = hint_at(model, loc)
        if hint is None or not isinstance(parent, (dict, list)):
            return False
        value = stand_in(hint)
        if isinstance(parent, list):
            if not (isinstance(key, int) and 0 <= key < len(parent)):
                return False
            parent[key] = value
        else:
            parent[key] = value
        changed = True
    return changed


def salvage(model: type[BaseModel], data: Any, first: ValidationError) -> tuple[BaseModel | None, set[Path_]]:
    """A validated stand-in for ``data`` and the places that were repaired, or (None, places) if it cannot be had."""
    work = copy.deepcopy(data)
    bad: set[Path_] = set()
    err = first
    for _ in range(_ROUNDS):
        if not _repair(model, work, err.errors(include_url=False), bad):
            return None, bad
        try:
            return model.model_validate(work), bad
        except ValidationError as exc:
            err = exc
    return None, bad


def keep(path: Path_, message: str, bad: set[Path_]) -> bool:
    """Whether a later check's problem is about a place that was not repaired (so it is a real one)."""
    if STAND_IN in message:
        return False
    path = tuple(path)
    return not any(b[: len(path)] == path or path[: len(b)] == b for b in bad)
