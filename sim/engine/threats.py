"""The interception decision chain for one threat, from launch to outcome.

launch -> detection (first visible to one of our radars + the latency of that unit's
monitoring mode) -> firm track -> classified ballistic -> predicted impact point trusted ->
the rules of engagement for that zone -> report up to the post holding engagement authority ->
decision -> order down to every battery in reach -> battery reaction -> fire inside the window -> kill
(``orders.py`` from the rules on).

The physics (where it flies, when each radar first sees it, each battery's window) was computed
for the whole block before the replication started (``flights.py``); this process only walks
the story in time and lets the readiness chain (the unit's current level) shape it.
"""

from __future__ import annotations

import math
from collections.abc import Generator
from typing import TYPE_CHECKING, Any

from sim.engine.orders import decide_and_engage
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
    broke_up = f.explosion_time
    if not is_nan(broke_up) and broke_up <= env.now:
        rec.end = ChainEnd.BROKE_UP
        trace(env.now, name, "break-up seen", f"the track splits into debris: nothing to engage ({fl.describe_impact(i, k)})")
        return
    # -- from here on: the rules, the authority, the order, every battery in reach (orders.py)
    yield from decide_and_engage(r, k, rec, f)
