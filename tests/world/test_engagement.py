"""Several batteries and interceptor types, the speed-shrunk envelope, salvos with a common failure."""

import numpy as np
import pytest

from sim.world.ballistics import Trajectory
from sim.world.engagement import Battery, InterceptorType, Reach, first_ready, windows
from sim.world.geo import initial_bearing_deg, straight_line_km
from sim.world.intercept import (
    Envelope,
    in_envelope,
    salvo_kill_probability,
    salvo_kill_probability_common_mode,
    shots_in_window,
)
from sim.world.sites import SITES

SINPO, VLAD, KHAB = SITES["sinpo"], SITES["vladivostok"], SITES["khabarovsk"]
# P-1: 400 km against aircraft; P-2, P-3: about 60 km against ballistic targets up to 4.8 km/s.
# The straight line between (0.3 km/s, 400 km) and (4.8 km/s, 60 km) is this test's assumption.
LONG = Envelope(0.0, 400.0, 0.0, 30.0, 4.8, range_vs_speed=((0.3, 400.0), (4.8, 60.0)))
SHORT = Envelope(0.0, 60.0, 0.0, 30.0, 4.8)
TYPES = (InterceptorType("48N6", SHORT, 2.0), InterceptorType("40N6", LONG, 2.5))


def flight(range_km=460.0, azimuth_deg=None):
    az = float(initial_bearing_deg(SINPO.lat, SINPO.lon, VLAD.lat, VLAD.lon)) if azimuth_deg is None else azimuth_deg
    return Trajectory.from_range(SINPO.lat, SINPO.lon, az, np.atleast_1d(range_km), launch_time_s=100.0)


def test_max_range_shrinks_linearly_with_target_speed_to_the_cut_off():
    v = np.array([0.0, 0.3, 2.55, 4.8, 4.81])
    assert LONG.max_range_at(v) == pytest.approx([400.0, 400.0, 230.0, 60.0, 0.0])  # midpoint: (400 + 60) / 2
    assert SHORT.max_range_at(v) == pytest.approx([60.0, 60.0, 60.0, 60.0, 0.0])
    with pytest.raises(ValueError):
        Envelope(0.0, 60.0, 0.0, 30.0, range_vs_speed=((1.0, 60.0), (0.5, 80.0)))


def test_shrunk_envelope_holds_the_target_between_the_flat_ones():
    traj = flight()  # no altitude ceiling here, so the range limit is what binds
    high = {
        "min_range_km": 0.0,
        "max_range_km": 400.0,
        "min_alt_km": 0.0,
        "max_alt_km": 1000.0,
        "max_target_speed_kms": 4.8,
    }
    shrunk = Envelope(**high, range_vs_speed=((0.3, 400.0), (4.8, 60.0)))
    t = np.linspace(100.0, float(traj.impact_time_s[0]), 2000)[:, None]
    seconds = [
        in_envelope(traj, VLAD.lat, VLAD.lon, env, t).sum()
        for env in (Envelope(**{**high, "max_range_km": 60.0}), shrunk, Envelope(**high))
    ]
    assert seconds[0] < seconds[1] < seconds[2]
    angle, alt, speed = traj.view_from(VLAD.lat, VLAD.lon, t)
    inside = in_envelope(traj, VLAD.lat, VLAD.lon, shrunk, t)
    distance = straight_line_km(angle, 0.0, alt)
    assert np.all(distance[inside] <= 400.0 - 340.0 * (speed[inside] - 0.3) / 4.5 + 1e-9)


def test_every_battery_and_type_gets_its_window_and_the_soonest_fires():
    traj = Trajectory.from_range(
        SINPO.lat,
        SINPO.lon,
        np.array([float(initial_bearing_deg(SINPO.lat, SINPO.lon, VLAD.lat, VLAD.lon)), 225.0]),
        460.0,
        launch_time_s=100.0,
    )  # toward Vladivostok; away
    batteries = [Battery("khabarovsk", KHAB.lat, KHAB.lon, TYPES), Battery("vladivostok", VLAD.lat, VLAD.lon, TYPES)]
    w = windows(traj, batteries)
    assert w.earliest_s.shape == (2, 2, 2)
    assert np.all(np.isnan(w.latest_s[0]))  # Khabarovsk is ~600 km off: nothing in reach
    assert np.all(~np.isnan(w.latest_s[1, :, 0]))  # Vladivostok: both types against the 460 km shot
    choice = first_ready(w, ready_s=0.0)
    assert list(choice.reach) == [Reach.CAN_FIRE, Reach.NO_BATTERY_IN_REACH]
    soonest = int(np.argmin(w.earliest_s[1, :, 0]))
    assert choice.battery[0] == 1 and choice.interceptor[0] == soonest
    assert choice.launch_s[0] == pytest.approx(w.earliest_s[1, soonest, 0])
    ready = w.earliest_s[1, 1 - soonest, 0] + 1.0  # after both windows opened: launch at once
    assert first_ready(w, ready_s=ready).launch_s[0] == pytest.approx(ready)
    late = first_ready(w, ready_s=np.nanmax(w.latest_s[:, :, 0]) + 1.0)
    assert late.reach[0] == Reach.TOO_LATE and late.battery[0] == -1 and np.isnan(late.launch_s[0])
    # the soonest type out of stock: the other is used, from when its own window opens
    other = 1 - soonest
    usable = (np.arange(2) == other)[None, :, None]
    only_other = first_ready(w, ready_s=0.0, usable=usable)
    assert only_other.interceptor[0] == other and only_other.launch_s[0] == pytest.approx(w.earliest_s[1, other, 0])


def test_second_battery_engages_when_the_first_cannot():
    traj = flight()
    batteries = [
        Battery("vladivostok_a", VLAD.lat, VLAD.lon, TYPES[:1]),
        Battery("vladivostok_b", VLAD.lat, VLAD.lon, TYPES[:1]),
    ]
    w = windows(traj, batteries)
    choice = first_ready(w, 0.0, usable=np.array([False, True])[:, None, None])
    assert choice.battery[0] == 1


def test_salvo_with_a_common_mode_failure():
    assert salvo_kill_probability_common_mode(0.7, 2, 0.95) == pytest.approx(0.95 * 0.91, rel=1e-12)  # 0.8645
    assert salvo_kill_probability_common_mode(0.7, 2, 1.0) == pytest.approx(salvo_kill_probability(0.7, 2))
    # more shots never beat the common-mode ceiling rho
    assert salvo_kill_probability_common_mode(0.7, np.arange(1, 30), 0.9).max() <= 0.9


def test_shots_that_fit_in_the_window():
    got = shots_in_window([0.0, 0.0, 10.0, np.nan, 0.0], [9.0, 10.0, 5.0, 20.0, 100.0], 5.0, max_shots=4)
    assert list(got) == [2.0, 3.0, 0.0, 0.0, 4.0]
