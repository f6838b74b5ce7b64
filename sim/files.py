"""Writing output files whole or not at all: a crash or Ctrl-C never leaves half a report."""

from __future__ import annotations

import os
import tempfile
from contextlib import contextmanager
from pathlib import Path

FILE_MODE = 0o644  # temporary files are private (0600); a result is meant to be read by others


@contextmanager
def atomic_open(path, mode: str = "w", newline: str | None = None):
    """Open a temporary file beside ``path``; on success it replaces ``path``, on failure it vanishes."""
    path = Path(path)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        encoding = None if "b" in mode else "utf-8"
        with os.fdopen(fd, mode, encoding=encoding, newline=newline) as f:
            yield f
            f.flush()
            os.fsync(f.fileno())
        os.chmod(tmp, FILE_MODE)
        os.replace(tmp, path)
    except BaseException:
        try:
            os.unlink(tmp)
        except FileNotFoundError:
            pass
        raise


def write_text_atomic(path: str | Path, text: str) -> None:
    """Write ``text`` to ``path`` through a temporary file beside it."""
    with atomic_open(path, newline="") as f:
        f.write(text)
