"""What bad input looks like to the user: ``FILE:LINE:COL: path: message``, one line per problem.

``Marks`` remembers where every value of a document came from so that a problem found later (by
pydantic, by a cross-reference check, by a physical limit) can still point at its line.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

Path_ = tuple[Any, ...]


def printable(text: str) -> str:
    """Text safe to print on any terminal: lone surrogates and control bytes written as escapes."""
    text = text.encode("utf-8", "backslashreplace").decode("utf-8")
    return "".join(ch if ch >= " " and ch != "\x7f" else f"\\x{ord(ch):02x}" for ch in text)


@dataclass(frozen=True)
class Problem:
    """One thing wrong with the input, where it is, and what to do about it."""

    source: str
    line: int | None
    col: int | None
    path: str
    message: str
    warning: bool = False

    def __str__(self) -> str:
        where = printable(self.source) if self.line is None else f"{printable(self.source)}:{self.line}:{self.col}"
        message = ("warning: " if self.warning else "") + printable(self.message)
        return f"{where}: {printable(self.path)}: {message}" if self.path else f"{where}: {message}"


class ScenarioError(Exception):
    """Bad input: one or more problems, each printed on its own line."""

    def __init__(self, problems: list[Problem]):
        super().__init__("\n".join(map(str, problems)))
        self.problems = problems


def dotted(path: Path_) -> str:
    return ".".join(str(p) for p in path)


class Marks:
    """Where each value of a document came from: ``path tuple -> (line, col)`` in ``source``."""

    def __init__(self, source: str):
        self.source = source
        self.at: dict[Path_, tuple[int, int]] = {}
        self.key_at: dict[Path_, tuple[int, int]] = {}
        self.overridden: dict[Path_, str] = {}
        self.problems: list[Problem] = []

    def problem(self, path: Path_, message: str, on_key: bool = False, warning: bool = False) -> Problem:
        """A problem at ``path``, placed at the nearest value (or key) the document has."""
        probe = tuple(path)
        while True:
            table = self.key_at if on_key and probe in self.key_at else self.at
            if probe in table:
                line, col = table[probe]
                return Problem(self.source, line, col, dotted(path), message, warning)
            if not probe:
                return Problem(self.source, None, None, dotted(path), message, warning)
            probe = probe[:-1]

    def place(self, loc: Path_, message: str, on_key: bool = False, warning: bool = False) -> Problem:
        """Like ``problem``, but a value given by ``--set`` is blamed on that flag, not on the file.

        A problem about a whole part (a threat) that a flag changed inside is the flag's too: the
        file was fine until the flag changed it.
        """
        loc = tuple(loc)
        for n in range(len(loc), -1, -1):
            if loc[:n] in self.overridden:
                return Problem(self.overridden[loc[:n]], None, None, dotted(loc), message, warning)
        inside = [flag for path, flag in self.overridden.items() if path[: len(loc)] == loc]
        if inside:
            return Problem(inside[-1], None, None, dotted(loc), message, warning)
        return self.problem(loc, message, on_key=on_key, warning=warning)


def in_order(problems: list[Problem]) -> list[Problem]:
    """File problems in line order first, then the flags' problems."""
    return sorted(problems, key=lambda p: (p.source.startswith("--"), p.source, p.line or 0, p.col or 0))
