"""The run report in a terminal: what happened, how sure we are, what ate the margin, how to rerun it.

Built from small rich renderables so each section can be shown alone (``sim show``, ``sim play``).
Plain on purpose: it reads the same with no colour, in 100 columns, and in a screenshot; the
waterfall uses block characters (to the decision: full blocks, after it: shaded) rather than colour.
"""

from __future__ import annotations

import json
import shlex

from rich import box
from rich.console import Console, Group, RenderableType
from rich.panel import Panel
from rich.table import Table
from rich.text import Text

from sim.analysis import TO_DECISION, Proportion, Summary
from sim.results import TraceEvent
from sim.scenario.quantities import format_duration

BAR_WIDTH = 36
MAX_THREAT_COLUMNS = 3

# Outcome rows in the order of the story, in sections; each name is looked up per threat too.
OUTCOME_SECTIONS = (
    ("every threat row", ("threatened", "predicted_own", "detected", "decided", "too_late", "engaged",
                          "intercepted", "leaked", "needless")),
    ("if it threatened own territory", ("predicted_own_given_threatened", "detected_given_threatened",
                                        "decided_given_threatened", "decided_in_time_given_threatened",
                                        "engaged_given_threatened", "intercepted_given_threatened",
                                        "leaked_given_threatened")),
    ("if decided / engaged", ("too_late_given_decided", "intercepted_given_engaged", "needless_given_engaged")),
)


# ---------------------------------------------------------------- formatting shared with html.py


def format_percent(p: float) -> str:
    """``30.8%``; two decimals near 0 and 1 so that a rare event never reads as 0% or 100%."""
    if p != p:
        return "-"
    if p in (0.0, 1.0):
        return f"{100 * p:.0f}%"
    if p < 0.01 or p > 0.99:
        return f"{100 * p:.2f}%"
    return f"{100 * p:.1f}%"


def format_interval(lo: float, hi: float) -> str:
    """``25.5–36.6%``: the 95% interval with one percent sign."""
    if lo != lo or hi != hi:
        return "-"
    return f"{format_percent(lo).rstrip('%')}–{format_percent(hi)}"


def format_value(name: str, x: float) -> str:
    """Seconds as a trainer says them (3.2h, 12.5min); counts as plain numbers."""
    if x != x:
        return "-"
    return format_duration(x) if name.endswith("_s") else f"{x:.2f}".rstrip("0").rstrip(".")


def format_proportion(p: Proportion) -> str:
    """``30.8% (25.5–36.6%)``: for compact cells."""
    return "-" if not p.n else f"{format_percent(p.p)} ({format_interval(*p.ci95)})"


def reproduce_command(summary: Summary) -> str:
    """The exact ``sim run`` line that gives these numbers again (same file, runs, seed, overrides)."""
    s, r = summary.scenario, summary.run
    words = ["sim", "run", s.file or "SCENARIO", "--runs", str(r.runs), "--seed", str(r.seed)]
    for path, value in s.overrides.items():
        words += ["--set", f"{path}={_yaml_value(value)}"]
    return " ".join(shlex.quote(w) for w in words)


def _yaml_value(value) -> str:
    """A value written so that ``--set`` reads it back the same (plain if it survives, else JSON = YAML flow)."""
    if isinstance(value, str):
        from sim.scenario.loader import ScenarioError, parse_yaml

        try:
            if parse_yaml(value, "--set")[0] == value:
                return value
        except ScenarioError:
            pass
    return json.dumps(value, ensure_ascii=False)


def trace_clock(t: float) -> str:
    """Scenario time as ``04:36:12`` (``1d 04:36:12`` past a day): precise enough to order events by eye."""
    if t != t:
        return "-"
    whole = int(round(t))
    days, rest = divmod(whole, 86400)
    hms = f"{rest // 3600:02d}:{rest % 3600 // 60:02d}:{rest % 60:02d}"
    return f"{days}d {hms}" if days else hms


# ---------------------------------------------------------------- sections


