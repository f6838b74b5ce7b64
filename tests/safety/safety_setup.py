"""Helpers of the safety tests (a module of its own: every test folder has a conftest)."""

from __future__ import annotations

from pathlib import Path

import pytest

from sim.cli import main

ROOT = Path(__file__).resolve().parents[2]
STRAY = ROOT / "scenarios" / "stray_missile.yaml"
QUICK = ("--runs", "100", "--workers", "1", "--quiet")  # one block in this process: fast, and enough here


def sim(capsys, *args: str) -> tuple[int, str, str]:
    """Run the `sim` command in this process: (exit code, stdout, stderr)."""
    with pytest.raises(SystemExit) as done:
        main([str(a) for a in args])
    out, err = capsys.readouterr()
    return done.value.code, out, err
