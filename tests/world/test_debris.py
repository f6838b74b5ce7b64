"""Fragments through the air: the no-drag limit is the conic, terminal speed, wind drift, accuracy."""

import numpy as np
import pytest

from sim.world.ballistics import Trajectory, free_flight
from sim.world.debris import (
    G_SURFACE_MS2,
    BreakUp,
    breakup_state,
    fall,
    footprint,
    ground_range_km,
    terminal_speed_ms,
)
from sim.world.geo import destination, great_circle_km, initial_bearing_deg

ISSUE_STATE = BreakUp(39.7, 126.4, 69.6, np.hypot(0.674, 0.868), np.degrees(np.arctan2(0.868, 0.674)), 60.0)


@pytest.mark.parametrize(
    "speed, angle, alt",
    [
        (np.hypot(0.674, 0.868), np.degrees(np.arctan2(0.868, 0.674)), 69.6),  # the issue's break-up state
        (3.0, 40.0, 0.0),
        (1.0, -20.0, 50.0),
        (0.5, 89.0, 30.0),
    ],
)
def test_no_drag_is_the_free_flight(speed, angle, alt):
    state = BreakUp(40.0, 128.0, alt, speed, angle, 75.0)
    landing = fall(state, np.inf)
    conic = free_flight(speed, angle, alt)
    assert ground_range_km(state, landing) == pytest.approx(conic.range_km, rel=1e-7, abs=1e-6)
    assert landing.time_s == pytest.approx(conic.flight_time_s, rel=1e-7)
    assert landing.apex_km == pytest.approx(conic.apogee_km, abs=0.01)  # sampled at the steps
    assert initial_bearing_deg(40.0, 128.0, landing.lat, landing.lon) == pytest.approx(75.0, abs=1e-4)


def test_constant_air_vertical_drop_matches_the_tanh_solution():
    """In air of constant density a body dropped from rest has v = v_t tanh(g t / v_t), so it falls
    h0 in t = (v_t / g) arccosh(exp(g h0 / v_t^2)). Gravity here varies with height by 0.03 % over
    the 1 km drop: the tolerance."""
    beta, h0 = 50.0, 1000.0
    landing = fall(BreakUp(40.0, 128.0, h0 / 1000.0, 0.0, 0.0, 0.0), beta, density=lambda h: np.full_like(h, 1.225))
    vt = np.sqrt(2 * beta * G_SURFACE_MS2 / 1.225)
    expected_t = vt / G_SURFACE_MS2 * np.arccosh(np.exp(G_SURFACE_MS2 * h0 / vt**2))
    assert landing.time_s == pytest.approx(expected_t, rel=5e-4)
    assert landing.speed_ms == pytest.approx(vt * np.tanh(G_SURFACE_MS2 * expected_t / vt), rel=5e-4)


@pytest.mark.parametrize("beta", [10.0, 100.0, 1000.0])
def test_falls_at_terminal_speed_low_down(beta):
    """From 10 km in the exponential air a fragment reaches the ground at sqrt(2 beta g / rho(0)),
    lagging the slowly changing terminal speed by about v_t^2 / (2 g H) of it (< 1.2 % here)."""
    landing = fall(BreakUp(40.0, 128.0, 10.0, 0.0, 0.0, 0.0), beta)
    vt = terminal_speed_ms(beta)
    assert landing.speed_ms == pytest.approx(vt, rel=vt**2 / (2 * G_SURFACE_MS2 * 7200.0) + 1e-3)
    assert landing.speed_ms > vt  # it comes from thinner air, where it fell faster


def test_wind_carries_a_fragment_by_wind_times_time_below_the_wind_top():
    """Dropped from rest at 5 km (all in the wind) a fragment soon moves with the air: its drift is the
    wind times the fall time, less what it loses while picking the wind up, of the order of the drag
    time constant v_t / g (twice that allows for starting from rest)."""
    state = BreakUp(40.0, 128.0, 5.0, 0.0, 0.0, 0.0)
    calm, windy = fall(state, 20.0), fall(state, 20.0, wind_east_ms=20.0, wind_north_ms=0.0)
    drift = great_circle_km(40.0, 128.0, windy.lat, windy.lon) * 1000.0
    tau = terminal_speed_ms(20.0, 5000.0) / G_SURFACE_MS2
    assert 20.0 * (calm.time_s - 2 * tau) < drift < 20.0 * calm.time_s
    assert initial_bearing_deg(40.0, 128.0, windy.lat, windy.lon) == pytest.approx(90.0, abs=0.1)
    above = fall(BreakUp(40.0, 128.0, 60.0, 0.0, 0.0, 0.0), 1e9, wind_east_ms=20.0, wind_top_m=20e3)
    # a near-vacuum body crosses the 20 km of wind in about 20 s (at ~1 km/s): a few m of drift at most
    assert great_circle_km(40.0, 128.0, above.lat, above.lon) < 0.01


