"""Whose land or water a point is in, by the law of the sea: the zone that decides who may shoot.

A state's territorial sea reaches 12 nautical miles (22.224 km) from its baseline (UNCLOS Art. 3),
its exclusive economic zone 200 nm (370.4 km, Art. 57). We take the baseline to be the shipped
Natural Earth 1:50m coastline (the "normal baseline" of Art. 5, the low-water line, at that map's
scale) and split overlapping claims on the line equidistant from the two coasts (the default of
Art. 15). Straight baselines and bay closing lines are not drawn: water that a state claims as
internal because of them (Russia so claims Peter the Great Gulf) counts here by its distance from
the shore, so the gulf's inshore waters are territorial sea and its middle, further than 12 nm from
any shore, economic zone. Real EEZ boundaries are negotiated; equidistance is the model's stand-in.

Distances to every coastal state's land are precomputed on a 0.05 deg grid (tools/build_zones.py ->
data/coast_distance.npz) and interpolated bilinearly; land and sea themselves come from the exact
polygon test of `territory`. `boundary_distance_km` is the exact computation the grid is built with.
"""

from __future__ import annotations

import enum
import functools
import io
import json
from importlib import resources

import numpy as np

from sim.world.geo import EARTH_RADIUS_KM
from sim.world.territory import MAP_BOX, SEA, Territories, territories

NAUTICAL_MILE_KM = 1.852
TERRITORIAL_SEA_KM = 12 * NAUTICAL_MILE_KM  # 22.224 km, UNCLOS Art. 3
EEZ_KM = 200 * NAUTICAL_MILE_KM  # 370.4 km, UNCLOS Art. 57
DATA_FILE = "data/coast_distance.npz"
GEOJSON_FILE = "data/northeast_asia.geojson"


class Zone(enum.IntEnum):
    """Where a point lies, as the rules of engagement see it (`zone_of` returns these as small ints)."""

    OFF_MAP = 0  # outside the shipped map: nothing known
    OWN_LAND = 1
    OWN_TERRITORIAL_SEA = 2
    OWN_EEZ = 3
    FOREIGN_LAND = 4
    FOREIGN_TERRITORIAL_SEA = 5
    FOREIGN_EEZ = 6
    HIGH_SEAS = 7


# -- the exact distance (build time and tests) ---------------------------------------------------


def _unit(lat, lon):
    lat, lon = np.radians(lat), np.radians(lon)
    return np.stack(np.broadcast_arrays(np.cos(lat) * np.cos(lon), np.cos(lat) * np.sin(lon), np.sin(lat)), axis=-1)


def boundary_distance_km(lat, lon, lines: list[np.ndarray], chunk: int = 2048) -> np.ndarray:
    """Great-circle distance from each point to the nearest edge of `lines` (polylines: arrays whose
    rows are lon, lat; a closed ring repeats its first vertex).

    Each edge is taken as the great-circle arc between its vertices. For a point p and an arc a-b
    with pole n = a x b / |a x b|, the nearest point is the foot of the perpendicular when that foot
    lies between a and b (p.(n x a) >= 0 and p.(b x n) >= 0), at an angle asin|p.n|; otherwise the
    nearer end. Everything is dot products, so a block of points meets all edges in one matrix
    product. Exact on the sphere of `geo` (R = 6371 km), whatever the distance.
    """
    lat, lon = np.broadcast_arrays(np.asarray(lat, dtype=float), np.asarray(lon, dtype=float))
    a = np.concatenate([_unit(r[:-1, 1], r[:-1, 0]) for r in lines])
    b = np.concatenate([_unit(r[1:, 1], r[1:, 0]) for r in lines])
    keep = np.any(a != b, axis=1)
    a, b = a[keep], b[keep]
    n = np.cross(a, b)
    n /= np.linalg.norm(n, axis=1, keepdims=True)
    basis = np.concatenate([n, np.cross(n, a), np.cross(b, n), a, b]).T  # 3 x 5E
    m = len(a)
    p = _unit(lat.ravel(), lon.ravel())
    out = np.empty(len(p))
    for start in range(0, len(p), chunk):
        q = p[start : start + chunk]
        dots = q @ basis
        pn, pu, pw, pa, pb = (dots[:, k * m : (k + 1) * m] for k in range(5))
        between = (pu >= 0) & (pw >= 0)
        # Pick the nearest edge by the cosine of the distance, then measure that one well-conditioned:
        # asin|p.n| for a foot on the arc, atan2(|p x a|, p.a) for an end.
        cos_d = np.where(between, np.sqrt(np.maximum(1.0 - pn * pn, 0.0)), np.maximum(pa, pb))
        e = cos_d.argmax(axis=1)
        rows = np.arange(len(q))
        end = np.where((pa[rows, e] >= pb[rows, e])[:, None], a[e], b[e])
        to_end = np.arctan2(np.linalg.norm(np.cross(q, end), axis=1), np.einsum("ij,ij->i", q, end))
        to_arc = np.arcsin(np.minimum(np.abs(pn[rows, e]), 1.0))
        out[start : start + chunk] = np.where(between[rows, e], to_arc, to_end)
    return (EARTH_RADIUS_KM * out).reshape(lat.shape)


