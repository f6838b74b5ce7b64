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
    boost = summary.get("boost")
    if boost is not None and boost["burn_time_s"] > 0:
        missile = summary.get("missile")
        if missile is not None:
            table.add_row("missile", Text(missile["description"]))
            table.add_row(
                "", Text(f"nominal range {missile['nominal_range_km']:,.0f} km, RCS {missile['rcs_m2']:g} m^2")
            )
        given = boost["burn_time_from"] == "given"
        table.add_row("burn time", f"{boost['burn_time_s']:,.1f} s ({'given' if given else 'class default'})")
        table.add_row("coast", _minutes(boost["coast_time_s"]))
        nominal = boost["burnout_altitude_from"] != "given"
        table.add_row(
            "burnout altitude", f"{boost['burnout_altitude_km']:,.1f} km ({'nominal' if nominal else 'given'})"
        )
        table.add_row("boost ground", f"{boost['boost_range_km']:,.1f} km from the pad")
    elif boost is not None:
        table.add_row("boost", Text("none: free flight from the pad (--missile or --burn-time)"))
    table.add_row("burnout", f"{summary['burnout_speed_kms']:.3f} km/s at {summary['burnout_angle_deg']:.2f} deg")
    table.add_row("impact", _place(impact["lat"], impact["lon"]))
    table.add_row("territory", Text(territory, style=_TERRITORY_STYLE.get(territory, "yellow")))
    if not impact.get("in_map", True):  # styled Text, not markup: the consoles never read markup
        table.add_row("", Text("outside the map data (lon 115..150, lat 30..56): territory unknown", style="yellow"))
    return Panel(table, title="trajectory", subtitle="closed-form boost, then vacuum, round Earth", expand=False)
