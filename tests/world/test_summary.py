"""`sim trajectory --json`: the contract's keys, the done-when flight, and one-line errors."""

import json
import math

import pytest

from sim.world.geo import great_circle_km
from sim.world.sites import SITES
from sim.world.summary import trajectory_summary

VLAD = SITES["vladivostok"]


def test_sinpo_toward_vladivostok_at_460_km_lands_on_vladivostok():
    s = trajectory_summary("sinpo", toward="vladivostok", range_km=460)
    assert great_circle_km(VLAD.lat, VLAD.lon, s["impact"]["lat"], s["impact"]["lon"]) < 5.0
    assert s["impact"]["territory"] == "RUS"
    assert s["range_km"] == pytest.approx(460.0)
    assert s["from"] == {"lat": SITES["sinpo"].lat, "lon": SITES["sinpo"].lon}


def test_the_contract_keys_and_plain_json_types():
    s = trajectory_summary("sinpo", toward="vladivostok", range_km=460)
    assert set(s) == {
        "from",
        "azimuth_deg",
        "range_km",
        "apogee_km",
        "flight_time_s",
        "burnout_speed_kms",
        "burnout_angle_deg",
        "burn_time_s",
        "burnout_altitude_km",
        "boost_range_km",
        "boost",  # the powered phase with where each figure came from (extends the contract)
        "missile",  # the class's defaults with their sources, None without --missile
        "impact",
    }
    assert set(s["from"]) == {"lat", "lon"}
    assert set(s["impact"]) == {"lat", "lon", "territory", "in_map"}  # in_map extends the contract
    assert s["impact"]["in_map"] is True
    assert json.loads(json.dumps(s)) == s
    assert all(type(v) is float for k, v in s.items() if k not in ("from", "impact", "boost", "missile"))


def test_an_impact_beyond_the_map_data_says_so():
    s = trajectory_summary("sinpo", toward="vladivostok", speed_kms=5, angle_deg=45)  # lands on Kamchatka
    assert s["impact"]["lat"] > 56.0 and s["impact"]["in_map"] is False


def test_burnout_state_gives_the_worked_free_flight():
    s = trajectory_summary("40,128", azimuth_deg=90, speed_kms=5, angle_deg=45)
    assert s["range_km"] == pytest.approx(3117.6, rel=1e-3)
    assert s["apogee_km"] == pytest.approx(893.1, rel=1e-3)
    assert s["flight_time_s"] == pytest.approx(1051.0, rel=1e-3)
    assert s["azimuth_deg"] == 90.0


def test_range_alone_flies_the_minimum_energy_path_and_apogee_inverts():
    s = trajectory_summary("sinpo", azimuth_deg=90, range_km=1000)
    assert s["burnout_speed_kms"] == pytest.approx(3.016, rel=1e-3)
    assert s["burnout_angle_deg"] == pytest.approx(42.75, rel=1e-3)
    lofted = trajectory_summary("kusong", azimuth_deg=100, range_km="787", apogee_km=2111.5)
    assert lofted["apogee_km"] == pytest.approx(2111.5) and lofted["range_km"] == pytest.approx(787.0)


def test_toward_without_a_profile_flies_the_distance():
    s = trajectory_summary("sinpo", toward="vladivostok")
    assert great_circle_km(VLAD.lat, VLAD.lon, s["impact"]["lat"], s["impact"]["lon"]) < 0.01


def test_azimuth_is_wrapped():
    assert trajectory_summary("sinpo", azimuth_deg=-90, range_km=100)["azimuth_deg"] == 270.0


