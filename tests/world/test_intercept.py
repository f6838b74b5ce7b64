"""Engagement envelope and window, and the kill-probability arithmetic of the model brief."""

import numpy as np
import pytest

from sim.world.ballistics import Trajectory
from sim.world.geo import destination, initial_bearing_deg, straight_line_km
from sim.world.intercept import (
    Envelope,
    engagement_window,
    in_envelope,
    intercept_time_s,
    salvo_kill_probability,
    shoot_look_shoot,
)
from sim.world.sites import SITES

S400_VS_BALLISTIC = Envelope(
    min_range_km=0.0, max_range_km=60.0, min_alt_km=0.0, max_alt_km=30.0, max_target_speed_kms=4.8
)  # model.md public figures
INTERCEPTOR_KMS = 2.0  # a scenario assumption for these tests
SINPO, VLADIVOSTOK = SITES["sinpo"], SITES["vladivostok"]
TOWARD_VLADIVOSTOK = float(initial_bearing_deg(SINPO.lat, SINPO.lon, VLADIVOSTOK.lat, VLADIVOSTOK.lon))


def flight(range_km=460.0, launch_time_s=100.0):
    return Trajectory.from_range(SINPO.lat, SINPO.lon, TOWARD_VLADIVOSTOK, range_km, launch_time_s=launch_time_s)


def short_of_impact(traj, km=20.0):
    """A point `km` short of the impact point, under the flight path."""
    lat, lon = traj.impact()
    return destination(lat, lon, initial_bearing_deg(lat, lon, SINPO.lat, SINPO.lon), km)


# -- kill probability ---------------------------------------------------------------------------


def test_worked_salvo_and_shoot_look_shoot():
    assert salvo_kill_probability(0.7, 2) == pytest.approx(0.91)
    p_kill, used = shoot_look_shoot(0.7, 2)
    assert p_kill == pytest.approx(0.91) and used == pytest.approx(1.3)


@pytest.mark.parametrize(
    "p, n, kill, used",
    [
        (0.5, 3, 0.875, 1.75),
        (0.8, 1, 0.8, 1.0),
        (0.0, 3, 0.0, 3.0),
        (1.0, 4, 1.0, 1.0),
        (0.9, 2, 0.99, 1.1),
    ],
)
def test_shoot_look_shoot_closed_forms(p, n, kill, used):
    assert salvo_kill_probability(p, n) == pytest.approx(kill)
    assert shoot_look_shoot(p, n) == pytest.approx((kill, used))


def test_kill_arithmetic_is_vectorised():
    kill, used = shoot_look_shoot(np.array([0.5, 0.7]), np.array([[1], [2]]))
    assert kill.shape == used.shape == (2, 2)
    assert kill[1] == pytest.approx([0.75, 0.91]) and used[1] == pytest.approx([1.5, 1.3])


# -- envelope and window --------------------------------------------------------------------------


def test_envelope_must_make_sense():
    with pytest.raises(ValueError):
        Envelope(100.0, 60.0, 0.0, 30.0)
    with pytest.raises(ValueError):
        Envelope(0.0, 60.0, 40.0, 30.0)
    with pytest.raises(ValueError):
        Envelope(0.0, 60.0, 0.0, 30.0, max_target_speed_kms=0.0)


def test_in_envelope_only_low_close_and_slow_enough():
    traj = flight()
    t = np.linspace(90.0, float(traj.impact_time_s) + 10, 400)
    inside = in_envelope(traj, VLADIVOSTOK.lat, VLADIVOSTOK.lon, S400_VS_BALLISTIC, t)
    lat, lon, alt = traj.position(t)
    assert inside.any()
    assert np.all(alt[inside] <= 30.0)
    assert not inside[(t < 100.0) | (t > traj.impact_time_s)].any()
    too_slow = Envelope(0.0, 60.0, 0.0, 30.0, max_target_speed_kms=0.5)
    assert not in_envelope(traj, VLADIVOSTOK.lat, VLADIVOSTOK.lon, too_slow, t).any()


def test_a_missile_coming_down_near_the_battery_has_a_window_closing_before_impact():
    traj = flight()
    # Battery 20 km short of the aim point, under the path: the missile passes over it and lands.
    battery = short_of_impact(traj)
    opens, closes = engagement_window(traj, *battery, S400_VS_BALLISTIC, INTERCEPTOR_KMS)
    assert traj.launch_time_s <= opens < closes < traj.impact_time_s
    # It closes on the last moment of the flight (the missile leaves the battery slower than the
    # interceptor flies): impact time minus the flyout to the impact point.
    flyout = straight_line_km(20.0 / 6371.0, 0.0, 0.0) / INTERCEPTOR_KMS
    assert closes == pytest.approx(traj.impact_time_s - flyout, abs=0.05)
    # Launched before it closes it meets the missile; after, it cannot.
    assert np.isfinite(intercept_time_s(traj, *battery, INTERCEPTOR_KMS, closes - 0.5, S400_VS_BALLISTIC))
    assert np.isnan(intercept_time_s(traj, *battery, INTERCEPTOR_KMS, closes + 0.5, S400_VS_BALLISTIC))


