"""Where the pieces of a broken-up missile come down: fragments flown through the air to the ground.

Each fragment leaves the break-up with the missile's position and velocity and then feels gravity
(central, mu / r^2, over the same spherical non-rotating Earth as `ballistics`) and drag:

    dv/dt = -rho(h) |v - w| (v - w) / (2 beta) + g

with beta = m / (C_D A) its ballistic coefficient (kg/m^2: dense lumps some thousands, skin panels
some tens), rho from `atmosphere` and w the wind, blowing horizontally below `wind_top_m` (20 km by
default) and nowhere above. Fragments differ only by their beta, passed in (the caller draws them).
With beta -> infinity the path is the free flight of `ballistics`; low down a fragment settles at
its terminal speed sqrt(2 beta g / rho).

Integration is classical Runge-Kutta 4 in Earth-centred Cartesian metres, every fragment with its
own step: a fraction of the drag time constant 2 beta / (rho |v - w|) and never more than `max_step_s`,
so a feather and a warhead are both flown accurately in one vectorised loop. The step that would cross
the ground is redone to end on it: the time to the ground is bracketed inside that step and found by
regula falsi with the Illinois modification (it converges from both sides even on the curved arc of a
fragment thrown up from a few metres, where plain secant steps creep from one side), to well under a
metre. A fragment that crossed the ground has landed, whatever the residual: only one still aloft
after `MAX_FLIGHT_S` is reported lost. tests/world/test_debris.py measures the error by halving the steps.
"""

from __future__ import annotations

import warnings
from collections.abc import Callable
from typing import NamedTuple

import numpy as np

from sim.world.atmosphere import exponential_density
from sim.world.geo import (
    EARTH_RADIUS_KM,
    destination,
    great_circle_km,
    initial_bearing_deg,
)

MU_M3_S2 = 398600.4418e9
R_M = EARTH_RADIUS_KM * 1000.0
G_SURFACE_MS2 = MU_M3_S2 / R_M**2  # 9.820 m/s^2: the gravity the fragments feel at the ground
WIND_TOP_M = 20000.0
MAX_STEP_S = 1.0
DRAG_STEP_FRACTION = 0.5  # of the drag time constant; RK4 is stable to about 2.8 of it
MAX_FLIGHT_S = 3600.0  # a fragment still aloft after an hour is a leaf on the wind: reported as NaN
_GROUND_ITERATIONS = 12  # Illinois steps on the ground-crossing step: converged to far below a metre

Density = Callable[[np.ndarray], np.ndarray]


class BreakUp(NamedTuple):
    """The missile's state at the break-up, each field broadcast to the fragments' shape."""

    lat: np.ndarray
    lon: np.ndarray
    alt_km: np.ndarray
    speed_kms: np.ndarray
    angle_deg: np.ndarray  # flight path angle above the local horizontal
    azimuth_deg: np.ndarray  # heading, clockwise from north


class Landing(NamedTuple):
    """Where and when each fragment comes down (NaN for any still aloft after `MAX_FLIGHT_S`)."""

    lat: np.ndarray
    lon: np.ndarray
    time_s: np.ndarray  # from the break-up
    speed_ms: np.ndarray  # at the ground, relative to the ground
    apex_km: np.ndarray  # highest altitude reached after the break-up


def _basis(r):
    """Unit up, east and north vectors at Cartesian positions r (3 x N)."""
    up = r / np.linalg.norm(r, axis=0)
    horizontal = np.hypot(r[0], r[1])
    east = np.stack([-r[1], r[0], np.zeros_like(r[0])]) / horizontal
    north = np.cross(up, east, axis=0)
    return up, east, north


def _to_cartesian(state: BreakUp):
    lat, lon = np.radians(state.lat), np.radians(state.lon)
    up = np.stack([np.cos(lat) * np.cos(lon), np.cos(lat) * np.sin(lon), np.sin(lat)])
    east = np.stack([-np.sin(lon), np.cos(lon), np.zeros_like(lon)])
    north = np.stack([-np.sin(lat) * np.cos(lon), -np.sin(lat) * np.sin(lon), np.cos(lat)])
    gamma, az = np.radians(state.angle_deg), np.radians(state.azimuth_deg)
    v = state.speed_kms * 1000.0
    vel = v * (np.cos(gamma) * (np.sin(az) * east + np.cos(az) * north) + np.sin(gamma) * up)
    return (R_M + state.alt_km * 1000.0) * up, vel


