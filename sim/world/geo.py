"""Great-circle geometry on a spherical Earth.

Everything here works on degrees in and out, broadcasts over numpy arrays, and uses the
mean Earth radius 6371.0 km: the accuracy of a sphere (about 0.5 %) is far finer than anything
a tabletop exercise decides on.
"""

from __future__ import annotations

import numpy as np

EARTH_RADIUS_KM = 6371.0


def great_circle_km(lat1, lon1, lat2, lon2):
    """Distance along the surface between two points (haversine: well conditioned when close)."""
    p1, l1, p2, l2 = map(np.radians, (lat1, lon1, lat2, lon2))
    h = np.sin((p2 - p1) / 2) ** 2 + np.cos(p1) * np.cos(p2) * np.sin((l2 - l1) / 2) ** 2
    return 2 * EARTH_RADIUS_KM * np.arcsin(np.sqrt(np.clip(h, 0.0, 1.0)))


def initial_bearing_deg(lat1, lon1, lat2, lon2):
    """Heading to leave point 1 on the great circle to point 2, clockwise from north, in [0, 360)."""
    p1, l1, p2, l2 = map(np.radians, (lat1, lon1, lat2, lon2))
    dl = l2 - l1
    y = np.sin(dl) * np.cos(p2)
    x = np.cos(p1) * np.sin(p2) - np.sin(p1) * np.cos(p2) * np.cos(dl)
    return _wrap(np.degrees(np.arctan2(y, x)), 0.0)


def destination(lat, lon, bearing_deg, distance_km):
    """Point reached after `distance_km` along the great circle leaving at `bearing_deg`.

    Returns (lat, lon) in degrees, lon wrapped to [-180, 180).
    """
    p1, l1, b = map(np.radians, (lat, lon, bearing_deg))
    d = np.asarray(distance_km, dtype=float) / EARTH_RADIUS_KM
    sin_p2 = np.sin(p1) * np.cos(d) + np.cos(p1) * np.sin(d) * np.cos(b)
    p2 = np.arcsin(np.clip(sin_p2, -1.0, 1.0))
    l2 = l1 + np.arctan2(np.sin(b) * np.sin(d) * np.cos(p1), np.cos(d) - np.sin(p1) * sin_p2)
    return np.degrees(p2), _wrap(np.degrees(l2), -180.0)


def slant_range_km(lat1, lon1, alt1_km, lat2, lon2, alt2_km):
    """Straight-line distance between two points above the sphere (through the air, not along it)."""
    return straight_line_km(great_circle_km(lat1, lon1, lat2, lon2) / EARTH_RADIUS_KM, alt1_km, alt2_km)


def straight_line_km(central_angle_rad, alt1_km, alt2_km):
    """Straight-line distance between two points at these altitudes, `central_angle_rad` apart as
    seen from the Earth's centre (law of cosines in its chord form, stable for small angles)."""
    r1 = EARTH_RADIUS_KM + np.asarray(alt1_km, dtype=float)
    r2 = EARTH_RADIUS_KM + np.asarray(alt2_km, dtype=float)
    return np.sqrt((r1 - r2) ** 2 + 4 * r1 * r2 * np.sin(np.asarray(central_angle_rad) / 2) ** 2)


def _wrap(deg, lowest):
    """Angle into [lowest, lowest + 360): np.mod alone can round a tiny negative up to 360."""
    wrapped = np.mod(deg - lowest, 360.0)
    return (np.where(wrapped >= 360.0, 0.0, wrapped) + lowest)[()]
