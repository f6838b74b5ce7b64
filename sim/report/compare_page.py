"""The compare page: what changed, the headline difference, then B - A of every outcome and time as charts.

Same templates and style as the run page (:mod:`sim.report.pages`); the tables underneath carry
the exact numbers. Every text from either scenario is escaped by the templates.
"""

from __future__ import annotations

from markupsafe import Markup

from sim.analysis import METRIC_BY_NAME, METRICS, OUTCOMES, Comparison, Difference
from sim.numbers import is_nan
from sim.report import pages
from sim.report.formats import format_percent, override_text
from sim.report.intervals import Row, dot_whisker_svg


def _row(label: str, d: Difference) -> Row:
    return Row(label, d.diff, *d.ci95)


def _prop(x: float) -> str:
    return "-" if is_nan(x) else format_percent(x)


def _points(x: float) -> str:
    return "-" if is_nan(x) else f"{100 * x:+.1f} pts"


def comparison_page(c: Comparison) -> str:
    from sim.report.compare_report import format_shift, headline_difference

    outcomes = [(o.name, o.headline, c.pooled.outcomes[o.name]) for o in OUTCOMES if o.name in c.pooled.outcomes]
    metrics = [(m.name, m.label, c.pooled.metrics[m.name]) for m in METRICS if m.name in c.pooled.metrics]
    out_rows = [
        [
            label,
            _prop(d.a),
            _prop(d.b),
            Markup('<span class="sig">{}</span>' if d.significant else "{}").format(_points(d.diff)),
            f"{_points(d.ci95[0])} to {_points(d.ci95[1])}",
        ]
        for _, label, d in outcomes
        if d.n_a or d.n_b
    ]
    met_rows = [
        [
            label,
            format_shift(d.a, False).lstrip("+"),
            format_shift(d.b, False).lstrip("+"),
            Markup('<span class="sig">{}</span>' if d.significant else "{}").format(format_shift(d.diff)),
            f"{format_shift(d.ci95[0])} to {format_shift(d.ci95[1])}",
        ]
        for _, label, d in metrics
        if not is_nan(d.diff)
    ]
    sections = [
        pages.section(
            "What changed A -> B",
            pages.macro("table", ["path", "A", "B"], [[ch.path, ch.a, ch.b] for ch in c.changes]) if c.changes else "",
            text="" if c.changes else "Nothing in the scenario.",
        ),
        pages.section(
            "Outcomes: B - A",
            pages.macro(
                "figure",
                pages.safe(
                    dot_whisker_svg(
                        [_row(label, d) for _, label, d in outcomes],
                        "Difference of every outcome, B - A",
                        "B - A",
                        False,
                        "Differences of the outcomes with 95% intervals",
                    )
                ),
            ),
            pages.macro("table", ["outcome", "A", "B", "B - A", "95% interval"], out_rows),
        ),
        pages.section(
            "Times: B - A",
            pages.macro(
                "figure",
                pages.safe(
                    dot_whisker_svg(
                        [_row(label, d) for name, label, d in metrics if METRIC_BY_NAME[name].is_time],
                        "Difference of every time, B - A (means)",
                        "B - A",
                        True,
                        "Differences of the times with 95% intervals",
                    )
                ),
            ),
            pages.macro("table", ["measure", "A", "B", "B - A", "95% interval"], met_rows),
        ),
        pages.section("The two sides", pages.macro("header", _sides(c)), keep=True),
    ]
    d = c.pooled.outcomes.get(c.main)
    lead = Markup("")
    if d is not None:
        lead = Markup(
            '<div class="answer"><p class="question">{}</p><p class="big">{} <small>{}</small></p></div>'
        ).format("What did the change do to the headline outcome?", _points(d.diff), headline_difference(c.main, d))
    title = "Compare A -> B" + ("" if c.a.name == c.b.name else f": {c.a.name} -> {c.b.name}")
    return pages.page(title, _how(c), sections, lead=lead)


def _how(c: Comparison) -> str:
    if c.paired:
        return f"paired: {c.a.runs} replications each, seed {c.a.seed}, common random numbers"
    return f"unpaired: A {c.a.runs} runs (seed {c.a.seed}), B {c.b.runs} runs (seed {c.b.seed}); independent samples"


def _sides(c: Comparison) -> list[tuple[str, str]]:
    out: list[tuple[str, str]] = []
    for tag, s in (("A", c.a), ("B", c.b)):
        out.append((tag, f"{s.label}: {s.name}" + (f" (sha256 {s.sha256[:12]})" if s.sha256 else "")))
        out += [("", f"{path} = {override_text(v)}") for path, v in s.overrides.items()]
    out += [("note", n) for n in c.notes]
    return out
