"""Injects in a replication: each waits for its time or trigger, then changes the network, the rules or the story.

The scenario's injects (``sim.scenario.injects``) run in every replication; an exercise's facilitator
adds more while it runs (:func:`apply_inject` at the current time). A launch inject acts before the
replication starts (the plan fixes that threat's launch time), so here it is only a line of the story.
"""

from __future__ import annotations

from collections.abc import Generator
from typing import TYPE_CHECKING, Any

from sim.engine.authority import ZONES_OF_COLUMN
from sim.scenario.injects import Inject

if TYPE_CHECKING:
    from sim.engine.replication import Replication

FALSE_TRACK_BUSY_S = 120.0  # a duty officer's time on a false track when the inject does not say


def inject_process(r: Replication, k: int, inj: Inject) -> Generator[Any, Any, None]:
    """SimPy process: scenario inject ``k`` waits for its moment, then acts."""
    if inj.at is not None:
        yield r.env.timeout(max(0.0, inj.at - r.env.now))
    else:
        yield r.first_launch if inj.trigger == "launch" else r.first_detection
        yield r.env.timeout(inj.delay)
    apply_inject(r, k, inj)


def apply_inject(r: Replication, k: int, inj: Inject) -> None:
    """Inject ``k`` acts now (``k`` numbers its messages on the links; a facilitator's may be past the scenario's)."""
    env, trace, net = r.env, r.trace, r.network
    now = env.now
    kind = inj.kind
    if kind == "link_down" and inj.link_down is not None:
        net.link_down(inj.link_down, inj.lasting)
        trace(now, inj.link_down, "link down", f"the link to {r.plan.parent[inj.link_down] or 'above'} is cut")
    elif kind == "link_up" and inj.link_up is not None:
        net.link_up(inj.link_up)
        trace(now, inj.link_up, "link up", "the link is back")
    elif kind == "post_out" and inj.post_out is not None:
        net.out.add(inj.post_out)
        net.link_down(inj.post_out, inj.lasting)
        trace(now, inj.post_out, "out of action", "its fallback takes its authority")
        if inj.lasting is not None:
            env.process(_back_in_action(r, inj.post_out, inj.lasting))
    elif kind == "message" and inj.message is not None:
        trace(now, inj.to or "all posts", "message", inj.message)
    elif kind == "standing_order" and inj.standing_order is not None:
        so = inj.standing_order
        end = now + so.lasting if so.lasting is not None else float("inf")
        zones = frozenset(int(z) for c in so.zones for z in ZONES_OF_COLUMN[c])
        r.standing.append((now, end, zones, so.post))
        trace(now, so.post, "standing order", f"may authorise over {', '.join(so.zones)} without asking up")
    elif kind == "alert_order" and inj.alert_order is not None:
        ao = inj.alert_order
        s = r.plan.scenario
        names = ao.units or [u.name for u in s.units if ao.issued_by in _above(r, u.post)]
        targets = tuple(i for i, u in enumerate(s.units) if u.name in names)
        slots = 2 * len(s.threats) + len(s.alert_orders) + len(s.injects)
        r.issue_alert(ao.issued_by, ao.level, targets, min(r.plan.link_slot_inject(k), slots - 1))
    elif kind == "launch":
        pass  # the plan already launches the threat at this time (engine.plan)
    elif kind == "false_track" and inj.false_track is not None and inj.post is not None:
        trace(now, inj.post, "track reported", f"{inj.false_track}: an unidentified track")
        env.process(_false_track(r, inj))


def _above(r: Replication, post: str) -> list[str]:
    return list(r.plan.chain(post))


def _back_in_action(r: Replication, post: str, lasting: float) -> Generator[Any, Any, None]:
    yield r.env.timeout(lasting)
    r.network.out.discard(post)
    r.trace(r.env.now, post, "back in action", "")


def _false_track(r: Replication, inj: Inject) -> Generator[Any, Any, None]:
    """A false track takes one of the post's duty officers (when it has a limited staff) for a while."""
    assert inj.post is not None
    staff = r.staff[inj.post]
    busy = inj.lasting if inj.lasting is not None else FALSE_TRACK_BUSY_S
    if staff is None:
        return
    with staff.request() as officer:
        yield officer
        yield r.env.timeout(busy)
