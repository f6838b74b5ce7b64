"""The `sim` command: thin glue that parses arguments, calls one function and renders its result.

Exit codes (docs/contracts): 0 success; 2 bad input (file, flag, override) with one line per
problem and no traceback; 1 an internal error; 130 interrupted (what was finished is kept).
"""

from __future__ import annotations

import os
import sys
from enum import Enum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Optional

import typer
from rich.console import Console

try:  # typer >= 0.20 carries its own copy of click
    from typer._click import exceptions as click_errors
except ImportError:  # pragma: no cover - older typer uses click itself
    from click import exceptions as click_errors

from rich.text import Text

from sim.scenario.loader import Problem, ScenarioError, load_scenario
from sim.store import DEFAULT_PATH as DEFAULT_STORE
from sim.store import Store

if TYPE_CHECKING:
    from sim.executors import Executor

app = typer.Typer(
    add_completion=False,
    no_args_is_help=True,
    rich_markup_mode=None,
    pretty_exceptions_enable=False,
    help="Tabletop scenario simulator: readiness escalation and interception decision chains.",
)

EXIT_OK, EXIT_INTERNAL, EXIT_BAD_INPUT, EXIT_INTERRUPTED = 0, 1, 2, 130
MAX_RUNS = 10_000_000   # the same cap as a scenario's runs
MAX_WORKERS = 256       # more processes than this only cost memory


class ExecutorName(str, Enum):
    """Where replications run (``--executor``)."""

    local = "local"
    dask = "dask"


class BadInput(Exception):
    """Bad flags or files found by the CLI itself; each line is one problem."""

    def __init__(self, *lines: str):
        super().__init__("\n".join(lines))
        self.lines = lines


class _Report(Console):
    """stdout for reports: a reader that goes away (``| head``) ends the command quietly, exit 0."""

    def on_broken_pipe(self) -> None:
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        raise SystemExit(EXIT_OK)


def _stdout() -> Console:
    """Reports on stdout: a terminal keeps its width; a pipe or file gets 120 columns, not 80."""
    piped = not sys.stdout.isatty() and "COLUMNS" not in os.environ
    return _Report(highlight=False, width=120 if piped else None)


def _stderr() -> Console:
    return Console(stderr=True, highlight=False, soft_wrap=True)


def _say(line: str) -> None:
    """One problem, one line on stderr, never wrapped or styled."""
    sys.stderr.write(line + "\n")


def _output_path(flag: str, value: Optional[Path]) -> Optional[Path]:
    """An output file the user named: its folder must exist; nothing is written until the run is done."""
    if value is None:
        return None
    folder = value.parent if str(value.parent) else Path(".")
    if not folder.is_dir():
        raise BadInput(f"{flag} {value}: folder '{folder}' does not exist")
    if value.is_dir():
        raise BadInput(f"{flag} {value}: is a folder, not a file")
    return value


