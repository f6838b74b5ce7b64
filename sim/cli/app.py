"""The ``sim`` application: the typer app, exit codes, and what every command shares.

Exit codes (docs/contracts): 0 success; 2 bad input (file, flag, override) with one line per
problem and no traceback; 1 an internal error; 130 interrupted (what was finished is kept).
"""

from __future__ import annotations

import os
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from enum import Enum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer
from rich.console import Console
from rich.text import Text

from sim.files import is_stdout
from sim.store import DEFAULT_PATH as DEFAULT_STORE

# Nothing heavy at import (numpy, pydantic, the engine): `sim --help` only needs typer. Each command imports
# what it runs.

if TYPE_CHECKING:
    from sim.executors import Executor

__all__ = [
    "DEFAULT_STORE",
    "EXIT_INTERRUPTED",
    "MAX_RUNS",
    "MAX_SEED",
    "MAX_WORKERS",
    "BadInput",
    "ExecutorName",
    "ExecutorOption",
    "Interrupted",
    "SchedulerOption",
    "SeedOption",
    "WorkersOption",
    "app",
    "opened_executor",
]

app = typer.Typer(
    add_completion=True,
    no_args_is_help=True,
    rich_markup_mode=None,
    pretty_exceptions_enable=False,
    help="Tabletop scenario simulator: readiness escalation and interception decision chains.",
)

EXIT_OK, EXIT_INTERNAL, EXIT_BAD_INPUT, EXIT_INTERRUPTED = 0, 1, 2, 130  # 143 after SIGTERM
MAX_SEED = 2**63 - 1  # the largest integer the history (SQLite) can keep
MAX_RUNS = 10_000_000  # the same cap as a scenario's runs
MAX_WORKERS = 256  # more processes than this only cost memory


class ExecutorName(str, Enum):
    """Where replications run (``--executor``)."""

    local = "local"
    dask = "dask"


SeedOption = Annotated[
    int | None,
    typer.Option("--seed", min=0, max=MAX_SEED, metavar="S", help="Seed (default: the scenario's seed)."),
]
WorkersOption = Annotated[
    int | None,
    typer.Option(
        "--workers", min=1, max=MAX_WORKERS, metavar="N", help="Worker processes (default: the number of cores)."
    ),
]
ExecutorOption = Annotated[
    ExecutorName,
    typer.Option("--executor", help="local (process pool) or dask (needs the dask extra; see docs/distributed.md)."),
]
SchedulerOption = Annotated[
    str | None,
    typer.Option(
        "--scheduler",
        metavar="ADDRESS",
        help="A running Dask scheduler, tcp://HOST:8786 (implies --executor dask; default: DASK_SCHEDULER_ADDRESS).",
    ),
]


def _version(value: bool) -> None:
    if value:
        import sim

        sys.stdout.write(f"sim (tabletop-sim) {sim.__version__}\n")
        raise typer.Exit(EXIT_OK)


@app.callback()
def _root(
    version: Annotated[
        bool, typer.Option("--version", is_eager=True, callback=_version, help="Print the version and exit.")
    ] = False,
) -> None:
    """Tabletop scenario simulator: readiness escalation and interception decision chains."""


class BadInput(Exception):
    """Bad flags or files found by the CLI itself; each line is one problem."""

    def __init__(self, *lines: str):
        super().__init__("\n".join(lines))
        self.lines = lines


_CONTROL = {c: f"\\x{c:02x}" for c in [*range(0x20), *range(0x7F, 0xA0)] if c not in (0x09, 0x0A)}


def escaped(text: str) -> str:
    """Control and escape characters shown as ``\\x1b`` etc.: a name can never drive the terminal."""
    return text.translate(_CONTROL)


class Plain(Console):
    """A console that never reads user text as markup and never sends its control characters raw.

    Names, paths and overrides are user input: ``s400 [/]`` is a name, not a closing tag.
    """

    def __init__(self, **kwargs) -> None:
        super().__init__(markup=False, emoji=False, **kwargs)

    def _render_buffer(self, buffer) -> str:
        from rich.segment import Segment

        return super()._render_buffer(seg if seg.control else Segment(escaped(seg.text), seg.style) for seg in buffer)


class Interrupted(Exception):
    """A command stopped by Ctrl-C or SIGTERM that has kept and said what it finished: exit 130 or 143."""


class Report(Plain):
    """stdout for reports: a reader that goes away (``| head``) ends the command quietly, exit 0."""

    def on_broken_pipe(self) -> None:
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        raise SystemExit(EXIT_OK)


