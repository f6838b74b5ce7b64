"""One flight described for a person: what `sim trajectory` prints (see shared/design/contracts.md)."""

from __future__ import annotations

import math

from sim.world.ballistics import Trajectory
from sim.world.geo import great_circle_km, initial_bearing_deg
from sim.world.missiles import MissileClass, find_missile
from sim.world.powered import nominal_burnout_altitude_km
from sim.world.sites import parse_place
from sim.world.territory import territories, territory_names


def _number(name: str, value, low=None, high=None, low_open=True) -> float:
    try:
        x = float(value)
    except (TypeError, ValueError):
        raise ValueError(f"{name} must be a number, got {value!r}") from None
    if not math.isfinite(x):
        raise ValueError(f"{name} must be a finite number, got {value!r}")
    too_low = low is not None and (x <= low if low_open else x < low)
    if too_low or (high is not None and x > high):
        bounds = [f"{'>' if low_open else '>='} {low:g}"] if low is not None else []
        bounds += [f"<= {high:g}"] if high is not None else []
        raise ValueError(f"{name} must be {' and '.join(bounds)}, got {value!r}")
    return x


def trajectory_summary(
    from_place,
    toward=None,
    azimuth_deg=None,
    range_km=None,
    apogee_km=None,
    speed_kms=None,
    angle_deg=None,
    burn_time_s=None,
    burnout_alt_km=None,
    missile=None,
) -> dict:
    """The `sim trajectory --json` document of one flight from its launch point.

    Heading: `toward` a place or `azimuth_deg`, exactly one. Profile: `range_km` (with `apogee_km`,
    or the minimum-energy flight without), or `speed_kms` with `angle_deg` at burnout. With `toward`
    and no profile at all, the range is the distance to that place (minimum energy). Powered phase:
    `burn_time_s` (or the burn time of a `missile` class) and `burnout_alt_km` (default: the nominal
    altitude of that burn); the range is then pad to impact and the flight time includes the boost.
    Raises ValueError with a one-line message on a bad combination or value.
    """
    burn = 0.0 if burn_time_s is None else _number("burn_time_s", burn_time_s, 0, low_open=False)
    cls = None if missile is None else find_missile(str(missile))
    if cls is not None and burn_time_s is None:
        burn = cls.burn_time_s
    h_b = None if burnout_alt_km is None else _number("burnout_alt_km", burnout_alt_km, 0, low_open=False)
    if h_b is not None and burn == 0.0:
        raise ValueError("burnout_alt_km needs a burn time (burn_time_s or a missile class)")
    lat, lon = parse_place(from_place)
    if (toward is None) == (azimuth_deg is None):
        raise ValueError("give the heading as either toward (a place) or azimuth_deg, exactly one")
    if toward is not None:
        to_lat, to_lon = parse_place(toward)
        if great_circle_km(lat, lon, to_lat, to_lon) < 1e-6:
            raise ValueError("toward is the launch point itself: no heading to take")
        azimuth = float(initial_bearing_deg(lat, lon, to_lat, to_lon))
    else:
        azimuth = _number("azimuth_deg", azimuth_deg) % 360.0

    by_range, by_burnout = range_km is not None, speed_kms is not None or angle_deg is not None
    if by_range and by_burnout:
        raise ValueError("give either range_km (with optional apogee_km) or speed_kms with angle_deg, not both")
    if apogee_km is not None and not by_range:
        raise ValueError("apogee_km needs range_km")
    if by_burnout:
        if speed_kms is None or angle_deg is None:
            raise ValueError("speed_kms and angle_deg go together: give both")
        v, gamma = _number("speed_kms", speed_kms, 0), _number("angle_deg", angle_deg, 0, 90)
        h = nominal_burnout_altitude_km(v, gamma, burn) if h_b is None else h_b
        traj = Trajectory.from_burnout(lat, lon, azimuth, v, gamma, burnout_alt_km=h, burn_time_s=burn)
    else:
        if not by_range:
            if toward is None:
                raise ValueError("give range_km (with optional apogee_km) or speed_kms with angle_deg")
            range_km = float(great_circle_km(lat, lon, to_lat, to_lon))
        apogee = None if apogee_km is None else _number("apogee_km", apogee_km, 0)
        traj = Trajectory.from_range(
            lat, lon, azimuth, _number("range_km", range_km, 0), apogee, burn_time_s=burn, burnout_alt_km=h_b
        )

    impact_lat, impact_lon = traj.impact()
    return {
        "from": {"lat": round(lat, 4), "lon": round(lon, 4)},
        "azimuth_deg": round(azimuth, 2),
        "range_km": round(float(traj.range_km), 1),
        "apogee_km": round(float(traj.apogee_km), 1),
        "flight_time_s": round(float(traj.flight_time_s), 1),
        "burnout_speed_kms": round(float(traj.speed_kms), 4),
        "burnout_angle_deg": round(float(traj.angle_deg), 3),
        "burn_time_s": round(float(traj.burn_time_s), 1),
        "burnout_altitude_km": round(float(traj.burnout_alt_km), 1),
        "boost_range_km": round(float(traj.boost_range_km), 1),
        "boost": _boost(traj, cls, burn_time_s is not None, h_b is not None),
        "missile": None if cls is None else _missile(cls),
        "impact": {
            "lat": round(float(impact_lat), 4),
            "lon": round(float(impact_lon), 4),
            "territory": str(territory_names(impact_lat, impact_lon)),
            "in_map": bool(territories().covers(impact_lat, impact_lon)),
        },
    }


def _boost(traj: Trajectory, cls: MissileClass | None, burn_given: bool, altitude_given: bool) -> dict:
    """The powered phase and where each of its figures came from (given, the missile class, or derived)."""
    burn = float(traj.burn_time_s)
    if burn == 0.0:
        burn_from = "none: free flight from the pad (--missile or --burn-time for a boost)"
    elif burn_given:
        burn_from = "given"
    else:
        burn_from = f"missile class {cls.name if cls else '?'}: {cls.burn_time_source if cls else ''}"
    if burn == 0.0:
        altitude_from = "no boost"
    elif altitude_given:
        altitude_from = "given"
    else:
        altitude_from = "nominal for the burn: speed growing as t^2 (sim/world/powered.py)"
    return {
        "burn_time_s": round(burn, 1),
        "burn_time_from": burn_from,
        "burnout_time_s": round(burn, 1),  # from launch: engine cut-off, no impact prediction before it
        "burnout_altitude_km": round(float(traj.burnout_alt_km), 1),
        "burnout_altitude_from": altitude_from,
        "burnout_speed_kms": round(float(traj.speed_kms), 4),
        "burnout_angle_deg": round(float(traj.angle_deg), 3),
        "boost_range_km": round(float(traj.boost_range_km), 1),
        "coast_time_s": round(float(traj.flight_time_s) - burn, 1),
    }


def _missile(cls: MissileClass) -> dict:
    """The class's defaults with their sources, as `sim/world/missiles.py` tables them."""
    return {
        "name": cls.name,
        "description": cls.description,
        "burn_time_s": cls.burn_time_s,
        "burn_time_source": cls.burn_time_source,
        "nominal_range_km": cls.nominal_range_km,
        "range_source": cls.range_source,
        "rcs_m2": cls.rcs_m2,
        "rcs_source": cls.rcs_source,
    }
