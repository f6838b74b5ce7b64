"""SIGINT and SIGTERM end a run cleanly at any moment, with two workers, leaving no process behind.

Each trial starts `python -m sim` in a session of its own, signals the whole process group (what a
terminal's Ctrl-C or `timeout` does) at a moment drawn with a fixed seed, and checks: the exit code,
that a result file, when written, is whole and holds whole blocks, that the history keeps the run
it reports, and that no process of the group outlives the main one.
"""

from __future__ import annotations

import json
import os
import random
import signal
import subprocess
import sys
import time

import pytest

from sim.store import Store
from tools.process_group import ENV, group_members, signal_group, start_sim, wait_group_gone

pytestmark = pytest.mark.slow


def signalled(proc: subprocess.Popen[bytes], sig: int, delay: float) -> tuple[int, str]:
    err = signal_group(proc, sig, delay, timeout=30)
    left = wait_group_gone(proc.pid)
    assert not left, f"processes left behind after {signal.Signals(sig).name} at {delay:.2f}s: {left}"
    return proc.returncode, err


@pytest.mark.parametrize("sig", [signal.SIGINT, signal.SIGTERM])
def test_a_two_worker_run_ends_cleanly_at_random_moments(tmp_path, scenario, sig):
    rng = random.Random(21 + sig)
    for trial in range(5):
        delay = rng.uniform(0.2, 2.5)
        out = tmp_path / f"p{trial}.json"
        proc = start_sim(
            ["run", str(scenario), "--runs", "1000000", "--workers", "2", "--quiet", "--json", str(out)], tmp_path
        )
        code, err = signalled(proc, sig, delay)
        assert code == 128 + sig, f"at {delay:.2f}s: {err}"
        if out.exists():  # written whenever the run had started: whole, whole blocks only
            run = json.loads(out.read_text())["run"]
            assert run["partial"] is True and run["runs"] % 100 == 0
            if run["runs"]:
                assert any(r.runs == run["runs"] for r in Store(tmp_path / ".sim/runs.db").recent(50))
        assert not [p for p in os.listdir(tmp_path) if p.endswith(".tmp")]


@pytest.mark.parametrize("sig", [signal.SIGINT, signal.SIGTERM])
def test_a_sweep_ends_cleanly_at_random_moments_and_finishes_later(tmp_path, scenario, sig):
    rng = random.Random(2100 + sig)
    vary = [
        "sweep",
        str(scenario),
        "--vary",
        "units.0.crew.travel=1h,2h,3h",
        "--runs",
        "300",
        "--workers",
        "2",
        "--quiet",
    ]
    for _trial in range(2):
        code, err = signalled(start_sim(vary, tmp_path), sig, rng.uniform(0.3, 4.0))
        assert code in (0, 128 + sig), err  # 0: the sweep was finished before the signal
    done = subprocess.run(
        [sys.executable, "-m", "sim", *vary, "--json", "all.json"],
        cwd=tmp_path,
        env=ENV,
        capture_output=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr.decode()
    result = json.loads((tmp_path / "all.json").read_text())
    assert result["complete"] and len(result["points"]) == 3
    assert len({p["run_id"] for p in result["points"]}) == 3  # each point kept once


def test_workers_leave_when_the_main_process_is_killed(tmp_path, scenario):
    proc = start_sim(["run", str(scenario), "--runs", "1000000", "--workers", "2", "--quiet", "--no-store"], tmp_path)
    end = time.monotonic() + 20
    while len(group_members(proc.pid)) < 3 and time.monotonic() < end:  # the main process and two workers
        time.sleep(0.1)
    assert len(group_members(proc.pid)) >= 3
    proc.kill()
    proc.wait(10)
    assert not wait_group_gone(proc.pid), "pool workers outlived a main process killed with SIGKILL"


SLOW_WRITE = """
import sys, time
import sim.report.export as export
def slow(*args, **kwargs):
    sys.stderr.write("writing\\n"); sys.stderr.flush(); time.sleep(60)
export.write_json = slow
from sim.cli import main
main(sys.argv[1:])
"""


def test_a_second_ctrl_c_exits_at_once(tmp_path, scenario):
    proc = subprocess.Popen(
        [
            sys.executable,
            "-c",
            SLOW_WRITE,
            "run",
            str(scenario),
            "--runs",
            "100",
            "--workers",
            "1",
            "--quiet",
            "--json",
            "o.json",
        ],
        cwd=tmp_path,
        env=ENV,
        start_new_session=True,
        stderr=subprocess.PIPE,
    )
    assert proc.stderr is not None
    assert proc.stderr.readline() == b"writing\n"
    os.killpg(proc.pid, signal.SIGINT)  # the first is deferred: the file being written is finished
    assert b"interrupted" in proc.stderr.readline()
    started = time.monotonic()
    os.killpg(proc.pid, signal.SIGINT)  # the second stops it now
    proc.wait(10)
    assert proc.returncode == 130 and time.monotonic() - started < 5
    assert Store(tmp_path / ".sim/runs.db").count() == 1  # the run was kept before the files were written
