"""Fire units in action: fire channels, interceptor stock, shots and kill assessment.

A battery engages inside its engagement window only. It holds one of its fire channels from
the first shot at a threat until the last interceptor aimed at it has arrived (a SimPy
resource shared by every threat), and takes interceptors from its launchers (a container the
depot trucks fill). A salvo of n shots kills with rho [1 - (1 - p)^n] (rho: the chance the parts the
shots share work, 1 by default); shoot-look-shoot fires, looks, and fires again only while the
window still allows it. With a least interval between launches, the shots of a salvo leave one by one.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass, field

import simpy

from sim.engine.outcome import ChainEnd, ThreatRecord
from sim.engine.readiness import UnitReadiness
from sim.engine.trace import Trace
from sim.numbers import is_nan
from sim.scenario.model import RulesOfEngagement
from sim.scenario.quantities import format_duration
from sim.world.queueing import erlang_c


@dataclass
class Engagement:
    """What one battery needs to know to engage one threat in one replication."""

    threat: str
    window_open: float
    window_close: float
    intercept_time: Callable[[float], float]  # interceptor launched at t meets the target at ... (NaN: never)
    kill_probability: float
    shots: list[float]  # pre-drawn uniforms, one per possible shot
    assessments: list[float]  # pre-drawn kill-assessment times, one per look
    common_mode: float = 1.0  # rho: chance the parts a salvo shares work
    common: list[float] = field(default_factory=list)  # pre-drawn uniforms, one per look (none: rho = 1)
    launch_interval: float = 0.0  # least time between two launches of the battery


def engage(
    env: simpy.Environment,
    unit: UnitReadiness,
    channels: simpy.Resource,
    e: Engagement,
    roe: RulesOfEngagement,
    rec: ThreatRecord,
    trace: Trace,
):
    """Fire at the threat per the rules; fill ``rec`` with fire/intercept/too_late/interceptors_used."""
    name = unit.unit.name
    if env.now < e.window_open:
        if trace.enabled:  # no text made when no story is kept
            trace(env.now, name, "waits for the window", f"opens in {format_duration(e.window_open - env.now)}")
        yield env.timeout(e.window_open - env.now)
    if env.now > e.window_close:
        rec.too_late = True
        rec.end = ChainEnd.WINDOW_CLOSED
        if trace.enabled:
            trace(env.now, name, "too late", f"window closed {format_duration(env.now - e.window_close)} ago")
        return
    with channels.request() as channel:
        asked = env.now
        yield channel | env.timeout(e.window_close - env.now)
        if not channel.triggered:
            rec.too_late = True
            rec.end = ChainEnd.NO_FIRE_CHANNEL
            trace(env.now, name, "too late", "no fire channel free before the window closed")
            return
        looks = roe.max_looks if roe.doctrine == "shoot_look_shoot" else 1
        shot = 0
        # why no (further) shot, unless one kills: a wait for a channel that left no shot is the channel's doing
        stopped = ChainEnd.NO_FIRE_CHANNEL if env.now > asked else ChainEnd.WINDOW_CLOSED
        for look in range(looks):
            if env.now > e.window_close:
                break
            n = min(roe.salvo, int(unit.interceptors.level))
            if n == 0:
                stopped = ChainEnd.NO_INTERCEPTORS
                trace(env.now, name, "no interceptors", "launchers empty")
                break
            if e.launch_interval > 0:
                fired, meet = yield from _spaced_salvo(env, unit, e, n, name)
                if fired == 0:
                    break
                n = fired
            else:
                meet = e.intercept_time(env.now)
                if is_nan(meet):
                    break
                yield unit.expend(n)
                trace(env.now, name, "fires", f"{n} interceptor(s) at {e.threat}")
            if is_nan(rec.fire):
                rec.fire = env.now if e.launch_interval <= 0 else unit.first_of_salvo
            rec.engaged = True
            rec.interceptors_used += n
            works = not e.common or e.common[look] < e.common_mode
            killed = works and any(u < e.kill_probability for u in e.shots[shot : shot + n])
            shot += n
            yield env.timeout(max(0.0, meet - env.now))
            if killed:
                rec.intercepted = True
                rec.intercept = env.now
                rec.end = ChainEnd.INTERCEPTED
                trace(env.now, name, "intercept", f"{e.threat} destroyed")
                return
            trace(env.now, name, "miss", f"{e.threat} not destroyed")
            if look + 1 < looks:
                yield env.timeout(e.assessments[look])
    rec.end = ChainEnd.MISSED if rec.engaged else stopped
    if not rec.engaged:
        rec.too_late = True


def _spaced_salvo(env: simpy.Environment, unit: UnitReadiness, e: Engagement, n: int, name: str):
    """Up to ``n`` interceptors, one every ``launch_interval`` (and not before the battery's last launch plus
    the interval), each launched only while the window is open. Returns (fired, when the last one meets)."""
    fired, meet = 0, math.nan
    for _ in range(n):
        t = max(env.now, unit.next_launch)
        if t > e.window_close:
            break
        arrives = e.intercept_time(t)
        if is_nan(arrives):
            break
        yield env.timeout(t - env.now)
        yield unit.expend(1)
        if fired == 0:
            unit.first_of_salvo = env.now
        unit.next_launch = env.now + e.launch_interval
        fired += 1
        meet = arrives if is_nan(meet) else max(meet, arrives)
        trace_shot = f"interceptor {fired} of {n} at {e.threat}"
        unit.trace(env.now, name, "fires", trace_shot)
    return fired, meet


def salvo_kill_probability(p: float, n: int) -> float:
    """Closed form the engine is tested against: 1 - (1 - p)^n."""
    return 1.0 - (1.0 - p) ** n


def expected_channel_wait(arrival_rate: float, service_time: float, channels: int) -> tuple[float, float]:
    """Erlang C: probability of waiting and mean wait for M/M/c (``sim.world.queueing.erlang_c``)."""
    p_wait, wait = erlang_c(arrival_rate, service_time, channels)
    return float(p_wait), float(wait)
