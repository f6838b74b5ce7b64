"""Ballistic flight over a spherical, non-rotating Earth without air.

After burnout a missile is a body in a Kepler ellipse around the Earth's centre until that ellipse
meets the ground again (Bate, Mueller & White, *Fundamentals of Astrodynamics*, ch. 6). That is all
the physics a trainer needs to know where it comes down, when, how high it goes and how fast it
falls; drag, Earth rotation and oblateness move an impact by a few per cent, well inside what a
scenario leaves uncertain anyway.

The flight path angle `angle_deg` is measured from the local horizontal at burnout; the range is
the ground distance from the burnout point to impact (back at radius R).

Powered phase (an assumption, kept deliberately simple): a missile with `burn_time_s > 0` climbs
vertically from its pad to the burnout altitude with uniform acceleration, reaching burnout at
`launch_time_s + burn_time_s`, and the free flight starts there, above the pad. The ground covered
while boosting (a few tens of km for a medium-range missile) is neglected, so the range is that of
the free flight and the pad is the burnout point's ground track.
"""

from __future__ import annotations

import dataclasses
import functools
from typing import Callable, NamedTuple

import numpy as np

from sim.world.geo import EARTH_RADIUS_KM, destination

MU_KM3_S2 = 398600.4418  # Earth's gravitational parameter
R_KM = EARTH_RADIUS_KM
G0_MS2 = 9.80665

_TWO_PI = 2 * np.pi
_KEPLER_ITERATIONS = 10
_BISECTIONS = 64
_CHUNK = 500_000  # time samples x flights evaluated at once when scanning flights


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
        _require(~lofted | (psi < range_angle(lo)), "apogee too low to carry that range from the burnout altitude",
                 apogee_km)
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
    big_e = np.minimum(m + e, np.pi)
    for _ in range(iterations):
        big_e = big_e - (big_e - e * np.sin(big_e) - m) / (1.0 - e * np.cos(big_e))
    return np.where(mirrored, _TWO_PI - big_e, big_e) + turns


