"""Fire units in action: fire channels, interceptor stock, shots and kill assessment.

A battery engages inside its engagement window only. It holds one of its fire channels from
the first shot at a threat until the last interceptor aimed at it has arrived (a SimPy
resource shared by every threat), and takes interceptors from its launchers (a container the
depot trucks fill). A salvo of n shots kills with 1 - (1 - p)^n; shoot-look-shoot fires, looks,
and fires again only while the window still allows it.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Callable

import simpy

from sim.engine.outcome import ChainEnd, ThreatRecord
from sim.engine.readiness import UnitReadiness
from sim.numbers import is_nan
from sim.engine.trace import Trace
from sim.scenario.model import RulesOfEngagement
from sim.scenario.quantities import format_duration


@dataclass
class Engagement:
    """What one battery needs to know to engage one threat in one replication."""

    threat: str
    window_open: float
    window_close: float
    intercept_time: Callable[[float], float]   # interceptor launched at t meets the target at ... (NaN: never)
    kill_probability: float
    shots: list[float]                          # pre-drawn uniforms, one per possible shot
    assessments: list[float]                    # pre-drawn kill-assessment times, one per look


def engage(env: simpy.Environment, unit: UnitReadiness, channels: simpy.Resource, e: Engagement,
           roe: RulesOfEngagement, rec: ThreatRecord, trace: Trace):
    """Fire at the threat per the rules; fill ``rec`` with fire/intercept/too_late/interceptors_used."""
    name = unit.unit.name
    if env.now < e.window_open:
        trace(env.now, name, "waits for the window", f"opens in {format_duration(e.window_open - env.now)}")
        yield env.timeout(e.window_open - env.now)
    if env.now > e.window_close:
        rec.too_late = True
        rec.end = ChainEnd.WINDOW_CLOSED
        trace(env.now, name, "too late", f"window closed {format_duration(env.now - e.window_close)} ago")
        return
    with channels.request() as channel:
        yield channel | env.timeout(e.window_close - env.now)
        if not channel.triggered:
            rec.too_late = True
            rec.end = ChainEnd.NO_FIRE_CHANNEL
            trace(env.now, name, "too late", "no fire channel free before the window closed")
            return
        looks = roe.max_looks if roe.doctrine == "shoot_look_shoot" else 1
        shot = 0
        stopped = ChainEnd.WINDOW_CLOSED   # why no (further) shot, unless one kills
        for look in range(looks):
            if env.now > e.window_close:
                break
            n = min(roe.salvo, int(unit.interceptors.level))
            if n == 0:
                stopped = ChainEnd.NO_INTERCEPTORS
                trace(env.now, name, "no interceptors", "launchers empty")
                break
            meet = e.intercept_time(env.now)
            if is_nan(meet):
                break
            yield unit.expend(n)
            if is_nan(rec.fire):
                rec.fire = env.now
            rec.engaged = True
            rec.interceptors_used += n
            trace(env.now, name, "fires", f"{n} interceptor(s) at {e.threat}")
            killed = any(u < e.kill_probability for u in e.shots[shot: shot + n])
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


def salvo_kill_probability(p: float, n: int) -> float:
    """Closed form the engine is tested against: 1 - (1 - p)^n."""
    return 1.0 - (1.0 - p) ** n


def expected_channel_wait(arrival_rate: float, service_time: float, channels: int) -> tuple[float, float]:
    """Erlang C: probability of waiting and mean wait for M/M/c, the check on fire-channel contention."""
    a = arrival_rate * service_time
    rho = a / channels
    if rho >= 1:
        return 1.0, math.inf
    top = a**channels / math.factorial(channels) / (1 - rho)
    p_wait = top / (sum(a**k / math.factorial(k) for k in range(channels)) + top)
    return p_wait, p_wait * service_time / (channels - a)
