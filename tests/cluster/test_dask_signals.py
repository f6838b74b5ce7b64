"""Ctrl-C and SIGTERM during a run or a sweep on a real Dask cluster end as cleanly as on the process pool.

The cluster (a ``dask scheduler`` and two ``dask worker`` processes on 127.0.0.1, in sessions of their own,
as a remote cluster would be) is the session's; ``python -m sim`` runs in a session of its own and the
signal goes to its whole process group, at a moment drawn with a fixed seed. Checked: exit 130 / 143,
the result file (when written) whole and holding whole blocks, the history keeping what the file reports,
no temporary file left, no process of the group left, and the cluster still serving the next command
(its tasks were cancelled, its workers not killed). The 50 / 20 signals of issue 21 are
``tools/signal_trials.py --executor dask``.
"""

from __future__ import annotations

import json
import os
import random
import signal
import subprocess
import sys
from pathlib import Path

import pytest

from sim.store import Store
from tools.process_group import ENV as PROCESS_ENV
from tools.process_group import signal_group, start_sim, wait_group_gone

pytest.importorskip("dask.distributed", reason="the dask extra is not installed: pip install 'tabletop-sim[dask]'")
pytestmark = pytest.mark.slow  # a real cluster, several commands each cut short

ROOT = Path(__file__).resolve().parents[2]
STRAY = ROOT / "scenarios" / "stray_missile.yaml"
ENV = {k: v for k, v in PROCESS_ENV.items() if k != "DASK_SCHEDULER_ADDRESS"}


def signalled(args: list[str], cwd: Path, sig: int, delay: float) -> tuple[int, str]:
    proc = start_sim(args, cwd, ENV)
    err = signal_group(proc, sig, delay, timeout=60)
    left = wait_group_gone(proc.pid, within=10)
    assert not left, f"processes left behind after {signal.Signals(sig).name} at {delay:.2f}s: {left}"
    return proc.returncode, err


@pytest.mark.parametrize("sig", [signal.SIGINT, signal.SIGTERM])
def test_a_run_on_the_cluster_ends_cleanly_at_random_moments(scheduler, tmp_path, sig):
    rng = random.Random(210 + sig)
    history = tmp_path / "h.db"
    for trial in range(3):
        delay = rng.uniform(1.0, 6.0)  # connecting to the scheduler takes a second or two
        out = tmp_path / f"p{trial}.json"
        args = ["run", str(STRAY), "--runs", "1000000", "--scheduler", scheduler, "--quiet"]
        code, err = signalled(args + ["--store", str(history), "--json", str(out)], tmp_path, sig, delay)
        assert code == 128 + sig, f"at {delay:.2f}s: {err}"
        assert "Traceback" not in err, err
        if out.exists():
            run = json.loads(out.read_text())["run"]
            assert run["partial"] is True and run["runs"] % 100 == 0 and run["executor"] == "dask"
            if run["runs"]:
                assert any(r.runs == run["runs"] for r in Store(history).recent(50))
        assert not [p for p in os.listdir(tmp_path) if p.endswith(".tmp")]
    # the cluster was not harmed: the next command on it runs to the end
    done = subprocess.run(
        [sys.executable, "-m", "sim", "run", str(STRAY), "--runs", "200", "--scheduler", scheduler, "--no-store"],
        cwd=tmp_path,
        env=ENV,
        capture_output=True,
        timeout=180,
    )
    assert done.returncode == 0, done.stderr.decode()


@pytest.mark.parametrize("sig", [signal.SIGINT, signal.SIGTERM])
def test_a_sweep_on_the_cluster_ends_cleanly_and_finishes_later(scheduler, tmp_path, sig):
    rng = random.Random(2110 + sig)
    sweep = ["sweep", str(STRAY), "--vary", "units.0.crew.travel=1h,2h,3h", "--runs", "300"]
    sweep += ["--scheduler", scheduler, "--store", str(tmp_path / "h.db"), "--quiet"]
    for _ in range(2):
        code, err = signalled(sweep, tmp_path, sig, rng.uniform(1.0, 8.0))
        assert code in (0, 128 + sig), err  # 0: finished before the signal
        assert "Traceback" not in err, err
    done = subprocess.run(
        [sys.executable, "-m", "sim", *sweep, "--json", "all.json"],
        cwd=tmp_path,
        env=ENV,
        capture_output=True,
        timeout=300,
    )
    assert done.returncode == 0, done.stderr.decode()
    result = json.loads((tmp_path / "all.json").read_text())
    assert result["complete"] and len(result["points"]) == 3
    assert len({p["run_id"] for p in result["points"]}) == 3  # each point kept once