@pytest.mark.slow
def test_halving_the_steps_moves_the_impacts_by_metres():
    betas = np.array([10.0, 100.0, 1000.0, 1e4])
    coarse = fall(ISSUE_STATE, betas, wind_east_ms=10.0, wind_north_ms=-5.0)
    fine = fall(ISSUE_STATE, betas, wind_east_ms=10.0, wind_north_ms=-5.0, max_step_s=0.25, step_fraction=0.125)
    assert great_circle_km(coarse.lat, coarse.lon, fine.lat, fine.lon).max() < 0.005
    assert np.abs(coarse.time_s - fine.time_s).max() < 0.05


@pytest.mark.slow
def test_drag_shortens_the_fall_and_lighter_falls_shorter():
    betas = np.array([10.0, 100.0, 1000.0, np.inf])
    landing = fall(ISSUE_STATE, betas)
    distance = ground_range_km(ISSUE_STATE, landing)
    assert np.all(np.diff(distance) > 0)
    assert np.all(np.diff(landing.time_s) < 0)
    assert landing.apex_km[-1] == pytest.approx(
        free_flight(ISSUE_STATE.speed_kms, ISSUE_STATE.angle_deg, 69.6).apogee_km, abs=0.01
    )


def test_broadcasting_break_ups_against_fragments_and_a_leaf_is_lost():
    states = BreakUp(np.array([[40.0], [41.0]]), 128.0, 30.0, 0.5, 10.0, 0.0)
    landing = fall(states, np.array([50.0, 500.0, 5000.0]))
    assert landing.lat.shape == (2, 3)
    assert np.all(landing.lat[1] > landing.lat[0])
    leaf = fall(BreakUp(40.0, 128.0, 30.0, 0.0, 0.0, 0.0), 0.05, max_flight_s=60.0)
    assert np.isnan(leaf.lat) and np.isnan(leaf.time_s)
    with pytest.raises(ValueError):
        fall(states, -1.0)


def test_breakup_state_of_a_conic_keeps_its_invariants():
    traj = Trajectory.from_burnout(39.5, 126.0, 60.0, 1.6, 65.0)
    s = breakup_state(traj, np.array([20.0, 60.0, 100.0]))
    assert s.speed_kms == pytest.approx(traj.speed_at(np.array([20.0, 60.0, 100.0])), rel=1e-6)
    r = 6371.0 + s.alt_km
    assert r * s.speed_kms * np.cos(np.radians(s.angle_deg)) == pytest.approx(
        6371.0 * 1.6 * np.cos(np.radians(65.0)), rel=1e-6
    )  # angular momentum
    assert s.azimuth_deg == pytest.approx(initial_bearing_deg(s.lat, s.lon, *traj.impact()), abs=1e-3)
    landing = fall(s, np.inf)
    assert great_circle_km(landing.lat, landing.lon, *traj.impact()) == pytest.approx(0.0, abs=1e-3)


def test_footprint_of_fragments_on_a_line():
    lat, lon = destination(40.0, 130.0, 30.0, np.array([-10.0, -5.0, 0.0, 5.0, 10.0]))
    fp = footprint(lat[None], lon[None], ref_lat=40.0, ref_lon=130.0)
    assert fp.length_km[0] == pytest.approx(20.0, rel=1e-3)
    assert fp.width_km[0] == pytest.approx(0.0, abs=0.01)
    assert fp.axis_deg[0] == pytest.approx(30.0, abs=0.1)
    assert fp.farthest_km[0] == pytest.approx(10.0, rel=1e-6)
    assert great_circle_km(fp.centre_lat[0], fp.centre_lon[0], 40.0, 130.0) < 0.01


# -- break-ups during the powered phase (the boost of sim.world.powered) --------------------------------

BOOSTED = (
    Trajectory.from_burnout(40.85, 129.67, 45.0, 1.6, 65.0, 29.0, 60.0),  # the Musudan-ri what-if's flight
    Trajectory.from_range(39.505, 125.964, 60.0, 39.0, 70.0, 50.0),  # the Pukchang arc, lofted
    Trajectory.from_range(40.0, 125.0, 100.0, 787.0, 2111.5, 140.0),  # 14 May 2017
)


