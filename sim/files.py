"""Output files written whole or not at all, never destroying what a path points at.

A trainer names outputs with ``--json``/``--csv``/``--html``/``-o``. The rules (docs/contracts):
``-`` is standard output; a symlink is written through (the link stays a link); a device or FIFO
is written directly, never replaced by a regular file; an existing file keeps its mode, a new one
follows the umask; a regular file is written beside the target and renamed over it, so a crash or
Ctrl-C leaves the old file or the new one, never half of one. :func:`check_outputs` finds every
path that cannot be written, or would destroy the scenario or the history, BEFORE the run starts.
"""

from __future__ import annotations

import errno
import os
import stat
import sys
import tempfile
import time
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from pathlib import Path
from typing import IO, Any

STDOUT = "-"
STALE_AFTER_S = 3600.0  # a temporary file without a live owner's pid is stale after this long


class OutputProblem(Exception):
    """Outputs that must not or cannot be written; each line is one problem (``FLAG PATH: why``)."""

    def __init__(self, lines: list[str]):
        super().__init__("\n".join(lines))
        self.lines = lines


def is_stdout(path: str | os.PathLike[str] | None) -> bool:
    """``-`` and the names of standard output itself: written to the stream, never reopened (which truncates)."""
    if path is None:
        return False
    name = os.fspath(path)
    return name == STDOUT or os.path.abspath(name) in ("/dev/stdout", "/dev/fd/1", "/proc/self/fd/1")


def _identity(path: str | os.PathLike[str]) -> tuple[Any, ...]:
    """What a path really is: (device, inode) if it exists (links followed), else its resolved name."""
    try:
        st = os.stat(path)
        return ("inode", st.st_dev, st.st_ino)
    except OSError:
        return ("name", os.path.realpath(path))


def _probe(path: Path) -> str | None:
    """Why ``path`` cannot be written, or None. Tried for real (root ignores permission bits, not a read-only disk)."""
    real = Path(os.path.realpath(path))
    try:
        st = os.stat(path)  # not os.stat(real): /dev/stdout on a pipe resolves to a name that is no file
    except FileNotFoundError:
        st = None
    except OSError as exc:
        return f"cannot be written: {exc.strerror or exc}"
    if st is not None and stat.S_ISDIR(st.st_mode):
        return "is a folder, not a file"
    if st is not None and not stat.S_ISREG(st.st_mode):  # device, FIFO, socket: written in place
        if stat.S_ISFIFO(st.st_mode) or stat.S_ISSOCK(st.st_mode):
            return None if os.access(path, os.W_OK) else "cannot be written: permission denied"
        try:
            os.close(os.open(path, os.O_WRONLY | os.O_NONBLOCK))
        except OSError as exc:
            return f"cannot be written: {exc.strerror or exc}"
        return None
    folder = real.parent
    if not folder.is_dir():
        return f"folder '{path.parent}' does not exist"
    try:  # the file is replaced by a new one made in the same folder: that folder must take a new file
        fd, tmp = tempfile.mkstemp(dir=folder, prefix=f".{real.name}.{os.getpid()}.", suffix=".tmp")
        os.close(fd)
        os.unlink(tmp)
    except OSError as exc:
        return f"cannot write in folder '{folder}': {exc.strerror or exc}"
    return None


def check_outputs(
    outputs: Mapping[str, str | os.PathLike[str] | None], protected: Mapping[str, str | os.PathLike[str] | None] = {}
) -> None:
    """Raise :class:`OutputProblem` listing every output that cannot be written or must not be.

    ``outputs`` maps a flag to the path given (or None); ``protected`` maps a description
    (``"the scenario"``, ``"the run history"``) to a path no output may overwrite.
    """
    lines: list[str] = []
    seen: dict[tuple[Any, ...], str] = {}
    guarded = {_identity(p): what for what, p in protected.items() if p is not None and not is_stdout(p)}
    for flag, value in outputs.items():
        if value is None:
            continue
        shown = f"{flag} {os.fspath(value)}"
        if is_stdout(value):
            key: tuple[Any, ...] = ("stdout",)
        else:
            path = Path(value)
            key = _identity(path)
            if key in guarded:
                lines.append(f"{shown}: is {guarded[key]}; it would be overwritten (choose another file)")
                continue
            why = _probe(path)
            if why:
                lines.append(f"{shown}: {why}")
                continue
        if key in seen:
            where = "standard output" if key == ("stdout",) else "the same file"
            lines.append(f"{shown}: {seen[key]} already writes to {where}; give each output its own")
            continue
        seen[key] = flag
    if lines:
        raise OutputProblem(lines)


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


