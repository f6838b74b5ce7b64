"""One replication's story in a terminal, and the scenario clock every story and feed is told on."""

from __future__ import annotations

from rich.table import Table

from sim.engine.trace import TraceEvent
from sim.numbers import is_nan
from sim.report.rich_tables import titled_table
from sim.scenario.quantities import format_duration


def trace_clock(t: float) -> str:
    """Scenario time as ``04:36:12`` (``1d 04:36:12`` past a day): precise enough to order events by eye."""
    if is_nan(t):
        return "-"
    whole = int(round(t))
    days, rest = divmod(whole, 86400)
    hms = f"{rest // 3600:02d}:{rest % 3600 // 60:02d}:{rest % 60:02d}"
    return f"{days}d {hms}" if days else hms


def render_trace(events: list[TraceEvent]) -> Table:
    """One replication's story as a timeline: scenario clock, time since the previous line, who, what."""
    table = titled_table("Timeline of replication 0")
    table.add_column("time", justify="right", no_wrap=True)
    table.add_column("+", justify="right", no_wrap=True)
    table.add_column("actor", no_wrap=True)
    table.add_column("event", no_wrap=True)
    table.add_column("detail", overflow="fold")
    previous = None
    for e in events:
        step = "" if previous is None else "+" + format_duration(e.t - previous)
        table.add_row(trace_clock(e.t), step, e.actor, e.event, e.detail)
        previous = e.t
    return table
