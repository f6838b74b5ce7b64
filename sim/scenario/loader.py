"""Safe YAML in, a validated Scenario out, and every problem as ``FILE:LINE:COL: path: message``.

The YAML is composed with a SafeLoader subclass that resolves scalars by the YAML 1.2 core schema
(``no`` stays the string "no", ``1:30`` stays "1:30" instead of 90), then walked by hand so that
every value keeps the line and column it came from, duplicate keys are refused (naming both
lines), tags are refused, and alias expansion is capped (no "billion laughs"). Nothing here can
run code or touch a file other than the one it reads.
"""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml
from pydantic import BaseModel, ValidationError

MAX_FILE_BYTES = 1_000_000
MAX_NODES = 200_000

Path_ = tuple[Any, ...]


@dataclass(frozen=True)
class Problem:
    """One thing wrong with the input, where it is, and what to do about it."""

    source: str
    line: int | None
    col: int | None
    path: str
    message: str

    def __str__(self) -> str:
        where = self.source if self.line is None else f"{self.source}:{self.line}:{self.col}"
        return f"{where}: {self.path}: {self.message}" if self.path else f"{where}: {self.message}"


class ScenarioError(Exception):
    """Bad input: one or more problems, each printed on its own line."""

    def __init__(self, problems: list[Problem]):
        super().__init__("\n".join(map(str, problems)))
        self.problems = problems


class _CoreLoader(yaml.SafeLoader):
    """SafeLoader with YAML 1.2 core-schema resolvers instead of YAML 1.1's surprises."""


_CoreLoader.yaml_implicit_resolvers = {}
for _tag, _regexp, _first in [
    ("tag:yaml.org,2002:bool", r"^(?:true|True|TRUE|false|False|FALSE)$", "tTfF"),
    ("tag:yaml.org,2002:int", r"^(?:[-+]?[0-9]+|0o[0-7]+|0x[0-9a-fA-F]+)$", "-+0123456789"),
    (
        "tag:yaml.org,2002:float",
        r"^(?:[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)(?:[eE][-+]?[0-9]+)?|[-+]?\.(?:inf|Inf|INF)|\.(?:nan|NaN|NAN))$",
        "-+0123456789.",
    ),
    ("tag:yaml.org,2002:null", r"^(?:~|null|Null|NULL|)$", ["~", "n", "N", ""]),
    ("tag:yaml.org,2002:merge", r"^(?:<<)$", "<"),
]:
    _CoreLoader.add_implicit_resolver(_tag, re.compile(_regexp), list(_first))

def _construct_int(loader, node) -> int:
    """YAML 1.2 integers: 010 is ten (YAML 1.1 read it as octal 8)."""
    text = loader.construct_scalar(node).replace("_", "")
    if text.startswith(("0o", "0O")):
        return int(text[2:], 8)
    if text.startswith(("0x", "0X")):
        return int(text[2:], 16)
    return int(text, 10)


_CoreLoader.add_constructor("tag:yaml.org,2002:int", _construct_int)

_PLAIN_TAGS = {
    "tag:yaml.org,2002:str",
    "tag:yaml.org,2002:int",
    "tag:yaml.org,2002:float",
    "tag:yaml.org,2002:bool",
    "tag:yaml.org,2002:null",
    "tag:yaml.org,2002:seq",
    "tag:yaml.org,2002:map",
    "tag:yaml.org,2002:merge",
}


class Marks:
    """Where each value of a document came from: ``path tuple -> (source, line, col)``."""

    def __init__(self, source: str):
        self.source = source
        self.at: dict[Path_, tuple[int, int]] = {}
        self.key_at: dict[Path_, tuple[int, int]] = {}
        self.overridden: dict[Path_, str] = {}
        self.problems: list[Problem] = []

    def problem(self, path: Path_, message: str, on_key: bool = False) -> Problem:
        """A problem at ``path``, placed at the nearest value (or key) the document has."""
        probe = tuple(path)
        while True:
            table = self.key_at if on_key and probe in self.key_at else self.at
            if probe in table:
                line, col = table[probe]
                return Problem(self.source, line, col, dotted(path), message)
            if not probe:
                return Problem(self.source, None, None, dotted(path), message)
            probe = probe[:-1]


