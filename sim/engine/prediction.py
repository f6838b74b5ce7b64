"""The impact prediction of each tracking variant, update by update, for a whole block.

A radar that has detected a threat tracks it, one update per scan period from its first
detection (``engine.sensing``). At each update after engine cut-off the prediction's error is
``sim.world.prediction.impact_error_at`` (least-squares track of the looks so far, carried over the
time to go), the predicted point the true one off by the threat's two standard normals
(``tracking.pip_error.<threat>``) times that error, and P(impact on own territory) the Gaussian of
that error integrated over the real map. The rule passes at an update where P reaches
``tracking.engage_probability``. Updates end when the missile lands or breaks up.

For the replication's process, each variant keeps its update grid (first update, period) and two
"next" tables: the first update at or after update n that exists, and the first that passes.

Cost: the quadrature (128 map look-ups per point) is done only where it can matter: where the
predicted point is farther from own territory's edge than the quadrature's widest ring (plus the
distance grid's error), every quadrature point lies on the same side and P is exactly 0 or 1. Where it is
done, the rule only needs to know whether P reaches the threshold, so the points are looked up a quarter at
a time until the count settles it (``sim.world.prediction.reaches_probability``: a third fewer look-ups).
"""

from __future__ import annotations

import numpy as np

from sim.world import prediction as wp
from sim.world.ballistics import Trajectory
from sim.world.territory import territories
from sim.world.zones import zone_of

RINGS, SPOKES = 8, 16  # 128 points: P to within about 1/128, plenty for a threshold rule (the world default is 512)
_WIDEST = float(np.sqrt(-2.0 * np.log(0.5 / RINGS)))  # sigmas out to the quadrature's outer ring
_MARGIN_KM = 1.0
QUADRATURE_CHUNK = 512


def own_probability(lat: np.ndarray, lon: np.ndarray, sigma: np.ndarray, own: str) -> np.ndarray:
    """P(impact on `own`) for predicted points and errors (any shape; NaN where sigma is NaN)."""
    return _on_own(lat, lon, sigma, own, None)


def reaches(lat: np.ndarray, lon: np.ndarray, sigma: np.ndarray, own: str, threshold: float) -> np.ndarray:
    """``own_probability(...) >= threshold``, bit for bit, from only the map look-ups the answer needs."""
    return _on_own(lat, lon, sigma, own, threshold) >= threshold


def _on_own(lat: np.ndarray, lon: np.ndarray, sigma: np.ndarray, own: str, threshold: float | None) -> np.ndarray:
    """P, or with a ``threshold`` 1.0 / 0.0 for reached or not: the quadrature only where the coast is near."""
    world = territories()
    p = np.full(sigma.shape, np.nan)
    ok = ~np.isnan(sigma)
    if not ok.any():
        return p
    inside = world.lookup(lat[ok], lon[ok]) == world.codes.index(own)
    need = np.ones(inside.shape, dtype=bool)
    try:
        from sim.world.zones import coast_distance_km, coast_distances

        d = np.abs(coast_distance_km(lat[ok], lon[ok], own))
        slack = _WIDEST * sigma[ok] + coast_distances().error_bound_km(lat[ok]) + _MARGIN_KM
        need = ~(d > slack)  # NaN (off the grid) keeps the quadrature
    except ValueError:
        pass  # no distance grid for this territory: the quadrature everywhere
    out = inside.astype(float)
    if need.any():
        q_lat, q_lon, q_sigma = lat[ok][need], lon[ok][need], sigma[ok][need]

        def chunk(n: int) -> np.ndarray:
            part = slice(n, n + QUADRATURE_CHUNK)
            args = (q_lat[part], q_lon[part], q_sigma[part], own)
            if threshold is None:
                return wp.probability_on_territory(*args, world, rings=RINGS, spokes=SPOKES)
            return wp.reaches_probability(*args, threshold, world, rings=RINGS, spokes=SPOKES).astype(float)

        # in slices of QUADRATURE_CHUNK points (x 128 map look-ups): each point's P is its own, and the
        # look-ups' temporaries stay in the cache however many flights the block holds
        out[need] = np.concatenate([chunk(n) for n in range(0, q_lat.size, QUADRATURE_CHUNK)])
    p[ok] = out
    return p


def _next_true(flags: np.ndarray) -> np.ndarray:
    """(B, K): the first index m >= n with flags[:, m], or K if none."""
    K = flags.shape[1]
    idx = np.where(flags, np.arange(K), K)
    return np.minimum.accumulate(idx[:, ::-1], axis=1)[:, ::-1]


