"""The command network: reports travel up, orders travel down, one link at a time.

Each hop costs that link's delay (drawn per message) and waits out any outage of the link, a
scenario inject such as "the link Khabarovsk - Moscow is down from 01:00 to 02:00".
"""

from __future__ import annotations

import simpy

from sim.engine.draws import BlockDraws
from sim.engine.plan import Plan
from sim.engine.trace import Trace


class Network:
    def __init__(self, env: simpy.Environment, plan: Plan, draws: BlockDraws, rep: int, trace: Trace):
        self.env, self.plan, self.draws, self.rep, self.trace = env, plan, draws, rep, trace
        self.outages: dict[str, list[tuple[float, float]]] = {}
        self._told: set[tuple[int, str]] = set()  # (message slot, post) already in the trace
        self.out: set[str] = set()  # posts out of action (an inject): their fallback decides
        self._back: dict[str, simpy.Event] = {}  # per post, the link_up an open-ended outage waits for
        for o in plan.scenario.command.outages:
            self.outages.setdefault(o.post, []).append((o.start, o.end))

    def link_down(self, post: str, lasting: float | None = None) -> None:
        """An inject: the link from ``post`` goes down now, for ``lasting`` or until :meth:`link_up`."""
        now = self.env.now
        self.outages.setdefault(post, []).append((now, now + lasting if lasting is not None else float("inf")))
        if lasting is None and post not in self._back:
            self._back[post] = self.env.event()

    def link_up(self, post: str) -> None:
        """An inject: the link from ``post`` is back now; messages waiting for it go on."""
        now = self.env.now
        self.outages[post] = [(a, min(b, now)) for a, b in self.outages.get(post, ())]
        self.out.discard(post)
        back = self._back.pop(post, None)
        if back is not None:
            back.succeed()

    def down(self, post: str) -> bool:
        """Whether the link from ``post`` to its parent is down now."""
        return any(start <= self.env.now < end for start, end in self.outages.get(post, ()))

    def _hop(self, post: str, slot: int, what: str):
        """Cross the link between ``post`` and its parent."""
        for start, end in self.outages.get(post, ()):
            if start <= self.env.now < end:
                self.trace(self.env.now, post, "link down", f"{what} waits until the link is back")
                if end == float("inf"):
                    yield self._back[post]
                else:
                    yield self.env.timeout(end - self.env.now)
        yield self.env.timeout(self.draws.take(self.plan.post_sites[post].link, self.rep, slot))

    def report_up(self, from_post: str, to_post: str, slot: int, what: str):
        """A report climbs from ``from_post`` to ``to_post`` (which is above it or the same post)."""
        for post in self.plan.path_up(from_post, to_post):
            yield from self._hop(post, slot, what)
            self.trace(self.env.now, self._above(post), "report received", what)

    def _above(self, post: str) -> str:
        """The post a report reaches over ``post``'s uplink (a post on a path up always has one)."""
        parent = self.plan.parent[post]
        assert parent is not None
        return parent

    def route(self, from_post: str, to_post: str) -> tuple[list[str], list[str]] | None:
        """The uplinks a message crosses from ``from_post`` to ``to_post``, climbing to the lowest post above
        both, then descending (a sensor's post may sit above or beside the post that decides); None when the
        two posts are in separate trees of the command network."""
        chain_to = self.plan.chain(to_post)
        meet = next((p for p in self.plan.chain(from_post) if p in chain_to), None)
        if meet is None:
            return None
        return self.plan.path_up(from_post, meet), list(reversed(self.plan.path_up(to_post, meet)))

    def report_across(self, from_post: str, to_post: str, slot: int, what: str):
        """A report from ``from_post`` to a post connected to it: up to the lowest common post, then down."""
        up, down = self.route(from_post, to_post) or ([], [])
        for post in up:
            yield from self._hop(post, slot, what)
            self.trace(self.env.now, self._above(post), "report received", what)
        for post in down:
            yield from self._hop(post, slot, what)
            self.trace(self.env.now, post, "report received", what)

    def order_down(self, from_post: str, to_post: str, slot: int, what: str):
        """An order descends from ``from_post`` to ``to_post`` (which is below it or the same post)."""
        for post in reversed(self.plan.path_up(to_post, from_post)):
            yield from self._hop(post, slot, what)
            if (slot, post) not in self._told:  # an order to several units passes a shared post once
                self._told.add((slot, post))
                self.trace(self.env.now, post, "order received", what)