def coast_lines(rings: list[np.ndarray]) -> list[np.ndarray]:
    """The rings cut wherever an edge runs along the clipping box (both ends on the same box side)."""
    lines = []
    for ring in rings:
        x, y = ring[:, 0], ring[:, 1]
        lon0, lat0, lon1, lat1 = MAP_BOX
        same_side = np.zeros(len(ring) - 1, dtype=bool)
        for v, edge in ((x, lon0), (x, lon1), (y, lat0), (y, lat1)):
            on = np.isclose(v, edge)
            same_side |= on[:-1] & on[1:]
        start = 0
        for k in np.flatnonzero(same_side).tolist():
            if k > start:
                lines.append(ring[start : k + 1])
            start = k + 1
        if start < len(ring) - 1:
            lines.append(ring[start:])
    return lines


def coast_lines_by_code(collection: dict) -> dict[str, list[np.ndarray]]:
    """Every state's polygon edges in a GeoJSON collection as polylines, without the clipping box's own
    edges (a clipped polygon's side along the box is a cut through land, not a coast)."""
    rings: dict[str, list[np.ndarray]] = {}
    for feature in collection["features"]:
        geometry = feature["geometry"]
        polygons = [geometry["coordinates"]] if geometry["type"] == "Polygon" else geometry["coordinates"]
        for polygon in polygons:
            rings.setdefault(feature["properties"]["iso_a3"], []).extend(np.asarray(r, float)[:, :2] for r in polygon)
    return {code: coast_lines(r) for code, r in rings.items()}


# -- the shipped grid ----------------------------------------------------------------------------


