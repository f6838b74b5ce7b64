"""Free flight over a spherical, non-rotating Earth without air: the closed-form conic.

After burnout a missile is a body in a Kepler ellipse around the Earth's centre until that ellipse
meets the ground again (Bate, Mueller & White, *Fundamentals of Astrodynamics*, ch. 6). That is all
the physics a trainer needs to know where it comes down, when, how high it goes and how fast it
falls; drag, Earth rotation and oblateness move an impact by a few per cent, well inside what a
scenario leaves uncertain anyway.

The flight path angle `angle_deg` is measured from the local horizontal at burnout; the range is
the ground distance from the burnout point to impact (back at radius R).
"""

from __future__ import annotations

from typing import NamedTuple

import numpy as np

from sim.world.geo import EARTH_RADIUS_KM

MU_KM3_S2 = 398600.4418  # Earth's gravitational parameter
R_KM = EARTH_RADIUS_KM
G0_MS2 = 9.80665

_TWO_PI = 2 * np.pi
_KEPLER_ITERATIONS = 10
_BISECTIONS = 64


class FreeFlight(NamedTuple):
    """Where a free flight ends: all arrays broadcast from the inputs."""

    range_angle_rad: np.ndarray  # angle at the Earth's centre between burnout and impact
    range_km: np.ndarray  # ground distance, R * range angle
    apogee_km: np.ndarray  # highest altitude reached after burnout
    flight_time_s: np.ndarray  # burnout to impact


class _Conic(NamedTuple):
    """The ellipse a burnout state puts a missile on, with the anomalies of its two ends."""

    a: np.ndarray  # semi-major axis, km
    e: np.ndarray  # eccentricity
    n: np.ndarray  # mean motion, rad/s
    nu0: np.ndarray  # true anomaly at burnout, [0, 2 pi)
    nu1: np.ndarray  # true anomaly at impact
    m0: np.ndarray  # mean anomaly at burnout
    m1: np.ndarray  # mean anomaly at impact
    apogee_km: np.ndarray


def _ellipse_of(speed_kms, angle_deg, burnout_alt_km) -> _Conic:
    """Orbital elements from a burnout state, written to stay exact for vertical and level shots.

    Flights that never come back (escape speed, or an orbit whose perigee clears the ground) get NaN
    for everything about their impact.
    """
    v = np.asarray(speed_kms, dtype=float)
    phi = np.radians(angle_deg)
    r0 = R_KM + np.asarray(burnout_alt_km, dtype=float)
    q = v * v * r0 / MU_KM3_S2  # BMW's Q: twice the kinetic over the potential energy
    cos_phi, sin_phi = np.cos(phi), np.sin(phi)
    with np.errstate(divide="ignore", invalid="ignore"):
        a = r0 / (2.0 - q)
        p = r0 * q * cos_phi**2
        e_sin_nu0 = q * sin_phi * cos_phi
        e_cos_nu0 = p / r0 - 1.0
        e = np.hypot(e_sin_nu0, e_cos_nu0)
        nu0 = np.mod(np.arctan2(e_sin_nu0, e_cos_nu0), _TWO_PI)
        # At impact r = R on the way down: e cos nu1 = p/R - 1, e sin nu1 < 0.
        e_cos_nu1 = p / R_KM - 1.0
        e_sin_nu1_sq = e_sin_nu0**2 + (p / r0 - p / R_KM) * (p / r0 + p / R_KM - 2.0)
        # Back down unless the ellipse stays clear of the ground, or the shot leaves the ground level
        # at its perigee (faster than circular): that one only touches down again after a full orbit.
        returns = (q < 2.0) & (e_sin_nu1_sq >= 0.0) & ~((e_sin_nu0 == 0.0) & (e_cos_nu0 > 0.0))
        e_sin_nu1 = -np.sqrt(np.where(returns, e_sin_nu1_sq, np.nan))
        nu1 = np.mod(np.arctan2(e_sin_nu1, e_cos_nu1), _TWO_PI)
        nu1 = np.where(nu1 < nu0, nu1 + _TWO_PI, nu1)  # descending through apogee, never backwards
        # Eccentric anomaly from radius and radial speed (exact also for e = 1, a vertical shot):
        # e cos E = 1 - r/a, e sin E = r r' / sqrt(mu a).
        sqrt_mu_a = np.sqrt(MU_KM3_S2 * a)
        big_e0 = np.mod(np.arctan2(r0 * v * sin_phi / sqrt_mu_a, 1.0 - r0 / a), _TWO_PI)
        e_sin_e1 = -np.sqrt(np.where(returns, np.maximum(e * e - (1.0 - R_KM / a) ** 2, 0.0), np.nan))
        big_e1 = np.mod(np.arctan2(e_sin_e1, 1.0 - R_KM / a), _TWO_PI)
        big_e1 = np.where(big_e1 < big_e0, big_e1 + _TWO_PI, big_e1)
        m0 = big_e0 - e * np.sin(big_e0)
        m1 = big_e1 - e_sin_e1
        n = np.sqrt(MU_KM3_S2 / a**3)
        climbing = nu0 <= np.pi
        apogee_km = np.where(q < 2.0, np.where(climbing, a * (1.0 + e), r0) - R_KM, np.inf)
    return _Conic(a, e, n, nu0, nu1, m0, m1, apogee_km)