@dataclasses.dataclass(frozen=True, eq=False)
class Trajectory:
    """N ballistic flights at once, every field an array broadcast to one common shape.

    Times are absolute (the scenario clock, seconds); a flight starts at `launch_time_s`, burns out
    `burn_time_s` later straight above its pad (see the module note) and then flies the conic.
    """

    launch_lat: np.ndarray
    launch_lon: np.ndarray
    azimuth_deg: np.ndarray
    speed_kms: np.ndarray  # at burnout
    angle_deg: np.ndarray  # flight path angle at burnout, above the horizontal
    burnout_alt_km: np.ndarray = 0.0
    burn_time_s: np.ndarray = 0.0
    launch_time_s: np.ndarray = 0.0

    def __post_init__(self):
        fields = [f.name for f in dataclasses.fields(self)]
        arrays = np.broadcast_arrays(*(np.asarray(getattr(self, f), dtype=float) for f in fields))
        for name, arr in zip(fields, arrays):
            arr = np.array(arr, dtype=float)  # own, contiguous copy
            arr.setflags(write=False)
            object.__setattr__(self, name, arr)
        _require(np.isfinite(self.launch_lat) & np.isfinite(self.launch_lon) & np.isfinite(self.azimuth_deg),
                 "launch point and azimuth must be finite degrees")
        _require(np.isfinite(self.speed_kms) & (self.speed_kms >= 0), "burnout speed must be a finite km/s >= 0")
        _require(np.abs(self.angle_deg) <= 90, "burnout angle must lie within -90..90 degrees")
        _require((self.burnout_alt_km >= 0) & np.isfinite(self.burnout_alt_km), "burnout altitude must be >= 0 km")
        _require((self.burn_time_s >= 0) & np.isfinite(self.burn_time_s), "burn time must be >= 0 s")
        _require(np.isfinite(self.launch_time_s), "launch time must be finite")
        bad = ~np.isfinite(self._free.flight_time_s)
        if bad.any():
            raise ValueError(f"{int(bad.sum())} flight(s) never come back to the ground (orbital or escape speed)")

    # -- constructors --------------------------------------------------------------------------

    @classmethod
    def from_burnout(cls, lat, lon, azimuth_deg, speed_kms, angle_deg, burnout_alt_km=0.0, burn_time_s=0.0,
                     launch_time_s=0.0) -> "Trajectory":
        """Flights given by their burnout state."""
        return cls(lat, lon, azimuth_deg, speed_kms, angle_deg, burnout_alt_km, burn_time_s, launch_time_s)

    @classmethod
    def from_range(cls, lat, lon, azimuth_deg, range_km, apogee_km=None, burn_time_s=0.0, burnout_alt_km=0.0,
                   launch_time_s=0.0) -> "Trajectory":
        """Flights given by range and apogee, or by range alone on the minimum-energy ellipse."""
        if apogee_km is None:
            speed, angle = minimum_energy(range_km, burnout_alt_km)
        else:
            speed, angle = burnout_for(range_km, apogee_km, burnout_alt_km)
        return cls(lat, lon, azimuth_deg, speed, angle, burnout_alt_km, burn_time_s, launch_time_s)

    # -- whole-flight figures ------------------------------------------------------------------

    @property
    def shape(self) -> tuple[int, ...]:
        return self.speed_kms.shape

    @property
    def size(self) -> int:
        return self.speed_kms.size

    def __getitem__(self, index) -> "Trajectory":
        """The selected flights (numpy indexing on every field)."""
        return Trajectory(*(getattr(self, f.name)[index] for f in dataclasses.fields(self)))

    @functools.cached_property
    def _conic(self) -> _Conic:
        return _ellipse_of(self.speed_kms, self.angle_deg, self.burnout_alt_km)

    @functools.cached_property
    def _free(self) -> FreeFlight:
        return _flight_of(self._conic)

    @property
    def range_km(self) -> np.ndarray:
        return self._free.range_km

    @property
    def apogee_km(self) -> np.ndarray:
        return self._free.apogee_km

    @property
    def flight_time_s(self) -> np.ndarray:
        """Launch to impact, powered phase included."""
        return self.burn_time_s + self._free.flight_time_s

    @property
    def burnout_time_s(self) -> np.ndarray:
        return self.launch_time_s + self.burn_time_s

    @property
    def impact_time_s(self) -> np.ndarray:
        return self.launch_time_s + self.flight_time_s

    def impact(self) -> tuple[np.ndarray, np.ndarray]:
        """(lat, lon) where each flight comes down."""
        return destination(self.launch_lat, self.launch_lon, self.azimuth_deg, self.range_km)

    # -- state at a time -----------------------------------------------------------------------

    def track(self, t_s) -> Track:
        """Where along its great circle each flight is at absolute times `t_s` (broadcast against the
        flights): angle travelled from the pad, altitude and speed, with a single Kepler solve.

        Before launch: on the pad, at rest. Boosting: straight above the pad, altitude growing with
        the square of time, speed ramping linearly to burnout speed. After impact: at the impact point,
        at rest.
        """
        t = np.asarray(t_s, dtype=float)
        c = self._conic
        free = self._free
        tau = np.clip(t - self.burnout_time_s, 0.0, free.flight_time_s)
        big_e = eccentric_anomaly(c.m0 + c.n * tau, c.e)
        radius = c.a * (1.0 - c.e * np.cos(big_e))
        half = big_e / 2
        nu = 2 * np.arctan2(np.sqrt(1.0 + c.e) * np.sin(half), np.sqrt(np.maximum(1.0 - c.e, 0.0)) * np.cos(half))
        travelled = np.clip(nu - c.nu0, 0.0, free.range_angle_rad)
        speed = np.sqrt(np.maximum(MU_KM3_S2 * (2.0 / radius - 1.0 / c.a), 0.0))

        since_launch = t - self.launch_time_s
        with np.errstate(divide="ignore", invalid="ignore"):
            boost = np.clip(since_launch / self.burn_time_s, 0.0, 1.0)
        boosting = since_launch < self.burn_time_s
        alt = np.where(boosting, self.burnout_alt_km * boost**2, np.maximum(radius - R_KM, 0.0))
        speed = np.where(boosting, self.speed_kms * boost, speed)
        grounded = (since_launch < 0) | (t > self.impact_time_s)
        return Track(travelled, np.where(grounded, 0.0, alt), np.where(grounded, 0.0, speed))

    def position(self, t_s) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """(lat, lon, alt_km) at absolute times `t_s` (broadcast against the flights); see `track`."""
        travelled, alt, _ = self.track(t_s)
        lat, lon = destination(self.launch_lat, self.launch_lon, self.azimuth_deg, R_KM * travelled)
        return lat, lon, alt

    def speed_at(self, t_s) -> np.ndarray:
        """Speed (km/s) at absolute times: vis-viva in free flight; see `track`."""
        return self.track(t_s).speed_kms

    def view_from(self, lat, lon, t_s) -> View:
        """Each flight as seen from a ground point at absolute times: the angle at the Earth's centre
        between the point and the missile, its altitude and speed.

        Cheaper than `position` for the sensors and batteries that ask it at every step: the flight's
        great circle is fixed, so the angle comes from a few per-flight dot products.
        """
        travelled, alt, speed = self.track(t_s)
        u0, w = self._great_circle
        b = _unit_vector(lat, lon)
        c0, s0 = _dot(u0, b), _dot(w, b)
        a, bb = _cross(u0, b), _cross(w, b)
        aa, bbb, ab = _dot(a, a), _dot(bb, bb), _dot(a, bb)
        cos_t, sin_t = np.cos(travelled), np.sin(travelled)
        cos_angle = c0 * cos_t + s0 * sin_t
        sin_angle_sq = aa * cos_t**2 + bbb * sin_t**2 + 2.0 * ab * sin_t * cos_t
        return View(np.arctan2(np.sqrt(np.maximum(sin_angle_sq, 0.0)), cos_angle), alt, speed)

    @functools.cached_property
    def _great_circle(self):
        """Unit vectors of the pad and of the direction of flight there (3 x shape)."""
        lat, lon, az = np.radians(self.launch_lat), np.radians(self.launch_lon), np.radians(self.azimuth_deg)
        east = np.stack([-np.sin(lon), np.cos(lon), np.zeros_like(lon)])
        north = np.stack([-np.sin(lat) * np.cos(lon), -np.sin(lat) * np.sin(lon), np.cos(lat)])
        return _unit_vector(self.launch_lat, self.launch_lon), np.sin(az) * east + np.cos(az) * north

    def in_flight(self, t_s) -> np.ndarray:
        """True from launch to impact (both included)."""
        t = np.asarray(t_s, dtype=float)
        return (t >= self.launch_time_s) & (t <= self.impact_time_s)

    # -- searching the flight for a moment -----------------------------------------------------

    def first_time_s(self, condition, start_s=None, step_s=1.0, tol_s=0.01) -> np.ndarray:
        """Earliest time in [start, impact] at which `condition(t)` holds, per flight (NaN if never).

        `condition` takes times shaped (K, *self.shape) and returns booleans of that shape. The
        flight is scanned every `step_s`, then each first hit is refined by bisection to `tol_s`.
        """
        return scan_time_s(condition, self._start(start_s), self.impact_time_s, step_s, tol_s)

    def last_time_s(self, condition, start_s=None, step_s=1.0, tol_s=0.01) -> np.ndarray:
        """Latest time in [start, impact] at which `condition(t)` holds, per flight (NaN if never)."""
        return scan_time_s(condition, self._start(start_s), self.impact_time_s, step_s, tol_s, latest=True)

    def time_grid(self, step_s=1.0, start_s=None, max_elements=_CHUNK):
        """Yield chunks of times (K, *shape) covering [start, impact] of every flight every `step_s`
        (the last sample of each flight sits exactly at impact); memory stays under `max_elements`."""
        yield from _grid(self._start(start_s), self.impact_time_s, step_s, max_elements)

    def _start(self, start_s):
        return self.launch_time_s if start_s is None else np.maximum(self.launch_time_s, start_s)