def dotted(path: Path_) -> str:
    return ".".join(str(p) for p in path)


def _mark(node) -> tuple[int, int]:
    return node.start_mark.line + 1, node.start_mark.column + 1


class _Walker:
    """Turns a composed node tree into plain data, recording marks and refusing what is unsafe."""

    def __init__(self, loader: _CoreLoader, marks: Marks):
        self.loader, self.marks, self.count = loader, marks, 0
        self.problems: list[Problem] = []

    def value(self, node, path: Path_):
        self.count += 1
        if self.count > MAX_NODES:
            raise ScenarioError([self.marks.problem(path, f"document expands to more than {MAX_NODES} values (alias bomb?)")])
        self.marks.at.setdefault(path, _mark(node))
        if node.tag not in _PLAIN_TAGS:
            line, col = _mark(node)
            raise ScenarioError([Problem(self.marks.source, line, col, dotted(path), f"YAML tag {node.tag} is not allowed in a scenario")])
        if isinstance(node, yaml.MappingNode):
            return self.mapping(node, path)
        if isinstance(node, yaml.SequenceNode):
            return [self.value(item, path + (i,)) for i, item in enumerate(node.value)]
        return self.loader.construct_object(node, deep=True)

    def mapping(self, node, path: Path_) -> dict:
        self.count += 1
        if self.count > MAX_NODES:
            raise ScenarioError([self.marks.problem(path, f"document expands to more than {MAX_NODES} values (alias bomb?)")])
        out: dict = {}
        seen: dict = {}
        merged: dict = {}
        for key_node, value_node in node.value:
            if key_node.tag == "tag:yaml.org,2002:merge":
                sources = value_node.value if isinstance(value_node, yaml.SequenceNode) else [value_node]
                for src in sources:
                    if not isinstance(src, yaml.MappingNode):
                        line, col = _mark(src)
                        raise ScenarioError([Problem(self.marks.source, line, col, dotted(path), "'<<' merges mappings only")])
                    for k, v in self.mapping(src, path).items():
                        merged.setdefault(k, v)
                continue
            if not isinstance(key_node, yaml.ScalarNode):
                line, col = _mark(key_node)
                raise ScenarioError([Problem(self.marks.source, line, col, dotted(path), "mapping keys must be plain words")])
            key = self.loader.construct_object(key_node)
            key = str(key).lower() if isinstance(key, bool) else key
            if key in seen:
                line, col = _mark(key_node)
                self.problems.append(
                    Problem(self.marks.source, line, col, dotted(path + (key,)), f"duplicate key '{key}' (first given on line {seen[key]})")
                )
                continue
            seen[key] = key_node.start_mark.line + 1
            self.marks.key_at[path + (key,)] = _mark(key_node)
            out[key] = self.value(value_node, path + (key,))
        for k, v in merged.items():
            out.setdefault(k, v)
        return out


def parse_yaml(text: str, source: str) -> tuple[Any, Marks]:
    """Parse one YAML document into plain data and its marks; syntax problems become ScenarioError.

    Duplicate keys do not stop the reading: they are kept in ``marks.problems`` (the first value
    wins) so that the caller can report them together with every other problem.
    """
    marks = Marks(source)
    if len(text.encode("utf-8", "surrogatepass")) > MAX_FILE_BYTES:
        raise ScenarioError([Problem(source, None, None, "", f"file is larger than {MAX_FILE_BYTES // 1000} kB; a scenario is a page or two of YAML")])
    loader = _CoreLoader(text)
    try:
        node = loader.get_single_node()
        if node is None:
            return None, marks
        walker = _Walker(loader, marks)
        data = walker.value(node, ())
        marks.problems.extend(walker.problems)
        return data, marks
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        msg = " ".join(filter(None, [exc.context, exc.problem])) or "invalid YAML"
        line, col = (mark.line + 1, mark.column + 1) if mark else (None, None)
        raise ScenarioError([Problem(source, line, col, "yaml", msg)]) from None
    except yaml.YAMLError as exc:
        raise ScenarioError([Problem(source, None, None, "yaml", str(exc).splitlines()[0])]) from None
    finally:
        loader.dispose()


