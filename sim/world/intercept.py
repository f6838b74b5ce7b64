"""Can a battery still reach the missile, and with what chance of a kill.

The interceptor is modelled by its average speed: launched at t_L, it can be anywhere within
interceptor_speed x (t - t_L) of the battery at time t, flying a straight line (a planning figure,
not a guidance law). It kills only inside the battery's envelope: a band of slant range from the
battery and of target altitude, against targets no faster than the envelope allows.

Against faster targets the reach shrinks: the same S-400 quoted at up to 400 km against aircraft
(public figure P-1) is quoted at about 60 km against non-strategic ballistic targets up to 4.8 km/s
(P-2, P-3; the contradiction X-1 in seeds/public_figures.md). An envelope may carry that as a table of
(target speed, max range) points, interpolated linearly and held flat beyond its ends; the points
between the two published anchors are a scenario's assumption.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from sim.world.ballistics import EdgeScan, Trajectory
from sim.world.geo import EARTH_RADIUS_KM, straight_line_km


@dataclass(frozen=True)
class Envelope:
    """Where a battery can kill a ballistic target (ranges are slant, from the battery)."""

    min_range_km: float
    max_range_km: float
    min_alt_km: float
    max_alt_km: float
    max_target_speed_kms: float = np.inf
    range_vs_speed: tuple[tuple[float, float], ...] = ()  # (target km/s, max range km), speeds rising

    def __post_init__(self):
        if not (0 <= self.min_range_km <= self.max_range_km and 0 <= self.min_alt_km <= self.max_alt_km):
            raise ValueError("envelope needs 0 <= min_range_km <= max_range_km and 0 <= min_alt_km <= max_alt_km")
        if not self.max_target_speed_kms > 0:
            raise ValueError("envelope max_target_speed_kms must be positive")
        if self.range_vs_speed:
            speeds, ranges = np.asarray(self.range_vs_speed, dtype=float).T
            if np.any(np.diff(speeds) <= 0) or np.any(ranges < 0) or np.any(speeds < 0):
                raise ValueError("envelope range_vs_speed needs rising speeds >= 0 and ranges >= 0")

    def max_range_at(self, target_speed_kms) -> np.ndarray:
        """Max range (km) against targets at these speeds: the table, capped by max_range_km; 0 above
        max_target_speed_kms."""
        v = np.asarray(target_speed_kms, dtype=float)
        reach = np.full(v.shape, self.max_range_km)
        if self.range_vs_speed:
            speeds, ranges = np.asarray(self.range_vs_speed, dtype=float).T
            reach = np.minimum(reach, np.interp(v, speeds, ranges))
        return np.where(v <= self.max_target_speed_kms, reach, 0.0)[()]


def _distance_km(traj: Trajectory, battery_lat, battery_lon, t_s):
    """Straight-line distance from the battery, altitude and speed of each flight at times t_s."""
    angle, alt, speed = traj.view_from(battery_lat, battery_lon, t_s)
    return straight_line_km(angle, 0.0, alt), alt, speed


def _inside(traj, envelope, t_s, distance, alt, speed):
    return (
        traj.in_flight(t_s)
        & (distance >= envelope.min_range_km)
        & (distance <= (envelope.max_range_at(speed) if envelope.range_vs_speed else envelope.max_range_km))
        & (alt >= envelope.min_alt_km)
        & (alt <= envelope.max_alt_km)
        & (speed <= envelope.max_target_speed_kms)
    )


def in_envelope(traj: Trajectory, battery_lat, battery_lon, envelope: Envelope, t_s) -> np.ndarray:
    """Whether each flight is inside the battery's envelope at absolute times `t_s` (and flying)."""
    return _inside(traj, envelope, t_s, *_distance_km(traj, battery_lat, battery_lon, t_s))


def intercept_time_s(
    traj: Trajectory,
    battery_lat,
    battery_lon,
    interceptor_speed_kms,
    launch_time_s,
    envelope: Envelope | None = None,
    step_s=1.0,
    tol_s=0.01,
) -> np.ndarray:
    """Earliest time an interceptor launched at `launch_time_s` meets each flight (NaN if it cannot).

    It meets the target at the first moment the target is within its reach (speed x time since its
    launch) and, when an `envelope` is given, inside it. Launched before the window opens (see
    `engagement_window`) it meets the target where it enters the envelope, on a slower flyout.
    """
    speed = np.asarray(interceptor_speed_kms, dtype=float)
    t_launch = np.asarray(launch_time_s, dtype=float)

    def meets(t):
        distance, alt, target_speed = _distance_km(traj, battery_lat, battery_lon, t)
        ok = traj.in_flight(t) & (distance <= speed * (t - t_launch))
        if envelope is not None:
            ok &= _inside(traj, envelope, t, distance, alt, target_speed)
        return ok

    return traj.first_time_s(meets, start_s=t_launch, step_s=step_s, tol_s=tol_s)


