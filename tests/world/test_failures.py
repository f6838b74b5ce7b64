"""Failure modes: debris of an early break-up, guidance and thrust faults."""

import math

import numpy as np
import pytest

from sim.world.ballistics import Trajectory, free_flight
from sim.world.failures import (
    DEBRIS_FALL_SPEED_MS,
    explode,
    with_heading_error,
    with_thrust_shortfall,
)
from sim.world.geo import destination, great_circle_km, initial_bearing_deg
from sim.world.sites import SITES
from sim.world.territory import territory_names

PUKCHANG = SITES["pukchang"]


def april_29_2017():
    """A medium-range missile from Pukchang boosting for 70 s to a 95 km burnout (a scenario
    assumption), so that one minute after launch it is several tens of km up (reported peak about 70 km)."""
    return Trajectory.from_range(PUKCHANG.lat, PUKCHANG.lon, 60.0, 1000.0, burn_time_s=70.0, burnout_alt_km=95.0)


def test_the_29_april_2017_failure_drops_debris_near_the_launch_site():
    traj = april_29_2017()
    # the powered phase's closed form: h = h_b (t/T)^(p+1), p = v_b sin(gamma_b) T / h_b - 1
    p = traj.speed_kms * math.sin(math.radians(traj.angle_deg)) * 70.0 / 95.0 - 1.0
    assert traj.position(60.0)[2] == pytest.approx(95.0 * (60.0 / 70.0) ** (p + 1.0), rel=1e-9)
    assert 50.0 < traj.position(60.0)[2] < 90.0
    winds = np.array([[0.0, 0.0], [20.0, 0.0], [-15.0, 25.0], [40.0, 40.0]])  # m/s east, north
    debris = explode(traj, 60.0, winds[:, 0], winds[:, 1])
    from_pad = great_circle_km(PUKCHANG.lat, PUKCHANG.lon, debris.lat, debris.lon)
    assert np.all(from_pad < 80.0)  # tens of km (reported: Tokchon, about 39 km from the pad)
    assert np.all(territory_names(debris.lat, debris.lon) == "PRK")
    assert debris.fall_time_s == pytest.approx(traj.position(60.0)[2] * 1000.0 / DEBRIS_FALL_SPEED_MS)


def test_fall_time_is_altitude_over_fall_speed_and_drift_is_wind_times_time():
    traj = Trajectory.from_burnout(40.0, 128.0, 0.0, 3.0, 45.0, burnout_alt_km=30.0, burn_time_s=60.0)
    # At 30 s, h = 30 km x (1/2)^(p+1) with p = 3 sin(45 deg) 60 / 30 - 1 (the powered phase's closed form).
    height_m = 30_000.0 * 0.5 ** (3.0 * math.sin(math.pi / 4) * 60.0 / 30.0)
    lat0, lon0, _ = traj.position(30.0)
    debris = explode(traj, 30.0, wind_east_ms=10.0, wind_north_ms=0.0, debris_fall_speed_ms=50.0)
    fall_s = height_m / 50.0
    assert debris.fall_time_s == pytest.approx(fall_s)
    assert great_circle_km(lat0, lon0, debris.lat, debris.lon) == pytest.approx(10.0 * fall_s / 1000.0, rel=1e-9)
    assert initial_bearing_deg(lat0, lon0, debris.lat, debris.lon) == pytest.approx(90.0, abs=0.01)
    south_west = explode(traj, 30.0, -3.0, -4.0, 50.0)  # 5 m/s towards 216.87 deg
    assert great_circle_km(lat0, lon0, south_west.lat, south_west.lon) == pytest.approx(5.0 * fall_s / 1000, rel=1e-9)
    assert initial_bearing_deg(lat0, lon0, south_west.lat, south_west.lon) == pytest.approx(
        math.degrees(math.atan2(-3.0, -4.0)) + 360.0, abs=0.01
    )


def test_a_break_up_in_free_flight_falls_from_where_the_missile_was():
    traj = Trajectory.from_range(40.0, 128.0, 90.0, 1000.0)
    lat, lon, alt = traj.position(200.0)
    debris = explode(traj, 200.0, 0.0, 0.0)
    assert (debris.lat, debris.lon) == pytest.approx((lat, lon))
    assert debris.fall_time_s == pytest.approx(alt * 1000.0 / DEBRIS_FALL_SPEED_MS)


def test_break_up_before_launch_or_after_impact():
    traj = Trajectory.from_range(40.0, 128.0, 90.0, 1000.0, launch_time_s=100.0)
    before = explode(traj, 50.0, 30.0, 30.0)
    assert (before.lat, before.lon, before.fall_time_s) == pytest.approx((40.0, 128.0, 0.0))
    after = explode(traj, 1e5, 30.0, 30.0)
    assert (after.lat, after.lon) == pytest.approx(traj.impact()) and after.fall_time_s == 0.0


def test_explode_is_vectorised_over_flights_and_draws():
    traj = Trajectory.from_range(40.0, 128.0, np.array([0.0, 90.0, 180.0]), 1000.0)
    debris = explode(traj, np.array([10.0, 100.0, 300.0]), np.zeros(3), np.ones(3))
    assert debris.lat.shape == debris.lon.shape == debris.fall_time_s.shape == (3,)


def test_heading_error_turns_the_impact_by_that_angle():
    traj = Trajectory.from_range(40.0, 128.0, 45.0, 1000.0)
    faulty = with_heading_error(traj, np.array([-10.0, 0.0, 25.0]))
    assert faulty.shape == (3,)
    lat, lon = faulty.impact()
    assert initial_bearing_deg(40.0, 128.0, lat, lon) == pytest.approx([35.0, 45.0, 70.0])
    assert great_circle_km(40.0, 128.0, lat, lon) == pytest.approx([1000.0] * 3)
    assert traj.azimuth_deg == 45.0  # the original is untouched


def test_thrust_shortfall_shortens_the_flight_as_the_conic_says():
    traj = Trajectory.from_range(40.0, 128.0, 45.0, 1000.0)
    short = with_thrust_shortfall(traj, np.array([1.0, 0.9, 0.5]))
    expected = free_flight(traj.speed_kms * np.array([1.0, 0.9, 0.5]), traj.angle_deg).range_km
    assert short.range_km == pytest.approx(expected)
    assert short.range_km[0] == pytest.approx(1000.0)
    assert np.all(np.diff(short.range_km) < 0)
    lat, lon = short.impact()
    assert (lat[1], lon[1]) == pytest.approx(destination(40.0, 128.0, 45.0, expected[1]))
    with pytest.raises(ValueError):
        with_thrust_shortfall(traj, -0.1)


def test_thrust_shortfall_of_a_boosted_flight_keeps_the_boost_reachable():
    traj = Trajectory.from_range(40.0, 128.0, 90.0, 1000.0, burn_time_s=70.0)
    short = with_thrust_shortfall(traj, np.array([1.0, 0.5, 0.1]))
    assert short.burnout_alt_km == pytest.approx(traj.burnout_alt_km * np.array([1.0, 0.5, 0.1]))
    # same shape of boost: p = v sin(gamma) T / h_b - 1 is unchanged by a common factor
    assert short._boost.vertical_exponent == pytest.approx([float(traj._boost.vertical_exponent)] * 3)
    assert np.all(np.diff(short.range_km) < 0)
