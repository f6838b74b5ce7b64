"""`sim trajectory` for a person: the flight summary as a small rich panel."""

from __future__ import annotations

from rich.panel import Panel
from rich.table import Table
from rich.text import Text

_TERRITORY_STYLE = {"SEA": "cyan", "RUS": "bold red"}


def _minutes(seconds: float) -> str:
    m, s = divmod(round(seconds), 60)
    return f"{seconds:,.1f} s ({m} min {s:02d} s)"


def _place(lat: float, lon: float) -> str:
    return f"{abs(lat):.4f} {'N' if lat >= 0 else 'S'}, {abs(lon):.4f} {'E' if lon >= 0 else 'W'}"


def render_trajectory(summary: dict) -> Panel:
    """A panel a trainer reads at a glance, from the dict of `sim.world.summary.trajectory_summary`."""
    impact = summary["impact"]
    territory = impact["territory"]
    table = Table.grid(padding=(0, 2))
    table.add_column(style="bold")
    table.add_column(justify="right")
    table.add_row("from", _place(summary["from"]["lat"], summary["from"]["lon"]))
    table.add_row("azimuth", f"{summary['azimuth_deg']:.1f} deg")
    table.add_row("range", f"{summary['range_km']:,.1f} km")
    table.add_row("apogee", f"{summary['apogee_km']:,.1f} km")
    table.add_row("flight time", _minutes(summary["flight_time_s"]))
    table.add_row("burnout", f"{summary['burnout_speed_kms']:.3f} km/s at {summary['burnout_angle_deg']:.2f} deg")
    table.add_row("impact", _place(impact["lat"], impact["lon"]))
    table.add_row("territory", Text(territory, style=_TERRITORY_STYLE.get(territory, "yellow")))
    if not impact.get("in_map", True):  # styled Text, not markup: the consoles never read markup
        table.add_row("", Text("outside the map data (lon 115..150, lat 30..56): territory unknown", style="yellow"))
    return Panel(table, title="trajectory", subtitle="vacuum, round Earth", expand=False)
