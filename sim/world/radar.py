"""Radar detection look by look: reach that depends on target size, a chance per look, a scan, a sector.

A radar is described the way its public figures are: a detection range R_ref for a reference
radar cross-section sigma_ref. Everything else equal, the radar equation makes the signal-to-noise
ratio fall as 1/R^4 and grow with sigma:

    SNR(R, sigma) = SNR_ref (sigma / sigma_ref) (R_ref / R)^4,   so the range for sigma is
    R(sigma) = R_ref (sigma / sigma_ref)^(1/4).

Each look (one per scan period) detects a fluctuating target with the Swerling 1 probability
Pd = Pfa^(1 / (1 + SNR)) (Skolnik, *Introduction to Radar Systems*; a single pulse, square-law
detector). SNR_ref is chosen so that Pd at R_ref is `reference_pd`: SNR_ref = ln(Pfa) / ln(Pd_ref) - 1.
Convention here (stated because published ranges rarely say): a quoted detection range is the range
of a 50 % chance per look (`reference_pd = 0.5`), with Pfa = 1e-6. Looks are independent, so over
looks i the chance of at least one detection is 1 - prod(1 - Pd_i).

Besides the chance, a look needs the target above the radar horizon (4/3 Earth, `sensors`), within
the instrumented range if one is given, inside the azimuth sector if the radar has one, and in flight.
The world has no randomness: the caller draws one uniform per look and passes them in.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from sim.world.ballistics import Trajectory
from sim.world.geo import EARTH_RADIUS_KM, initial_bearing_deg, straight_line_km
from sim.world.sensors import STANDARD_REFRACTION_K, horizon_ground_range_km

REFERENCE_PD = 0.5
FALSE_ALARM_PROBABILITY = 1e-6


@dataclass(frozen=True)
class Radar:
    """One radar: where it is, how far it sees what size, how often it looks, and where it points."""

    lat: float
    lon: float
    height_m: float  # antenna above the ground
    reference_range_km: float  # R_ref: detection range (Pd = reference_pd per look) for reference_rcs_m2
    reference_rcs_m2: float = 1.0
    scan_period_s: float = 10.0
    reference_pd: float = REFERENCE_PD
    false_alarm_probability: float = FALSE_ALARM_PROBABILITY
    max_range_km: float = math.inf  # instrumented range: nothing is reported beyond it
    sector_center_deg: float | None = None  # bearing the radar faces; None: all round
    sector_half_width_deg: float = 180.0
    first_look_s: float = 0.0  # phase of the scan on the scenario clock

    def __post_init__(self):
        checks = [
            (math.isfinite(self.lat) and math.isfinite(self.lon), "position must be finite degrees"),
            (self.height_m >= 0, "antenna height must be >= 0 m"),
            (self.reference_range_km > 0 and self.reference_rcs_m2 > 0, "reference range and RCS must be > 0"),
            (self.scan_period_s > 0, "scan period must be > 0 s"),
            (0 < self.false_alarm_probability < self.reference_pd < 1, "need 0 < Pfa < reference Pd < 1"),
            (self.max_range_km > 0, "instrumented range must be > 0 km"),
            (0 < self.sector_half_width_deg <= 180, "sector half-width must be within 0..180 deg"),
        ]
        for ok, message in checks:
            if not ok:
                raise ValueError(f"radar: {message}")

    @property
    def reference_snr(self) -> float:
        """SNR_ref that makes Pd at R_ref the reference value: ln(Pfa) / ln(Pd_ref) - 1."""
        return math.log(self.false_alarm_probability) / math.log(self.reference_pd) - 1.0


def detection_range_km(radar: Radar, rcs_m2) -> np.ndarray:
    """Range at which a target of `rcs_m2` is seen with the reference chance: R_ref (sigma/sigma_ref)^(1/4)."""
    return (radar.reference_range_km * (np.asarray(rcs_m2, dtype=float) / radar.reference_rcs_m2) ** 0.25)[()]


def snr(radar: Radar, range_km, rcs_m2) -> np.ndarray:
    """Signal-to-noise ratio (linear) of a target at slant `range_km`: SNR_ref (sigma/sigma_ref) (R_ref/R)^4."""
    r = np.asarray(range_km, dtype=float)
    with np.errstate(divide="ignore"):
        return (
            radar.reference_snr
            * (np.asarray(rcs_m2, dtype=float) / radar.reference_rcs_m2)
            * (radar.reference_range_km / r) ** 4
        )[()]


def swerling1_pd(snr_linear, false_alarm_probability=FALSE_ALARM_PROBABILITY) -> np.ndarray:
    """Swerling 1 chance of detection on one look: Pd = Pfa^(1 / (1 + SNR))."""
    return (np.asarray(false_alarm_probability, dtype=float) ** (1.0 / (1.0 + np.asarray(snr_linear, dtype=float))))[()]


def cumulative_detection(pd_per_look, axis=0) -> np.ndarray:
    """Chance of at least one detection over independent looks along `axis`: 1 - prod(1 - Pd_i)."""
    return (1.0 - np.prod(1.0 - np.asarray(pd_per_look, dtype=float), axis=axis))[()]


def look_times(radar: Radar, start_s, n_looks: int) -> np.ndarray:
    """The first `n_looks` look times at or after `start_s` (shape (n_looks, *start.shape))."""
    start = np.asarray(start_s, dtype=float)
    period = radar.scan_period_s
    first = radar.first_look_s + period * np.ceil((start - radar.first_look_s) / period)
    k = np.arange(n_looks, dtype=float).reshape((-1,) + (1,) * start.ndim)
    return first + k * period


def looks_needed(traj: Trajectory, radar: Radar) -> int:
    """How many looks cover the longest flight from launch to impact: the size of the draws to pass."""
    return int(np.ceil(np.max(traj.flight_time_s) / radar.scan_period_s)) + 1


def in_coverage(traj: Trajectory, radar: Radar, t_s, k=STANDARD_REFRACTION_K) -> tuple[np.ndarray, np.ndarray]:
    """(covered, slant range km) at absolute times: in flight, above the horizon, within the
    instrumented range and inside the sector."""
    angle, alt, _ = traj.view_from(radar.lat, radar.lon, t_s)
    h_r = radar.height_m / 1000.0
    slant = straight_line_km(angle, h_r, alt)
    ok = (
        traj.in_flight(t_s)
        & (EARTH_RADIUS_KM * angle <= horizon_ground_range_km(radar.height_m, alt, k))
        & (slant <= radar.max_range_km)
    )
    if radar.sector_center_deg is not None and radar.sector_half_width_deg < 180.0:
        lat, lon, _ = traj.position(t_s)
        bearing = initial_bearing_deg(radar.lat, radar.lon, lat, lon)
        off = np.abs((bearing - radar.sector_center_deg + 180.0) % 360.0 - 180.0)
        ok &= off <= radar.sector_half_width_deg
    return ok, slant


def detection_probability_per_look(traj: Trajectory, radar: Radar, t_s, rcs_m2) -> np.ndarray:
    """Chance that a look at absolute times `t_s` detects each flight (0 where it cannot be seen)."""
    ok, slant = in_coverage(traj, radar, t_s)
    pd = swerling1_pd(snr(radar, np.maximum(slant, 1e-9), rcs_m2), radar.false_alarm_probability)
    return np.where(ok, pd, 0.0)


def first_detection_time_s(traj: Trajectory, radar: Radar, uniforms, rcs_m2, until_s=None) -> np.ndarray:
    """Time of the first look that detects each flight (NaN if none does).

    `uniforms` has one draw in [0, 1) per look and flight, shaped (K, *traj.shape): draw k belongs to
    the k-th look at or after the flight's launch (so a flight's draws do not depend on its launch
    time). Look k detects when the flight is covered and u_k < Pd_k. Looks beyond K, after impact or
    after `until_s` (e.g. the break-up of a missile that explodes) are not tried; size K with
    `looks_needed`.
    """
    u = np.asarray(uniforms, dtype=float)
    t = look_times(radar, traj.launch_time_s, u.shape[0])
    end = traj.impact_time_s if until_s is None else np.minimum(traj.impact_time_s, until_s)
    hit = (u < detection_probability_per_look(traj, radar, t, rcs_m2)) & (t <= end)
    first = hit.argmax(axis=0)
    return np.where(hit.any(axis=0), np.take_along_axis(t, first[None], axis=0)[0], np.nan)[()]


def detection_probability_by(traj: Trajectory, radar: Radar, t_s, rcs_m2) -> np.ndarray:
    """Chance that each flight has been detected at least once by absolute time `t_s` (a scalar
    or one per flight): the cumulative probability over the looks since launch."""
    n = looks_needed(traj, radar)
    t = look_times(radar, traj.launch_time_s, n)
    pd = np.where(t <= np.asarray(t_s, dtype=float), detection_probability_per_look(traj, radar, t, rcs_m2), 0.0)
    return cumulative_detection(pd, axis=0)


def track_span_s(
    traj: Trajectory, radar: Radar, rcs_m2, min_pd=REFERENCE_PD, step_s=1.0, tol_s=0.05
) -> tuple[np.ndarray, np.ndarray]:
    """(first, last) absolute times at which a look's chance of detection is at least `min_pd`, per
    flight (NaN if never): the span over which the radar holds a track on it, look after look."""

    def good(t):
        return detection_probability_per_look(traj, radar, t, rcs_m2) >= min_pd

    return (traj.first_time_s(good, step_s=step_s, tol_s=tol_s), traj.last_time_s(good, step_s=step_s, tol_s=tol_s))
