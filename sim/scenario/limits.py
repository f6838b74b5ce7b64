"""Physical and size limits: a scenario that loads must also fly, fit in memory and mean what it says.

Each field is valid on its own (``model``), and names refer to what exists (``references``); this
module checks what only physics and arithmetic can: that a missile can fly the range it is given
(half way round the Earth at most, slower than orbit so that it comes down), that an envelope is
ordered, that speeds that divide a distance are not zero, that failure chances add up to at most
one, that every drawn value stays finite, and that the random draws of one block of replications
fit in memory (the estimate is shown).
"""

from __future__ import annotations

import math
from typing import Any

from sim.scenario.distributions import Distribution
from sim.scenario.model import Part, Scenario, Threat
from sim.scenario.quantities import ANGLE

Issue = tuple[tuple, str]

BLOCK = 100  # replications drawn at once (sim.runner.BLOCK_SIZE)
MAX_BLOCK_BYTES = 512 * 2**20  # the random draws one worker holds for a block
MAX_BURN_TIME_S = 600.0  # no ballistic missile burns for more than a few minutes
MAX_BURNOUT_ALT_KM = 1000.0
MIN_APOGEE_SHARE = 1 / 50  # a flight flatter than this (apogee / range) would stay in the air the model leaves out
AIR_TOP_KM = 100.0  # the Karman line: an apogee above it is out of the air whatever the range


def _circular_kms(altitude_km: float) -> float:
    """Circular orbital speed at that altitude, sqrt(mu / r): a burnout this fast never comes down."""
    from sim.world.ballistics import MU_KM3_S2, R_KM

    return math.sqrt(MU_KM3_S2 / (R_KM + altitude_km))


ORBITAL_KMS = round(_circular_kms(0.0), 2)  # 7.91 km/s at the ground


def physical_problems(s: Scenario) -> list[Issue]:
    issues: list[Issue] = []
    if s.horizon <= 0:
        issues.append((("horizon",), "must be longer than 0s: nothing happens in no time"))
    for i, u in enumerate(s.units):
        issues += _envelope(u.envelope, ("units", i, "envelope"))
        for j, kind in enumerate(u.interceptor_types):
            at = ("units", i, "interceptor_types", j)
            issues += _envelope(kind.envelope, at + ("envelope",))
            if not 0 < kind.speed < ORBITAL_KMS:
                issues.append((at + ("speed",), f"must be between 0 and {ORBITAL_KMS} km/s (got {kind.speed:g} km/s)"))
        if u.radar.range <= 0:
            issues.append((("units", i, "radar", "range"), "must be longer than 0 km: the radar would see nothing"))
        speed = u.interceptors.speed
        if not 0 < speed < ORBITAL_KMS:
            issues.append(
                (
                    ("units", i, "interceptors", "speed"),
                    f"must be between 0 and {ORBITAL_KMS} km/s (got {speed:g} km/s); an S-400 interceptor averages about 1.5km/s",
                )
            )
    for i, sn in enumerate(s.sensors):
        if sn.range <= 0:
            issues.append((("sensors", i, "range"), "must be longer than 0 km: the radar would see nothing"))
    radars: list[tuple[tuple[str | int, ...], Any]] = [(("units", i, "radar"), u.radar) for i, u in enumerate(s.units)]
    radars += [(("sensors", i), sn) for i, sn in enumerate(s.sensors)]
    for radar_at, r in radars:
        issues += _radar(radar_at, r)
    for i, t in enumerate(s.threats):
        issues += _threat(s, i, t)
    issues += _distributions(s)
    issues += _size(s)
    return issues


def _envelope(e, at: tuple) -> list[Issue]:
    issues: list[Issue] = []
    if not e.min_range < e.max_range:
        issues.append(
            (at + ("min_range",), f"min_range ({e.min_range:g} km) must be below max_range ({e.max_range:g} km)")
        )
    if not e.min_altitude < e.max_altitude:
        issues.append(
            (
                at + ("min_altitude",),
                f"min_altitude ({e.min_altitude:g} km) must be below max_altitude ({e.max_altitude:g} km)",
            )
        )
    if e.max_target_speed <= 0:
        issues.append((at + ("max_target_speed",), "must be faster than 0 km/s: the battery could engage nothing"))
    speeds = [p.target_speed for p in e.range_vs_speed]
    for k in range(1, len(speeds)):
        if not speeds[k] > speeds[k - 1]:
            issues.append(
                (at + ("range_vs_speed", k, "target_speed"), "target speeds must rise from one point to the next")
            )
    return issues