def _to_lat_lon(r):
    return np.degrees(np.arctan2(r[2], np.hypot(r[0], r[1]))), np.degrees(np.arctan2(r[1], r[0]))


def _acceleration(r, v, beta, wind_e, wind_n, wind_top_m, density: Density):
    dist = np.linalg.norm(r, axis=0)
    gravity = -MU_M3_S2 * r / dist**3
    alt = dist - R_M
    _, east, north = _basis(r)
    windy = alt < wind_top_m
    air = np.where(windy, wind_e, 0.0) * east + np.where(windy, wind_n, 0.0) * north
    rel = v - air
    speed = np.linalg.norm(rel, axis=0)
    k = density(alt) * speed / (2.0 * beta)  # 1 / drag time scale, per second
    return gravity - k * rel, k


def _rk4(r, v, dt, args):
    a1, _ = _acceleration(r, v, *args)
    r2, v2 = r + 0.5 * dt * v, v + 0.5 * dt * a1
    a2, _ = _acceleration(r2, v2, *args)
    r3, v3 = r + 0.5 * dt * v2, v + 0.5 * dt * a2
    a3, _ = _acceleration(r3, v3, *args)
    r4, v4 = r + dt * v3, v + dt * a3
    a4, _ = _acceleration(r4, v4, *args)
    return r + dt / 6.0 * (v + 2 * v2 + 2 * v3 + v4), v + dt / 6.0 * (a1 + 2 * a2 + 2 * a3 + a4)


def fall(
    state: BreakUp,
    beta_kg_m2,
    wind_east_ms=0.0,
    wind_north_ms=0.0,
    wind_top_m=WIND_TOP_M,
    density: Density = exponential_density,
    max_step_s=MAX_STEP_S,
    step_fraction=DRAG_STEP_FRACTION,
    max_flight_s=MAX_FLIGHT_S,
) -> Landing:
    """Fly every fragment from its break-up state to the ground.

    All arguments broadcast together (e.g. the break-up per replication as shape (R, 1) against the
    fragments' betas (R, F) or (F,)); `beta_kg_m2 = np.inf` is a fragment the air does not slow.
    Wind in m/s towards the east and the north. Cost: one loop over time steps, vectorised over
    all fragments; the fragments still in the air are the only ones computed. The lightest fragment
    sets the number of steps (about its flight time / min(1 s, drag time constant / 2)): some 2,500
    for beta = 10 kg/m^2 from 70 km, a second of CPU for a block of 100 replications.
    """
    beta = np.asarray(beta_kg_m2, dtype=float)
    fields = np.broadcast_arrays(
        *(np.asarray(f, dtype=float) for f in state),
        beta,
        np.asarray(wind_east_ms, dtype=float),
        np.asarray(wind_north_ms, dtype=float),
    )
    shape = fields[0].shape
    flat = [f.ravel() for f in fields]
    state = BreakUp(*flat[:6])
    beta, wind_e, wind_n = flat[6:]
    if np.any(~(beta > 0)) or np.any(state.alt_km < 0):
        raise ValueError("ballistic coefficients must be > 0 and break-up altitudes >= 0")
    r, v = _to_cartesian(state)
    n = beta.size
    t = np.zeros(n)
    apex = state.alt_km * 1000.0
    alt0 = np.linalg.norm(r, axis=0) - R_M
    aloft = np.flatnonzero((alt0 > 0) | ((alt0 >= -1e-6) & (np.sum(r * v, axis=0) > 0)))  # or leaving the ground
    landed_r, landed_v = r.copy(), v.copy()
    landed = np.zeros(n, dtype=bool)
    landed[np.setdiff1d(np.arange(n), aloft)] = True  # on the ground already, not leaving it
    while aloft.size:
        ra, va = r[:, aloft], v[:, aloft]
        args = (beta[aloft], wind_e[aloft], wind_n[aloft], wind_top_m, density)
        _, k = _acceleration(ra, va, *args)
        dt = np.minimum(max_step_s, step_fraction / np.maximum(k, 1e-12))
        rn, vn = _rk4(ra, va, dt, args)
        h0, h1 = np.linalg.norm(ra, axis=0) - R_M, np.linalg.norm(rn, axis=0) - R_M
        down = h1 <= 0
        if down.any():  # redo the last step to end on the ground
            sub = (ra[:, down], va[:, down], tuple(a[down] if isinstance(a, np.ndarray) else a for a in args))
            guess, rg, vg = _ground_crossing(sub, dt[down], h0[down], h1[down])
            idx = aloft[down]
            landed_r[:, idx], landed_v[:, idx] = rg, vg
            landed[idx] = True
            t[idx] += guess
        r[:, aloft], v[:, aloft] = rn, vn
        t[aloft[~down]] += dt[~down]
        apex[aloft] = np.maximum(apex[aloft], np.maximum(h1, 0.0))
        aloft = aloft[~down & (t[aloft] < max_flight_s)]
    lat, lon = _to_lat_lon(landed_r)
    lost = ~landed  # never came down within MAX_FLIGHT_S
    speed = np.where(lost, np.nan, np.linalg.norm(landed_v, axis=0))
    out = [np.where(lost, np.nan, lat), np.where(lost, np.nan, lon), np.where(lost, np.nan, t), speed, apex / 1000.0]
    return Landing(*(x.reshape(shape)[()] for x in out))


