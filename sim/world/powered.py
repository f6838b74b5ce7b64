"""The powered phase: from the pad to engine cut-off, with position and velocity that agree.

A trainer gives a burnout state (speed v_b, flight-path angle gamma_b, altitude h_b) and a burn time T;
the missile must leave its pad at rest, climb vertically at first, pitch over and arrive at exactly
that state at T. Rather than integrate thrust, mass and drag (whose figures are not public), the path
is written in closed form in polar coordinates around the Earth's centre, with s = t / T in [0, 1]:

    altitude            h(s) = h_b s^(p+1)
    angle from the pad  theta(s) = theta_b s^(q+1),  q = p + 1

and the velocity is their exact derivative: radial v_r = h' = h_b (p+1) s^p / T, horizontal
v_t = (R + h) theta' = (R + h) theta_b (q+1) s^q / T. Speed is hypot(v_r, v_t) and the flight-path
angle atan2(v_r, v_t), so altitude, speed and angle integrate to each other by construction. Requiring
v_r(1) = v_b sin(gamma_b) and v_t(1) = v_b cos(gamma_b) fixes

    p = v_b sin(gamma_b) T / h_b - 1,     theta_b = v_b cos(gamma_b) T / ((R + h_b) (q + 1)).

p is the shape of the speed build-up: p = 1 is constant vertical acceleration (then h_b = v_b T / 2
for a vertical climb, the condition the old (t/T)^2 model silently needed); a real rocket, lighter as
it burns, accelerates harder at the end, which is p of about 2. Because the horizontal share grows one
power of s faster than the vertical one, the missile starts vertical and pitches over smoothly to
gamma_b (an assumed pitch programme, not a gravity turn integrated from forces).

Degenerate cases: T = 0 is no boost at all (burnout at launch, exactly the free flight); h_b = 0 with
T > 0 is the limit p -> infinity, a missile that waits on its pad until T (kept so a scenario that
gives a burn time without a burnout altitude still runs; give both for a real boost).
"""

from __future__ import annotations

from typing import NamedTuple

import numpy as np

from sim.world.geo import EARTH_RADIUS_KM as R_KM

ROCKET_SPEED_EXPONENT = 2.0  # p for the nominal burnout altitude: speed grows about as t^2 (see the note)


class Boost(NamedTuple):
    """The powered phase of N flights, arrays broadcast together."""

    burn_time_s: np.ndarray
    burnout_alt_km: np.ndarray
    vertical_exponent: np.ndarray  # p; inf for a missile waiting on its pad
    range_angle_rad: np.ndarray  # theta_b, angle at the Earth's centre covered while boosting


def boost_profile(speed_kms, angle_deg, burnout_alt_km, burn_time_s) -> Boost:
    """The closed-form powered phase that ends in this burnout state (see the module note).

    Raises ValueError when no climbing boost reaches it: a burnout altitude higher than the vertical
    speed at burnout can carry in the burn time (p < 0), or a non-climbing burnout angle after a climb.
    """
    v = np.asarray(speed_kms, dtype=float)
    gamma = np.radians(np.asarray(angle_deg, dtype=float))
    h_b = np.asarray(burnout_alt_km, dtype=float)
    t_b = np.asarray(burn_time_s, dtype=float)
    v, gamma, h_b, t_b = np.broadcast_arrays(v, gamma, h_b, t_b)
    climbs = (t_b > 0) & (h_b > 0)
    vertical_reach = v * np.sin(gamma) * t_b  # km the burnout vertical speed covers in T
    if np.any(climbs & (gamma <= 0)):
        raise ValueError("a powered climb must end climbing: burnout angle must be > 0 deg with a burnout altitude")
    if np.any(climbs & (vertical_reach < h_b)):
        bad = np.flatnonzero((climbs & (vertical_reach < h_b)).ravel())[0]
        raise ValueError(
            f"burnout altitude {h_b.ravel()[bad]:g} km is out of reach in {t_b.ravel()[bad]:g} s at "
            f"{v.ravel()[bad]:g} km/s and {np.degrees(gamma.ravel()[bad]):g} deg: "
            "it needs v sin(angle) x burn time >= burnout altitude"
        )
    with np.errstate(divide="ignore", invalid="ignore"):
        p = np.where(climbs, vertical_reach / h_b - 1.0, np.inf)
        theta_b = np.where(climbs, v * np.cos(gamma) * t_b / ((R_KM + h_b) * (p + 2.0)), 0.0)
    return Boost(t_b[()], h_b[()], p[()], theta_b[()])


def boost_state(boost: Boost, since_launch_s) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """(angle from the pad in rad, altitude km, speed km/s, flight-path angle deg) while boosting.

    `since_launch_s` broadcasts against the flights; times are clipped to [0, T] (the pad before
    launch, the burnout state at T). Only meaningful while boosting: from T on, the conic flies.
    """
    t = np.asarray(since_launch_s, dtype=float)
    with np.errstate(divide="ignore", invalid="ignore"):
        s = np.clip(np.where(boost.burn_time_s > 0, t / boost.burn_time_s, 1.0), 0.0, 1.0)
        p = boost.vertical_exponent
        waiting = ~np.isfinite(p)  # on the pad until T
        pp = np.where(waiting, 0.0, p)
        h = np.where(waiting, 0.0, boost.burnout_alt_km * s ** (pp + 1.0))
        theta = np.where(waiting, 0.0, boost.range_angle_rad * s ** (pp + 2.0))
        v_r = np.where(waiting, 0.0, boost.burnout_alt_km * (pp + 1.0) * s**pp / boost.burn_time_s)
        v_t = np.where(
            waiting, 0.0, (R_KM + h) * boost.range_angle_rad * (pp + 2.0) * s ** (pp + 1.0) / boost.burn_time_s
        )
        # v_t / v_r grows as s (times (R + h)): the angle has a limit of 90 deg on the pad, where both vanish
        gamma = np.degrees(
            np.arctan2(boost.burnout_alt_km * (pp + 1.0), (R_KM + h) * boost.range_angle_rad * (pp + 2.0) * s)
        )
    return theta, h, np.hypot(v_r, v_t), np.where(waiting, 90.0, gamma)


def nominal_burnout_altitude_km(speed_kms, angle_deg, burn_time_s, exponent=ROCKET_SPEED_EXPONENT) -> np.ndarray:
    """Burnout altitude of a boost whose vertical speed grows as t^exponent: v_b sin(gamma_b) T / (p + 1).

    For when a scenario gives a burn time but no burnout altitude; exponent 2 is the assumed
    rocket-like build-up of speed (see the module note).
    """
    v = np.asarray(speed_kms, dtype=float)
    gamma = np.radians(np.asarray(angle_deg, dtype=float))
    return (v * np.sin(gamma) * np.asarray(burn_time_s, dtype=float) / (exponent + 1.0))[()]


def boost_range_km(speed_kms, angle_deg, burnout_alt_km, burn_time_s) -> np.ndarray:
    """Ground distance covered from the pad to burnout."""
    return (R_KM * boost_profile(speed_kms, angle_deg, burnout_alt_km, burn_time_s).range_angle_rad)[()]
