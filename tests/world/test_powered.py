"""The powered phase: kinematics that integrate to each other, the exact boost-free limit, burnout."""

import numpy as np
import pytest

from sim.world.ballistics import Trajectory, burnout_state_for
from sim.world.conic import (
    MU_KM3_S2,
    burnout_for,
    eccentric_anomaly,
    free_flight,
    minimum_energy,
)
from sim.world.geo import great_circle_km
from sim.world.missiles import find_missile
from sim.world.powered import boost_profile, boost_range_km, nominal_burnout_altitude_km

R = 6371.0


def free_flight_track(speed, angle, t):
    """The free flight from the pad as the code computed it before the powered phase (a frozen copy of
    the old `Trajectory.track` for burn_time = 0): angle travelled, altitude, speed."""
    phi = np.radians(angle)
    q = speed**2 * R / MU_KM3_S2
    a = R / (2 - q)
    e_sin, e_cos = q * np.sin(phi) * np.cos(phi), q * np.cos(phi) ** 2 - 1
    e = np.hypot(e_sin, e_cos)
    nu0 = np.mod(np.arctan2(e_sin, e_cos), 2 * np.pi)
    big_e0 = np.mod(np.arctan2(R * speed * np.sin(phi) / np.sqrt(MU_KM3_S2 * a), 1 - R / a), 2 * np.pi)
    m0, n = big_e0 - e * np.sin(big_e0), np.sqrt(MU_KM3_S2 / a**3)
    flight = free_flight(speed, angle)
    tau = np.clip(t, 0.0, flight.flight_time_s)
    big_e = eccentric_anomaly(m0 + n * tau, e)
    radius = a * (1 - e * np.cos(big_e))
    nu = 2 * np.arctan2(np.sqrt(1 + e) * np.sin(big_e / 2), np.sqrt(1 - e) * np.cos(big_e / 2))
    travelled = np.clip(nu - nu0, 0.0, flight.range_angle_rad)
    return travelled, np.maximum(radius - R, 0.0), np.sqrt(MU_KM3_S2 * (2 / radius - 1 / a))


def test_without_a_burn_the_flight_is_the_free_flight_exactly():
    speed, angle = burnout_for(787.0, 2111.5)
    traj = Trajectory.from_burnout(40.0, 125.0, 90.0, speed, angle)
    t = np.linspace(0.0, float(traj.flight_time_s), 301)
    travelled, alt, v = traj.track(t)
    ref = free_flight_track(speed, angle, t)
    ok = t < traj.flight_time_s  # the old code put an impacted missile at rest as well
    assert np.array_equal(travelled, ref[0]) and np.array_equal(alt, ref[1])
    assert np.array_equal(v[ok], ref[2][ok])
    flight = free_flight(speed, angle)
    assert traj.range_km == flight.range_km and traj.flight_time_s == flight.flight_time_s
    assert burnout_state_for(787.0, 2111.5)[:2] == (speed, angle)
    assert burnout_state_for(1000.0)[:2] == minimum_energy(1000.0)


@pytest.fixture(scope="module")
def boosted():
    return Trajectory.from_burnout(
        40.0, 128.0, 45.0, 3.0, 45.0, burnout_alt_km=40.0, burn_time_s=80.0, launch_time_s=10.0
    )


def test_altitude_angle_and_speed_integrate_to_each_other(boosted):
    t = np.linspace(10.0, 90.0, 8001)
    travelled, alt, speed = boosted.track(t)
    gamma = np.radians(boosted.flight_path_angle_deg(t))
    mid = (t[1:] + t[:-1]) / 2
    dt = np.diff(t)
    _, alt_mid, speed_mid = boosted.track(mid)
    gamma_mid = np.radians(boosted.flight_path_angle_deg(mid))
    # dh/dt = v sin(gamma), (R + h) dtheta/dt = v cos(gamma), checked by central differences
    np.testing.assert_allclose(np.diff(alt) / dt, speed_mid * np.sin(gamma_mid), atol=2e-5)
    np.testing.assert_allclose((R + alt_mid) * np.diff(travelled) / dt, speed_mid * np.cos(gamma_mid), atol=2e-5)
    # and integrating v sin(gamma) from the pad gives back the burnout altitude (trapezoid)
    assert np.sum((speed * np.sin(gamma))[1:] + (speed * np.sin(gamma))[:-1]) / 2 * dt[0] == pytest.approx(40.0, 1e-5)


def test_the_boost_starts_at_rest_vertical_and_ends_in_the_burnout_state(boosted):
    _, alt, speed = boosted.track([10.0, 90.0 - 1e-9, 90.0])
    assert alt[0] == 0.0 and speed[0] == 0.0
    assert boosted.flight_path_angle_deg(10.0) == pytest.approx(90.0)
    assert alt[1:] == pytest.approx([40.0, 40.0]) and speed[1:] == pytest.approx([3.0, 3.0])
    assert boosted.flight_path_angle_deg([90.0 - 1e-9, 90.0]) == pytest.approx([45.0, 45.0])
    lat_b, lon_b, _ = boosted.position(90.0 - 1e-9)
    lat_c, lon_c, _ = boosted.position(90.0)
    assert great_circle_km(lat_b, lon_b, lat_c, lon_c) < 1e-6  # no jump at burnout


