"""Zones by the law of the sea: exact distances, the shipped grid, and places whose answer we know."""

import itertools
import json
from importlib import resources

import numpy as np
import pytest

from sim.world.geo import destination, great_circle_km, initial_bearing_deg
from sim.world.sites import SITES
from sim.world.territory import Territories
from sim.world.zones import (
    EEZ_KM,
    TERRITORIAL_SEA_KM,
    CoastDistances,
    Zone,
    boundary_distance_km,
    coast_distance_km,
    coast_distances,
    coast_lines_by_code,
    zone_names,
    zone_of,
)


@pytest.fixture(scope="module")
def lines():
    text = resources.files("sim.world").joinpath("data/northeast_asia.geojson").read_text(encoding="utf-8")
    return coast_lines_by_code(json.loads(text))


def brute_force_km(lat, lon, lines, spacing_km=0.1):
    """Independent check: haversine to points every `spacing_km` along the coast's great-circle arcs
    (error under spacing / 2)."""
    pts = []
    for line in lines:
        for (x0, y0), (x1, y1) in itertools.pairwise(line):
            n = max(1, int(np.ceil(great_circle_km(y0, x0, y1, x1) / spacing_km)))
            bearing = initial_bearing_deg(y0, x0, y1, x1)
            la, lo = destination(y0, x0, bearing, np.linspace(0.0, great_circle_km(y0, x0, y1, x1), n + 1))
            pts.append(np.column_stack([lo, la]))
    pts = np.concatenate(pts)
    lat, lon = np.atleast_1d(lat), np.atleast_1d(lon)
    return np.array([great_circle_km(a, b, pts[:, 1], pts[:, 0]).min() for a, b in zip(lat, lon)])


def test_the_legal_widths():
    assert TERRITORIAL_SEA_KM == pytest.approx(22.224, abs=1e-12)  # UNCLOS Art. 3, 1 nm = 1852 m
    assert EEZ_KM == pytest.approx(370.4, abs=1e-12)


# -- exact distance against closed forms ----------------------------------------------------------

MERIDIAN = [np.array([[130.0, 20.0], [130.0, 40.0], [130.0, 60.0]])]  # a straight coast along 130 E


@pytest.mark.parametrize("d_km", [0.5, 10.0, 22.224, 100.0, 370.4, 1000.0])
def test_distance_from_a_straight_coast(d_km):
    # Leaving the meridian at right angles (bearing 90) the great circle is perpendicular to it, so the
    # distance along it is the distance from the coast.
    lat, lon = destination(45.0, 130.0, 90.0, d_km)
    assert boundary_distance_km(lat, lon, MERIDIAN) == pytest.approx(d_km, rel=1e-9, abs=1e-9)


def test_distance_beyond_the_end_of_a_coast_is_to_its_end():
    lat, lon = destination(60.0, 130.0, 20.0, 50.0)  # north of the northern end
    assert boundary_distance_km(lat, lon, MERIDIAN) == pytest.approx(great_circle_km(lat, lon, 60.0, 130.0), rel=1e-9)


def test_distance_agrees_with_brute_force_on_the_real_coast(lines):
    rng = np.random.default_rng(1)
    lat, lon = rng.uniform(41.0, 44.0, 40), rng.uniform(130.0, 134.0, 40)
    exact = boundary_distance_km(lat, lon, lines["RUS"])
    assert np.abs(exact - brute_force_km(lat, lon, lines["RUS"], spacing_km=0.05)).max() < 0.025


# -- the zone rule on a synthetic straight coast --------------------------------------------------


def synthetic():
    """Own land west of 130 E, a foreign island square far east: a grid built as the tool builds it."""
    own = np.array([[120.0, 40.0], [130.0, 40.0], [130.0, 50.0], [120.0, 50.0], [120.0, 40.0]])
    foreign = np.array([[140.0, 44.0], [141.0, 44.0], [141.0, 46.0], [140.0, 46.0], [140.0, 44.0]])
    world = Territories({"AAA": [own], "BBB": [foreign]})
    lats, lons = np.arange(40.0, 50.001, 0.05), np.arange(120.0, 145.001, 0.05)
    lat, lon = np.meshgrid(lats, lons, indexing="ij")
    names = world.names(lat, lon)
    layers = [
        np.where(names == c, -d, d)
        for c, d in (
            ("AAA", boundary_distance_km(lat, lon, [own[1:3]])),
            ("BBB", boundary_distance_km(lat, lon, [foreign])),
        )
    ]
    return world, CoastDistances(
        ("AAA", "BBB"), 120.0, 40.0, 0.05, np.stack(layers), 640.0, lines={"AAA": [own[1:3]], "BBB": [foreign]}
    )


