"""Two identical sweeps at once compute each point once: the second waits for the first's point."""

from __future__ import annotations

import subprocess
import threading
import time

import pytest

from sim.executors import Serial
from sim.store import Store
from sim.study import Study, execute
from sim.study.sweep import parse_vary, plan_sweep, run_sweep


@pytest.mark.slow
def test_a_point_claimed_by_a_live_process_is_waited_for_and_reused(scenario, tmp_path):
    store = Store(tmp_path / "h.db")
    plan = plan_sweep(scenario, [parse_vary("units.0.crew.travel=2h,3h")], runs=100)
    first = plan.points[0]
    other = subprocess.Popen(["sleep", "60"])  # stands for the other sweep's process
    try:
        store.claim(first.key)
        with store._open(create=False) as db:  # the claim as that process made it
            db.execute("UPDATE claims SET pid = ? WHERE sweep_key = ?", (other.pid, first.key))

        def other_sweep_finishes() -> None:
            time.sleep(1.0)
            execute(
                Study(first.loaded, plan.runs, plan.seed),
                executor=Serial(),
                store=Store(store.path),
                kind="sweep_point",
                key=first.key,
            )

        helper = threading.Thread(target=other_sweep_finishes)
        helper.start()
        started = time.monotonic()
        result = run_sweep(plan, store, executor=Serial())
        helper.join()
    finally:
        other.kill()
        other.wait()
    assert time.monotonic() - started >= 0.9  # it waited for the other process
    assert [r.reused for r in result.results] == [True, False]  # and reused its point
    assert store.count() == 2  # each point kept once


@pytest.mark.slow
def test_a_claim_whose_process_died_is_taken_over(scenario, tmp_path):
    store = Store(tmp_path / "h.db")
    plan = plan_sweep(scenario, [parse_vary("units.0.crew.travel=2h")], runs=100)
    dead = subprocess.Popen(["true"])
    dead.wait()
    store.claim(plan.points[0].key)
    with store._open(create=False) as db:
        db.execute("UPDATE claims SET pid = ?", (dead.pid,))
    result = run_sweep(plan, store, executor=Serial())
    assert result.complete and [r.reused for r in result.results] == [False]
    with store._open(create=False) as db:
        assert db.execute("SELECT count(*) FROM claims").fetchone()[0] == 0  # released once kept
