"""Commands about one scenario: run it, check it, its schema, and one missile's flight."""

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
    ExecutorName,
    Writer,
    app,
    check_outputs,
    checked_store,
    executor_for,
    is_stdout,
    is_number,
    progress_bar,
    say,
    stderr,
    stdout,
)
from sim.scenario.loader import Problem, ScenarioError, load_scenario


@app.command()
def run(
    scenario: Annotated[Path, typer.Argument(help="Scenario YAML file.")],
    runs: Annotated[Optional[int], typer.Option("--runs", min=1, max=MAX_RUNS, help="Replications (default: the scenario's runs).")] = None,
    seed: Annotated[Optional[int], typer.Option("--seed", min=0, max=MAX_SEED, help="Seed (default: the scenario's seed).")] = None,
    set_: Annotated[Optional[list[str]], typer.Option("--set", help="Override a value: PATH=VALUE (YAML), repeatable.")] = None,
    workers: Annotated[Optional[int], typer.Option("--workers", min=1, max=MAX_WORKERS, help="Worker processes (default: the number of cores).")] = None,
    executor: Annotated[ExecutorName, typer.Option("--executor", help="local (process pool) or dask (needs the dask extra).")] = ExecutorName.local,
    json_out: Annotated[Optional[Path], typer.Option("--json", help="Write the result file (sim.result/2).")] = None,
    csv_out: Annotated[Optional[Path], typer.Option("--csv", help="Write one row per replication and threat.")] = None,
    html_out: Annotated[Optional[Path], typer.Option("--html", help="Write a self-contained HTML report.")] = None,
    trace: Annotated[bool, typer.Option("--trace", help="Print the story of replication 0, event by event.")] = False,
    quiet: Annotated[bool, typer.Option("--quiet", help="Print nothing but errors.")] = False,
    store: Annotated[Path, typer.Option("--store", help="Run history (SQLite) that keeps this run: sim runs, sim show.")] = DEFAULT_STORE,
    no_store: Annotated[bool, typer.Option("--no-store", help="Do not keep this run in the history.")] = False,
) -> None:
    """Run replications of a scenario and report outcomes, readiness and the decision chain."""
    from sim import interrupts
    from sim.study import Study, execute

    outputs = check_outputs({"--json": json_out, "--csv": csv_out, "--html": html_out}, scenario,
                            None if no_store else store)
    loaded = load_scenario(scenario, set_ or [])
    chosen = executor_for(executor.value, workers)
    history = None if no_store else checked_store(store)
    with interrupts.deferred():   # a signal stops the blocks; what follows (history, files) is always finished
        with progress_bar(quiet) as progress:
            done = execute(Study.of(loaded, runs, seed), executor=chosen, progress=progress, trace=trace,
                           store=history)
        from sim.report import export, terminal

        summary, result = done.summary, done.result
        writer = Writer(quiet)
        if done.not_kept:  # the run itself is fine: its files are written, then this is said (exit 2)
            writer.failed.append(f"--store {store}: not kept in the history: {done.not_kept}")
        elif done.run_id is not None and not quiet:
            stderr().print(Text(f"kept as run {done.run_id} in {store} (sim show {done.run_id})"))
        if not quiet and not any(is_stdout(p) for p in outputs.values()):
            out = stdout()
            if trace:
                out.print(terminal.render_trace(result.trace))
            out.print(terminal.render(summary))
        writer.write("--json", outputs["--json"], lambda p: export.write_json(summary, p))
        writer.write("--csv", outputs["--csv"], lambda p: export.write_csv(result, p))

        def html(p: Path) -> None:
            from sim.report import html

            html.write_html(summary, result, p)

        writer.write("--html", outputs["--html"], html)
        if result.info.partial:
            stderr().print(f"interrupted: {result.info.runs} of {result.info.requested_runs} replications kept")
        writer.finish()
        if result.info.partial or interrupts.received() is not None:
            raise Interrupted()


@app.command()
def validate(scenarios: Annotated[list[Path], typer.Argument(help="Scenario files to check.")]) -> None:
    """Check scenario files: every problem as FILE:LINE:COL: path: message."""
    problems: list[Problem] = []
    out = stdout()
    for path in scenarios:
        try:
            loaded = load_scenario(path)
        except ScenarioError as exc:
            problems.extend(exc.problems)
            continue
        s = loaded.scenario
        out.print(f"ok {path}: {s.name} ({len(s.units)} units, {len(s.threats)} threats, {len(s.alert_levels)} levels)")
        for warning in loaded.warnings:
            say(str(warning))
    if problems:
        raise ScenarioError(problems)


@app.command()
def schema(output: Annotated[Optional[Path], typer.Option("-o", "--output", help="Write to FILE instead of stdout.")] = None) -> None:
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
    from_: Annotated[str, typer.Option("--from", help="Launch place: a site name or LAT,LON.")],
    toward: Annotated[Optional[str], typer.Option("--toward", help="Aim place: a site name or LAT,LON.")] = None,
    azimuth: Annotated[Optional[float], typer.Option("--azimuth", help="Or a heading in degrees.")] = None,
    range_: Annotated[Optional[str], typer.Option("--range", help="Ground range: 460 or 460km.")] = None,
    apogee: Annotated[Optional[str], typer.Option("--apogee", help="Apogee: 2111km (lofted or depressed flight).")] = None,
    speed: Annotated[Optional[str], typer.Option("--speed", help="Burnout speed: 5 or 5km/s (with --angle).")] = None,
    angle: Annotated[Optional[float], typer.Option("--angle", help="Burnout flight-path angle, degrees.")] = None,
    burn_time: Annotated[Optional[str], typer.Option("--burn-time", help="Powered phase: 90 or 90s (flight time includes it).")] = None,
    burnout_altitude: Annotated[Optional[str], typer.Option("--burnout-altitude", help="Altitude at engine cut-off: 150km (default: nominal for the burn).")] = None,
    missile: Annotated[Optional[str], typer.Option("--missile", help="Missile class for the burn time: hwasong_12, musudan, scud.")] = None,
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
    burn_s = None if burn_time is None else (float(burn_time) if is_number(burn_time)
                                              else number("--burn-time", burn_time, DURATION))
    check_flight(km("--range", range_), km("--apogee", apogee), kms, angle, azimuth,
                  {"--range": range_, "--apogee": apogee, "--speed": speed, "--angle": angle, "--azimuth": azimuth})
    try:
        summary = trajectory_summary(from_, toward=toward, azimuth_deg=azimuth, range_km=km("--range", range_),
                                     apogee_km=km("--apogee", apogee), speed_kms=kms, angle_deg=angle,
                                     burn_time_s=burn_s, burnout_alt_km=km("--burnout-altitude", burnout_altitude),
                                     missile=missile)
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

    given = {"--range": range_km, "--apogee": apogee_km, "--speed": speed_kms, "--angle": angle_deg, "--azimuth": azimuth_deg}
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