@pytest.mark.parametrize(
    "d_km, zone",
    [
        (-5.0, Zone.OWN_LAND),
        (0.3, Zone.OWN_TERRITORIAL_SEA),
        (22.2, Zone.OWN_TERRITORIAL_SEA),
        (22.25, Zone.OWN_EEZ),
        (300.0, Zone.OWN_EEZ),
        (370.35, Zone.OWN_EEZ),
        (370.45, Zone.HIGH_SEAS),
    ],
)
def test_zones_off_a_straight_coast(d_km, zone):
    world, grid = synthetic()
    lat, lon = destination(45.0, 130.0, 90.0, d_km) if d_km > 0 else destination(45.0, 130.0, 270.0, -d_km)
    assert zone_of(lat, lon, own="AAA", world=world, grid=grid) == zone


def test_equidistance_splits_the_water_and_eez_can_be_switched_off():
    world, grid = synthetic()
    # Between the coast at 130 E and the island at 140 E (about 790 km apart at 45 N): the nearer owns it.
    lat, lon = np.full(3, 45.0), np.array([134.0, 136.0, 139.8])
    assert list(zone_of(lat, lon, own="AAA", world=world, grid=grid)) == [
        Zone.OWN_EEZ,
        Zone.FOREIGN_EEZ,
        Zone.FOREIGN_TERRITORIAL_SEA,
    ]
    assert list(zone_of(lat, lon, own="AAA", eez=False, world=world, grid=grid)) == [
        Zone.HIGH_SEAS,
        Zone.HIGH_SEAS,
        Zone.FOREIGN_TERRITORIAL_SEA,
    ]
    assert zone_of(45.0, 140.5, own="AAA", world=world, grid=grid) == Zone.FOREIGN_LAND


# -- the shipped grid ------------------------------------------------------------------------------


def test_the_shipped_grid_holds_the_exact_distances_at_its_nodes(lines):
    grid = coast_distances()
    assert grid.codes == ("CHN", "JPN", "KOR", "PRK", "RUS")
    rng = np.random.default_rng(2)
    j, i = rng.integers(0, grid.ny, 300), rng.integers(0, grid.nx, 300)
    lat, lon = grid.lat0 + j * grid.step, grid.lon0 + i * grid.step
    k = grid.codes.index("RUS")
    exact = np.minimum(boundary_distance_km(lat, lon, lines["RUS"]), grid.clip_km)
    assert np.abs(np.abs(grid.dist[k, j, i]) - exact).max() <= 0.011  # the 20 m quantisation, rounded


def test_interpolation_error_near_the_russian_coast_stays_inside_its_bound(lines):
    """Between nodes the grid is bilinear: measured against the exact distance at random sea points
    within 100 km of Primorye's coast. Measured: median some 30 m, 99th percentile about 1 km, worst
    about 2 km (in narrow bays and between islands), all under the proven bound of about 3.5 km."""
    rng = np.random.default_rng(3)
    lat, lon = rng.uniform(41.5, 44.0, 3000), rng.uniform(130.5, 134.0, 3000)
    exact = boundary_distance_km(lat, lon, lines["RUS"])
    near = exact < 100.0
    lat, lon, exact = lat[near], lon[near], exact[near]
    got = coast_distance_km(lat, lon, "RUS")
    at_sea = got > 0
    err = np.abs(got - exact)[at_sea]
    assert at_sea.sum() > 500
    assert np.median(err) < 0.1
    assert np.all(err <= coast_distances().error_bound_km(lat[at_sea]))
    assert coast_distance_km(lat, lon, "RUS", exact=True)[at_sea] == pytest.approx(exact[at_sea], abs=1e-9)


def test_exact_at_the_twelve_mile_limit_on_the_real_coast(lines):
    """Points 100 m either side of the limit (found by bisection on the exact distance, walking out
    from the Russian shore) fall on their side even though the grid alone cannot tell."""
    starts = [(43.2, 131.8, 200.0), (42.85, 132.9, 180.0), (42.5, 130.7, 120.0), (44.5, 136.3, 110.0)]
    for lat0, lon0, bearing in starts:
        lo, hi = 0.0, 80.0
        for _ in range(50):
            mid = (lo + hi) / 2
            lat, lon = destination(lat0, lon0, bearing, mid)
            if boundary_distance_km(lat, lon, lines["RUS"]) < TERRITORIAL_SEA_KM:
                lo = mid
            else:
                hi = mid
        inside = destination(lat0, lon0, bearing, lo - 0.1)
        outside = destination(lat0, lon0, bearing, lo + 0.1)
        assert boundary_distance_km(*outside, lines["RUS"]) > TERRITORIAL_SEA_KM  # still the same limit
        assert zone_of(*inside) == Zone.OWN_TERRITORIAL_SEA, (lat0, lon0)
        assert zone_of(*outside) in (Zone.OWN_EEZ, Zone.FOREIGN_EEZ, Zone.FOREIGN_TERRITORIAL_SEA), (lat0, lon0)


