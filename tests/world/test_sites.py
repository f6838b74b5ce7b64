"""Named places: the public coordinates, name matching, and errors a trainer can act on."""

import pytest

from sim.world.sites import SITES, parse_place

BRIEF_FIGURES = {  # model.md, public figures
    "vladivostok": (43.1150, 131.8853),
    "khabarovsk": (48.4667, 135.1000),
    "khasan": (42.4217, 130.6026),
    "sinpo": (40.0347, 128.1856),
    "musudan_ri": (40.85, 129.667),
    "sunan": (39.2239, 125.6700),
}


@pytest.mark.parametrize("name", sorted(BRIEF_FIGURES))
def test_sites_carry_the_brief_figures(name):
    assert (SITES[name].lat, SITES[name].lon) == BRIEF_FIGURES[name]
    assert "model" in SITES[name].source


def test_every_required_site_is_there_with_a_source():
    required = {
        "sinpo",
        "musudan_ri",
        "sunan",
        "pukchang",
        "kusong",
        "vladivostok",
        "khabarovsk",
        "khasan",
        "nakhodka",
        "ussuriysk",
        "pyongyang",
        "seoul",
        "tokyo",
        "niigata",
    }
    assert required <= set(SITES)
    for name in required - set(BRIEF_FIGURES):
        assert SITES[name].source == "public gazetteer coordinates"
    for site in SITES.values():
        assert -90 <= site.lat <= 90 and -180 <= site.lon <= 180 and site.description


@pytest.mark.parametrize("text", ["musudan_ri", "Musudan-Ri", "MUSUDAN RI", " musudan--ri ", "tonghae", "Tonghae"])
def test_names_match_case_and_separator_insensitively_with_aliases(text):
    assert parse_place(text) == BRIEF_FIGURES["musudan_ri"]


@pytest.mark.parametrize(
    "text, expected",
    [
        ("43.1,131.9", (43.1, 131.9)),
        (" -33.86 , 151.21 ", (-33.86, 151.21)),
        ("+40,.5", (40.0, 0.5)),
    ],
)
def test_lat_lon_strings(text, expected):
    assert parse_place(text) == expected


def test_a_pair_passes_through():
    assert parse_place((40.0, 128.0)) == (40.0, 128.0)


def test_a_near_miss_suggests_the_name():
    with pytest.raises(ValueError, match="did you mean vladivostok"):
        parse_place("vladivostk")


def test_an_unknown_name_lists_the_known_ones_on_one_line():
    with pytest.raises(ValueError) as err:
        parse_place("atlantis")
    message = str(err.value)
    assert "\n" not in message
    assert "sinpo" in message and "vladivostok" in message and "LAT,LON" in message


@pytest.mark.parametrize("text", ["91,0", "0,400", "nan,3", "", "40;128"])
def test_bad_coordinates_are_refused(text):
    with pytest.raises(ValueError):
        parse_place(text)
