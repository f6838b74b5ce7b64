"""The map of a run: zoomed to where things happen, with coasts, borders, places, reach and impacts.

Impacts are coloured by outcome (intercepted, got through, not threatening), and so are a few sample
ground tracks from the pad; radar and engagement rings show reach; break-ups show their debris footprint; the own country's 12 nm territorial sea is
drawn from the coast-distance grid of :mod:`sim.world.zones` when the scenario names an own territory.
"""

from __future__ import annotations

import math

import numpy as np

from sim.report import mapdata
from sim.report.style import HARMLESS, INTERCEPTED, LAND, LEAKED, OWN, SEA, figure, styled, to_svg

CLASS_COLOURS = {mapdata.NOT_THREATENING: HARMLESS, mapdata.INTERCEPTED: INTERCEPTED, mapdata.LEAKED: LEAKED}
UNIT, SENSOR, LAUNCH = "#1f3d7a", "#6a1b9a", "#000000"
BOX = (30.0, 56.0, 115.0, 150.0)  # the package's map data: lat0, lat1, lon0, lon1


@styled
def map_svg(result, max_points: int = mapdata.MAX_POINTS) -> str:
    loaded = result.scenario
    own = loaded.scenario.rules_of_engagement.own_territory if loaded is not None else ""
    places = mapdata.sites(loaded) if loaded is not None else []
    hits = mapdata.impacts(result.outcomes, max_points)
    d_lat, d_lon, d_spread = mapdata.debris(result.outcomes)

    # Zoom to where things happen: our units and radars (with their rings) and the impacts; a launch
    # site far away is shown at the edge, pointing the way, with its distance.
    near = [p for p in places if p.kind != "launch"]
    ring_lat = [p.lat + sign * p.range_km / 111.2 for p in near for sign in (-1, 1)]
    ring_lon = [p.lon + sign * p.range_km / (111.2 * math.cos(math.radians(p.lat))) for p in near for sign in (-1, 1)]
    impact_lat = np.concatenate([hits[c].lat for c in hits])
    lat0, lat1, lon0, lon1 = frame(
        [p.lat for p in near] + ring_lat,
        [p.lon for p in near] + ring_lon,
        impact_lat,
        np.concatenate([hits[c].lon for c in hits]),
    )
    if impact_lat.size == 0:  # nothing came down: frame the launch sites too
        lat0, lat1, lon0, lon1 = frame([p.lat for p in places], [p.lon for p in places], [], [])
    aspect = 1.0 / math.cos(math.radians((lat0 + lat1) / 2))
    height = min(9.0, max(4.5, 9.0 * (lat1 - lat0) * aspect / (lon1 - lon0)))
    fig = figure(height)
    ax = fig.add_subplot()
    ax.set_facecolor(SEA)
    ax.grid(False)
    for code, rings in mapdata.country_rings():
        for ring in rings:
            ax.fill(
                ring[:, 0], ring[:, 1], color=OWN if code == own else LAND, edgecolor="#7a7a7a", linewidth=0.6, zorder=1
            )
    if own:
        _territorial_sea(ax, own)
    for lat, lon, spread in zip(d_lat, d_lon, d_spread):
        c_lat, c_lon = mapdata.circle(lat, lon, spread / 2, points=49)
        ax.fill(c_lon, c_lat, color="#e07b00", alpha=0.12, linewidth=0, zorder=2)
    if d_lat.size:
        ax.fill([], [], color="#e07b00", alpha=0.3, label=f"debris footprint ({d_lat.size} break-ups drawn)")
    tracks = mapdata.sample_tracks(loaded, result.outcomes) if loaded is not None else []
    for t in tracks:
        ax.plot(t.lon, t.lat, color=CLASS_COLOURS[t.kind], linewidth=0.8, alpha=0.45, zorder=2)
    if tracks:
        ax.plot(
            [], [], color="#777777", linewidth=0.8, label=f"sample ground tracks ({len(tracks)}), coloured as impacts"
        )
    for c in mapdata.IMPACT_CLASSES:
        h = hits[c]
        shown = f", {h.lat.size} drawn" if h.lat.size < h.total else ""
        label = f"impact, {c}: {h.total}{shown}"
        if c == mapdata.INTERCEPTED:  # a ring, so that a leak at the same aim point still shows inside it
            ax.scatter(
                h.lon, h.lat, s=70, facecolors="none", edgecolors=INTERCEPTED, linewidths=1.4, zorder=3, label=label
            )
        else:
            size = 10 if c == mapdata.NOT_THREATENING else 22
            ax.scatter(h.lon, h.lat, s=size, color=CLASS_COLOURS[c], alpha=0.75, linewidths=0, zorder=3, label=label)
    for name, lat, lon in mapdata.cities_in(lat0, lat1, lon0, lon1):
        if any(abs(p.lat - lat) < 1e-3 and abs(p.lon - lon) < 1e-3 for p in places):
            continue
        ax.plot(lon, lat, marker="o", color="#555555", markersize=3, linestyle="none", zorder=4)
        ax.annotate(
            name,
            (lon, lat),
            xytext=(3, -9),
            textcoords="offset points",
            fontsize=8,
            color="#555555",
            zorder=4,
            annotation_clip=True,
        )
    for p in places:
        if not (lat0 <= p.lat <= lat1 and lon0 <= p.lon <= lon1):
            _off_frame(ax, p, (lat0, lat1, lon0, lon1))
            continue
        colour = {"unit": UNIT, "sensor": SENSOR, "launch": LAUNCH}[p.kind]
        if p.range_km > 0:
            lat, lon = mapdata.circle(p.lat, p.lon, p.range_km)
            ax.plot(lon, lat, color=colour, linestyle="--" if p.kind == "unit" else ":", linewidth=1.3, zorder=4)
        marker = {"unit": "s", "sensor": "D", "launch": "^"}[p.kind]
        ax.plot(p.lon, p.lat, marker=marker, color=colour, markersize=8, linestyle="none", zorder=5)
        ax.annotate(
            p.name,
            (p.lon, p.lat),
            xytext=(6, 5),
            textcoords="offset points",
            fontsize=10,
            zorder=6,
            fontweight="bold",
            color=colour,
            annotation_clip=True,
            bbox={"boxstyle": "round,pad=0.15", "fc": "white", "ec": "none", "alpha": 0.7},
        )
    ax.plot([], [], marker="s", color=UNIT, linestyle="--", label="fire unit, engagement reach")
    if any(p.kind == "sensor" for p in places):
        ax.plot([], [], marker="D", color=SENSOR, linestyle=":", label="radar, detection range")
    ax.plot([], [], marker="^", color=LAUNCH, linestyle="none", label="launch site")
    ax.set_xlim(lon0, lon1)
    ax.set_ylim(lat0, lat1)
    ax.set_aspect(aspect)
    ax.set_xlabel("longitude (deg E)")
    ax.set_ylabel("latitude (deg N)")
    ax.set_title("Where threats came down")
    fig.legend(loc="outside lower center", ncols=3)
    return to_svg(fig, "Map of units, radars, launch sites and impact points")


