"""The debrief for a trainer: in the terminal (rich) and as an HTML page (the reports' Jinja pages)."""

from __future__ import annotations

from rich.console import Group
from rich.table import Table
from rich.text import Text

from sim.exercise.debrief import Counterfactual, Debrief, Rate
from sim.report.pages import macro, page, section
from sim.report.timeline import trace_clock
from sim.scenario.quantities import format_duration


def rate(r: Rate) -> str:
    return f"{r.p:.0%} ({r.lo:.0%}-{r.hi:.0%})"


def counterfactual_line(c: Counterfactual) -> str:
    """``with your timing intercepted | threatened would be 9% (6-12%); with the model crew's, 17% (...)``."""
    return (
        f"with your timing {c.outcome} would be {rate(c.yours)}; with the model crew's, {rate(c.model)} "
        f"({c.runs} replications each, seed {c.seed}, common random numbers)"
    )


def outcome_lines(d: Debrief) -> list[str]:
    out = []
    for t in d.threats:
        verdict = "intercepted" if t.intercepted else ("LEAKED" if t.threatened else "no threat to own territory")
        who = f", decided by {t.decided_by}" if t.decided_by else ""
        out.append(f"{t.name}: {t.failure}, truly {t.truly}: {verdict} (cause: {t.cause}{who})")
    return out


def decision_rows(d: Debrief) -> list[list[str]]:
    return [
        [
            trace_clock(r.decision.answered),
            r.decision.post,
            f"{r.decision.kind} {r.decision.subject}",
            r.decision.answer,
            format_duration(r.decision.sim_s),
            f"{r.percentile:.0f}",
            format_duration(r.model_median_s),
        ]
        for r in d.decisions
    ]


DECISION_HEAD = ["time", "post", "decision", "answer", "took", "percentile of the model's", "model median"]


def terminal(d: Debrief) -> Group:
    """The debrief as rich renderables: outcome, decisions, counterfactual, timeline."""
    parts: list = [Text(f"Debrief: {d.scenario} (seed {d.seed}, replication {d.replication})", style="bold")]
    parts += [Text("  " + line) for line in outcome_lines(d)]
    if d.decisions:
        table = Table(*DECISION_HEAD, title="your decisions")
        for row in decision_rows(d):
            table.add_row(*row)
        parts.append(table)
    if d.counterfactual is not None:
        parts.append(Text(counterfactual_line(d.counterfactual), style="bold"))
    timeline = Table("time", "who", "what", "detail", title="what really happened", show_lines=False)
    for e in d.timeline:
        style = "bold yellow" if e.player else ""
        timeline.add_row(trace_clock(e.t), e.actor, ("YOU: " if e.player else "") + e.what, e.detail, style=style)
    parts.append(timeline)
    return Group(*parts)


def html(d: Debrief) -> str:
    """The debrief as a self-contained page."""
    head = macro(
        "header",
        [
            ("scenario", d.scenario),
            ("seed", str(d.seed)),
            ("replication", str(d.replication)),
            ("players' posts", ", ".join(d.posts)),
            ("pace", f"x{d.pace:g}"),
        ],
    )
    sections = [
        section("Outcome", macro("table", ["threat and what became of it"], [[x] for x in outcome_lines(d)])),
        section("Your decisions", macro("table", DECISION_HEAD, decision_rows(d)) if d.decisions else "", text=""),
        section(
            "Counterfactual",
            text=counterfactual_line(d.counterfactual) if d.counterfactual else "no decision of yours to replay",
        ),
        section(
            "Timeline",
            macro(
                "table",
                ["time", "who", "what", "detail"],
                [[trace_clock(e.t), e.actor, ("YOU: " if e.player else "") + e.what, e.detail] for e in d.timeline],
            ),
        ),
    ]
    return page(f"Debrief: {d.scenario}", "tabletop exercise", sections, lead=head)
