"""The rows of docs/validation.md for the next-version formulas of the model brief (issue 11):
the powered phase, radar detection, an early-warning radar on 14 May 2017, the impact prediction."""

from __future__ import annotations

import math

import numpy as np

from sim.world import radar
from sim.world.ballistics import Trajectory
from sim.world.conic import free_flight
from sim.world.early_warning import SOURCES, VORONEZH_M_IRKUTSK
from sim.world.missiles import find_missile
from sim.world.prediction import (
    impact_error_km,
    normal_cdf,
    probability_on_territory,
    velocity_error_kms,
)
from sim.world.sites import SITES
from sim.world.territory import Territories
from tools.validation_row import Row

MODEL_NEXT = "model.md, next-version formulas"
KM_PER_DEG = math.pi * 6371.0 / 180.0


def _boost_rows() -> list[Row]:
    speed, angle = 3.0, 45.0
    boost_free = Trajectory.from_burnout(40.0, 128.0, 45.0, speed, angle)
    boosted = Trajectory.from_burnout(40.0, 128.0, 45.0, speed, angle, burnout_alt_km=40.0, burn_time_s=80.0)
    t = np.linspace(0.0, 80.0, 20001)
    climb = boosted.speed_at(t) * np.sin(np.radians(boosted.flight_path_angle_deg(t)))
    integrated_km = float(np.sum(climb[1:] + climb[:-1]) / 2 * (t[1] - t[0]))
    vertical = Trajectory.from_burnout(40.0, 128.0, 0.0, 2.0, 90.0, burnout_alt_km=60.0, burn_time_s=60.0)
    kusong = SITES["kusong"]
    hs12 = Trajectory.from_range(
        kusong.lat, kusong.lon, 101.0, 787.0, 2111.5, burn_time_s=find_missile("hwasong_12").burn_time_s
    )
    return [
        Row(
            "powered phase, no burn: range minus the free flight's, v = 3 km/s, 45 deg",
            "boost-free limit",
            0.0,
            float(boost_free.range_km - free_flight(speed, angle).range_km),
            0.0,
            "km",
            MODEL_NEXT,
            abs_tol=1e-12,
        ),
        Row(
            "powered phase, 80 s to 40 km: integral of v sin(gamma) over the boost",
            "h_b = int v sin(gamma) dt",
            40.0,
            integrated_km,
            1e-5,
            "km",
            MODEL_NEXT,
        ),
        Row(
            "vertical boost at constant acceleration, 2 km/s in 60 s: altitude at half time",
            "h_b (t/T)^2 with h_b = v_b T / 2",
            15.0,
            float(vertical.position(30.0)[2]),
            1e-9,
            "km",
            MODEL_NEXT,
        ),
        Row(
            "Hwasong-12, 14 May 2017, with its boost: flight time for 787 km / 2111.5 km apogee",
            "boost + inverted conic from burnout",
            1800.0,
            float(hs12.flight_time_s),
            0.05,
            "s",
            "about 30 min (KCNA via KBS; " + MODEL_NEXT + "); burn time assumed",
            digits=0,
        ),
    ]


def _radar_rows() -> list[Row]:
    r = radar.Radar(40.0, 130.0, 30.0, reference_range_km=400.0, reference_rcs_m2=4.0)
    kusong = SITES["kusong"]
    hs12 = find_missile("hwasong_12")
    traj = Trajectory.from_range(kusong.lat, kusong.lon, 101.0, 787.0, 2111.5, burn_time_s=hs12.burn_time_s)
    first, last = radar.track_span_s(traj, VORONEZH_M_IRKUTSK, hs12.rcs_m2)
    return [
        Row(
            "detection range for 1/16 of the reference RCS, R_ref = 400 km",
            "R_ref (sigma / sigma_ref)^(1/4)",
            200.0,
            float(radar.detection_range_km(r, 0.25)),
            1e-12,
            "km",
            "radar equation; " + MODEL_NEXT,
        ),
        Row(
            "reference SNR for Pd = 0.5 at Pfa = 1e-6",
            "ln(Pfa) / ln(Pd) - 1",
            18.932,
            r.reference_snr,
            1e-4,
            "",
            "Swerling 1; " + MODEL_NEXT,
            digits=3,
        ),
        Row(
            "Swerling 1 Pd, SNR = 20 (13.0 dB), Pfa = 1e-6",
            "Pfa^(1 / (1 + SNR))",
            0.51795,
            float(radar.swerling1_pd(20.0, 1e-6)),
            1e-4,
            "",
            "Skolnik; " + MODEL_NEXT,
            digits=5,
        ),
        Row(
            "cumulative detection over 5 looks at Pd = 0.3",
            "1 - (1 - Pd)^n = 1 - 0.7^5",
            0.83193,
            float(radar.cumulative_detection(np.full(5, 0.3))),
            1e-4,
            "",
            MODEL_NEXT,
            digits=5,
        ),
        Row(
            "Voronezh-M (Irkutsk) tracking the 14 May 2017 Hwasong-12",
            "span with Pd per look >= 0.5",
            23.0,
            float(last - first) / 60.0,
            0.0,
            "min",
            SOURCES["tracked_14_may_2017"],
            abs_tol=3.0,
        ),
    ]


def _prediction_rows() -> list[Row]:
    coast = Territories({"RUS": [np.array([[0, -10], [10, -10], [10, 10], [0, 10], [0, -10]], float)]})
    d_km, sigma_km = 30.0, 50.0
    return [
        Row(
            "velocity error, 10,000 looks over 300 s, sigma_x = 1 km",
            "sqrt(12) sigma_x / (T sqrt(N))",
            math.sqrt(12.0) / (300.0 * 100.0),
            float(velocity_error_kms(1.0, 300.0, 10_000)),
            2e-4,
            "km/s",
            "least squares; " + MODEL_NEXT,
            digits=7,
        ),
        Row(
            "impact error, sigma_p = 3 km, sigma_v = 10 m/s, 400 s to go",
            "sqrt(sigma_p^2 + (sigma_v t_go)^2)",
            5.0,
            float(impact_error_km(3.0, 0.01, 400.0)),
            1e-12,
            "km",
            MODEL_NEXT,
        ),
        Row(
            "P(on land), straight coast 30 km away, sigma = 50 km",
            "Phi(-d / sigma)",
            float(normal_cdf(-d_km / sigma_km)),
            float(probability_on_territory(0.0, -d_km / KM_PER_DEG, sigma_km, "RUS", coast)),
            0.0,
            "",
            MODEL_NEXT + "; polar quadrature, 512 points",
            digits=4,
            abs_tol=0.005,
        ),
    ]


def next_version_rows() -> list[Row]:
    """The rows, recomputed now."""
    return [*_boost_rows(), *_radar_rows(), *_prediction_rows()]
