"""Territory lookup: known places, the Tumen border, and agreement with plain ray casting."""

import numpy as np
import pytest

from sim.world.geo import destination
from sim.world.sites import SITES
from sim.world.territory import Territories, territories, territory_names


@pytest.fixture(scope="module")
def world():
    return territories()


def test_codes_start_with_the_sea_and_hold_the_countries(world):
    assert world.codes == ("SEA", "CHN", "JPN", "KOR", "MNG", "PRK", "RUS")


@pytest.mark.parametrize(
    "site, code",
    [
        ("vladivostok", "RUS"),
        ("khabarovsk", "RUS"),
        ("nakhodka", "RUS"),
        ("ussuriysk", "RUS"),
        ("pyongyang", "PRK"),
        ("sinpo", "PRK"),
        ("sunan", "PRK"),
        ("pukchang", "PRK"),
        ("kusong", "PRK"),
        ("tokyo", "JPN"),
        ("seoul", "KOR"),
    ],
)
def test_known_places(world, site, code):
    s = SITES[site]
    assert world.names(s.lat, s.lon) == code


@pytest.mark.parametrize(
    "lat, lon, code",
    [
        (40.0, 135.0, "SEA"),  # Sea of Japan
        (35.0, 125.0, "SEA"),  # Yellow Sea
        (45.0, 125.0, "CHN"),  # Changchun area
        (49.2, 119.7, "CHN"),  # Hailar, Inner Mongolia
        (47.0, 117.0, "MNG"),  # eastern Mongolia (Dornod)
        (43.06, 141.35, "JPN"),  # Sapporo, Hokkaido (an island polygon)
        (33.5, 126.5, "KOR"),  # Jeju island
    ],
)
def test_reference_points(world, lat, lon, code):
    assert world.names(lat, lon) == code


def test_just_each_side_of_the_tumen_at_the_friendship_bridge(world):
    # The river runs north-west to south-east here: Russia to the north-east, the DPRK south-west.
    bridge = SITES["khasan"]
    russia_side = destination(bridge.lat, bridge.lon, 45.0, 5.0)
    korea_side = destination(bridge.lat, bridge.lon, 225.0, 5.0)
    assert world.names(*russia_side) == "RUS"
    assert world.names(*korea_side) == "PRK"


def test_outside_the_clipped_box_is_reported_as_sea(world):
    assert list(world.names([60.0, 20.0, 40.0, 40.0], [130.0, 130.0, 100.0, 160.0])) == ["SEA"] * 4
    assert world.names(np.nan, 130.0) == "SEA"


def test_longitudes_wrap(world):
    tokyo = SITES["tokyo"]
    assert world.names(tokyo.lat, tokyo.lon - 360.0) == "JPN"


def test_shapes_broadcast(world):
    codes = world.lookup(np.full((4, 3), 43.115), 131.8853)
    assert codes.shape == (4, 3) and np.all(codes == world.codes.index("RUS"))
    assert np.asarray(world.lookup(43.115, 131.8853)).shape == ()
    assert territory_names([43.115], [131.8853]).tolist() == ["RUS"]


def test_loaded_once(world):
    assert territories() is world


# -- exactness: the raster shortcut must agree with the plain even-odd rule everywhere -------------


def _ray_cast(world, lat, lon):
    """Reference answer: cast a ray west from each point across every edge of every country."""
    x0, y0, x1, y1 = world._edges
    out = np.zeros(lat.size, dtype=int)
    for k, (y, x) in enumerate(zip(lat, lon)):
        crosses = (y0 > y) != (y1 > y)
        x_at = x0[crosses] + (y - y0[crosses]) * (x1[crosses] - x0[crosses]) / (y1[crosses] - y0[crosses])
        odd = np.bincount(world._owner[crosses][x_at < x], minlength=len(world.codes)) % 2
        odd[0] = 0
        out[k] = odd.argmax()
    return out


def test_agrees_with_ray_casting_at_random_points(world):
    rng = np.random.default_rng(7)
    lat, lon = rng.uniform(30, 56, 3000), rng.uniform(115, 150, 3000)
    np.testing.assert_array_equal(world.lookup(lat, lon), _ray_cast(world, lat, lon))


def test_agrees_with_ray_casting_next_to_borders_and_coasts(world):
    rng = np.random.default_rng(8)
    x0, y0 = world._edges[0], world._edges[1]
    pick = rng.integers(0, x0.size, 3000)
    lat = y0[pick] + rng.normal(0, 0.01, pick.size)
    lon = x0[pick] + rng.normal(0, 0.01, pick.size)
    np.testing.assert_array_equal(world.lookup(lat, lon), _ray_cast(world, lat, lon))


def test_holes_and_multipolygons_by_the_even_odd_rule():
    square = lambda x, y, s: np.array([[x, y], [x + s, y], [x + s, y + s], [x, y + s], [x, y]], dtype=float)
    t = Territories(
        {
            "AAA": [square(0, 0, 1.0), square(0.25, 0.25, 0.5)],  # a square with a hole
            "BBB": [square(2, 0, 0.3), square(2.5, 0, 0.3)],
        },  # two islands
        cell_deg=0.2,
    )
    lat = np.array([0.1, 0.5, 0.9, 0.5, 0.1, 0.1, 0.1, 0.5])
    lon = np.array([0.1, 0.5, 0.5, 0.26, 2.1, 2.4, 2.6, 2.1])
    assert t.names(lat, lon).tolist() == ["AAA", "SEA", "AAA", "SEA", "BBB", "SEA", "BBB", "SEA"]