@pytest.mark.slow
@pytest.mark.parametrize("traj", BOOSTED)
def test_a_boost_phase_breakup_starts_from_the_powered_state(traj):
    """The break-up state is the closed-form powered phase at that moment (altitude, speed, angle), and a
    fragment the air does not slow lands where the conic of that state says: ground covered so far plus
    free_flight's range from that speed, angle and altitude."""
    from sim.world.powered import boost_state

    burn = float(traj.burn_time_s)
    t = np.linspace(0.05, 0.95, 7) * burn
    s = breakup_state(traj, t)
    travelled, alt, speed, angle = boost_state(traj._boost, t)
    assert s.alt_km == pytest.approx(alt, rel=1e-6, abs=1e-6)
    assert s.speed_kms == pytest.approx(speed, rel=1e-4)
    assert s.angle_deg == pytest.approx(angle, abs=1e-3)

    class PositionsOnly:  # the same flight seen only through its positions: velocity by differences
        position = staticmethod(traj.position)

    differenced = breakup_state(PositionsOnly(), t)
    assert differenced.speed_kms == pytest.approx(speed, rel=1e-4)
    assert differenced.angle_deg == pytest.approx(angle, abs=1e-2)
    assert differenced.azimuth_deg == pytest.approx(s.azimuth_deg, abs=1e-2)
    vacuum = fall(s, np.inf)
    conic = 6371.0 * travelled + free_flight(speed, angle, alt).range_km
    d = great_circle_km(traj.launch_lat, traj.launch_lon, vacuum.lat, vacuum.lon)
    assert d == pytest.approx(conic, abs=1e-3)


@pytest.mark.slow
@pytest.mark.parametrize("traj", BOOSTED)
def test_a_breakup_at_burnout_reproduces_the_intact_flight(traj):
    s = breakup_state(traj, float(traj.burn_time_s))
    landing = fall(s, np.inf)
    assert great_circle_km(landing.lat, landing.lon, *traj.impact()) == pytest.approx(0.0, abs=1e-3)


@pytest.mark.slow
@pytest.mark.parametrize("traj", BOOSTED)
def test_debris_never_outranges_the_vacuum_arc_nor_the_intact_flight(traj):
    """Bounding argument: in still air drag only takes energy, so a fragment lands no farther than the vacuum
    arc of the same break-up state; and no state of the flight, boosting or coasting, throws farther than the
    intact missile (measured over break-ups every few seconds from lift-off to past burnout)."""
    t = np.linspace(0.5, float(traj.burn_time_s) + 30.0, 40)
    s = breakup_state(traj, t)
    fragments = BreakUp(*(np.asarray(x)[:, None] for x in s))
    landing = fall(fragments, np.array([100.0, 1000.0, 1e4, np.inf]), max_step_s=5.0)
    d = great_circle_km(traj.launch_lat, traj.launch_lon, landing.lat, landing.lon)
    assert not np.isnan(d).any()  # every fragment comes down, even from a few metres up
    assert np.all(d[:, :-1] <= d[:, -1:] + 1e-6)
    assert np.all(d <= traj.range_km + 1e-6)


def test_a_fragment_thrown_up_from_a_few_metres_lands_with_a_long_step():
    """A break-up seconds after lift-off (26 m up, 14 m/s, nearly vertical): one 5 s step overshoots the
    ground by far; the crossing is still found (was lost as 'never came down' with three secant steps)."""
    s = BreakUp(40.85, 129.67, 0.0262, 0.0136, 87.4, 45.0)
    fine = fall(s, np.array([1e4, 1000.0, 100.0]), 10.0, 10.0, max_step_s=0.05)
    coarse = fall(s, np.array([1e4, 1000.0, 100.0]), 10.0, 10.0, max_step_s=5.0)
    assert not np.isnan(coarse.lat).any()
    metres = 1000.0 * great_circle_km(fine.lat, fine.lon, coarse.lat, coarse.lon)
    assert np.all(metres < 1.0)
    vacuum = fall(s, np.inf, max_step_s=5.0)  # closed form: the conic from that state
    expected = free_flight(0.0136, 87.4, 0.0262)
    assert ground_range_km(s, vacuum) == pytest.approx(expected.range_km, abs=1e-6)
    assert vacuum.time_s == pytest.approx(expected.flight_time_s, rel=1e-6)
