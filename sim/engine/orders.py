"""From a trusted impact prediction to the shot: the rules, the authority, the order, every battery in reach.

The rules of engagement (``authority.Rules``) say, for the unit's alert level and the zone of the
predicted impact, which post may authorise, or that no one may. With no battery in reach there is
nothing to ask for: the chain ends there, an outcome of its own. Otherwise the report climbs to the
post (or its fallback while a link is down), waits for a free duty officer, is decided, and the fire
order goes down to the batteries the doctrine names: one (the battery whose window closes last),
or every battery in reach, each reacting in its own time. The first ready with a window still open
fires (``first_ready``); with ``shoot_look_shoot`` across batteries, after a miss the next one still
in reach fires again. A shot that would meet the missile over a zone the rules keep clear
(``no_intercept_over``) is not fired; own aircraft near the intercept point impose a weapons hold.
"""

from __future__ import annotations

from collections.abc import Generator
from typing import TYPE_CHECKING, Any, cast

from sim.engine.authority import NOT_PURSUED, fallback_for
from sim.engine.deciders import ENGAGE, HOLD, PASS_UP
from sim.engine.fire_units import Engagement, engage
from sim.engine.flights import FlightRow
from sim.engine.outcome import ChainEnd, ThreatRecord
from sim.engine.shooters import in_reach, primary_battery, soonest_type
from sim.numbers import is_nan
from sim.scenario.model import FORBIDDEN
from sim.scenario.quantities import format_duration

if TYPE_CHECKING:
    from sim.engine.replication import Replication


def decide_and_engage(
    r: Replication,
    k: int,
    rec: ThreatRecord,
    f: FlightRow,
    predicted_own: bool,
    zone: int,
    reporting_post: str | None = None,
) -> Generator[Any, Any, None]:
    """Everything after the impact prediction is trusted (``rec.pip`` set): ``predicted_own`` is what it said,
    ``zone`` the zone (sim.world.zones.Zone) of the predicted point, ``reporting_post`` the post that owns the
    tracking radar (a sensor's own post; None: the battery's), where the track report starts."""
    env, plan, fl, i, trace = r.env, r.plan, r.flights, r.rep, r.trace
    s = plan.scenario
    name, impact = s.threats[k].name, f.impact_time
    rec.predicted_zone = zone
    reach = in_reach(f.window_close, plan.shooters, len(s.units))
    primary = primary_battery(reach, [unit.can_fire and unit.interceptors.level > 0 for unit in r.units])
    u = primary if primary >= 0 else fl.nearest_unit(i, k)
    unit = r.units[u]
    level = plan.rules.effective_level(unit.level, unit.ordered)
    authority = plan.rules.authority(level, zone, predicted_own, env.now, r.standing)
    if authority == NOT_PURSUED:
        rec.end = ChainEnd.PREDICTED_NOT_OWN
        return
    if authority == FORBIDDEN:
        rec.end = ChainEnd.FORBIDDEN
        trace(env.now, name, "not engaged", f"the rules forbid it at level {s.alert_levels[level].name} in that zone")
        return
    if primary < 0:
        rec.end = ChainEnd.NO_BATTERY_IN_REACH
        trace(env.now, name, "no battery in reach", "no engagement window: nothing to ask for")
        return

    rec.unit = u
    best = max(
        (j for j, x in enumerate(plan.shooters) if x.unit == u),
        key=lambda j: f.window_close[j] if f.window_close[j] == f.window_close[j] else -1e300,
    )
    rec.window_open, rec.window_close = f.window_open[best], f.window_close[best]

    def overtaken(stage: str, end: ChainEnd) -> None:
        rec.end = end
        trace(impact, name, "lands", f"before {stage} ({fl.describe_impact(i, k)})")

    post = s.units[u].post
    if reporting_post is not None and r.network.route(reporting_post, authority) is not None:
        post = reporting_post  # the report starts where the tracking radar reports: a sensor's own post

    def links_to(p: str) -> list[str]:
        """The posts whose links a report to ``p`` crosses, and ``p`` itself when it is out of action."""
        way = r.network.route(post, p)
        return ([] if way is None else way[0] + way[1]) + ([p] if p in r.network.out else [])

    decider = fallback_for(authority, links_to, r.network.down, plan.fallback)
    if decider != authority:
        trace(env.now, decider, "takes authority", f"a link toward {authority} is down")
        authority = decider
    rec.authority = plan.post_names.index(authority)  # the post the report goes to, whether it decides in time or not
    yield from r.network.report_across(post, authority, plan.link_slot_report(k), f"track of {name}")
    if env.now >= impact:
        return overtaken(f"the report reached {authority}", ChainEnd.REPORT_LATE)
    rec.report = env.now
    answer = yield from r.decider.engage(r, k, authority, impact)
    while answer == PASS_UP and (above := plan.parent[authority]) is not None:  # a person may refer it up
        trace(env.now, authority, "passes the decision up", f"{name} to {above}")
        yield from r.network.report_up(authority, above, plan.link_slot_report(k), f"track of {name}")
        authority = above
        if env.now >= impact:
            return overtaken(f"the report reached {authority}", ChainEnd.REPORT_LATE)
        answer = yield from r.decider.engage(r, k, authority, impact)
    if answer == HOLD:
        rec.end = ChainEnd.DECLINED
        trace(env.now, authority, "decides not to engage", name)
        return
    if answer != ENGAGE:
        return overtaken(f"{authority} decided", ChainEnd.DECISION_LATE)
    rec.decision = env.now
    rec.decided = True
    trace(env.now, authority, "decides to engage", f"{name} by {s.units[u].name} (level {s.alert_levels[level].name})")

    roe = s.rules_of_engagement
    chosen = [u] + ([] if roe.batteries == "one" else [j for j, c in enumerate(reach) if c == c and j != u])
    yield from _order_and_fire(r, k, rec, f, authority, chosen, reach)
    # Too late exactly when the margin is negative: no battery heard from could be ready before its window closed.
    rec.too_late = rec.latest_decision < rec.decision


