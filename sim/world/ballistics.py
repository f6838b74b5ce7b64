"""Ballistic missiles in flight: `Trajectory`, N flights from pad to impact, vectorised.

A flight is a powered phase (closed-form kinematics in `sim.world.powered`: the missile leaves its
pad at rest, climbs and pitches over to its burnout state at `launch_time_s + burn_time_s`) followed
by the free-flight conic of `sim.world.conic`, which starts downrange of the pad by the ground the
boost covered. With no burn time the flight is the free flight from the pad, exactly.
"""

from __future__ import annotations

import dataclasses
import functools
from typing import NamedTuple

import numpy as np

from sim.world.conic import (
    G0_MS2,
    MU_KM3_S2,
    R_KM,
    FreeFlight,
    _Conic,
    _ellipse_of,
    _flight_of,
    _require,
    burnout_for,
    eccentric_anomaly,
    flat_earth,
    free_flight,
    max_range_km,
    minimum_energy,
)
from sim.world.geo import destination
from sim.world.powered import (
    Boost,
    boost_profile,
    boost_state,
    nominal_burnout_altitude_km,
)
from sim.world.scan import CHUNK, EdgeScan, _grid, scan_time_s

__all__ = [
    "G0_MS2",
    "MU_KM3_S2",
    "R_KM",
    "EdgeScan",
    "FreeFlight",
    "Track",
    "Trajectory",
    "View",
    "burnout_for",
    "burnout_state_for",
    "eccentric_anomaly",
    "flat_earth",
    "free_flight",
    "max_range_km",
    "minimum_energy",
    "scan_time_s",
]

_BOOST_ITERATIONS = 30


