"""The debris of a break-up, flown fragment by fragment (``sim.world.debris.fall``) for a whole block.

A scenario that asks for fragments (``failure.fragments: 4``) gets, for every replication that blows
up, that many fragments leaving the break-up with the missile's position and velocity, each with its
own drawn ballistic coefficient, slowed by the air and carried by the wind below 20 km. Only the
replications that blow up are flown, in one vectorised call.

The threat's impact point is where the heaviest fragment (largest beta, the most mass) lands; the
footprint's length is recorded as ``debris_spread_km``.
"""

from __future__ import annotations

import numpy as np

from sim.world import debris
from sim.world.ballistics import Trajectory

LIGHTEST_BETA = 100.0  # kg/m^2: lighter pieces drift like leaves and would set the step count; drawn values are
# clipped to it (the Tokchon calibration fits beta >= ~2000 anyway)
MAX_STEP_S = 5.0  # RK4 step cap: 5 s instead of the world's 1 s moves a landing by ~10 m and is 4x faster


def fragments_land(
    traj: Trajectory,
    t_boom: np.ndarray,
    exploded: np.ndarray,
    betas: np.ndarray,
    wind_east_ms: np.ndarray,
    wind_north_ms: np.ndarray,
):
    """(lat, lon, fall time s, footprint length km) per replication; NaN where it did not blow up.

    ``betas`` is (replications, fragments); winds are per replication (m/s toward east and north).
    """
    n = len(t_boom)
    lat, lon, fall_s, spread = (np.full(n, np.nan) for _ in range(4))
    rows = np.flatnonzero(exploded)
    if rows.size == 0:
        return lat, lon, fall_s, spread
    state = debris.breakup_state(traj[rows], t_boom[rows])
    fragments = debris.BreakUp(*(np.asarray(x, dtype=float)[:, None] for x in state))
    beta = np.maximum(np.asarray(betas, dtype=float)[rows], LIGHTEST_BETA)
    landing = debris.fall(fragments, beta, wind_east_ms[rows, None], wind_north_ms[rows, None], max_step_s=MAX_STEP_S)
    heaviest = np.argmax(beta, axis=1)
    pick = np.arange(rows.size)
    lat[rows], lon[rows] = landing.lat[pick, heaviest], landing.lon[pick, heaviest]
    fall_s[rows] = landing.time_s[pick, heaviest]
    if beta.shape[1] > 1:
        spread[rows] = debris.footprint(landing.lat, landing.lon).length_km
    else:
        spread[rows] = 0.0
    return lat, lon, fall_s, spread
