"""Radar detection per look: the R^4 law, Swerling 1, cumulative looks, scans, sectors, early warning."""

import math

import numpy as np
import pytest

from sim.world.ballistics import Trajectory
from sim.world.early_warning import VORONEZH_M_IRKUTSK
from sim.world.geo import destination
from sim.world.missiles import find_missile
from sim.world.radar import (
    Radar,
    cumulative_detection,
    detection_probability_by,
    detection_probability_per_look,
    detection_range_km,
    first_detection_time_s,
    look_times,
    looks_needed,
    snr,
    swerling1_pd,
    track_span_s,
)
from sim.world.sites import SITES

RADAR = Radar(40.0, 130.0, 30.0, reference_range_km=400.0, reference_rcs_m2=4.0, scan_period_s=5.0)


def test_range_scales_with_the_fourth_root_of_the_cross_section():
    assert detection_range_km(RADAR, 4.0) == pytest.approx(400.0)
    assert detection_range_km(RADAR, 4.0 / 16.0) == pytest.approx(200.0)  # (1/16)^(1/4) = 1/2
    assert detection_range_km(RADAR, 0.1) == pytest.approx(400.0 * (0.1 / 4.0) ** 0.25)


def test_snr_falls_as_the_fourth_power_of_range_and_the_reference_holds():
    # SNR_ref from Pd_ref = Pfa^(1/(1+SNR_ref)): 0.5 = 1e-6^(1/(1+S)) -> S = ln(1e-6)/ln(0.5) - 1 = 18.93
    assert RADAR.reference_snr == pytest.approx(6 * math.log(10) / math.log(2) - 1)
    assert snr(RADAR, 200.0, 4.0) == pytest.approx(16 * RADAR.reference_snr)
    r = detection_range_km(RADAR, [0.1, 1.0, 10.0])
    assert swerling1_pd(snr(RADAR, r, [0.1, 1.0, 10.0])) == pytest.approx([0.5, 0.5, 0.5])


def test_swerling1_against_the_closed_form():
    # Pd = Pfa^(1/(1+SNR)): SNR 20 (13.0 dB), Pfa 1e-6 -> exp(ln(1e-6)/21) = 0.51795
    assert swerling1_pd(20.0, 1e-6) == pytest.approx(math.exp(-6 * math.log(10) / 21), rel=1e-12)
    assert swerling1_pd(20.0, 1e-6) == pytest.approx(0.51795, abs=5e-6)
    assert swerling1_pd(0.0, 1e-4) == pytest.approx(1e-4)  # no signal: only false alarms
    assert swerling1_pd(1e9) == pytest.approx(1.0)


def test_cumulative_detection_over_looks():
    assert cumulative_detection(np.full(5, 0.3)) == pytest.approx(1 - 0.7**5)
    assert cumulative_detection([0.5, 0.2, 0.0]) == pytest.approx(1 - 0.5 * 0.8)
    assert cumulative_detection(np.zeros((0, 3))) == pytest.approx([0.0] * 3)


def test_look_times_follow_the_scan():
    radar = Radar(40.0, 130.0, 30.0, 400.0, scan_period_s=10.0, first_look_s=3.0)
    t = look_times(radar, np.array([0.0, 3.0, 14.0]), 3)
    assert t.tolist() == [[3.0, 3.0, 23.0], [13.0, 13.0, 33.0], [23.0, 23.0, 43.0]]


def test_first_detection_is_the_first_look_whose_draw_is_under_its_chance():
    traj = Trajectory.from_range(40.0, 128.0, 90.0, 800.0)  # towards the radar at 130 E
    k = looks_needed(traj, RADAR)
    t = look_times(RADAR, traj.launch_time_s, k)
    pd = detection_probability_per_look(traj, RADAR, t, 1.0)
    assert pd.shape == (k,) and pd.max() > 0.9 and pd[0] == 0.0  # on the pad it is below the horizon
    u = np.full(k, 0.999)
    chosen = int(np.argmax(pd > 0.3)) + 3
    u[chosen] = 0.3 - 1e-9  # only this look can succeed (where pd > 0.3)
    assert first_detection_time_s(traj, RADAR, u, 1.0) == t[chosen]
    assert np.isnan(first_detection_time_s(traj, RADAR, np.ones(k), 1.0))  # u = 1 never detects
    assert np.isnan(first_detection_time_s(traj, RADAR, u, 1.0, until_s=t[chosen] - 1.0))


