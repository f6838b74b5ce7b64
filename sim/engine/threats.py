"""The interception decision chain for one threat, from launch to outcome.

launch -> detection (the first look of one of our radars that sees it, engine.sensing, + the latency
of its report) -> firm track -> classified ballistic -> an impact prediction, re-evaluated at every
track update, that says own territory with the chance the rules ask (engine.prediction) ->
the rules of engagement for the predicted point's zone -> report up to the post holding engagement
authority -> decision -> order down to every battery in reach -> battery reaction -> fire inside the
window -> kill (``orders.py`` from the rules on).

The physics (where it flies, when each radar first sees it, each battery's window) was computed
for the whole block before the replication started (``flights.py``); this process only walks
the story in time and lets the readiness chain (the unit's current level) shape it.
"""

from __future__ import annotations

from collections.abc import Generator
from typing import TYPE_CHECKING, Any

from sim.engine.orders import decide_and_engage
from sim.engine.outcome import ChainEnd, ThreatRecord
from sim.engine.prediction import first_update
from sim.engine.sensing import CUED, MASS, MODES, ROUTINE
from sim.numbers import is_nan
from sim.scenario.quantities import format_duration

if TYPE_CHECKING:
    from sim.engine.replication import Replication


def first_reports(r: Replication, k: int, first_seen: list[list[float]]) -> list[tuple[float, float, int, int]]:
    """(report time, first detection, radar, mode) of every radar that detects threat ``k``.

    A battery radar searches at its unit's monitoring at launch (routine or mass) and its report
    waits for that level's detection latency; once cued by an early-warning report it detects at
    its first look after the cue and reports at once. A sensor reports after its own latency.
    """
    out = []
    nu = len(r.units)
    for j, modes in enumerate(first_seen):
        if j < nu:
            mode = MASS if r.units[j].current.monitoring == "mass" else ROUTINE
            if not is_nan(modes[mode]):
                out.append((modes[mode] + r.detection_latency(j, k), modes[mode], j, mode))
            if not is_nan(modes[CUED]):
                out.append((modes[CUED], modes[CUED], j, CUED))
        elif not is_nan(modes[MASS]):
            out.append((modes[MASS] + r.detection_latency(j, k), modes[MASS], j, MASS))
    return out


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
    rec.debris_spread_km = f.debris_spread_km  # footprint of a break-up's fragments (NaN: none flown)

    yield env.timeout(max(0.0, launch - env.now))
    trace(env.now, name, "launch", f"from {threat.launch.site}, {fl.describe_failure(i, k)}")
    r.launched(k)

    # -- detection: each radar looks scan by scan (engine.sensing); the first report wins and that radar tracks
    reports = first_reports(r, k, f.first_seen)
    if not reports:
        rec.end = ChainEnd.NEVER_VISIBLE
        trace(impact, name, "lands unseen", fl.describe_impact(i, k))
        return
    first = min(seen for _, seen, _, _ in reports)
    rec.visible = first
    detect, _, j, mode = min(reports)
    if detect >= impact:
        rec.end = ChainEnd.NOT_DETECTED
        trace(impact, name, "lands before detection", fl.describe_impact(i, k))
        return
    yield env.timeout(first - env.now)
    yield env.timeout(detect - env.now)
    rec.detect = env.now
    r.detected(k)
    trace(
        env.now,
        name,
        "detected",
        f"by {plan.radars[j].name} ({MODES[mode]}), seen first {format_duration(detect - first)} earlier",
    )

    # -- tracking, classification, then an impact prediction re-evaluated at every track update
    track = detect + r.draws.take(sites.track, i)
    classify = track + r.draws.take(sites.classify, i)
    for step, t in (("track", track), ("classify", classify)):
        if t >= impact:
            rec.end = ChainEnd.LANDED_WHILE_TRACKING
            trace(impact, name, "lands", f"before {step} ({fl.describe_impact(i, k)})")
            return
        yield env.timeout(t - env.now)
        if step == "track":
            rec.track = t
        else:
            rec.classify = t
    updates = fl.updates[k][j][mode]
    assert updates is not None  # the radar detected the threat in this mode, so the mode has its track updates
    own_rule = s.rules_of_engagement.engage == "own_territory"
    pip, predicted_own = first_update(updates, i, classify, passing=own_rule)
    zone = updates.pass_zone[i] if own_rule else updates.valid_zone[i]
    if is_nan(pip) and own_rule and plan.rules.by_zone:
        # never on own land, but the rules speak of zones: the first prediction's zone goes to the rules
        pip, predicted_own = first_update(updates, i, classify, passing=False)
        zone = updates.valid_zone[i]
    if is_nan(pip):
        broke_up = f.explosion_time
        if not is_nan(broke_up) and broke_up < impact:
            rec.end = ChainEnd.BROKE_UP
            trace(
                broke_up,
                name,
                "break-up seen",
                f"the track splits into debris: nothing to engage ({fl.describe_impact(i, k)})",
            )
        elif own_rule and not is_nan(first_update(updates, i, classify, passing=False)[0]):
            rec.end = ChainEnd.PREDICTED_NOT_OWN
            rec.predicted_zone = updates.valid_zone[i]
            trace(impact, name, "lands", f"never predicted on own territory ({fl.describe_impact(i, k)})")
        else:
            rec.end = ChainEnd.LANDED_WHILE_TRACKING
            trace(impact, name, "lands", f"before an impact prediction ({fl.describe_impact(i, k)})")
        return
    yield env.timeout(pip - env.now)
    rec.pip = pip
    rec.predicted_own = predicted_own
    trace(
        env.now,
        name,
        "impact predicted",
        ("on own territory" if predicted_own else "outside own territory") + f" (truly {fl.describe_impact(i, k)})",
    )
    broke_up = f.explosion_time
    if not is_nan(broke_up) and broke_up <= env.now:
        rec.end = ChainEnd.BROKE_UP
        trace(
            env.now,
            name,
            "break-up seen",
            f"the track splits into debris: nothing to engage ({fl.describe_impact(i, k)})",
        )
        return
    # -- from here on: the rules, the authority, the order, every battery in reach (orders.py)
    nu = len(s.units)
    reporting_post = s.sensors[j - nu].post if j >= nu else None  # a sensor's track goes from its own post
    yield from decide_and_engage(r, k, rec, f, predicted_own, zone, reporting_post)
