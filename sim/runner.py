"""Many replications: fixed-size blocks, seeded streams, executors, progress, Ctrl-C.

A run is a pure function of (scenario, seed, runs). Replications are grouped in blocks of
``BLOCK_SIZE``; block b's random streams are rebuilt inside whichever worker runs it from
``SeedSequence(seed, spawn_key=(b, draw_site))``. A block always draws and flies a full
``BLOCK_SIZE`` even when the run needs fewer, so the first N replications of a longer run are
the same as those of a run of N. The result is identical for 1 worker, 2 workers or Dask.
"""

from __future__ import annotations

import os
import time
from concurrent.futures import FIRST_COMPLETED, Future, ProcessPoolExecutor, wait
from typing import Callable

import sim
from sim.engine.outcome import Outcomes
from sim.engine.plan import Plan, compile_plan
from sim.engine.replication import run_block
from sim.results import RunInfo, RunResult

BLOCK_SIZE = 100
EXECUTORS = ("local", "dask")

Progress = Callable[[int, int], None]


class ExecutorUnavailable(RuntimeError):
    """The executor asked for cannot run here (e.g. Dask not installed): bad input, not a crash."""


_plan: Plan | None = None


def _init_worker(plan: Plan) -> None:
    global _plan
    _plan = plan


def _block_in_worker(seed: int, block: int, size: int, trace: bool):
    return block, _block(_plan, seed, block, size, trace)


def _block(plan: Plan, seed: int, block: int, size: int, trace: bool):
    """Block ``block``, always drawn and flown whole, of which the first ``size`` replications run."""
    return run_block(plan, seed, block, BLOCK_SIZE, trace=trace, replications=size)


def default_workers() -> int:
    return os.cpu_count() or 1


def run(loaded, runs: int | None = None, seed: int | None = None, workers: int | None = None,
        executor: str = "local", progress: Progress | None = None, trace: bool = False) -> RunResult:
    """Run ``runs`` replications of a loaded scenario and return their outcome columns.

    ``progress(done, total)`` is called as blocks finish. On Ctrl-C the finished blocks are kept
    and the result is marked partial (the caller decides the exit code).
    """
    s = loaded.scenario
    runs = s.runs if runs is None else runs
    seed = s.seed if seed is None else seed
    workers = default_workers() if workers is None else workers
    if executor not in EXECUTORS:
        raise ExecutorUnavailable(f"unknown executor '{executor}' (use {' or '.join(EXECUTORS)})")
    plan = compile_plan(s)
    sizes = [min(BLOCK_SIZE, runs - b * BLOCK_SIZE) for b in range((runs + BLOCK_SIZE - 1) // BLOCK_SIZE)]
    started = time.perf_counter()
    done: dict[int, tuple[Outcomes, list]] = {}
    interrupted = False
    report = progress or (lambda d, t: None)
    try:
        if executor == "dask":
            _run_dask(plan, seed, sizes, workers, trace, done, report, runs)
        elif workers <= 1 or len(sizes) <= 1:
            for b, size in enumerate(sizes):
                done[b] = _block(plan, seed, b, size, trace and b == 0)
                report(sum(sizes[x] for x in done), runs)
        else:
            _run_processes(plan, seed, sizes, workers, trace, done, report, runs)
    except KeyboardInterrupt:
        interrupted = True
    order = sorted(done)
    parts = [done[b][0] for b in order]
    outcomes = Outcomes.stack(parts) if parts else _empty(plan)
    info = RunInfo(
        runs=outcomes.runs, requested_runs=runs, seed=seed, version=sim.__version__, block_size=BLOCK_SIZE,
        workers=workers, executor=executor, wall_s=time.perf_counter() - started,
        partial=interrupted or outcomes.runs < runs,
    )
    events = done[0][1] if 0 in done else []
    return RunResult(scenario=loaded, info=info, outcomes=outcomes, trace=events)


def _empty(plan: Plan) -> Outcomes:
    s = plan.scenario
    from sim.world.territory import territories

    return Outcomes.empty([t.name for t in s.threats], [u.name for u in s.units], [lv.name for lv in s.alert_levels],
                          plan.post_names, territories().codes)


def _run_processes(plan, seed, sizes, workers, trace, done, report, runs) -> None:
    pool = ProcessPoolExecutor(max_workers=workers, initializer=_init_worker, initargs=(plan,))
    pending: set[Future] = set()
    try:
        for b, size in enumerate(sizes):
            pending.add(pool.submit(_block_in_worker, seed, b, size, trace and b == 0))
        while pending:
            finished, pending = wait(pending, return_when=FIRST_COMPLETED)
            for f in finished:
                b, result = f.result()
                done[b] = result
            report(sum(sizes[x] for x in done), runs)
    except KeyboardInterrupt:
        for f in pending:
            f.cancel()
        pool.shutdown(wait=False, cancel_futures=True)
        raise
    pool.shutdown()


def _run_dask(plan, seed, sizes, workers, trace, done, report, runs) -> None:
    try:
        from dask.distributed import Client, LocalCluster, as_completed
    except ImportError:
        raise ExecutorUnavailable("the dask executor needs the extra: pip install 'tabletop-sim[dask]'") from None
    with LocalCluster(n_workers=workers, threads_per_worker=1, processes=True, dashboard_address=None) as cluster, \
            Client(cluster) as client:
        shared = client.scatter(plan, broadcast=True)
        futures = {client.submit(_block, shared, seed, b, size, trace and b == 0, pure=False): b
                   for b, size in enumerate(sizes)}
        for f in as_completed(futures):
            done[futures[f]] = f.result()
            report(sum(sizes[x] for x in done), runs)