def test_flight_time_and_range_include_the_boost(boosted):
    coast = free_flight(3.0, 45.0, 40.0)
    assert boosted.flight_time_s == pytest.approx(80.0 + coast.flight_time_s)
    assert boosted.range_km == pytest.approx(coast.range_km + boosted.boost_range_km)
    # theta_b = v cos(gamma) T / ((R + h_b)(p + 2)), p = v sin(gamma) T / h_b - 1 (module note)
    p = 3.0 * np.sin(np.pi / 4) * 80.0 / 40.0 - 1.0
    assert boosted.boost_range_km == pytest.approx(R * 3.0 * np.cos(np.pi / 4) * 80.0 / ((R + 40.0) * (p + 2.0)))


def test_a_vertical_climb_at_constant_acceleration_is_the_textbook_one():
    # p = 1 when h_b = v_b T / 2: h = h_b (t/T)^2, v = v_b t/T (the old model, consistent only here)
    traj = Trajectory.from_burnout(40.0, 128.0, 0.0, 2.0, 90.0, burnout_alt_km=60.0, burn_time_s=60.0)
    _, alt, speed = traj.track([15.0, 30.0, 45.0])
    assert alt == pytest.approx(60.0 * np.array([0.25, 0.5, 0.75]) ** 2)
    assert speed == pytest.approx(2.0 * np.array([0.25, 0.5, 0.75]))
    assert boost_range_km(2.0, 90.0, 60.0, 60.0) == pytest.approx(0.0, abs=1e-12)


def test_a_boost_that_cannot_reach_its_burnout_altitude_is_refused():
    with pytest.raises(ValueError, match="out of reach"):
        Trajectory.from_burnout(40.0, 128.0, 0.0, 1.0, 45.0, burnout_alt_km=100.0, burn_time_s=60.0)
    with pytest.raises(ValueError, match="must end climbing"):
        boost_profile(3.0, -5.0, 50.0, 60.0)


def test_a_burn_time_without_a_burnout_altitude_waits_on_the_pad():
    traj = Trajectory.from_burnout(40.0, 128.0, 0.0, 3.0, 45.0, burn_time_s=60.0)
    assert traj.position(30.0)[2] == 0.0 and traj.speed_at(30.0) == 0.0
    assert traj.range_km == pytest.approx(free_flight(3.0, 45.0).range_km)


def test_from_range_covers_the_whole_range_from_the_pad_boost_included():
    traj = Trajectory.from_range(40.0, 128.0, 45.0, 1000.0, burn_time_s=70.0)
    assert traj.range_km == pytest.approx(1000.0, rel=1e-9)
    assert great_circle_km(40.0, 128.0, *traj.impact()) == pytest.approx(1000.0, rel=1e-6)
    assert 10.0 < traj.boost_range_km < 100.0
    # the nominal burnout altitude is that of a speed growing as t^2: v sin(gamma) T / 3
    assert traj.burnout_alt_km == pytest.approx(nominal_burnout_altitude_km(traj.speed_kms, traj.angle_deg, 70.0))
    assert traj.burnout_alt_km == pytest.approx(traj.speed_kms * np.sin(np.radians(traj.angle_deg)) * 70.0 / 3)
    lofted = Trajectory.from_range(40.0, 128.0, 45.0, 787.0, 2111.5, burn_time_s=[0.0, 140.0], burnout_alt_km=None)
    assert lofted.range_km == pytest.approx([787.0, 787.0]) and lofted.apogee_km == pytest.approx([2111.5] * 2)


def test_hwasong_12_with_its_boost_flies_about_30_minutes():
    boost = find_missile("Hwasong-12").burn_time_s
    traj = Trajectory.from_range(39.983, 125.25, 90.0, 787.0, 2111.5, burn_time_s=boost)
    assert traj.flight_time_s == pytest.approx(1800.0, rel=0.05)  # "about 30 min" (P-16)
    assert traj.flight_time_s > Trajectory.from_range(39.983, 125.25, 90.0, 787.0, 2111.5).flight_time_s


def test_trajectories_with_and_without_a_boost_broadcast_together():
    traj = Trajectory.from_range(40.0, 128.0, 45.0, [800.0, 1000.0], burn_time_s=[0.0, 60.0])
    t = np.linspace(0.0, 700.0, 50)[:, None]
    lat, _, alt = traj.position(t)
    assert lat.shape == alt.shape == (50, 2)
    assert np.all(np.diff(alt[:20, 1]) >= 0)  # climbing through the boost