@app.command()
def run(
    scenario: Annotated[Path, typer.Argument(help="Scenario YAML file.")],
    runs: Annotated[Optional[int], typer.Option("--runs", min=1, max=MAX_RUNS, help="Replications (default: the scenario's runs).")] = None,
    seed: Annotated[Optional[int], typer.Option("--seed", min=0, help="Seed (default: the scenario's seed).")] = None,
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
    from sim.study import Study, execute

    outputs = {flag: _output_path(flag, p) for flag, p in (("--json", json_out), ("--csv", csv_out), ("--html", html_out))}
    loaded = load_scenario(scenario, set_ or [])
    chosen = _executor(executor.value, workers)
    with _progress_bar(quiet) as progress:
        done = execute(Study.of(loaded, runs, seed), executor=chosen, progress=progress, trace=trace,
                       store=None if no_store else Store(store))
    from sim.report import export, terminal

    summary, result = done.summary, done.result
    if not quiet:
        out = _stdout()
        if trace:
            out.print(terminal.render_trace(result.trace))
        out.print(terminal.render(summary))
    if outputs["--json"]:
        export.write_json(summary, outputs["--json"])
    if outputs["--csv"]:
        export.write_csv(result, outputs["--csv"])
    if outputs["--html"]:
        from sim.report import html

        html.write_html(summary, result, outputs["--html"])
    if not quiet:
        for p in (p for p in outputs.values() if p):
            _stderr().print(Text(f"wrote {p}"))
    if done.not_kept:  # the run itself is fine: say so, keep its exit code
        _say(f"--store {store}: not kept in the history: {done.not_kept}")
    elif done.run_id is not None and not quiet:
        _stderr().print(Text(f"kept as run {done.run_id} in {store} (sim show {done.run_id})"))
    if result.info.partial:
        _stderr().print(f"interrupted: {result.info.runs} of {result.info.requested_runs} replications kept")
        raise typer.Exit(EXIT_INTERRUPTED)


def _executor(name: str, workers: int | None) -> Executor:
    from sim.executors import ExecutorUnavailable, make_executor

    try:
        return make_executor(name, workers)
    except ExecutorUnavailable as exc:
        raise BadInput(f"--executor {name}: {exc}") from None


class _progress_bar:
    """A rich progress bar on stderr when it is a terminal (and not --quiet); else nothing."""

    def __init__(self, quiet: bool):
        self.bar = None
        if not quiet and sys.stderr.isatty():
            from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn

            self.bar = Progress(TextColumn("replications"), BarColumn(), MofNCompleteColumn(), TimeRemainingColumn(),
                                console=_stderr(), transient=True)

    def __enter__(self):
        if self.bar is None:
            return None
        self.bar.__enter__()
        task = self.bar.add_task("run", total=None)
        return lambda done, total: self.bar.update(task, completed=done, total=total)

    def __exit__(self, *exc):
        if self.bar is not None:
            self.bar.__exit__(*exc)
        return False


@app.command()
def validate(scenarios: Annotated[list[Path], typer.Argument(help="Scenario files to check.")]) -> None:
    """Check scenario files: every problem as FILE:LINE:COL: path: message."""
    problems: list[Problem] = []
    out = _stdout()
    for path in scenarios:
        try:
            loaded = load_scenario(path)
        except ScenarioError as exc:
            problems.extend(exc.problems)
            continue
        s = loaded.scenario
        out.print(f"ok {path}: {s.name} ({len(s.units)} units, {len(s.threats)} threats, {len(s.alert_levels)} levels)")
        for warning in loaded.warnings:
            _say(str(warning))
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
    _output_path("-o", output)
    from sim.files import write_text_atomic

    write_text_atomic(output, text)


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
            return parse(float(text), kind) if _is_number(text) else parse(text, kind)
        except QuantityError as exc:
            raise BadInput(f"{flag} {text}: {exc}") from None

    if (toward is None) == (azimuth is None):
        raise BadInput("give exactly one of --toward PLACE or --azimuth DEG")
    if (range_ is None) == (speed is None):
        raise BadInput("give --range KM [--apogee KM], or --speed KM_PER_S with --angle DEG")
    km = lambda flag, t: None if t is None else (float(t) if _is_number(t) else number(flag, t, DISTANCE))  # noqa: E731
    kms = None if speed is None else (float(speed) if _is_number(speed) else number("--speed", speed, SPEED))
    burn_s = None if burn_time is None else (float(burn_time) if _is_number(burn_time)
                                              else number("--burn-time", burn_time, DURATION))
    _check_flight(km("--range", range_), km("--apogee", apogee), kms, angle, azimuth,
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

        _stdout().print(render_trajectory(summary))


def _check_flight(range_km, apogee_km, speed_kms, angle_deg, azimuth_deg, typed: dict) -> None:
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


@app.command()
def compare(
    a: Annotated[str, typer.Argument(help="A: a scenario file, a result file (--json of sim run) or a run id.")],
    b: Annotated[str, typer.Argument(help="B: the same; every difference is B - A.")],
    runs: Annotated[Optional[int], typer.Option("--runs", min=1, max=MAX_RUNS, help="Replications of each scenario (default: A's runs).")] = None,
    seed: Annotated[Optional[int], typer.Option("--seed", min=0, help="Seed of both scenarios (default: A's seed).")] = None,
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
    from sim.compare import compare_inputs
    from sim.files import write_text_atomic
    from sim.report import compare_report
    from sim.store import StoreError, UnknownRun

    outputs = {flag: _output_path(flag, p) for flag, p in (("--json", json_out), ("--html", html_out))}
    try:
        with _progress_bar(quiet) as progress:
            comparison = compare_inputs(a, b, runs=runs, seed=seed, store=Store(store),
                                        executor=_executor("local", workers), progress=progress,
                                        set_a=tuple(set_a or ()), set_b=tuple(set_b or ()))
    except UnknownRun as exc:
        raise BadInput(str(exc)) from None
    except StoreError as exc:
        raise BadInput(f"--store {store}: {exc}") from None
    if not quiet:
        _stdout().print(compare_report.render(comparison))
    if outputs["--json"]:
        write_text_atomic(outputs["--json"], compare_report.comparison_json_text(comparison))
    if outputs["--html"]:
        write_text_atomic(outputs["--html"], compare_report.comparison_html(comparison))
    if not quiet:
        for p in (p for p in outputs.values() if p):
            _stderr().print(Text(f"wrote {p}"))


@app.command()
def sweep(
    scenario: Annotated[Path, typer.Argument(help="Scenario YAML file.")],
    vary: Annotated[list[str], typer.Option("--vary", help="PATH=V1,V2,...: one axis of the grid (YAML values), repeatable.")],
    runs: Annotated[Optional[int], typer.Option("--runs", min=1, max=MAX_RUNS, help="Replications per point (default: the scenario's runs).")] = None,
    seed: Annotated[Optional[int], typer.Option("--seed", min=0, help="Seed of every point (default: the scenario's seed).")] = None,
    store: Annotated[Path, typer.Option("--store", help="Run history that keeps each point; finished points are skipped.")] = DEFAULT_STORE,
    json_out: Annotated[Optional[Path], typer.Option("--json", help="Write every point and the sensitivity (sim.sweep/1).")] = None,
    workers: Annotated[Optional[int], typer.Option("--workers", min=1, max=MAX_WORKERS, help="Worker processes (default: the number of cores).")] = None,
    quiet: Annotated[bool, typer.Option("--quiet", help="Print nothing but errors.")] = False,
) -> None:
    """Run a scenario over the grid of --vary values, all with the same seed, and rank the parameters by effect."""
    from sim.files import write_text_atomic
    from sim.report import sweep_report
    from sim.store import StoreError
    from sim.sweep import PointResult, parse_vary, plan_sweep, run_sweep

    json_path = _output_path("--json", json_out)
    plan = plan_sweep(scenario, [parse_vary(v) for v in vary], runs, seed)
    tell = not quiet and sys.stderr.isatty()

    def point_done(n: int, total: int, r: PointResult) -> None:
        if tell:
            how = f"already in the history as run {r.run_id}" if r.reused else f"kept as run {r.run_id}"
            _stderr().print(Text(f"point {n}/{total} {r.point.label}: {how}"))

    try:
        with _progress_bar(quiet) as progress:
            result = run_sweep(plan, Store(store), executor=_executor("local", workers), progress=progress,
                               on_point=point_done)
    except StoreError as exc:
        raise BadInput(f"--store {store}: {exc}") from None
    if not quiet:
        _stdout().print(sweep_report.render_sweep(result))
    if json_path:
        write_text_atomic(json_path, sweep_report.sweep_json_text(result))
        if not quiet:
            _stderr().print(Text(f"wrote {json_path}"))
    if not result.complete:
        _stderr().print(Text(f"interrupted: {len(result.results)} of {len(plan.points)} points kept in {store}; "
                             "run the same command again to finish"))
        raise typer.Exit(EXIT_INTERRUPTED)


@app.command()
def runs(
    store: Annotated[Path, typer.Option("--store", help="Run history to list.")] = DEFAULT_STORE,
    limit: Annotated[int, typer.Option("--limit", min=1, help="How many of the latest runs to list.")] = 20,
) -> None:
    """List the run history: id, when, scenario, overrides, seed, runs and the headline outcome."""
    from sim.report import history_report
    from sim.store import StoreError

    try:
        stored = Store(store).recent(limit)
    except StoreError as exc:
        raise BadInput(f"--store {store}: {exc}") from None
    _stdout().print(history_report.render_runs(stored, store))


@app.command()
def show(
    run_id: Annotated[int, typer.Argument(metavar="RUN", help="A run id, as listed by sim runs.")],
    store: Annotated[Path, typer.Option("--store", help="Run history to read.")] = DEFAULT_STORE,
    json_out: Annotated[Optional[Path], typer.Option("--json", help="Write the run's result file (sim.result/2).")] = None,
) -> None:
    """Print the report of a run from the history, as it was when it ran."""
    from sim.files import write_text_atomic
    from sim.report import history_report, terminal
    from sim.analysis import to_text
    from sim.store import StoreError, UnknownRun

    json_path = _output_path("--json", json_out)
    try:
        stored = Store(store).get(run_id)
        summary = stored.summary()
    except UnknownRun as exc:
        raise BadInput(str(exc)) from None
    except StoreError as exc:
        raise BadInput(f"--store {store}: {exc}") from None
    out = _stdout()
    out.print(history_report.stored_title(stored))
    out.print(terminal.render(summary))
    if json_path:
        write_text_atomic(json_path, to_text(summary))


@app.command()
def play(
    scenario: Annotated[Path, typer.Argument(help="Scenario YAML file.")],
    seed: Annotated[Optional[int], typer.Option("--seed", min=0, help="Seed (default: the scenario's seed).")] = None,
    replication: Annotated[int, typer.Option("--replication", min=0, help="Start from this replication of the run.")] = 0,
    set_: Annotated[Optional[list[str]], typer.Option("--set", help="Override a value: PATH=VALUE (YAML), repeatable.")] = None,
) -> None:
    """Tabletop mode: reveal one replication's events one at a time (Enter, n, a, q)."""
    from sim.play import play as tabletop

    loaded = load_scenario(scenario, set_ or [])
    s = seed if seed is not None else loaded.scenario.seed
    interactive = sys.stdin.isatty()
    tabletop(loaded, s, first=replication, console=_stdout(), ask=input if interactive else None)


def _is_number(text: str) -> bool:
    try:
        float(text)
        return True
    except ValueError:
        return False


def main(argv: list[str] | None = None) -> None:
    """Entry point: runs the app and turns every kind of failure into its exit code."""
    args = sys.argv[1:] if argv is None else argv
    try:
        code = typer.main.get_command(app).main(args=args, prog_name="sim", standalone_mode=False)
    except ScenarioError as exc:
        for p in exc.problems:
            _say(str(p))
        sys.exit(EXIT_BAD_INPUT)
    except BadInput as exc:
        for line in exc.lines:
            _say(line)
        sys.exit(EXIT_BAD_INPUT)
    except click_errors.NoArgsIsHelpError as exc:
        sys.stdout.write((exc.ctx.get_help() if exc.ctx else str(exc)) + "\n")
        sys.exit(EXIT_OK)
    except click_errors.UsageError as exc:
        where = exc.ctx.command_path if exc.ctx else "sim"
        _say(f"{where}: {exc.format_message()} (see '{where} --help')")
        sys.exit(EXIT_BAD_INPUT)
    except typer.Exit as exc:
        sys.exit(exc.exit_code)
    except typer.Abort:
        _say("interrupted")
        sys.exit(EXIT_INTERRUPTED)
    except click_errors.ClickException as exc:
        _say(f"sim: {exc.format_message()}")
        sys.exit(EXIT_BAD_INPUT)
    except KeyboardInterrupt:
        _say("interrupted")
        sys.exit(EXIT_INTERRUPTED)
    except BrokenPipeError:   # the reader went away (| head): stop quietly, also at interpreter exit
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        sys.exit(EXIT_OK)
    except Exception as exc:  # an internal error: say so plainly; the traceback only on request
        if os.environ.get("SIM_DEBUG"):
            raise
        _say(f"internal error: {type(exc).__name__}: {exc} (set SIM_DEBUG=1 for the traceback)")
        sys.exit(EXIT_INTERNAL)
    sys.exit(code if isinstance(code, int) else EXIT_OK)


if __name__ == "__main__":
    main()
