"""The 28/29 Apr 2017 failed launch, replayed with the debris model: what break-up and fragments fit?

Reported (The Diplomat, Jan 2018; seeds/public_figures.md P-12, P-13; model.md): about a minute of
powered flight, a peak of about 70 km, debris down at Tokchon about 39 km from the Pukchang pad.

A peak of 70 km over a 39 km ground track is a steep, lofted arc. We take the motor to have burned
until the failure (`BURN_S`, the earliest failure time the scenario draws; the 60 s of a Scud-class
burn is itself an assumption) on the flight with that range and apogee (boost included: about
1.0 km/s at 80 deg at burnout), and the missile to have broken up at `FAILURE_S`, after burnout, so its
pieces flew the reported arc. The heaviest fragments keep to the arc and land at 39 km; lighter ones
are slowed and land short. A break-up during the boost would leave them short of it (a missile that
had not yet reached the arc's speed): 31 km at the median with the 60 s class burn, so the burn is
the calibrated figure. `landings_from_pad_km` gives the distance from the pad for any betas and
break-up times, so a trainer can see which fragments the report fits. The what-if launch of the same
scenario (1.6 km/s at 65 deg at the burnout of a 60 s Scud-class boost, break-up at 5-90 s) throws
its heaviest fragments as far as the intact missile, 225 km, and no farther:
`scenario_landings_from_pad_km` shows it.
"""

from __future__ import annotations

import numpy as np

from sim.world.ballistics import Trajectory
from sim.world.debris import BreakUp, breakup_state, fall
from sim.world.geo import great_circle_km
from sim.world.powered import nominal_burnout_altitude_km

TOKCHON_FROM_PAD_KM = 39.0  # The Diplomat, Jan 2018 (model.md, next-version figures)
PEAK_KM = 70.0  # P-13
FAILURE_S = 60.0  # P-12: "about a minute"
BURN_S = 50.0  # assumption: the motor burned until the failure (failed_launch_debris.yaml draws 50-70 s)
SCENARIO_BURN_S = 60.0  # the Scud-class default (sim/world/missiles.py) the what-if flies
PAD = (39.505, 125.964)  # Pukchang, the gazetteer point of sim/world/sites.py (not a seeds figure)
AZIMUTH_DEG = 60.0  # the heading the shipped scenario assumes; the distances do not depend on it
SCENARIO_SPEED_KMS, SCENARIO_ANGLE_DEG = 1.6, 65.0  # scenarios/failed_launch_debris.yaml


def reported_arc() -> Trajectory:
    """The flight with the reported range and peak, boost of `BURN_S` included."""
    return Trajectory.from_range(PAD[0], PAD[1], AZIMUTH_DEG, TOKCHON_FROM_PAD_KM, PEAK_KM, burn_time_s=BURN_S)


def scenario_arc() -> Trajectory:
    """The what-if's flight as the scenario flies it: that burnout state after a Scud-class boost."""
    alt = nominal_burnout_altitude_km(SCENARIO_SPEED_KMS, SCENARIO_ANGLE_DEG, SCENARIO_BURN_S)
    return Trajectory.from_burnout(
        PAD[0], PAD[1], AZIMUTH_DEG, SCENARIO_SPEED_KMS, SCENARIO_ANGLE_DEG, alt, SCENARIO_BURN_S
    )


def landings_from_pad_km(traj: Trajectory, beta_kg_m2, breakup_s=FAILURE_S, **fall_options) -> np.ndarray:
    """Distance from the pad to where fragments of these betas land, for each break-up time:
    shape (len(breakup_s), len(beta))."""
    t = np.atleast_1d(np.asarray(breakup_s, dtype=float))
    state = breakup_state(traj, t)
    fragments = BreakUp(*(np.asarray(x)[:, None] for x in state))
    landing = fall(fragments, np.atleast_1d(beta_kg_m2)[None, :], **fall_options)
    return great_circle_km(PAD[0], PAD[1], landing.lat, landing.lon)


BETA_GRID = np.geomspace(10.0, 1e5, 41)  # kg/m^2, ten to the decade


def lightest_fitting_beta(tolerance_km=4.0, betas=BETA_GRID, breakup_s=FAILURE_S) -> float:
    """Smallest beta (kg/m^2, on a grid) whose fragment lands within `tolerance_km` of Tokchon's 39 km."""
    distance = landings_from_pad_km(reported_arc(), betas, breakup_s)[0]
    fits = np.abs(distance - TOKCHON_FROM_PAD_KM) <= tolerance_km
    return float(betas[np.argmax(fits)]) if fits.any() else float("nan")


def scenario_landings_from_pad_km(beta_kg_m2, breakup_s=(30.0, 60.0, 90.0)) -> np.ndarray:
    """The same for the what-if's flight (its explosion times run from 5 to 90 s, the boost to 60 s)."""
    return landings_from_pad_km(scenario_arc(), beta_kg_m2, breakup_s)
