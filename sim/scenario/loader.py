"""A scenario file in, a validated Scenario out, and every problem as ``FILE:LINE:COL: path: message``.

Reading the YAML safely is ``yamlread``; this module applies ``--set`` overrides, validates with
pydantic, then checks cross-references (``references``) and physical and size limits (``limits``).
Every problem of a file comes out in one pass: when pydantic refuses some values, ``salvage``
stands in for them so the later checks still run on the rest.
"""

from __future__ import annotations

import difflib
import hashlib
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ValidationError

from sim.scenario.problems import Marks, Path_, Problem, ScenarioError, dotted, in_order
from sim.scenario.yamlread import (
    MAX_DEPTH,
    MAX_FILE_BYTES,
    MAX_NODES,
    parse_yaml,
    read_text,
)

__all__ = [
    "MAX_DEPTH",
    "MAX_FILE_BYTES",
    "MAX_NODES",
    "LoadedScenario",
    "Marks",
    "Override",
    "Problem",
    "ScenarioError",
    "apply_override",
    "load_scenario",
    "load_text",
    "parse_override",
    "parse_yaml",
    "read_text",
    "validation_problems",
]


# ---------------------------------------------------------------- overrides


@dataclass(frozen=True)
class Override:
    """One ``--set PATH=VALUE``: the dotted path of the YAML and a YAML value (``flag`` names the option used)."""

    text: str
    path: Path_
    value: Any
    flag: str = "--set"

    @property
    def label(self) -> str:
        return f"{self.flag} {self.text}"


def parse_override(text: str, flag: str = "--set") -> Override:
    label = f"{flag} {text}"
    if "=" not in text:
        raise ScenarioError([Problem(label, None, None, "", f"expected PATH=VALUE, e.g. {flag} runs=500")])
    raw_path, _, raw_value = text.partition("=")
    raw_path = raw_path.strip()
    if not raw_path or any(not p for p in raw_path.split(".")):
        raise ScenarioError([Problem(label, None, None, "", "expected a dotted path such as threats.0.launch.at")])
    path = tuple(int(p) if p.isascii() and p.isdigit() else p for p in raw_path.split("."))
    value, marks = parse_yaml(raw_value, label)
    if marks.problems:
        raise ScenarioError(marks.problems)
    return Override(text, path, value, flag)


def apply_override(data: dict, marks: Marks, ov: Override) -> None:
    """Put the override's value into the document; marks at that path now point at the flag."""
    flag = ov.label
    node: Any = data
    for depth, step in enumerate(ov.path[:-1]):
        nxt = _child(node, step)
        if nxt is _MISSING and isinstance(node, dict) and isinstance(step, str):
            # a part the file leaves to its defaults: create it; validation names any typo
            nxt = node[step] = {}
            marks.overridden[ov.path[: depth + 1]] = flag
        if nxt is _MISSING:
            raise ScenarioError(
                [
                    Problem(
                        flag,
                        None,
                        None,
                        dotted(ov.path),
                        f"no such place in the scenario: '{dotted(ov.path[: depth + 1])}'{_hint(node, step)}",
                    )
                ]
            )
        node = nxt
    last = ov.path[-1]
    if isinstance(node, list):
        if not isinstance(last, int) or last > len(node):
            raise ScenarioError(
                [
                    Problem(
                        flag,
                        None,
                        None,
                        dotted(ov.path),
                        f"index {last} is outside the list (it has {len(node)} item{'s' if len(node) != 1 else ''})",
                    )
                ]
            )
        if last == len(node):
            node.append(ov.value)
        else:
            node[last] = ov.value
    elif isinstance(node, dict):
        node[last] = ov.value
    else:
        raise ScenarioError(
            [Problem(flag, None, None, dotted(ov.path), f"'{dotted(ov.path[:-1])}' is a single value, not a mapping")]
        )
    for table in (marks.at, marks.key_at):
        for p in [p for p in table if p[: len(ov.path)] == ov.path]:
            del table[p]
    marks.overridden[ov.path] = flag


_MISSING = object()


def _child(node, step):
    if isinstance(node, dict):
        return node.get(step, _MISSING)
    if isinstance(node, list) and isinstance(step, int) and step < len(node):
        return node[step]
    return _MISSING


def _hint(node, step) -> str:
    if isinstance(node, dict):
        near = difflib.get_close_matches(str(step), [str(k) for k in node], n=1)
        if near:
            return f" (did you mean '{near[0]}'?)"
    return ""


# ---------------------------------------------------------------- validation


