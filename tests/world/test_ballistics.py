"""Ballistics against the model brief's worked numbers, the textbook closed forms, and a numerical
integration of Newton's law that shares none of the code's algebra."""

import math

import numpy as np
import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from sim.world.ballistics import (
    MU_KM3_S2,
    Trajectory,
    burnout_for,
    eccentric_anomaly,
    flat_earth,
    free_flight,
    max_range_km,
    minimum_energy,
)
from sim.world.geo import great_circle_km, initial_bearing_deg

from ._orbit import integrate

R = 6371.0
REL = 1e-3  # the brief's bar: within 0.1 %


# -- worked numbers of the model brief -------------------------------------------------------------


def test_worked_free_flight_5_kms_at_45_deg():
    f = free_flight(5.0, 45.0)
    assert f.range_km == pytest.approx(3117.6, rel=REL)
    assert f.apogee_km == pytest.approx(893.1, rel=REL)
    assert f.flight_time_s == pytest.approx(1051.0, rel=REL)
    assert f.range_angle_rad == pytest.approx(3117.6 / R, rel=REL)


def test_worked_minimum_energy_for_1000_km():
    speed, angle = minimum_energy(1000.0)
    assert speed == pytest.approx(3.016, rel=REL)
    assert angle == pytest.approx(42.75, rel=REL)
    f = free_flight(speed, angle)
    assert f.range_km == pytest.approx(1000.0, rel=1e-9)
    assert f.apogee_km == pytest.approx(239.9, rel=REL)
    assert f.flight_time_s == pytest.approx(474.4, rel=REL)


def test_worked_flat_earth_1000_ms_at_45_deg():
    rng, time, apex = flat_earth(1000.0, 45.0)
    assert rng == pytest.approx(101_971.6, rel=1e-6)
    assert time == pytest.approx(144.21, rel=1e-4)
    assert apex == pytest.approx(25_492.9, rel=1e-6)


def test_hwasong_12_of_14_may_2017_inverts_and_takes_about_half_an_hour():
    speed, angle = burnout_for(787.0, 2111.5)
    f = free_flight(speed, angle)
    assert f.range_km == pytest.approx(787.0, rel=1e-9)
    assert f.apogee_km == pytest.approx(2111.5, rel=1e-9)
    assert angle > 80  # lofted
    # Reported: about 30 minutes, boost phase included; a vacuum free flight is a little shorter.
    assert 25 * 60 < f.flight_time_s < 32 * 60


# -- closed forms of the brief ---------------------------------------------------------------------


@pytest.mark.parametrize("speed, angle", [(1.0, 45.0), (3.0, 30.0), (5.0, 45.0), (6.0, 70.0), (7.0, 20.0), (4.0, 85.0)])
def test_range_equation_tan_half_psi(speed, angle):
    q = speed**2 * R / MU_KM3_S2
    phi = math.radians(angle)
    psi = 2 * math.atan2(q * math.sin(phi) * math.cos(phi), 1 - q * math.cos(phi) ** 2)
    assert free_flight(speed, angle).range_angle_rad == pytest.approx(psi, rel=1e-9)


@pytest.mark.parametrize("speed", [1.0, 3.0, 5.0, 7.0])
def test_maximum_range_and_its_angle(speed):
    q = speed**2 * R / MU_KM3_S2
    psi = 2 * math.asin(q / (2 - q))
    best_angle = math.degrees((math.pi - psi) / 4)
    assert max_range_km(speed) == pytest.approx(R * psi, rel=1e-9)
    assert free_flight(speed, best_angle).range_km == pytest.approx(R * psi, rel=1e-9)
    assert free_flight(speed, [best_angle - 1, best_angle + 1]).range_km.max() < R * psi
    assert minimum_energy(R * psi)[1] == pytest.approx(best_angle, rel=1e-9)


def test_maximum_range_from_altitude_is_reached_by_the_minimum_energy_shot():
    reach = max_range_km(5.0, 100.0)
    speed, angle = minimum_energy(reach, 100.0)
    assert speed == pytest.approx(5.0, rel=1e-9)
    angles = np.linspace(1, 89, 881)
    assert free_flight(5.0, angles, 100.0).range_km.max() <= reach * (1 + 1e-12)
    assert free_flight(5.0, angle, 100.0).range_km == pytest.approx(reach, rel=1e-9)


