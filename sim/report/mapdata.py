"""What the map shows, as plain coordinates: countries, our units and their reach, launch sites, impacts.

Kept apart from the drawing (mapplot.py) so that what is put on the map can be tested without
rendering it: which points, how many, which colour class.
"""

from __future__ import annotations

import functools
import json
from dataclasses import dataclass
from importlib import resources

import numpy as np

from sim.world.geo import destination, great_circle_km, initial_bearing_deg

# Impact classes in drawing order (the rare, important ones on top).
NOT_THREATENING, INTERCEPTED, LEAKED = "not threatening", "intercepted", "leaked"
IMPACT_CLASSES = (NOT_THREATENING, INTERCEPTED, LEAKED)
MAX_POINTS = 3000


@dataclass(frozen=True)
class MapSite:
    name: str
    kind: str  # "unit", "sensor" or "launch"
    lat: float
    lon: float
    range_km: float = 0.0  # a unit's envelope max range, a radar's detection range (0: no circle)


@dataclass(frozen=True)
class Impacts:
    lat: np.ndarray  # the points drawn (a sample when there are many)
    lon: np.ndarray
    total: int  # how many threat rows of this class there were


@functools.cache
def country_rings() -> tuple[tuple[str, tuple[np.ndarray, ...]], ...]:
    """(ISO alpha-3 code, rings as (k, 2) lon/lat arrays) per country of the package's Natural Earth data."""
    text = resources.files("sim.world").joinpath("data/northeast_asia.geojson").read_text(encoding="utf-8")
    out = []
    for feature in json.loads(text)["features"]:
        geometry = feature["geometry"]
        polygons = geometry["coordinates"] if geometry["type"] == "MultiPolygon" else [geometry["coordinates"]]
        rings = tuple(np.asarray(ring, dtype=float)[:, :2] for polygon in polygons for ring in polygon)
        out.append((feature["properties"]["iso_a3"], rings))
    return tuple(out)


def sites(loaded) -> list[MapSite]:
    """Units (with their envelope's max range), sensors and launch sites of a loaded scenario."""
    from sim.scenario.crossrefs import resolve_place

    s = loaded.scenario
    out = [MapSite(u.name, "unit", *resolve_place(u.site, s.sites), float(u.envelope.max_range)) for u in s.units]
    out += [MapSite(x.name, "sensor", *resolve_place(x.site, s.sites), float(x.range)) for x in s.sensors]
    seen = set()
    for t in s.threats:
        if t.launch.site not in seen:
            seen.add(t.launch.site)
            out.append(MapSite(t.launch.site, "launch", *resolve_place(t.launch.site, s.sites)))
    return out


def circle(lat: float, lon: float, radius_km: float, points: int = 121) -> tuple[np.ndarray, np.ndarray]:
    """A great-circle ring of `radius_km` around a point, closed (first point repeated)."""
    bearings = np.linspace(0.0, 360.0, points)
    return destination(lat, lon, bearings, radius_km)


def impact_classes(outcomes) -> dict[str, np.ndarray]:
    """Boolean mask per class over threat rows: intercepted, leaked, and everything else."""
    intercepted = outcomes.threats["intercepted"].reshape(-1)
    leaked = ~intercepted & outcomes.threats["leaked"].reshape(-1)
    return {NOT_THREATENING: ~intercepted & ~leaked, INTERCEPTED: intercepted, LEAKED: leaked}


def impacts(outcomes, max_points: int = MAX_POINTS) -> dict[str, Impacts]:
    """Impact points per class, at most `max_points` in all.

    The budget is shared from the rarest class up, so a handful of leaks is always drawn in full
    while thousands of harmless impacts are thinned (evenly over the replications: no randomness).
    """
    lat = np.asarray(outcomes.threats["impact_lat"], dtype=float).reshape(-1)
    lon = np.asarray(outcomes.threats["impact_lon"], dtype=float).reshape(-1)
    where = np.isfinite(lat) & np.isfinite(lon)
    rows = {c: np.flatnonzero(mask & where) for c, mask in impact_classes(outcomes).items()}
    budget, left = max_points, len(rows)
    take: dict[str, np.ndarray] = {}
    for c in sorted(rows, key=lambda c: rows[c].size):
        k = min(rows[c].size, budget // left)
        idx = rows[c]
        take[c] = idx[np.linspace(0, idx.size - 1, k).round().astype(int)] if k < idx.size else idx
        budget, left = budget - k, left - 1
    return {c: Impacts(lat[take[c]], lon[take[c]], int(rows[c].size)) for c in IMPACT_CLASSES}


def debris(outcomes, max_points: int = 400) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(lat, lon, spread_km) of the break-ups with a debris footprint, evenly thinned to `max_points`."""
    lat = np.asarray(outcomes.threats["impact_lat"], dtype=float).reshape(-1)
    lon = np.asarray(outcomes.threats["impact_lon"], dtype=float).reshape(-1)
    spread = np.asarray(outcomes.threats["debris_spread_km"], dtype=float).reshape(-1)
    idx = np.flatnonzero(np.isfinite(lat) & np.isfinite(lon) & np.isfinite(spread) & (spread > 0))
    if idx.size > max_points:
        idx = idx[np.linspace(0, idx.size - 1, max_points).round().astype(int)]
    return lat[idx], lon[idx], spread[idx]


@dataclass(frozen=True)
class Track:
    """A sample flight's ground track, pad to where it came down, and its class (intercepted, got through, ...)."""

    lat: np.ndarray
    lon: np.ndarray
    kind: str


def sample_tracks(loaded, outcomes, per_class: int = 4, points: int = 64) -> list[Track]:
    """A few replications' ground tracks per threat and class, evenly spread over the runs (no randomness).

    Over the model's spherical, non-rotating Earth a ballistic flight stays in one plane through the
    Earth's centre, so its ground track is exactly the great circle from the pad to the impact point
    (a guidance fault turns the plane, not the rule). Debris drift in the last 20 km is too short to show.
    """
    from sim.scenario.crossrefs import resolve_place

    s = loaded.scenario
    lat = np.asarray(outcomes.threats["impact_lat"], dtype=float)
    lon = np.asarray(outcomes.threats["impact_lon"], dtype=float)
    runs = lat.shape[0]
    classes = {c: m.reshape(runs, -1) for c, m in impact_classes(outcomes).items()}
    out = []
    for k, threat in enumerate(s.threats):
        pad_lat, pad_lon = resolve_place(threat.launch.site, s.sites)
        for c in IMPACT_CLASSES:
            rows = np.flatnonzero(classes[c][:, k] & np.isfinite(lat[:, k]) & np.isfinite(lon[:, k]))
            if rows.size > per_class:
                rows = rows[np.linspace(0, rows.size - 1, per_class).round().astype(int)]
            for i in rows:
                bearing = float(initial_bearing_deg(pad_lat, pad_lon, lat[i, k], lon[i, k]))
                km = np.linspace(0.0, float(great_circle_km(pad_lat, pad_lon, lat[i, k], lon[i, k])), points)
                t_lat, t_lon = destination(pad_lat, pad_lon, bearing, km)
                out.append(Track(np.asarray(t_lat), np.asarray(t_lon), c))
    return out


def cities_in(lat0: float, lat1: float, lon0: float, lon1: float) -> list[tuple[str, float, float]]:
    """Named places of :data:`sim.world.sites.SITES` inside the box, to label the map."""
    from sim.world.sites import SITES

    return [(s.name, s.lat, s.lon) for s in SITES.values() if lat0 <= s.lat <= lat1 and lon0 <= s.lon <= lon1]
