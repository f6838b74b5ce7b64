"""``sim sensitivity``: every assumption of the scenario's ``uncertainty:`` section moved at once, ranked."""

from __future__ import annotations

import sys
from enum import Enum
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
    stderr,
    stdout,
)


class Method(str, Enum):
    morris = "morris"
    sobol = "sobol"


@app.command()
def sensitivity(
    scenario: Annotated[
        Path, typer.Argument(metavar="SCENARIO", help="Scenario YAML file with an uncertainty: section.")
    ],
    method: Annotated[
        Method,
        typer.Option(
            "--method",
            help="morris: screening, mu* and sigma (default); sobol: S1 and ST with intervals, for a few assumptions.",
        ),
    ] = Method.morris,
    measure: Annotated[
        list[str] | None,
        typer.Option(
            "--measure",
            metavar="NAME",
            help="A measure to explain (repeatable; default: the main outcome): an outcome (stray:leaked), cause.KEY, a metric[.p50] or readiness.UNIT.LEVEL.STAT.",
        ),
    ] = None,
    points: Annotated[
        int | None,
        typer.Option(
            "--points",
            min=2,
            max=10_000,
            metavar="N",
            help="Morris trajectories (default 10) or Sobol base samples (default 64, a power of 2).",
        ),
    ] = None,
    runs: Annotated[
        int | None,
        typer.Option(
            "--runs",
            min=1,
            max=MAX_RUNS,
            metavar="R",
            help="Replications per point (default: the scenario's runs, at most 500).",
        ),
    ] = None,
    seed: Annotated[
        int | None,
        typer.Option(
            "--seed",
            min=0,
            max=MAX_SEED,
            metavar="S",
            help="Seed of every point and of the sampling (default: the scenario's seed).",
        ),
    ] = None,
    store: Annotated[
        Path,
        typer.Option("--store", metavar="FILE", help="Run history that keeps each point; finished points are skipped."),
    ] = DEFAULT_STORE,
    json_out: Annotated[
        Path | None, typer.Option("--json", metavar="FILE", help="Write the ranking (sim.sensitivity/1).")
    ] = None,
    html_out: Annotated[
        Path | None, typer.Option("--html", metavar="FILE", help="Write the ranking and its chart as one HTML page.")
    ] = None,
    workers: WorkersOption = None,
    executor: ExecutorOption = ExecutorName.local,
    scheduler: SchedulerOption = None,
    quiet: Annotated[bool, typer.Option("--quiet", help="Print nothing but errors.")] = False,
) -> None:
    """Rank the assumptions of the scenario's uncertainty: section by how far they move a measure, all moved at once."""
    from sim import interrupts
    from sim.analysis.gsa import MissingSALib
    from sim.files import write_text_atomic
    from sim.report import sensitivity_report as report
    from sim.report.sensitivity_page import sensitivity_page
    from sim.store import StoreError
    from sim.study.sensitivity import plan_sensitivity, run_sensitivity

    outputs = check_outputs({"--json": json_out, "--html": html_out}, scenario, store)
    try:
        plan = plan_sensitivity(scenario, method.value, points, runs, seed)
    except MissingSALib as exc:
        raise BadInput(str(exc)) from None
    base = plan.base.scenario
    if not measure and not base.threats:
        unit, level = base.units[0].name, base.alert_levels[-1].name
        raise BadInput(
            f"{scenario}: no threats, so no outcome to explain: name one with --measure, "
            f"e.g. --measure readiness.{unit}.{level}.p50"
        )
    for m in measure or []:
        from sim.analysis.measure import parse_measure

        parse_measure(m).check(
            [t.name for t in base.threats], [u.name for u in base.units], [lv.name for lv in base.alert_levels]
        )
    history = checked_store(store)
    tell = not quiet and sys.stderr.isatty()

    def point_done(n: int, total: int, reused: bool) -> None:
        if tell and reused:
            stderr().print(Text(f"point {n}/{total}: already in the history"))

    with interrupts.deferred():  # a signal stops the points in progress; finished points are kept
        try:
            with opened_executor(executor.value, workers, scheduler, quiet) as chosen, progress_bar(quiet) as progress:
                result = run_sensitivity(
                    plan,
                    history,
                    executor=chosen,
                    progress=progress,
                    on_point=point_done,
                    measures=tuple(measure or ()),
                )
        except StoreError as exc:
            raise BadInput(f"--store {store}: {exc}") from None
        if not result.complete:
            stderr().print(
                Text(
                    f"interrupted: {len(result.summaries)} of {len(plan.scenarios)} points kept in "
                    f"{store}; run the same command again to finish"
                )
            )
            raise Interrupted()
        ranks = report.rankings(result)
        if not quiet and not any(is_stdout(p) for p in outputs.values()):
            stdout().print(report.render(result, ranks))
        writer = Writer(quiet)
        writer.write("--json", outputs["--json"], lambda p: write_text_atomic(p, report.json_text(result, ranks)))
        writer.write("--html", outputs["--html"], lambda p: write_text_atomic(p, sensitivity_page(result, ranks)))
        writer.finish()
        if interrupts.received() is not None:
            raise Interrupted()
