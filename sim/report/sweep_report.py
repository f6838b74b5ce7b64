"""``sim sweep``: the grid of points as a table of key outcomes, and the one-at-a-time sensitivity ranking."""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, cast

from rich.console import Group, JustifyMethod, RenderableType
from rich.table import Table
from rich.text import Text

from sim.analysis import METRIC_BY_NAME, OUTCOME_BY_NAME, Summary
from sim.analysis.effects import Effect
from sim.numbers import NAN
from sim.report.compare_report import format_points
from sim.report.formats import (
    format_amount,
    format_interval,
    format_percent,
    format_value,
)
from sim.report.rich_tables import titled_table

if TYPE_CHECKING:
    from sim.study.sweep import SweepResult

KEY_OUTCOMES = ("decided_in_time_given_threatened",)
KEY_METRICS = {"time_to_decision_s": "to decision\n(median)", "margin_s": "margin\n(median)"}


def _p(summary: Summary, name: str) -> str:
    x = summary.pooled.outcomes.get(name)
    if x is None or not x.n:
        return "-"
    return f"{format_percent(x.p)} ({format_interval(*x.ci95).rstrip('%')})"


def _median(summary: Summary, name: str) -> str:
    x = summary.pooled.metrics.get(name)
    return format_value(METRIC_BY_NAME[name], NAN if x is None else x.p50)


def _headline(name: str) -> str:
    return OUTCOME_BY_NAME[name].headline


def render_sweep(sweep: SweepResult) -> Group:
    """The grid as a table of the measure (and key outcomes, when there are threats) per point, then its effects."""
    plan, main = sweep.plan, sweep.main
    measure = sweep.measure
    threats = bool(plan.base.scenario.threats)
    heads = _axis_heads([a.path for a in plan.axes])
    title = (
        f"Sweep of {plan.base.scenario.name}: {len(plan.points)} points, {plan.runs} runs each, seed {plan.seed} "
        "(common random numbers)"
    )
    table = titled_table(Text(title))
    for head, a in zip(heads, plan.axes):
        table.add_column(Text(head), overflow="fold", min_width=min(12, max(len(head), *(len(v) for v in a.values))))
    custom = sweep.measure_name is not None
    if custom:
        table.add_column(Text(measure.label), justify="right", overflow="fold", max_width=24)
    if threats:
        table.add_column(_headline(main).replace(" | ", "\n| ") + "\n(95% interval)", justify="right", no_wrap=True)
        for name in KEY_OUTCOMES:
            table.add_column(_headline(name).replace(" | ", "\n| "), justify="right", no_wrap=True)
        for head in KEY_METRICS.values():
            table.add_column(head, justify="right", no_wrap=True)
    table.add_column("run", justify="right", no_wrap=True)
    for r in sweep.results:
        cells: list[str | Text] = [Text(v) for _, v in r.point.settings]
        if custom:
            value = measure.value(r.summary)
            cells.append(format_percent(value) if measure.is_proportion else format_amount(value, measure.is_time))
        if threats:
            p = {n: r.summary.pooled.outcomes.get(n) for n in KEY_OUTCOMES}
            cells += [
                _p(r.summary, main),
                *(format_percent(NAN if x is None else x.p) for x in p.values()),
                *(_median(r.summary, n) for n in KEY_METRICS),
            ]
        table.add_row(*cells, "-" if r.run_id is None else str(r.run_id))
    legend = [f"{head} = {a.path}" for head, a in zip(heads, plan.axes) if head != a.path]
    if legend:
        table.caption = Text("; ".join(legend))
        table.caption_justify = "left"
    effects = sweep.effects()
    parts: list[RenderableType] = [table, effects_table(sweep) if effects is not None else sensitivity_table(sweep)]
    reused = sum(r.reused for r in sweep.results)
    if reused:
        parts.append(
            Text(
                f"{reused} of {len(sweep.results)} points read back from the history (same scenario text, "
                "values, seed, runs and version)"
            )
        )
    if not sweep.complete:
        parts.append(
            Text(
                f"INCOMPLETE: {len(sweep.results)} of {len(plan.points)} points; the finished ones are "
                "kept, run the same command again to finish.",
                style="bold",
            )
        )
    return Group(*parts)


