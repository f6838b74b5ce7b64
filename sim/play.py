"""Tabletop mode: reveal one replication's story event by event, as a facilitator runs an exercise.

The trainees hear each inject (a launch, a report, an order) in turn and say what they would do
next; the facilitator then shows what the model did. A replication is the same one ``sim run``
made (same seed, same number), so a surprising line in a report can be replayed here.
"""

from __future__ import annotations

from collections.abc import Callable

from rich.console import Console
from rich.panel import Panel
from rich.text import Text

from sim.engine.outcome import FailureMode, ThreatRecord
from sim.report.terminal import trace_clock
from sim.scenario.loader import LoadedScenario
from sim.scenario.quantities import format_duration
from sim.study import Study, story

HELP = "Enter: next event   n: next replication   a: all remaining events   q: quit"


def outcome_line(name: str, rec: ThreatRecord) -> str:
    if rec.intercepted:
        verdict = f"intercepted ({rec.interceptors_used} interceptors)"
    elif rec.threatened:
        verdict = "LEAKED onto own territory" + (" (the chain was too slow)" if rec.too_late else "")
    elif rec.engaged:
        verdict = "engaged needlessly: it was not coming down on own territory"
    else:
        verdict = "no threat to own territory"
    return f"{name}: {FailureMode(rec.failure).key.replace('_', ' ')}, {verdict}"


def play(
    loaded: LoadedScenario,
    seed: int,
    first: int = 0,
    console: Console | None = None,
    ask: Callable[[str], str] | None = input,
) -> int:
    """Run the tabletop loop; returns the number of replications shown.

    With ``ask=None`` (no terminal to answer from) it tells replication ``first`` whole and stops.
    """
    out = console or Console(highlight=False)
    s = loaded.scenario
    out.print(
        Panel(Text(f"{s.description.strip() or s.name}\n\n{HELP}"), title=Text(f"tabletop: {s.name}  (seed {seed})"))
    )
    shown, replication = 0, first
    while True:
        events, records = story(Study(loaded, loaded.scenario.runs, seed), replication)
        out.rule(f"replication {replication}")
        shown += 1
        reveal_all = ask is None
        skipped = False
        previous = 0.0
        for e in events:
            gap = f"  (+{format_duration(e.t - previous)})" if e.t > previous else ""
            line = Text(f"{trace_clock(e.t):>11}", style="bold")
            line.append(f"  {e.actor:<18} {e.event}  {e.detail}{gap}")
            out.print(line)
            previous = e.t
            if reveal_all:
                continue
            answer = _ask(ask) if ask is not None else "a"
            if answer == "q":
                return shown
            if answer == "n":
                skipped = True
                break
            reveal_all = answer == "a"
        for k, rec in enumerate(records):
            out.print(Text("  => " + outcome_line(s.threats[k].name, rec)))
        if ask is None or (not skipped and _ask(ask, "next replication? [Enter/q] ") == "q"):
            return shown
        replication += 1


def _ask(ask: Callable[[str], str], prompt: str = "") -> str:
    try:
        return ask(prompt).strip().lower()[:1]
    except EOFError:
        return "q"
