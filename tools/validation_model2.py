"""The checks of model issue II (zones, debris, engagement, queueing): rows of docs/validation.md,
and the Tokchon calibration table printed under them. Kept apart from `validation` so that each
module stays short; `validation` collects both.
"""

from __future__ import annotations

import numpy as np

from sim.world import atmosphere, ballistics, debris, debris_calibration, intercept, queueing, zones
from sim.world.geo import destination
from sim.world.powered import boost_state

MODEL = "model.md"
ISSUE = "issue 12"
BETAS = np.array([30.0, 100.0, 300.0, 1000.0, 3000.0, np.inf])
BREAKUP_S = (40.0, 60.0, 80.0)


def model_ii_rows(row) -> list:
    """Rows built with the `Row` class of `validation` (passed in to keep the import one way)."""
    coast_lat, coast_lon = destination(45.0, 130.0, 90.0, zones.TERRITORIAL_SEA_KM)
    meridian = [np.array([[130.0, 20.0], [130.0, 60.0]])]
    issue_state = debris.BreakUp(39.7, 126.4, 69.6, np.hypot(0.674, 0.868), np.degrees(np.arctan2(0.868, 0.674)), 60.0)
    vacuum = debris.fall(issue_state, np.inf)
    conic = ballistics.free_flight(issue_state.speed_kms, issue_state.angle_deg, issue_state.alt_km)
    beta, h0 = 50.0, 1000.0
    still_air = debris.fall(
        debris.BreakUp(40.0, 128.0, h0 / 1000.0, 0.0, 0.0, 0.0), beta, density=lambda h: np.full_like(h, 1.225)
    )
    g = debris.G_SURFACE_MS2
    vt = np.sqrt(2 * beta * g / 1.225)
    low = debris.fall(debris.BreakUp(40.0, 128.0, 10.0, 0.0, 0.0, 0.0), 100.0)
    tokchon = debris_calibration.landings_from_pad_km(debris_calibration.reported_arc(), [3000.0])[0, 0]
    scenario_vacuum = debris_calibration.scenario_landings_from_pad_km([np.inf], (60.0,))[0, 0]
    boost_vacuum = debris_calibration.scenario_landings_from_pad_km([np.inf], (30.0,))[0, 0]
    what_if = debris_calibration.scenario_arc()
    travelled, b_alt, b_speed, b_angle = boost_state(what_if._boost, 30.0)
    boost_conic = float(ballistics.R_KM * travelled + ballistics.free_flight(b_speed, b_angle, b_alt).range_km)
    p_wait, wait = queueing.erlang_c(0.5, 3.0, 2)
    shrink = intercept.Envelope(0.0, 400.0, 0.0, 30.0, 4.8, range_vs_speed=((0.3, 400.0), (4.8, 60.0)))
    unclos, us76 = "UNCLOS Art. 3", "U.S. Standard Atmosphere 1976, Table I"
    return [
        row(
            "distance from a straight coast (a meridian), 12 nm off at 45 N",
            "asin|p . n| on the sphere",
            22.224,
            zones.boundary_distance_km(coast_lat, coast_lon, meridian),
            1e-9,
            "km",
            unclos,
            digits=3,
        ),
        row(
            "exponential air density at 7.2 km",
            "1.225 exp(-h / 7.2 km)",
            1.225 / np.e,
            atmosphere.exponential_density(7200.0),
            1e-12,
            "kg/m^3",
            MODEL,
            digits=4,
        ),
        row(
            "standard air density at 20 km",
            "US76 layers, hydrostatic",
            0.088910,
            atmosphere.us76_density(20e3),
            2e-4,
            "kg/m^3",
            us76,
            digits=5,
        ),
        row(
            "standard air density at 50 km",
            "US76 layers, hydrostatic",
            1.0269e-3,
            atmosphere.us76_density(50e3),
            2e-4,
            "kg/m^3",
            us76,
            digits=6,
        ),
        row(
            "debris, no drag, from the issue's break-up (69.6 km, 0.674 / 0.868 km/s): range",
            "RK4 vs the conic",
            conic.range_km,
            debris.ground_range_km(issue_state, vacuum),
            1e-7,
            "km",
            "Bate, Mueller & White ch. 6; " + ISSUE,
            digits=3,
        ),
        row(
            "same: time to the ground",
            "RK4 vs the conic",
            conic.flight_time_s,
            vacuum.time_s,
            1e-7,
            "s",
            "Bate, Mueller & White ch. 6; " + ISSUE,
            digits=2,
        ),
        row(
            "fall from rest, 1 km, constant air, beta = 50 kg/m^2: time",
            "(v_t / g) arccosh(exp(g h / v_t^2))",
            vt / g * np.arccosh(np.exp(g * h0 / vt**2)),
            still_air.time_s,
            5e-4,
            "s",
            "closed form",
            digits=2,
        ),
        row(
            "fall from 10 km, beta = 100 kg/m^2: speed at the ground",
            "sqrt(2 beta g / rho(0))",
            debris.terminal_speed_ms(100.0),
            low.speed_ms,
            0.012,
            "m/s",
            MODEL,
            digits=2,
        ),
        row(
            "29 Apr 2017: fragment (beta = 3000 kg/m^2) of the 39 km / 70 km arc, break-up at 60 s: from the pad",
            "lofted conic, then RK4 with drag",
            debris_calibration.TOKCHON_FROM_PAD_KM,
            tokchon,
            0.0,
            "km",
            "Tokchon, The Diplomat, Jan 2018 (P-12, P-13)",
            abs_tol=4.0,
        ),
        row(
            "what-if debris (Musudan-ri), break-up at burnout (60 s), no drag: from the pad",
            "intact flight: boost + conic range",
            float(debris_calibration.scenario_arc().range_km),
            scenario_vacuum,
            0.0,
            "km",
            MODEL + ": a break-up at burnout reproduces the intact flight",
            abs_tol=0.01,
        ),
        row(
            "what-if debris, break-up during the boost (30 s), no drag: from the pad",
            "ground covered + conic of the state at break-up",
            boost_conic,
            boost_vacuum,
            0.0,
            "km",
            MODEL + ": the pieces start from the boosting state",
            abs_tol=0.01,
        ),
        row(
            "salvo with a common-mode failure, p = 0.7, n = 2, rho = 0.95",
            "rho (1 - (1 - p)^n)",
            0.8645,
            intercept.salvo_kill_probability_common_mode(0.7, 2, 0.95),
            1e-12,
            "",
            MODEL,
            digits=4,
        ),
        row(
            "max range against a 2.55 km/s target, 400 km at 0.3 km/s to 60 km at 4.8 km/s",
            "linear between anchors",
            230.0,
            shrink.max_range_at(2.55),
            1e-12,
            "km",
            "P-1, P-2, P-3 (the line between is assumed)",
        ),
        row(
            "Erlang C, lambda = 0.5/min, S = 3 min, c = 2: P(wait)",
            "Erlang B recursion",
            9 / 14,
            p_wait,
            1e-12,
            "",
            MODEL,
            digits=3,
        ),
        row("Erlang C, same: mean wait", "P(wait) S / (c - a)", 27 / 7, wait, 1e-12, "min", MODEL, digits=3),
    ]