class CoastDistances:
    """Signed distance (km) to each coastal state's land on a regular grid: negative on its land.

    `dist[k, j, i]` is the value at lon0 + i * step, lat0 + j * step for `codes[k]`; values are
    clipped to +-`clip_km`. Between nodes the field is interpolated bilinearly, which is exact for
    a straight coast and errs only near corners of the coast and on the equidistant lines between
    two shores (tests/world/test_zones.py measures it).
    """

    def __init__(
        self,
        codes,
        lon0: float,
        lat0: float,
        step: float,
        dist: np.ndarray,
        clip_km: float,
        lines: dict[str, list[np.ndarray]] | None = None,
    ):
        self.codes: tuple[str, ...] = tuple(str(c) for c in codes)
        self.lines = lines  # the coasts the grid was built from, for exact answers near a limit
        self.lon0, self.lat0, self.step, self.clip_km = float(lon0), float(lat0), float(step), float(clip_km)
        self.dist = np.asarray(dist, dtype=float)
        self.ny, self.nx = self.dist.shape[1:]

    def __call__(self, lat, lon) -> np.ndarray:
        """Interpolated signed distance, shape (len(codes), *shape of the points); NaN off the grid."""
        lat, lon = np.broadcast_arrays(np.asarray(lat, dtype=float), np.asarray(lon, dtype=float))
        x = (np.mod(lon.ravel() + 180.0, 360.0) - 180.0 - self.lon0) / self.step
        y = (lat.ravel() - self.lat0) / self.step
        with np.errstate(invalid="ignore"):
            inside = (x >= 0) & (x <= self.nx - 1) & (y >= 0) & (y <= self.ny - 1)
        x, y = np.where(inside, x, 0.0), np.where(inside, y, 0.0)
        i = np.minimum(np.floor(x).astype(np.intp), self.nx - 2)
        j = np.minimum(np.floor(y).astype(np.intp), self.ny - 2)
        fx, fy = x - i, y - j
        d = self.dist
        value = (d[:, j, i] * (1 - fx) + d[:, j, i + 1] * fx) * (1 - fy) + (
            d[:, j + 1, i] * (1 - fx) + d[:, j + 1, i + 1] * fx
        ) * fy
        return np.where(inside, value, np.nan).reshape((len(self.codes), *lat.shape))

    def error_bound_km(self, lat) -> np.ndarray:
        """Most the interpolated value can be off, at latitude `lat`.

        A distance field is 1-Lipschitz, so a weighted mean of the four corners errs by at most the
        weighted mean distance to them, at most half the cell's diagonal (plus the 20 m quantisation).
        """
        dy = np.radians(self.step) * EARTH_RADIUS_KM
        dx = dy * np.cos(np.radians(np.clip(np.asarray(lat, dtype=float), -89.0, 89.0)))
        return 1.01 * 0.5 * np.hypot(dx, dy) + 0.01

    def exact(self, lat, lon) -> np.ndarray:
        """Unsigned exact distance to each code's coast, shape (len(codes), *shape): slow, use sparingly."""
        if self.lines is None:
            raise ValueError("this grid was built without its coast lines")
        return np.stack([boundary_distance_km(lat, lon, self.lines[c]) for c in self.codes])

    def to_bytes(self, resolution_km: float = 0.02) -> bytes:
        """The grid as a compressed .npz: int16 steps of `resolution_km`, differenced along rows
        (a distance field changes smoothly, so the differences are small and pack well)."""
        q = np.round(np.clip(self.dist, -self.clip_km, self.clip_km) / resolution_km).astype(np.int32)
        diff = np.diff(q, axis=2, prepend=0)
        if np.abs(diff).max() > np.iinfo(np.int16).max:
            raise ValueError("grid too coarse for int16 differences")
        out = io.BytesIO()
        np.savez_compressed(
            out,
            codes=np.asarray(self.codes),
            origin=np.array([self.lon0, self.lat0, self.step]),
            clip_km=self.clip_km,
            resolution_km=resolution_km,
            diff=diff.astype(np.int16),
        )
        return out.getvalue()

    @classmethod
    def from_bytes(cls, data: bytes) -> CoastDistances:
        with np.load(io.BytesIO(data)) as z:
            dist = np.cumsum(z["diff"].astype(np.int32), axis=2) * float(z["resolution_km"])
            lon0, lat0, step = z["origin"]
            return cls(z["codes"], lon0, lat0, step, dist, float(z["clip_km"]))


@functools.cache
def coast_distances() -> CoastDistances:
    """The grid shipped with the package, with the coasts it was built from; loaded once per process."""
    grid = CoastDistances.from_bytes(resources.files("sim.world").joinpath(DATA_FILE).read_bytes())
    text = resources.files("sim.world").joinpath(GEOJSON_FILE).read_text(encoding="utf-8")
    grid.lines = coast_lines_by_code(json.loads(text))
    return grid


# -- the questions the engine asks ---------------------------------------------------------------