def test_maximum_range_limits():
    assert math.isnan(max_range_km(11.5))  # escape speed
    assert max_range_km(7.95) == pytest.approx(math.pi * R)  # faster than circular: all the Earth in reach


@pytest.mark.parametrize("range_km", [50.0, 1000.0, 5000.0, 12000.0])
def test_minimum_energy_closed_form_and_is_the_cheapest(range_km):
    psi = range_km / R
    q = 2 * math.sin(psi / 2) / (1 + math.sin(psi / 2))
    speed, angle = minimum_energy(range_km)
    assert speed == pytest.approx(math.sqrt(q * MU_KM3_S2 / R), rel=1e-12)
    assert angle == pytest.approx(math.degrees((math.pi - psi) / 4), rel=1e-12)
    apogee = free_flight(speed, angle).apogee_km
    other_speeds, _ = burnout_for(range_km, np.array([0.5, 2.0]) * apogee)
    assert np.all(other_speeds > speed)


# -- independent numerical integration -------------------------------------------------------------

CASES = [
    (5.0, 45.0, 0.0),
    (3.0, 30.0, 0.0),
    (6.0, 80.0, 0.0),
    (4.0, 20.0, 100.0),
    (2.0, 60.0, 50.0),
    (3.0, -10.0, 200.0),
    (1.0, 89.9, 0.0),
]


@pytest.fixture(scope="module", params=CASES, ids=lambda c: f"v{c[0]}-phi{c[1]}-h{c[2]}")
def reference(request):
    return request.param, integrate(*request.param)


def test_conic_matches_the_integrated_flight(reference):
    case, ref = reference
    f = free_flight(*case)
    assert f.range_km == pytest.approx(ref["range_km"], rel=1e-5, abs=1e-4)
    assert f.apogee_km == pytest.approx(ref["apogee_km"], rel=1e-5)
    assert f.flight_time_s == pytest.approx(ref["flight_time_s"], rel=1e-5)


