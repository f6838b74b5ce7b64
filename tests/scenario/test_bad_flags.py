"""Issue 18, the command line: flags checked as strictly as the file, exit 2 with one line, warnings on stderr."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from types import SimpleNamespace

import pytest

REPO = Path(__file__).resolve().parents[2]
STRAY = str(REPO / "scenarios" / "stray_missile.yaml")


def sim(*args: str, cwd: Path = REPO) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "sim", *args],
        check=False,
        capture_output=True,
        text=True,
        timeout=120,
        cwd=cwd,
        env={**os.environ, "PYTHONPATH": str(REPO), "COLUMNS": "80"},
    )


@pytest.mark.parametrize(
    "args, line",
    [
        (
            ["run", STRAY, "--runs", "1000000000", "--no-store"],
            "sim run: Invalid value for '--runs': Input should be less than or equal to 10000000 (see 'sim run --help')",
        ),
        (
            ["run", STRAY, "--workers", "1000", "--no-store"],
            "sim run: Invalid value for '--workers': Input should be less than or equal to 256 (see 'sim run --help')",
        ),
        (
            ["trajectory", "--from", "sinpo", "--azimuth", "60", "--range", "30000km"],
            "--range 30000km: must be more than 0 km and less than half way round the Earth (20015 km)",
        ),
        (
            ["trajectory", "--from", "sinpo", "--azimuth", "60", "--range", "470km", "--apogee", "1m"],
            "--apogee 1m: a flight of 470 km with an apogee of 0.001 km is flatter than any ballistic missile's: its apogee "
            "must be at least 1/50 of its range or 100 km (9.4 km here), or it would fly through the air the model leaves out",
        ),
        (
            ["trajectory", "--from", "sinpo", "--azimuth", "nan", "--range", "400km"],
            "--azimuth nan: must be a finite number",
        ),
        (
            ["trajectory", "--from", "sinpo", "--azimuth", "60", "--speed", "12", "--angle", "45"],
            "--speed 12: must be between 0 and orbital speed (7.91 km/s); faster never comes down",
        ),
        (
            ["compare", STRAY, STRAY, "--set-b", "horizon=0s", "--runs", "5"],
            "--set-b horizon=0s: horizon: must be longer than 0s: nothing happens in no time",
        ),
    ],
)
@pytest.mark.slow
def test_bad_flags_exit_2_with_one_line(args, line):
    run = sim(*args)
    assert run.returncode == 2, run.stderr
    assert run.stderr.splitlines() == [line]


@pytest.mark.slow
def test_validate_prints_warnings_and_exits_0(tmp_path):
    text = (
        Path(STRAY)
        .read_text(encoding="utf-8")
        .replace("    post: division_cp\n", "    post: division_cp\n    initial_level: heightened\n", 1)
    )
    path = tmp_path / "s.yaml"
    path.write_text(text, encoding="utf-8")
    run = sim("validate", str(path))
    assert run.returncode == 0
    assert run.stdout.startswith(f"ok {path}: ")
    (warning,) = run.stderr.splitlines()
    assert warning.startswith(
        f"{path}:65:20: units.0.initial_level: warning: 's400_vladivostok' starts ordered to "
        "'heightened' but does not meet 'heightened' at the start (24 of 40 officers at post"
    )


@pytest.mark.slow
def test_validate_of_a_control_byte_and_a_deep_file_exit_2(tmp_path):
    a, b = tmp_path / "a.yaml", tmp_path / "b.yaml"
    a.write_bytes(b"name: t\x07\n")
    b.write_text("sources: " + "[" * 500 + "]" * 500 + "\n")
    run = sim("validate", str(a), str(b))
    assert run.returncode == 2
    assert run.stderr.splitlines() == [
        f"{a}:1:8: yaml: a control character (U+0007) is not allowed; delete it",
        f"{b}:1:73: yaml: nested more than 64 levels deep; a scenario needs about 6",
    ]


def test_the_runs_table_keeps_every_id_at_80_columns():
    from rich.console import Console

    from sim.analysis import from_document
    from sim.report.history_report import render_runs

    doc = json.loads((REPO / "tests" / "data" / "result_v1_stray_missile.json").read_text(encoding="utf-8"))
    summary = from_document(doc)
    runs = [
        SimpleNamespace(
            id=i,
            when="11-30 07:24",
            scenario="Stray missile toward Primorye",
            kind="run",
            overrides={"tracking.pip_required": 10.0 + i},
            seed=i,
            runs=1000,
            summary=lambda: summary,
        )
        for i in range(1, 20)
    ]
    with open(os.devnull, "w") as sink:
        console = Console(width=80, record=True, file=sink)
        console.print(render_runs(runs, "runs.db"))
    text = console.export_text()
    assert max(len(line) for line in text.splitlines()) <= 80
    first_cells = [line.split()[0] for line in text.splitlines() if line[:4].strip().isdigit()]
    assert first_cells == [str(i) for i in range(1, 20)]
    assert "Stray" in text and "tracking" in text
