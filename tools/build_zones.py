"""Build sim/world/data/coast_distance.npz: the signed distance to each coastal state's land.

    python tools/build_zones.py            # rewrite the shipped grid
    python tools/build_zones.py --check    # exit 1 if the shipped grid differs from a fresh build

The grid covers the shipped map (lon 115..150, lat 30..56) every 0.05 deg, the resolution of the
territory raster. Each node gets the exact great-circle distance (`zones.boundary_distance_km`) to
the edges of each coastal state's Natural Earth polygons, negative on that state's land (exact
polygon test, `territory`). Edges that only run along the map's clipping box are not coast and are
left out. Landlocked Mongolia owns no water and has no layer. Takes about a minute.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from sim.world.territory import MAP_BOX, territories  # noqa: E402
from sim.world.zones import (  # noqa: E402
    DATA_FILE,
    CoastDistances,
    boundary_distance_km,
    coast_lines_by_code,
)

STEP_DEG = 0.05
CLIP_KM = 640.0  # beyond the 370.4 km of an EEZ with room to spare; int16 steps of 20 m reach 655 km
COASTAL = ("CHN", "JPN", "KOR", "PRK", "RUS")
OUT = ROOT / "sim" / "world" / DATA_FILE


def build() -> CoastDistances:
    text = (ROOT / "sim" / "world" / "data" / "northeast_asia.geojson").read_text(encoding="utf-8")
    lines = coast_lines_by_code(json.loads(text))
    lon0, lat0, lon1, lat1 = MAP_BOX
    lons = lon0 + STEP_DEG * np.arange(round((lon1 - lon0) / STEP_DEG) + 1)
    lats = lat0 + STEP_DEG * np.arange(round((lat1 - lat0) / STEP_DEG) + 1)
    lat, lon = np.meshgrid(lats, lons, indexing="ij")
    names = territories().names(lat, lon)
    layers = []
    for code in COASTAL:
        d = boundary_distance_km(lat, lon, lines[code])
        layers.append(np.where(names == code, -d, d))
    return CoastDistances(COASTAL, lon0, lat0, STEP_DEG, np.clip(np.stack(layers), -CLIP_KM, CLIP_KM), CLIP_KM)


def main(argv: list[str]) -> int:
    data = build().to_bytes()
    if "--check" in argv:
        current = OUT.read_bytes() if OUT.exists() else b""
        same = current and np.array_equal(CoastDistances.from_bytes(current).dist, CoastDistances.from_bytes(data).dist)
        print(f"{OUT}: {'current' if same else 'OUT OF DATE'}")
        return 0 if same else 1
    OUT.write_bytes(data)
    print(f"wrote {OUT} ({len(data) / 1e6:.2f} MB)")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
