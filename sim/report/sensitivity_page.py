"""The sensitivity page: which declared assumptions the result rests on, in the look of the run page.

Top down: the question and its answer (the first measure's sentence), then per measure the bar chart
and a ranked table in words, the assumptions as the file declares them, the study's header and the
command that reproduces it. Built from the shared templates (``pages``) and figure style (``style``);
reads a finished :class:`~sim.study.sensitivity.SensitivityResult` (a report never runs a simulation).
"""

from __future__ import annotations

import math
import shlex
from typing import TYPE_CHECKING, Any

from markupsafe import Markup

from sim.report import pages
from sim.report.sensitivity_report import Ranking, amount, bars_svg, declared_range

if TYPE_CHECKING:
    from sim.study.sensitivity import SensitivityResult

QUESTION = "Which of the assumptions we are unsure of does the result rest on?"


def _value(r: Ranking, x: float) -> str:
    """The measure at the file's values: a percentage for a proportion, a duration or a count otherwise."""
    if not math.isfinite(x):
        return "-"
    return f"{100 * x:.1f}%" if r.measure.is_proportion else amount(r.measure, x)


def _lead(result: SensitivityResult, ranks: list[Ranking]) -> Markup:
    parts = [Markup('<div class="answer"><p class="question">{}</p>').format(QUESTION)]
    if not result.complete:
        parts.insert(0, Markup('<div class="partial">PARTIAL STUDY: some points did not finish.</div>'))
    if ranks:
        r = ranks[0]
        value, lo, hi = r.nominal
        interval = f"95% interval {_value(r, lo)} to {_value(r, hi)}" if math.isfinite(r.yardstick) else "no interval"
        parts.append(
            Markup('<p class="big">{} <small>{} at the file\'s values, {}</small></p>').format(
                _value(r, value), r.measure.label, interval
            )
        )
        parts.append(Markup('<p class="why">{}.</p>').format(r.sentence()))
    parts.append(Markup("</div>"))
    return Markup("").join(parts)


def _ranked_table(result: SensitivityResult, r: Ranking) -> Markup:
    """One row per assumption, largest first; "beyond the dice" when it moves the measure more than its interval."""
    m, morris = r.measure, result.plan.method == "morris"
    matters = set(r.matters())
    if morris:
        head = ["rank", "assumption", "range in the file", "mean change over the range (mu*)", "+- (95%)", "sigma"]
    else:
        head = ["rank", "assumption", "range in the file", "share with interactions (ST)", "+- (95%)"]
        head += ["share alone (S1)", "+- (95%)", "moves it by"]
    head.append("beyond the dice?")
    rows: list[list[Any]] = []
    for rank, i in enumerate(r.indices.ranked(), start=1):
        row: list[Any] = [str(rank), i.name, declared_range(result, i.name)]
        if morris:
            row += [amount(m, i.a), amount(m, i.a_conf), amount(m, i.b)]
        else:
            row += [f"{i.a:.2f}", f"{i.a_conf:.2f}", f"{i.b:.2f}", f"{i.b_conf:.2f}", amount(m, r.changes[i.name])]
        row.append(
            "yes" if i.name in matters and math.isfinite(r.yardstick) else "no" if math.isfinite(r.yardstick) else "-"
        )
        rows.append(row)
    return pages.macro("table", head, rows)


def _caption(result: SensitivityResult, r: Ranking) -> str:
    if result.plan.method == "morris":
        what = "Bars: mu*, the mean absolute change of the measure over each assumption's whole range, with its 95% interval."
    else:
        what = "Bars: ST (the share of the variance with interactions) and S1 (alone), with their 95% intervals."
    if not math.isfinite(r.yardstick):
        return what + " A quantile has no interval here, so the ranking cannot tell a change from the dice."
    return what + (
        f" The dashed line is the +- of the measure's own 95% interval at the file's values "
        f"({amount(r.measure, r.yardstick)}): an assumption that moves it by less is within the dice."
    )


def _reproduce(result: SensitivityResult) -> str:
    plan = result.plan
    words = ["sim", "sensitivity", str(plan.base.file), "--method", plan.method, "--points", str(plan.points)]
    words += ["--runs", str(plan.runs), "--seed", str(plan.seed)]
    for m in result.measures:
        words += ["--measure", m]
    return " ".join(shlex.quote(w) for w in words)


def sensitivity_page(result: SensitivityResult, ranks: list[Ranking]) -> str:
    """One self-contained page: the answer, a chart and a ranked table per measure, the assumptions, how to rerun."""
    plan = result.plan
    name = str(plan.base.scenario.name) or "(unnamed scenario)"
    sections = [
        pages.section(
            f"What {r.measure.label} rests on",
            pages.macro("figure", pages.safe(bars_svg(r)), _caption(result, r)),
            _ranked_table(result, r),
            text=r.sentence() + ".",
        )
        for r in ranks
    ]
    declared = [
        [a.path, declared_range(result, a.path), f"{a.low:.4g}", f"{a.high:.4g}", "factor" if a.factor else "value"]
        for a in plan.assumptions
    ]
    sections.append(
        pages.section(
            "The assumptions in doubt",
            pages.macro("table", ["assumption", "range in the file", "low", "high", "as"], declared),
            text="Declared in the scenario's uncertainty: section; every point moves all of them at once.",
        )
    )
    header = [
        ("file", f"{plan.base.file} (sha256 {plan.base.sha256[:12]})"),
        ("method", plan.method),
        (
            "points",
            f"{len(plan.x)} evaluations ({plan.points} {'trajectories' if plan.method == 'morris' else 'base samples'})",
        ),
        ("runs", f"{plan.runs} per point, the same random draws at every point"),
        ("seed", str(plan.seed)),
        ("history", f"{result.reused} points read back, {'complete' if result.complete else 'partial'}"),
    ]
    sections.append(pages.section("Study", pages.macro("header", header), keep=True))
    sections.append(pages.section("Reproduce", Markup("<code>{}</code>").format(_reproduce(result)), keep=True))
    subtitle = (
        f"{plan.base.file} - sensitivity ({plan.method}), {len(plan.x)} points x {plan.runs} runs, seed {plan.seed}"
    )
    return pages.page(f"{name}: which assumptions matter", subtitle, sections, lead=_lead(result, ranks))