def _ground_crossing(sub, dt, h0, h1):
    """(time into the step, position, velocity) where a step of `dt` from above the ground (h0 > 0)
    to below it (h1 <= 0) meets the ground: regula falsi with the Illinois halving of a stale end."""
    d_lo, d_hi, g_lo, g_hi = np.zeros_like(dt), dt.copy(), h0.copy(), h1.copy()
    side = np.zeros(dt.shape, dtype=int)  # the end that moved last: +1 the one above ground, -1 the one below
    guess, rg, vg = dt, sub[0], sub[1]
    for _ in range(_GROUND_ITERATIONS):
        gap = g_lo - g_hi  # > 0 while the bracket holds
        guess = d_lo + (d_hi - d_lo) * g_lo / np.where(gap > 0, gap, 1.0)
        rg, vg = _rk4(sub[0], sub[1], guess, sub[2])
        hg = np.linalg.norm(rg, axis=0) - R_M
        above = hg > 0
        g_hi = np.where(above, np.where(side == 1, 0.5 * g_hi, g_hi), hg)
        g_lo = np.where(above, hg, np.where(side == -1, 0.5 * g_lo, g_lo))
        d_lo, d_hi = np.where(above, guess, d_lo), np.where(above, d_hi, guess)
        side = np.where(above, 1, -1)
    return guess, rg, vg


def terminal_speed_ms(beta_kg_m2, alt_m=0.0, density: Density = exponential_density, g=G_SURFACE_MS2):
    """Speed at which drag balances weight, falling straight down: sqrt(2 beta g / rho)."""
    return np.sqrt(2.0 * np.asarray(beta_kg_m2, dtype=float) * g / density(alt_m))


class Footprint(NamedTuple):
    """The spread of fragment impacts per break-up (reduced over the last axis)."""

    centre_lat: np.ndarray
    centre_lon: np.ndarray
    length_km: np.ndarray  # span of the fragments along the main axis of their scatter
    width_km: np.ndarray  # span across it
    axis_deg: np.ndarray  # bearing of the main axis, 0..180
    farthest_km: np.ndarray  # largest distance of a fragment from `ref` (the pad, say), or the centre


def footprint(lat, lon, ref_lat=None, ref_lon=None) -> Footprint:
    """Summary of where the fragments of each break-up fell: fragments along the last axis.

    The centre is the mean impact; length and width span the fragments along and across the main
    axis of their scatter (principal axes in a local east/north plane, km). NaN fragments (lost) are
    ignored.
    """
    with warnings.catch_warnings():  # a break-up whose every fragment was lost gives NaN, quietly
        warnings.simplefilter("ignore", RuntimeWarning)
        return _footprint(lat, lon, ref_lat, ref_lon)