def validation_problems(exc: ValidationError, marks: Marks, model: type[BaseModel]) -> list[Problem]:
    """Pydantic's errors, each placed at the line it concerns, with 'did you mean' for unknown keys."""
    from sim.scenario.salvage import RENAMED, error_loc

    problems = []
    for err in exc.errors(include_url=False):
        loc = error_loc(err)
        kind, msg = err["type"], err["msg"]
        if kind == "extra_forbidden":
            allowed = _fields_at(model, loc[:-1])
            new = RENAMED.get(str(loc[-1]))
            near = difflib.get_close_matches(str(loc[-1]), allowed, n=1)
            if new in allowed and loc[-1] == "on":
                msg = f"'on' is now called '{new}' (YAML 1.1 tools read a bare on: as true); write {new}: instead"
            elif new in allowed:
                msg = f"unknown key 'true': a YAML 1.1 tool turned '{new}'s old name 'on:' into 'true:'; write {new}: instead"
            else:
                msg = f"unknown key '{loc[-1]}'" + (
                    f" (did you mean '{near[0]}'?)" if near else f"; allowed here: {', '.join(allowed)}"
                )
        elif kind == "missing":
            msg = "required key is missing"
        elif kind == "value_error":
            msg = msg.removeprefix("Value error, ")
        elif kind in ("less_than_equal", "greater_than_equal", "less_than", "greater_than"):
            bound = next(iter(err.get("ctx", {}).values()), None)
            word = {
                "less_than_equal": "at most",
                "greater_than_equal": "at least",
                "less_than": "below",
                "greater_than": "above",
            }[kind]
            msg = f"must be {word} {bound} (got {err.get('input')!r})"
        elif kind in ("string_too_short", "string_pattern_mismatch"):
            msg = "a name must be a non-empty word without spaces at either end or control characters"
        elif kind in ("too_short", "too_long"):
            msg = msg.replace("List should have", "the list needs").replace("List", "the list")
        elif kind in _PLAIN_MESSAGES:
            msg = _PLAIN_MESSAGES[kind]
        else:  # pydantic's own words, in the voice of the others: 'must be ...'
            msg = msg.replace("Input should be", "must be").replace("Input should", "must")
        problems.append(marks.place(loc, msg, on_key=kind == "extra_forbidden"))
    return problems


_PLAIN_MESSAGES = {
    "bool_type": "expected true or false",
    "list_type": "expected a list",
    "dict_type": "expected a mapping",
    "model_type": "expected a mapping of keys",
    "model_attributes_type": "expected a mapping of keys",
    "int_type": "expected a whole number",
    "string_type": "expected text",
    "float_type": "expected a number",
}


def _fields_at(model: type[BaseModel], loc: Path_) -> list[str]:
    """The keys a mapping at ``loc`` accepts, following the model's nested field types."""
    from sim.scenario.salvage import _strip, hint_at

    current = _strip(hint_at(model, loc))
    if isinstance(current, type) and issubclass(current, BaseModel):
        return list(current.model_fields)
    return []


# ---------------------------------------------------------------- the entry point


@dataclass(frozen=True)
class LoadedScenario:
    """A validated scenario with what it came from: the file, its hash, the overrides applied, and its warnings."""

    scenario: Any
    file: str
    text: str
    sha256: str
    overrides: dict[str, Any]
    warnings: tuple[Problem, ...] = ()


def load_scenario(path: str | Path, overrides: list[str] | tuple[str, ...] = (), flag: str = "--set") -> LoadedScenario:
    """Read, override, validate and cross-check a scenario file; raise ScenarioError listing every problem."""
    text = read_text(path)
    return load_text(text, str(path), overrides, flag=flag)


def _sha256(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest()


def _overrides(texts, flag: str) -> list:
    parsed, problems = [], []
    for o in texts:
        try:
            parsed.append(parse_override(o, flag))
        except ScenarioError as exc:
            problems.extend(exc.problems)
    if problems:
        raise ScenarioError(problems)
    return parsed


def load_text(text: str, source: str, overrides=(), sha256: str = "", flag: str = "--set") -> LoadedScenario:
    """Like ``load_scenario`` for text already read; ``flag`` labels the overrides' problems (``--set-b``)."""
    from sim.scenario.model import Scenario

    data, marks = parse_yaml(text, source)
    if not isinstance(data, dict):
        raise ScenarioError([marks.problem((), "a scenario is a mapping of keys such as name, units, threats")])
    parsed = _overrides(overrides, flag)
    for ov in parsed:
        apply_override(data, marks, ov)
    problems = list(marks.problems)
    repaired: set[tuple[str | int, ...]] = set()
    scenario: Scenario | None
    try:
        scenario = Scenario.model_validate(data)
    except ValidationError as exc:
        from sim.scenario.salvage import salvage

        problems += validation_problems(exc, marks, Scenario)
        salvaged, repaired = salvage(Scenario, data, exc)
        scenario = salvaged if isinstance(salvaged, Scenario) else None
    warnings: tuple[Problem, ...] = ()
    if scenario is not None:
        problems += _later_checks(scenario, marks, repaired)
        if not problems:
            from sim.scenario.advice import advice

            warnings = tuple(marks.place(p, m, warning=True) for p, m in advice(scenario))
    if problems:
        raise ScenarioError(in_order(problems))
    return LoadedScenario(
        scenario=scenario,
        file=source,
        text=text,
        sha256=sha256 or _sha256(text),
        overrides={dotted(o.path): o.value for o in parsed},
        warnings=tuple(in_order(list(warnings))),
    )


def _later_checks(scenario, marks: Marks, repaired: set) -> list[Problem]:
    """Cross-references and physical limits, keeping only what is not about a repaired place."""
    from sim.scenario.crossrefs import check
    from sim.scenario.injects import inject_problems
    from sim.scenario.limits import physical_problems
    from sim.scenario.salvage import keep
    from sim.scenario.uncertainty import uncertainty_problems

    issues = check(scenario) + physical_problems(scenario) + uncertainty_problems(scenario) + inject_problems(scenario)
    renamed_a_name = any(loc and loc[-1] == "name" for loc in repaired)
    kept = [(p, m) for p, m in issues if keep(p, m, repaired) and not (renamed_a_name and m.startswith("unknown "))]
    seen, out = set(), []
    for p, m in kept:
        problem = marks.place(p, m)
        if str(problem) not in seen:
            seen.add(str(problem))
            out.append(problem)
    return out