def _order_and_fire(
    r: Replication, k: int, rec: ThreatRecord, f: FlightRow, authority: str, chosen: list[int], reach: list[float]
) -> Generator[Any, Any, None]:
    """The fire order goes down to every chosen battery; the first ready with a window open fires.

    Each battery heard from moves ``rec.latest_decision`` (the decision plus the largest slack, window close
    minus readiness, of any battery: its order-down and reaction delays in this replication). When no battery
    fires, the reason is that of a battery that was ready in time (on the march, no channel, ...) if there was
    one: lateness is the reason only when every battery was late.
    """
    env, s = r.env, r.plan.scenario
    roe = s.rules_of_engagement
    impact, u = f.impact_time, chosen[0]
    pending = {j: env.process(_take_order(r, k, rec, authority, j, impact)) for j in chosen}
    slack, late_end, in_time_end = float("nan"), ChainEnd.ORDER_LATE, None
    while pending:
        yield env.any_of(list(pending.values()))
        for j in [j for j in chosen if j in pending and pending[j].triggered]:
            ready_at, landed = cast(tuple[float, bool], pending.pop(j).value)  # what _take_order returned
            if not reach[j] - ready_at <= slack:
                slack = reach[j] - ready_at
                rec.latest_decision = rec.decision + slack
            if landed:
                continue
            if (yield from _attempt(r, k, rec, f, j)):
                return
            if rec.intercepted or (rec.engaged and roe.batteries != "shoot_look_shoot"):
                return
            if not rec.engaged:
                if ready_at <= reach[j]:
                    in_time_end = ChainEnd(rec.end) if in_time_end is None else in_time_end
                else:
                    late_end = ChainEnd(rec.end)
    if rec.engaged:
        rec.end = ChainEnd.MISSED
    elif in_time_end is not None:
        rec.end = in_time_end
    elif late_end == ChainEnd.ORDER_LATE:
        rec.end = late_end
        where = r.flights.describe_impact(r.rep, k)
        r.trace(impact, s.threats[k].name, "lands", f"before the fire order reached {s.units[u].name} ({where})")
    else:
        rec.end = late_end


def _take_order(
    r: Replication, k: int, rec: ThreatRecord, authority: str, j: int, impact: float
) -> Generator[Any, Any, tuple[float, bool]]:
    """The fire order goes down to battery ``j``, which reacts. Returns (when it could fire, whether the missile
    landed before the order arrived: then the reaction is counted, not waited out)."""
    env, plan = r.env, r.plan
    s = plan.scenario
    yield from r.network.order_down(authority, s.units[j].post, plan.link_slot_order(k), f"engage {s.threats[k].name}")
    level = r.units[j].current.name
    reaction = r.draws.take(plan.level_sites[level].reaction, r.rep, plan.reaction_slot(k, j))
    if env.now >= impact:
        return env.now + reaction, True
    if is_nan(rec.order):
        rec.order = env.now
    yield env.timeout(reaction)
    return env.now, False