# -- places whose answer we know -------------------------------------------------------------------


def test_vladivostok_is_own_land_and_khabarovsk_too():
    for site in ("vladivostok", "khabarovsk"):
        s = SITES[site]
        assert zone_of(s.lat, s.lon) == Zone.OWN_LAND
        assert coast_distance_km(s.lat, s.lon, "RUS") < 0


def test_pyongyang_and_tokyo_are_foreign_land():
    for site in ("pyongyang", "tokyo"):
        s = SITES[site]
        assert zone_of(s.lat, s.lon, own="RUS") == Zone.FOREIGN_LAND


@pytest.mark.slow
def test_out_from_vladivostok_into_peter_the_great_gulf(lines):
    """Walking south-south-east from the city into the open gulf: where the brute-force distance to the
    Russian shore is 15 km the water is territorial sea, where it is 30 km it is economic zone (the
    normal baseline: no closing line across the gulf; see the zones module note)."""
    s = SITES["vladivostok"]
    lat, lon = destination(s.lat, s.lon, 160.0, np.arange(1.0, 120.0, 0.5))
    d = brute_force_km(lat, lon, lines["RUS"])
    at_15, at_30 = np.argmax(d >= 15.0), np.argmax(d >= 30.0)
    assert d[at_30] < 31.0
    zones = zone_of(lat[[at_15, at_30]], lon[[at_15, at_30]])
    assert list(zone_names(zones)) == ["OWN_TERRITORIAL_SEA", "OWN_EEZ"]


def test_amur_bay_is_territorial_sea():
    # Amur Bay, between the Vladivostok peninsula and the western shore: a few km from land each way.
    assert zone_of(43.2, 131.8) == Zone.OWN_TERRITORIAL_SEA


def test_owner_at_sea_is_the_nearer_coast_everywhere(lines):
    """Random sea points off Khasan, in the Korea Strait and the Sea of Japan: the owning state is the
    one whose coast is nearest by brute force (where the two nearest differ by more than a km)."""
    rng = np.random.default_rng(4)
    lat, lon = rng.uniform(33.0, 44.0, 150), rng.uniform(128.0, 136.0, 150)
    z = zone_of(lat, lon, own="RUS")
    sea = np.isin(z, [Zone.OWN_TERRITORIAL_SEA, Zone.OWN_EEZ, Zone.FOREIGN_TERRITORIAL_SEA, Zone.FOREIGN_EEZ])
    lat, lon, z = lat[sea], lon[sea], z[sea]
    d = np.stack([brute_force_km(lat, lon, lines[c], spacing_km=0.5) for c in ("JPN", "KOR", "PRK", "RUS")])
    ordered = np.sort(d, axis=0)
    clear = ordered[1] - ordered[0] > 1.0
    russian = np.argmin(d, axis=0) == 3
    own = np.isin(z, [Zone.OWN_TERRITORIAL_SEA, Zone.OWN_EEZ])
    assert clear.sum() > 50
    assert np.array_equal(own[clear], russian[clear])
    near = ordered[0]
    ts = np.isin(z, [Zone.OWN_TERRITORIAL_SEA, Zone.FOREIGN_TERRITORIAL_SEA])
    sure = clear & (np.abs(near - TERRITORIAL_SEA_KM) > 1.0)
    assert np.array_equal(ts[sure], near[sure] <= TERRITORIAL_SEA_KM)


def test_far_pacific_is_high_seas_and_off_the_map_is_off_map():
    assert zone_of(31.0, 149.0) == Zone.HIGH_SEAS  # some 800 km east of Honshu
    assert list(zone_of([60.0, 40.0, np.nan], [130.0, 160.0, 130.0])) == [Zone.OFF_MAP] * 3


def test_vectorised_shape_and_unknown_country():
    lat = np.full((4, 5), 43.2)
    lon = np.full((4, 5), 131.8)
    assert zone_of(lat, lon).shape == (4, 5)
    assert coast_distance_km(lat, lon, "RUS").shape == (4, 5)
    with pytest.raises(ValueError, match="MNG"):
        coast_distance_km(45.0, 110.0, "MNG")