@pytest.mark.parametrize(
    "kwargs, message",
    [
        ({"range_km": 100}, "toward .* or azimuth_deg"),
        ({"toward": "tokyo", "azimuth_deg": 10, "range_km": 100}, "exactly one"),
        ({"azimuth_deg": 10}, "give range_km"),
        ({"azimuth_deg": 10, "range_km": 100, "speed_kms": 3, "angle_deg": 40}, "not both"),
        ({"azimuth_deg": 10, "speed_kms": 3}, "give both"),
        ({"azimuth_deg": 10, "apogee_km": 300}, "apogee_km needs range_km"),
        ({"azimuth_deg": 10, "range_km": -3}, "range_km must be > 0"),
        ({"azimuth_deg": 10, "range_km": "far"}, "range_km must be a number"),
        ({"azimuth_deg": 10, "speed_kms": 3, "angle_deg": 120}, "angle_deg"),
        ({"azimuth_deg": 10, "speed_kms": 12, "angle_deg": 45}, "never come back"),
        ({"toward": "sinpo"}, "launch point itself"),
        ({"toward": "vladivostk", "range_km": 100}, "did you mean vladivostok"),
    ],
)
def test_bad_combinations_raise_one_line_value_errors(kwargs, message):
    with pytest.raises(ValueError, match=message) as err:
        trajectory_summary("sinpo", **kwargs)
    assert "\n" not in str(err.value)


def test_the_14_may_2017_flight_with_a_boost_lasts_about_30_minutes():
    plain = trajectory_summary("kusong", azimuth_deg=101, range_km=787, apogee_km=2111.5)
    boosted = trajectory_summary("kusong", azimuth_deg=101, range_km=787, apogee_km=2111.5, missile="Hwasong-12")
    assert plain["burn_time_s"] == 0.0 and plain["flight_time_s"] == pytest.approx(1675.8, abs=0.1)  # C-1
    assert boosted["burn_time_s"] == 140.0 and boosted["flight_time_s"] == pytest.approx(1800.0, rel=0.05)
    assert boosted["range_km"] == pytest.approx(787.0) and boosted["apogee_km"] == pytest.approx(2111.5)
    assert 0.0 < boosted["boost_range_km"] < 50.0
    given = trajectory_summary(
        "kusong", azimuth_deg=101, range_km=787, apogee_km=2111.5, burn_time_s=100, burnout_alt_km=150
    )
    assert given["burnout_altitude_km"] == 150.0 and given["burn_time_s"] == 100.0


def test_a_boost_from_a_burnout_state_takes_the_nominal_altitude():
    s = trajectory_summary("40,128", azimuth_deg=90, speed_kms=3, angle_deg=45, burn_time_s=60)
    assert s["burnout_altitude_km"] == pytest.approx(3 * math.sin(math.pi / 4) * 60 / 3, abs=0.05)  # v sin T / 3


@pytest.mark.parametrize(
    "kwargs, message",
    [
        ({"burnout_alt_km": 50}, "needs a burn time"),
        ({"burn_time_s": -1}, "burn_time_s must be"),
        ({"missile": "scdu"}, "did you mean scud"),
        ({"burn_time_s": 60, "burnout_alt_km": 900}, "out of reach"),
    ],
)
def test_bad_boosts_are_one_line_errors(kwargs, message):
    with pytest.raises(ValueError, match=message):
        trajectory_summary("sinpo", azimuth_deg=90, range_km=1000, **kwargs)


def test_sim_trajectory_takes_the_boost_options(capsys):
    from sim.cli import main

    with pytest.raises(SystemExit) as done:
        main(
            [
                "trajectory",
                "--from",
                "kusong",
                "--azimuth",
                "101",
                "--range",
                "787km",
                "--apogee",
                "2111.5km",
                "--burn-time",
                "2min",
                "--burnout-altitude",
                "180km",
                "--json",
            ]
        )
    out = json.loads(capsys.readouterr().out)
    assert done.value.code == 0 and out["burn_time_s"] == 120.0 and out["burnout_altitude_km"] == 180.0
    assert out["flight_time_s"] > 1675.8 + 60.0  # the boost adds (most of) its two minutes


def test_sim_trajectory_bad_boost_is_one_line_and_exit_2(capsys):
    from sim.cli import main

    with pytest.raises(SystemExit) as done:
        main(["trajectory", "--from", "kusong", "--azimuth", "101", "--range", "787km", "--burn-time", "5parsecs"])
    err = capsys.readouterr().err
    assert done.value.code == 2 and "--burn-time 5parsecs" in err and "Traceback" not in err
