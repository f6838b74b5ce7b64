"""The sweep page: which parameter moves the measure most (main effects), whether they add up
(interactions), then every point of the grid, in the look of the run page.

Reads a finished :class:`~sim.study.sweep.SweepResult` (imported for its type only: a report never
runs a simulation).
"""

from __future__ import annotations

import math
from typing import TYPE_CHECKING, Any

from markupsafe import Markup

from sim.analysis import Summary
from sim.report import pages
from sim.report.formats import format_interval, format_percent
from sim.report.intervals import Row, dot_whisker_svg

if TYPE_CHECKING:
    from sim.study.sweep import SweepResult


def _value(x: float, is_proportion: bool) -> str:
    if not math.isfinite(x):
        return "-"
    return format_percent(x) if is_proportion else f"{x:.4g}"


def sweep_page(sweep: SweepResult) -> str:
    m = sweep.measure
    axes = sweep.plan.axes
    effects = sweep.effects()
    sections = []
    if effects is not None:
        main_rows = []
        for a in effects.ranked():
            for i, e in enumerate(a.levels):
                main_rows.append(Row(f"{axes[a.axis].path} = {axes[a.axis].values[i]}", e.estimate, *e.ci95))
        spread = [Row(axes[a.axis].path, a.spread.estimate, *a.spread.ci95) for a in effects.ranked()]
        parts: list[Any] = [
            pages.macro(
                "figure",
                pages.safe(
                    dot_whisker_svg(
                        spread,
                        "How far each parameter alone moves it (largest value minus smallest)",
                        "range",
                        m.is_time,
                        "Range of the measure along each parameter",
                    )
                ),
            ),
            pages.macro(
                "figure",
                pages.safe(
                    dot_whisker_svg(
                        main_rows,
                        "Main effect of each value (its mean over the grid minus the grand mean)",
                        "effect",
                        m.is_time,
                        "Main effects of each value with 95% intervals",
                    )
                ),
            ),
        ]
        sections.append(
            pages.section(
                f"Effects on {m.label}",
                *parts,
                text=f"Averaged over the whole grid; grand mean {_value(effects.grand_mean, m.is_proportion)}.",
            )
        )
        if effects.interactions:
            rows = [
                Row(
                    f"{axes[x.axes[0]].path} x\n{axes[x.axes[1]].path}\n"
                    f"at {axes[x.axes[0]].values[x.at[0]]}, {axes[x.axes[1]].values[x.at[1]]}",
                    x.largest.estimate,
                    *x.largest.ci95,
                )
                for x in sorted(effects.interactions, key=lambda x: -abs(x.largest.estimate))
            ]
            sections.append(
                pages.section(
                    "Interactions",
                    pages.macro(
                        "figure",
                        pages.safe(
                            dot_whisker_svg(
                                rows,
                                "Largest interaction term of each pair (0: the effects add up)",
                                "term",
                                m.is_time,
                                "Two-way interactions with 95% intervals",
                            )
                        ),
                    ),
                )
            )
    else:
        sections.append(pages.section(f"Effects on {m.label}", text="The grid is not complete: no effects yet."))
    sections.append(pages.section("Every point", _points(sweep)))
    sections.append(
        pages.section(
            "Run",
            pages.macro(
                "header",
                [
                    ("scenario", f"{sweep.plan.base.file}"),
                    ("runs per point", str(sweep.plan.runs)),
                    ("seed", str(sweep.plan.seed)),
                    ("points", f"{len(sweep.results)} of {len(sweep.plan.points)}"),
                ],
            ),
            keep=True,
        )
    )
    name = str(sweep.plan.base.scenario.name)
    return pages.page(
        f"Sweep: {name}",
        f"{len(axes)} parameters, {len(sweep.plan.points)} points, "
        f"{sweep.plan.runs} replications each, seed {sweep.plan.seed}",
        sections,
        lead=_lead(sweep),
    )


def _lead(sweep: SweepResult) -> Markup:
    effects = sweep.effects()
    if effects is None or not effects.main:
        return Markup("")
    top = effects.ranked()[0]
    axis = sweep.plan.axes[top.axis]
    m = sweep.measure
    size = top.spread.estimate
    text = f"{100 * size:.1f} pts" if m.is_proportion else f"{size:.4g}"
    return Markup('<div class="answer"><p class="question">{}</p><p class="big">{} <small>{}</small></p></div>').format(
        f"Which parameter moves {m.label} most?",
        axis.path,
        f"moves it by {text} over its values {', '.join(axis.values)}",
    )


def _points(sweep: SweepResult) -> Markup:
    m = sweep.measure
    paths = [a.path for a in sweep.plan.axes]
    rows = []
    for r in sweep.results:
        s: Summary = r.summary
        value = m.value(s)
        p = s.pooled.outcomes.get(sweep.main)
        rows.append(
            [
                *(dict(r.point.settings)[path] for path in paths),
                _value(value, m.is_proportion),
                "-" if p is None or not p.n else f"{format_percent(p.p)} ({format_interval(*p.ci95)})",
            ]
        )
    return pages.macro("table", [*paths, m.label, f"{sweep.main} (95% interval)"], rows)
