"""One flight described for a person: what `sim trajectory` prints (see shared/design/contracts.md)."""

from __future__ import annotations

import math

from sim.world.ballistics import Trajectory
from sim.world.geo import great_circle_km, initial_bearing_deg
from sim.world.missiles import find_missile
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
    if missile is not None and burn_time_s is None:
        burn = find_missile(str(missile)).burn_time_s
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
        "impact": {
            "lat": round(float(impact_lat), 4),
            "lon": round(float(impact_lon), 4),
            "territory": str(territory_names(impact_lat, impact_lon)),
            "in_map": bool(territories().covers(impact_lat, impact_lon)),
        },
    }
