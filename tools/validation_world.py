"""The worked examples of the model brief, recomputed by the code: the rows of docs/validation.md.

`python -m tools.gen_docs` rewrites the world section of docs/validation.md (everything
before "## Engine", which the engine's own checks own); `--check` only says whether it is current.
A test regenerates the text and compares, so the document cannot drift from the code.
"""

from __future__ import annotations

import sys
from pathlib import Path

from sim.world import ballistics, geo, intercept, sensors
from sim.world.sites import SITES
from tools.validation_model1 import next_version_rows
from tools.validation_row import Row

MODEL = "model.md"
ENGINE_HEADING = "## Engine"
ENGINE_SECTION = f"{ENGINE_HEADING}\n\n(engine checks are added by the engine's own tests)\n"
DOC_PATH = Path(__file__).resolve().parents[1] / "docs" / "validation.md"


def validation_rows() -> list[Row]:
    """Every worked number of the model brief that the world layer computes, recomputed now."""
    from tools.validation_model2 import model_ii_rows  # it builds its rows with Row

    return _model_i_rows() + model_ii_rows(Row)


def _model_i_rows() -> list[Row]:
    conic = ballistics.free_flight(5.0, 45.0)
    speed, angle = ballistics.minimum_energy(1000.0)
    least = ballistics.free_flight(speed, angle)
    flat_range, flat_time, flat_apex = ballistics.flat_earth(1000.0, 45.0)
    hs12 = ballistics.free_flight(*ballistics.burnout_for(787.0, 2111.5))
    p_kill, used = intercept.shoot_look_shoot(0.7, 2)
    sinpo, vladivostok = SITES["sinpo"], SITES["vladivostok"]
    to_vlad = geo.initial_bearing_deg(sinpo.lat, sinpo.lon, vladivostok.lat, vladivostok.lon)
    miss_km = geo.great_circle_km(
        vladivostok.lat,
        vladivostok.lon,
        *ballistics.Trajectory.from_range(sinpo.lat, sinpo.lon, to_vlad, 460.0).impact(),
    )
    tight, mrbm = 0.001, "Bate, Mueller & White ch. 6; " + MODEL
    return [
        Row(
            "free flight range, v = 5 km/s, phi = 45 deg",
            "R Psi, tan(Psi/2) = Q s c / (1 - Q c^2)",
            3117.6,
            conic.range_km,
            tight,
            "km",
            mrbm,
        ),
        Row("free flight apogee, v = 5 km/s, phi = 45 deg", "a (1 + e) - R", 893.1, conic.apogee_km, tight, "km", mrbm),
        Row(
            "free flight time, v = 5 km/s, phi = 45 deg",
            "Kepler: (M1 - M0) / n",
            1051.0,
            conic.flight_time_s,
            tight,
            "s",
            mrbm,
        ),
        Row(
            "minimum-energy speed for 1000 km",
            "Q = 2 sin(Psi/2) / (1 + sin(Psi/2))",
            3.016,
            speed,
            tight,
            "km/s",
            mrbm,
            digits=3,
        ),
        Row("minimum-energy angle for 1000 km", "(pi - Psi) / 4", 42.75, angle, tight, "deg", mrbm, digits=2),
        Row("minimum-energy apogee for 1000 km", "a (1 + e) - R", 239.9, least.apogee_km, tight, "km", mrbm),
        Row(
            "minimum-energy flight time for 1000 km",
            "Kepler: (M1 - M0) / n",
            474.4,
            least.flight_time_s,
            tight,
            "s",
            mrbm,
        ),
        Row("flat-Earth range, 1000 m/s at 45 deg", "v^2 sin(2 theta) / g", 101971.6, flat_range, tight, "m", MODEL),
        Row(
            "flat-Earth time of flight, 1000 m/s at 45 deg",
            "2 v sin(theta) / g",
            144.21,
            flat_time,
            tight,
            "s",
            MODEL,
            digits=2,
        ),
        Row("flat-Earth apex, 1000 m/s at 45 deg", "(v sin(theta))^2 / (2 g)", 25492.9, flat_apex, tight, "m", MODEL),
        Row(
            "radar horizon, antenna 30 m, target 10 km",
            "sqrt(2kR h_r) + sqrt(2kR h_t), k = 4/3",
            434.76,
            sensors.radar_horizon_km(30.0, 10.0),
            tight,
            "km",
            MODEL,
            digits=2,
        ),
        Row(
            "great circle Nashville - Los Angeles",
            "haversine, R = 6371 km",
            2886.444,
            geo.great_circle_km(36.12, -86.67, 33.94, -118.40),
            1e-6,
            "km",
            MODEL,
            digits=3,
        ),
        Row(
            "salvo kill probability, p = 0.7, n = 2",
            "1 - (1 - p)^n",
            0.91,
            intercept.salvo_kill_probability(0.7, 2),
            1e-9,
            "",
            MODEL,
            digits=2,
        ),
        Row(
            "shoot-look-shoot kill probability, p = 0.7, 2 shots",
            "1 - (1 - p)^n",
            0.91,
            p_kill,
            1e-9,
            "",
            MODEL,
            digits=2,
        ),
        Row("shoot-look-shoot interceptors used, p = 0.7, 2 shots", "1 + (1 - p)", 1.3, used, 1e-9, "", MODEL),
        Row(
            "Hwasong-12, 14 May 2017: free-flight time for 787 km / 2111.5 km apogee",
            "inverted conic (no powered phase)",
            1800.0,
            hs12.flight_time_s,
            0.10,
            "s",
            "about 30 min reported (KCNA via KBS; " + MODEL + ")",
            digits=0,
        ),
        Row(
            "Sinpo toward Vladivostok, 460 km: distance of the impact from the city",
            "destination along the bearing",
            0.0,
            miss_km,
            0.0,
            "km",
            "sites (" + MODEL + "); world brief: within a few km",
            abs_tol=5.0,
        ),
        *next_version_rows(),
    ]


