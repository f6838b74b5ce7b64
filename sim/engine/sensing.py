"""Which radar reports each missile first, and when: detection look by look, monitoring and cueing.

Every radar (each battery's own, then the scenario's early-warning ``sensors:``) is a
``sim.world.radar.Radar``: a detection range for a reference cross-section, a chance per look
(Swerling 1), a scan period, an optional sector. Each look at a threat takes one uniform draw from
the site ``radar.looks.<radar>.<threat>`` (draw n belongs to the n-th look after launch, so the
same draws serve every variant below: common random numbers).

Per block, per threat and radar, three first detections are worked out at once:

- ``routine``: a battery radar whose unit stands at a level with ``monitoring: routine`` searches
  every ``routine_scan_period`` (default twice ``scan_period``: an assumption);
- ``mass``: at a level with ``monitoring: mass`` it searches every ``scan_period``;
- ``cued``: an early-warning report cues it. Cueing rule: once the first early-warning report of
  the threat reaches its post (the sensor's first detection plus its ``latency``), every battery
  radar searches where it is told, every ``scan_period``, and its first detection after that moment
  is reported at once (no monitoring latency: the crew knows what to look for).

A stand-alone sensor has only its own scan (``mass``). Which one counts is known only in the
replication (the unit's level at launch): ``threats.py`` picks it; the radar whose report comes
first tracks the threat for the impact prediction (``engine.prediction``).
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from sim.engine import draw_sites
from sim.scenario.model import RadarFigures, Scenario
from sim.world import radar as wr
from sim.world.ballistics import Trajectory

ROUTINE_SCAN_FACTOR = 2.0  # assumption: a routine watch revisits a place half as often as mass monitoring
ROUTINE, MASS, CUED = 0, 1, 2
MODES = ("routine", "mass", "cued")


@dataclass(frozen=True)
class RadarSpec:
    """One radar of the scenario as the engine flies it: search (two speeds), tracking accuracy."""

    name: str
    sensor: bool  # a stand-alone early-warning sensor (else a battery's own radar)
    mass: wr.Radar  # searching every scan period
    routine: wr.Radar  # searching at routine watch (the same radar for a sensor)
    measurement_error_km: float

    @property
    def scan_period_s(self) -> float:
        return self.mass.scan_period_s


def _world_radar(lat: float, lon: float, r: RadarFigures, scan_s: float) -> wr.Radar:
    return wr.Radar(
        lat=lat,
        lon=lon,
        height_m=r.height * 1000.0,
        reference_range_km=r.range,
        reference_rcs_m2=r.reference_rcs,
        scan_period_s=scan_s,
        reference_pd=r.reference_pd,
        sector_center_deg=r.sector_center,
        sector_half_width_deg=r.sector_half_width,
    )


def radar_specs(s: Scenario, unit_sites, sensor_sites) -> tuple[RadarSpec, ...]:
    """The units' radars, then the sensors, in that order (the order of ``FlightRow`` lists)."""
    out = []
    for u, p in zip(s.units, unit_sites):
        r = u.radar
        routine = r.routine_scan_period if r.routine_scan_period is not None else ROUTINE_SCAN_FACTOR * r.scan_period
        out.append(
            RadarSpec(
                u.name,
                False,
                _world_radar(p.lat, p.lon, r, r.scan_period),
                _world_radar(p.lat, p.lon, r, routine),
                r.measurement_error,
            )
        )
    for x, p in zip(s.sensors, sensor_sites):
        radar = _world_radar(p.lat, p.lon, x, x.scan_period)
        out.append(RadarSpec(x.name, True, radar, radar, x.measurement_error))
    return tuple(out)


def look_slots(flight_time_s: float, scan_period_s: float) -> int:
    """Draws one radar needs per threat: a look every scan period over the longest flight, plus one."""
    return int(math.ceil(flight_time_s / scan_period_s)) + 2


def _hits(traj: Trajectory, radar: wr.Radar, u: np.ndarray, until: np.ndarray, rcs: float):
    """(look times, detected) shaped (K, B): look n at the n-th scan after launch detects when u_n < Pd_n."""
    t = wr.look_times(radar, traj.launch_time_s, u.shape[0])
    pd = wr.detection_probability_per_look(traj, radar, t, rcs)
    return t, (u < pd) & (t <= until)


def _first(t: np.ndarray, hit: np.ndarray) -> np.ndarray:
    any_hit = hit.any(axis=0)
    return np.where(any_hit, np.take_along_axis(t, hit.argmax(axis=0)[None], axis=0)[0], np.nan)


class BlockSensing:
    """First detections per ``[replication, threat, radar, mode]`` (NaN: never), and the cue times."""

    def __init__(self, plan, draws, n_threats: int):
        self.plan, self.draws = plan, draws
        self.radars: tuple[RadarSpec, ...] = plan.radars
        B, nr = draws.size, len(self.radars)
        self.first = np.full((B, n_threats, nr, len(MODES)), np.nan)
        self.cue = np.full((B, n_threats), np.nan)  # first early-warning report at its post

    def fly(self, k: int, traj: Trajectory, until: np.ndarray, rcs: float) -> None:
        """Threat ``k``'s flights (one per replication), in the air (trackable) until ``until``."""
        plan, draws = self.plan, self.draws
        mass_hits = []
        for j, spec in enumerate(self.radars):
            u = draws.array(plan.look_sites[j][k]).T  # (K, B)
            t, hit = _hits(traj, spec.mass, u, until, rcs)
            mass_hits.append((t, hit))
            self.first[:, k, j, MASS] = _first(t, hit)
            if spec.sensor:
                latency = draws.array(draw_sites.sensor_detection(spec.name))[:, k]
                self.cue[:, k] = np.fmin(self.cue[:, k], self.first[:, k, j, MASS] + latency)
            else:
                n = int(math.ceil(u.shape[0] * spec.mass.scan_period_s / spec.routine.scan_period_s))
                self.first[:, k, j, ROUTINE] = _first(*_hits(traj, spec.routine, u[:n], until, rcs))
        cue = self.cue[:, k]
        for j, spec in enumerate(self.radars):
            if not spec.sensor:
                t, hit = mass_hits[j]
                self.first[:, k, j, CUED] = _first(t, hit & (t >= cue))  # NaN cue: never cued

    def rows(self) -> list:
        """Plain Python lists for the replications: ``rows[i][k][j][mode]``."""
        return self.first.tolist()
