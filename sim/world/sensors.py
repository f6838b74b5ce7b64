"""When a radar can see a missile: the curvature of the Earth hides it until it climbs.

Radio waves bend slightly downwards in the standard atmosphere; the usual allowance treats them as
straight lines over an Earth of k = 4/3 times its radius. A target is visible when the straight
line from the antenna to it clears that effective sphere and it is within the radar's range.
"""

from __future__ import annotations

import numpy as np

from sim.world.ballistics import Trajectory
from sim.world.geo import EARTH_RADIUS_KM, great_circle_km, straight_line_km

STANDARD_REFRACTION_K = 4.0 / 3.0


def radar_horizon_km(radar_height_m, target_alt_km, k=STANDARD_REFRACTION_K):
    """Radar horizon d = sqrt(2 k R h_r) + sqrt(2 k R h_t): the textbook small-height formula."""
    two_k_r = 2.0 * k * EARTH_RADIUS_KM
    h_r = np.asarray(radar_height_m, dtype=float) / 1000.0
    h_t = np.asarray(target_alt_km, dtype=float)
    return np.sqrt(two_k_r * h_r) + np.sqrt(two_k_r * np.maximum(h_t, 0.0))


def horizon_ground_range_km(radar_height_m, target_alt_km, k=STANDARD_REFRACTION_K):
    """Ground distance out to which a target at `target_alt_km` clears the horizon, exact on the
    effective sphere (agrees with `radar_horizon_km` for low targets, shorter for ones hundreds of
    km up, where the small-height formula overestimates)."""
    r_eff = k * EARTH_RADIUS_KM
    h_r = np.asarray(radar_height_m, dtype=float) / 1000.0
    h_t = np.maximum(np.asarray(target_alt_km, dtype=float), 0.0)

    def tangent_angle(h):  # angle at the centre from a point h up to where its tangent touches
        return np.arctan2(np.sqrt(h * (2.0 * r_eff + h)), r_eff)

    return r_eff * (tangent_angle(h_r) + tangent_angle(h_t))


def visible(target, radar_lat, radar_lon, radar_height_m, max_range_km, t_s=None, k=STANDARD_REFRACTION_K):
    """Whether the radar sees the target: above its horizon and within `max_range_km` (slant).

    `target` is a Trajectory (then `t_s` are absolute times, broadcast against its flights, and a
    missile on its pad or already down is not a target) or a tuple (lat, lon, alt_km) of positions.
    """
    h_r = np.asarray(radar_height_m, dtype=float) / 1000.0
    if isinstance(target, Trajectory):
        if t_s is None:
            raise ValueError("visible(trajectory, ...) needs the times t_s")
        angle, alt, _ = target.view_from(radar_lat, radar_lon, t_s)
        flying = target.in_flight(t_s)
    else:
        lat, lon, alt = (np.asarray(x, dtype=float) for x in target)
        angle = great_circle_km(radar_lat, radar_lon, lat, lon) / EARTH_RADIUS_KM
        flying = True
    above_horizon = EARTH_RADIUS_KM * angle <= horizon_ground_range_km(radar_height_m, alt, k)
    return flying & above_horizon & (straight_line_km(angle, h_r, alt) <= max_range_km)


def first_visible_time_s(
    traj: Trajectory,
    radar_lat,
    radar_lon,
    radar_height_m,
    max_range_km,
    step_s=1.0,
    tol_s=0.05,
    k=STANDARD_REFRACTION_K,
) -> np.ndarray:
    """Earliest time each flight is visible to the radar (NaN if never), to about `tol_s`.

    The flight is sampled every `step_s` from launch to impact, then the first sighting is bisected.
    """
    return traj.first_time_s(
        lambda t: visible(traj, radar_lat, radar_lon, radar_height_m, max_range_km, t, k), step_s=step_s, tol_s=tol_s
    )
