"""Great-circle geometry against the worked figure of the model brief and closed-form cases."""

import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from sim.world.geo import (
    EARTH_RADIUS_KM,
    destination,
    great_circle_km,
    initial_bearing_deg,
    slant_range_km,
    straight_line_km,
)

KM_PER_DEG = math.pi * 6371.0 / 180.0  # 111.19493 km along any great circle


def test_nashville_to_los_angeles_is_the_worked_haversine_figure():
    assert great_circle_km(36.12, -86.67, 33.94, -118.40) == pytest.approx(2886.444, abs=0.001)


def test_distance_along_a_meridian_and_the_equator_is_r_times_the_angle():
    assert great_circle_km(10.0, 30.0, 13.0, 30.0) == pytest.approx(3 * KM_PER_DEG, rel=1e-12)
    assert great_circle_km(0.0, 179.0, 0.0, -179.0) == pytest.approx(2 * KM_PER_DEG, rel=1e-12)
    assert great_circle_km(-90, 0, 90, 0) == pytest.approx(math.pi * EARTH_RADIUS_KM, rel=1e-12)


def test_bearings_of_the_cardinal_directions():
    assert initial_bearing_deg(0, 0, 1, 0) == pytest.approx(0.0, abs=1e-9)
    assert initial_bearing_deg(0, 0, 0, 1) == pytest.approx(90.0)
    assert initial_bearing_deg(1, 0, 0, 0) == pytest.approx(180.0)
    assert initial_bearing_deg(0, 1, 0, 0) == pytest.approx(270.0)
    # The great circle to a point on the same parallel starts poleward of due east.
    assert initial_bearing_deg(45, 0, 45, 10) < 90.0


def test_destination_known_cases():
    lat, lon = destination(0.0, 0.0, 90.0, 10 * KM_PER_DEG)
    assert (lat, lon) == pytest.approx((0.0, 10.0), abs=1e-9)
    lat, lon = destination(80.0, 20.0, 0.0, 20 * KM_PER_DEG)  # over the pole
    assert (lat, lon) == pytest.approx((80.0, -160.0), abs=1e-9)


def test_vectorised_with_broadcasting():
    lat, lon = destination(np.zeros((3, 1)), 0.0, np.array([0.0, 90.0]), 100.0)
    assert lat.shape == lon.shape == (3, 2)
    assert great_circle_km(np.zeros(5), 0.0, 1.0, np.arange(5)).shape == (5,)


@settings(max_examples=200, deadline=None)
@given(
    lat=st.floats(-85, 85),
    lon=st.floats(-180, 180),
    bearing=st.floats(0, 360, exclude_max=True),
    distance=st.floats(1.0, 15000.0),
)
def test_destination_then_distance_and_bearing_round_trip(lat, lon, bearing, distance):
    lat2, lon2 = destination(lat, lon, bearing, distance)
    assert great_circle_km(lat, lon, lat2, lon2) == pytest.approx(distance, rel=1e-9, abs=1e-6)
    back = initial_bearing_deg(lat, lon, lat2, lon2)
    assert min(abs(back - bearing), 360 - abs(back - bearing)) < 1e-6
    assert 0.0 <= back < 360.0
    assert -180.0 <= lon2 < 180.0


def test_straight_line_through_the_air():
    # Two points on the ground 90 deg apart: the chord R sqrt(2).
    assert straight_line_km(math.pi / 2, 0.0, 0.0) == pytest.approx(EARTH_RADIUS_KM * math.sqrt(2))
    # Straight up: the altitude difference.
    assert slant_range_km(40, 130, 0.0, 40, 130, 250.0) == pytest.approx(250.0)
    # Law of cosines, 10 deg apart at 100 km and 500 km.
    r1, r2, g = EARTH_RADIUS_KM + 100, EARTH_RADIUS_KM + 500, math.radians(10)
    expected = math.sqrt(r1**2 + r2**2 - 2 * r1 * r2 * math.cos(g))
    assert slant_range_km(0, 0, 100, 0, 10, 500) == pytest.approx(expected, rel=1e-12)
