"""Where the blocks of a run are computed: in this process, a process pool, or a Dask cluster.

Every executor does one thing: given a compiled plan, a seed and the blocks to run, it yields each
block's outcome as it finishes, in any order. Block b is a pure function of (plan, seed, b), its
random streams rebuilt inside the worker from ``SeedSequence(seed, spawn_key=(b, site))``, so the
runner gets the same numbers whichever executor it is handed.
"""

from __future__ import annotations

import os
import threading
import time
from collections.abc import Iterator, Sequence
from concurrent.futures import FIRST_COMPLETED, Future, ProcessPoolExecutor, wait
from dataclasses import dataclass
from typing import Protocol

from sim.engine.outcome import Outcomes
from sim.engine.plan import Plan
from sim.engine.replication import run_block
from sim.engine.trace import TraceEvent
from sim import interrupts
from sim.interrupts import ignore_in_worker

BLOCK_SIZE = 100
EXECUTORS = ("local", "dask")

BlockOutput = tuple[Outcomes, list[TraceEvent]]


class ExecutorUnavailable(RuntimeError):
    """The executor asked for cannot run here (e.g. Dask not installed): bad input, not a crash."""


@dataclass(frozen=True)
class BlockJob:
    """Block ``block`` of a run, always drawn and flown whole, of which the first ``size`` replications run."""

    block: int
    size: int
    trace: bool = False


def compute_block(plan: Plan, seed: int, job: BlockJob) -> BlockOutput:
    return run_block(plan, seed, job.block, BLOCK_SIZE, trace=job.trace, replications=job.size)


class Executor(Protocol):
    """Runs blocks; yields ``(block, output)`` as each finishes. Ctrl-C stops it and lets the runner keep what is done."""

    name: str
    workers: int

    def run_blocks(self, plan: Plan, seed: int, jobs: Sequence[BlockJob]) -> Iterator[tuple[int, BlockOutput]]: ...


class Serial:
    """In this process, one block after another: the reference the others must equal."""

    name = "local"
    workers = 1

    def run_blocks(self, plan: Plan, seed: int, jobs: Sequence[BlockJob]) -> Iterator[tuple[int, BlockOutput]]:
        for job in jobs:
            yield job.block, compute_block(plan, seed, job)


_worker_plan: Plan | None = None
WATCH_S = 0.2   # how often a worker checks that the main process is still there


def _init_worker(plan: Plan, parent: int) -> None:
    """Keep the plan; leave signals to the main process; exit as soon as the main process is gone."""
    global _worker_plan
    _worker_plan = plan
    ignore_in_worker()
    threading.Thread(target=_watch_parent, args=(parent,), name="sim-watchdog", daemon=True).start()


def _watch_parent(parent: int) -> None:
    """A worker whose main process died (kill -9 included) is re-parented: it exits instead of waiting forever."""
    while os.getppid() == parent:
        time.sleep(WATCH_S)
    os._exit(1)


def _stop(pool: ProcessPoolExecutor) -> None:
    """Stop a pool now: queued blocks cancelled, running ones killed (an interrupted run keeps whole blocks only)."""
    processes = list((getattr(pool, "_processes", None) or {}).values())
    pool.shutdown(wait=False, cancel_futures=True)
    for p in processes:
        try:
            p.kill()
        except (OSError, ValueError):
            pass
    for p in processes:
        try:
            p.join(timeout=5)
        except (OSError, ValueError, AssertionError):
            pass


def _block_in_worker(seed: int, job: BlockJob) -> tuple[int, BlockOutput]:
    assert _worker_plan is not None, "the pool's initializer sets the plan"
    return job.block, compute_block(_worker_plan, seed, job)


class ProcessPool:
    """Worker processes on this machine; the plan is shipped once per worker, not once per block."""

    name = "local"

    def __init__(self, workers: int):
        self.workers = workers

    def run_blocks(self, plan: Plan, seed: int, jobs: Sequence[BlockJob]) -> Iterator[tuple[int, BlockOutput]]:
        if self.workers <= 1 or len(jobs) <= 1:
            yield from Serial().run_blocks(plan, seed, jobs)
            return
        with interrupts.polled():   # a signal never lands inside the pool's locks: it is checked between waits
            # never more workers than blocks: an idle worker only costs a process start
            pool = ProcessPoolExecutor(max_workers=min(self.workers, len(jobs)), initializer=_init_worker,
                                       initargs=(plan, os.getpid()))
            try:
                pending: set[Future[tuple[int, BlockOutput]]] = set()
                for job in jobs:
                    pending.add(pool.submit(_block_in_worker, seed, job))
                    interrupts.check()
                while pending:
                    interrupts.check()
                    finished, pending = wait(pending, timeout=WATCH_S, return_when=FIRST_COMPLETED)
                    for f in finished:
                        yield f.result()
            except BaseException:
                _stop(pool)
                raise
            pool.shutdown()


class Dask:
    """A Dask cluster: a LocalCluster of ``workers`` processes, or the scheduler at ``address``."""

    name = "dask"

    def __init__(self, workers: int, address: str | None = None):
        try:   # checked here, before any work, so a missing extra is bad input and not a failure mid-run
            import dask.distributed  # noqa: F401
        except ImportError:
            raise ExecutorUnavailable("the dask executor needs the extra: pip install 'tabletop-sim[dask]'") from None
        self.workers = workers
        self.address = address

    def run_blocks(self, plan: Plan, seed: int, jobs: Sequence[BlockJob]) -> Iterator[tuple[int, BlockOutput]]:
        import dask
        from dask.distributed import Client, LocalCluster, as_completed

        from sim.scratch import folder

        if self.address:
            with Client(self.address) as client:
                yield from self._submit(client, as_completed, plan, seed, jobs)
            return
        space = str(folder() / "dask")   # not /tmp/dask-scratch-space, which would outlive the run
        with dask.config.set({"temporary-directory": space}), \
                LocalCluster(n_workers=self.workers, threads_per_worker=1, processes=True, dashboard_address=None,
                             local_directory=space) as cluster, Client(cluster) as client:
            yield from self._submit(client, as_completed, plan, seed, jobs)

    @staticmethod
    def _submit(client, as_completed, plan: Plan, seed: int, jobs: Sequence[BlockJob]):  # type: ignore[no-untyped-def]
        shared = client.scatter(plan, broadcast=True)
        futures = {client.submit(compute_block, shared, seed, job, pure=False): job.block for job in jobs}
        for f in as_completed(futures):
            yield futures[f], f.result()


def default_workers() -> int:
    return os.cpu_count() or 1


def make_executor(name: str = "local", workers: int | None = None, address: str | None = None) -> Executor:
    """The executor a user named: ``local`` (a process pool, or serial for one worker) or ``dask``."""
    n = default_workers() if workers is None else workers
    if name == "local":
        return ProcessPool(n) if n > 1 else Serial()
    if name == "dask":
        return Dask(n, address)
    raise ExecutorUnavailable(f"unknown executor '{name}' (use {' or '.join(EXECUTORS)})")