class Track(NamedTuple):
    travelled_rad: np.ndarray  # angle at the Earth's centre from the pad, along the azimuth
    alt_km: np.ndarray
    speed_kms: np.ndarray


class View(NamedTuple):
    angle_rad: np.ndarray  # angle at the Earth's centre between the observer and the missile
    alt_km: np.ndarray
    speed_kms: np.ndarray


def _unit_vector(lat, lon):
    lat, lon = np.radians(lat), np.radians(lon)
    return np.stack(np.broadcast_arrays(np.cos(lat) * np.cos(lon), np.cos(lat) * np.sin(lon), np.sin(lat)))


def _dot(a, b):
    return a[0] * b[0] + a[1] * b[1] + a[2] * b[2]


def _cross(a, b):
    return (a[1] * b[2] - a[2] * b[1], a[2] * b[0] - a[0] * b[2], a[0] * b[1] - a[1] * b[0])


def _grid(start, end, step_s, max_elements=_CHUNK):
    """Chunks (K, *shape) of a time grid from start to end every `step_s`; each flight's samples
    are clipped to its own interval, so its last one sits exactly on its end."""
    if not step_s > 0:
        raise ValueError(f"time step must be positive (got {step_s})")
    start, end = np.broadcast_arrays(np.asarray(start, float), np.asarray(end, float))
    span = np.where(end >= start, end - start, np.nan)
    n_steps = int(np.ceil(np.nanmax(span) / step_s)) if np.isfinite(span).any() else 0
    largest = max(1, max_elements // max(1, start.size))
    chunk, k0 = min(8, largest), 0  # small chunks first: a search that ends early stops early
    while k0 <= n_steps:
        k = np.arange(k0, min(k0 + chunk, n_steps + 1), dtype=float).reshape((-1,) + (1,) * start.ndim)
        yield np.clip(start + k * step_s, start, end)
        k0, chunk = k0 + chunk, min(2 * chunk, largest)


def _pick(t, i):
    """t[i[...], ...] along the first axis, elementwise over the rest."""
    return np.take_along_axis(t, np.asarray(i)[None], axis=0)[0]


class EdgeScan:
    """The first and last moments a condition holds, found over a time grid fed chunk by chunk.

    Feed it the samples (K, *shape) in time order with the condition's answers; it keeps, per
    element, the first true sample and the one before it, and the last true sample and the one
    after it; `first_s` / `last_s` then bisect between each pair. A condition true for less than a
    step between two samples can be missed: choose the step to suit the shortest event that matters.
    """

    def __init__(self, shape):
        nan = np.full(shape, np.nan)
        self.first_yes, self.first_no, self.last_yes, self.last_no = nan, nan.copy(), nan.copy(), nan.copy()
        self._tail = None  # last sample of the previous chunk and its answer

    @property
    def found_first(self) -> np.ndarray:
        return ~np.isnan(self.first_yes)

    def add(self, t, ok) -> None:
        t, ok = np.asarray(t, dtype=float), np.asarray(ok, dtype=bool)
        if self._tail is not None:  # overlap by one sample so neighbours across chunks are known
            t, ok = np.concatenate([self._tail[0][None], t]), np.concatenate([self._tail[1][None], ok])
        hit = ok.any(axis=0)
        new = hit & ~self.found_first
        if new.any():
            i = ok.argmax(axis=0)
            before = np.where(i == 0, np.nan, _pick(t, np.maximum(i - 1, 0)))
            self.first_yes = np.where(new, _pick(t, i), self.first_yes)
            self.first_no = np.where(new, before, self.first_no)
        if hit.any():
            j = len(t) - 1 - ok[::-1].argmax(axis=0)
            after = np.where(j == len(t) - 1, np.nan, _pick(t, np.minimum(j + 1, len(t) - 1)))
            self.last_yes = np.where(hit, _pick(t, j), self.last_yes)
            self.last_no = np.where(hit, after, self.last_no)
        self._tail = (t[-1], ok[-1])

    def first_s(self, condition, step_s, tol_s) -> np.ndarray:
        return _bisect(condition, self.first_yes, self.first_no, step_s, tol_s)

    def last_s(self, condition, step_s, tol_s) -> np.ndarray:
        return _bisect(condition, self.last_yes, self.last_no, step_s, tol_s)


def _bisect(condition, yes_t, no_t, step_s, tol_s):
    """Narrow each [no, yes] pair (a false and a true sample) onto the change; a missing `no`
    means the true sample was the first (or last) of the interval and stands as it is."""
    yes_t, no_t = yes_t.copy(), no_t.copy()
    refine = ~np.isnan(no_t) & ~np.isnan(yes_t)
    if refine.any():
        anywhere = np.where(np.isnan(yes_t), np.nanmax(yes_t, initial=0.0), yes_t)  # any valid time
        for _ in range(max(1, int(np.ceil(np.log2(step_s / tol_s))))):
            mid = np.where(refine, (yes_t + no_t) / 2, anywhere)
            ok = np.asarray(condition(mid[None]), dtype=bool)[0]
            yes_t = np.where(refine & ok, mid, yes_t)
            no_t = np.where(refine & ~ok, mid, no_t)
    return yes_t[()]


def scan_time_s(condition: Callable, start_s, end_s, step_s=1.0, tol_s=0.01, latest=False,
                max_elements=_CHUNK) -> np.ndarray:
    """Earliest (or latest) time in [start, end] where `condition(t)` holds, elementwise; NaN if none.

    `condition` takes times shaped (K, *shape) and returns booleans of that shape. The interval is
    sampled every `step_s`; the step in which the answer turned is bisected down to `tol_s`.
    """
    start, end = np.broadcast_arrays(np.asarray(start_s, float), np.asarray(end_s, float))
    valid = end >= start
    scan = EdgeScan(start.shape)
    for t in _grid(start, end, step_s, max_elements):
        scan.add(t, np.asarray(condition(t), dtype=bool) & valid)
        if not latest and scan.found_first[valid].all():
            break
    return scan.last_s(condition, step_s, tol_s) if latest else scan.first_s(condition, step_s, tol_s)
