"""The predicted impact point and how much to trust it, re-evaluated at every track update.

A radar measures the missile's position with error sigma_x (km) at each of N looks spread over T
seconds. A straight-line least-squares fit of those looks (the textbook track filter) knows the
velocity to

    sigma_v = sigma_x sqrt(12 (N - 1) / (N (N + 1))) / T   ->  sqrt(12) sigma_x / (T sqrt(N)) for large N

and the present position to sigma_p = sigma_x sqrt(2 (2N - 1) / (N (N + 1))) (the fitted line's error
at its last point). Carried forward over the time to go t_go, the impact point is off by

    sigma(t_go) = sqrt(sigma_p^2 + (sigma_v t_go)^2)   (km, per axis on the ground).

So the prediction learns twice over: each look adds to N and T, and t_go shrinks. Nothing is
predicted while the engine burns (the future path is not ballistic yet): see `prediction_available`.

P(impact on own territory) integrates the circular Gaussian of that error over the real map
(`territory`), deterministically: a fixed polar quadrature of equal-probability cells (rings at
Rayleigh quantiles, spokes turned by the golden angle from ring to ring) places M points around the
predicted point and looks each up; P is the share that falls on own soil. Against a straight coast
at distance d it reproduces the closed form Phi(-d / sigma) to within 0.005 (docs/validation.md).
"""

from __future__ import annotations

import math

import numpy as np

from sim.world.ballistics import Trajectory
from sim.world.geo import destination
from sim.world.territory import Territories, territories

RINGS = 16
SPOKES = 32
_GOLDEN_ANGLE = math.pi * (3.0 - math.sqrt(5.0))


def velocity_error_kms(sigma_x_km, track_time_s, n_looks) -> np.ndarray:
    """1-sigma velocity error (km/s) of a least-squares line through `n_looks` equally spaced looks
    over `track_time_s`: sigma_x sqrt(12 (N-1) / (N (N+1))) / T; infinite with fewer than two looks."""
    n = np.asarray(n_looks, dtype=float)
    t = np.asarray(track_time_s, dtype=float)
    with np.errstate(divide="ignore", invalid="ignore"):
        out = np.asarray(sigma_x_km, dtype=float) * np.sqrt(12.0 * (n - 1.0) / (n * (n + 1.0))) / t
    return np.where((n >= 2) & (t > 0), out, np.inf)[()]


def position_error_km(sigma_x_km, n_looks) -> np.ndarray:
    """1-sigma error of the fitted position at the last look: sigma_x sqrt(2 (2N - 1) / (N (N + 1)))."""
    n = np.maximum(np.asarray(n_looks, dtype=float), 1.0)
    return (np.asarray(sigma_x_km, dtype=float) * np.sqrt(2.0 * (2.0 * n - 1.0) / (n * (n + 1.0))))[()]


def impact_error_km(sigma_p_km, sigma_v_kms, time_to_go_s) -> np.ndarray:
    """1-sigma error of the predicted impact point: sqrt(sigma_p^2 + (sigma_v t_go)^2)."""
    t_go = np.maximum(np.asarray(time_to_go_s, dtype=float), 0.0)
    return np.hypot(np.asarray(sigma_p_km, dtype=float), np.asarray(sigma_v_kms, dtype=float) * t_go)[()]


def prediction_available(traj: Trajectory, t_s) -> np.ndarray:
    """True once the engine has cut off (no ballistic prediction before) and before impact."""
    t = np.asarray(t_s, dtype=float)
    return (t >= traj.burnout_time_s) & (t < traj.impact_time_s)


def impact_error_at(traj: Trajectory, t_s, track_start_s, scan_period_s, sigma_x_km) -> np.ndarray:
    """sigma(t_go) of each flight's predicted impact point at absolute time `t_s` for a track held
    since `track_start_s` with one look every `scan_period_s` (NaN where nothing can be predicted:
    before burnout, before the track starts, after impact)."""
    t = np.asarray(t_s, dtype=float)
    held = t - np.asarray(track_start_s, dtype=float)
    n = np.floor(held / scan_period_s) + 1.0
    sigma = impact_error_km(
        position_error_km(sigma_x_km, n), velocity_error_kms(sigma_x_km, held, n), traj.impact_time_s - t
    )
    return np.where(prediction_available(traj, t) & (held >= 0), sigma, np.nan)[()]


def predicted_impact(traj: Trajectory, z_east, z_north, sigma_km) -> tuple[np.ndarray, np.ndarray]:
    """(lat, lon) of the predicted impact point: the true one off by (z_east, z_north) x sigma km.

    With the standard normal draws z held fixed for a flight (drawn once by the engine), the
    prediction walks onto the true point as sigma shrinks: a tracker that keeps learning, with
    common random numbers between a better and a worse sensor.
    """
    lat, lon = traj.impact()
    e = np.asarray(z_east, dtype=float) * sigma_km
    n = np.asarray(z_north, dtype=float) * sigma_km
    return destination(lat, lon, np.degrees(np.arctan2(e, n)), np.hypot(e, n))