def test_a_missile_passing_overhead_has_a_window_where_the_envelope_reaches_it():
    traj = flight(1000.0)
    battery = destination(SINPO.lat, SINPO.lon, TOWARD_VLADIVOSTOK, 500.0)  # under the apogee
    high = Envelope(0.0, 400.0, 0.0, 400.0)  # the 400 km claim of the articles
    opens, closes = engagement_window(traj, *battery, high, INTERCEPTOR_KMS)
    assert np.isfinite(opens) and opens < closes < traj.impact_time_s
    assert np.isnan(engagement_window(traj, *battery, S400_VS_BALLISTIC, INTERCEPTOR_KMS)[0])  # too high for 30 km


def test_a_missile_landing_500_km_away_has_no_window():
    traj = flight()
    battery = destination(VLADIVOSTOK.lat, VLADIVOSTOK.lon, TOWARD_VLADIVOSTOK + 90.0, 500.0)
    opens, closes = engagement_window(traj, *battery, S400_VS_BALLISTIC, INTERCEPTOR_KMS)
    assert np.isnan(opens) and np.isnan(closes)
    assert np.isnan(intercept_time_s(traj, *battery, INTERCEPTOR_KMS, 100.0, S400_VS_BALLISTIC))


def test_meeting_time_puts_the_interceptor_where_the_missile_is():
    traj = flight()
    battery = short_of_impact(traj)
    opens, closes = engagement_window(traj, *battery, S400_VS_BALLISTIC, INTERCEPTOR_KMS)
    for launch in (opens, (opens + closes) / 2):
        meet = intercept_time_s(traj, *battery, INTERCEPTOR_KMS, launch, S400_VS_BALLISTIC, tol_s=0.001)
        angle, alt, _ = traj.view_from(*battery, meet)
        assert straight_line_km(angle, 0.0, alt) == pytest.approx(INTERCEPTOR_KMS * (meet - launch), abs=0.01)
        assert in_envelope(traj, *battery, S400_VS_BALLISTIC, meet)


def test_windows_are_vectorised_and_shift_with_launch_time():
    traj = flight(launch_time_s=np.array([0.0, 1000.0, 0.0]))
    battery = short_of_impact(flight())
    far = Trajectory.from_range(
        SINPO.lat,
        SINPO.lon,
        TOWARD_VLADIVOSTOK + np.array([0.0, 0.0, 60.0]),
        460.0,
        launch_time_s=np.array([0.0, 1000.0, 0.0]),
    )
    opens, closes = engagement_window(far, *battery, S400_VS_BALLISTIC, INTERCEPTOR_KMS)
    assert opens.shape == (3,)
    assert opens[1] - opens[0] == pytest.approx(1000.0, abs=0.05)
    assert closes[1] - closes[0] == pytest.approx(1000.0, abs=0.05)
    assert np.isnan(opens[2]) and np.isnan(closes[2])
    assert engagement_window(traj[0], *battery, S400_VS_BALLISTIC, INTERCEPTOR_KMS)[1] == pytest.approx(closes[0])


# -- leaving out the flights that never come within reach -------------------------------------------


def test_closest_approach_of_a_meridian_flight_is_the_longitude_difference():
    """A flight due north from the equator flies the meridian: a point on the equator 10 degrees east is 10
    degrees from it at the closest, a point on the meridian 0, and the poles' great circle is a quarter turn off."""
    traj = Trajectory.from_range(0.0, 0.0, 0.0, 1000.0)
    angles = traj.closest_approach_rad(np.array([0.0, 45.0, 0.0, 30.0]), np.array([10.0, 0.0, 90.0, -20.0]))
    want = [np.radians(10.0), 0.0, np.pi / 2, np.arcsin(np.cos(np.radians(30.0)) * np.sin(np.radians(20.0)))]
    np.testing.assert_allclose(angles, want, atol=1e-12)


def test_windows_with_the_far_flights_left_out_equal_the_windows_searched_in_full(monkeypatch):
    """Headings fanned out from Sinpo: some pass over the battery, most never come near. The flights the reach
    test leaves out must be exactly those without a window, and every window must be the full search's, bit for
    bit."""
    import sim.world.intercept as intercept

    headings = np.linspace(TOWARD_VLADIVOSTOK - 60.0, TOWARD_VLADIVOSTOK + 60.0, 41)
    traj = Trajectory.from_range(SINPO.lat, SINPO.lon, headings, 460.0, launch_time_s=100.0)
    place = VLADIVOSTOK
    near = intercept._within_reach(traj, place.lat, place.lon, S400_VS_BALLISTIC)
    assert 0 < near.sum() < near.size  # both kinds are in the fan
    fast = engagement_window(traj, place.lat, place.lon, S400_VS_BALLISTIC, INTERCEPTOR_KMS)
    monkeypatch.setattr(intercept, "_within_reach", lambda traj, *a: np.ones(traj.shape, dtype=bool))
    full = engagement_window(traj, place.lat, place.lon, S400_VS_BALLISTIC, INTERCEPTOR_KMS)
    np.testing.assert_array_equal(fast[0], full[0])
    np.testing.assert_array_equal(fast[1], full[1])
    assert np.isnan(full[0][~near]).all()  # nothing left out had a window
    assert (~np.isnan(full[0][near])).any()  # and some of the rest do
