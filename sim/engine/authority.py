"""Who may authorise an engagement: the rules by alert level and zone, standing orders, busy posts.

The rules of engagement are a table: alert level x zone of the predicted impact -> the post that may
authorise, or forbidden. A zone the table leaves out keeps the old meaning: own land (or anything,
with ``engage: any``) goes to the level's authority, anything else is not pursued. A standing
(pre-delegated) order lets a named post authorise for a while, whatever the level. A level's authority
applies once the unit has reached it, or, if the level says ``authority_from: order``, as soon as the
order to raise the alert to it has arrived.

A post decides with its duty officers (``staff``, a SimPy resource): threats that arrive together
queue for them, which is Erlang C's M/M/c queue when arrivals are Poisson (the engine check in
docs/validation.md). While a link on the way to the post holding authority is down, its ``fallback``
post (if any) takes the decision instead.
"""

from __future__ import annotations

from collections.abc import Callable, Generator
from dataclasses import dataclass
from typing import Any

import simpy

from sim.scenario.model import Scenario
from sim.world.zones import Zone

Standing = tuple[tuple[float, float, frozenset[int], str], ...] | list[tuple[float, float, frozenset[int], str]]

NOT_PURSUED = ""  # the threat is no business of ours: the chain ends PREDICTED_NOT_OWN

ZONES_OF_COLUMN: dict[str, tuple[int, ...]] = {
    "own_land": (Zone.OWN_LAND,),
    "own_territorial_sea": (Zone.OWN_TERRITORIAL_SEA,),
    "own_eez": (Zone.OWN_EEZ,),
    "foreign_land": (Zone.FOREIGN_LAND,),
    "foreign_sea": (Zone.FOREIGN_TERRITORIAL_SEA, Zone.FOREIGN_EEZ),
    "high_seas": (Zone.HIGH_SEAS, Zone.OFF_MAP),
}


@dataclass(frozen=True)
class Rules:
    """The rules of engagement compiled once per run: plain dicts and tuples for the hot loop."""

    table: tuple[dict[int, str], ...]  # per level: zone -> post or FORBIDDEN (explicit rows only)
    level_authority: tuple[str, ...]
    from_order: tuple[bool, ...]  # per level: authority applies when the order arrives
    engage_any: bool
    standing: tuple[tuple[float, float, frozenset[int], str], ...]  # (start, end, zones, post)
    no_intercept_over: frozenset[int] = frozenset()  # zones where no shot may meet the missile

    @property
    def by_zone(self) -> bool:
        """Whether the table or a standing order names zones: then a threat the prediction never puts on own
        land may still be pursued (or forbidden) by the zone its predicted point is in."""
        return any(self.table) or bool(self.standing)

    @classmethod
    def of(cls, s: Scenario) -> Rules:
        names = [lv.name for lv in s.alert_levels]
        table: list[dict[int, str]] = [{} for _ in names]
        for row in s.rules_of_engagement.zones:
            for column, zones in ZONES_OF_COLUMN.items():
                post = getattr(row, column)
                if post is not None:
                    table[names.index(row.level)].update({int(z): post for z in zones})
        standing = tuple(
            (o.start, o.end, frozenset(int(z) for c in o.zones for z in ZONES_OF_COLUMN[c]), o.post)
            for o in s.rules_of_engagement.standing_orders
        )
        return cls(
            tuple(table),
            tuple(lv.authority for lv in s.alert_levels),
            tuple(lv.authority_from == "order" for lv in s.alert_levels),
            s.rules_of_engagement.engage == "any",
            standing,
            frozenset(int(z) for c in s.rules_of_engagement.no_intercept_over for z in ZONES_OF_COLUMN[c]),
        )

    def effective_level(self, reached: int, ordered: int) -> int:
        """The level whose authority applies: the highest reached, or higher if ordered and applying on order."""
        for level in range(ordered, reached, -1):
            if self.from_order[level]:
                return level
        return reached

    def authority(self, level: int, zone: int, predicted_own: bool, now: float, extra: Standing = ()) -> str:
        """The post that may authorise, FORBIDDEN, or NOT_PURSUED (``extra``: standing orders sent by injects)."""
        for start, end, zones, post in (*extra, *self.standing):
            if start <= now < end and zone in zones:
                return post
        explicit = self.table[level].get(zone)
        if explicit is not None:
            return explicit
        return self.level_authority[level] if (predicted_own or self.engage_any) else NOT_PURSUED


def staffed_decision(
    env: simpy.Environment, staff: simpy.Resource | None, duration: float, deadline: float
) -> Generator[Any, Any, bool]:
    """Wait for a free duty officer (if the post has a limited staff), then decide for ``duration``.

    Returns whether the decision was made before ``deadline`` (the impact). Without a staff limit the
    decision takes no clock time when it cannot finish in time (the chain just ends).
    """
    if staff is None:
        if env.now + duration >= deadline:
            return False
        yield env.timeout(duration)
        return True
    with staff.request() as officer:
        yield officer | env.timeout(max(0.0, deadline - env.now))
        if not officer.triggered:
            return False
        if env.now + duration >= deadline:
            yield env.timeout(max(0.0, deadline - env.now))  # the officer works on it until it lands
            return False
        yield env.timeout(duration)
        return True


def fallback_for(
    authority: str, path_to: Callable[[str], list[str]], down: Callable[[str], bool], fallback: dict[str, str | None]
) -> str:
    """The post that decides: ``authority``, or while a link on the way to it is down (``down(post)``: the
    uplink of that post; ``path_to(post)``: the uplinks a report crosses to reach it), its fallback."""
    seen = {authority}
    while any(down(p) for p in path_to(authority)):
        nxt = fallback.get(authority)
        if nxt is None or nxt in seen:
            break
        authority = nxt
        seen.add(nxt)
    return authority
