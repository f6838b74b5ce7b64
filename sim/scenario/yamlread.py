"""Safe YAML in, plain data and the line of every value out; every parser complaint in plain words.

The YAML is composed with a SafeLoader subclass that resolves scalars by the YAML 1.2 core schema
(``no`` stays the string "no", ``1:30`` stays "1:30" instead of 90), then walked by hand so that
every value keeps the line and column it came from, duplicate keys are refused (naming both
lines), tags are refused, nesting depth and alias expansion are capped (no "billion laughs", no
recursion error), and an alias inside its own anchor is refused. Nothing here can run code or
touch a file other than the one it reads.
"""

from __future__ import annotations

import fcntl
import os
import re
import stat
from pathlib import Path
from typing import Any

import yaml

from sim.scenario.problems import Marks, Path_, Problem, ScenarioError, dotted

MAX_FILE_BYTES = 1_000_000
MAX_NODES = 200_000
MAX_DEPTH = 64  # a scenario nests about 6 deep; the parser itself recurses and fails near 300


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


def _mark(node) -> tuple[int, int]:
    return node.start_mark.line + 1, node.start_mark.column + 1


class _Walker:
    """Turns a composed node tree into plain data, recording marks and refusing what is unsafe."""

    def __init__(self, loader: _CoreLoader, marks: Marks):
        self.loader, self.marks, self.count = loader, marks, 0
        self.problems: list[Problem] = []
        self.open: set[int] = set()  # nodes being walked: an alias to one of them is a loop

    def _stop(self, node, path: Path_, message: str) -> ScenarioError:
        line, col = _mark(node)
        return ScenarioError([Problem(self.marks.source, line, col, dotted(path), message)])

    def _enter(self, node, path: Path_) -> None:
        self.count += 1
        if self.count > MAX_NODES:
            raise ScenarioError(
                [self.marks.problem(path, f"document expands to more than {MAX_NODES} values (alias bomb?)")]
            )
        if len(path) > MAX_DEPTH:
            raise self._stop(node, path, f"nested more than {MAX_DEPTH} levels deep; a scenario needs about 6")
        if id(node) in self.open:
            raise self._stop(node, path, "an alias inside its own anchor (&name ... *name) makes an endless value")

    def value(self, node, path: Path_):
        self._enter(node, path)
        self.marks.at.setdefault(path, _mark(node))
        if node.tag not in _PLAIN_TAGS:
            raise self._stop(node, path, f"YAML tag {node.tag} is not allowed in a scenario")
        if isinstance(node, yaml.MappingNode):
            return self.mapping(node, path)
        if isinstance(node, yaml.SequenceNode):
            self.open.add(id(node))
            try:
                return [self.value(item, path + (i,)) for i, item in enumerate(node.value)]
            finally:
                self.open.discard(id(node))
        return self.loader.construct_object(node, deep=True)

    def mapping(self, node, path: Path_) -> dict:
        self._enter(node, path)
        self.open.add(id(node))
        try:
            return self._mapping(node, path)
        finally:
            self.open.discard(id(node))

    def _mapping(self, node, path: Path_) -> dict:
        out: dict = {}
        seen: dict = {}
        merged: dict = {}
        for key_node, value_node in node.value:
            if key_node.tag == "tag:yaml.org,2002:merge":
                sources = value_node.value if isinstance(value_node, yaml.SequenceNode) else [value_node]
                for src in sources:
                    if not isinstance(src, yaml.MappingNode):
                        raise self._stop(src, path, "'<<' merges mappings only")
                    for k, v in self.mapping(src, path).items():
                        merged.setdefault(k, v)
                continue
            if not isinstance(key_node, yaml.ScalarNode) or key_node.tag not in _PLAIN_TAGS:
                raise self._stop(key_node, path, "mapping keys must be plain words")
            key = self.loader.construct_object(key_node)
            if key is None:
                line, col = _mark(key_node)
                self.problems.append(
                    Problem(
                        self.marks.source,
                        line,
                        col,
                        dotted(path),
                        "a key is empty or null; write a word before the ':' (quote it if it is 'null')",
                    )
                )
                continue
            key = str(key).lower() if isinstance(key, bool) else key if isinstance(key, str) else str(key)
            if key in seen:
                line, col = _mark(key_node)
                self.problems.append(
                    Problem(
                        self.marks.source,
                        line,
                        col,
                        dotted(path + (key,)),
                        f"duplicate key '{key}' (first given on line {seen[key]})",
                    )
                )
                continue
            seen[key] = key_node.start_mark.line + 1
            self.marks.key_at[path + (key,)] = _mark(key_node)
            out[key] = self.value(value_node, path + (key,))
        for k, v in merged.items():
            out.setdefault(k, v)
        return out


