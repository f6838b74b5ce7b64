"""The impact prediction: track errors from least squares, sigma(t_go), P(own territory) on the map."""

import math

import numpy as np
import pytest

from sim.world.ballistics import Trajectory
from sim.world.geo import great_circle_km
from sim.world.prediction import (
    gaussian_offsets,
    impact_error_at,
    impact_error_km,
    normal_cdf,
    position_error_km,
    predicted_impact,
    prediction_available,
    probability_on_territory,
    velocity_error_kms,
)
from sim.world.sites import SITES
from sim.world.territory import Territories

KM_PER_DEG = math.pi * 6371.0 / 180.0


def least_squares_errors(n, span_s, sigma_x):
    """Slope and end-point errors of a straight-line fit, from the design matrix (independent of the code)."""
    t = np.linspace(0.0, span_s, n)
    a = np.stack([np.ones(n), t], axis=1)
    cov = sigma_x**2 * np.linalg.inv(a.T @ a)
    end = np.array([1.0, span_s])
    return math.sqrt(cov[1, 1]), math.sqrt(end @ cov @ end)


@pytest.mark.parametrize("n, span, sigma_x", [(2, 10.0, 1.0), (10, 90.0, 0.5), (200, 600.0, 2.0)])
def test_track_errors_are_those_of_a_least_squares_line(n, span, sigma_x):
    sigma_v, sigma_end = least_squares_errors(n, span, sigma_x)
    assert velocity_error_kms(sigma_x, span, n) == pytest.approx(sigma_v, rel=1e-9)
    assert position_error_km(sigma_x, n) == pytest.approx(sigma_end, rel=1e-9)


def test_velocity_error_tends_to_the_brief_formula_for_many_looks():
    n, span = np.array([100.0, 1e4]), 300.0
    brief = math.sqrt(12.0) * 1.0 / (span * np.sqrt(n))
    ratio = velocity_error_kms(1.0, span, n) / brief
    assert np.all(np.abs(ratio - 1.0) < 1.01 / n)  # sqrt((N-1)/(N+1)) = 1 - 1/N + ...
    assert velocity_error_kms(1.0, 30.0, 1) == math.inf


def test_impact_error_grows_with_time_to_go_and_shrinks_with_track_age():
    assert impact_error_km(3.0, 0.01, 400.0) == pytest.approx(5.0)  # sqrt(3^2 + 4^2)
    assert impact_error_km(3.0, 0.01, -5.0) == pytest.approx(3.0)
    traj = Trajectory.from_range(40.0, 128.0, 45.0, 1000.0, burn_time_s=70.0)
    t = np.array([50.0, 100.0, 200.0, 300.0, 400.0])
    sigma = impact_error_at(traj, t, track_start_s=80.0, scan_period_s=5.0, sigma_x_km=0.2)
    assert np.isnan(sigma[0])  # engine still burning: nothing predicted
    assert np.all(np.diff(sigma[1:]) < 0)
    assert prediction_available(traj, [69.9, 70.0, float(traj.impact_time_s)]).tolist() == [False, True, False]


def straight_coast():
    """Land east of the meridian 0 (a great circle), within +-10 deg: a coast with a closed form."""
    return Territories({"RUS": [np.array([[0, -10], [10, -10], [10, 10], [0, 10], [0, -10]], float)]})


@pytest.mark.parametrize("d_km, sigma_km", [(0.0, 50.0), (30.0, 50.0), (-30.0, 50.0), (100.0, 40.0), (5.0, 2.0)])
def test_straight_coast_closed_form(d_km, sigma_km):
    # a point d km out to sea from a straight coast falls on land with P = Phi(-d / sigma)
    p = probability_on_territory(0.0, -d_km / KM_PER_DEG, sigma_km, "RUS", straight_coast())
    assert p == pytest.approx(normal_cdf(-d_km / sigma_km), abs=0.005)


def test_quadrature_weights_are_a_unit_gaussian():
    bearing, r = gaussian_offsets()
    east, north = r * np.sin(np.radians(bearing)), r * np.cos(np.radians(bearing))
    assert abs(east.mean()) < 0.01 and abs(north.mean()) < 0.01
    assert np.mean(r**2) == pytest.approx(2.0, rel=0.1)  # E r^2 = 2 for a unit circular Gaussian
    assert normal_cdf(1.959964) == pytest.approx(0.975, abs=1e-6)


def test_real_coastline_inland_offshore_and_on_the_coast():
    vlad = SITES["vladivostok"]
    p = probability_on_territory([45.0, 40.0, vlad.lat], [134.0, 133.0, vlad.lon], 20.0, "RUS")
    assert p[0] == 1.0 and p[1] == 0.0 and 0.05 < p[2] < 0.95
    assert np.isnan(probability_on_territory(45.0, 134.0, np.nan, "RUS"))
    with pytest.raises(ValueError, match="unknown territory"):
        probability_on_territory(45.0, 134.0, 1.0, "XXX")


def test_prediction_converges_on_the_truth_as_sigma_shrinks():
    traj = Trajectory.from_range(40.0, 128.0, 45.0, 1000.0)
    lat, lon = traj.impact()
    far = predicted_impact(traj, 1.0, -2.0, 10.0)
    near = predicted_impact(traj, 1.0, -2.0, 0.0)
    assert near == pytest.approx((lat, lon))
    assert great_circle_km(lat, lon, *far) == pytest.approx(10.0 * math.sqrt(5.0), rel=1e-6)


@pytest.mark.parametrize("threshold", [0.0, 0.05, 0.3, 0.5, 0.8, 1.0])
def test_reaching_a_threshold_from_a_few_points_says_what_the_whole_quadrature_says(threshold):
    """Settled stage by stage, the answer must be the full quadrature's P >= threshold for every point: near a
    coast (Peter the Great Gulf, where P runs through every value), far inland and out at sea, NaN included."""
    from sim.engine.prediction import RINGS, SPOKES
    from sim.world.prediction import probability_on_territory, reaches_probability

    rng = np.random.default_rng(int(threshold * 100))
    n = 600
    lat = rng.uniform(42.3, 43.6, n)
    lon = rng.uniform(130.8, 133.2, n)
    sigma = rng.choice([0.5, 3.0, 10.0, 40.0, np.nan], n)
    p = probability_on_territory(lat, lon, sigma, "RUS", rings=RINGS, spokes=SPOKES)
    assert ((p > 0.1) & (p < 0.9)).sum() >= 20  # many points in doubt: the staged answer is really tested
    got = reaches_probability(lat, lon, sigma, "RUS", threshold, rings=RINGS, spokes=SPOKES)
    np.testing.assert_array_equal(got, p >= threshold)
    grid = reaches_probability(lat.reshape(20, 30), lon.reshape(20, 30), sigma.reshape(20, 30), "RUS", threshold)
    assert grid.shape == (20, 30)  # any shape in, the same shape out, as probability_on_territory
    np.testing.assert_array_equal(grid, probability_on_territory(lat, lon, sigma, "RUS").reshape(20, 30) >= threshold)
