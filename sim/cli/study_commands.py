"""Commands that set runs side by side or find them again: compare, sweep, the history, play."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated, Optional

import typer
from rich.text import Text

from sim.cli.app import (
    DEFAULT_STORE,
    MAX_RUNS,
    MAX_SEED,
    MAX_WORKERS,
    BadInput,
    Interrupted,
    Writer,
    app,
    check_outputs,
    checked_store,
    executor_for,
    is_stdout,
    progress_bar,
    say,
    stderr,
    stdout,
)
from sim.scenario.loader import load_scenario
from sim.store import Store


@app.command()
def compare(
    a: Annotated[str, typer.Argument(help="A: a scenario file, a result file (--json of sim run) or a run id.")],
    b: Annotated[str, typer.Argument(help="B: the same; every difference is B - A.")],
    runs: Annotated[Optional[int], typer.Option("--runs", min=1, max=MAX_RUNS, help="Replications of each scenario (default: A's runs).")] = None,
    seed: Annotated[Optional[int], typer.Option("--seed", min=0, max=MAX_SEED, help="Seed of both scenarios (default: A's seed).")] = None,
    json_out: Annotated[Optional[Path], typer.Option("--json", help="Write the differences (sim.compare/1).")] = None,
    html_out: Annotated[Optional[Path], typer.Option("--html", help="Write the report as one HTML page.")] = None,
    store: Annotated[Path, typer.Option("--store", help="Run history in which to look up run ids.")] = DEFAULT_STORE,
    workers: Annotated[Optional[int], typer.Option("--workers", min=1, max=MAX_WORKERS, help="Worker processes (default: the number of cores).")] = None,
    quiet: Annotated[bool, typer.Option("--quiet", help="Print nothing but errors.")] = False,
    set_a: Annotated[Optional[list[str]], typer.Option("--set-a", help="Override a value of scenario A: PATH=VALUE.")] = None,
    set_b: Annotated[Optional[list[str]], typer.Option("--set-b", help="Override a value of scenario B: PATH=VALUE.")] = None,
) -> None:
    """Compare A and B: two scenarios run with common random numbers (paired), or two finished runs (unpaired).

    A and B may be the same file with --set-b changing B: `sim compare s.yaml s.yaml --set-b PATH=VALUE`.
    """
    from sim import interrupts
    from sim.compare import compare_inputs
    from sim.files import write_text_atomic
    from sim.report import compare_report
    from sim.store import StoreError, UnknownRun

    inputs = tuple(Path(x) for x in (a, b) if Path(x).is_file())   # scenario or result files: never overwritten
    outputs = check_outputs({"--json": json_out, "--html": html_out}, store=store, inputs=inputs)
    history = Store(store)
    try:
        with progress_bar(quiet) as progress:
            comparison = compare_inputs(a, b, runs=runs, seed=seed, store=history,
                                        executor=executor_for("local", workers), progress=progress,
                                        set_a=tuple(set_a or ()), set_b=tuple(set_b or ()))
    except UnknownRun as exc:
        raise BadInput(str(exc)) from None
    except StoreError as exc:
        raise BadInput(f"--store {store}: {exc}") from None
    finally:
        for warning in history.warnings:
            say(warning)
    with interrupts.deferred():
        if not quiet and not any(is_stdout(p) for p in outputs.values()):
            stdout().print(compare_report.render(comparison))
        writer = Writer(quiet)
        writer.write("--json", outputs["--json"],
                     lambda p: write_text_atomic(p, compare_report.comparison_json_text(comparison)))
        writer.write("--html", outputs["--html"], lambda p: write_text_atomic(p, compare_report.comparison_html(comparison)))
        writer.finish()


@app.command()
def sweep(
    scenario: Annotated[Path, typer.Argument(help="Scenario YAML file.")],
    vary: Annotated[list[str], typer.Option("--vary", help="PATH=V1,V2,...: one axis of the grid (YAML values), repeatable.")],
    runs: Annotated[Optional[int], typer.Option("--runs", min=1, max=MAX_RUNS, help="Replications per point (default: the scenario's runs).")] = None,
    seed: Annotated[Optional[int], typer.Option("--seed", min=0, max=MAX_SEED, help="Seed of every point (default: the scenario's seed).")] = None,
    store: Annotated[Path, typer.Option("--store", help="Run history that keeps each point; finished points are skipped.")] = DEFAULT_STORE,
    json_out: Annotated[Optional[Path], typer.Option("--json", help="Write every point and the sensitivity (sim.sweep/1).")] = None,
    workers: Annotated[Optional[int], typer.Option("--workers", min=1, max=MAX_WORKERS, help="Worker processes (default: the number of cores).")] = None,
    quiet: Annotated[bool, typer.Option("--quiet", help="Print nothing but errors.")] = False,
) -> None:
    """Run a scenario over the grid of --vary values, all with the same seed, and rank the parameters by effect."""
    from sim import interrupts
    from sim.files import write_text_atomic
    from sim.report import sweep_report
    from sim.store import StoreError
    from sim.sweep import PointResult, parse_vary, plan_sweep, run_sweep

    json_path = check_outputs({"--json": json_out}, scenario, store)["--json"]
    plan = plan_sweep(scenario, [parse_vary(v) for v in vary], runs, seed)
    history = checked_store(store)
    tell = not quiet and sys.stderr.isatty()

    def point_done(n: int, total: int, r: PointResult) -> None:
        if tell:
            how = f"already in the history as run {r.run_id}" if r.reused else f"kept as run {r.run_id}"
            stderr().print(Text(f"point {n}/{total} {r.point.label}: {how}"))

    with interrupts.deferred():   # a signal stops the point in progress; finished points and the file are kept
        try:
            with progress_bar(quiet) as progress:
                result = run_sweep(plan, history, executor=executor_for("local", workers), progress=progress,
                                   on_point=point_done)
        except StoreError as exc:
            raise BadInput(f"--store {store}: {exc}") from None
        if not quiet and not is_stdout(json_path):
            stdout().print(sweep_report.render_sweep(result))
        writer = Writer(quiet)
        writer.write("--json", json_path, lambda p: write_text_atomic(p, sweep_report.sweep_json_text(result)))
        if not result.complete:
            stderr().print(Text(f"interrupted: {len(result.results)} of {len(plan.points)} points kept in {store}; "
                                "run the same command again to finish"))
        writer.finish()
        if not result.complete or interrupts.received() is not None:
            raise Interrupted()


@app.command()
def runs(
    store: Annotated[Path, typer.Option("--store", help="Run history to list.")] = DEFAULT_STORE,
    limit: Annotated[int, typer.Option("--limit", min=1, help="How many of the latest runs to list.")] = 20,
) -> None:
    """List the run history: id, when, scenario, overrides, seed, runs and the headline outcome."""
    from sim.report import history_report
    from sim.store import StoreError

    history = Store(store)
    try:
        stored = history.recent(limit)
    except StoreError as exc:
        raise BadInput(f"--store {store}: {exc}") from None
    for warning in history.warnings:   # one damaged row never hides the others
        say(warning)
    stdout().print(history_report.render_runs(stored, store))


@app.command()
def show(
    run_id: Annotated[int, typer.Argument(metavar="RUN", min=1, max=MAX_SEED, help="A run id, as listed by sim runs.")],
    store: Annotated[Path, typer.Option("--store", help="Run history to read.")] = DEFAULT_STORE,
    json_out: Annotated[Optional[Path], typer.Option("--json", help="Write the run's result file (sim.result/2).")] = None,
) -> None:
    """Print the report of a run from the history, as it was when it ran."""
    from sim.files import write_text_atomic
    from sim.report import history_report, terminal
    from sim.analysis import to_text
    from sim.store import StoreError, UnknownRun

    json_path = check_outputs({"--json": json_out}, store=store)["--json"]
    history = Store(store)
    try:
        stored = history.get(run_id)
        summary = stored.summary()
    except UnknownRun as exc:
        raise BadInput(str(exc)) from None
    except StoreError as exc:
        raise BadInput(f"--store {store}: {exc}") from None
    if not is_stdout(json_path):
        out = stdout()
        out.print(history_report.stored_title(stored))
        out.print(terminal.render(summary))
    writer = Writer(quiet=True)
    writer.write("--json", json_path, lambda p: write_text_atomic(p, to_text(summary)))
    writer.finish()


@app.command()
def play(
    scenario: Annotated[Path, typer.Argument(help="Scenario YAML file.")],
    seed: Annotated[Optional[int], typer.Option("--seed", min=0, max=MAX_SEED, help="Seed (default: the scenario's seed).")] = None,
    replication: Annotated[int, typer.Option("--replication", min=0, help="Start from this replication of the run.")] = 0,
    set_: Annotated[Optional[list[str]], typer.Option("--set", help="Override a value: PATH=VALUE (YAML), repeatable.")] = None,
) -> None:
    """Tabletop mode: reveal one replication's events one at a time (Enter, n, a, q)."""
    from sim.play import play as tabletop

    loaded = load_scenario(scenario, set_ or [])
    s = seed if seed is not None else loaded.scenario.seed
    interactive = sys.stdin.isatty()
    tabletop(loaded, s, first=replication, console=stdout(), ask=input if interactive else None)