def _radar(at: tuple, r) -> list[Issue]:
    """A radar's figures must describe a radar that looks (sim.world.radar.Radar checks the same)."""
    out: list[Issue] = []
    if r.reference_rcs <= 0:
        out.append((at + ("reference_rcs",), "must be more than 0 square metres"))
    if not 1e-6 < r.reference_pd < 1:
        out.append((at + ("reference_pd",), "must be above 0.000001 (the false-alarm chance) and below 1"))
    if r.scan_period <= 0:
        out.append((at + ("scan_period",), "must be longer than 0s: a radar that never looks sees nothing"))
    if getattr(r, "routine_scan_period", None) is not None and r.routine_scan_period <= 0:
        out.append((at + ("routine_scan_period",), "must be longer than 0s"))
    if not 0 < r.sector_half_width <= 180:
        out.append((at + ("sector_half_width",), "must be above 0 and at most 180 degrees"))
    return out


def _threat(s: Scenario, i: int, t: Threat) -> list[Issue]:
    at = ("threats", i)
    issues: list[Issue] = []
    f = t.failure
    total = f.early_explosion + f.guidance_fault + f.thrust_shortfall
    if total > 1 + 1e-9:
        issues.append(
            (
                at + ("failure",),
                f"early_explosion + guidance_fault + thrust_shortfall = {total:g}; "
                "the chances of the failure modes must add up to at most 1",
            )
        )
    if f.debris_fall_speed <= 0:
        issues.append((at + ("failure", "debris_fall_speed"), "must be faster than 0 m/s: debris would never land"))
    if t.azimuth is not None and not -360 <= t.azimuth <= 360:
        issues.append((at + ("azimuth",), f"a heading is between 0 and 360 degrees (got {t.azimuth:g})"))
    if t.burn_time is not None and t.burn_time > MAX_BURN_TIME_S:
        issues.append(
            (at + ("burn_time",), f"must be at most {MAX_BURN_TIME_S / 60:g}min: no ballistic missile burns longer")
        )
    if t.burnout_altitude is not None and t.burnout_altitude > MAX_BURNOUT_ALT_KM:
        issues.append((at + ("burnout_altitude",), f"must be at most {MAX_BURNOUT_ALT_KM:g}km"))
    if t.rcs is not None and t.rcs <= 0:
        issues.append((at + ("rcs",), "must be more than 0 square metres: a radar would never see it"))
    if t.missile is not None:
        from sim.world.missiles import find_missile

        try:
            find_missile(t.missile)
        except ValueError as exc:
            issues.append((at + ("missile",), str(exc)))
    if issues:
        return issues
    return _flight(s, at, t)


def _flight(s: Scenario, at: tuple, t: Threat) -> list[Issue]:
    from sim.scenario.crossrefs import resolve_place
    from sim.world.geo import great_circle_km

    if t.toward is not None:
        try:
            a, b = resolve_place(t.launch.site, s.sites), resolve_place(t.toward, s.sites)
        except ValueError:
            return []  # an unknown place: references says so
        if float(great_circle_km(a[0], a[1], b[0], b[1])) < 1.0:
            return [
                (at + ("toward",), "is the launch site itself: no heading to take; give another place or an azimuth")
            ]
    found = flight_problem(t.range, t.apogee, t.speed, t.angle, t.burnout_altitude or 0.0, t.burn_time or 0.0)
    if found is None:
        found = _boost_problem(t)
    return [] if found is None else [(at + ((found[0],) if found[0] else ()), found[1])]