# ---------------------------------------------------------------- overrides


@dataclass(frozen=True)
class Override:
    """One ``--set PATH=VALUE``: the dotted path of the YAML and a YAML value."""

    text: str
    path: Path_
    value: Any


def parse_override(text: str) -> Override:
    flag = f"--set {text}"
    if "=" not in text:
        raise ScenarioError([Problem(flag, None, None, "", "expected PATH=VALUE, e.g. --set runs=500")])
    raw_path, _, raw_value = text.partition("=")
    raw_path = raw_path.strip()
    if not raw_path or any(not p for p in raw_path.split(".")):
        raise ScenarioError([Problem(flag, None, None, "", "expected a dotted path such as threats.0.launch.at")])
    path = tuple(int(p) if p.isdigit() else p for p in raw_path.split("."))
    value, marks = parse_yaml(raw_value, flag)
    if marks.problems:
        raise ScenarioError(marks.problems)
    return Override(text, path, value)


def apply_override(data: dict, marks: Marks, ov: Override) -> None:
    """Put the override's value into the document; marks at that path now point at the flag."""
    flag = f"--set {ov.text}"
    node: Any = data
    for depth, step in enumerate(ov.path[:-1]):
        nxt = _child(node, step)
        if nxt is _MISSING and isinstance(node, dict) and isinstance(step, str):
            # a part the file leaves to its defaults: create it; validation names any typo
            nxt = node[step] = {}
            marks.overridden[ov.path[: depth + 1]] = flag
        if nxt is _MISSING:
            raise ScenarioError([Problem(flag, None, None, dotted(ov.path), f"no such place in the scenario: '{dotted(ov.path[: depth + 1])}'{_hint(node, step)}")])
        node = nxt
    last = ov.path[-1]
    if isinstance(node, list):
        if not isinstance(last, int) or last > len(node):
            raise ScenarioError([Problem(flag, None, None, dotted(ov.path), f"index {last} is outside the list (it has {len(node)} item{'s' if len(node) != 1 else ''})")])
        if last == len(node):
            node.append(ov.value)
        else:
            node[last] = ov.value
    elif isinstance(node, dict):
        node[last] = ov.value
    else:
        raise ScenarioError([Problem(flag, None, None, dotted(ov.path), f"'{dotted(ov.path[:-1])}' is a single value, not a mapping")])
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
    problems = []
    for err in exc.errors(include_url=False):
        loc = tuple(p for p in err["loc"] if not (isinstance(p, str) and ("[" in p or p.startswith("function-"))))
        kind, msg = err["type"], err["msg"]
        if kind == "extra_forbidden":
            allowed = _fields_at(model, loc[:-1])
            near = difflib.get_close_matches(str(loc[-1]), allowed, n=1)
            msg = f"unknown key '{loc[-1]}'" + (f" (did you mean '{near[0]}'?)" if near else f"; allowed here: {', '.join(allowed)}")
        elif kind == "missing":
            msg = "required key is missing"
        elif kind == "value_error":
            msg = msg.removeprefix("Value error, ")
        elif kind in _PLAIN_MESSAGES:
            msg = _PLAIN_MESSAGES[kind]
        problems.append(_place(marks, loc, msg, on_key=kind == "extra_forbidden"))
    return sorted(problems, key=lambda p: (p.source, p.line or 0, p.col or 0))


_PLAIN_MESSAGES = {
    "bool_type": "expected true or false",
    "list_type": "expected a list",
    "dict_type": "expected a mapping",
    "model_type": "expected a mapping of keys",
    "model_attributes_type": "expected a mapping of keys",
    "int_type": "expected a whole number",
    "string_type": "expected text",
    "float_type": "expected a number",
    "literal_error": None,
}
_PLAIN_MESSAGES = {k: v for k, v in _PLAIN_MESSAGES.items() if v}


