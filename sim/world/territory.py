"""Whose territory a point is in: the Natural Earth 1:50m country polygons of north-east Asia.

The question "did it come down on our soil, a neighbour's, or the sea?" is asked for every threat of
every replication, so lookups must be cheap: a raster of 0.05 deg cells answers at once for cells that
lie wholly inside one country or wholly at sea; only points in cells a border or coast runs through
are tested exactly, by counting how often the segment from the cell's centre (whose answer is known)
to the point crosses the few polygon edges near that cell (even-odd rule, so holes and islands come
free).

The polygons are clipped to lon 115..150, lat 30..56. A point outside that box, or not finite, is
reported as "SEA": the data say nothing there, and no threat in the scenarios lands there.
"""

from __future__ import annotations

import functools
import json
from importlib import resources

import numpy as np

SEA = "SEA"
CELL_DEG = 0.05
_EPS = 1e-9


MAP_BOX = (115.0, 30.0, 150.0, 56.0)  # lon min, lat min, lon max, lat max of the shipped polygons


class Territories:
    """Point-in-country lookup over a set of named polygons.

    `codes[0]` is always "SEA" (no polygon); the others are ISO 3166 alpha-3 codes, sorted.
    """

    def __init__(self, rings_by_code: dict[str, list[np.ndarray]], cell_deg: float = CELL_DEG):
        self.codes: tuple[str, ...] = (SEA, *sorted(rings_by_code))
        self.cell_deg = float(cell_deg)
        x0, y0, x1, y1, owner = _edges(rings_by_code, self.codes)
        self._edges = np.stack([x0, y0, x1, y1])
        self._owner = owner
        d = self.cell_deg
        self.lon0 = np.floor(min(x0.min(), x1.min()) / d) * d - d
        self.lat0 = np.floor(min(y0.min(), y1.min()) / d) * d - d
        self.nx = int(np.ceil((max(x0.max(), x1.max()) - self.lon0) / d)) + 1
        self.ny = int(np.ceil((max(y0.max(), y1.max()) - self.lat0) / d)) + 1
        self._centre_label = self._label_cell_centres()
        self._cell_start, self._cell_edges = self._edges_by_cell()

    def covers(self, lat, lon) -> np.ndarray:
        """Whether the map data reaches these points at all (outside it, "SEA" only means "no data")."""
        lat, lon = np.asarray(lat, dtype=float), np.asarray(lon, dtype=float)
        return (MAP_BOX[0] <= lon) & (lon <= MAP_BOX[2]) & (MAP_BOX[1] <= lat) & (lat <= MAP_BOX[3])

    @classmethod
    def from_geojson(cls, collection: dict, cell_deg: float = CELL_DEG) -> Territories:
        """Build from a GeoJSON FeatureCollection of (Multi)Polygons with an `iso_a3` property."""
        rings: dict[str, list[np.ndarray]] = {}
        for feature in collection["features"]:
            geometry = feature["geometry"]
            polygons = geometry["coordinates"]
            if geometry["type"] == "Polygon":
                polygons = [polygons]
            code = feature["properties"]["iso_a3"]
            for polygon in polygons:
                rings.setdefault(code, []).extend(np.asarray(r, dtype=float)[:, :2] for r in polygon)
        return cls(rings, cell_deg)

    # -- lookups -------------------------------------------------------------------------------

    def lookup(self, lat, lon) -> np.ndarray:
        """Index into `codes` of the territory holding each point (0 = sea / no polygon)."""
        lat, lon = np.broadcast_arrays(np.asarray(lat, dtype=float), np.asarray(lon, dtype=float))
        shape = lat.shape
        y = lat.ravel()
        x = np.mod(lon.ravel() + 180.0, 360.0) - 180.0
        with np.errstate(invalid="ignore"):
            fi = np.floor((x - self.lon0) / self.cell_deg)
            fj = np.floor((y - self.lat0) / self.cell_deg)
        known = (fi >= 0) & (fi < self.nx) & (fj >= 0) & (fj < self.ny)
        out = np.zeros(y.size, dtype=np.intp)
        idx = np.flatnonzero(known)
        cell = fj[idx].astype(np.intp) * self.nx + fi[idx].astype(np.intp)
        out[idx] = self._centre_label[cell]
        edgy = self._cell_start[cell + 1] > self._cell_start[cell]
        if edgy.any():
            pts, cells = idx[edgy], cell[edgy]
            out[pts] = self._exact(x[pts], y[pts], cells)
        return out.reshape(shape)

    def names(self, lat, lon) -> np.ndarray:
        """ISO alpha-3 code (or "SEA") of the territory holding each point."""
        return np.asarray(self.codes)[self.lookup(lat, lon)]

    # -- building ------------------------------------------------------------------------------

    def _cell_centre(self, cell):
        i, j = cell % self.nx, cell // self.nx
        return self.lon0 + (i + 0.5) * self.cell_deg, self.lat0 + (j + 0.5) * self.cell_deg

    def _label_cell_centres(self) -> np.ndarray:
        """Exact label of every cell centre, one scanline per raster row (even-odd rule)."""
        x0, y0, x1, y1 = self._edges
        d, nx, ny = self.cell_deg, self.nx, self.ny
        yc = self.lat0 + (np.arange(ny) + 0.5) * d
        row, edge = np.nonzero((y0[None, :] > yc[:, None]) != (y1[None, :] > yc[:, None]))
        t = (yc[row] - y0[edge]) / (y1[edge] - y0[edge])
        x_cross = x0[edge] + t * (x1[edge] - x0[edge])
        # Centres to the right of a crossing see it on their leftward ray: toggle from there on.
        first_right = np.clip(np.floor((x_cross - self.lon0) / d - 0.5).astype(np.intp) + 1, 0, nx)
        n_codes = len(self.codes)
        flat = (self._owner[edge] * ny + row) * (nx + 1) + first_right
        toggles = np.bincount(flat, minlength=n_codes * ny * (nx + 1)).reshape(n_codes, ny, nx + 1)
        inside = (np.cumsum(toggles, axis=2)[:, :, :nx] % 2).astype(bool)
        inside[0] = False
        label = np.argmax(inside, axis=0)  # first owning country; 0 where none
        return label.ravel().astype(np.int8)

    def _edges_by_cell(self):
        """For every cell, the edges whose bounding box touches it (CSR: start offsets, edge ids)."""
        x0, y0, x1, y1 = self._edges
        d = self.cell_deg
        i_lo = np.floor((np.minimum(x0, x1) - self.lon0) / d - _EPS).astype(np.intp)
        i_hi = np.floor((np.maximum(x0, x1) - self.lon0) / d + _EPS).astype(np.intp)
        j_lo = np.floor((np.minimum(y0, y1) - self.lat0) / d - _EPS).astype(np.intp)
        j_hi = np.floor((np.maximum(y0, y1) - self.lat0) / d + _EPS).astype(np.intp)
        wi, wj = i_hi - i_lo + 1, j_hi - j_lo + 1
        per_edge = wi * wj
        edge = np.repeat(np.arange(x0.size), per_edge)
        k = np.arange(edge.size) - np.repeat(np.cumsum(per_edge) - per_edge, per_edge)
        i = i_lo[edge] + k % wi[edge]
        j = j_lo[edge] + k // wi[edge]
        cell = j * self.nx + i
        order = np.argsort(cell, kind="stable")
        counts = np.bincount(cell, minlength=self.nx * self.ny)
        start = np.concatenate([[0], np.cumsum(counts)])
        return start, edge[order]

    def _exact(self, x, y, cells) -> np.ndarray:
        """Labels of points in border cells: the centre's label, flipped per crossing of each owner."""
        start, stop = self._cell_start[cells], self._cell_start[cells + 1]
        n = stop - start
        point = np.repeat(np.arange(x.size), n)
        offset = np.arange(point.size) - np.repeat(np.cumsum(n) - n, n)
        edge = self._cell_edges[start[point] + offset]
        cx, cy = self._cell_centre(cells)
        px, py, qx, qy = cx[point], cy[point], x[point], y[point]
        ax, ay, bx, by = self._edges[:, edge]
        # Segment centre->point crosses edge a->b: a, b on opposite sides of the segment's line and
        # centre, point on opposite sides of the edge's line ("> 0" versus "<= 0": a vertex lying on
        # the segment is counted once over its two edges).
        side_a = (qx - px) * (ay - py) - (qy - py) * (ax - px) > 0
        side_b = (qx - px) * (by - py) - (qy - py) * (bx - px) > 0
        side_p = (bx - ax) * (py - ay) - (by - ay) * (px - ax) > 0
        side_q = (bx - ax) * (qy - ay) - (by - ay) * (qx - ax) > 0
        crossing = (side_a != side_b) & (side_p != side_q)
        n_codes = len(self.codes)
        flips = np.bincount(point * n_codes + self._owner[edge], weights=crossing, minlength=x.size * n_codes)
        inside = (flips.reshape(x.size, n_codes) % 2).astype(bool)
        inside ^= self._centre_label[cells][:, None] == np.arange(n_codes)[None, :]
        inside[:, 0] = False
        return np.argmax(inside, axis=1)


