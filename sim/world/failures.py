"""What goes wrong with a launch, given the draws: where debris falls, where a faulty missile goes.

The randomness is drawn by the caller (the engine's seeded streams) and comes in as arrays; these
functions only turn a drawn failure into its consequence.

Debris model (an assumption, stated so a trainer can tune it): when a missile breaks up, its pieces
lose their speed to the air within seconds, so they are taken to fall straight down from where the
missile was, at a mean fall speed, while the wind carries them. Fall time = altitude / fall speed;
drift = wind x fall time. The default 200 m/s mean is an order-of-magnitude figure for dense
fragments falling from tens of km (terminal speeds of some 100 m/s low down, much more in the thin
air above); trainers tune it per scenario.
"""

from __future__ import annotations

import dataclasses
from typing import NamedTuple

import numpy as np

from sim.world.ballistics import Trajectory
from sim.world.geo import destination

DEBRIS_FALL_SPEED_MS = 200.0


class DebrisImpact(NamedTuple):
    lat: np.ndarray
    lon: np.ndarray
    fall_time_s: np.ndarray  # from the break-up to the ground


def explode(
    traj: Trajectory, explosion_time_s, wind_east_ms=0.0, wind_north_ms=0.0, debris_fall_speed_ms=DEBRIS_FALL_SPEED_MS
) -> DebrisImpact:
    """Where the debris of a break-up at `explosion_time_s` lands, and how long it falls.

    `explosion_time_s` is on the scenario clock, like `Trajectory.position` (launch_time_s plus the
    drawn seconds after launch). A break-up after impact leaves the impact point, before launch the
    pad. Wind in m/s towards the east and the north.
    """
    lat, lon, alt_km = traj.position(explosion_time_s)
    fall_s = alt_km * 1000.0 / np.asarray(debris_fall_speed_ms, dtype=float)
    east_km = np.asarray(wind_east_ms, dtype=float) * fall_s / 1000.0
    north_km = np.asarray(wind_north_ms, dtype=float) * fall_s / 1000.0
    drift_km = np.hypot(east_km, north_km)
    lat, lon = destination(lat, lon, np.degrees(np.arctan2(east_km, north_km)), drift_km)
    return DebrisImpact(lat, lon, fall_s)


def with_heading_error(traj: Trajectory, error_deg) -> Trajectory:
    """The same flights steered `error_deg` off their azimuth (a guidance fault; clockwise positive)."""
    return dataclasses.replace(traj, azimuth_deg=traj.azimuth_deg + np.asarray(error_deg, dtype=float))


def with_thrust_shortfall(traj: Trajectory, speed_fraction) -> Trajectory:
    """The same flights burning out at `speed_fraction` of their speed (same angle): they fall short.

    Range grows roughly with the square of burnout speed, so a 10 % shortfall costs some 20 % of
    range at medium ranges. A weaker motor over the same burn climbs less as well: the burnout
    altitude scales with the speed, so the boost keeps its shape (and stays reachable).
    """
    fraction = np.asarray(speed_fraction, dtype=float)
    if np.any(fraction < 0) or not np.all(np.isfinite(fraction)):
        raise ValueError("speed fraction must be a finite number >= 0")
    return dataclasses.replace(traj, speed_kms=traj.speed_kms * fraction, burnout_alt_km=traj.burnout_alt_km * fraction)