def coast_distance_km(lat, lon, country: str, exact: bool = False) -> np.ndarray:
    """Signed distance from each point to `country`'s land: positive outside it (at sea, or abroad),
    negative on it, in km.

    At sea this is the distance to its coast, the d of Phi(-d / sigma), the chance that a predicted
    impact with error sigma falls on the far side of a locally straight coast. On land it is the
    distance to the nearest edge of the country, coast or land border. The sign always follows the
    exact polygon test; the size comes from the grid (NaN off the map, off by at most
    `CoastDistances.error_bound_km`, some 3.5 km) or, with `exact`, from the coast itself.
    """
    grid = coast_distances()
    if country not in grid.codes:
        raise ValueError(f"no coast distances for {country!r}: have {', '.join(grid.codes)}")
    d = grid(lat, lon)[grid.codes.index(country)]
    if exact and grid.lines is not None:
        d = np.where(np.isnan(d), np.nan, boundary_distance_km(lat, lon, grid.lines[country]))
    world = territories()
    on_land = world.names(lat, lon) == country
    return np.where(on_land, -np.abs(d), np.abs(d))[()]


def zone_of(
    lat, lon, own: str = "RUS", eez: bool = True, world: Territories | None = None, grid: CoastDistances | None = None
) -> np.ndarray:
    """`Zone` of each point (small ints, the shape of the inputs) as seen by the state `own`.

    At sea the nearest coastal state owns the water (equidistance); within 12 nm of its land it is
    that state's territorial sea, within 200 nm its economic zone (or high seas with `eez=False`),
    beyond that high seas. Points outside the shipped map are `Zone.OFF_MAP`. The answer is exact
    for the shipped coasts: points the grid leaves in doubt (within its error bound of a limit or of
    the equidistant line) are measured exactly, which costs about 1 ms per 100 such points.
    """
    world = world or territories()
    grid = grid or coast_distances()
    lat, lon = np.broadcast_arrays(np.asarray(lat, dtype=float), np.asarray(lon, dtype=float))
    shape, lat, lon = lat.shape, lat.ravel(), lon.ravel()
    code = np.asarray(world.codes)[world.lookup(lat, lon)]
    d = grid(lat, lon)
    at_sea = (code == SEA) & ~np.isnan(d[0])
    if grid.lines is not None and at_sea.any():
        # Where the grid cannot tell which side of a limit a point is on, ask the coast itself.
        order = np.sort(d, axis=0)
        bound = grid.error_bound_km(lat)
        doubtful = (np.abs(order[0] - TERRITORIAL_SEA_KM) <= bound) | (order[1] - order[0] <= 2 * bound)
        if eez:
            doubtful |= np.abs(order[0] - EEZ_KM) <= bound
        doubtful &= at_sea
        if doubtful.any():
            d[:, doubtful] = grid.exact(lat[doubtful], lon[doubtful])
    nearest = np.argmin(np.where(np.isnan(d), np.inf, d), axis=0)
    dist = np.take_along_axis(d, nearest[None], axis=0)[0]
    ours = np.asarray(grid.codes)[nearest] == own
    sea_zone = np.where(
        dist <= TERRITORIAL_SEA_KM,
        np.where(ours, Zone.OWN_TERRITORIAL_SEA, Zone.FOREIGN_TERRITORIAL_SEA),
        np.where(eez & (dist <= EEZ_KM), np.where(ours, Zone.OWN_EEZ, Zone.FOREIGN_EEZ), Zone.HIGH_SEAS),
    )
    land_zone = np.where(code == own, Zone.OWN_LAND, Zone.FOREIGN_LAND)
    zone = np.where(code == SEA, sea_zone, land_zone)
    zone = np.where(world.covers(lat, lon) & ~np.isnan(dist), zone, Zone.OFF_MAP)
    return zone.astype(np.int8).reshape(shape)[()]


def zone_names(zone) -> np.ndarray:
    """Names ("OWN_LAND", ...) of zone ints, for reports and tests."""
    names = np.array([z.name for z in Zone])
    return names[np.asarray(zone, dtype=np.intp)]