# ---------------------------------------------------------------- parser messages in plain words

_PLAIN_PARSER = [
    ("found character '\\t' that cannot start any token", "a tab character: indent with spaces, never tabs"),
    (
        "mapping values are not allowed here",
        "a ':' where none can be: is this line indented like the lines above, and does a value with ': ' in it need quotes?",
    ),
    (
        "expected <block end>, but found '<block mapping start>'",
        "this line is indented deeper than the key above it allows; line it up with its neighbours",
    ),
    (
        "expected <block end>, but found '?'",
        "a key where a list item ('- ...') was expected, or the other way round: check the indentation",
    ),
    ("expected <block end>, but found '-'", "a list item ('- ...') where a key was expected: check the indentation"),
    (
        "expected <block end>, but found '<scalar>'",
        "a line that is neither a key nor a list item: check the indentation",
    ),
    ("could not find expected ':'", "a line without 'key: value' (or a value continued on a line indented too little)"),
    ("found unexpected end of stream", "a quote is opened and never closed"),
    ("but found another document", "more than one document ('---'): a scenario file holds exactly one"),
    ("found duplicate anchor", "the same &anchor is defined twice"),
    ("found undefined alias", "an alias (*name) with no &name anchor before it"),
    ("expected ',' or ']'", "a '[' list that is not closed with ']'"),
    ("expected ',' or '}'", "a '{' mapping that is not closed with '}'"),
    (
        "found unknown escape character",
        "an unknown backslash escape inside double quotes; use single quotes for plain text",
    ),
    ("that cannot start any token", "a character that cannot start a value here; put the value in quotes"),
]


def plain_parser_message(context: str | None, problem: str | None) -> str:
    raw = " ".join(filter(None, [context, problem])) or "invalid YAML"
    for needle, plain in _PLAIN_PARSER:
        if needle in raw:
            return plain
    return f"not valid YAML ({raw})"


def _line_col(text: str, position: int) -> tuple[int, int]:
    line = text.count("\n", 0, position) + 1
    return line, position - (text.rfind("\n", 0, position) + 1) + 1


def _bad_characters(text: str, source: str) -> list[Problem]:
    """Control bytes and lone surrogates, each at its line and column (the YAML reader stops at the first)."""
    problems = []
    for m in re.finditer(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x84\x86-\x9f\ud800-\udfff\ufffe\uffff]", text):
        line, col = _line_col(text, m.start())
        code = ord(m.group())
        what = "a lone surrogate" if 0xD800 <= code <= 0xDFFF else "a control character"
        problems.append(Problem(source, line, col, "yaml", f"{what} (U+{code:04X}) is not allowed; delete it"))
        if len(problems) >= 20:
            break
    return problems


def _check_depth(text: str, source: str) -> None:
    """Refuse deep nesting before the (recursive) composer sees it: events come one at a time."""
    loader = _CoreLoader(text)
    depth = 0
    try:
        while loader.check_event():
            event = loader.get_event()
            if isinstance(event, (yaml.MappingStartEvent, yaml.SequenceStartEvent)):
                depth += 1
                if depth > MAX_DEPTH:
                    mark = event.start_mark
                    assert mark is not None  # the reader marks every event it makes
                    line, col = mark.line + 1, mark.column + 1
                    raise ScenarioError(
                        [
                            Problem(
                                source,
                                line,
                                col,
                                "yaml",
                                f"nested more than {MAX_DEPTH} levels deep; a scenario needs about 6",
                            )
                        ]
                    )
            elif isinstance(event, (yaml.MappingEndEvent, yaml.SequenceEndEvent)):
                depth -= 1
    finally:
        loader.dispose()


