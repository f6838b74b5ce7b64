"""``sim sensitivity``: the assumptions ranked, one sentence on what a conclusion rests on, and JSON.

The HTML page is :mod:`sim.report.sensitivity_page`; its bar chart is :func:`bars_svg` here.

The yardstick is the measure's own 95% interval at the file's values, read as a trainer reads
"22% +- 6 pts": an assumption whose whole range moves the measure by less than that half-width
moves it less than the dice do at this many runs, however it ranks. For Morris the change is mu* (the mean absolute change over the
assumption's whole range); for Sobol it is sqrt(ST x Var), the spread the assumption accounts for.
"""

from __future__ import annotations

import json
import math
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, cast

from rich.console import Group, JustifyMethod
from rich.text import Text

from sim.analysis import gsa
from sim.analysis.measure import Measure, parse_measure
from sim.numbers import json_number
from sim.report.compare_report import format_points
from sim.report.formats import format_amount
from sim.report.rich_tables import titled_table
from sim.report.style import AFTER, BEFORE, figure, styled, to_svg

if TYPE_CHECKING:
    from sim.study.sensitivity import SensitivityResult


@dataclass(frozen=True)
class Ranking:
    """One measure's indices, its value and interval at the nominal point, and the sentence."""

    measure: Measure
    indices: gsa.Indices
    nominal: tuple[float, float, float]
    changes: dict[str, float]  # by path: how far the assumption moves the measure (mu*, or sqrt(ST Var))

    @property
    def yardstick(self) -> float:
        """The half-width of the measure's 95% interval at the file's values (the +- of "22% +- 6 pts")."""
        _, lo, hi = self.nominal
        return (hi - lo) / 2

    def matters(self) -> list[str]:
        y = self.yardstick
        return [i.name for i in self.indices.ranked() if not math.isfinite(y) or self.changes[i.name] >= y]

    def sentence(self) -> str:
        ranked = [i.name for i in self.indices.ranked()]
        if not math.isfinite(self.yardstick):
            return (
                f"{self.measure.text} rests mostly on {_names(ranked[:3])} "
                "(no interval at the file's values to tell a change from the dice)"
            )
        big = self.matters()
        rest = [n for n in ranked if n not in big]
        if not big:
            return (
                f"{self.measure.text} rests on none of the declared assumptions: each changes it by less "
                "than its own interval"
            )
        if not rest:
            return f"{self.measure.text} rests on every declared assumption: {_names(big)}"
        others = _names(rest) if len(rest) <= 3 else f"{rest[0]} to {rest[-1]} ({len(rest)} assumptions)"
        verb = "changes" if len(rest) == 1 else "change"
        return f"{self.measure.text} rests mostly on {_names(big)}; {others} {verb} it by less than its own interval"


def _names(names: list[str]) -> str:
    return names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1]


def rankings(result: SensitivityResult) -> list[Ranking]:
    out = []
    for text in result.measure_names:
        m = parse_measure(text)
        ix = result.indices(m)
        if ix.method == "morris":
            changes = {i.name: i.a for i in ix.indices}
        else:
            var = float(result.values(m).var())
            changes = {i.name: math.sqrt(max(i.a, 0.0) * var) for i in ix.indices}
        out.append(Ranking(m, ix, result.nominal(m), changes))
    return out


def amount(m: Measure, x: float) -> str:
    if not math.isfinite(x):
        return "-"
    if m.is_proportion:
        return format_points(x, sign=False) + " pts"
    return format_amount(x, m.is_time)


def declared_range(result: SensitivityResult, path: str) -> str:
    """The range as the file writes it."""
    return str(result.plan.base.scenario.uncertainty[path])


def render(result: SensitivityResult, ranks: list[Ranking]) -> Group:
    """One ranked table per measure, each followed by its sentence."""
    plan = result.plan
    parts: list[Any] = []
    for r in ranks:
        m = r.measure
        value, lo, hi = r.nominal
        title = (
            f"Which assumptions {m.label} rests on ({plan.method}, {len(plan.x)} points x {plan.runs} runs, "
            f"common random numbers)"
        )
        table = titled_table(Text(title))
        heads: tuple[tuple[str, str], ...] = (("rank", "right"), ("assumption", "left"), ("range", "right"))
        heads += (
            (("mu*", "right"), ("95% conf", "right"), ("sigma", "right"))
            if plan.method == "morris"
            else (
                ("ST", "right"),
                ("95% conf", "right"),
                ("S1", "right"),
                ("95% conf ", "right"),
                ("moves it by", "right"),
            )
        )
        for col, justify in heads:
            table.add_column(col, justify=cast(JustifyMethod, justify), no_wrap=True)
        for rank, i in enumerate(r.indices.ranked(), start=1):
            row: list[str | Text] = [
                str(rank),
                Text(i.name, style="bold" if i.name in r.matters() else ""),
                declared_range(result, i.name),
            ]
            if plan.method == "morris":
                row += [amount(m, i.a), "±" + amount(m, i.a_conf), amount(m, i.b)]
            else:
                row += [
                    f"{i.a:.2f}",
                    f"±{i.a_conf:.2f}",
                    f"{i.b:.2f}",
                    f"±{i.b_conf:.2f}",
                    amount(m, r.changes[i.name]),
                ]
            table.add_row(*row)
        shown = f"{100 * value:.1f}%" if m.is_proportion else amount(m, value)
        table.caption = (
            (
                f"At the file's values {m.text} is {shown}; a quantile has no interval here, so the "
                "ranking cannot tell a change from the dice (a mean or a proportion can)."
            )
            if not math.isfinite(r.yardstick)
            else (
                f"At the file's values {m.text} is {shown}, 95% interval {amount(m, lo) if not m.is_proportion else f'{100 * lo:.1f}%'}"
                f" to {amount(m, hi) if not m.is_proportion else f'{100 * hi:.1f}%'}: an assumption that "
                f"moves it by less than half that, {amount(m, r.yardstick)}, is within the dice (bold: more)."
            )
        )
        table.caption_justify = "left"
        parts += [table, Text(r.sentence() + ".", style="bold"), Text("")]
    return Group(*parts)


