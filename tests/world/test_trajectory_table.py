"""The trajectory panel shows a trainer every figure of the summary."""

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
