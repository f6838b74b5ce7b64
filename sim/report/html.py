"""The run report as ONE self-contained HTML page: mail it, project it, print it, archive it with the run.

Top down: the question and its answer, where the chains ended, the chain per threat, decision time
against the window's closing, readiness over time, the map, then the detailed tables. Built from the
shared templates of :mod:`sim.report.pages` (everything from the scenario escaped there); figures are
inline SVG; no script and no link to anything outside the file.
"""

from __future__ import annotations

from typing import Any

from markupsafe import Markup

from sim.analysis import METRICS, OUTCOME_BY_NAME, TO_DECISION, Summary
from sim.analysis.stats import Proportion
from sim.engine.outcome import ChainEnd
from sim.report import mapplot, pages, plots
from sim.report.export import atomic_open
from sim.report.formats import format_interval, format_percent, format_value, override_text, reproduce_command
from sim.report.terminal import outcome_sections
from sim.results import RunResult
from sim.scenario.quantities import format_duration


def write_html(summary: Summary, result: RunResult, path) -> None:
    """Write the report to `path` (atomically: the whole page or nothing)."""
    page = render_html(summary, result)
    with atomic_open(path) as f:
        f.write(page)


def render_html(summary: Summary, result: RunResult) -> str:
    s = summary.scenario
    fig = pages.safe
    threatened = bool(plots.cause_counts(summary.pooled))
    decided = summary.pooled.metrics["margin_s"].n > 0 or summary.pooled.metrics["time_to_decision_s"].n > 0
    sections = [
        pages.section(
            "Where the chains ended",
            pages.macro("figure", fig(plots.causes_svg(summary))) if threatened else "",
            text="" if threatened else "No threat came down on own territory.",
        ),
        pages.section(
            "Interception chain",
            pages.macro("figure", fig(plots.waterfall_svg(summary))),
            text=summary.what_ate_the_margin,
        ),
        pages.section(
            "Decision time against the window's closing",
            pages.macro(
                "figure",
                fig(plots.margin_svg(result)),
                "Margin: the latest decision from which the fire order and the battery's reaction still make "
                "the engagement window, less the decision; below 0 the decision came too late.",
            )
            if decided
            else "",
            text="" if decided else "No threat was decided in any replication.",
        ),
        pages.section(
            "Readiness over time",
            pages.macro(
                "figure",
                fig(plots.readiness_svg(summary, result)),
                "Share of replications in which each unit had reached each alert level by that time.",
            ),
        ),
        pages.section("Map", pages.macro("figure", fig(mapplot.map_svg(result)))),
        pages.section("Outcomes", _outcomes(summary)),
        pages.section(
            "Why threats got through",
            _causes(summary) if threatened else "",
            text="" if threatened else "No threat came down on own territory.",
        ),
        pages.section("Times", _metrics(summary)),
        pages.section("Readiness", _readiness(summary)),
        pages.section("Chain steps", _chain(summary)),
        pages.section("Run", pages.macro("header", _header(summary)), keep=True),
        pages.section("Reproduce", Markup("<code>{}</code>").format(reproduce_command(summary)), keep=True),
    ]
    subtitle = f"{s.file} - {summary.run.runs} replications, seed {summary.run.seed}"
    return pages.page(s.name or "(unnamed scenario)", subtitle, sections, lead=_lead(summary))


def question(summary: Summary) -> str:
    """The scenario's question in a trainer's words, from its headline outcome."""
    if summary.main_outcome == "intercepted_given_threatened":
        return "Of the threats that would come down on our territory, how many do we intercept?"
    return "How many threats do we intercept?"


def _lead(summary: Summary) -> Markup:
    """The question and its answer, with the largest reason threats got through."""
    parts = [_partial(summary), Markup('<div class="answer"><p class="question">{}</p>').format(question(summary))]
    p = summary.pooled.outcomes.get(summary.main_outcome)
    if p is not None and p.n:
        label = OUTCOME_BY_NAME[summary.main_outcome].label
        parts.append(
            Markup('<p class="big">{} <small>{}: 95% interval {}, {} of {}</small></p>').format(
                format_percent(p.p), label, format_interval(*p.ci95), p.count, p.n
            )
        )
    else:
        parts.append(Markup('<p class="big">- <small>nothing to measure</small></p>'))
    if summary.names.threats:
        parts.append(Markup('<p class="why">{}</p>').format(summary.why_it_leaked))
    parts.append(Markup("</div>"))
    return Markup("").join(parts)


def _partial(summary: Summary) -> Markup:
    if not summary.partial:
        return Markup("")
    r = summary.run
    return Markup(
        '<div class="partial">PARTIAL RUN: interrupted after {} of {} replications; '
        "every figure below covers the finished {} only.</div>"
    ).format(r.runs, r.requested_runs, r.runs)