def gaussian_offsets(rings: int = RINGS, spokes: int = SPOKES) -> tuple[np.ndarray, np.ndarray]:
    """(bearing deg, distance in sigmas) of the quadrature points, each carrying weight 1 / (rings x spokes).

    Ring i sits at the median radius of the i-th equal-probability annulus of a circular Gaussian
    (Rayleigh: r = sqrt(-2 ln(1 - (i + 1/2) / rings))); its spokes are equally spaced and turned by the
    golden angle from the ring before, so no direction is favoured.
    """
    i = np.arange(rings, dtype=float)[:, None]
    j = np.arange(spokes, dtype=float)[None, :]
    radius = np.sqrt(-2.0 * np.log(1.0 - (i + 0.5) / rings)) * np.ones_like(j)
    angle = 2.0 * np.pi * j / spokes + _GOLDEN_ANGLE * i
    return np.degrees(angle).ravel(), radius.ravel()


def probability_on_territory(
    lat, lon, sigma_km, code: str, world: Territories | None = None, rings: int = RINGS, spokes: int = SPOKES
) -> np.ndarray:
    """P(impact on territory `code`) for predicted points (lat, lon) with circular 1-sigma error
    `sigma_km` (per axis), by the fixed quadrature of the module note; NaN where sigma is NaN."""
    world = territories() if world is None else world
    if code not in world.codes:
        raise ValueError(f"unknown territory {code!r}: one of {', '.join(world.codes)}")
    lat, lon, sigma = np.broadcast_arrays(*(np.asarray(x, dtype=float) for x in (lat, lon, sigma_km)))
    bearing, radius = gaussian_offsets(rings, spokes)
    shape = (-1,) + (1,) * lat.ndim
    s = np.nan_to_num(sigma, nan=0.0)
    p_lat, p_lon = destination(lat, lon, bearing.reshape(shape), radius.reshape(shape) * s)
    own = world.lookup(p_lat, p_lon) == world.codes.index(code)
    return np.where(np.isnan(sigma), np.nan, own.mean(axis=0))[()]


def reaches_probability(
    lat,
    lon,
    sigma_km,
    code: str,
    threshold: float,
    world: Territories | None = None,
    rings: int = RINGS,
    spokes: int = SPOKES,
    stages: int = 4,
) -> np.ndarray:
    """Whether `probability_on_territory` would reach `threshold`, found from as few quadrature points as it takes.

    P is the share of M equally weighted points on `code`, so it reaches the threshold exactly when the count of
    those points does: at least `need`, the least k with k / M >= threshold. The points are looked up a stage at a
    time (every `stages`-th spoke of every ring, so each stage is spread all round); a predicted point whose count
    already reaches `need`, or can no longer reach it with the points left, is settled there. The same answer as
    the whole quadrature, bit for bit, for a fraction of the map look-ups where most points are clearly on one side.
    False where sigma is NaN (NaN >= threshold is false).
    """
    world = territories() if world is None else world
    if code not in world.codes:
        raise ValueError(f"unknown territory {code!r}: one of {', '.join(world.codes)}")
    own = world.codes.index(code)
    shape = np.broadcast_shapes(*(np.shape(x) for x in (lat, lon, sigma_km)))
    lat, lon, sigma = (np.ravel(a) for a in np.broadcast_arrays(*(np.asarray(x, float) for x in (lat, lon, sigma_km))))
    bearing, radius = gaussian_offsets(rings, spokes)
    m = bearing.size
    need = next((k for k in range(m + 1) if k / m >= threshold), m + 1)  # k / m: the division mean() makes
    count = np.zeros(lat.size, dtype=int)
    left = m
    todo = np.flatnonzero(~np.isnan(sigma))
    spoke = np.arange(m) % spokes
    for stage in range(stages):
        if not todo.size:
            break
        pick = spoke % stages == stage
        p_lat, p_lon = destination(lat[todo], lon[todo], bearing[pick][:, None], radius[pick][:, None] * sigma[todo])
        count[todo] += (world.lookup(p_lat, p_lon) == own).sum(axis=0)
        left -= int(pick.sum())
        settled = (count[todo] >= need) | (count[todo] + left < need)
        todo = todo[~settled]
    return ((count >= need) & ~np.isnan(sigma)).reshape(shape)


def normal_cdf(x) -> np.ndarray:
    """Phi(x), the standard normal distribution function (for the straight-coast closed form)."""
    erfc = np.vectorize(math.erfc, otypes=[float])
    return (0.5 * erfc(-np.asarray(x, dtype=float) / math.sqrt(2.0)))[()]
