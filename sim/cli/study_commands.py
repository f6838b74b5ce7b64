"""Commands that set runs side by side or find them again: compare, sweep, the history."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated

import typer
from rich.text import Text

from sim.cli.app import (
    DEFAULT_STORE,
    MAX_RUNS,
    MAX_SEED,
    BadInput,
    ExecutorName,
    ExecutorOption,
    Interrupted,
    SchedulerOption,
    WorkersOption,
    Writer,
    app,
    check_outputs,
    checked_store,
    is_stdout,
    opened_executor,
    progress_bar,
    say,
    stderr,
    stdout,
)
from sim.store import Store


@app.command()
def compare(
    a: Annotated[
        str, typer.Argument(metavar="A", help="A: a scenario file, a result file (--json of sim run) or a run id.")
    ],
    b: Annotated[str, typer.Argument(metavar="B", help="B: the same; every difference is B - A.")],
    runs: Annotated[
        int | None,
        typer.Option(
            "--runs", min=1, max=MAX_RUNS, metavar="N", help="Replications of each scenario (default: A's runs)."
        ),
    ] = None,
    seed: Annotated[
        int | None,
        typer.Option("--seed", min=0, max=MAX_SEED, metavar="S", help="Seed of both scenarios (default: A's seed)."),
    ] = None,
    json_out: Annotated[
        Path | None, typer.Option("--json", metavar="FILE", help="Write the differences (sim.compare/2).")
    ] = None,
    csv_out: Annotated[
        Path | None,
        typer.Option(
            "--csv", metavar="FILE", help="Write one row per difference: scope, measure, a, b, diff, interval."
        ),
    ] = None,
    html_out: Annotated[
        Path | None, typer.Option("--html", metavar="FILE", help="Write the report as one HTML page.")
    ] = None,
    store: Annotated[
        Path, typer.Option("--store", metavar="FILE", help="Run history in which to look up run ids.")
    ] = DEFAULT_STORE,
    workers: WorkersOption = None,
    executor: ExecutorOption = ExecutorName.local,
    scheduler: SchedulerOption = None,
    quiet: Annotated[bool, typer.Option("--quiet", help="Print nothing but errors.")] = False,
    set_a: Annotated[
        list[str] | None, typer.Option("--set-a", metavar="PATH=VALUE", help="Override a value of scenario A.")
    ] = None,
    set_b: Annotated[
        list[str] | None, typer.Option("--set-b", metavar="PATH=VALUE", help="Override a value of scenario B.")
    ] = None,
    measure: Annotated[
        str | None,
        typer.Option(
            "--measure",
            metavar="NAME",
            help="The measure to headline: an outcome (stray:leaked), cause.KEY, a metric[.p50] or readiness.UNIT.LEVEL.STAT.",
        ),
    ] = None,
) -> None:
    """Compare A and B: two scenarios run with common random numbers (paired), or two finished runs (unpaired).

    A and B may be the same file with --set-b changing B: `sim compare s.yaml s.yaml --set-b PATH=VALUE`.
    """
    from sim import interrupts
    from sim.files import write_text_atomic
    from sim.report import compare_report
    from sim.store import StoreError, UnknownRun
    from sim.study.compare import compare_inputs

    inputs = tuple(Path(x) for x in (a, b) if Path(x).is_file())  # scenario or result files: never overwritten
    outputs = check_outputs({"--json": json_out, "--csv": csv_out, "--html": html_out}, store=store, inputs=inputs)

    history = Store(store)
    try:
        with opened_executor(executor.value, workers, scheduler, quiet) as chosen, progress_bar(quiet) as progress:
            comparison = compare_inputs(
                a,
                b,
                runs=runs,
                seed=seed,
                store=history,
                executor=chosen,
                measure=measure,
                progress=progress,
                set_a=tuple(set_a or ()),
                set_b=tuple(set_b or ()),
            )
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

        def csv(p: Path) -> None:
            from sim.report.export import write_table
            from sim.report.study_tables import compare_table

            write_table(compare_table(comparison), p)

        writer.write(
            "--json", outputs["--json"], lambda p: write_text_atomic(p, compare_report.comparison_json_text(comparison))
        )
        writer.write("--csv", outputs["--csv"], csv)
        writer.write(
            "--html", outputs["--html"], lambda p: write_text_atomic(p, compare_report.comparison_html(comparison))
        )
        writer.finish()


@app.command()
def sweep(
    scenario: Annotated[Path, typer.Argument(metavar="SCENARIO", help="Scenario YAML file.")],
    vary: Annotated[
        list[str],
        typer.Option("--vary", metavar="PATH=V1,V2,...", help="One axis of the grid (YAML values), repeatable."),
    ],
    runs: Annotated[
        int | None,
        typer.Option(
            "--runs", min=1, max=MAX_RUNS, metavar="N", help="Replications per point (default: the scenario's runs)."
        ),
    ] = None,
    seed: Annotated[
        int | None,
        typer.Option(
            "--seed", min=0, max=MAX_SEED, metavar="S", help="Seed of every point (default: the scenario's seed)."
        ),
    ] = None,
    store: Annotated[
        Path,
        typer.Option("--store", metavar="FILE", help="Run history that keeps each point; finished points are skipped."),
    ] = DEFAULT_STORE,
    json_out: Annotated[
        Path | None, typer.Option("--json", metavar="FILE", help="Write every point and the sensitivity (sim.sweep/2).")
    ] = None,
    csv_out: Annotated[
        Path | None,
        typer.Option(
            "--csv", metavar="FILE", help="Write one row per point and measure, the point's values in set:PATH columns."
        ),
    ] = None,
    html_out: Annotated[
        Path | None, typer.Option("--html", metavar="FILE", help="Write the effects and the grid as one HTML page.")
    ] = None,
    workers: WorkersOption = None,
    executor: ExecutorOption = ExecutorName.local,
    scheduler: SchedulerOption = None,
    measure: Annotated[
        str | None,
        typer.Option(
            "--measure",
            metavar="NAME",
            help="The measure to headline: an outcome (stray:leaked), cause.KEY, a metric[.p50] or readiness.UNIT.LEVEL.STAT.",
        ),
    ] = None,
    quiet: Annotated[bool, typer.Option("--quiet", help="Print nothing but errors.")] = False,
) -> None:
    """Run a scenario over the grid of --vary values, all with the same seed, and rank the parameters by effect."""
    from sim import interrupts
    from sim.files import write_text_atomic
    from sim.report import sweep_report
    from sim.report.sweep_page import sweep_page
    from sim.store import StoreError
    from sim.study.sweep import PointResult, parse_vary, plan_sweep, run_sweep

    outputs = check_outputs({"--json": json_out, "--csv": csv_out, "--html": html_out}, scenario, store)
    plan = plan_sweep(scenario, [parse_vary(v) for v in vary], runs, seed)
    if measure:
        base = plan.base.scenario
        from sim.analysis.measure import parse_measure

        parse_measure(measure).check(
            [t.name for t in base.threats], [u.name for u in base.units], [lv.name for lv in base.alert_levels]
        )
    history = checked_store(store)
    tell = not quiet and sys.stderr.isatty()

    def point_done(n: int, total: int, r: PointResult) -> None:
        if tell:
            how = f"already in the history as run {r.run_id}" if r.reused else f"kept as run {r.run_id}"
            stderr().print(Text(f"point {n}/{total} {r.point.label}: {how}"))

    with interrupts.deferred():  # a signal stops the point in progress; finished points and the file are kept
        try:
            with opened_executor(executor.value, workers, scheduler, quiet) as chosen, progress_bar(quiet) as progress:
                result = run_sweep(
                    plan, history, executor=chosen, progress=progress, on_point=point_done, measure=measure
                )
        except StoreError as exc:
            raise BadInput(f"--store {store}: {exc}") from None
        if not quiet and not any(is_stdout(p) for p in outputs.values()):
            stdout().print(sweep_report.render_sweep(result))
        writer = Writer(quiet)

        def csv(p: Path) -> None:
            from sim.report.export import write_table
            from sim.report.study_tables import sweep_table

            write_table(sweep_table(result), p)

        writer.write("--json", outputs["--json"], lambda p: write_text_atomic(p, sweep_report.sweep_json_text(result)))
        writer.write("--csv", outputs["--csv"], csv)
        writer.write("--html", outputs["--html"], lambda p: write_text_atomic(p, sweep_page(result)))
        if not result.complete:
            stderr().print(
                Text(
                    f"interrupted: {len(result.results)} of {len(plan.points)} points kept in {store}; "
                    "run the same command again to finish"
                )
            )
        writer.finish()
        if not result.complete or interrupts.received() is not None:
            raise Interrupted()


@app.command()
def runs(
    store: Annotated[Path, typer.Option("--store", metavar="FILE", help="Run history to list.")] = DEFAULT_STORE,
    limit: Annotated[
        int, typer.Option("--limit", min=1, metavar="N", help="How many of the latest runs to list.")
    ] = 20,
) -> None:
    """List the run history: id, when, scenario, overrides, seed, runs and the headline outcome."""
    from sim.report import history_report
    from sim.store import StoreError

    history = Store(store)
    try:
        stored = history.recent(limit)
    except StoreError as exc:
        raise BadInput(f"--store {store}: {exc}") from None
    for warning in history.warnings:  # one damaged row never hides the others
        say(warning)
    stdout().print(history_report.render_runs(stored, store))


@app.command()
def show(
    run_id: Annotated[int, typer.Argument(metavar="RUN", min=1, max=MAX_SEED, help="A run id, as listed by sim runs.")],
    store: Annotated[Path, typer.Option("--store", metavar="FILE", help="Run history to read.")] = DEFAULT_STORE,
    json_out: Annotated[
        Path | None, typer.Option("--json", metavar="FILE", help="Write the run's result file (sim.result/2).")
    ] = None,
) -> None:
    """Print the report of a run from the history, as it was when it ran."""
    from sim.analysis import to_text
    from sim.files import write_text_atomic
    from sim.report import history_report, terminal
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
