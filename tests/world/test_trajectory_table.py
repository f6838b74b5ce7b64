"""The trajectory panel shows a trainer every figure of the summary."""

import pytest
from rich.console import Console

from sim.report.trajectory_table import render_trajectory
from sim.world.summary import trajectory_summary


def test_panel_shows_the_figures():
    console = Console(record=True, width=100)
    console.print(render_trajectory(trajectory_summary("sinpo", toward="vladivostok", range_km=460)))
    text = console.export_text()
    for expected in ("40.0347 N, 128.1856 E", "460.0 km", "112.9 km", "313.4 s (5 min 13 s)", "RUS", "43.1126 N"):
        assert expected in text


def test_southern_and_western_coordinates_are_labelled():
    console = Console(record=True, width=100)
    console.print(render_trajectory(trajectory_summary("-33.9,-70.6", azimuth_deg=0, range_km=100)))
    assert "33.9000 S, 70.6000 W" in console.export_text()


def test_panel_shows_the_boost_and_the_missile_class_defaults():
    """--missile hwasong12 on the 14 May 2017 profile: the class's burn time (140 s, sim/world/missiles.py),
    the coast (flight time minus the burn), the nominal burnout altitude and the ground the boost covers."""
    s = trajectory_summary("kusong", azimuth_deg=101, range_km=787, apogee_km=2111.5, missile="hwasong12")
    console = Console(record=True, width=120)
    console.print(render_trajectory(s))
    text = console.export_text()
    boost = s["boost"]
    assert boost["burn_time_s"] == 140.0 and boost["burn_time_from"].startswith("missile class hwasong_12")
    assert boost["coast_time_s"] == pytest.approx(s["flight_time_s"] - 140.0, abs=0.11)
    for expected in (
        "Hwasong-12",
        "nominal range 4,500 km",
        "140.0 s (class default)",
        f"{boost['burnout_altitude_km']:,.1f} km (nominal)",
        f"{boost['boost_range_km']:,.1f} km from the pad",
    ):
        assert expected in text
    given = trajectory_summary(
        "kusong", azimuth_deg=101, range_km=787, apogee_km=2111.5, missile="scud", burn_time_s=90
    )
    console = Console(record=True, width=120)
    console.print(render_trajectory(given))
    assert "90.0 s (given)" in console.export_text()
    assert given["missile"]["burn_time_s"] == 60.0  # the class's own default is still reported


def test_panel_without_a_boost_says_so():
    console = Console(record=True, width=100)
    console.print(render_trajectory(trajectory_summary("sinpo", toward="vladivostok", range_km=460)))
    assert "none: free flight from the pad" in console.export_text()