def _edges(rings_by_code, codes):
    """All polygon edges as arrays x0, y0, x1, y1 (lon/lat degrees) and the code index owning each."""
    parts = []
    for code, rings in rings_by_code.items():
        for ring in rings:
            a, b = ring[:-1], ring[1:]
            keep = np.any(a != b, axis=1)
            a, b = a[keep], b[keep]
            parts.append((a[:, 0], a[:, 1], b[:, 0], b[:, 1], np.full(len(a), codes.index(code), np.intp)))
    return tuple(np.concatenate(col) for col in zip(*parts))


@functools.cache
def territory_codes() -> tuple[str, ...]:
    """The ISO alpha-3 codes of the shipped territories, read without building the lookup (for validation)."""
    text = resources.files("sim.world").joinpath("data/northeast_asia.geojson").read_text(encoding="utf-8")
    return tuple(sorted({f["properties"]["iso_a3"] for f in json.loads(text)["features"]}))


@functools.cache
def territories() -> Territories:
    """The north-east Asia territories shipped with the package, loaded once per process."""
    text = resources.files("sim.world").joinpath("data/northeast_asia.geojson").read_text(encoding="utf-8")
    return Territories.from_geojson(json.loads(text))


def territory_names(lat, lon) -> np.ndarray:
    """Shorthand for `territories().names(lat, lon)`."""
    return territories().names(lat, lon)
