"""Warnings for scenarios that load but cannot do what they seem to: the run is allowed, the trainer is told.

- a level no unit can ever meet (it asks for more interceptors than a unit has, depot included);
- a unit that starts ordered to a level whose requirements do not hold at the start (it stands at a
  lower level until they do, which a trainer may not expect);
- a battery out of reach of every threat: farther from every launch site than the missile flies
  plus the battery's engagement range, so no flight can pass through its envelope.

The last check is deliberately cheap and conservative (great-circle distances only): it warns
only when no heading error could bring a threat within reach.
"""

from __future__ import annotations

import math

from sim.scenario.model import AlertLevel, Scenario, Unit

Issue = tuple[tuple, str]


def _needed(level: AlertLevel, u: Unit) -> int:
    return math.ceil(level.interceptors_loaded * u.capacity - 1e-9)


def _unmet_at_start(level: AlertLevel, u: Unit) -> list[str]:
    crew_total = u.crew.on_station + u.crew.on_leave
    out = []
    if crew_total and u.crew.on_station < level.crew_on_station * crew_total - 1e-9:
        out.append(f"{u.crew.on_station} of {crew_total} officers at post, it asks {level.crew_on_station:g}")
    if u.interceptors.loaded < _needed(level, u):
        out.append(f"{u.interceptors.loaded} interceptors loaded, it asks {_needed(level, u)}")
    if level.systems_checked and not u.checks.passed_at_start:
        out.append("systems not yet checked (checks.passed_at_start: false)")
    if level.deployed and not u.deployment.at_field_position:
        out.append("not at its field position (deployment.at_field_position: false)")
    return out


def _nominal_range_km(t) -> float | None:
    from sim.scenario.missile import nominal_range_km

    return nominal_range_km(t)


def advice(s: Scenario) -> list[Issue]:
    """(path, message) of each warning; the scenario is assumed valid."""
    from sim.scenario.crossrefs import resolve_place
    from sim.world.geo import great_circle_km

    out: list[Issue] = []
    for j, lv in enumerate(s.alert_levels):
        if s.units and all(
            u.interceptors.loaded + (u.depot.interceptors if u.depot else 0) < _needed(lv, u) for u in s.units
        ):
            out.append(
                (
                    ("alert_levels", j, "interceptors_loaded"),
                    f"no unit can reach '{lv.name}': it asks for {lv.interceptors_loaded:g} of each unit's launcher "
                    "places loaded, more than any unit has with its depot",
                )
            )
    levels = [lv.name for lv in s.alert_levels]
    for i, u in enumerate(s.units):
        if u.initial_level is None or u.initial_level not in levels:
            continue
        for lv in s.alert_levels[: levels.index(u.initial_level) + 1]:
            unmet = _unmet_at_start(lv, u)
            if unmet:
                out.append(
                    (
                        ("units", i, "initial_level"),
                        f"'{u.name}' starts ordered to '{u.initial_level}' but does not meet '{lv.name}' at the start "
                        f"({'; '.join(unmet)}): it stands at a lower level until it does",
                    )
                )
                break
    if s.threats:
        for i, u in enumerate(s.units):
            ulat, ulon = resolve_place(u.site, s.sites)
            gaps: list[float] = []
            for t in s.threats:
                reach = _nominal_range_km(t)
                if reach is None:
                    gaps = []
                    break
                llat, llon = resolve_place(t.launch.site, s.sites)
                gaps.append(float(great_circle_km(ulat, ulon, llat, llon)) - reach - u.envelope.max_range)
            if gaps and min(gaps) > 0:
                out.append(
                    (
                        ("units", i, "site"),
                        f"'{u.name}' is out of reach of every threat: each lands at least {min(gaps):.0f} km short "
                        "of its envelope, whatever its heading",
                    )
                )
    return out
