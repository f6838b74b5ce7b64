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

from sim.engine.fire_units import Engagement, engage
from sim.engine.outcome import ThreatRecord
from sim.scenario.quantities import format_duration


def interception_chain(r, k: int, rec: ThreatRecord):
    """SimPy process: threat ``k`` of replication ``r`` (a ``Replication``)."""
    env, plan, fl, i, trace = r.env, r.plan, r.flights, r.rep, r.trace
    s = plan.scenario
    threat = s.threats[k]
    name = threat.name
    f = fl.row(i, k)
    launch, impact = f.launch, f.impact_time
    for field, value in (("launch", launch), ("impact", impact), ("impact_lat", f.impact_lat),
                         ("impact_lon", f.impact_lon), ("territory", f.territory),
                         ("failure", f.failure), ("threatened", f.threatened),
                         ("window_open", math.nan), ("window_close", math.nan)):
        rec[field] = value

    yield env.timeout(max(0.0, launch - env.now))
    trace(env.now, name, "launch", f"from {threat.launch.site}, {fl.describe_failure(i, k)}")
    r.launched(k)

    # -- detection: each radar's first sight plus the latency of its owner's monitoring mode
    visible = f.visible
    first = min((v for v in visible if v == v), default=math.nan)
    if first != first or first >= impact:
        trace(impact, name, "lands unseen", fl.describe_impact(i, k))
        return
    rec["visible"] = first
    yield env.timeout(first - env.now)
    detect = min(v + r.detection_latency(j, k) for j, v in enumerate(visible) if v == v)
    if detect >= impact:
        trace(impact, name, "lands before detection", fl.describe_impact(i, k))
        return
    yield env.timeout(detect - env.now)
    rec["detect"] = env.now
    r.detected(k)
    trace(env.now, name, "detected", f"seen first {format_duration(detect - first)} earlier by radar")

    # -- tracking, classification, predicted impact point
    track = detect + r.draws.take(f"tracking.track.{name}", i)
    classify = track + r.draws.take(f"tracking.classify.{name}", i)
    trusted = track + fl.pip_age_s
    for field, t in (("track", track), ("classify", classify), ("pip", max(classify, trusted))):
        if t >= impact:
            trace(impact, name, "lands", f"before {field} ({fl.describe_impact(i, k)})")
            return
        yield env.timeout(t - env.now)
        rec[field] = env.now
    predicted_own = f.predicted_own
    rec["predicted_own"] = predicted_own
    trace(env.now, name, "impact predicted", ("on own territory" if predicted_own else "outside own territory")
          + f" (truly {fl.describe_impact(i, k)})")
    roe = s.rules_of_engagement
    broke_up = f.explosion_time
    if broke_up == broke_up and broke_up <= env.now:
        trace(env.now, name, "break-up seen", f"the track splits into debris: nothing to engage ({fl.describe_impact(i, k)})")
        return
    u = fl.best_unit(i, k, [unit.can_fire and unit.interceptors.level > 0 for unit in r.units])
    if roe.engage == "own_territory" and not predicted_own:
        return
    if u < 0:
        trace(env.now, name, "no battery in reach", "no engagement window")
        u = fl.nearest_unit(i, k)

    # -- report up to the authority, decide, order down: a race against the impact
    unit = r.units[u]
    rec["unit"] = u
    rec["window_open"], rec["window_close"] = f.window_open[u], f.window_close[u]
    authority = unit.current.authority

    def overtaken(stage: str):
        rec["too_late"] = 1
        trace(impact, name, "lands", f"before {stage} ({fl.describe_impact(i, k)})")

    yield from r.network.report_up(s.units[u].post, authority, plan.link_slot_report(k), f"track of {name}")
    if env.now >= impact:
        return overtaken(f"the report reached {authority}")
    rec["report"] = env.now
    decided_at = env.now + r.draws.take(f"decision.{authority}", i, k)
    if decided_at >= impact:
        return overtaken(f"{authority} decided")
    yield env.timeout(decided_at - env.now)
    rec["decision"] = env.now
    rec["decided"] = 1
    rec["authority"] = plan.post_names.index(authority)
    trace(env.now, authority, "decides to engage", f"{name} by {s.units[u].name} (level {unit.current.name})")
    yield from r.network.order_down(authority, s.units[u].post, plan.link_slot_order(k), f"engage {name}")
    if env.now >= impact:
        return overtaken(f"the fire order reached {s.units[u].name}")
    rec["order"] = env.now
    yield env.timeout(r.draws.take(f"reaction.{unit.current.name}", i, k))
    rec["ready"] = env.now
    if broke_up == broke_up and broke_up <= env.now:
        trace(env.now, name, "break-up seen", "the missile broke up before the battery could fire")
        return

    opens, closes = rec["window_open"], rec["window_close"]
    if closes != closes or not unit.can_fire or env.now > closes:
        rec["too_late"] = 1
        why = "no engagement window" if closes != closes else "still on the march" if not unit.can_fire else \
            f"window closed {format_duration(env.now - closes)} earlier"
        trace(env.now, s.units[u].name, "cannot engage", why)
        return
    e = Engagement(
        threat=name, window_open=opens, window_close=closes,
        intercept_time=lambda t: fl.intercept_time(i, k, u, t),
        kill_probability=r.draws.take(f"kill.p.{s.units[u].name}", i),
        shots=[r.draws.take(f"kill.shot.{s.units[u].name}", i, k * plan.max_shots + n) for n in range(plan.max_shots)],
        assessments=[r.draws.take(f"kill_assessment.{name}", i, n) for n in range(max(1, roe.max_looks))],
    )
    yield from engage(env, unit, r.channels[u], e, roe, rec, trace)


def finish(rec: ThreatRecord) -> None:
    """Outcomes that follow from the others."""
    rec["detected"] = 1.0 if rec["detect"] == rec["detect"] else 0.0
    rec["leaked"] = 1.0 if rec["threatened"] and not rec["intercepted"] else 0.0
    rec["needless"] = 1.0 if rec["engaged"] and not rec["threatened"] else 0.0