def _header(summary: Summary) -> list[tuple[str, str]]:
    s, r = summary.scenario, summary.run
    return [
        ("file", f"{s.file} (sha256 {s.sha256[:12]})"),
        ("runs", f"{r.runs}" + (f" of {r.requested_runs} requested" if summary.partial else "")),
        ("seed", str(r.seed)),
        ("version", r.version),
        ("workers", f"{r.workers} ({r.executor}), blocks of {r.block_size}"),
        ("wall time", format_duration(r.wall_s)),
    ] + [("override", f"{k} = {override_text(v)}") for k, v in s.overrides.items()]


def _cell(p: Proportion | None) -> Markup:
    if p is None or not p.n:
        return Markup("-")
    return Markup('{} <span class="muted">({}, {}/{})</span>').format(
        format_percent(p.p), format_interval(*p.ci95), p.count, p.n
    )


def _columns(summary: Summary) -> tuple[str, ...]:
    return summary.names.threats if len(summary.names.threats) > 1 else ()


def _outcomes(summary: Summary) -> Markup:
    threats = _columns(summary)
    rows: list[Any] = []
    for title, section in outcome_sections(summary):
        body = []
        for row in section:
            pooled = row.get(summary.pooled)
            cells = [row.get(summary.threats[t]) for t in threats]
            if pooled is not None and (pooled.n or any(c is not None and c.n for c in cells)):
                body.append([row.label, _cell(pooled)] + [_cell(c) for c in cells])
        if body:
            rows += [title] + body
    if summary.any_threat_leaked is not None:
        rows.append(["runs with a leak", _cell(summary.any_threat_leaked)] + ["" for _ in threats])
    return pages.macro("table", ["outcome", "all threats (95% interval, count/n)", *threats], rows)


def _causes(summary: Summary) -> Markup:
    """Where the chain ended for every threat that came down on own territory."""
    threats = _columns(summary)
    rows: list[Any] = []
    for end in ChainEnd:
        key = end.name.lower()
        p = summary.pooled.causes.get(key)
        if p is not None and p.count:
            rows.append([end.label, _cell(p)] + [_cell(summary.threats[t].causes.get(key)) for t in threats])
    table = pages.macro("table", ["reason (threatened threats)", "all threats (95% interval, count/n)", *threats], rows)
    held = [
        [f"authority at {post}", _cell(p)] + [_cell(summary.threats[t].undecided_at.get(post)) for t in threats]
        for post, p in summary.pooled.undecided_at.items()
        if p.count
    ]
    if not held:
        return table
    head = ["never decided: who held authority", "all threats (95% interval, count/n)", *threats]
    return table + pages.macro("table", head, held)


def _metrics(summary: Summary) -> Markup:
    """Pooled statistics per measure, then the median per threat: one row per measure, no empty rows."""
    rows: list[Any] = []
    for m in METRICS:
        s = summary.pooled.metrics[m.name]
        if not s.n:
            continue
        rows.append(
            [m.label, str(s.n)]
            + [format_value(m, x) for x in (s.mean, s.p50, s.p90, s.min, s.max)]
            + [Markup('<span class="muted">{}</span>').format(s.among)]
        )
    out = pages.macro("table", ["measure", "n", "mean", "median", "p90", "min", "max", "among"], rows)
    threats = _columns(summary)
    if threats:
        per = []
        for m in METRICS:
            stats = [summary.threats[t].metrics[m.name] for t in threats]
            if any(x.n for x in stats):
                per.append([m.label] + [format_value(m, x.p50) if x.n else "" for x in stats])
        if per:
            out += Markup("<h3>Median per threat</h3>") + pages.macro("table", ["measure", *threats], per)
    return out


def _readiness(summary: Summary) -> Markup:
    rows: list[Any] = []
    for unit, levels in summary.readiness.items():
        for level, x in levels.items():
            rows.append(
                [
                    unit,
                    level,
                    format_percent(x.reached.p),
                    format_interval(*x.reached.ci95),
                    format_duration(x.p50_s),
                    format_duration(x.p90_s),
                ]
            )
    return pages.macro("table", ["unit", "level", "reached", "95% interval", "median", "p90"], rows)


def _chain(summary: Summary) -> Markup:
    rows: list[Any] = ["to the decision (share of launch to decision)"]
    for name, step in summary.chain.items():
        s = step.stats
        rows.append(
            [
                name,
                format_duration(s.mean),
                format_duration(s.p50),
                format_duration(s.p90),
                format_percent(step.share),
                str(s.n),
                format_percent(summary.largest_step[name].p) if name in summary.largest_step else "",
            ]
        )
        if name == TO_DECISION[-1]:
            rows.append("after the decision (share of decision to intercept)")
    return pages.macro("table", ["step", "mean", "median", "p90", "share", "n", "longest step in"], rows)
