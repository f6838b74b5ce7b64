"""One temporary folder per command for what libraries insist on writing, removed when the command ends.

A run writes its named outputs and the history, nothing else: matplotlib's font cache and config
and Dask's worker space go here instead of the home folder or ``/tmp/dask-scratch-space``.
"""

from __future__ import annotations

import atexit
import os
import shutil
import tempfile
from pathlib import Path

_folder: Path | None = None


def folder() -> Path:
    """This process's temporary folder, made on first use and removed at exit."""
    global _folder
    if _folder is None or not _folder.is_dir():
        _folder = Path(tempfile.mkdtemp(prefix="sim-"))
        atexit.register(shutil.rmtree, _folder, ignore_errors=True)
    return _folder


def keep_writes_inside() -> None:
    """Point matplotlib at the temporary folder unless the user chose a place for it."""
    if "MPLCONFIGDIR" not in os.environ:
        os.environ["MPLCONFIGDIR"] = str(folder() / "matplotlib")
