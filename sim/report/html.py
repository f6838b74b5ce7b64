"""The run report as ONE self-contained HTML file: mail it, open it offline, archive it with the run.

Inline CSS, pictures as base64 PNG, no script, no link to anything outside the file. Every text
that comes from the scenario is escaped (a scenario name is user input).
"""

from __future__ import annotations

import base64
from html import escape

import numpy as np

from sim.analysis import METRICS, TO_DECISION, Summary
from sim.engine.outcome import ChainEnd
from sim.report import plots
from sim.report.export import atomic_open
from sim.report.terminal import (
    format_interval,
    format_percent,
    format_value,
    outcome_sections,
    override_text,
    reproduce_command,
)
from sim.results import RunResult
from sim.scenario.quantities import format_duration

CSS = """
body { font-family: system-ui, sans-serif; max-width: 1100px; margin: 2em auto; padding: 0 1em; color: #222; }
h1 { margin-bottom: 0.2em; } h2 { margin-top: 1.6em; border-bottom: 1px solid #ccc; }
dl.header { display: grid; grid-template-columns: max-content 1fr; gap: 0.2em 1em; }
dl.header dt { font-weight: bold; } dl.header dd { margin: 0; }
.partial { border: 3px solid #b00; padding: 0.6em 1em; font-weight: bold; margin: 1em 0; }
table { border-collapse: collapse; margin: 0.5em 0; font-variant-numeric: tabular-nums; }
th, td { padding: 0.2em 0.8em; text-align: right; border-bottom: 1px solid #eee; }
th:first-child, td:first-child { text-align: left; }
tr.section td { font-style: italic; color: #555; text-align: left; }
.margin { font-weight: bold; font-size: 1.1em; }
code { background: #f4f4f4; padding: 0.3em 0.5em; display: inline-block; }
.plots img { max-width: 100%; margin: 0.5em 1em 0.5em 0; vertical-align: top; }
.muted { color: #666; font-size: 0.9em; }
"""


def write_html(summary: Summary, result: RunResult, path) -> None:
    """Write the report to `path` (atomically: the whole page or nothing)."""
    page = render_html(summary, result)
    with atomic_open(path) as f:
        f.write(page)


def render_html(summary: Summary, result: RunResult) -> str:
    s = summary.scenario
    body = [
        f"<h1>{escape(s.name or '(unnamed scenario)')}</h1>",
        _header(summary),
        _partial(summary),
        f'<p class="margin">{escape(summary.why_it_leaked)}</p>' if summary.names.threats else "",
        "<h2>Outcomes</h2>", _outcomes(summary),
        "<h2>Why threats got through</h2>", _causes(summary),
        "<h2>Times</h2>", _metrics(summary),
        "<h2>Readiness</h2>", _readiness(summary),
        "<h2>Interception chain</h2>",
        f'<p class="margin">{escape(summary.what_ate_the_margin)}</p>',
        _img(plots.waterfall_png(summary), "Waterfall of the interception chain"),
        _chain(summary),
        "<h2>Time to decision and margin</h2>",
        _histograms(result),
        "<h2>Map</h2>",
        _img(plots.map_png(result), "Map of units, launch sites and impact points"),
        "<h2>Reproduce</h2>",
        f"<code>{escape(reproduce_command(summary))}</code>",
    ]
    title = escape(f"{s.name} - tabletop-sim report")
    return ("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
            f"<title>{title}</title>\n<style>{CSS}</style>\n</head>\n<body>\n"
            + "\n".join(b for b in body if b) + "\n</body>\n</html>\n")


def _img(png: bytes, alt: str) -> str:
    return f'<div class="plots"><img alt="{escape(alt)}" src="data:image/png;base64,{base64.b64encode(png).decode()}"></div>'


def _table(head: list[str], rows: list[list[str] | str]) -> str:
    """Rows are lists of cells (already escaped) or a string: a section title spanning the table."""
    out = ["<table>", "<tr>" + "".join(f"<th>{escape(h)}</th>" for h in head) + "</tr>"]
    for row in rows:
        if isinstance(row, str):
            out.append(f'<tr class="section"><td colspan="{len(head)}">{escape(row)}</td></tr>')
        else:
            out.append("<tr>" + "".join(f"<td>{c}</td>" for c in row) + "</tr>")
    out.append("</table>")
    return "\n".join(out)