def clean_stale(target: Path) -> None:
    """Remove temporary files left beside ``target`` by a writer that died (kill -9, power cut)."""
    prefix = f".{target.name}."
    try:
        names = os.listdir(target.parent)
    except OSError:
        return
    for name in names:
        if not (name.startswith(prefix) and name.endswith(".tmp")):
            continue
        tmp = target.parent / name
        owner = name[len(prefix) : -len(".tmp")].split(".")[0]
        try:
            if owner.isdigit() and int(owner) != os.getpid():
                try:
                    os.kill(int(owner), 0)
                    continue  # its writer is still at work
                except ProcessLookupError:
                    pass
                except PermissionError:
                    continue
            elif time.time() - tmp.lstat().st_mtime < STALE_AFTER_S:
                continue
            tmp.unlink()
        except OSError:
            pass


def _is_open_file(path: str | os.PathLike[str]) -> bool:
    """``/dev/stdout``, ``/dev/fd/3``, ``/proc/self/fd/1``: a file already open, written where it is."""
    name = os.path.abspath(path)
    return name in ("/dev/stdout", "/dev/stderr") or name.startswith(("/dev/fd/", "/proc/self/fd/"))


class _Unclosed:
    """Standard output lent to a writer: flushed at the end, never closed."""

    def __init__(self, stream: IO[str]):
        self._stream = stream

    def __getattr__(self, name: str) -> Any:
        return getattr(self._stream, name)


@contextmanager
def atomic_open(path: str | os.PathLike[str], mode: str = "w", newline: str | None = None) -> Iterator[IO[Any]]:
    """Open an output for writing by the rules above; on failure a regular file is left as it was."""
    encoding = None if "b" in mode else "utf-8"
    if is_stdout(path):
        stream: IO[Any] = sys.stdout.buffer if "b" in mode else sys.stdout
        yield _Unclosed(stream)  # type: ignore[misc]
        stream.flush()
        return
    real = Path(os.path.realpath(path))  # through symlinks: the link stays, its target gets the text
    try:
        st: os.stat_result | None = os.stat(path)
    except FileNotFoundError:
        st = None
    if st is not None and (not stat.S_ISREG(st.st_mode) or _is_open_file(path)):
        if stat.S_ISDIR(st.st_mode):
            raise IsADirectoryError(errno.EISDIR, os.strerror(errno.EISDIR), str(path))
        with open(path, mode, encoding=encoding, newline=newline) as f:  # a device or FIFO: in place
            yield f
        return
    file_mode = stat.S_IMODE(st.st_mode) if st is not None else 0o666 & ~_umask()
    clean_stale(real)
    fd, tmp = tempfile.mkstemp(dir=real.parent, prefix=f".{real.name}.{os.getpid()}.", suffix=".tmp")
    try:
        with os.fdopen(fd, mode, encoding=encoding, newline=newline) as f:
            yield f
            f.flush()
            os.fsync(f.fileno())
        os.chmod(tmp, file_mode)
        if st is not None and os.geteuid() == 0:  # root rewriting someone's file: it stays theirs
            try:
                os.chown(tmp, st.st_uid, st.st_gid)
            except OSError:
                pass
        os.replace(tmp, real)
    except BaseException:
        try:
            os.unlink(tmp)
        except FileNotFoundError:
            pass
        raise


def write_text_atomic(path: str | os.PathLike[str], text: str) -> None:
    """Write ``text`` to ``path`` by the rules of :func:`atomic_open`."""
    with atomic_open(path, newline="") as f:
        f.write(text)
