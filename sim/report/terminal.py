"""The run report in a terminal: what happened, how sure we are, what ate the margin, how to rerun it.

Built from small rich renderables so each section can be shown alone (``sim show``).
Plain on purpose: it reads the same with no colour, in 100 columns, and in a screenshot; the
waterfall uses block characters (to the decision: full blocks, after it: shaded) rather than colour.
"""

from __future__ import annotations

import shlex
from collections.abc import Callable
from dataclasses import dataclass
from typing import cast

from rich import box
from rich.console import Group, JustifyMethod, RenderableType
from rich.panel import Panel
from rich.table import Table
from rich.text import Text

from sim.analysis import (
    METRICS,
    OUTCOMES,
    TO_DECISION,
    Proportion,
    Scope,
    Summary,
)
from sim.analysis.sketch import EXACT_CAP
from sim.analysis.summary import undecided_line
from sim.engine.outcome import ChainEnd
from sim.report.formats import (
    format_interval,
    format_percent,
    format_proportion,
    format_value,
    override_text,
    reproduce_command,
)
from sim.report.rich_tables import titled_table
from sim.scenario.quantities import format_duration

MAX_THREAT_COLUMNS = 3


@dataclass(frozen=True)
class OutcomeRow:
    """One row of the outcome table: a label under its section, and how to find its proportion in a scope."""

    label: str
    get: Callable[[Scope], Proportion | None]


def outcome_sections(summary: Summary) -> list[tuple[str, list[OutcomeRow]]]:
    """The outcomes in the order of the story, in sections that state their condition; who decided under "if decided"."""

    def outcome(name: str) -> Callable[[Scope], Proportion | None]:
        return lambda scope: scope.outcomes.get(name)

    def decided_by(post: str) -> Callable[[Scope], Proportion | None]:
        return lambda scope: scope.decided_by.get(post)

    sections: dict[str, list[OutcomeRow]] = {}
    for o in OUTCOMES:
        sections.setdefault(o.condition, []).append(OutcomeRow(o.label, outcome(o.name)))
        if o.name == "too_late_given_decided":
            sections[o.condition] += [OutcomeRow(f"by {post}", decided_by(post)) for post in summary.names.posts]
    return list(sections.items())


# ---------------------------------------------------------------- sections


def header(summary: Summary) -> RenderableType:
    s, r = summary.scenario, summary.run
    grid = Table.grid(padding=(0, 2))
    grid.add_column(style="bold", no_wrap=True)
    grid.add_column()
    runs = f"{r.runs}" if not summary.partial else f"{r.runs} of {r.requested_runs} requested"
    grid.add_row("file", f"{s.file}  (sha256 {s.sha256[:12]})")
    grid.add_row("run", f"{runs} runs, seed {r.seed}, version {r.version}")
    grid.add_row(
        "how", f"{r.workers} workers ({r.executor}), blocks of {r.block_size}, {format_duration(r.wall_s)} wall time"
    )
    for path, value in s.overrides.items():
        grid.add_row("override", f"{path} = {override_text(value)}")
    parts: list[RenderableType] = [
        Panel(grid, title=Text(s.name or "(unnamed scenario)", style="bold"), box=box.ROUNDED)
    ]
    if summary.partial:
        parts.append(partial_banner(summary))
    if r.quantile_error is not None:
        parts.append(
            Text(
                f"Streamed: medians and p90s of more than {EXACT_CAP:,} values come from a histogram, within "
                f"{100 * r.quantile_error:g}% of the exact figure; counts, proportions, means and extremes are not affected.",
                style="italic",
            )
        )
    return Group(*parts)


def partial_banner(summary: Summary) -> RenderableType:
    r = summary.run
    return Panel(
        Text(
            f"PARTIAL RUN: interrupted after {r.runs} of {r.requested_runs} replications; "
            f"every figure below covers the finished {r.runs} only.",
            style="bold",
        ),
        box=box.HEAVY,
        style="bold",
    )