def _axis_heads(paths: list[str]) -> list[str]:
    """Short column heads for the varied paths: the last part, or as many parts as make them distinct."""
    for parts in range(1, max(len(p.split(".")) for p in paths) + 1):
        heads = [".".join(p.split(".")[-parts:]) for p in paths]
        if len(set(heads)) == len(heads):
            return heads
    return paths


def sensitivity_table(sweep: SweepResult) -> Table:
    main = sweep.main
    table = titled_table(
        f"Sensitivity of {_headline(main)}: each parameter moved alone, the others at their first value"
    )
    for col, justify in (("rank", "right"), ("parameter", "left"), ("range", "right"), ("along its values", "left")):
        table.add_column(col, justify=cast(JustifyMethod, justify), no_wrap=col != "along its values")
    for rank, s in enumerate(sweep.sensitivity(), start=1):
        along = "  ".join(f"{v}: {format_percent(NAN if p is None else p)}" for v, p in zip(s.values, s.p))
        table.add_row(
            str(rank),
            Text(s.path),
            "-" if s.delta is None else format_points(s.delta, sign=False) + " pts",
            Text(along),
        )
    base = sweep.results[0].summary.pooled.outcomes.get(main) if sweep.results else None
    if base is not None and base.n:
        table.caption = (
            f"For scale: at the first point {_headline(main)} is {format_percent(base.p)}, "
            f"95% interval {format_interval(*base.ci95)}. Points share their random draws, so a range "
            "smaller than that interval can still be real; check it with sim compare."
        )
        table.caption_justify = "left"
    return table


def _effect_text(measure_is_proportion: bool, is_time: bool, e: Effect) -> tuple[str, str]:
    """An effect and its interval, in points for proportions and in time units for times."""
    from sim.report.compare_report import format_shift

    def fmt(x: float) -> str:
        return format_points(x) if measure_is_proportion else format_shift(x, is_time)

    lo, hi = e.ci95
    return fmt(e.estimate), "-" if lo != lo else f"{fmt(lo)} to {fmt(hi)}"


def effects_table(sweep: SweepResult) -> Group:
    """Main effects over the whole grid, ranked, and the two-way interactions, with paired 95% intervals."""
    effects = sweep.effects()
    assert effects is not None
    m = sweep.measure
    axes = sweep.plan.axes
    main = titled_table(Text(f"Effects on {m.label}, averaged over the whole grid (95% intervals, paired)"))
    for col, justify in (
        ("rank", "right"),
        ("parameter", "left"),
        ("moves it by", "right"),
        ("95% interval", "right"),
        ("main effect of each value", "left"),
    ):
        main.add_column(col, justify=cast(JustifyMethod, justify), no_wrap=col != "main effect of each value")
    for rank, a in enumerate(effects.ranked(), start=1):
        size, ci = _effect_text(m.is_proportion, m.is_time, a.spread)
        levels = "  ".join(
            f"{axes[a.axis].values[i]}: {_effect_text(m.is_proportion, m.is_time, e)[0]}"
            for i, e in enumerate(a.levels)
        )
        main.add_row(str(rank), Text(axes[a.axis].path), size.lstrip("+"), ci, Text(levels))
    parts: list[RenderableType] = [main]
    if effects.interactions:
        inter = titled_table("Two-way interactions: the largest term of each pair (0: the effects simply add up)")
        for col in ("parameters", "at", "term", "95% interval"):
            inter.add_column(col, no_wrap=True)
        for x in sorted(effects.interactions, key=lambda x: -abs(x.largest.estimate)):
            i, j = x.axes
            term, ci = _effect_text(m.is_proportion, m.is_time, x.largest)
            inter.add_row(
                Text(f"{axes[i].path} x {axes[j].path}"),
                Text(f"{axes[i].values[x.at[0]]}, {axes[j].values[x.at[1]]}"),
                term,
                ci,
            )
        parts.append(inter)
    return Group(*parts)


def sweep_json_text(sweep: SweepResult) -> str:
    return json.dumps(sweep.to_json(), indent=2, ensure_ascii=False, allow_nan=False) + "\n"