def engagement_window(
    traj: Trajectory, battery_lat, battery_lon, envelope: Envelope, interceptor_speed_kms, step_s=1.0, tol_s=0.01
) -> tuple[np.ndarray, np.ndarray]:
    """(earliest_launch_s, latest_launch_s) of interceptors that can meet each flight in the envelope.

    Meeting the target at time t inside the envelope needs a launch at t - distance(t) / speed. The
    window runs from the earliest to the latest such launch time over the flight, never before the
    missile's own launch; NaN for both where there is none. The latest launch is the moment the
    decision must be made by: the margin trainers read.

    One pass over the flight every `step_s`; the moments the flight enters and leaves the envelope
    are then bisected to `tol_s`, since the window's ends usually sit there.
    """
    speed = np.asarray(interceptor_speed_kms, dtype=float)
    near = _within_reach(traj, battery_lat, battery_lon, envelope)
    if traj.shape == near.shape and not near.all():  # flights whose whole great circle passes out of reach: none
        opens, closes = np.full(traj.shape, np.nan), np.full(traj.shape, np.nan)
        if near.any():
            near_speed = speed if speed.ndim == 0 else speed[near]
            opens[near], closes[near] = engagement_window(
                traj[near], battery_lat, battery_lon, envelope, near_speed, step_s, tol_s
            )
        return opens, closes

    def launch_for(t):  # launch time needed to meet the target at t (NaN outside the envelope)
        distance, alt, target_speed = _distance_km(traj, battery_lat, battery_lon, t)
        ok = _inside(traj, envelope, t, distance, alt, target_speed)
        return np.where(ok, t - distance / speed, np.nan)

    earliest = np.full(traj.shape, np.inf)
    latest = np.full(traj.shape, -np.inf)
    scan = EdgeScan(traj.shape)
    for t in traj.time_grid(step_s):
        needed = launch_for(t)
        ok = ~np.isnan(needed)
        earliest = np.minimum(earliest, np.where(ok, needed, np.inf).min(axis=0))
        latest = np.maximum(latest, np.where(ok, needed, -np.inf).max(axis=0))
        scan.add(t, ok)

    def feasible(t):
        return ~np.isnan(launch_for(t))

    for edge in (scan.first_s(feasible, step_s, tol_s), scan.last_s(feasible, step_s, tol_s)):
        needed = launch_for(edge)
        earliest = np.fmin(earliest, needed)
        latest = np.fmax(latest, needed)
    earliest = np.maximum(earliest, traj.launch_time_s)
    none = ~np.isfinite(latest) | (latest < traj.launch_time_s)
    return np.where(none, np.nan, earliest)[()], np.where(none, np.nan, latest)[()]


_REACH_MARGIN_KM = 1.0  # rounding room: a flight is left out only when clearly beyond reach


def _within_reach(traj: Trajectory, battery_lat, battery_lon, envelope: Envelope) -> np.ndarray:
    """Flights that may come within the envelope's longest reach of the battery (an exact lower bound).

    At a central angle theta from the battery and any altitude, a missile is at least the chord 2 R sin(theta / 2)
    away (``straight_line_km`` only grows with altitude and angle); theta is never below the flight's closest
    approach. A flight whose chord of closest approach exceeds the longest reach is never inside the envelope.
    """
    chord = 2.0 * EARTH_RADIUS_KM * np.sin(traj.closest_approach_rad(battery_lat, battery_lon) / 2.0)
    return ~(chord > envelope.max_range_km + _REACH_MARGIN_KM)


def salvo_kill_probability(p, n):
    """Chance that at least one of n independent shots, each killing with p, kills: 1 - (1 - p)^n."""
    return 1.0 - (1.0 - np.asarray(p, dtype=float)) ** np.asarray(n)


def shoot_look_shoot(p, max_shots) -> tuple[np.ndarray, np.ndarray]:
    """(kill probability, expected interceptors used) firing one at a time, looking after each.

    The kill chance is that of a salvo of `max_shots`; the k-th shot is only fired when the k - 1
    before it missed, so the expected count is 1 + (1 - p) + ... + (1 - p)^(max_shots - 1). It only
    holds when the window leaves time to look between shots.
    """
    p = np.asarray(p, dtype=float)
    n = np.asarray(max_shots)
    miss = 1.0 - p
    with np.errstate(divide="ignore", invalid="ignore"):
        used = np.where(p > 0, (1.0 - miss**n) / np.where(p > 0, p, 1.0), n)
    return salvo_kill_probability(p, n), used[()]


def salvo_kill_probability_common_mode(p, n, rho):
    """A salvo whose shots share a failure (the battery's radar, a wrong track): with probability
    1 - rho the whole salvo is lost, otherwise the shots are independent: rho (1 - (1 - p)^n)."""
    return np.asarray(rho, dtype=float) * salvo_kill_probability(p, n)


def shots_in_window(first_launch_s, latest_launch_s, interval_s, max_shots=None) -> np.ndarray:
    """How many interceptors can leave between `first_launch_s` and the window's close, one every
    `interval_s` (the launcher's minimum interval): floor((latest - first) / interval) + 1, 0 when the
    window is already shut or missing (NaN), at most `max_shots`."""
    first, latest = np.asarray(first_launch_s, dtype=float), np.asarray(latest_launch_s, dtype=float)
    interval = np.asarray(interval_s, dtype=float)
    with np.errstate(invalid="ignore", divide="ignore"):
        span = latest - first
        n = np.where(interval > 0, np.floor(span / np.where(interval > 0, interval, 1.0)) + 1, np.inf)
        n = np.where(np.isfinite(span) & (span >= 0), n, 0)
    if max_shots is not None:
        n = np.minimum(n, max_shots)
    return n.astype(float)[()]