def header(summary: Summary) -> RenderableType:
    s, r = summary.scenario, summary.run
    grid = Table.grid(padding=(0, 2))
    grid.add_column(style="bold", no_wrap=True)
    grid.add_column()
    runs = f"{r.runs}" if not summary.partial else f"{r.runs} of {r.requested_runs} requested"
    grid.add_row("file", f"{s.file}  (sha256 {s.sha256[:12]})")
    grid.add_row("run", f"{runs} runs, seed {r.seed}, version {r.version}")
    grid.add_row("how", f"{r.workers} workers ({r.executor}), blocks of {r.block_size}, {format_duration(r.wall_s)} wall time")
    for path, value in s.overrides.items():
        grid.add_row("override", f"{path} = {_yaml_value(value)}")
    parts: list[RenderableType] = [Panel(grid, title=Text(s.name or "(unnamed scenario)", style="bold"), box=box.ROUNDED)]
    if summary.partial:
        parts.append(partial_banner(summary))
    return Group(*parts)


def partial_banner(summary: Summary) -> RenderableType:
    r = summary.run
    return Panel(
        Text(f"PARTIAL RUN: interrupted after {r.runs} of {r.requested_runs} replications; "
             f"every figure below covers the finished {r.runs} only.", style="bold"),
        box=box.HEAVY, style="bold",
    )


def outcomes_table(summary: Summary) -> Table:
    """Proportions with their 95% intervals; one column per threat when there are a few."""
    per_threat = 1 < len(summary.threats) <= MAX_THREAT_COLUMNS
    table = Table(title="Outcomes (95% Wilson intervals)", title_justify="left", box=box.SIMPLE_HEAD,
                  title_style="bold", pad_edge=False)
    table.add_column("outcome", no_wrap=True)
    if per_threat:
        table.add_column("all threats", no_wrap=True)
        for t in summary.threats:
            table.add_column(t, no_wrap=True)
    else:
        table.add_column("p", justify="right", no_wrap=True)
        table.add_column("95% interval", no_wrap=True)
        table.add_column("count / n", justify="right", no_wrap=True)
    sections = list(OUTCOME_SECTIONS)
    posts = tuple(k for k in summary.outcomes if k.startswith("decided_by_"))
    if posts:
        sections.append(("who decided", posts))
    for title, names in sections:
        table.add_row(Text(title, style="italic"), end_section=False)
        for name in names:
            p = summary.outcomes.get(name)
            if p is None:
                continue
            label = "  " + outcome_label(name)
            if per_threat:
                cells = [format_proportion(p)] + [format_proportion(summary.outcomes[f"{t}.{name}"])
                                                  for t in summary.threats]
                table.add_row(label, *cells)
            else:
                table.add_row(label, format_percent(p.p), format_interval(*p.ci95), f"{p.count} / {p.n}")
    if "any_threat_leaked" in summary.outcomes:
        p = summary.outcomes["any_threat_leaked"]
        label = "runs with any threat leaked"
        if per_threat:
            table.add_row(label, format_proportion(p), *[""] * len(summary.threats))
        else:
            table.add_row(label, format_percent(p.p), format_interval(*p.ci95), f"{p.count} / {p.n}")
    if len(summary.threats) > MAX_THREAT_COLUMNS:
        table.caption = "per-threat figures: see the JSON (--json)"
    return table


def outcome_label(name: str) -> str:
    return name.replace("decided_by_", "decided by ").replace("_given_", " | ").replace("_", " ")


def metrics_table(summary: Summary) -> Table:
    """Times (and interceptors used); a threat's own row only when it differs from all threats."""
    table = Table(title="Times (median, 90th percentile)", title_justify="left", box=box.SIMPLE_HEAD,
                  title_style="bold", pad_edge=False)
    for col, justify in (("measure", "left"), ("n", "right"), ("mean", "right"), ("median", "right"),
                         ("p90", "right"), ("min", "right"), ("max", "right")):
        table.add_column(col, justify=justify, no_wrap=True)
    for name, s in summary.metrics.items():
        base = name.split(".", 1)[-1]
        if "." in name and summary.metrics[base].n == s.n:
            continue  # the other threats add nothing here: the same as the all-threats row
        if s.n == 0 and "." in name:
            continue
        table.add_row(name, str(s.n), *(format_value(base, x) for x in (s.mean, s.p50, s.p90, s.min, s.max)))
    return table


