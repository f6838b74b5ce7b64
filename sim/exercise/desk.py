"""What a session and its players pass across the desk: the prompts it opens, the decisions taken, the feed
lines each post is shown and everything a post's screen shows (:class:`View`); and the error of a call the
session cannot honour. Plain frozen values: a front end may keep them, send them, or log them.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from sim.exercise.fog import Line, Picture


class ExerciseError(ValueError):
    """A call the session cannot honour (an unknown prompt, an answer not offered, an inject it cannot do)."""


@dataclass(frozen=True)
class Prompt:
    """An open decision at a player's post. ``expected`` is the impact time as the post's track estimates it
    (NaN when unknown); the true deadline stays inside the session."""

    id: int
    kind: str  # engage | alert
    post: str
    subject: str  # the threat's name, or the alert level
    options: tuple[str, ...]
    opened: float  # simulated seconds
    opened_wall: float  # the session's wall seconds when it opened
    expected: float = math.nan


@dataclass(frozen=True)
class Decision:
    """An answer: by whom (player, script, late), the simulated and real time it took."""

    prompt: int
    kind: str
    post: str
    subject: str
    answer: str
    by: str
    opened: float
    answered: float
    wall_s: float  # real seconds from the prompt to the answer
    at_wall: float  # when (seconds since the epoch)

    @property
    def sim_s(self) -> float:
        return self.answered - self.opened


@dataclass(frozen=True)
class FeedItem:
    """One line of one post's feed, numbered in the session's order (``seq``) for polling."""

    seq: int
    post: str
    line: Line


@dataclass(frozen=True)
class View:
    """Everything a post's screen shows."""

    post: str
    now: float
    paused: bool
    finished: bool
    feed: list[Line]
    prompts: list[Prompt]
    picture: Picture
