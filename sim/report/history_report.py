"""``sim runs`` and ``sim show``: the run history as a table, and a stored run's own report."""

from __future__ import annotations

from pathlib import Path
from typing import cast

from rich.console import JustifyMethod, RenderableType
from rich.text import Text

from sim.analysis import OUTCOME_BY_NAME, Summary
from sim.report.formats import format_interval, format_percent, override_text
from sim.report.rich_tables import titled_table
from sim.store import StoredRun, StoreError

KIND_LABELS = {"sweep_point": "sweep point", "sensitivity_point": "sensitivity point"}  # a plain run: no label


def _p(summary: Summary, name: str) -> str:
    x = summary.pooled.outcomes.get(name)
    if x is None or not x.n:
        return "-"
    return f"{format_percent(x.p)} ({format_interval(*x.ci95).rstrip('%')})"


def headline(summary: Summary) -> str:
    """The main outcome of a run in a few words: ``intercepted | threatened 2.9% (1.4–5.2)``; '-' without threats."""
    if not summary.names.threats:
        return "-"
    name = summary.main_outcome
    return f"{OUTCOME_BY_NAME[name].headline} {_p(summary, name)}"


def render_runs(runs: list[StoredRun], path: str | Path) -> RenderableType:
    """The history as a table that fits 80 columns: the headline is the main outcome with its interval."""
    if not runs:
        return Text(f"no runs kept in {path} yet (sim run and sim sweep keep them there)")
    summaries: list[Summary | None] = []
    for r in runs:
        try:
            summaries.append(r.summary())
        except StoreError:
            summaries.append(None)
    mains = {s.main_outcome for s in summaries if s is not None and s.names.threats}
    common = next(iter(mains)) if len(mains) == 1 else None
    table = titled_table(Text(f"Run history: {path}"))
    last = OUTCOME_BY_NAME[common].headline.replace(" | ", "\n| ") if common else "headline"
    for col, justify, wrap in (
        ("id", "right", False),
        ("when", "left", False),
        ("scenario", "left", True),
        ("overrides", "left", True),
        ("seed", "right", False),
        ("runs", "right", False),
        (last, "left", True),
    ):
        # wrapped columns keep a minimum width, so at 80 columns none vanishes and no id is cut
        table.add_column(
            col, justify=cast(JustifyMethod, justify), no_wrap=not wrap, overflow="fold", min_width=10 if wrap else None
        )
    for r, s in zip(runs, summaries):
        overrides = "\n".join(f"{p}={override_text(v)}" for p, v in r.overrides.items()) or "-"
        runs_text = str(r.runs) + (" partial" if s is not None and s.partial else "")
        if s is None:
            value = "(unreadable result)"
        elif not s.names.threats:
            value = "-"
        else:
            value = _p(s, common) if common else headline(s)
        scenario = r.scenario + (f" ({KIND_LABELS[r.kind]})" if r.kind in KIND_LABELS else "")
        table.add_row(str(r.id), r.when, Text(scenario), Text(overrides), str(r.seed), runs_text, value)
    table.caption = "sim show ID: a run's report; sim compare ID ID: two runs side by side"
    table.caption_justify = "left"
    return table


def stored_title(stored: StoredRun) -> Text:
    """A line above a stored report: which run of the history this is."""
    kind = KIND_LABELS.get(stored.kind, "run")
    return Text(f"{kind} {stored.id} of the history, {stored.when}, tabletop-sim {stored.version}", style="bold")