def _flight_of(c: _Conic) -> FreeFlight:
    psi = c.nu1 - c.nu0
    return FreeFlight(psi[()], (R_KM * psi)[()], c.apogee_km[()], ((c.m1 - c.m0) / c.n)[()])


def free_flight(speed_kms, angle_deg, burnout_alt_km=0.0) -> FreeFlight:
    """Range, apogee and time of flight of a burnout state, by the closed-form conic."""
    return _flight_of(_ellipse_of(speed_kms, angle_deg, burnout_alt_km))


def max_range_km(speed_kms, burnout_alt_km=0.0):
    """Longest ground range a burnout speed can reach (whatever the angle).

    Every ellipse of that energy keeps its far focus within 2a - r0 of the launch point, so the
    reachable points satisfy |XO| + |XP| <= 4a - r0 (O the Earth's centre, P the burnout point);
    at the ground that gives sin(Psi/2) = Q / (2 - Q) for a ground launch. Returns pi R (half way
    round) when the whole Earth is in reach and NaN at escape speed or above.
    """
    v = np.asarray(speed_kms, dtype=float)
    r0 = R_KM + np.asarray(burnout_alt_km, dtype=float)
    with np.errstate(divide="ignore", invalid="ignore"):
        a = 1.0 / (2.0 / r0 - v * v / MU_KM3_S2)
        chord = 4.0 * a - r0 - R_KM
        cos_psi = (R_KM**2 + r0**2 - chord**2) / (2.0 * R_KM * r0)
        psi = np.arccos(np.clip(cos_psi, -1.0, 1.0))
    return np.where(a > 0, R_KM * psi, np.nan)[()]


def minimum_energy(range_km, burnout_alt_km=0.0) -> tuple[np.ndarray, np.ndarray]:
    """(speed_kms, angle_deg) of the cheapest burnout state reaching `range_km`.

    The least-energy ellipse has its far focus on the chord from burnout point P to impact X, so
    2a = (|XP| + r0 + R) / 2, and its velocity at P bisects the angle between the local vertical and
    the chord. For a ground launch this is BMW's Q = 2 sin(Psi/2) / (1 + sin(Psi/2)) and
    angle = (pi - Psi) / 4.
    """
    psi = np.asarray(range_km, dtype=float) / R_KM
    r0 = R_KM + np.asarray(burnout_alt_km, dtype=float)
    dx, dy = R_KM * np.sin(psi), R_KM * np.cos(psi) - r0  # impact seen from P: downrange, up
    a = (np.hypot(dx, dy) + r0 + R_KM) / 4.0
    speed = np.sqrt(MU_KM3_S2 * (2.0 / r0 - 1.0 / a))
    chord_elevation = np.arctan2(dy, dx)
    return speed, np.degrees((np.pi / 2 + chord_elevation) / 2)


