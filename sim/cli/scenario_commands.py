"""Commands about one scenario: run it, check it, its schema, and one missile's flight."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated

import typer
from rich.text import Text

from sim.cli.app import (
    DEFAULT_STORE,
    MAX_RUNS,
    BadInput,
    ExecutorName,
    ExecutorOption,
    Interrupted,
    SchedulerOption,
    SeedOption,
    WorkersOption,
    Writer,
    app,
    check_outputs,
    checked_store,
    is_number,
    is_stdout,
    opened_executor,
    progress_bar,
    say,
    stderr,
    stdout,
)

# The outputs that need a row per replication; without any of them `sim run` streams (sim.analysis.partial).
ROW_OUTPUTS = ("--csv", "--readiness-csv", "--parquet", "--html")
# Up to this many runs a run keeps its columns: its file is then byte for byte what the API and a run with a
# row output give (a streamed mean differs in the last bits, from summation order). Beyond, memory stays flat.
STREAM_ABOVE = 100_000


@app.command()
def run(
    scenario: Annotated[Path, typer.Argument(metavar="SCENARIO", help="Scenario YAML file.")],
    runs: Annotated[
        int | None,
        typer.Option("--runs", min=1, max=MAX_RUNS, metavar="N", help="Replications (default: the scenario's runs)."),
    ] = None,
    seed: SeedOption = None,
    set_: Annotated[
        list[str] | None, typer.Option("--set", metavar="PATH=VALUE", help="Override a value (YAML), repeatable.")
    ] = None,
    workers: WorkersOption = None,
    executor: ExecutorOption = ExecutorName.local,
    scheduler: SchedulerOption = None,
    json_out: Annotated[
        Path | None, typer.Option("--json", metavar="FILE", help="Write the result file (sim.result/2).")
    ] = None,
    csv_out: Annotated[
        Path | None, typer.Option("--csv", metavar="FILE", help="Write one row per replication and threat.")
    ] = None,
    readiness_csv: Annotated[
        Path | None,
        typer.Option("--readiness-csv", metavar="FILE", help="Write one row per replication, unit and alert level."),
    ] = None,
    parquet: Annotated[
        Path | None,
        typer.Option("--parquet", metavar="FILE", help="Write the --csv rows as Parquet (needs the api extra)."),
    ] = None,
    html_out: Annotated[
        Path | None, typer.Option("--html", metavar="FILE", help="Write a self-contained HTML report.")
    ] = None,
    trace: Annotated[bool, typer.Option("--trace", help="Print the story of replication 0, event by event.")] = False,
    trace_json: Annotated[
        Path | None,
        typer.Option("--trace-json", metavar="FILE", help="Write the story of replication 0 as JSON lines."),
    ] = None,
    quiet: Annotated[bool, typer.Option("--quiet", help="Print nothing but errors.")] = False,
    store: Annotated[
        Path,
        typer.Option("--store", metavar="FILE", help="Run history (SQLite) that keeps this run: sim runs, sim show."),
    ] = DEFAULT_STORE,
    no_store: Annotated[bool, typer.Option("--no-store", help="Do not keep this run in the history.")] = False,
) -> None:
    """Run replications of a scenario and report outcomes, readiness and the decision chain."""
    from sim import interrupts
    from sim.study import Study, execute

    flags = {
        "--json": json_out,
        "--csv": csv_out,
        "--readiness-csv": readiness_csv,
        "--parquet": parquet,
        "--html": html_out,
        "--trace-json": trace_json,
    }
    outputs = check_outputs(flags, scenario, None if no_store else store)
    if parquet:
        from sim.report.frames import ExtraMissing, _import

        try:
            _import("pyarrow")
        except ExtraMissing as exc:
            raise BadInput(f"--parquet {parquet}: {exc}") from None
    from sim.scenario.loader import load_scenario

    loaded = load_scenario(scenario, set_ or [])
    history = None if no_store else checked_store(store)
    with interrupts.deferred():  # a signal stops the blocks; what follows (history, files) is always finished
        with opened_executor(executor.value, workers, scheduler, quiet) as chosen, progress_bar(quiet) as progress:
            study = Study.of(loaded, runs, seed)
            done = execute(
                study,
                executor=chosen,
                progress=progress,
                trace=trace or bool(trace_json),
                store=history,
                keep_columns=study.runs <= STREAM_ABOVE or any(flags[f] for f in ROW_OUTPUTS),
            )
        from sim.report import export, terminal, timeline

        summary, result = done.summary, done.result
        writer = Writer(quiet)
        if done.not_kept:  # the run itself is fine: its files are written, then this is said (exit 2)
            writer.failed.append(f"--store {store}: not kept in the history: {done.not_kept}")
        elif done.run_id is not None and not quiet:
            stderr().print(Text(f"kept as run {done.run_id} in {store} (sim show {done.run_id})"))
        if not quiet and not any(is_stdout(p) for p in outputs.values()):
            out = stdout()
            if trace:
                out.print(timeline.render_trace(result.trace))
            out.print(terminal.render(summary))

        def html(p: Path) -> None:
            from sim.report import html

            html.write_html(summary, result, p)

        writers = {
            "--json": lambda p: export.write_json(summary, p),
            "--csv": lambda p: export.write_csv(result, p),
            "--readiness-csv": lambda p: export.write_readiness_csv(result, p),
            "--parquet": lambda p: export.write_parquet(result, p),
            "--html": html,
            "--trace-json": lambda p: export.write_trace_json(result.trace, p),
        }
        for flag, path in outputs.items():
            writer.write(flag, path, writers[flag])
        if result.info.partial:
            stderr().print(f"interrupted: {result.info.runs} of {result.info.requested_runs} replications kept")
        writer.finish()
        if result.info.partial or interrupts.received() is not None:
            raise Interrupted()


@app.command()
def validate(
    scenarios: Annotated[list[Path], typer.Argument(metavar="SCENARIO", help="Scenario files to check.")],
) -> None:
    """Check scenario files: every problem as FILE:LINE:COL: path: message."""
    from sim.scenario.loader import Problem, ScenarioError, load_scenario

    problems: list[Problem] = []
    out = stdout()
    for path in scenarios:
        try:
            loaded = load_scenario(path)
        except ScenarioError as exc:
            problems.extend(exc.problems)
            continue
        s = loaded.scenario
        counted = ", ".join(
            _count(len(x), what) for x, what in ((s.units, "unit"), (s.threats, "threat"), (s.alert_levels, "level"))
        )
        out.print(f"ok {path}: {s.name} ({counted})")
        for warning in loaded.warnings:
            say(str(warning))
    if problems:
        raise ScenarioError(problems)


@app.command()
def schema(
    output: Annotated[
        Path | None, typer.Option("-o", "--output", metavar="FILE", help="Write to FILE instead of stdout.")
    ] = None,
) -> None:
    """Print the JSON Schema of scenarios (draft-07), for editor completion and checks."""
    import json

    from sim.scenario.schema import json_schema

    text = json.dumps(json_schema(), indent=2) + "\n"
    if output is None:
        sys.stdout.write(text)
        return
    check_outputs({"-o": output})
    from sim.files import write_text_atomic

    writer = Writer(quiet=True)
    writer.write("-o", output, lambda p: write_text_atomic(p, text))
    writer.finish()


@app.command()
def trajectory(
    from_: Annotated[str, typer.Option("--from", metavar="PLACE", help="Launch place: a site name or LAT,LON.")],
    toward: Annotated[
        str | None, typer.Option("--toward", metavar="PLACE", help="Aim place: a site name or LAT,LON.")
    ] = None,
    azimuth: Annotated[float | None, typer.Option("--azimuth", metavar="DEG", help="Or a heading in degrees.")] = None,
    range_: Annotated[str | None, typer.Option("--range", metavar="KM", help="Ground range: 460 or 460km.")] = None,
    apogee: Annotated[
        str | None, typer.Option("--apogee", metavar="KM", help="Apogee: 2111km (lofted or depressed flight).")
    ] = None,
    speed: Annotated[
        str | None, typer.Option("--speed", metavar="KM_PER_S", help="Burnout speed: 5 or 5km/s (with --angle).")
    ] = None,
    angle: Annotated[
        float | None, typer.Option("--angle", metavar="DEG", help="Burnout flight-path angle, degrees.")
    ] = None,
    burn_time: Annotated[
        str | None, typer.Option("--burn-time", metavar="S", help="Powered phase: 90 or 90s (flight time includes it).")
    ] = None,
    burnout_altitude: Annotated[
        str | None,
        typer.Option(
            "--burnout-altitude",
            metavar="KM",
            help="Altitude at engine cut-off: 150km (default: nominal for the burn).",
        ),
    ] = None,
    missile: Annotated[
        str | None,
        typer.Option("--missile", metavar="NAME", help="Missile class for the burn time: hwasong_12, musudan, scud."),
    ] = None,
    json_: Annotated[bool, typer.Option("--json", help="Print JSON for scripts.")] = False,
) -> None:
    """Fly one missile: range, apogee, flight time (boost included), burnout state and where it lands."""
    import json

    from sim.scenario.quantities import DISTANCE, DURATION, SPEED, QuantityError, parse
    from sim.world.summary import trajectory_summary

    def number(flag, text, kind):
        if text is None:
            return None
        try:
            return parse(float(text), kind) if is_number(text) else parse(text, kind)
        except QuantityError as exc:
            raise BadInput(f"{flag} {text}: {exc}") from None

    if (toward is None) == (azimuth is None):
        raise BadInput("give exactly one of --toward PLACE or --azimuth DEG")
    if (range_ is None) == (speed is None):
        raise BadInput("give --range KM [--apogee KM], or --speed KM_PER_S with --angle DEG")
    km = lambda flag, t: None if t is None else (float(t) if is_number(t) else number(flag, t, DISTANCE))  # noqa: E731
    kms = None if speed is None else (float(speed) if is_number(speed) else number("--speed", speed, SPEED))
    burn_s = (
        None
        if burn_time is None
        else (float(burn_time) if is_number(burn_time) else number("--burn-time", burn_time, DURATION))
    )
    check_flight(
        km("--range", range_),
        km("--apogee", apogee),
        kms,
        angle,
        azimuth,
        {"--range": range_, "--apogee": apogee, "--speed": speed, "--angle": angle, "--azimuth": azimuth},
    )
    try:
        summary = trajectory_summary(
            from_,
            toward=toward,
            azimuth_deg=azimuth,
            range_km=km("--range", range_),
            apogee_km=km("--apogee", apogee),
            speed_kms=kms,
            angle_deg=angle,
            burn_time_s=burn_s,
            burnout_alt_km=km("--burnout-altitude", burnout_altitude),
            missile=missile,
        )
    except ValueError as exc:
        raise BadInput(str(exc)) from None
    if json_:
        sys.stdout.write(json.dumps(summary, indent=2) + "\n")
    else:
        from sim.report.trajectory_table import render_trajectory

        stdout().print(render_trajectory(summary))


def check_flight(range_km, apogee_km, speed_kms, angle_deg, azimuth_deg, typed: dict) -> None:
    """`sim trajectory` flags checked as strictly as a scenario's threat (sim.scenario.limits)."""
    import math

    from sim.scenario.limits import flight_problem

    given = {
        "--range": range_km,
        "--apogee": apogee_km,
        "--speed": speed_kms,
        "--angle": angle_deg,
        "--azimuth": azimuth_deg,
    }
    for flag, value in given.items():
        if value is not None and not math.isfinite(value):
            raise BadInput(f"{flag} {typed[flag]}: must be a finite number")
    if azimuth_deg is not None and not -360 <= azimuth_deg <= 360:
        raise BadInput(f"--azimuth {typed['--azimuth']}: a heading is between 0 and 360 degrees")
    found = flight_problem(range_km, apogee_km, speed_kms, angle_deg)
    if found:
        key, message = found
        flag = f"--{key}" if key else "--range" if range_km is not None else "--speed"
        raise BadInput(f"{flag} {typed[flag]}: {message}")


def _count(n: int, what: str) -> str:
    return f"{n} {what}" + ("" if n == 1 else "s")