def burnout_state_for(
    range_km,
    apogee_km=None,
    burnout_alt_km=None,
    burn_time_s=0.0,
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(speed_kms, angle_deg, burnout_alt_km) at burnout so that the whole flight, boost included,
    covers `range_km` from the pad, with this apogee (or on the minimum-energy ellipse without one).

    `burnout_alt_km=None` takes the nominal altitude of a rocket-like boost of `burn_time_s`
    (`powered.nominal_burnout_altitude_km`; 0 without a boost). The boost covers some ground before
    the free flight starts, and how much depends on the burnout state: a fixed-point iteration on the
    free-flight range (and the nominal altitude) settles it, the boost's share being a few per cent.
    Without a burn time this is `burnout_for` / `minimum_energy` exactly.
    """
    total = np.asarray(range_km, dtype=float)
    burning = np.asarray(burn_time_s, dtype=float)
    derive = burnout_alt_km is None
    h_b = np.zeros_like(burning) if derive else np.asarray(burnout_alt_km, dtype=float)

    def state(free_range, h):
        if apogee_km is None:
            return minimum_energy(free_range, h)
        return burnout_for(free_range, apogee_km, h)

    speed, angle = state(total, h_b)
    if not np.any(burning > 0):
        return speed, angle, h_b[()]
    for _ in range(_BOOST_ITERATIONS):
        if derive:
            h_b = nominal_burnout_altitude_km(speed, angle, burning)
        covered = R_KM * boost_profile(speed, angle, h_b, burning).range_angle_rad
        _require(covered < total, "the boost alone covers the range: give a longer range or a shorter burn", range_km)
        speed, angle = state(total - covered, h_b)
    return speed, angle, np.asarray(h_b)[()]


@dataclasses.dataclass(frozen=True, eq=False)
class Trajectory:
    """N ballistic flights at once, every field an array broadcast to one common shape.

    Times are absolute (the scenario clock, seconds); a flight starts at `launch_time_s`, burns out
    `burn_time_s` later (the powered phase of `sim.world.powered`) and then flies the conic. Its
    ranges, positions and times run from the pad, the boost included.
    """

    launch_lat: np.ndarray
    launch_lon: np.ndarray
    azimuth_deg: np.ndarray
    speed_kms: np.ndarray  # at burnout
    angle_deg: np.ndarray  # flight path angle at burnout, above the horizontal
    burnout_alt_km: np.ndarray = 0.0  # type: ignore[assignment]  # __post_init__ makes every field an array
    burn_time_s: np.ndarray = 0.0  # type: ignore[assignment]  # __post_init__ makes every field an array
    launch_time_s: np.ndarray = 0.0  # type: ignore[assignment]  # __post_init__ makes every field an array

    def __post_init__(self):
        fields = [f.name for f in dataclasses.fields(self)]
        arrays = np.broadcast_arrays(*(np.asarray(getattr(self, f), dtype=float) for f in fields))
        for name, arr in zip(fields, arrays):
            arr = np.array(arr, dtype=float)  # own, contiguous copy
            arr.setflags(write=False)
            object.__setattr__(self, name, arr)
        _require(
            np.isfinite(self.launch_lat) & np.isfinite(self.launch_lon) & np.isfinite(self.azimuth_deg),
            "launch point and azimuth must be finite degrees",
        )
        _require(np.isfinite(self.speed_kms) & (self.speed_kms >= 0), "burnout speed must be a finite km/s >= 0")
        _require(np.abs(self.angle_deg) <= 90, "burnout angle must lie within -90..90 degrees")
        _require((self.burnout_alt_km >= 0) & np.isfinite(self.burnout_alt_km), "burnout altitude must be >= 0 km")
        _require((self.burn_time_s >= 0) & np.isfinite(self.burn_time_s), "burn time must be >= 0 s")
        _require(np.isfinite(self.launch_time_s), "launch time must be finite")
        bad = ~np.isfinite(self._free.flight_time_s)
        if bad.any():
            raise ValueError(f"{int(bad.sum())} flight(s) never come back to the ground (orbital or escape speed)")
        _ = self._boost  # a burnout state no boost can reach fails here, not at the first look

    # -- constructors --------------------------------------------------------------------------

    @classmethod
    def from_burnout(
        cls, lat, lon, azimuth_deg, speed_kms, angle_deg, burnout_alt_km=0.0, burn_time_s=0.0, launch_time_s=0.0
    ) -> Trajectory:
        """Flights given by their burnout state."""
        return cls(lat, lon, azimuth_deg, speed_kms, angle_deg, burnout_alt_km, burn_time_s, launch_time_s)

    @classmethod
    def from_range(
        cls, lat, lon, azimuth_deg, range_km, apogee_km=None, burn_time_s=0.0, burnout_alt_km=None, launch_time_s=0.0
    ) -> Trajectory:
        """Flights given by range (pad to impact, boost included) and apogee, or by range alone on the
        minimum-energy ellipse; see `burnout_state_for` for a burnout altitude left as None."""
        speed, angle, h_b = burnout_state_for(range_km, apogee_km, burnout_alt_km, burn_time_s)
        return cls(lat, lon, azimuth_deg, speed, angle, h_b, burn_time_s, launch_time_s)

    # -- whole-flight figures ------------------------------------------------------------------

    @property
    def shape(self) -> tuple[int, ...]:
        return self.speed_kms.shape

    @property
    def size(self) -> int:
        return self.speed_kms.size

    def __getitem__(self, index) -> Trajectory:
        """The selected flights (numpy indexing on every field).

        The flights were checked when these were made, and every figure of a flight is its own, so the
        selection is not checked again, and what this set has already worked out (its ellipses, boosts, great
        circles) is cut down with it rather than worked out again: the same numbers, far cheaper for the one
        flight an intercept in the SimPy loop asks about.
        """
        picked = object.__new__(Trajectory)
        for f in dataclasses.fields(self):
            arr = np.array(getattr(self, f.name)[index], dtype=float)
            arr.setflags(write=False)
            object.__setattr__(picked, f.name, arr)
        known = self.__dict__
        for name in ("_conic", "_free", "_boost"):
            if name in known:
                parts = known[name]
                picked.__dict__[name] = type(parts)(*(_along(p, self.shape)[index] for p in parts))
        if "_great_circle" in known:
            along = (slice(None),) + (index if isinstance(index, tuple) else (index,))
            picked.__dict__["_great_circle"] = tuple(v[along] for v in known["_great_circle"])
        return picked

    @functools.cached_property
    def _conic(self) -> _Conic:
        return _ellipse_of(self.speed_kms, self.angle_deg, self.burnout_alt_km)

    @functools.cached_property
    def _free(self) -> FreeFlight:
        return _flight_of(self._conic)

    @functools.cached_property
    def _boost(self) -> Boost:
        return boost_profile(self.speed_kms, self.angle_deg, self.burnout_alt_km, self.burn_time_s)

    @property
    def range_km(self) -> np.ndarray:
        """Pad to impact: the ground covered while boosting plus the free flight's."""
        return R_KM * (self._boost.range_angle_rad + self._free.range_angle_rad)

    @property
    def boost_range_km(self) -> np.ndarray:
        """Pad to the burnout point's ground track."""
        return R_KM * self._boost.range_angle_rad

    @property
    def apogee_km(self) -> np.ndarray:
        return self._free.apogee_km

    @property
    def flight_time_s(self) -> np.ndarray:
        """Launch to impact, powered phase included."""
        return self.burn_time_s + self._free.flight_time_s

    @property
    def burnout_time_s(self) -> np.ndarray:
        """Engine cut-off on the scenario clock: no impact point can be predicted before it."""
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

        Before launch: on the pad, at rest. Boosting: the closed-form powered phase of
        `sim.world.powered`. After impact: at the impact point, at rest.
        """
        t = np.asarray(t_s, dtype=float)
        travelled, radius, speed, _ = self._coast(t)
        since_launch = t - self.launch_time_s
        boosting = since_launch < self.burn_time_s
        alt = np.maximum(radius - R_KM, 0.0)
        if np.any(boosting & (since_launch >= 0)):
            b_travelled, b_alt, b_speed, _ = boost_state(self._boost, since_launch)
            travelled, alt, speed = (
                np.where(boosting, b, f) for b, f in ((b_travelled, travelled), (b_alt, alt), (b_speed, speed))
            )
        grounded = (since_launch < 0) | (t > self.impact_time_s)
        return Track(travelled, np.where(grounded, 0.0, alt), np.where(grounded, 0.0, speed))

    def _coast(self, t):
        """(angle from the pad, radius, speed, true anomaly) on the conic at times t (clipped to it)."""
        c = self._conic
        free = self._free
        tau = np.clip(t - self.burnout_time_s, 0.0, free.flight_time_s)
        big_e = eccentric_anomaly(c.m0 + c.n * tau, c.e)
        radius = c.a * (1.0 - c.e * np.cos(big_e))
        half = big_e / 2
        nu = 2 * np.arctan2(np.sqrt(1.0 + c.e) * np.sin(half), np.sqrt(np.maximum(1.0 - c.e, 0.0)) * np.cos(half))
        travelled = self._boost.range_angle_rad + np.clip(nu - c.nu0, 0.0, free.range_angle_rad)
        speed = np.sqrt(np.maximum(MU_KM3_S2 * (2.0 / radius - 1.0 / c.a), 0.0))
        return travelled, radius, speed, nu

    def flight_path_angle_deg(self, t_s) -> np.ndarray:
        """Angle of the velocity above the local horizontal at absolute times (90 on the pad)."""
        t = np.asarray(t_s, dtype=float)
        c = self._conic
        _, _, _, nu = self._coast(t)
        coasting = np.degrees(np.arctan2(c.e * np.sin(nu), 1.0 + c.e * np.cos(nu)))
        since_launch = t - self.launch_time_s
        boosting = since_launch < self.burn_time_s
        if not np.any(boosting):
            return coasting[()]
        return np.where(boosting, boost_state(self._boost, since_launch)[3], coasting)[()]

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

    def closest_approach_rad(self, lat, lon) -> np.ndarray:
        """The least angle at the Earth's centre between a ground point and each flight's great circle.

        A flight never leaves its great circle (the boost climbs along it too), so no moment of it is nearer the
        point than this: a battery farther than its reach from the whole circle can be left out of a search.
        """
        u0, w = self._great_circle
        pole = _cross(u0, w)  # unit: u0 and w are orthonormal
        return np.arcsin(np.clip(np.abs(_dot(pole, _unit_vector(lat, lon))), 0.0, 1.0))

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

    def time_grid(self, step_s=1.0, start_s=None, max_elements=CHUNK):
        """Yield chunks of times (K, *shape) covering [start, impact] of every flight every `step_s`
        (the last sample of each flight sits exactly at impact); memory stays under `max_elements`."""
        yield from _grid(self._start(start_s), self.impact_time_s, step_s, max_elements)

    def _start(self, start_s):
        return self.launch_time_s if start_s is None else np.maximum(self.launch_time_s, start_s)


def _along(part, shape: tuple[int, ...]) -> np.ndarray:
    """A worked-out figure as an array of the flights' shape (most already are: no copy, no call)."""
    return part if np.shape(part) == shape else np.broadcast_to(part, shape)


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