def burnout_for(range_km, apogee_km, burnout_alt_km=0.0) -> tuple[np.ndarray, np.ndarray]:
    """(speed_kms, angle_deg) of the flight with this range and apogee: lofted or depressed alike.

    A range and an apogee pin down one ellipse. From the ground it is closed form (impact mirrors
    launch about the apogee): e = (r_a - R) / (r_a - R cos(Psi/2)). From a burnout altitude the range
    angle falls monotonically as e grows at fixed apogee, so e is found by bisection.

    Raises ValueError when no such flight exists: non-positive range, apogee not above the ground or
    below the burnout altitude, or a range the apogee cannot carry (from altitude, a low apogee
    bounds the range).
    """
    psi = np.asarray(range_km, dtype=float) / R_KM
    h0 = np.asarray(burnout_alt_km, dtype=float)
    psi, apogee, h0 = np.broadcast_arrays(psi, np.asarray(apogee_km, dtype=float), h0)
    r0, r_a = R_KM + h0, R_KM + apogee
    _require(np.isfinite(psi) & (psi > 0), "range must be a positive number of km", range_km)
    _require(np.isfinite(apogee) & (apogee > 0), "apogee must be above the ground (km > 0)", apogee_km)
    _require(h0 >= 0, "burnout altitude must not be negative", burnout_alt_km)
    _require(apogee >= h0, "apogee must not be below the burnout altitude", apogee_km)

    def anomaly(ecc, r):
        """True anomaly (0..pi, climbing) where the ellipse of apogee r_a and eccentricity ecc
        crosses radius r; e^2 sin^2 written as a product so that it stays exact near apogee."""
        e_cos = r_a * (1.0 - ecc) / r - 1.0
        e_sin_sq = ((1.0 + ecc) - r_a * (1.0 - ecc) / r) * (1.0 - ecc) * (r_a / r - 1.0)
        return np.arctan2(np.sqrt(np.maximum(e_sin_sq, 0.0)), e_cos)

    def range_angle(ecc):
        return _TWO_PI - anomaly(ecc, R_KM) - anomaly(ecc, r0)

    # Ground launch, closed form.
    e = (r_a - R_KM) / (r_a - R_KM * np.cos(psi / 2))
    lofted = h0 > 0
    if lofted.any():
        lo = (r_a - R_KM) / (r_a + R_KM)  # perigee grazes the ground: the longest reach
        hi = np.ones_like(lo)
        _require(
            ~lofted | (psi < range_angle(lo)), "apogee too low to carry that range from the burnout altitude", apogee_km
        )
        for _ in range(_BISECTIONS):
            mid = (lo + hi) / 2
            too_far = range_angle(mid) > psi
            lo, hi = np.where(too_far, mid, lo), np.where(too_far, hi, mid)
        e = np.where(lofted, (lo + hi) / 2, e)

    a = r_a / (1.0 + e)
    nu0 = anomaly(e, r0)
    speed = np.sqrt(MU_KM3_S2 * (2.0 / r0 - 1.0 / a))
    angle = np.degrees(np.arctan2(e * np.sin(nu0), 1.0 + e * np.cos(nu0)))
    return speed[()], angle[()]


def _require(ok, message, value=None):
    if not np.all(ok):
        raise ValueError(message if value is None else f"{message} (got {value})")


def flat_earth(speed_ms, angle_deg, g=G0_MS2) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(range_m, time_s, apex_m) of a shot over flat ground without air: the short-range check."""
    v = np.asarray(speed_ms, dtype=float)
    theta = np.radians(angle_deg)
    return v * v * np.sin(2 * theta) / g, 2 * v * np.sin(theta) / g, (v * np.sin(theta)) ** 2 / (2 * g)


def eccentric_anomaly(mean_anomaly, e, iterations=_KEPLER_ITERATIONS):
    """Solve Kepler's equation E - e sin E = M for an ellipse (0 <= e < 1), vectorised.

    Newton's method started on the far side of the root never overshoots: on [0, pi] the function
    E - e sin E - M is increasing and convex, so starting at min(M + e, pi), where it is >= 0, the
    iterates fall monotonically onto the root; [pi, 2 pi] is the mirror image. Ten iterations reach
    machine precision for any e up to 0.9999 (ballistic flights need about four).
    """
    m = np.asarray(mean_anomaly, dtype=float)
    e = np.asarray(e, dtype=float)
    turns = np.floor(m / _TWO_PI) * _TWO_PI
    m = m - turns
    mirrored = m > np.pi
    m = np.where(mirrored, _TWO_PI - m, m)
    big_e = np.array(np.minimum(m + e, np.pi), dtype=float, order="C")  # C order: `flat` below must be a view
    # Each element iterates on its own numbers only, and one that an iteration leaves unchanged sits at a fixed
    # point for good: only the elements still moving are iterated (most settle in five steps; some flip
    # between two neighbouring floats to the end, as they did when every element made every step).
    flat = big_e.reshape(-1)
    moving = np.arange(flat.size)
    e_m = np.broadcast_to(e, big_e.shape).reshape(-1)
    m_m = np.broadcast_to(m, big_e.shape).reshape(-1)
    for _ in range(iterations):
        now = flat[moving]
        step = (now - e_m * np.sin(now) - m_m) / (1.0 - e_m * np.cos(now))
        after = now - step
        changed = after != now  # NaN stays NaN: it keeps "changing", as before
        moving, after = moving[changed], after[changed]
        flat[moving] = after
        if not moving.size:
            break
        e_m, m_m = e_m[changed], m_m[changed]
    return np.where(mirrored, _TWO_PI - big_e, big_e) + turns
