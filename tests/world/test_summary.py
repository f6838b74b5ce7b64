"""`sim trajectory --json`: the contract's keys, the done-when flight, and one-line errors."""

import json

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
    assert set(s) == {"from", "azimuth_deg", "range_km", "apogee_km", "flight_time_s", "burnout_speed_kms",
                      "burnout_angle_deg", "impact"}
    assert set(s["from"]) == {"lat", "lon"}
    assert set(s["impact"]) == {"lat", "lon", "territory", "in_map"}   # in_map extends the contract
    assert s["impact"]["in_map"] is True
    assert json.loads(json.dumps(s)) == s
    assert all(type(v) is float for k, v in s.items() if k not in ("from", "impact"))


def test_an_impact_beyond_the_map_data_says_so():
    s = trajectory_summary("sinpo", toward="vladivostok", speed_kms=5, angle_deg=45)   # lands on Kamchatka
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


@pytest.mark.parametrize("kwargs, message", [
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
])
def test_bad_combinations_raise_one_line_value_errors(kwargs, message):
    with pytest.raises(ValueError, match=message) as err:
        trajectory_summary("sinpo", **kwargs)
    assert "\n" not in str(err.value)
