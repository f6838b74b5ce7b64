"""The signal handler in-process: where it raises, and where it waits for the block to end."""

from __future__ import annotations

import signal
from types import SimpleNamespace

import pytest

from sim import interrupts


@pytest.fixture()
def handler():
    old = interrupts.install()
    yield
    interrupts.restore(old)


def test_a_signal_inside_the_import_machinery_is_raised_when_the_block_ends(handler) -> None:
    """Raised inside an import lock's weakref callback, Python would print it as "ignored" with a traceback."""
    importing = SimpleNamespace(f_code=SimpleNamespace(co_filename="<frozen importlib._bootstrap>"))
    reached_the_end_of_the_work = False
    with pytest.raises(KeyboardInterrupt), interrupts.raising():
        interrupts._handler(signal.SIGINT, importing)  # type: ignore[arg-type]
        reached_the_end_of_the_work = True
    assert reached_the_end_of_the_work
    assert interrupts.exit_code() == 130


def test_a_signal_anywhere_else_is_raised_at_once(handler) -> None:
    elsewhere = SimpleNamespace(f_code=SimpleNamespace(co_filename=__file__))
    with pytest.raises(interrupts.Terminated), interrupts.raising():
        interrupts._handler(signal.SIGTERM, elsewhere)  # type: ignore[arg-type]
        pytest.fail("the work went on after SIGTERM")
    assert interrupts.exit_code() == 143


def test_a_signal_while_the_program_exits_changes_neither_its_code_nor_its_silence(tmp_path) -> None:
    """A Ctrl-C that lands after the command finished, while the exit handlers run, is held back: the
    process ends with the command's code, no traceback (CPython would print one, or die of SIGINT)."""
    import subprocess
    import sys

    script = (
        "import atexit, os, signal, sys\n"
        "from sim.cli.entry import console\n"
        "atexit.register(lambda: os.kill(os.getpid(), signal.SIGINT))\n"
        "sys.argv = ['sim', '--version']\n"
        "console()\n"
    )
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=60, check=False)
    assert done.returncode == 0, done.stderr
    assert "Traceback" not in done.stderr and "KeyboardInterrupt" not in done.stderr, done.stderr
    assert done.stdout.strip(), "the command's own output is written before the process ends"
