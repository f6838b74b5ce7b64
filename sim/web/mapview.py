"""The projector's map: a fixed SVG of the theatre drawn once, and the projection that places the live layer.

The base (sea, countries with the own one shaded, named places, batteries with their engagement and radar
rings, launch sites) is built here from numbers and escaped names; the live layer (tracks, the predicted
impact with its 1-sigma and 2-sigma circles) is drawn by the page's script from positions this module
projects, so the browser does no geography. Equirectangular, x scaled by cos(mid latitude): true enough
over a few hundred kilometres, and the rings stay round.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from html import escape

import numpy as np

from sim.report import mapdata
from sim.report.style import INK, LAND, MUTED, OWN, SEA
from sim.scenario.crossrefs import resolve_place
from sim.scenario.loader import LoadedScenario

WIDTH = 1000.0  # SVG user units across; the height follows the frame's aspect
BATTERY, RADAR, LAUNCH = "#1f3d7a", "#6a1b9a", "#000000"
KM_PER_DEG = 111.2


@dataclass(frozen=True)
class Place:
    name: str
    kind: str  # battery | radar | launch
    lat: float
    lon: float
    engage_km: float = 0.0
    radar_km: float = 0.0


def places(loaded: LoadedScenario) -> list[Place]:
    """The scenario's batteries (engagement and radar reach), early-warning radars and launch sites."""
    s = loaded.scenario
    out = [
        Place(u.name, "battery", *resolve_place(u.site, s.sites), float(u.envelope.max_range), float(u.radar.range))
        for u in s.units
    ]
    out += [Place(x.name, "radar", *resolve_place(x.site, s.sites), radar_km=float(x.range)) for x in s.sensors]
    seen: set[str] = set()
    for t in s.threats:
        if t.launch.site not in seen:
            seen.add(t.launch.site)
            out.append(Place(t.launch.site, "launch", *resolve_place(t.launch.site, s.sites)))
    return out


class MapView:
    """The frame around the batteries' engagement reach and the launch sites, and its projection."""

    def __init__(self, loaded: LoadedScenario, pad: float = 0.25, min_span: float = 3.0):
        self.loaded = loaded
        self.places = places(loaded)
        lats, lons = [], []
        for p in self.places:
            r = p.engage_km / KM_PER_DEG
            lats += [p.lat - r, p.lat + r]
            lons += [p.lon - r / math.cos(math.radians(p.lat)), p.lon + r / math.cos(math.radians(p.lat))]
        lat_lo, lat_hi = (min(lats), max(lats)) if lats else (40.0, 45.0)
        lon_lo, lon_hi = (min(lons), max(lons)) if lons else (128.0, 134.0)
        span_lat = max(min_span, (lat_hi - lat_lo) * (1 + 2 * pad))
        self.lat0, self.lat1 = (lat_lo + lat_hi - span_lat) / 2, (lat_lo + lat_hi + span_lat) / 2
        self.kx = math.cos(math.radians((self.lat0 + self.lat1) / 2))
        span_lon = max(min_span / self.kx, (lon_hi - lon_lo) * (1 + 2 * pad))
        self.lon0, self.lon1 = (lon_lo + lon_hi - span_lon) / 2, (lon_lo + lon_hi + span_lon) / 2
        self.scale = WIDTH / ((self.lon1 - self.lon0) * self.kx)  # SVG units per degree of latitude
        self.height = (self.lat1 - self.lat0) * self.scale

    def xy(self, lat: float, lon: float) -> tuple[float, float]:
        return (lon - self.lon0) * self.kx * self.scale, (self.lat1 - lat) * self.scale

    def km(self, km: float) -> float:
        """A distance on the ground in SVG units."""
        return km / KM_PER_DEG * self.scale

    def _path(self, lons: np.ndarray, lats: np.ndarray) -> str:
        x = (lons - self.lon0) * self.kx * self.scale
        y = (self.lat1 - lats) * self.scale
        return "M" + "L".join(f"{a:.1f},{b:.1f}" for a, b in zip(x, y)) + "Z"

    def svg(self) -> str:
        """The base map as an ``<svg>`` element with an empty ``<g id="live">`` for the page's script."""
        own = self.loaded.scenario.rules_of_engagement.own_territory
        w, h = WIDTH, self.height
        parts = [
            f'<svg id="map" viewBox="0 0 {w:.0f} {h:.0f}" role="img" aria-label="map of the theatre">',
            f'<rect width="{w:.0f}" height="{h:.0f}" fill="{SEA}"/>',
        ]
        margin = 2.0
        for code, rings in mapdata.country_rings():
            for ring in rings:
                r_lon, r_lat = ring[:, 0], ring[:, 1]
                if (
                    r_lat.max() < self.lat0 - margin
                    or r_lat.min() > self.lat1 + margin
                    or r_lon.max() < self.lon0 - margin
                    or r_lon.min() > self.lon1 + margin
                ):
                    continue
                fill = OWN if code == own else LAND
                parts.append(
                    f'<path d="{self._path(r_lon, r_lat)}" fill="{fill}" stroke="#7a7a7a" stroke-width="0.8"/>'
                )
        for name, lat, lon in mapdata.cities_in(self.lat0, self.lat1, self.lon0, self.lon1):
            if any(abs(p.lat - lat) < 1e-3 and abs(p.lon - lon) < 1e-3 for p in self.places):
                continue
            x, y = self.xy(lat, lon)
            parts.append(f'<circle cx="{x:.1f}" cy="{y:.1f}" r="3" fill="{MUTED}"/>')
            parts.append(f'<text x="{x + 5:.1f}" y="{y + 14:.1f}" class="city">{escape(name)}</text>')
        for p in self.places:
            x, y = self.xy(p.lat, p.lon)
            colour = {"battery": BATTERY, "radar": RADAR, "launch": LAUNCH}[p.kind]
            if p.radar_km > 0:
                r = self.km(p.radar_km)
                parts.append(
                    f'<circle cx="{x:.1f}" cy="{y:.1f}" r="{r:.1f}" class="radar-ring" stroke="{RADAR}" fill="none"/>'
                )
            if p.engage_km > 0:
                r = self.km(p.engage_km)
                parts.append(
                    f'<circle cx="{x:.1f}" cy="{y:.1f}" r="{r:.1f}" class="engage-ring" stroke="{BATTERY}" '
                    f'fill="{BATTERY}" fill-opacity="0.06"/>'
                )
            if p.kind == "launch":
                parts.append(f'<path d="M{x:.1f},{y - 8:.1f}l7,12h-14z" fill="{colour}"/>')
            else:
                parts.append(f'<rect x="{x - 6:.1f}" y="{y - 6:.1f}" width="12" height="12" fill="{colour}"/>')
            parts.append(
                f'<text x="{x + 9:.1f}" y="{y - 7:.1f}" class="site" fill="{colour}" '
                f'data-place="{escape(p.name)}">{escape(p.name)}</text>'
            )
        parts.append(f'<g id="live" fill="none" stroke="{INK}"></g>')
        parts.append("</svg>")
        return "\n".join(parts)