def _boost_problem(t: Threat) -> tuple[str, str] | None:
    """The free flight is sound; can the powered phase (the missile class's burn time by default) reach it?"""
    from sim.scenario.missile import burnout_state
    from sim.world.ballistics import Trajectory

    try:
        speed, angle, alt, burn = burnout_state(t)
        Trajectory.from_burnout(0.0, 0.0, 0.0, speed, angle, alt, burn)
    except ValueError as exc:
        return "burn_time", f"{exc} (give a shorter burn_time, or 0s for none)"
    return None


def flight_problem(
    range_km: float | None = None,
    apogee_km: float | None = None,
    speed_kms: float | None = None,
    angle_deg: float | None = None,
    burnout_alt_km: float = 0.0,
    burn_time_s: float = 0.0,
) -> tuple[str, str] | None:
    """``(key, message)`` when no ballistic flight has these figures, else None.

    The flight must be shorter than half way round the Earth, slower than orbit at burnout (or it
    never comes down) and climb to at least MIN_APOGEE_SHARE of its range (or out of the air): the
    model has no air, and a flatter flight would spend its whole way in it. ``key`` names the figure to change.
    """
    from sim.world.ballistics import R_KM, Trajectory, burnout_for, minimum_energy

    h0 = burnout_alt_km
    circular = _circular_kms(h0)
    if range_km is not None:
        half = math.pi * R_KM
        if not 0 < range_km < half:
            return "range", f"must be more than 0 km and less than half way round the Earth ({half:.0f} km)"
        if apogee_km is not None:
            if not apogee_km > h0:
                return "apogee", "must be above the burnout altitude (and the ground)"
            try:
                speed, angle = (float(x) for x in burnout_for(range_km, apogee_km, h0))
            except ValueError as exc:
                return "apogee", str(exc)
        else:
            speed, angle = (float(x) for x in minimum_energy(range_km, h0))
        key = "apogee" if apogee_km is not None else "range"
        what = f"an apogee of {apogee_km:g} km over {range_km:g} km" if apogee_km is not None else f"{range_km:g} km"
        if not speed < circular:
            return key, (
                f"{what} needs a burnout speed of {speed:.2f} km/s, at or above orbital speed "
                f"({circular:.2f} km/s): such a missile would not come down"
            )
    elif speed_kms is not None and angle_deg is not None:
        speed, angle, key = speed_kms, angle_deg, "angle"
        if not 0 < speed < circular:
            return "speed", f"must be between 0 and orbital speed ({circular:.2f} km/s); faster never comes down"
        if not 0 < angle < 90:
            return "angle", "the burnout angle must be above 0 and below 90 degrees (above the horizon)"
    else:
        return None
    try:
        traj = Trajectory.from_burnout(0.0, 0.0, 0.0, speed, angle, h0, burn_time_s)
        flight_s, reach_km, top_km = float(traj.flight_time_s), float(traj.range_km), float(traj.apogee_km)
    except ValueError as exc:
        return "", str(exc)
    if not (math.isfinite(flight_s) and flight_s > 0 and reach_km > 0.01):
        return "", "this flight does not leave its pad (no range or no flight time)"
    lowest = min(MIN_APOGEE_SHARE * reach_km, AIR_TOP_KM)
    if top_km < lowest:
        return key, (
            f"a flight of {reach_km:.0f} km with an apogee of {top_km:.3g} km is flatter than any ballistic "
            f"missile's: its apogee must be at least 1/{1 / MIN_APOGEE_SHARE:.0f} of its range or "
            f"{AIR_TOP_KM:g} km ({lowest:.3g} km here), or it would fly through the air the model leaves out"
        )
    return None


# ---------------------------------------------------------------- drawn values


def _walk(part: Part, path: tuple):
    """Every distribution of the scenario with its path."""
    for name in type(part).model_fields:
        value = getattr(part, name)
        if isinstance(value, Distribution):
            yield path + (name,), value
        elif isinstance(value, Part):
            yield from _walk(value, path + (name,))
        elif isinstance(value, list):
            for j, item in enumerate(value):
                if isinstance(item, Part):
                    yield from _walk(item, path + (name, j))