def _place(marks: Marks, loc: Path_, msg: str, on_key: bool) -> Problem:
    for n in range(len(loc), -1, -1):
        if loc[:n] in marks.overridden:
            return Problem(marks.overridden[loc[:n]], None, None, dotted(loc), msg)
    return marks.problem(loc, msg, on_key=on_key)


def _fields_at(model: type[BaseModel], loc: Path_) -> list[str]:
    """The keys a mapping at ``loc`` accepts, following the model's nested field types."""
    import typing

    current: Any = model
    for step in loc:
        if isinstance(step, int):
            continue
        if not (isinstance(current, type) and issubclass(current, BaseModel)) or step not in current.model_fields:
            return []
        ann = current.model_fields[step].annotation
        current = _inner_model(ann, typing)
    if isinstance(current, type) and issubclass(current, BaseModel):
        return list(current.model_fields)
    return []


def _inner_model(ann, typing):
    if isinstance(ann, type) and issubclass(ann, BaseModel):
        return ann
    for arg in typing.get_args(ann):
        found = _inner_model(arg, typing)
        if found is not None:
            return found
    return None


def read_text(path: str | Path) -> str:
    p = Path(path)
    try:
        with p.open("rb") as f:   # read at most the cap: st_size lies for /dev/zero and pipes
            data = f.read(MAX_FILE_BYTES + 1)
        if len(data) > MAX_FILE_BYTES:
            raise ScenarioError([Problem(str(path), None, None, "", f"file is larger than {MAX_FILE_BYTES // 1000} kB")])
        return data.decode("utf-8")
    except FileNotFoundError:
        raise ScenarioError([Problem(str(path), None, None, "", "no such file")]) from None
    except IsADirectoryError:
        raise ScenarioError([Problem(str(path), None, None, "", "is a directory, not a scenario file")]) from None
    except UnicodeDecodeError as exc:
        raise ScenarioError([Problem(str(path), None, None, "", f"not UTF-8 text ({exc.reason})")]) from None
    except OSError as exc:
        raise ScenarioError([Problem(str(path), None, None, "", exc.strerror or str(exc))]) from None


# ---------------------------------------------------------------- the entry point


@dataclass(frozen=True)
class LoadedScenario:
    """A validated scenario with what it came from: the file, its hash and the overrides applied."""

    scenario: Any
    file: str
    text: str
    sha256: str
    overrides: dict[str, Any]


def load_scenario(path: str | Path, overrides: list[str] | tuple[str, ...] = ()) -> LoadedScenario:
    """Read, override, validate and cross-check a scenario file; raise ScenarioError listing every problem."""
    import hashlib

    source = str(path)
    text = read_text(path)
    return load_text(text, source, overrides, sha256=hashlib.sha256(text.encode()).hexdigest())


def _in_order(problems: list[Problem]) -> list[Problem]:
    return sorted(problems, key=lambda p: (p.source.startswith("--set"), p.source, p.line or 0, p.col or 0))


def load_text(text: str, source: str, overrides=(), sha256: str = "") -> LoadedScenario:
    import hashlib

    from sim.scenario.model import Scenario
    from sim.scenario.references import check

    data, marks = parse_yaml(text, source)
    if not isinstance(data, dict):
        raise ScenarioError([marks.problem((), "a scenario is a mapping of keys such as name, units, threats")])
    parsed = [parse_override(o) for o in overrides]
    for ov in parsed:
        apply_override(data, marks, ov)
    try:
        scenario = Scenario.model_validate(data)
    except ValidationError as exc:
        raise ScenarioError(_in_order(marks.problems + validation_problems(exc, marks, Scenario))) from None
    problems = marks.problems + [_place(marks, p, m, on_key=False) for p, m in check(scenario)]
    if problems:
        raise ScenarioError(_in_order(problems))
    return LoadedScenario(
        scenario=scenario,
        file=source,
        text=text,
        sha256=sha256 or hashlib.sha256(text.encode()).hexdigest(),
        overrides={dotted(o.path): o.value for o in parsed},
    )
