"""Ctrl-C and SIGTERM end a run cleanly: finished blocks kept, outputs and history written, exit 130 / 143.

The command line installs one handler for both signals. While blocks are computed (inside
:func:`raising`) a signal stops the computation at once, as ``KeyboardInterrupt``; elsewhere
(inside :func:`deferred`: storing the run, writing its files) it is only noted, the work in hand
is finished, and the command then exits with :func:`exit_code`. A second signal exits at once.
Pool workers ignore both signals (the main process stops them) and leave when it dies.
"""

from __future__ import annotations

import os
import signal
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from types import FrameType
from typing import Any

SIGNALS = (signal.SIGINT, signal.SIGTERM)


class Terminated(KeyboardInterrupt):
    """SIGTERM, handled like Ctrl-C but ending with exit code 143."""


class _State:
    pid: int | None = None  # the process that installed the handler (forked children ignore it)
    received: int | None = None  # the first signal received
    raising: bool = True
    quiet: bool = False  # noted without a word: the code inside polls with check()


_state = _State()


def _handler(signum: int, frame: FrameType | None) -> None:
    if os.getpid() != _state.pid:  # a freshly forked pool worker: its parent decides what happens
        return
    if _state.received is not None:
        sys.stderr.write("interrupted again: stopping now (a file not finished is left as it was)\n")
        sys.stderr.flush()
        os._exit(128 + signum)
    _state.received = signum
    if _state.raising and not _in_import_machinery(frame):
        raise Terminated() if signum == signal.SIGTERM else KeyboardInterrupt()
    if _state.raising:  # raised where Python would swallow it and print a traceback: raised when the block ends
        return
    if _state.quiet:
        return
    sys.stderr.write("interrupted: finishing what is being written (interrupt again to stop at once)\n")
    sys.stderr.flush()


def _in_import_machinery(frame: FrameType | None) -> bool:
    """An exception raised here (an import lock's weakref callback) is printed as "ignored", traceback and all."""
    return frame is not None and frame.f_code.co_filename.startswith("<frozen importlib")


def install() -> dict[int, Any]:
    """Handle SIGINT and SIGTERM in this process; returns the handlers it replaced (for :func:`restore`)."""
    old: dict[int, Any] = {s: signal.getsignal(s) for s in SIGNALS}
    _state.pid, _state.received, _state.raising = os.getpid(), None, True
    for s in SIGNALS:
        signal.signal(s, _handler)
    return old


def restore(old: dict[int, Any]) -> None:
    for s, h in old.items():
        signal.signal(s, h)
    _state.pid = None


def received() -> int | None:
    """The signal that interrupted this command, if any."""
    return _state.received


def exit_code() -> int:
    """130 after Ctrl-C (or an interrupt of unknown origin), 143 after SIGTERM."""
    return 128 + (_state.received or signal.SIGINT)


def _interrupt() -> KeyboardInterrupt:
    return Terminated() if _state.received == signal.SIGTERM else KeyboardInterrupt()


@contextmanager
def raising() -> Iterator[None]:
    """Signals interrupt the work inside at once; one that came earlier interrupts it before it starts."""
    before = _state.raising, _state.quiet
    _state.raising, _state.quiet = True, False
    try:
        check()
        yield
        check()  # a signal noted but not raised (it came inside the import machinery) ends the block here
    finally:
        _state.raising, _state.quiet = before


@contextmanager
def deferred() -> Iterator[None]:
    """Signals are noted, not raised: the work inside (storing, writing files) is finished first."""
    before = _state.raising, _state.quiet
    _state.raising, _state.quiet = False, False
    try:
        yield
    finally:
        _state.raising, _state.quiet = before


@contextmanager
def polled() -> Iterator[None]:
    """Signals are noted, and the code inside raises them itself with :func:`check` at safe points.

    For waits on locks that an exception must not interrupt: ``concurrent.futures.wait`` interrupted
    half-way keeps a future's lock, and the pool then hangs the interpreter's exit forever.
    """
    before = _state.raising, _state.quiet
    _state.raising, _state.quiet = False, True
    try:
        yield
    finally:
        _state.raising, _state.quiet = before


def check() -> None:
    """Raise the interrupt now if a signal came (inside :func:`polled`)."""
    if _state.received is not None and _state.pid == os.getpid():
        raise _interrupt()


def ignore_in_worker() -> None:
    """A pool worker: the main process handles signals and stops its workers itself."""
    for s in SIGNALS:
        signal.signal(s, signal.SIG_IGN)
