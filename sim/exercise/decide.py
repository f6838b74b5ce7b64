"""A person at a post: the decider that asks the players (``sim.engine.deciders`` is the seam).

At the players' posts a decision point opens a prompt on the session's desk and waits, in simulated
time, for the answer (or for the missile to land). Every other post decides as the model's crew.
The simulated time the answer took is the real time times the session's pace.
"""

from __future__ import annotations

import math
from collections.abc import Generator
from typing import TYPE_CHECKING, Any, Protocol

import simpy

from sim.engine.deciders import ENGAGE, HOLD, ISSUE, LATE, PASS_UP, WITHHOLD, ModelDecider, model_alert_wait

if TYPE_CHECKING:
    from sim.engine.replication import Replication
    from sim.scenario.model import AlertOrder

ENGAGE_OPTIONS = (ENGAGE, HOLD, PASS_UP)
ALERT_OPTIONS = (ISSUE, WITHHOLD)
TRACK_OPTIONS = (ENGAGE, HOLD)


class Desk(Protocol):
    """Where prompts go: the session. ``open`` returns the prompt's id; ``close`` withdraws it unanswered."""

    def open(
        self, kind: str, post: str, subject: str, options: tuple[str, ...], deadline: float, answer: simpy.Event
    ) -> int: ...

    def close(self, prompt: int, why: str) -> None: ...


class PersonDecider(ModelDecider):
    """The players decide at ``posts``; the model's crew everywhere else."""

    def __init__(self, posts: set[str] | frozenset[str], desk: Desk):
        self.posts, self.desk = frozenset(posts), desk

    def engage(self, r: Replication, k: int, post: str, deadline: float) -> Generator[Any, Any, str]:
        if post not in self.posts:
            return (yield from super().engage(r, k, post, deadline))
        env, staff = r.env, r.staff[post]
        options = ENGAGE_OPTIONS if r.plan.parent[post] is not None else (ENGAGE, HOLD)
        name = r.plan.scenario.threats[k].name
        if staff is None:
            return (yield from self._ask(env, "engage", post, name, options, deadline))
        with staff.request() as officer:  # the players' duty officers too are busy with other tracks
            yield officer | env.timeout(max(0.0, deadline - env.now))
            if not officer.triggered:
                return LATE
            return (yield from self._ask(env, "engage", post, name, options, deadline))

    def alert(self, r: Replication, k: int, order: AlertOrder) -> Generator[Any, Any, str]:
        if order.issued_by not in self.posts:
            return (yield from super().alert(r, k, order))
        yield from model_alert_wait(r, k, order)
        return (yield from self._ask(r.env, "alert", order.issued_by, order.level, ALERT_OPTIONS, math.inf))

    def _ask(
        self, env: simpy.Environment, kind: str, post: str, subject: str, options: tuple[str, ...], deadline: float
    ) -> Generator[Any, Any, str]:
        answer = env.event()
        prompt = self.desk.open(kind, post, subject, options, deadline, answer)
        if math.isinf(deadline):
            yield answer
        else:
            yield answer | env.timeout(max(0.0, deadline - env.now))
        if not answer.triggered:
            self.desk.close(prompt, "landed before an answer")
            return LATE
        return str(answer.value)
