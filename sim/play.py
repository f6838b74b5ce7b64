"""Tabletop mode: reveal one replication's story event by event, as a facilitator runs an exercise.

The trainees hear each inject (a launch, a report, an order) in turn and say what they would do
next; the facilitator then shows what the model did. A replication is the same one ``sim run``
made (same seed, same number), so a surprising line in a report can be replayed here.
"""

from __future__ import annotations

from typing import Callable

from rich.console import Console
from rich.panel import Panel

from sim.engine.draws import BlockDraws
from sim.engine.flights import BlockFlights
from sim.engine.outcome import FAILURES, ThreatRecord
from sim.engine.plan import compile_plan
from sim.engine.replication import Replication
from sim.engine.trace import Trace
from sim.report.terminal import trace_clock
from sim.results import TraceEvent
from sim.runner import BLOCK_SIZE
from sim.scenario.quantities import format_duration

HELP = "Enter: next event   n: next replication   a: all remaining events   q: quit"


def story(loaded, seed: int, replication: int) -> tuple[list[TraceEvent], list[ThreatRecord]]:
    """The event log and outcomes of replication ``replication`` of a run with ``seed``."""
    plan = compile_plan(loaded.scenario)
    block, i = divmod(replication, BLOCK_SIZE)
    draws = BlockDraws(plan.sites, seed, block, BLOCK_SIZE)
    trace = Trace(True)
    rep = Replication(plan, draws, BlockFlights(plan, draws), i, trace)
    records, _ = rep.run()
    return sorted(trace.events, key=lambda e: e.t), records


def outcome_line(name: str, rec: ThreatRecord) -> str:
    if rec["intercepted"]:
        verdict = f"intercepted ({int(rec['interceptors_used'])} interceptors)"
    elif rec["threatened"]:
        verdict = "LEAKED onto own territory" + (" (the chain was too slow)" if rec["too_late"] else "")
    elif rec["engaged"]:
        verdict = "engaged needlessly: it was not coming down on own territory"
    else:
        verdict = "no threat to own territory"
    return f"{name}: {FAILURES[int(rec['failure'])].replace('_', ' ')}, {verdict}"


def play(loaded, seed: int, first: int = 0, console: Console | None = None,
         ask: Callable[[str], str] | None = input) -> int:
    """Run the tabletop loop; returns the number of replications shown.

    With ``ask=None`` (no terminal to answer from) it tells replication ``first`` whole and stops.
    """
    out = console or Console(highlight=False)
    s = loaded.scenario
    out.print(Panel(f"{s.description.strip() or s.name}\n\n{HELP}", title=f"tabletop: {s.name}  (seed {seed})"))
    shown, replication = 0, first
    while True:
        events, records = story(loaded, seed, replication)
        out.rule(f"replication {replication}")
        shown += 1
        reveal_all = ask is None
        skipped = False
        previous = 0.0
        for e in events:
            gap = f"  (+{format_duration(e.t - previous)})" if e.t > previous else ""
            out.print(f"[bold]{trace_clock(e.t):>11}[/bold]  {e.actor:<18} {e.event}  {e.detail}{gap}", markup=True)
            previous = e.t
            if reveal_all:
                continue
            answer = _ask(ask)
            if answer == "q":
                return shown
            if answer == "n":
                skipped = True
                break
            reveal_all = answer == "a"
        for k, rec in enumerate(records):
            out.print("  => " + outcome_line(s.threats[k].name, rec))
        if ask is None or (not skipped and _ask(ask, "next replication? [Enter/q] ") == "q"):
            return shown
        replication += 1


def _ask(ask: Callable[[str], str], prompt: str = "") -> str:
    try:
        return ask(prompt).strip().lower()[:1]
    except EOFError:
        return "q"

