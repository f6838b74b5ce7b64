"""Who decides at a decision point: the model's crew (its draws), a person, or a fixed timing.

The engine reaches a decision point in two places: a post holding engagement authority decides on a
threat (engage, hold, or pass it up to the post above), and a post issues an alert order. At each, the
replication asks its ``decider``. The default :class:`ModelDecider` does exactly what the engine always
did (the same draws and the same SimPy waits), so ordinary runs are unchanged; an exercise puts a person
behind some posts (``sim.exercise.decide``), and the counterfactual a fixed timing.

A decider method is a SimPy generator (``yield from`` it): it may wait, and returns the answer.
"""

from __future__ import annotations

from collections.abc import Generator
from typing import TYPE_CHECKING, Any, Protocol

from sim.engine.authority import staffed_decision

if TYPE_CHECKING:
    from sim.engine.replication import Replication
    from sim.scenario.model import AlertOrder

ENGAGE, HOLD, PASS_UP, LATE = "engage", "hold", "pass_up", "late"  # answers to an engagement decision
ISSUE, WITHHOLD = "issue", "withhold"  # answers to an alert order


class Decider(Protocol):
    """The seam: one method per kind of decision point."""

    def engage(self, r: Replication, k: int, post: str, deadline: float) -> Generator[Any, Any, str]:
        """``post`` decides on threat ``k`` before ``deadline`` (its impact): ENGAGE, HOLD, PASS_UP or LATE."""
        ...

    def alert(self, r: Replication, k: int, order: AlertOrder) -> Generator[Any, Any, str]:
        """Alert order ``k``: wait until it is issued (ISSUE) or never issued (WITHHOLD)."""
        ...


def model_alert_wait(r: Replication, k: int, order: AlertOrder) -> Generator[Any, Any, None]:
    """The alert order's trigger (its launch or detection), or nothing for an order set for a time."""
    if order.at is None:
        yield r.first_launch if order.trigger == "launch" else r.first_detection


class ModelDecider:
    """The model's crew: decision and order times drawn from the scenario's distributions."""

    def engage(self, r: Replication, k: int, post: str, deadline: float) -> Generator[Any, Any, str]:
        duration = r.draws.take(r.plan.post_sites[post].decision, r.rep, k)
        decided = yield from staffed_decision(r.env, r.staff[post], duration, deadline)
        return ENGAGE if decided else LATE

    def alert(self, r: Replication, k: int, order: AlertOrder) -> Generator[Any, Any, str]:
        sites = r.plan.order_sites[k]
        if order.at is not None:
            yield r.env.timeout(r.draws.take(sites.at, r.rep))
        else:
            yield from model_alert_wait(r, k, order)
            yield r.env.timeout(r.draws.take(sites.delay, r.rep))
        return ISSUE


class FixedTiming(ModelDecider):
    """The model's crew, except that named posts decide in a fixed time and named alert orders leave
    a fixed time after their trigger (or at a fixed time): a crew's measured timing, replayed."""

    def __init__(self, engage_s: dict[str, float] | None = None, alert_s: dict[int, float] | None = None):
        self.engage_s = dict(engage_s or {})
        self.alert_s = dict(alert_s or {})

    def engage(self, r: Replication, k: int, post: str, deadline: float) -> Generator[Any, Any, str]:
        if post not in self.engage_s:
            return (yield from super().engage(r, k, post, deadline))
        decided = yield from staffed_decision(r.env, r.staff[post], self.engage_s[post], deadline)
        return ENGAGE if decided else LATE

    def alert(self, r: Replication, k: int, order: AlertOrder) -> Generator[Any, Any, str]:
        if k not in self.alert_s:
            return (yield from super().alert(r, k, order))
        yield from model_alert_wait(r, k, order)
        yield r.env.timeout(self.alert_s[k])
        return ISSUE


MODEL = ModelDecider()
