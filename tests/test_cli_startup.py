"""`sim --help` stays fast: the command line imports numpy, pydantic and the engine only for a command that runs."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def test_help_imports_nothing_heavy():
    code = (
        "import sys; sys.argv = ['sim', '--help']\n"
        "from sim.cli import main\n"
        "try:\n    main()\nexcept SystemExit:\n    pass\n"
        "heavy = sorted(m for m in ('numpy', 'pydantic', 'simpy', 'sim.engine', 'sim.scenario.loader') if m in sys.modules)\n"
        "print('HEAVY', heavy)\n"
    )
    out = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, check=True).stdout
    assert "Usage" in out and "HEAVY []" in out, out[-400:]