def _attempt(r: Replication, k: int, rec: ThreatRecord, f: FlightRow, j: int) -> Generator[Any, Any, bool]:
    """Battery ``j`` is ready: fire if it can. Returns True when the chain is over whatever else happens."""
    env, plan, fl, i, trace = r.env, r.plan, r.flights, r.rep, r.trace
    s = plan.scenario
    unit, spec, name = r.units[j], s.units[j], s.threats[k].name
    if is_nan(rec.ready):
        rec.ready = env.now
    broke_up = f.explosion_time
    if not is_nan(broke_up) and broke_up <= env.now:
        rec.end = ChainEnd.BROKE_UP
        trace(env.now, name, "break-up seen", "the missile broke up before the battery could fire")
        return True
    engaged_before = rec.engaged
    x = soonest_type(j, env.now, f.window_open, f.window_close, plan.shooters)
    if not engaged_before:
        rec.unit = j
    if not unit.can_fire or x < 0:
        if not engaged_before:
            rec.end = ChainEnd.ON_THE_MARCH if not unit.can_fire else ChainEnd.WINDOW_CLOSED
            rec.too_late = True
        closes = max(
            (
                f.window_close[y]
                for y, z in enumerate(plan.shooters)
                if z.unit == j and f.window_close[y] == f.window_close[y]
            ),
            default=float("nan"),
        )
        trace(
            env.now,
            spec.name,
            "cannot engage",
            "still on the march" if not unit.can_fire else f"window closed {format_duration(env.now - closes)} earlier",
        )
        return False
    if not engaged_before:
        rec.window_open, rec.window_close = f.window_open[x], f.window_close[x]
    if plan.rules.no_intercept_over and _over_forbidden_zone(r, k, x, max(env.now, f.window_open[x])):
        if not engaged_before:
            rec.end, rec.too_late = ChainEnd.FORBIDDEN, False
        trace(env.now, spec.name, "holds fire", f"{name} would be hit over a zone the rules keep clear")
        return False
    if plan.friendly and _held(r, k, x, max(env.now, f.window_open[x])):
        if not engaged_before:
            rec.end, rec.too_late = ChainEnd.WEAPONS_HOLD, False
        trace(env.now, spec.name, "weapons hold", f"own aircraft near the intercept point of {name}")
        return False
    shooter = plan.shooters[x]
    us = plan.unit_draws[j]
    looks = plan.looks
    common = (
        [r.draws.take(us.common, i, k * looks + n) for n in range(looks)] if shooter.common_mode < 1 else [0.0] * looks
    )
    e = Engagement(
        threat=name,
        window_open=f.window_open[x],
        window_close=f.window_close[x],
        intercept_time=lambda t: fl.intercept_time(i, k, x, t),
        kill_probability=r.draws.take(shooter.kill_site, i),
        shots=[r.draws.take(us.shot, i, k * plan.max_shots + n) for n in range(plan.max_shots)],
        assessments=[
            r.draws.take(plan.threat_draws[k].kill_assessment, i, n)
            for n in range(max(1, s.rules_of_engagement.max_looks))
        ],
        common_mode=shooter.common_mode,
        common=common,
        launch_interval=spec.launch_interval,
    )
    rec.too_late = False
    yield from engage(env, unit, r.channels[j], e, s.rules_of_engagement, rec, trace)
    return False


def _over_forbidden_zone(r: Replication, k: int, shooter: int, launch: float) -> bool:
    """Whether a shot launched at ``launch`` would meet the missile over a zone of ``no_intercept_over``."""
    from sim.world.zones import zone_of

    meet = r.flights.intercept_time(r.rep, k, shooter, launch)
    if is_nan(meet):
        return False
    lat, lon, _ = r.flights.position(r.rep, k, meet)
    return (
        int(zone_of(lat, lon, own=r.plan.scenario.rules_of_engagement.own_territory)) in r.plan.rules.no_intercept_over
    )


def _held(r: Replication, k: int, shooter: int, launch: float) -> bool:
    """Whether the meeting point of a shot launched at ``launch`` lies in a sector where own aircraft fly."""
    from sim.world.geo import great_circle_km

    meet = r.flights.intercept_time(r.rep, k, shooter, launch)
    if is_nan(meet):
        return False
    lat, lon, alt = r.flights.position(r.rep, k, meet)
    for c_lat, c_lon, radius, ceiling, start, end in r.plan.friendly:
        if start <= meet < end and alt <= ceiling and float(great_circle_km(c_lat, c_lon, lat, lon)) <= radius:
            return True
    return False
