"""The program's door: run the typer app, turn every kind of failure into its exit code, end the process."""

from __future__ import annotations

import os
import sys
from typing import Any

import typer

from sim.cli.app import (
    EXIT_BAD_INPUT,
    EXIT_INTERNAL,
    EXIT_INTERRUPTED,
    EXIT_OK,
    BadInput,
    Interrupted,
    app,
    say,
)

try:  # typer >= 0.20 carries its own copy of click
    from typer._click import exceptions as click_errors
except ImportError:  # pragma: no cover - older typer uses click itself
    from click import exceptions as click_errors  # type: ignore[no-redef]


def tidy_help(command: Any) -> Any:
    """Arguments named as their metavar in help (``SCENARIO``), not typer's ``{scenario}`` and ``<path>``."""
    for cmd in [command, *getattr(command, "commands", {}).values()]:
        for param in getattr(cmd, "params", []):
            if getattr(param, "param_type_name", "") == "argument" and param.metavar:
                many = "..." if param.nargs != 1 else ""
                param._usage_display_name = lambda m=param.metavar, x=many: m + x
                param.display_type_rich = lambda ctx: None
    return command


def main(argv: list[str] | None = None) -> None:
    """Entry point: runs the app and turns every kind of failure into its exit code."""
    from sim import interrupts, scratch

    args = sys.argv[1:] if argv is None else argv
    scratch.keep_writes_inside()
    handlers = interrupts.install()
    try:
        _main(args)
    finally:
        interrupts.restore(handlers)


def _main(args: list[str]) -> None:
    from sim import interrupts

    def bad_scenario() -> type[Exception]:  # an except clause is evaluated only when something was raised
        from sim.scenario.loader import ScenarioError

        return ScenarioError

    def bad_measure() -> type[Exception]:
        from sim.analysis.measure import MeasureError

        return MeasureError

    try:
        code = tidy_help(typer.main.get_command(app)).main(args=args, prog_name="sim", standalone_mode=False)
    except bad_scenario() as exc:
        for p in exc.problems:  # type: ignore[attr-defined]
            say(str(p))
        sys.exit(EXIT_BAD_INPUT)
    except bad_measure() as exc:
        say(f"--measure {exc}")
        sys.exit(EXIT_BAD_INPUT)
    except BadInput as exc:
        for line in exc.lines:
            say(line)
        sys.exit(EXIT_BAD_INPUT)
    except click_errors.NoArgsIsHelpError as exc:
        sys.stdout.write((exc.ctx.get_help() if exc.ctx else str(exc)) + "\n")
        sys.exit(EXIT_OK)
    except click_errors.UsageError as exc:
        where = exc.ctx.command_path if exc.ctx else "sim"
        say(f"{where}: {exc.format_message()} (see '{where} --help')")
        sys.exit(EXIT_BAD_INPUT)
    except Interrupted:
        sys.exit(interrupts.exit_code())
    except typer.Exit as exc:
        sys.exit(exc.exit_code)
    except typer.Abort:
        say("interrupted")
        sys.exit(interrupts.exit_code())
    except click_errors.ClickException as exc:
        say(f"sim: {exc.format_message()}")
        sys.exit(EXIT_BAD_INPUT)
    except KeyboardInterrupt:
        say("interrupted")
        sys.exit(interrupts.exit_code())
    except BrokenPipeError:  # the reader went away (| head): stop quietly, also at interpreter exit
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        sys.exit(EXIT_OK)
    except Exception as exc:  # an internal error: say so plainly; the traceback only on request
        if os.environ.get("SIM_DEBUG"):
            raise
        say(f"internal error: {type(exc).__name__}: {exc} (set SIM_DEBUG=1 for the traceback)")
        sys.exit(EXIT_INTERNAL)
    if code == EXIT_INTERRUPTED:  # typer turns a KeyboardInterrupt that left a command into this code
        say("interrupted")
        sys.exit(interrupts.exit_code())
    if interrupts.received() is not None and not code:  # interrupted while deferred: the work was finished
        sys.exit(interrupts.exit_code())
    sys.exit(code if isinstance(code, int) else EXIT_OK)


def console() -> None:
    """The ``sim`` program and ``python -m sim``: :func:`main`, then the process ends itself with main's code.

    Once the command is done, Ctrl-C and SIGTERM are held back while the exit handlers run (the temporary
    folder is removed) and the process ends with ``os._exit``. Left to itself, CPython turns a late signal
    into death by SIGINT: when an interrupt landed inside certain module imports, and when one arrives as
    the interpreter shuts down (its own handlers are gone by then). A command ends with its code: 0, 2, 130
    or 143, whatever moment the signal picked.
    """
    import atexit
    import signal

    try:
        main()
        code = EXIT_OK
    except SystemExit as done:
        if done.code is not None and not isinstance(done.code, int):
            raise
        code = done.code or EXIT_OK
    except KeyboardInterrupt:  # after the command's own handler was removed: nothing was left to do
        code = EXIT_INTERRUPTED
    signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGINT, signal.SIGTERM})
    for stream in (sys.stdout, sys.stderr):
        try:
            stream.flush()
        except (OSError, ValueError):
            pass
    atexit._run_exitfuncs()
    os._exit(code)


if __name__ == "__main__":
    console()
