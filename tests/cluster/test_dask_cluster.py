"""A real cluster: ``dask scheduler`` and two ``dask worker`` processes give the process pool's numbers exactly.

Skipped only when the dask extra is not installed (CI installs it). The cluster is started once for
the module; a second, broken one (a worker without tabletop-sim, a worker with another version)
checks that such workers are named in one line each and nothing runs.
"""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest

import sim
from sim.cli import main
from sim.engine.outcome import THREAT_FIELDS
from sim.executors import ProcessPool
from sim.runner import run
from sim.scenario.loader import load_scenario

pytest.importorskip("dask.distributed", reason="the dask extra is not installed: pip install 'tabletop-sim[dask]'")
pytestmark = pytest.mark.slow  # a real scheduler and workers: 5 to 25 s a test

from sim.cluster import Dask  # noqa: E402  (after the skip: it needs dask)

ROOT = Path(__file__).resolve().parents[2]
STRAY = str(ROOT / "scenarios" / "stray_missile.yaml")
RUNS = 250  # three blocks, the last one short: blocks land on both workers, in any order


def sim_cli(capsys, *args) -> tuple[int, str, str]:
    with pytest.raises(SystemExit) as done:
        main(list(args))
    out, err = capsys.readouterr()
    return done.value.code, out, err


def test_a_run_on_the_cluster_equals_the_process_pool(scheduler):
    loaded = load_scenario(STRAY)
    local = run(loaded, runs=RUNS, seed=11, executor=ProcessPool(2))
    with Dask(2, scheduler) as cluster:
        remote = run(loaded, runs=RUNS, seed=11, executor=cluster)
        assert cluster.workers == 2  # what the scheduler reported: two one-thread workers
    assert remote.info.executor == "dask" and remote.info.runs == RUNS
    for f in THREAT_FIELDS:
        np.testing.assert_array_equal(local.outcomes.threats[f], remote.outcomes.threats[f], err_msg=f)
    np.testing.assert_array_equal(local.outcomes.readiness, remote.outcomes.readiness)


def test_sim_run_scheduler_writes_the_same_csv_as_local(scheduler, tmp_path, capsys):
    local, remote = tmp_path / "local.csv", tmp_path / "remote.csv"
    code, _, err = sim_cli(
        capsys,
        "run",
        STRAY,
        "--runs",
        str(RUNS),
        "--seed",
        "4",
        "--workers",
        "2",
        "--no-store",
        "--quiet",
        "--csv",
        str(local),
    )
    assert code == 0, err
    code, _, err = sim_cli(
        capsys,
        "run",
        STRAY,
        "--runs",
        str(RUNS),
        "--seed",
        "4",
        "--scheduler",
        scheduler,
        "--no-store",
        "--csv",
        str(remote),
    )
    assert code == 0, err
    assert f"dask: 2 workers (2 threads) at {scheduler}" in err  # the cluster is announced on stderr
    assert remote.read_bytes() == local.read_bytes()


def test_the_scheduler_address_is_taken_from_dask_configuration(scheduler, monkeypatch, tmp_path, capsys):
    import dask.config

    monkeypatch.setenv("DASK_SCHEDULER_ADDRESS", scheduler)
    dask.config.refresh()
    try:
        code, _, err = sim_cli(
            capsys,
            "run",
            STRAY,
            "--runs",
            "120",
            "--executor",
            "dask",
            "--no-store",
            "--json",
            str(tmp_path / "r.json"),
        )
    finally:
        monkeypatch.delenv("DASK_SCHEDULER_ADDRESS")
        dask.config.refresh()
    assert code == 0, err
    assert f"at {scheduler}" in err  # not a local cluster
    assert json.loads((tmp_path / "r.json").read_text())["run"]["executor"] == "dask"


def test_a_sweep_on_the_cluster_equals_the_process_pool(scheduler):
    vary = {"units.0.crew.travel": ["3h", "48h"], "alert_orders.0.delay": ["1h", "6h"]}
    local = sim.sweep(STRAY, vary, runs=150, seed=3, executor=ProcessPool(2))
    remote = sim.sweep(STRAY, vary, runs=150, seed=3, scheduler=scheduler)
    assert local.complete and remote.complete

    def numbers(swept):
        docs = json.loads(swept.to_json())
        for p in docs["points"]:
            for k in ("wall_s", "workers", "executor"):
                p["result"]["run"].pop(k)
        return docs

    assert numbers(remote) == numbers(local)
    assert remote.table().equals(local.table())


def test_sim_sweep_scheduler_writes_the_same_csv_as_local(scheduler, tmp_path, capsys):
    out = {}
    for how, extra in (("local", ["--workers", "2"]), ("remote", ["--scheduler", scheduler])):
        out[how] = tmp_path / f"{how}.csv"
        code, _, err = sim_cli(
            capsys,
            "sweep",
            STRAY,
            "--vary",
            "units.0.crew.travel=3h,48h",
            "--runs",
            "120",
            "--store",
            str(tmp_path / f"{how}.db"),
            "--csv",
            str(out[how]),
            "--quiet",
            *extra,
        )
        assert code == 0, err

    # run ids are given as points finish, which may differ: compare everything else
    def without_run_id(path: Path) -> list[list[str]]:
        rows = [line.split(",") for line in path.read_text().splitlines()]
        k = rows[0].index("run_id")
        return [r[:k] + r[k + 1 :] for r in rows]

    assert without_run_id(out["remote"]) == without_run_id(out["local"])


def test_workers_that_cannot_run_our_blocks_are_named_one_line_each(tmp_path, capsys):
    from dask_processes import dask_cluster

    hide = tmp_path / "hide_sim.py"
    hide.write_text("import sys\nsys.modules['sim'] = None   # as if tabletop-sim were not installed\n")
    older = tmp_path / "older_sim.py"
    older.write_text("import sim\nsim.__version__ = '0.0.1'\n")
    with dask_cluster(tmp_path, workers=2, preloads=(str(hide), str(older))) as address:
        code, out, err = sim_cli(capsys, "run", STRAY, "--runs", "100", "--scheduler", address, "--no-store")
    lines = err.splitlines()
    assert code == 2 and out == ""
    assert len(lines) == 2, err
    assert sum("tabletop-sim is not installed there" in line for line in lines) == 1
    assert sum(f"runs tabletop-sim 0.0.1, this machine {sim.__version__}" in line for line in lines) == 1
    assert all(line.startswith("dask worker tcp://127.0.0.1:") for line in lines)
    assert "Traceback" not in err and "ModuleNotFoundError" not in err


def test_a_scheduler_not_there_is_one_line(monkeypatch, capsys):
    from dask_processes import free_port

    import sim.cluster

    monkeypatch.setattr(sim.cluster, "CONNECT_TIMEOUT_S", 2)
    address = f"tcp://127.0.0.1:{free_port()}"
    code, out, err = sim_cli(capsys, "run", STRAY, "--runs", "100", "--scheduler", address, "--no-store")
    assert code == 2
    assert len(err.splitlines()) == 1 and err.startswith(f"--scheduler {address}: cannot reach the Dask scheduler")
