"""Every battery's interceptor types as one flat list of shooters, and the choice among them.

A shooter is one battery with one interceptor type: its own envelope (which may shrink with target
speed), flyout speed, kill probability and common-mode factor. The block physics computes one
engagement window per shooter (``flights.py``); the SimPy processes pick among them with plain
Python numbers only (these lookups run once per threat in the hot loop: no numpy here).
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from sim.engine import draw_sites
from sim.scenario.model import Envelope as EnvelopeSpec
from sim.scenario.model import Scenario
from sim.world import intercept


@dataclass(frozen=True)
class Shooter:
    unit: int  # index of the battery
    name: str  # "s400_vladivostok" for the main type, "s400_vladivostok/9M96" for others
    speed: float  # average flyout, km/s
    envelope: intercept.Envelope
    common_mode: float  # rho
    kill_site: str  # draw site of its single-shot kill probability


def world_envelope(e: EnvelopeSpec) -> intercept.Envelope:
    return intercept.Envelope(
        e.min_range,
        e.max_range,
        e.min_altitude,
        e.max_altitude,
        e.max_target_speed,
        tuple((p.target_speed, p.max_range) for p in e.range_vs_speed),
    )


def shooters_of(s: Scenario) -> tuple[Shooter, ...]:
    """The main type of every battery first (in unit order, so a one-type scenario keeps its indices), then
    the further types."""
    out = [
        Shooter(
            j,
            u.name,
            u.interceptors.speed,
            world_envelope(u.envelope),
            u.interceptors.common_mode,
            draw_sites.UnitSites.of(u.name).kill_probability,
        )
        for j, u in enumerate(s.units)
    ]
    for j, u in enumerate(s.units):
        for t in u.interceptor_types:
            out.append(
                Shooter(
                    j,
                    f"{u.name}/{t.name}",
                    t.speed,
                    world_envelope(t.envelope),
                    t.common_mode,
                    draw_sites.interceptor_kill(u.name, t.name),
                )
            )
    return tuple(out)


def in_reach(closes: list[float], shooters: tuple[Shooter, ...], n_units: int) -> list[float]:
    """Per battery, the latest close of any of its types' windows (NaN: not in reach)."""
    best = [math.nan] * n_units
    for x, c in zip(shooters, closes):
        if c == c and not (best[x.unit] >= c):
            best[x.unit] = c
    return best


def primary_battery(closes_by_unit: list[float], able: list[bool]) -> int:
    """The battery whose window closes last, one that can fire preferred (-1: none in reach)."""
    best, best_close, best_able = -1, -math.inf, False
    for u, (c, ok) in enumerate(zip(closes_by_unit, able)):
        if c != c:
            continue
        if (ok and not best_able) or (ok == best_able and c > best_close):
            best, best_close, best_able = u, c, ok
    return best


def soonest_type(unit: int, now: float, opens: list[float], closes: list[float], shooters: tuple[Shooter, ...]) -> int:
    """The battery's type that can launch soonest at or after ``now`` (-1 if every window has closed)."""
    best, best_t = -1, math.inf
    for j, x in enumerate(shooters):
        if x.unit != unit or closes[j] != closes[j] or max(now, opens[j]) > closes[j]:
            continue
        t = max(now, opens[j])
        if t < best_t:
            best, best_t = j, t
    return best
