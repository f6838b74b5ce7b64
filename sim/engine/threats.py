"""The interception decision chain for one threat, from launch to outcome.

launch -> detection (first visible to one of our radars + the latency of that unit's
monitoring mode) -> firm track -> classified ballistic -> predicted impact point trusted ->
report up to the post holding engagement authority at the unit's current alert level ->
decision -> order down -> battery reaction -> fire inside the engagement window -> kill.

The physics (where it flies, when each radar first sees it, each battery's window) was computed
for the whole block before the replication started (``flights.py``); this process only walks
the story in time and lets the readiness chain (the unit's current level) shape it.
"""

from __future__ import annotations

import math
from collections.abc import Generator
from typing import TYPE_CHECKING, Any

from sim.engine.fire_units import Engagement, engage
from sim.engine.outcome import ChainEnd, ThreatRecord
from sim.numbers import is_nan
from sim.scenario.quantities import format_duration

if TYPE_CHECKING:
    from sim.engine.replication import Replication


def interception_chain(r: Replication, k: int, rec: ThreatRecord) -> Generator[Any, Any, None]:
    """SimPy process: threat ``k`` of replication ``r`` (a ``Replication``)."""
    env, plan, fl, i, trace = r.env, r.plan, r.flights, r.rep, r.trace
    s = plan.scenario
    threat = s.threats[k]
    name = threat.name
    f = fl.row(i, k)
    launch, impact = f.launch, f.impact_time
    sites = plan.threat_draws[k]
    rec.launch, rec.impact = launch, impact
    rec.impact_lat, rec.impact_lon, rec.territory = f.impact_lat, f.impact_lon, f.territory
    rec.failure, rec.threatened = f.failure, f.threatened

    yield env.timeout(max(0.0, launch - env.now))
    trace(env.now, name, "launch", f"from {threat.launch.site}, {fl.describe_failure(i, k)}")
    r.launched(k)

    # -- detection: each radar's first sight plus the latency of its owner's monitoring mode
    visible = f.visible
    first = min((v for v in visible if not is_nan(v)), default=math.nan)
    if is_nan(first) or first >= impact:
        rec.end = ChainEnd.NEVER_VISIBLE
        trace(impact, name, "lands unseen", fl.describe_impact(i, k))
        return
    rec.visible = first
    yield env.timeout(first - env.now)
    detect = min(v + r.detection_latency(j, k) for j, v in enumerate(visible) if not is_nan(v))
    if detect >= impact:
        rec.end = ChainEnd.NOT_DETECTED
        trace(impact, name, "lands before detection", fl.describe_impact(i, k))
        return
    yield env.timeout(detect - env.now)
    rec.detect = env.now
    r.detected(k)
    trace(env.now, name, "detected", f"seen first {format_duration(detect - first)} earlier by radar")

    # -- tracking, classification, predicted impact point
    track = detect + r.draws.take(sites.track, i)
    classify = track + r.draws.take(sites.classify, i)
    pip = max(classify, track + fl.pip_age_s)
    for step, t in (("track", track), ("classify", classify), ("pip", pip)):
        if t >= impact:
            rec.end = ChainEnd.LANDED_WHILE_TRACKING
            trace(impact, name, "lands", f"before {step} ({fl.describe_impact(i, k)})")
            return
        yield env.timeout(t - env.now)
        if step == "track":
            rec.track = t
        elif step == "classify":
            rec.classify = t
        else:
            rec.pip = t
    predicted_own = f.predicted_own
    rec.predicted_own = predicted_own
    trace(env.now, name, "impact predicted", ("on own territory" if predicted_own else "outside own territory")
          + f" (truly {fl.describe_impact(i, k)})")
    roe = s.rules_of_engagement
    broke_up = f.explosion_time
    if not is_nan(broke_up) and broke_up <= env.now:
        rec.end = ChainEnd.BROKE_UP
        trace(env.now, name, "break-up seen", f"the track splits into debris: nothing to engage ({fl.describe_impact(i, k)})")
        return
    u = fl.best_unit(i, k, [unit.can_fire and unit.interceptors.level > 0 for unit in r.units])
    if roe.engage == "own_territory" and not predicted_own:
        rec.end = ChainEnd.PREDICTED_NOT_OWN
        return
    if u < 0:
        trace(env.now, name, "no battery in reach", "no engagement window")
        u = fl.nearest_unit(i, k)

    # -- report up to the authority, decide, order down: a race against the impact
    unit = r.units[u]
    rec.unit = u
    rec.window_open, rec.window_close = f.window_open[u], f.window_close[u]
    authority = unit.current.authority

    def overtaken(stage: str, end: ChainEnd) -> None:
        rec.too_late = True
        rec.end = end
        trace(impact, name, "lands", f"before {stage} ({fl.describe_impact(i, k)})")

    yield from r.network.report_up(s.units[u].post, authority, plan.link_slot_report(k), f"track of {name}")
    if env.now >= impact:
        return overtaken(f"the report reached {authority}", ChainEnd.REPORT_LATE)
    rec.report = env.now
    decided_at = env.now + r.draws.take(plan.post_sites[authority].decision, i, k)
    if decided_at >= impact:
        return overtaken(f"{authority} decided", ChainEnd.DECISION_LATE)
    yield env.timeout(decided_at - env.now)
    rec.decision = env.now
    rec.decided = True
    rec.authority = plan.post_names.index(authority)
    trace(env.now, authority, "decides to engage", f"{name} by {s.units[u].name} (level {unit.current.name})")
    yield from r.network.order_down(authority, s.units[u].post, plan.link_slot_order(k), f"engage {name}")
    if env.now >= impact:
        return overtaken(f"the fire order reached {s.units[u].name}", ChainEnd.ORDER_LATE)
    rec.order = env.now
    yield env.timeout(r.draws.take(plan.level_sites[unit.current.name].reaction, i, k))
    rec.ready = env.now
    if not is_nan(broke_up) and broke_up <= env.now:
        rec.end = ChainEnd.BROKE_UP
        trace(env.now, name, "break-up seen", "the missile broke up before the battery could fire")
        return

    opens, closes = rec.window_open, rec.window_close
    if is_nan(closes) or not unit.can_fire or env.now > closes:
        rec.too_late = True
        if is_nan(closes):
            rec.end, why = ChainEnd.NO_BATTERY_IN_REACH, "no engagement window"
        elif not unit.can_fire:
            rec.end, why = ChainEnd.ON_THE_MARCH, "still on the march"
        else:
            rec.end, why = ChainEnd.WINDOW_CLOSED, f"window closed {format_duration(env.now - closes)} earlier"
        trace(env.now, s.units[u].name, "cannot engage", why)
        return
    e = Engagement(
        threat=name, window_open=opens, window_close=closes,
        intercept_time=lambda t: fl.intercept_time(i, k, u, t),
        kill_probability=r.draws.take(plan.unit_draws[u].kill_probability, i),
        shots=[r.draws.take(plan.unit_draws[u].shot, i, k * plan.max_shots + n) for n in range(plan.max_shots)],
        assessments=[r.draws.take(sites.kill_assessment, i, n) for n in range(max(1, roe.max_looks))],
    )
    yield from engage(env, unit, r.channels[u], e, roe, rec, trace)
