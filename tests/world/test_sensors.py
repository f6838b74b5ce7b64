"""Radar horizon and first sighting, against the 4/3-Earth formula of the model brief."""

import math

import numpy as np
import pytest

from sim.world.ballistics import Trajectory
from sim.world.geo import destination, great_circle_km, slant_range_km
from sim.world.sensors import first_visible_time_s, horizon_ground_range_km, radar_horizon_km, visible

R_EFF = 4.0 / 3.0 * 6371.0


def test_worked_radar_horizon_30_m_antenna_10_km_target():
    assert radar_horizon_km(30.0, 10.0) == pytest.approx(434.76, rel=1e-4)


def test_radar_horizon_formula_and_refraction_factor():
    assert radar_horizon_km(100.0, 0.0) == pytest.approx(math.sqrt(2 * R_EFF * 0.1))
    assert radar_horizon_km(100.0, 0.0, k=1.0) == pytest.approx(math.sqrt(2 * 6371.0 * 0.1))
    assert radar_horizon_km(np.array([10.0, 30.0]), np.array([[1.0], [10.0]])).shape == (2, 2)


@pytest.mark.parametrize("radar_m, target_km", [(30.0, 10.0), (10.0, 1.0), (50.0, 5.0)])
def test_exact_horizon_agrees_with_the_small_height_formula_for_low_targets(radar_m, target_km):
    assert horizon_ground_range_km(radar_m, target_km) == pytest.approx(radar_horizon_km(radar_m, target_km), rel=1e-3)


def test_exact_horizon_for_a_high_target():
    expected = R_EFF * (math.acos(R_EFF / (R_EFF + 0.03)) + math.acos(R_EFF / (R_EFF + 1000.0)))
    assert horizon_ground_range_km(30.0, 1000.0) == pytest.approx(expected, rel=1e-9)
    assert horizon_ground_range_km(30.0, 1000.0) < radar_horizon_km(30.0, 1000.0)


def test_visible_positions_beyond_and_within_the_horizon():
    lat, lon = destination(40.0, 130.0, 90.0, np.array([425.0, 445.0]))
    seen = visible((lat, lon, np.array([10.0, 10.0])), 40.0, 130.0, 30.0, 1000.0)
    assert seen.tolist() == [True, False]


def test_visible_positions_limited_by_range():
    lat, lon = destination(40.0, 130.0, 0.0, 300.0)
    slant = slant_range_km(40.0, 130.0, 0.03, lat, lon, 100.0)
    assert visible((lat, lon, 100.0), 40.0, 130.0, 30.0, slant + 1.0)
    assert not visible((lat, lon, 100.0), 40.0, 130.0, 30.0, slant - 1.0)


def test_a_missile_on_the_ground_is_not_a_target():
    traj = Trajectory.from_range(40.0, 128.0, 45.0, 1000.0, launch_time_s=100.0)
    assert visible(traj, 40.0, 128.0, 30.0, 600.0, [99.0, 100.0, 200.0, 1e5]).tolist() == [False, True, True, False]
    with pytest.raises(ValueError):
        visible(traj, 40.0, 128.0, 30.0, 600.0)


def test_a_radar_at_the_pad_sees_the_launch():
    traj = Trajectory.from_range(40.0, 128.0, 45.0, 1000.0, launch_time_s=123.0)
    assert first_visible_time_s(traj, 40.0, 128.0, 30.0, 600.0) == 123.0


def test_first_sighting_is_when_the_rising_missile_clears_the_horizon():
    launch = (40.0, 128.0)
    radar = destination(*launch, 45.0, 900.0)  # under the flight path, beyond the horizon at launch
    traj = Trajectory.from_range(*launch, 45.0, 1500.0, launch_time_s=10.0)
    t = first_visible_time_s(traj, *radar, 30.0, 5000.0)
    lat, lon, alt = traj.position(t)
    ground = great_circle_km(*radar, lat, lon)
    assert ground == pytest.approx(horizon_ground_range_km(30.0, alt), abs=0.5)  # within 0.05 s of flight
    assert not visible(traj, *radar, 30.0, 5000.0, t - 0.1)
    assert 10.0 < t < 10.0 + 200.0


def test_first_sighting_by_range_for_a_radar_that_sees_over_the_horizon():
    launch = (40.0, 128.0)
    radar = destination(*launch, 45.0, 400.0)
    traj = Trajectory.from_range(*launch, 45.0, 1000.0)
    t = first_visible_time_s(traj, *radar, 30.0, 250.0)
    lat, lon, alt = traj.position(t)
    assert slant_range_km(*radar, 0.03, lat, lon, alt) == pytest.approx(250.0, abs=0.2)


def test_never_seen_gives_nan_and_launch_times_shift_sightings():
    launch = (40.0, 128.0)
    far = destination(*launch, 225.0, 3000.0)
    near = destination(*launch, 45.0, 900.0)
    traj = Trajectory.from_range(*launch, 45.0, 1500.0, launch_time_s=np.array([0.0, 500.0]))
    assert np.all(np.isnan(first_visible_time_s(traj, *far, 30.0, 600.0)))
    t = first_visible_time_s(traj, *near, 30.0, 5000.0)
    assert t[1] - t[0] == pytest.approx(500.0, abs=0.06)