def render(rows: list[Row]) -> str:
    """The world section of docs/validation.md."""
    lines = [
        "# Validation",
        "",
        "Every worked example of the model brief (`shared/design/model.md`) recomputed by the code in",
        "`sim/world/`. Generated by `python -m tools.gen_docs`; a test regenerates this section",
        "and fails if it differs, so the computed column is always the code's current answer.",
        "Tolerances are relative to the expected value unless given as plus or minus an amount.",
        "",
        "## World",
        "",
        "| quantity | formula | expected | computed | tolerance | source |",
        "|---|---|---|---|---|---|",
    ]
    lines += ["| " + " | ".join(row.cells()) + " |" for row in rows]
    failed = [row.quantity for row in rows if not row.passed]
    lines += ["", "All rows within tolerance." if not failed else "OUT OF TOLERANCE: " + "; ".join(failed), ""]
    lines += [
        "The first Hwasong-12 row compares a vacuum free flight from the ground with a reported total flight",
        "time that also includes the boost phase and the air, hence its loose tolerance; the second adds the",
        "powered phase of the Hwasong-12 class (`sim/world/missiles.py`), whose burn time is an assumption",
        "chosen so that this flight lasts about 30 minutes: it is a calibration, not an independent check.",
        "The early-warning row is the span over which each look's chance of detection is at least 50 %;",
        "it is limited by the radar horizon 2,170 km away (the 6,000 km reach is never the limit), and the",
        "radar's lowest usable elevation, not modelled, would shorten it towards the 23 minutes reported.",
        "",
    ]
    from tools.validation_model2 import model_ii_notes

    return "\n".join(lines + model_ii_notes())


def updated_document(current: str | None) -> str:
    """The document with its world section regenerated and the engine section kept as it is."""
    engine = ENGINE_SECTION
    if current and ENGINE_HEADING in current:
        engine = current[current.index(ENGINE_HEADING) :]
    return render(validation_rows()) + "\n" + engine


def main(argv: list[str]) -> int:
    check = "--check" in argv
    paths = [a for a in argv if a != "--check"]
    path = Path(paths[0]) if paths else DOC_PATH
    current = path.read_text(encoding="utf-8") if path.exists() else None
    text = updated_document(current)
    if check:
        if current != text:
            print(f"{path} is out of date: run python -m tools.gen_docs", file=sys.stderr)
            return 1
        return 0
    path.write_text(text, encoding="utf-8")
    print(f"wrote {path}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
