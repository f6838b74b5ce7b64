"""What a threat's missile is when the scenario does not say it all: class, burn time, radar cross-section.

Every threat flies a powered phase: a scenario names the class (``missile: hwasong12``) or lets the
flight choose it, the smallest class in ``sim.world.missiles`` whose nominal range covers the flight's
range (the largest beyond that). Its burn time and radar cross-section are the defaults;
``burn_time``, ``burnout_altitude`` and ``rcs`` on the threat override them (``burn_time: 0s`` is
the free flight from the pad, as before the powered phase was modelled).
"""

from __future__ import annotations

from sim.scenario.model import Threat
from sim.world.missiles import MISSILE_CLASSES, MissileClass, find_missile


def nominal_range_km(t: Threat) -> float | None:
    """The flight's ground range as given, or of its burnout speed and angle (None if neither is given)."""
    if t.range is not None:
        return t.range
    if t.speed is not None and t.angle is not None:
        from sim.world.ballistics import free_flight

        return float(free_flight(t.speed, t.angle, t.burnout_altitude or 0.0).range_km)
    return None


def missile_class(t: Threat) -> MissileClass:
    """The class the threat names, else the smallest whose nominal range covers its flight.

    Raises ValueError for an unknown class name (the message lists the known ones).
    """
    if t.missile is not None:
        return find_missile(t.missile)
    by_range = sorted(MISSILE_CLASSES.values(), key=lambda m: m.nominal_range_km)
    reach = nominal_range_km(t) or 0.0
    return next((m for m in by_range if m.nominal_range_km >= reach), by_range[-1])


def burn_time_s(t: Threat) -> float:
    """The threat's burn time: as given, else its class's."""
    return t.burn_time if t.burn_time is not None else missile_class(t).burn_time_s


def rcs_m2(t: Threat) -> float:
    """The threat's radar cross-section: as given, else its class's."""
    return t.rcs if t.rcs is not None else missile_class(t).rcs_m2


def burnout_state(t: Threat) -> tuple[float, float, float, float]:
    """(speed km/s, angle deg, burnout altitude km, burn time s) of the nominal flight, boost included.

    By range (and apogee): the burnout state whose whole flight, boost included, covers the range
    (``ballistics.burnout_state_for``). By speed and angle: those at burnout, the altitude as given
    or that of a rocket-like boost (``powered.nominal_burnout_altitude_km``). Raises ValueError
    when no flight has these figures.
    """
    from sim.world import ballistics, powered

    burn = burn_time_s(t)
    if t.range is not None:
        speed, angle, alt = ballistics.burnout_state_for(t.range, t.apogee, t.burnout_altitude, burn)
        return float(speed), float(angle), float(alt), burn
    if t.speed is None or t.angle is None:
        raise ValueError("a threat needs a range, or a burnout speed and angle")
    if t.burnout_altitude is not None:
        return float(t.speed), float(t.angle), float(t.burnout_altitude), burn
    return float(t.speed), float(t.angle), float(powered.nominal_burnout_altitude_km(t.speed, t.angle, burn)), burn