def _header(summary: Summary) -> str:
    s, r = summary.scenario, summary.run
    items = [
        ("file", f"{s.file} (sha256 {s.sha256[:12]})"),
        ("runs", f"{r.runs}" + (f" of {r.requested_runs} requested" if summary.partial else "")),
        ("seed", str(r.seed)), ("version", r.version),
        ("workers", f"{r.workers} ({r.executor}), blocks of {r.block_size}"),
        ("wall time", format_duration(r.wall_s)),
    ] + [("override", f"{k} = {override_text(v)}") for k, v in s.overrides.items()]
    return '<dl class="header">' + "".join(f"<dt>{escape(k)}</dt><dd>{escape(v)}</dd>" for k, v in items) + "</dl>"


def _partial(summary: Summary) -> str:
    if not summary.partial:
        return ""
    r = summary.run
    return (f'<div class="partial">PARTIAL RUN: interrupted after {r.runs} of {r.requested_runs} replications; '
            f"every figure below covers the finished {r.runs} only.</div>")


def _cell(p) -> str:
    if p is None or not p.n:
        return "-"
    return f"{format_percent(p.p)} <span class=\"muted\">({escape(format_interval(*p.ci95))}, {p.count}/{p.n})</span>"


def _outcomes(summary: Summary) -> str:
    threats = summary.names.threats if len(summary.names.threats) > 1 else ()
    rows: list[list[str] | str] = []
    for title, section in outcome_sections(summary):
        rows.append(title)
        for row in section:
            pooled = row.get(summary.pooled)
            if pooled is not None:
                rows.append([escape(row.label), _cell(pooled)] + [_cell(row.get(summary.threats[t])) for t in threats])
    if summary.any_threat_leaked is not None:
        rows.append(["runs with a leak", _cell(summary.any_threat_leaked)] + ["" for _ in threats])
    return _table(["outcome", "all threats (95% interval, count/n)", *threats], rows)


def _causes(summary: Summary) -> str:
    """Where the chain ended for every threat that came down on own territory."""
    threats = summary.names.threats if len(summary.names.threats) > 1 else ()
    rows: list[list[str] | str] = []
    for end in ChainEnd:
        key = end.name.lower()
        p = summary.pooled.causes.get(key)
        if p is not None and p.count:
            rows.append([escape(end.label), _cell(p)] + [_cell(summary.threats[t].causes.get(key)) for t in threats])
    return _table(["reason (threatened threats)", "all threats (95% interval, count/n)", *threats], rows)


def _metrics(summary: Summary) -> str:
    rows: list[list[str] | str] = []
    scopes = [("", summary.pooled)] + ([(f"{t}: ", summary.threats[t]) for t in summary.names.threats]
                                       if len(summary.names.threats) > 1 else [])
    for prefix, scope in scopes:
        for m in METRICS:
            s = scope.metrics[m.name]
            rows.append([escape(prefix + m.label), str(s.n)]
                        + [escape(format_value(m, x)) for x in (s.mean, s.p50, s.p90, s.min, s.max)]
                        + [f'<span class="muted">{escape(s.among)}</span>'])
    return _table(["measure", "n", "mean", "median", "p90", "min", "max", "among"], rows)


def _readiness(summary: Summary) -> str:
    rows: list[list[str] | str] = []
    for unit, levels in summary.readiness.items():
        for level, x in levels.items():
            rows.append([escape(unit), escape(level), format_percent(x.reached.p), escape(format_interval(*x.reached.ci95)),
                         format_duration(x.p50_s), format_duration(x.p90_s)])
    return _table(["unit", "level", "reached", "95% interval", "median", "p90"], rows)


def _chain(summary: Summary) -> str:
    rows: list = ["to the decision (share of launch to decision)"]
    for name, step in summary.chain.items():
        s = step.stats
        rows.append([escape(name), format_duration(s.mean), format_duration(s.p50), format_duration(s.p90),
                     format_percent(step.share), str(s.n),
                     format_percent(summary.largest_step[name].p) if name in summary.largest_step else ""])
        if name == TO_DECISION[-1]:
            rows.append("after the decision (share of decision to intercept)")
    return _table(["step", "mean", "median", "p90", "share", "n", "longest step in"], rows)


def _histograms(result: RunResult) -> str:
    rows = result.outcomes.threats.reshape(-1)
    values = {m.name: m.values(rows) for m in METRICS if m.name in ("time_to_decision_s", "margin_s")}
    return (_img(plots.histogram_png(_finite(values["time_to_decision_s"]), "Time to decision", "launch to decision"),
                 "Histogram of time to decision")
            + _img(plots.histogram_png(_finite(values["margin_s"]), "Margin", "window close - decision",
                                       mark_zero=True), "Histogram of the margin"))


def _finite(v: np.ndarray) -> np.ndarray:
    return v[np.isfinite(v)]