def outcomes_table(summary: Summary) -> Table:
    """Proportions with their 95% intervals; one column per threat when there are a few (fits 80 columns)."""
    threats = summary.names.threats
    per_threat = 1 < len(threats) <= MAX_THREAT_COLUMNS
    table = titled_table("Outcomes (95% Wilson intervals)")
    table.add_column("outcome", no_wrap=True)
    if per_threat:
        table.add_column("all threats", no_wrap=True)
        for t in threats:
            table.add_column(Text(t), no_wrap=True)
    else:
        table.add_column("p", justify="right", no_wrap=True)
        table.add_column("95% interval", no_wrap=True)
        table.add_column("count / n", justify="right", no_wrap=True)

    def add(label: str, p: Proportion, per: list[Proportion | None]) -> None:
        if per_threat:
            table.add_row(label, format_proportion(p), *(format_proportion(x) if x else "" for x in per))
        else:
            table.add_row(label, format_percent(p.p), format_interval(*p.ci95), f"{p.count} / {p.n}")

    for title, rows in outcome_sections(summary):
        table.add_row(Text(title, style="italic"))
        for row in rows:
            pooled = row.get(summary.pooled)
            if pooled is not None:
                add("  " + row.label, pooled, [row.get(summary.threats[t]) for t in threats])
    if summary.any_threat_leaked is not None:
        add("runs with a leak", summary.any_threat_leaked, [None] * len(threats))
    if len(threats) > MAX_THREAT_COLUMNS:
        table.caption = "per-threat figures: see the JSON (--json)"
    return table


def metrics_table(summary: Summary) -> Table:
    """Times (and interceptors used), with a threat's own row where it differs from all threats."""
    table = titled_table("Times (min and max in the JSON)")
    for col, justify in (("measure", "left"), ("n", "right"), ("mean", "right"), ("median", "right"), ("p90", "right")):
        table.add_column(col, justify=cast(JustifyMethod, justify), no_wrap=True)
    several = len(summary.names.threats) > 1
    for m in METRICS:
        s = summary.pooled.metrics[m.name]
        table.add_row(m.label, str(s.n), *(format_value(m, x) for x in (s.mean, s.p50, s.p90)))
        for t in summary.names.threats if several else ():
            own = summary.threats[t].metrics[m.name]
            if own.n and own.n != s.n:  # equal n: this threat is the whole row above
                table.add_row(Text(f"  {t}"), str(own.n), *(format_value(m, x) for x in (own.mean, own.p50, own.p90)))
    return table


def causes_table(summary: Summary) -> Table:
    """Where the chain ended for every threat that came down on own territory: intercepted, or the one reason why not."""
    # a threat that never came down on own territory has no reasons to show: no column of dashes for it
    threats = tuple(t for t in summary.names.threats if summary.threats[t].outcomes["threatened"].count)
    per_threat = 1 < len(threats) <= MAX_THREAT_COLUMNS
    table = titled_table("Why threats got through: where the chain ended, if threatened (95% intervals)")
    table.add_column("reason", no_wrap=True)
    table.add_column("all threats" if per_threat else "share", no_wrap=True)
    for t in threats if per_threat else ():
        table.add_column(Text(t), no_wrap=True)
    table.add_column("count", justify="right", no_wrap=True)
    for end in ChainEnd:
        p = summary.pooled.causes.get(end.name.lower())
        if p is None or not p.count:
            continue
        cells = [format_proportion(summary.threats[t].causes[end.name.lower()]) for t in threats] if per_threat else []
        table.add_row(end.label, format_proportion(p), *cells, f"{p.count} / {p.n}")
    return table


def readiness_table(summary: Summary) -> Table:
    table = titled_table("Readiness: alert level reached within the horizon")
    for col, justify in (
        ("unit", "left"),
        ("level", "left"),
        ("reached", "right"),
        ("95% interval", "left"),
        ("median", "right"),
        ("p90", "right"),
    ):
        table.add_column(col, justify=cast(JustifyMethod, justify), no_wrap=True)
    for unit, levels in summary.readiness.items():
        for i, (level, x) in enumerate(levels.items()):
            table.add_row(
                unit if i == 0 else "",
                level,
                format_percent(x.reached.p),
                format_interval(*x.reached.ci95),
                format_duration(x.p50_s),
                format_duration(x.p90_s),
            )
    return table