def _off_frame(ax, p: mapdata.MapSite, box: tuple[float, float, float, float]) -> None:
    """A site outside the view: a marker at the edge on the way to it, with its name and distance."""
    from sim.world.geo import great_circle_km

    lat0, lat1, lon0, lon1 = box
    c_lat, c_lon = (lat0 + lat1) / 2, (lon0 + lon1) / 2
    d_lat, d_lon = p.lat - c_lat, p.lon - c_lon
    # Shrink the vector from the centre until it meets the frame, a little inside it.
    scale = min(
        0.46 * (lat1 - lat0) / abs(d_lat) if d_lat else math.inf,
        0.46 * (lon1 - lon0) / abs(d_lon) if d_lon else math.inf,
        1.0,
    )
    e_lat, e_lon = c_lat + d_lat * scale, c_lon + d_lon * scale
    km = float(great_circle_km(e_lat, e_lon, p.lat, p.lon))
    ax.plot(e_lon, e_lat, marker="^", color=LAUNCH, markersize=8, linestyle="none", zorder=5, alpha=0.6)
    ax.annotate(
        f"{p.name}: {km:.0f} km further",
        (e_lon, e_lat),
        xytext=(6, 5),
        textcoords="offset points",
        fontsize=10,
        zorder=6,
        color=LAUNCH,
        fontstyle="italic",
        bbox={"boxstyle": "round,pad=0.15", "fc": "white", "ec": "none", "alpha": 0.7},
    )


def _territorial_sea(ax, own: str) -> None:
    """The 12 nm line off the own country's coast (contour of the coast-distance grid), if the grid has it."""
    from sim.world.zones import TERRITORIAL_SEA_KM, coast_distances

    grid = coast_distances()
    if own not in grid.codes:
        return
    dist = grid.dist[grid.codes.index(own)]
    lon = grid.lon0 + grid.step * np.arange(grid.nx)
    lat = grid.lat0 + grid.step * np.arange(grid.ny)
    ax.contour(
        lon, lat, dist, levels=[TERRITORIAL_SEA_KM], colors=["#1f5fa8"], linewidths=0.8, linestyles="-.", zorder=2
    )
    ax.plot([], [], color="#1f5fa8", linestyle="-.", linewidth=0.8, label=f"{own} territorial sea (12 nm)")


def frame(
    site_lats, site_lons, hit_lats, hit_lons, pad: float = 0.2, min_span: float = 2.0
) -> tuple[float, float, float, float]:
    """The view (lat0, lat1, lon0, lon1) around every site and the central 99% of impacts, with a margin."""
    hl, hn = np.asarray(hit_lats, dtype=float), np.asarray(hit_lons, dtype=float)
    keep = np.isfinite(hl) & np.isfinite(hn)
    hl, hn = hl[keep], hn[keep]
    if hl.size > 200:  # a few far-flung impacts do not zoom the map out
        hl, hn = np.quantile(hl, [0.005, 0.995]), np.quantile(hn, [0.005, 0.995])
    lats = np.concatenate([np.asarray(site_lats, dtype=float), hl])
    lons = np.concatenate([np.asarray(site_lons, dtype=float), hn])
    if lats.size == 0:
        return BOX
    lat_lo, lat_hi, lon_lo, lon_hi = lats.min(), lats.max(), lons.min(), lons.max()
    span_lat = max(min_span, (lat_hi - lat_lo) * (1 + 2 * pad))
    span_lon = max(min_span, (lon_hi - lon_lo) * (1 + 2 * pad))
    mid_lat, mid_lon = (lat_lo + lat_hi) / 2, (lon_lo + lon_hi) / 2
    lat0, lat1 = max(BOX[0], mid_lat - span_lat / 2), min(BOX[1], mid_lat + span_lat / 2)
    lon0, lon1 = max(BOX[2], mid_lon - span_lon / 2), min(BOX[3], mid_lon + span_lon / 2)
    return float(lat0), float(lat1), float(lon0), float(lon1)