def parse_yaml(text: str, source: str) -> tuple[Any, Marks]:
    """Parse one YAML document into plain data and its marks; syntax problems become ScenarioError.

    Duplicate keys and null keys do not stop the reading: they are kept in ``marks.problems`` (the
    first value wins) so that the caller can report them together with every other problem.
    """
    marks = Marks(source)
    if len(text.encode("utf-8", "surrogatepass")) > MAX_FILE_BYTES:
        raise ScenarioError(
            [
                Problem(
                    source,
                    None,
                    None,
                    "",
                    f"file is larger than {MAX_FILE_BYTES // 1000} kB; a scenario is a page or two of YAML",
                )
            ]
        )
    bad = _bad_characters(text, source)
    if bad:
        raise ScenarioError(bad)
    loader = None
    try:
        _check_depth(text, source)
        loader = _CoreLoader(text)
        node = loader.get_single_node()
        if node is None:
            return None, marks
        walker = _Walker(loader, marks)
        data = walker.value(node, ())
        marks.problems.extend(walker.problems)
        return data, marks
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line, col = (mark.line + 1, mark.column + 1) if mark else (None, None)
        raise ScenarioError(
            [Problem(source, line, col, "yaml", plain_parser_message(exc.context, exc.problem))]
        ) from None
    except yaml.reader.ReaderError as exc:
        line, col = _line_col(text, exc.position)
        raise ScenarioError(
            [Problem(source, line, col, "yaml", f"character U+{exc.character:04X} is not allowed; delete it")]
        ) from None
    except yaml.YAMLError as exc:
        raise ScenarioError(
            [Problem(source, None, None, "yaml", f"not valid YAML ({str(exc).splitlines()[0]})")]
        ) from None
    except RecursionError:
        raise ScenarioError(
            [Problem(source, None, None, "yaml", "nested too deeply to read; a scenario needs about 6 levels")]
        ) from None
    finally:
        if loader is not None:
            loader.dispose()


def read_text(path: str | Path) -> str:
    """The file's text: at most MAX_FILE_BYTES, UTF-8 (a leading BOM is dropped), never blocking on a pipe."""
    p = Path(path)
    try:
        # O_NONBLOCK: a named pipe with no writer would block open() forever; reading is blocking again after.
        fd = os.open(p, os.O_RDONLY | os.O_NONBLOCK)
        try:
            flags = fcntl.fcntl(fd, fcntl.F_GETFL)
            fcntl.fcntl(fd, fcntl.F_SETFL, flags & ~os.O_NONBLOCK)
            info = os.fstat(fd)
            if stat.S_ISDIR(info.st_mode):
                raise IsADirectoryError
            with os.fdopen(fd, "rb", closefd=False) as f:  # read at most the cap: st_size lies for /dev/zero and pipes
                data = f.read(MAX_FILE_BYTES + 1)
        finally:
            os.close(fd)
        if len(data) > MAX_FILE_BYTES:
            raise ScenarioError(
                [Problem(str(path), None, None, "", f"file is larger than {MAX_FILE_BYTES // 1000} kB")]
            )
        if not data and stat.S_ISFIFO(info.st_mode):
            raise ScenarioError(
                [Problem(str(path), None, None, "", "is a pipe with nothing written to it, not a scenario file")]
            )
        return data.decode("utf-8").removeprefix("\ufeff")
    except FileNotFoundError:
        raise ScenarioError([Problem(str(path), None, None, "", "no such file")]) from None
    except IsADirectoryError:
        raise ScenarioError([Problem(str(path), None, None, "", "is a directory, not a scenario file")]) from None
    except UnicodeDecodeError as exc:
        raise ScenarioError([Problem(str(path), None, None, "", f"not UTF-8 text ({exc.reason})")]) from None
    except OSError as exc:
        raise ScenarioError([Problem(str(path), None, None, "", exc.strerror or str(exc))]) from None