def test_many_replications_detect_at_the_rate_the_looks_promise():
    traj = Trajectory.from_range(40.0, 128.0, 90.0, 800.0, launch_time_s=np.zeros(4000))
    k = looks_needed(traj, RADAR)
    u = np.random.default_rng(7).random((k, 4000))
    seen = first_detection_time_s(traj, RADAR, u, 0.05)
    looks = look_times(RADAR, 0.0, k)
    promised_by_look = np.array([float(detection_probability_by(traj[0], RADAR, t, 0.05)) for t in looks])
    by = float(looks[np.argmax(promised_by_look > 0.3)])  # a look by which the outcome is still open
    promised = float(detection_probability_by(traj[0], RADAR, by, 0.05))
    share = np.mean(seen <= by)
    assert 0.05 < promised < 0.95
    assert share == pytest.approx(promised, abs=4 * math.sqrt(promised * (1 - promised) / 4000))


def test_a_sector_hides_what_the_radar_does_not_face():
    traj = Trajectory.from_range(40.0, 128.0, 90.0, 800.0)
    t = np.arange(0.0, float(traj.impact_time_s), 5.0)
    facing = Radar(40.0, 130.0, 30.0, 400.0, sector_center_deg=270.0, sector_half_width_deg=60.0)
    away = Radar(40.0, 130.0, 30.0, 400.0, sector_center_deg=90.0, sector_half_width_deg=60.0)
    before_overhead = traj.position(t)[1] < 129.5  # still west of the radar, coming towards it
    pd_f = detection_probability_per_look(traj, facing, t, 1.0)
    pd_a = detection_probability_per_look(traj, away, t, 1.0)
    assert pd_f[before_overhead].max() > 0.5 and pd_a[before_overhead].max() == 0.0


def test_a_bigger_target_is_never_harder_to_see():
    traj = Trajectory.from_range(40.0, 128.0, 90.0, 800.0)
    t = np.arange(0.0, float(traj.impact_time_s), 5.0)
    small, big = (detection_probability_per_look(traj, RADAR, t, s) for s in (0.1, 1.0))
    assert np.all(big >= small) and big.sum() > small.sum()


def test_the_early_warning_radar_tracks_the_14_may_2017_flight_about_20_minutes_or_more():
    boost = find_missile("hwasong_12").burn_time_s
    kusong = SITES["kusong"]
    traj = Trajectory.from_range(kusong.lat, kusong.lon, 101.0, 787.0, 2111.5, burn_time_s=boost)
    first, last = track_span_s(traj, VORONEZH_M_IRKUTSK, find_missile("hwasong_12").rcs_m2)
    tracked_min = (last - first) / 60.0
    assert tracked_min >= 20.0  # the Russian MoD: 23 minutes of a ~30-minute flight
    assert tracked_min < traj.flight_time_s / 60.0
    assert first > traj.burnout_time_s - 60.0  # it has to climb over the horizon 2,100 km away first


def test_an_early_warning_radar_sees_over_the_horizon_of_a_battery_radar():
    kusong = SITES["kusong"]
    traj = Trajectory.from_range(kusong.lat, kusong.lon, 101.0, 787.0, 2111.5, burn_time_s=140.0)
    battery = Radar(*destination(43.1, 131.9, 0.0, 0.0), 30.0, 600.0, scan_period_s=5.0)
    ew = track_span_s(traj, VORONEZH_M_IRKUTSK, 1.0)
    near = track_span_s(traj, battery, 1.0)
    assert ew[0] < near[0] or np.isnan(near[0])