def _distributions(s: Scenario) -> list[Issue]:
    issues: list[Issue] = []
    for path, d in _walk(s, ()):
        try:
            values = [d.quantile(0.001), d.quantile(0.999), d.mean()]
        except (ValueError, OverflowError, ZeroDivisionError):
            values = [math.nan]
        if not all(math.isfinite(v) for v in values):
            issues.append((path, f"{d} draws values too large to compute with; give it finite, realistic parameters"))
        elif d.kind is ANGLE and max(abs(v) for v in values[:2]) > 720:
            issues.append(
                (path, f"{d} draws angles beyond 720 degrees; a heading or an error is at most a turn or two")
            )
    return issues


# ---------------------------------------------------------------- memory


def draw_slots(s: Scenario) -> list[tuple[tuple, str, int]]:
    """The random draws of one replication, by the part of the scenario that asks for them (an estimate).

    Mirrors the engine's draw sites (sim/engine/plan.py): a slot is one number per replication.
    """
    nt, no = len(s.threats), len(s.alert_orders)
    roe = s.rules_of_engagement
    shots = roe.salvo * (roe.max_looks if roe.doctrine == "shoot_look_shoot" else 1)
    out: list[tuple[tuple, str, int]] = []
    out.append((("command", "posts"), "posts", len(s.command.posts) * (3 * nt + no)))
    out.append((("alert_levels",), "alert levels", len(s.alert_levels) * 2 * nt))
    out.append((("sensors",), "sensors", len(s.sensors) * nt))
    out.append((("alert_orders",), "alert orders", 2 * no))
    for i, u in enumerate(s.units):
        out.append((("units", i, "crew", "on_leave"), f"{u.crew.on_leave} officers on leave", 2 * u.crew.on_leave))
        if u.depot is not None:
            trips = math.ceil(min(max(0, u.capacity - u.interceptors.loaded), u.depot.interceptors) / u.depot.per_trip)
            out.append((("units", i, "depot"), f"{trips} depot trips", 2 * trips))
        out.append((("rules_of_engagement", "salvo"), f"{shots} shots at each of {nt} threats", nt * shots + 7))
    out.append((("rules_of_engagement", "max_looks"), "kill assessments", nt * (max(1, roe.max_looks) + 11)))
    flights = _flight_times_s(s)
    for at, r in [(("units", i, "radar", "scan_period"), u.radar) for i, u in enumerate(s.units)] + [
        (("sensors", i, "scan_period"), x) for i, x in enumerate(s.sensors)
    ]:
        if r.scan_period > 0:
            looks = sum(math.ceil(f / r.scan_period) + 2 for f in flights)
            out.append((at, f"{looks} radar looks (a look every {r.scan_period:g}s of each flight)", looks))
    return out


def _flight_times_s(s: Scenario) -> list[float]:
    """Launch to impact of each threat's nominal flight (0 for one that cannot fly: reported elsewhere)."""
    from sim.scenario.missile import burnout_state
    from sim.world.ballistics import Trajectory

    out = []
    for t in s.threats:
        try:
            out.append(float(Trajectory.from_burnout(0.0, 0.0, 0.0, *burnout_state(t)).flight_time_s))
        except ValueError:
            out.append(0.0)
    return out


def block_bytes(s: Scenario) -> int:
    """Bytes of random draws one worker holds for a block of replications (8 bytes a number)."""
    return BLOCK * 8 * sum(n for _, _, n in draw_slots(s))


def _size(s: Scenario) -> list[Issue]:
    need = block_bytes(s)
    if need <= MAX_BLOCK_BYTES:
        return []
    path, what, _ = max(draw_slots(s), key=lambda x: x[2])
    return [
        (
            path,
            f"the random draws of one block of {BLOCK} replications would need about {_size_text(need)} "
            f"(limit {_size_text(MAX_BLOCK_BYTES)}); the largest share is {what}: make it smaller",
        )
    ]


def _size_text(n: float) -> str:
    for unit in ("B", "KiB", "MiB", "GiB", "TiB"):
        if n < 1024 or unit == "TiB":
            return f"{n:.0f} {unit}" if unit == "B" else f"{n:.1f} {unit}"
        n /= 1024
    return f"{n:.1f} TiB"