def model_ii_notes() -> list[str]:
    """The Tokchon calibration as a table: where fragments land, by ballistic coefficient."""
    reported = debris_calibration.landings_from_pad_km(debris_calibration.reported_arc(), BETAS, BREAKUP_S)
    shipped = debris_calibration.scenario_landings_from_pad_km(BETAS, BREAKUP_S)
    head = " | ".join("no drag" if np.isinf(b) else f"beta {b:g}" for b in BETAS)
    lines = [
        "### Debris calibration: the 29 Apr 2017 failure (Tokchon, about 39 km from the pad)",
        "",
        "Distance from the pad (km) where fragments land, exponential air, no wind, by ballistic",
        "coefficient (kg/m^2) and break-up time. The reported arc is the flight with range 39 km and",
        "peak 70 km after a 50 s burn (the motor burned until it failed); the what-if launch of the",
        "shipped scenario burns out at 1.6 km/s and 65 deg after a 60 s Scud-class boost.",
        "",
        f"| arc | break-up | {head} |",
        "|---|---|" + "---|" * len(BETAS),
    ]
    for name, table in (("reported 39 km / 70 km", reported), ("what-if (Musudan-ri)", shipped)):
        for t, row in zip(BREAKUP_S, table, strict=True):
            lines.append(f"| {name} | {t:g} s | " + " | ".join(f"{d:,.1f}" for d in row) + " |")
    lines += [
        "",
        f"Fragments of beta >= {debris_calibration.lightest_fitting_beta():.0f} kg/m^2 (a grid of ten steps a decade)",
        "broken off the reported arc at 60 s land within 4 km of Tokchon; lighter ones fall short,",
        "towards the pad. On the what-if's arc, a break-up during the boost throws the pieces only as",
        "far as the speed reached; from burnout on, dense ones fly on toward the intact 225 km.",
        "",
    ]
    return lines
