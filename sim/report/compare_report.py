"""``sim compare``: a comparison A -> B as a terminal report, a JSON document and an HTML page.

Same look as the run report (``sim.report.terminal``): plain tables that read without colour in
100 columns. A difference is always B - A; ``*`` marks one whose 95% interval excludes 0.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from functools import partial
from typing import Any, cast

from rich import box
from rich.console import Group, JustifyMethod, RenderableType
from rich.panel import Panel
from rich.table import Table
from rich.text import Text

from sim.analysis import METRICS, OUTCOME_BY_NAME, OUTCOMES, Comparison, Difference
from sim.analysis.comparison import ScopeDifference
from sim.numbers import is_nan, json_number
from sim.report.formats import format_amount, format_percent, override_text
from sim.report.rich_tables import titled_table
from sim.scenario.quantities import format_duration

MARK = "*"


# ---------------------------------------------------------------- numbers


def format_points(d: float, sign: bool = True) -> str:
    """A difference of proportions in percentage points: ``+3.2 pts``; ``0`` when exactly nothing changed."""
    if is_nan(d):
        return "-"
    if d == 0:
        return "0"
    x = 100 * d
    text = f"{x:+.1f}" if abs(x) >= 0.1 else f"{x:+.2f}" if abs(x) >= 0.01 else f"{x:+.1g}"
    return f"{text} pts" if sign else text.lstrip("+")


def format_shift(d: float, is_time: bool = True) -> str:
    """A difference of times (``+1.2h``) or of counts (``+0.3``)."""
    if is_nan(d):
        return "-"
    if d == 0:
        return "0"
    text = format_amount(d, is_time)
    return text if text.startswith("-") else "+" + text


def _interval(lo: float, hi: float, fmt: Callable[[float], str]) -> str:
    if is_nan(lo) or is_nan(hi):
        return "-"
    return f"{fmt(lo)} to {fmt(hi)}"


def _mark(d: Difference) -> str:
    return MARK if d.significant else ""


def headline_difference(name: str, d: Difference) -> str:
    """``intercepted | threatened: 4.1% -> 2.5%, -1.6 pts (95% CI -2.6 to -0.6 pts), significant``."""
    what = OUTCOME_BY_NAME[name].headline
    lo, hi = d.ci95
    ci = "-" if is_nan(lo) else f"{format_points(lo).removesuffix(' pts')} to {format_points(hi)}"
    verdict = (
        "the interval excludes 0: a real difference"
        if d.significant
        else "the interval includes 0: no difference shown"
        if not is_nan(lo)
        else "no interval"
    )
    return f"{what}: {format_percent(d.a)} -> {format_percent(d.b)}, {format_points(d.diff)} (95% CI {ci}); {verdict}"


def measured_difference(text: str, label: str, d: Difference) -> str:
    """The headline for ``--measure``: a proportion in points, a time in its units, anything else as a number."""
    from sim.analysis.measure import parse_measure

    m = parse_measure(text)
    lo, hi = d.ci95
    if m.is_proportion:
        values = f"{format_percent(d.a)} -> {format_percent(d.b)}, {format_points(d.diff)}"
        ci = "-" if is_nan(lo) else f"{format_points(lo).removesuffix(' pts')} to {format_points(hi)}"
    else:
        values = (
            f"{format_amount(d.a, m.is_time)} -> {format_amount(d.b, m.is_time)}, {format_shift(d.diff, m.is_time)}"
        )
        ci = "-" if is_nan(lo) else f"{format_shift(lo, m.is_time)} to {format_shift(hi, m.is_time)}"
    verdict = (
        "the interval excludes 0: a real difference"
        if d.significant
        else "the interval includes 0: no difference shown"
        if not is_nan(lo)
        else "no interval"
    )
    return f"{label}: {values} (95% CI {ci}); {verdict}"


# ---------------------------------------------------------------- sim compare


def render(c: Comparison) -> Group:
    """The comparison, top to bottom: what was compared, what changed, then the differences."""
    parts: list[RenderableType] = [_compare_header(c), changes_table(c)]
    if c.measured is not None:
        parts.append(Text(measured_difference(*c.measured), style="bold"))
    elif c.main in c.pooled.outcomes:
        parts.append(Text(headline_difference(c.main, c.pooled.outcomes[c.main]), style="bold"))
    parts += [outcome_differences(c), metric_differences(c), readiness_differences(c)]
    per_threat = per_threat_differences(c)
    if per_threat is not None:
        parts.append(per_threat)
    notes = [f"B - A; {MARK} the 95% interval excludes 0."] + list(c.notes)
    parts.append(Text("\n".join(notes)))
    return Group(*parts)


def _compare_header(c: Comparison) -> RenderableType:
    grid = Table.grid(padding=(0, 2))
    grid.add_column(style="bold", no_wrap=True)
    grid.add_column()
    for tag, s in (("A", c.a), ("B", c.b)):
        line = f"{s.label}: {s.name}  (sha256 {s.sha256[:12]})" if s.sha256 else f"{s.label}: {s.name}"
        for path, value in s.overrides.items():
            line += f"\n  {path} = {override_text(value)}"
        grid.add_row(tag, Text(line))
    if c.paired:
        how = (
            f"paired: {c.a.runs} replications each, seed {c.a.seed}, common random numbers "
            "(replication r of A and of B share their random draws)"
        )
    else:
        how = (
            f"unpaired: A {c.a.runs} runs (seed {c.a.seed}, version {c.a.version}), "
            f"B {c.b.runs} runs (seed {c.b.seed}, version {c.b.version}); independent samples, wider intervals"
        )
    grid.add_row("how", Text(how))
    title = "Compare A -> B" + ("" if c.a.name == c.b.name else f": {c.a.name} -> {c.b.name}")
    return Panel(grid, title=Text(title, style="bold"), box=box.ROUNDED)


def changes_table(c: Comparison) -> RenderableType:
    if not c.changes:
        return Text("What changed A -> B: nothing in the scenario" + ("" if c.paired else " (as far as known)"))
    table = titled_table("What changed A -> B")
    table.add_column("path", no_wrap=True)
    table.add_column("A", overflow="fold")
    table.add_column("B", overflow="fold")
    for ch in c.changes:
        table.add_row(Text(ch.path), Text(ch.a), Text(ch.b))
    return table


def _diff_table(title: str) -> Table:
    table = titled_table(title)
    for col, justify in (
        ("", "left"),
        ("A", "right"),
        ("B", "right"),
        ("B - A", "right"),
        ("95% interval", "right"),
        ("", "left"),
    ):
        table.add_column(col, justify=cast(JustifyMethod, justify), no_wrap=True)
    return table


def _proportion_row(table: Table, label: str, d: Difference) -> None:
    table.add_row(
        Text(label),
        format_percent(d.a),
        format_percent(d.b),
        format_points(d.diff),
        _interval(*d.ci95, lambda x: format_points(x).removesuffix(" pts")),
        _mark(d),
    )


def _both_nan(d: Difference) -> bool:
    return is_nan(d.a) and is_nan(d.b)


def outcome_differences(c: Comparison) -> Table:
    table = _diff_table("Outcomes: A, B and B - A in percentage points")
    sections: dict[str, list[tuple[str, Difference]]] = {}
    for o in OUTCOMES:
        d = c.pooled.outcomes.get(o.name)
        if d is not None and not _both_nan(d):
            sections.setdefault(o.condition, []).append((o.label, d))
        if o.name == "too_late_given_decided":
            sections.setdefault(o.condition, []).extend(
                (f"by {post}", x) for post, x in c.pooled.decided_by.items() if not _both_nan(x)
            )
    for title, rows in sections.items():
        table.add_row(Text(title, style="italic"))
        for label, d in rows:
            _proportion_row(table, "  " + label, d)
    if c.any_threat_leaked is not None:
        _proportion_row(table, "runs with a leak", c.any_threat_leaked)
    return table


def per_threat_differences(c: Comparison) -> RenderableType | None:
    """Per-threat rows whose interval excludes 0 (all of them are in the JSON)."""
    if len(c.threats) < 2:
        return None
    rows = [
        (t, OUTCOME_BY_NAME[name].headline, d)
        for t, scope in c.threats.items()
        for name, d in scope.outcomes.items()
        if d.significant
    ]
    if not rows:
        return Text("Per threat: no difference whose interval excludes 0 (every row is in the JSON, --json)")
    table = _diff_table("Per threat: the differences whose interval excludes 0 (all of them: --json)")
    for threat, what, d in rows:
        _proportion_row(table, f"{threat}: {what}", d)
    return table


def metric_differences(c: Comparison) -> Table:
    title = (
        "Times: means where it happened in both A and B (same replication)" if c.paired else "Times: means of each run"
    )
    table = _diff_table(title)
    table.add_column("n", justify="right", no_wrap=True)
    for m in METRICS:
        d = c.pooled.metrics.get(m.name)
        if d is None or _both_nan(d):
            continue
        table.add_row(
            m.name,
            format_amount(d.a, m.is_time),
            format_amount(d.b, m.is_time),
            format_shift(d.diff, m.is_time),
            _interval(*d.ci95, partial(format_shift, is_time=m.is_time)),
            _mark(d),
            str(d.n_a) if c.paired else f"{d.n_a} / {d.n_b}",
        )
    return table


def readiness_differences(c: Comparison) -> Group:
    """Two tables: how often each level was reached, then how much later (or earlier) B got there."""
    reached = _diff_table("Readiness: level reached within the horizon")
    when = _diff_table("Readiness: when the level was reached (median)")
    when.columns[3].header = "shift" if c.paired else "B - A"
    for unit, levels in c.readiness.items():
        for level, x in levels.items():
            p, t = x.p_reached, x.p50_s
            _proportion_row(reached, f"{unit}: {level}", p)
            if not _both_nan(t):
                when.add_row(
                    Text(f"{unit}: {level}"),
                    format_duration(t.a),
                    format_duration(t.b),
                    format_shift(t.diff),
                    _interval(*t.ci95, format_shift),
                    _mark(t),
                )
    if c.paired:
        when.caption = "shift: over runs reaching the level in both, the median of (time in B - time in A)"
    else:
        when.caption = "no interval: a result holds no spread of these times"
    when.caption_justify = "left"
    return Group(reached, when)


# ---------------------------------------------------------------- files


def _difference(d: Difference) -> dict[str, Any]:
    lo, hi = d.ci95
    return {
        "a": json_number(d.a),
        "b": json_number(d.b),
        "diff": json_number(d.diff),
        "ci95": [json_number(lo), json_number(hi)],
        "significant": d.significant,
        "n_a": int(d.n_a),
        "n_b": int(d.n_b),
        "method": d.method,
    }


def _scope(s: ScopeDifference) -> dict[str, Any]:
    return {
        "outcomes": {k: _difference(d) for k, d in s.outcomes.items()},
        "decided_by": {k: _difference(d) for k, d in s.decided_by.items()},
        "metrics": {k: _difference(d) for k, d in s.metrics.items()},
    }


def comparison_document(c: Comparison) -> dict[str, Any]:
    """``sim.compare/2``: both sides, what changed, and every difference (pooled and per threat)."""

    def side(s: Any) -> dict[str, Any]:
        return {
            "label": s.label,
            "name": s.name,
            "file": s.file,
            "sha256": s.sha256,
            "overrides": s.overrides,
            "runs": s.runs,
            "seed": s.seed,
            "version": s.version,
            "partial": s.partial,
        }

    return {
        "schema": "sim.compare/2",
        "paired": c.paired,
        "a": side(c.a),
        "b": side(c.b),
        "changes": [{"path": ch.path, "a": ch.a, "b": ch.b} for ch in c.changes],
        "main_outcome": c.main,
        "measure": None
        if c.measured is None
        else {"name": c.measured[0], "label": c.measured[1], **_difference(c.measured[2])},
        **_scope(c.pooled),
        "any_threat_leaked": None if c.any_threat_leaked is None else _difference(c.any_threat_leaked),
        "threats": {t: _scope(s) for t, s in c.threats.items()},
        "readiness": {
            u: {lv: {"p_reached": _difference(x.p_reached), "p50_s": _difference(x.p50_s)} for lv, x in levels.items()}
            for u, levels in c.readiness.items()
        },
        "notes": list(c.notes),
    }


def comparison_json_text(c: Comparison) -> str:
    return json.dumps(comparison_document(c), indent=2, ensure_ascii=False, allow_nan=False) + "\n"


def comparison_html(c: Comparison) -> str:
    """The comparison as one self-contained HTML page, in the look of the run page."""
    from sim.report.compare_page import comparison_page

    return comparison_page(c)
