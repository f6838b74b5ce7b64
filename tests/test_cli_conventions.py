"""CLI conventions: sim --version, shell completion, and help that names its values as a reader would."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

import sim
from sim.cli import main

ROOT = Path(__file__).resolve().parents[1]
COMMANDS = [
    "run",
    "validate",
    "schema",
    "trajectory",
    "compare",
    "sweep",
    "sensitivity",
    "runs",
    "show",
    "exercise",
    "serve",
]


def cli(capsys, *args) -> tuple[int, str, str]:
    with pytest.raises(SystemExit) as done:
        main(list(args))
    out, err = capsys.readouterr()
    return done.value.code, out, err


def test_version(capsys):
    code, out, err = cli(capsys, "--version")
    assert code == 0 and out == f"sim (tabletop-sim) {sim.__version__}\n" and err == ""


@pytest.mark.parametrize("command", COMMANDS)
def test_help_shows_no_type_names_or_braces(command, capsys):
    code, out, _ = cli(capsys, command, "--help")
    assert code == 0
    assert not re.search(r"<(list|int|str|path|float)|\{[a-z_]+\}", out), out


def test_every_command_has_its_help_listed(capsys):
    code, out, _ = cli(capsys, "--help")
    assert code == 0
    assert all(re.search(rf"^\s+{c}\s", out, re.M) for c in COMMANDS)
    assert "--install-completion" in out and "--version" in out


def test_executor_scheduler_and_workers_on_run_compare_and_sweep(capsys):
    for command in ("run", "compare", "sweep", "sensitivity"):
        _, out, _ = cli(capsys, command, "--help")
        assert "--executor <local|dask>" in out and "--scheduler ADDRESS" in out and "--workers N" in out, command
    code, _, err = cli(capsys, "run", "scenarios/stray_missile.yaml", "--executor", "cloud")
    assert code == 2 and "'cloud' is not one of" in err.replace("\n", " ")


def test_shell_completion_completes_commands_and_options():
    env = dict(
        os.environ, _SIM_COMPLETE="complete_bash", COMP_WORDS="sim run --sch", COMP_CWORD="2", PYTHONPATH=str(ROOT)
    )
    done = subprocess.run([sys.executable, "-m", "sim"], capture_output=True, text=True, env=env, cwd=ROOT, timeout=60)
    assert done.returncode == 0 and done.stdout.split() == ["--scheduler"]