def to_json(result: SensitivityResult, ranks: list[Ranking]) -> dict[str, Any]:
    plan, b = result.plan, result.plan.base
    morris = plan.method == "morris"
    return {
        "schema": "sim.sensitivity/1",
        "scenario": {"name": str(b.scenario.name), "file": b.file, "sha256": b.sha256},
        "method": plan.method,
        "points": plan.points,
        "evaluations": len(plan.x),
        "runs": plan.runs,
        "seed": plan.seed,
        "complete": result.complete,
        "reused_points": result.reused,
        "assumptions": [
            {"path": a.path, "range": declared_range(result, a.path), "low": a.low, "high": a.high, "factor": a.factor}
            for a in plan.assumptions
        ],
        "measures": [
            {
                "measure": r.measure.text,
                "label": r.measure.label,
                "nominal": {
                    "value": json_number(r.nominal[0]),
                    "ci95": [json_number(r.nominal[1]), json_number(r.nominal[2])],
                },
                "yardstick": json_number(r.yardstick),
                "ranked": [
                    (
                        {
                            "path": i.name,
                            "mu_star": json_number(i.a),
                            "mu_star_conf": json_number(i.a_conf),
                            "sigma": json_number(i.b),
                        }
                        if morris
                        else {
                            "path": i.name,
                            "ST": json_number(i.a),
                            "ST_conf": json_number(i.a_conf),
                            "S1": json_number(i.b),
                            "S1_conf": json_number(i.b_conf),
                        }
                    )
                    | {"change": json_number(r.changes[i.name]), "matters": i.name in r.matters()}
                    for i in r.indices.ranked()
                ],
                "sentence": r.sentence(),
            }
            for r in ranks
        ],
    }


def json_text(result: SensitivityResult, ranks: list[Ranking]) -> str:
    return json.dumps(to_json(result, ranks), indent=2, ensure_ascii=False, allow_nan=False) + "\n"


@styled
def bars_svg(r: Ranking) -> str:
    """Horizontal bars, most influential on top, with their 95% intervals; the yardstick as a dashed line."""
    ranked = r.indices.ranked()
    fig = figure(0.9 + 0.4 * len(ranked))
    ax = fig.add_subplot()
    ys = list(range(len(ranked)))
    scale = 100.0 if r.measure.is_proportion else 1.0
    if r.indices.method == "morris":
        ax.barh(
            ys,
            [i.a * scale for i in ranked],
            xerr=[i.a_conf * scale for i in ranked],
            color=BEFORE,
            edgecolor="white",
            capsize=3,
        )
        if math.isfinite(r.yardstick):
            ax.axvline(r.yardstick * scale, color="#d62728", linestyle="--", linewidth=1)
            ax.text(r.yardstick * scale, -0.7, " +- of its 95% interval", color="#d62728", fontsize=8)
        ax.set_xlabel("mu*: mean change over the assumption's whole range" + (" (points)" if scale == 100 else ""))
    else:
        ax.barh(
            [y - 0.2 for y in ys],
            [i.a for i in ranked],
            0.4,
            xerr=[i.a_conf for i in ranked],
            color=BEFORE,
            label="ST (with interactions)",
            capsize=3,
        )
        ax.barh(
            [y + 0.2 for y in ys],
            [i.b for i in ranked],
            0.4,
            xerr=[i.b_conf for i in ranked],
            color=AFTER,
            label="S1 (alone)",
            capsize=3,
        )
        ax.legend(fontsize=8, frameon=False)
        ax.set_xlabel("share of the variance")
    ax.set_yticks(ys, [i.name for i in ranked])
    ax.invert_yaxis()
    ax.set_title(f"What {r.measure.text} rests on", fontsize=10)
    ax.spines[["top", "right"]].set_visible(False)
    return to_svg(fig, f"What {r.measure.text} rests on")
