"""`sim exercise`: the tabletop exercise in a terminal, and its debrief. `sim play` points here."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated

import typer

from sim.cli.app import (
    EXIT_BAD_INPUT,
    BadInput,
    ExecutorName,
    ExecutorOption,
    SchedulerOption,
    SeedOption,
    WorkersOption,
    app,
    opened_executor,
    say,
    stdout,
)
from sim.cli.session_options import (
    CounterfactualRunsOption,
    PaceOption,
    PostsOption,
    ReplicationOption,
    SkipAfterOption,
)


@app.command()
def exercise(
    scenario: Annotated[
        Path | None, typer.Argument(metavar="SCENARIO", help="Scenario YAML file (not with --replay).")
    ] = None,
    seed: SeedOption = None,
    replication: ReplicationOption = 0,
    post: PostsOption = None,
    pace: PaceOption = 1.0,
    answers: Annotated[
        Path | None, typer.Option("--answers", metavar="FILE", help="Play a prepared script of answers.")
    ] = None,
    auto: Annotated[bool, typer.Option("--auto", help="The model decides everywhere (a classroom demo).")] = False,
    log: Annotated[
        Path | None, typer.Option("--log", metavar="FILE", help="Write the session as JSON as it goes.")
    ] = None,
    replay: Annotated[
        Path | None, typer.Option("--replay", metavar="LOG", help="Replay a session log to its debrief.")
    ] = None,
    runs: CounterfactualRunsOption = 200,
    html: Annotated[Path | None, typer.Option("--html", metavar="FILE", help="Write the debrief as HTML.")] = None,
    quiet: SkipAfterOption = 3.0,
    set_: Annotated[
        list[str] | None, typer.Option("--set", metavar="PATH=VALUE", help="Override a value (YAML), repeatable.")
    ] = None,
    executor: ExecutorOption = ExecutorName.local,
    workers: WorkersOption = None,
    scheduler: SchedulerOption = None,
) -> None:
    """A tabletop exercise: decide at your post on a running clock, then the debrief against the model."""
    from sim.exercise import log as session_log
    from sim.exercise.debrief import make_debrief
    from sim.exercise.desk import ExerciseError
    from sim.exercise.render import html as debrief_html
    from sim.exercise.render import terminal as debrief_terminal
    from sim.exercise.script import load_answers, play_script
    from sim.exercise.session import Session
    from sim.files import write_text_atomic
    from sim.scenario.loader import load_scenario

    out = stdout()
    try:
        if replay is not None:
            if scenario is not None:
                raise BadInput("give a SCENARIO or --replay LOG, not both")
            session = session_log.replay(session_log.read(replay))
        else:
            if scenario is None:
                raise BadInput("give a SCENARIO (or --replay LOG)")
            loaded = load_scenario(scenario, set_ or [])
            script = load_answers(answers) if answers is not None else None
            live = script is None and not auto
            if live and not (sys.stdin.isatty() and sys.stdout.isatty()):
                raise BadInput("sim exercise needs a terminal to play in: or give --answers FILE or --auto")
            session = Session(loaded, seed, replication, post or (), pace, auto=auto, log=log)
            if script is not None:
                play_script(session, script)
            elif auto:
                while not session.finished:
                    session.skip()
            else:
                from sim.cli.exercise_screen import run_live

                run_live(session, out, quiet)
                while not session.finished:  # stopped early: the rest runs out without the players
                    session.skip()
    except (ExerciseError, ValueError) as exc:
        say(f"{replay or scenario}: {exc}")
        raise typer.Exit(EXIT_BAD_INPUT) from None
    with opened_executor(executor.value, workers, scheduler, quiet=True) as ex:
        debrief = make_debrief(session, runs, ex)
    out.print(debrief_terminal(debrief))
    if html is not None:
        write_text_atomic(html, debrief_html(debrief))


@app.command(hidden=True, context_settings={"allow_extra_args": True, "ignore_unknown_options": True})
def play() -> None:
    """Replaced by `sim exercise`."""
    say("sim play is now `sim exercise SCENARIO` (see docs/exercise.md)")
    raise typer.Exit(EXIT_BAD_INPUT)