def test_kepler_state_along_the_flight_matches_the_integration(reference):
    (speed, angle, h0), ref = reference
    traj = Trajectory.from_burnout(0.0, 0.0, 90.0, speed, angle, h0, launch_time_s=100.0)
    times = np.array([t for t in ref["samples"] if t <= ref["flight_time_s"]])
    times = times[:: max(1, len(times) // 50)]
    travelled, alt, spd = (np.array([ref["samples"][t][i] for t in times]) for i in range(3))
    lat, lon, got_alt = traj.position(100.0 + times)
    np.testing.assert_allclose(got_alt, alt, atol=1e-4)
    np.testing.assert_allclose(np.radians(lon), travelled, atol=1e-9)  # flying east along the equator
    np.testing.assert_allclose(lat, 0.0, atol=1e-9)
    np.testing.assert_allclose(traj.speed_at(100.0 + times), spd, rtol=1e-7)


def test_state_at_burnout_apogee_and_impact_is_the_conic():
    traj = Trajectory.from_burnout(40.0, 128.0, 45.0, 5.0, 45.0, launch_time_s=1000.0)
    f = free_flight(5.0, 45.0)
    lat, lon, alt = traj.position(1000.0)
    assert (lat, lon, alt) == pytest.approx((40.0, 128.0, 0.0), abs=1e-9)
    assert traj.speed_at(1000.0) == pytest.approx(5.0, rel=1e-12)
    lat, lon, alt = traj.position(1000.0 + f.flight_time_s / 2)  # symmetric flight: apogee half way
    assert alt == pytest.approx(f.apogee_km, rel=1e-9)
    assert great_circle_km(40.0, 128.0, lat, lon) == pytest.approx(f.range_km / 2, rel=1e-9)
    r_a = R + f.apogee_km
    a = 1 / (2 / R - 25.0 / MU_KM3_S2)
    assert traj.speed_at(1000.0 + f.flight_time_s / 2) == pytest.approx(math.sqrt(MU_KM3_S2 * (2 / r_a - 1 / a)))
    lat, lon, alt = traj.position(traj.impact_time_s)
    assert alt == pytest.approx(0.0, abs=1e-6)
    assert (lat, lon) == pytest.approx(traj.impact(), abs=1e-9)
    assert great_circle_km(40.0, 128.0, lat, lon) == pytest.approx(3117.6, rel=REL)
    assert initial_bearing_deg(40.0, 128.0, lat, lon) == pytest.approx(45.0, abs=1e-9)
    assert traj.impact_time_s == pytest.approx(1000.0 + 1051.0, rel=REL)


def test_on_the_ground_before_launch_and_after_impact():
    traj = Trajectory.from_range(40.0, 128.0, 90.0, 1000.0, launch_time_s=50.0)
    lat, lon, alt = traj.position([0.0, 49.9, 1e5])
    impact = traj.impact()
    assert lat[:2] == pytest.approx([40.0, 40.0]) and lon[:2] == pytest.approx([128.0, 128.0])
    assert (lat[2], lon[2]) == pytest.approx(impact)
    assert alt.tolist() == [0.0, 0.0, 0.0]
    assert traj.speed_at([0.0, 1e5]).tolist() == [0.0, 0.0]
    assert traj.in_flight([49.9, 50.0, float(traj.impact_time_s), float(traj.impact_time_s) + 0.1]).tolist() == [
        False,
        True,
        True,
        False,
    ]


def test_trajectories_broadcast_against_times():
    traj = Trajectory.from_range(40.0, 128.0, [0.0, 90.0, 180.0], 1000.0)
    assert traj.shape == (3,)
    lat, lon, alt = traj.position(np.linspace(0, 400, 5)[:, None])
    assert lat.shape == lon.shape == alt.shape == (5, 3)
    assert np.allclose(alt[:, 0], alt[:, 1])  # same flight, different headings
    one = traj[1]
    assert one.shape == () and one.azimuth_deg == 90.0
    assert traj[np.array([True, False, True])].shape == (2,)


@pytest.mark.parametrize("index", [2, np.array([3]), np.array([True, False, True, False, True]), (slice(1, 4),)])
def test_a_selection_flies_exactly_as_the_same_flights_made_afresh(index):
    """A selection takes over what the whole set worked out (ellipse, boost, great circle): the numbers must be
    those of the same flights built from scratch, to the bit, before and after the set has worked them out."""
    spec = dict(
        lat=40.0,
        lon=128.0,
        azimuth_deg=np.array([0.0, 45.0, 90.0, 135.0, 180.0]),
        range_km=np.array([300.0, 800.0, 1000.0, 1500.0, 2500.0]),
        burn_time_s=np.array([0.0, 40.0, 60.0, 80.0, 120.0]),
        launch_time_s=np.array([0.0, 10.0, 20.0, 30.0, 40.0]),
    )
    whole = Trajectory.from_range(**spec)
    whole.view_from(41.0, 129.0, 100.0)  # the set works out its great circles too
    fresh = Trajectory(*(np.asarray(getattr(whole, f))[index] for f in Trajectory.__dataclass_fields__))
    picked = whole[index]
    assert {"_conic", "_free", "_boost", "_great_circle"} <= picked.__dict__.keys()  # taken over, not recomputed
    t = np.linspace(0.0, 900.0, 37).reshape((-1,) + (1,) * len(fresh.shape))
    for got, want in zip(
        (*picked.position(t), *picked.view_from(41.5, 131.0, t), picked.impact_time_s, *picked.impact()),
        (*fresh.position(t), *fresh.view_from(41.5, 131.0, t), fresh.impact_time_s, *fresh.impact()),
    ):
        np.testing.assert_array_equal(got, want)
    with pytest.raises(ValueError):
        picked.speed_kms[...] = 1.0  # read-only, as every trajectory's fields


def test_trajectory_fields_are_read_only():
    traj = Trajectory.from_range(40.0, 128.0, [0.0, 90.0], 1000.0)
    with pytest.raises(ValueError):
        traj.speed_kms[0] = 1.0


# -- inversion ------------------------------------------------------------------------------------


@settings(max_examples=150, deadline=None)
@given(
    range_km=st.floats(20.0, 12000.0),
    apogee_km=st.floats(5.0, 4000.0),
    burnout_alt_km=st.one_of(st.just(0.0), st.floats(0.0, 300.0)),
)
def test_inversion_round_trip(range_km, apogee_km, burnout_alt_km):
    assume(apogee_km >= burnout_alt_km)
    try:
        speed, angle = burnout_for(range_km, apogee_km, burnout_alt_km)
    except ValueError:
        assert burnout_alt_km > 0  # only a burnout altitude bounds the range of an apogee
        return
    f = free_flight(speed, angle, burnout_alt_km)
    assert f.range_km == pytest.approx(range_km, rel=1e-7)
    assert f.apogee_km == pytest.approx(apogee_km, rel=1e-7, abs=1e-6)


def test_lofted_and_depressed_flights_to_the_same_range():
    reach = 1000.0
    _, angle_min = minimum_energy(reach)
    apogee_min = free_flight(*minimum_energy(reach)).apogee_km
    speeds, angles = burnout_for(reach, [50.0, apogee_min, 1500.0])
    assert angles[0] < angle_min < angles[2]
    assert speeds[1] == pytest.approx(minimum_energy(reach)[0], rel=1e-9)
    ref = integrate(float(speeds[0]), float(angles[0]))
    assert ref["range_km"] == pytest.approx(reach, rel=1e-5)
    assert ref["apogee_km"] == pytest.approx(50.0, rel=1e-4)


@pytest.mark.parametrize(
    "args, message",
    [
        ((-5.0, 100.0), "range"),
        ((500.0, 0.0), "apogee"),
        ((500.0, 50.0, 80.0), "below the burnout altitude"),
        ((25000.0, 100.0, 100.0), "apogee too low"),  # level at 100 km: half way round at most
    ],
)
def test_impossible_inversions_are_refused_clearly(args, message):
    with pytest.raises(ValueError, match=message):
        burnout_for(*args)


def test_trajectory_refuses_what_never_comes_down():
    with pytest.raises(ValueError, match="never come back"):
        Trajectory.from_burnout(40.0, 128.0, 0.0, [3.0, 11.5], 45.0)
    with pytest.raises(ValueError, match="never come back"):
        Trajectory.from_burnout(40.0, 128.0, 0.0, 8.0, 0.0)  # level at perigee, faster than circular
    with pytest.raises(ValueError, match="angle"):
        Trajectory.from_burnout(40.0, 128.0, 0.0, 3.0, 95.0)


# -- Kepler's equation ----------------------------------------------------------------------------


def test_kepler_solves_a_fortran_ordered_array_as_any_other():
    """A transposed array (as a search's midpoints come) is solved element by element like a C-ordered one."""
    rng = np.random.default_rng(3)
    m = rng.uniform(0.0, 2 * math.pi, (5, 40))
    e = rng.uniform(0.0, 0.95, 40)
    fortran = np.asfortranarray(m)
    assert not fortran.flags.c_contiguous
    np.testing.assert_array_equal(eccentric_anomaly(fortran, e), eccentric_anomaly(m, e))
    big_e = eccentric_anomaly(fortran, e)
    np.testing.assert_allclose(big_e - e * np.sin(big_e), m, atol=1e-12)  # and it is Kepler's equation solved


def test_kepler_solution_converges_for_any_ellipse():
    rng = np.random.default_rng(3)
    m = rng.uniform(-10.0, 20.0, 100_000)
    e = rng.uniform(0.0, 0.9999, m.size)
    big_e = eccentric_anomaly(m, e)
    assert np.max(np.abs(big_e - e * np.sin(big_e) - m)) < 1e-9
    assert eccentric_anomaly(math.pi, 0.5) == pytest.approx(math.pi)
    assert eccentric_anomaly(1.0, 0.0) == pytest.approx(1.0)