class ChainWaterfall:
    """Each step as a bar as long as its mean, starting where the previous one ended.

    A renderable rather than a table so that the bars take whatever width the console has left.
    """

    FIXED = 60  # the step, time and share columns with their padding

    def __init__(self, summary: Summary, width: int | None = None):
        self.summary, self.width = summary, width

    def __rich_console__(self, console, options):
        yield self.table(self.width or max(10, min(60, options.max_width - self.FIXED)))

    def table(self, width: int) -> Table:
        summary = self.summary
        steps = list(summary.chain.values())
        total = sum(s.stats.mean for s in steps if s.stats.n)
        scale = width / total if total > 0 else 0.0
        table = titled_table("Interception chain: mean time per step (█ to the decision, ▒ after it)")
        for col, justify in (
            ("step", "left"),
            ("mean", "right"),
            ("median", "right"),
            ("p90", "right"),
            ("share", "right"),
            ("", "left"),
        ):
            table.add_column(col, justify=cast(JustifyMethod, justify), no_wrap=True)
        clock = 0.0
        for step in steps:
            s = step.stats
            bar = ""
            if s.n:
                start, end = round(clock * scale), round((clock + s.mean) * scale)
                fill = "█" if step.before_decision else "▒"
                bar = " " * start + fill * max(end - start, 1 if s.mean > 0 else 0)
                clock += s.mean
            table.add_row(
                step.name,
                format_duration(s.mean),
                format_duration(s.p50),
                format_duration(s.p90),
                format_percent(step.share),
                bar,
                end_section=step.name == TO_DECISION[-1],
            )
        to_decision = sum(summary.chain[n].stats.mean for n in TO_DECISION if summary.chain[n].stats.n)
        table.caption = (
            f"Sum of the means to the decision: {format_duration(to_decision)}. Shares: of launch to "
            "decision before it, of decision to intercept after it."
        )
        table.caption_justify = "left"
        return table


def chain_waterfall(summary: Summary, width: int | None = None) -> ChainWaterfall:
    return ChainWaterfall(summary, width)


def margin_line(summary: Summary) -> Text:
    return Text(summary.what_ate_the_margin, style="bold")


def leak_line(summary: Summary) -> Text:
    return Text(summary.why_it_leaked, style="bold")


def command_line(summary: Summary, width: int = 96) -> Text:
    """The reproduce command, broken with shell continuations so that a copied block still runs."""
    pieces, words = [], shlex.split(reproduce_command(summary))
    pieces.append(" ".join(shlex.quote(w) for w in words[:3]))
    pieces += [f"{words[i]} {shlex.quote(words[i + 1])}" for i in range(3, len(words) - 1, 2)]
    lines = [pieces[0]]
    for piece in pieces[1:]:
        if len(lines[-1]) + 1 + len(piece) + 2 > width - 4:
            lines.append(piece)
        else:
            lines[-1] += " " + piece
    text = Text("reproduce:\n", style="bold")
    text.append("  " + " \\\n    ".join(lines), style="")
    return text


def _undecided(summary: Summary) -> list[Text]:
    """Under the causes: which post held authority for the threats never decided (nothing if none)."""
    line = undecided_line(summary.pooled)
    return [Text(line), Text("")] if line else []


def render(summary: Summary) -> Group:
    """The whole report, top to bottom; a scenario without threats is about readiness alone."""
    if not summary.names.threats:
        return Group(
            header(summary),
            Text("No threats in this scenario: the readiness chain alone.", style="italic"),
            readiness_table(summary),
            Text(""),
            command_line(summary),
        )
    return Group(
        header(summary),
        outcomes_table(summary),
        *([causes_table(summary)] if summary.pooled.outcomes["threatened"].count else []),  # nothing got through
        *_undecided(summary),
        metrics_table(summary),
        readiness_table(summary),
        chain_waterfall(summary),
        leak_line(summary),
        Text(""),
        command_line(summary),
    )