def _footprint(lat, lon, ref_lat, ref_lon) -> Footprint:
    lat, lon = np.asarray(lat, dtype=float), np.asarray(lon, dtype=float)
    c_lat, c_lon = np.nanmean(lat, axis=-1), np.nanmean(lon, axis=-1)
    dist = great_circle_km(c_lat[..., None], c_lon[..., None], lat, lon)
    bearing = np.radians(initial_bearing_deg(c_lat[..., None], c_lon[..., None], lat, lon))
    x, y = dist * np.sin(bearing), dist * np.cos(bearing)  # east, north
    sxx, syy, sxy = np.nanmean(x * x, axis=-1), np.nanmean(y * y, axis=-1), np.nanmean(x * y, axis=-1)
    theta = 0.5 * np.arctan2(2 * sxy, sxx - syy)  # main axis, from east anticlockwise
    along = x * np.cos(theta)[..., None] + y * np.sin(theta)[..., None]
    across = -x * np.sin(theta)[..., None] + y * np.cos(theta)[..., None]
    length = np.nanmax(along, axis=-1) - np.nanmin(along, axis=-1)
    width = np.nanmax(across, axis=-1) - np.nanmin(across, axis=-1)
    axis = np.mod(90.0 - np.degrees(theta), 180.0)
    if ref_lat is None:
        ref_lat, ref_lon = c_lat, c_lon
    far = np.nanmax(great_circle_km(np.asarray(ref_lat)[..., None], np.asarray(ref_lon)[..., None], lat, lon), axis=-1)
    return Footprint(c_lat[()], c_lon[()], length[()], width[()], axis[()], far[()])


def ground_range_km(state: BreakUp, landing: Landing) -> np.ndarray:
    """Distance along the ground from below the break-up to each impact."""
    return great_circle_km(state.lat, state.lon, landing.lat, landing.lon)


def downrange_point(state: BreakUp, range_km) -> tuple[np.ndarray, np.ndarray]:
    """The point `range_km` along the break-up's heading (where a no-wind fragment lands)."""
    return destination(state.lat, state.lon, state.azimuth_deg, range_km)


def breakup_state(traj, t_s, dt_s=0.01) -> BreakUp:
    """The state of `traj` at absolute times `t_s`, boosting or coasting: where it is and how it moves.

    A `ballistics.Trajectory` gives its state exactly: speed and flight-path angle from its own
    kinematics (the closed-form powered phase while boosting, the conic after), heading along its great
    circle. This matters at a break-up near burnout, where the acceleration jumps and a difference of
    positions across it is wrong by tens of metres of range. Anything else with `position(t) -> lat, lon,
    alt_km` gets the velocity by a central difference over +-`dt_s` (error ~ dt^2 x jerk).
    """
    t = np.asarray(t_s, dtype=float)
    if hasattr(traj, "flight_path_angle_deg") and hasattr(traj, "track"):
        track = traj.track(t)
        along = EARTH_RADIUS_KM * track.travelled_rad
        lat, lon = destination(traj.launch_lat, traj.launch_lon, traj.azimuth_deg, along)
        ahead = destination(traj.launch_lat, traj.launch_lon, traj.azimuth_deg, along + 1.0)
        return BreakUp(
            lat,
            lon,
            track.alt_km,
            track.speed_kms,
            np.asarray(traj.flight_path_angle_deg(t), dtype=float),
            np.mod(initial_bearing_deg(lat, lon, *ahead), 360.0),
        )
    lat, lon, alt = traj.position(t)
    before = _cartesian_point(*traj.position(t - dt_s))
    after = _cartesian_point(*traj.position(t + dt_s))
    vel = (after - before) / (2.0 * dt_s)
    up, east, north = _basis(_cartesian_point(lat, lon, alt))
    ve, vn, vu = (np.sum(vel * e, axis=0) for e in (east, north, up))
    return BreakUp(
        lat,
        lon,
        alt,
        np.sqrt(ve**2 + vn**2 + vu**2) / 1000.0,
        np.degrees(np.arctan2(vu, np.hypot(ve, vn))),
        np.mod(np.degrees(np.arctan2(ve, vn)), 360.0),
    )


def _cartesian_point(lat, lon, alt_km):
    lat, lon = np.radians(lat), np.radians(lon)
    r = R_M + np.asarray(alt_km, dtype=float) * 1000.0
    return r * np.stack(np.broadcast_arrays(np.cos(lat) * np.cos(lon), np.cos(lat) * np.sin(lon), np.sin(lat)))