def stdout() -> Console:
    """Reports on stdout: a terminal keeps its width; a pipe or file gets 120 columns, not 80."""
    piped = not sys.stdout.isatty() and "COLUMNS" not in os.environ
    return Report(highlight=False, width=120 if piped else None)


def stderr() -> Console:
    return Plain(stderr=True, highlight=False, soft_wrap=True)


def say(line: str) -> None:
    """One problem, one line on stderr, never wrapped or styled, control characters escaped."""
    sys.stderr.write(escaped(line).replace("\n", "\\n") + "\n")


def check_outputs(
    outputs: dict[str, Path | None],
    scenario: Path | None = None,
    store: Path | None = None,
    inputs: tuple[Path, ...] = (),
) -> dict[str, Path | None]:
    """Every output checked before any work: writable, not the scenario, not the history, not twice.

    An output that fails these is bad input now, never an error after the run.
    """
    from sim.files import OutputProblem
    from sim.files import check_outputs as check

    protected: dict[str, Path | None] = {"the scenario being run": scenario, "the run history (--store)": store}
    protected.update({f"the input {p}": p for p in inputs})
    try:
        check(outputs, protected)
    except OutputProblem as exc:
        raise BadInput(*exc.lines) from None
    return outputs


class Writer:
    """Writes each output on its own: one that fails is reported after the others are written.

    Commands use it inside ``interrupts.deferred()``: Ctrl-C while files are written still writes them.
    """

    def __init__(self, quiet: bool):
        self.quiet = quiet
        self.failed: list[str] = []

    def write(self, flag: str, path: Path | None, write) -> None:
        if path is None:
            return
        try:
            write(path)
        except BrokenPipeError:
            if not is_stdout(path):
                raise
            os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())  # the reader went away (| head)
            return
        except OSError as exc:
            self.failed.append(f"{flag} {path}: not written: {exc.strerror or exc}")
            return
        if not self.quiet and not is_stdout(path):
            from rich.text import Text

            stderr().print(Text(f"wrote {path}"))

    def finish(self) -> None:
        """Say what could not be written (exit 2); the rest of the command's work is kept."""
        if self.failed:
            raise BadInput(*self.failed)


def checked_store(path: Path):
    """The history named by ``--store``, checked before any work: a damaged one is bad input now, not lost later."""
    from sim.store import Store, StoreError

    store = Store(path)
    try:
        store.check()
    except StoreError as exc:
        raise BadInput(f"--store {path}: {exc}") from None
    return store


def executor_for(name: str, workers: int | None, scheduler: str | None = None, announce: Any = None) -> Executor:
    """The executor named on the command line (``--scheduler`` implies dask); a missing extra is bad input."""
    from sim.executors import ExecutorUnavailable, make_executor

    if scheduler:
        name = "dask"
    try:
        return make_executor(name, workers, scheduler, announce)
    except ExecutorUnavailable as exc:
        raise BadInput(f"--executor {name}: {exc}") from None


@contextmanager
def opened_executor(name: str, workers: int | None, scheduler: str | None, quiet: bool) -> Iterator[Executor]:
    """The executor, reached and checked before any work (a cluster's workers), closed when the command ends.

    A scheduler that cannot be reached, or a worker without the same tabletop-sim, is bad input: one
    line each, exit 2. The dashboard link of a cluster goes to stderr (not with --quiet).
    """
    from sim.executors import ExecutorUnavailable

    tell = None if quiet else (lambda line: stderr().print(Text(line)))
    chosen = executor_for(name, workers, scheduler, tell)
    try:
        if hasattr(chosen, "open"):
            chosen.open()
        yield chosen
    except ExecutorUnavailable as exc:
        lines = str(exc).splitlines()
        if scheduler and lines and lines[0].startswith("cannot reach"):
            lines[0] = f"--scheduler {scheduler}: {lines[0]}"
        raise BadInput(*lines) from None
    finally:
        chosen.close()


class progress_bar:
    """A rich progress bar on stderr when it is a terminal (and not --quiet); else nothing."""

    def __init__(self, quiet: bool):
        self.bar = None
        if not quiet and sys.stderr.isatty():
            from rich.progress import (
                BarColumn,
                MofNCompleteColumn,
                Progress,
                TextColumn,
                TimeRemainingColumn,
            )

            self.bar = Progress(
                TextColumn("replications"),
                BarColumn(),
                MofNCompleteColumn(),
                TimeRemainingColumn(),
                console=stderr(),
                transient=True,
            )

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


def is_number(text: str) -> bool:
    try:
        float(text)
        return True
    except ValueError:
        return False