class Updates:
    """One tracking variant of one threat over a block: update grid and the two next-tables."""

    def __init__(
        self,
        traj: Trajectory,
        start: np.ndarray,
        period_s: float,
        sigma_x_km: float,
        until: np.ndarray,
        z_east: np.ndarray,
        z_north: np.ndarray,
        own: str | None,
        threshold: float,
    ):
        K = int(np.ceil(np.nanmax(until - traj.launch_time_s, initial=0.0) / period_s)) + 1
        n = np.arange(K, dtype=float)[:, None]
        t = np.where(np.isnan(start), np.nan, start) + n * period_s  # (K, B)
        sigma = wp.impact_error_at(traj, t, start, period_s, sigma_x_km)
        # one look gives no velocity (infinite error): a prediction needs two looks after cut-off
        sigma = np.where((t < until) & np.isfinite(sigma), sigma, np.nan)
        valid = ~np.isnan(sigma)
        lat, lon = wp.predicted_impact(traj, z_east, z_north, np.nan_to_num(sigma))
        if own is None:
            passed = np.zeros_like(valid)
        else:
            passed = reaches(lat, lon, sigma, own, threshold)
        self.start = start.tolist()
        self.period = period_s
        next_valid, next_pass = _next_true(valid.T), _next_true(passed.T)
        self.next_valid = next_valid.tolist()
        self.next_pass = next_pass.tolist()
        self.size = K
        # The zone of the predicted point (rules of engagement), at the first update that exists and the
        # first that passes: the point those updates give, computed for the block at once.
        self.valid_zone, self.pass_zone = _zones_at(lat, lon, (next_valid[:, 0], next_pass[:, 0]), own)


def _zones_at(
    lat: np.ndarray, lon: np.ndarray, updates: tuple[np.ndarray, ...], own: str | None
) -> tuple[list[int], ...]:
    """Per replication, the zone of the predicted point at each of its ``updates`` (-1 where there is none).

    The points are looked up once each: the first valid update is often the first that passes too, and
    ``zone_of`` answers each point on its own numbers, so asking for the distinct ones gives the same zones.
    """
    K, B = lat.shape
    outs = [np.full(B, -1, dtype=int) for _ in updates]
    if own is None:
        return tuple(o.tolist() for o in outs)
    flat = np.concatenate([np.where(u < K, u * B + np.arange(B), -1) for u in updates])
    wanted = np.unique(flat[flat >= 0])
    if wanted.size:
        zones = zone_of(lat.ravel()[wanted], lon.ravel()[wanted], own=own)
        found = np.searchsorted(wanted, np.maximum(flat, 0))
        for n, out in enumerate(outs):
            part = flat[n * B : (n + 1) * B]
            some = part >= 0
            out[some] = zones[found[n * B : (n + 1) * B][some]]
    return tuple(o.tolist() for o in outs)


def first_update(u: Updates, i: int, after: float, passing: bool) -> tuple[float, bool]:
    """(time, passed) of replication i's first update at or after `after` that exists (NaN if none);
    with `passing`, the first that passes the rule (NaN if none before landing)."""
    start = u.start[i]
    if start != start:
        return float("nan"), False
    n = max(0, -int((start - after) // u.period))  # ceil((after - start) / period)
    if n >= u.size:
        return float("nan"), False
    m = u.next_pass[i][n]
    if passing:
        return (start + m * u.period, True) if m < u.size else (float("nan"), False)
    v = u.next_valid[i][n]
    return (start + v * u.period, m == v) if v < u.size else (float("nan"), False)


def tracking_updates(
    plan, draws, k: int, traj: Trajectory, until: np.ndarray, first: np.ndarray
) -> list[list[Updates | None]]:
    """Per radar, per sensing mode (``engine.sensing.MODES``): the updates of a track started at that
    mode's first detection of threat ``k`` (None for a mode the radar never uses)."""
    s = plan.scenario
    own = s.rules_of_engagement.own_territory
    own = own if own in territories().codes else None
    z = draws.array(plan.threat_draws[k].pip_error)
    out: list[list[Updates | None]] = []
    for j, spec in enumerate(plan.radars):
        modes: list[Updates | None] = []
        for m in range(first.shape[-1]):
            start = first[:, j, m]
            if spec.sensor and m != 1 or np.isnan(start).all():
                modes.append(None)
                continue
            modes.append(
                Updates(
                    traj,
                    start,
                    spec.scan_period_s,
                    spec.measurement_error_km,
                    until,
                    z[:, 0],
                    z[:, 1],
                    own,
                    s.tracking.engage_probability,
                )
            )
        out.append(modes)
    return out