def readiness_table(summary: Summary) -> Table:
    table = Table(title="Readiness: alert level reached within the horizon", title_justify="left",
                  box=box.SIMPLE_HEAD, title_style="bold", pad_edge=False)
    for col, justify in (("unit", "left"), ("level", "left"), ("reached", "right"), ("95% interval", "left"),
                         ("median", "right"), ("p90", "right")):
        table.add_column(col, justify=justify, no_wrap=True)
    for unit, levels in summary.readiness.items():
        for i, (level, x) in enumerate(levels.items()):
            table.add_row(unit if i == 0 else "", level, format_percent(x.reached.p), format_interval(*x.reached.ci95),
                          format_duration(x.p50_s), format_duration(x.p90_s))
    return table


def chain_waterfall(summary: Summary, width: int = BAR_WIDTH) -> Table:
    """Each step as a bar as long as its mean, starting where the previous one ended."""
    steps = list(summary.chain.values())
    total = sum(s.stats.mean for s in steps if s.stats.n)
    scale = width / total if total > 0 else 0.0
    table = Table(title="Interception chain: mean time per step (█ to the decision, ▒ after it)",
                  title_justify="left", box=box.SIMPLE_HEAD, title_style="bold", pad_edge=False)
    for col, justify in (("step", "left"), ("mean", "right"), ("median", "right"), ("p90", "right"),
                         ("share", "right"), ("", "left")):
        table.add_column(col, justify=justify, no_wrap=True)
    clock = 0.0
    for step in steps:
        s = step.stats
        bar = ""
        if s.n:
            start, end = round(clock * scale), round((clock + s.mean) * scale)
            fill = "█" if step.phase == "to decision" else "▒"
            bar = " " * start + fill * max(end - start, 1 if s.mean > 0 else 0)
            clock += s.mean
        table.add_row(step.name, format_duration(s.mean), format_duration(s.p50), format_duration(s.p90),
                      format_percent(step.share), bar, end_section=step.name == TO_DECISION[-1])
    to_decision = sum(summary.chain[n].stats.mean for n in TO_DECISION if summary.chain[n].stats.n)
    table.caption = (f"sum of means to the decision {format_duration(to_decision)}; shares are of launch to decision "
                     "for the steps before it and of decision to intercept for those after")
    table.caption_justify = "left"
    return table


def margin_line(summary: Summary) -> Text:
    return Text(summary.what_ate_the_margin, style="bold")


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


def render(summary: Summary) -> Group:
    """The whole report, top to bottom."""
    return Group(
        header(summary),
        outcomes_table(summary),
        metrics_table(summary),
        readiness_table(summary),
        chain_waterfall(summary),
        margin_line(summary),
        Text(""),
        command_line(summary),
    )


def print_report(summary: Summary, console: Console | None = None) -> None:
    (console or Console()).print(render(summary))


def render_trace(events: list[TraceEvent]) -> Table:
    """One replication's story as a timeline: scenario clock, time since the previous line, who, what."""
    table = Table(title="Timeline of replication 0", title_justify="left", box=box.SIMPLE_HEAD,
                  title_style="bold", pad_edge=False)
    table.add_column("time", justify="right", no_wrap=True)
    table.add_column("+", justify="right", no_wrap=True)
    table.add_column("actor", no_wrap=True)
    table.add_column("event")
    table.add_column("detail", overflow="fold")
    previous = None
    for e in events:
        step = "" if previous is None else "+" + format_duration(e.t - previous)
        table.add_row(trace_clock(e.t), step, e.actor, e.event, e.detail)
        previous = e.t
    return table
