"""Where the blocks of a run are computed: in this process, a process pool, or a Dask cluster.

Every executor does one thing: given a compiled plan, a seed and the blocks to run, it yields each
block's outcome as it finishes, in any order (several studies' blocks at once with ``run_many``).
Block b is a pure function of (plan, seed, b), its random streams rebuilt inside the worker from
``SeedSequence(seed, spawn_key=(b, site))``, so the runner gets the same numbers whichever executor
it is handed. The Dask executor lives in :mod:`sim.cluster`.
"""

from __future__ import annotations

import multiprocessing
import os
import threading
import time
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import FIRST_COMPLETED, Future, ProcessPoolExecutor, wait
from dataclasses import dataclass
from typing import Any, Protocol

from sim import interrupts
from sim.engine.block import BLOCK_SIZE as BLOCK_SIZE  # re-exported: the runner and tests read it here
from sim.engine.block import prepare_world, run_blocks
from sim.engine.outcome import Outcomes
from sim.engine.plan import Plan
from sim.engine.trace import TraceEvent
from sim.interrupts import ignore_in_worker

SUPER_BLOCK = 10  # blocks whose physics is computed in one pass (sim.engine.block), at most
EXECUTORS = ("local", "dask")

Reducer = Callable[[Outcomes], Any]
"""Turns a block's outcome columns into a smaller mergeable partial, in the worker (a module-level function:
it is pickled by name). The runner layer cannot import the analysis, so the pipeline hands it down."""

BlockOutput = tuple[Any, list[TraceEvent]]
"""A block's outcome columns (or, with a reducer, its partial) and the story of its replication 0 if asked."""


class ExecutorUnavailable(RuntimeError):
    """The executor asked for cannot run here (Dask not installed, a worker without tabletop-sim): bad input.

    Its text is one line per problem.
    """


@dataclass(frozen=True)
class BlockJob:
    """Block ``block`` of a run, always drawn and flown whole, of which the first ``size`` replications run."""

    block: int
    size: int
    trace: bool = False
    reduce: Reducer | None = None  # return the reduced block instead of its columns


def compute_block(plan: Plan, seed: int, job: BlockJob) -> BlockOutput:
    [(_, output)] = compute_blocks(plan, seed, [job])
    return output


def compute_blocks(plan: Plan, seed: int, jobs: Sequence[BlockJob]) -> list[tuple[int, BlockOutput]]:
    """A super-block: its blocks' outcomes, each the same as if it were computed alone."""
    traced = next((job.block for job in jobs if job.trace), None)
    done = run_blocks(plan, seed, [(job.block, job.size) for job in jobs], traced)
    reducers = {job.block: job.reduce for job in jobs}
    return [(block, (_reduced(reducers[block], outcomes), events)) for block, outcomes, events in done]


def _reduced(reduce: Reducer | None, outcomes: Outcomes) -> Any:
    return outcomes if reduce is None else reduce(outcomes)


def super_blocks(jobs: Sequence[BlockJob], workers: int) -> list[Sequence[BlockJob]]:
    """Consecutive blocks grouped for one pass of physics: at most SUPER_BLOCK, and at least two groups a
    worker when there are enough blocks, so that the workers finish together."""
    per = max(1, min(SUPER_BLOCK, -(-len(jobs) // (2 * max(1, workers)))))
    return [jobs[n : n + per] for n in range(0, len(jobs), per)]


Work = tuple[Plan, int, Sequence[BlockJob]]
"""One study's share of a pool: its compiled plan, its seed and the blocks to run."""

Finished = tuple[int, int, BlockOutput]
"""A block done: which study (its index in the work), which block, and the block's outcome."""


class Executor(Protocol):
    """Runs blocks; yields each as it finishes. Ctrl-C stops it and lets the runner keep what is done.

    ``run_many`` takes every block of several studies (the points of a sweep) as one pool, so that
    short studies keep every worker busy; ``close`` lets go of what the executor holds (a cluster).
    """

    name: str
    workers: int

    def run_blocks(self, plan: Plan, seed: int, jobs: Sequence[BlockJob]) -> Iterator[tuple[int, BlockOutput]]: ...

    def run_many(self, work: Sequence[Work]) -> Iterator[Finished]: ...

    def close(self) -> None: ...


class _Base:
    """What every executor shares: one study is a pool of one, and an executor is a context manager."""

    name = "local"
    workers = 1

    def run_many(self, work: Sequence[Work]) -> Iterator[Finished]:
        raise NotImplementedError

    def run_blocks(self, plan: Plan, seed: int, jobs: Sequence[BlockJob]) -> Iterator[tuple[int, BlockOutput]]:
        for _, block, output in self.run_many([(plan, seed, jobs)]):
            yield block, output

    def close(self) -> None:
        pass

    def __enter__(self):
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


class Serial(_Base):
    """In this process, one block after another, in the order given: the reference the others must equal."""

    def run_many(self, work: Sequence[Work]) -> Iterator[Finished]:
        for i, (plan, seed, jobs) in enumerate(work):
            for group in super_blocks(jobs, 1):
                for block, output in compute_blocks(plan, seed, group):
                    yield i, block, output


_worker_plans: tuple[Plan, ...] = ()
WATCH_S = 0.2  # how often a worker checks that the main process is still there


def _init_worker(plans: tuple[Plan, ...], parent: int) -> None:
    """Keep the plans; leave signals to the main process; exit as soon as the main process is gone."""
    global _worker_plans
    _worker_plans = plans
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


def _blocks_in_worker(study: int, seed: int, jobs: Sequence[BlockJob]) -> list[Finished]:
    assert _worker_plans, "the pool's initializer sets the plans"
    return [(study, block, output) for block, output in compute_blocks(_worker_plans[study], seed, jobs)]


class ProcessPool(_Base):
    """Worker processes on this machine; the plans are shipped once per worker, not once per block."""

    def __init__(self, workers: int):
        self.workers = workers

    def run_many(self, work: Sequence[Work]) -> Iterator[Finished]:
        total = sum(len(jobs) for _, _, jobs in work)
        if self.workers <= 1 or total <= 1:
            yield from Serial().run_many(work)
            return
        plans = tuple(plan for plan, _, _ in work)
        if multiprocessing.get_start_method(allow_none=False) == "fork":
            prepare_world()  # the workers inherit the map data instead of each building it
        with interrupts.polled():  # a signal never lands inside the pool's locks: it is checked between waits
            # never more workers than blocks: an idle worker only costs a process start
            groups = [
                (i, seed, group) for i, (_, seed, jobs) in enumerate(work) for group in super_blocks(jobs, self.workers)
            ]
            pool = ProcessPoolExecutor(
                max_workers=min(self.workers, len(groups)), initializer=_init_worker, initargs=(plans, os.getpid())
            )
            try:
                pending: set[Future[list[Finished]]] = set()
                for i, seed, group in groups:
                    pending.add(pool.submit(_blocks_in_worker, i, seed, group))
                    interrupts.check()
                while pending:
                    interrupts.check()
                    finished, pending = wait(pending, timeout=WATCH_S, return_when=FIRST_COMPLETED)
                    for f in finished:
                        yield from f.result()
            except BaseException:
                _stop(pool)
                raise
            pool.shutdown()


def default_workers() -> int:
    return os.cpu_count() or 1


def make_executor(
    name: str = "local",
    workers: int | None = None,
    address: str | None = None,
    announce: Callable[[str], None] | None = None,
) -> Executor:
    """The executor a user named: ``local`` (a process pool, or serial for one worker) or ``dask``.

    For ``dask``, ``address`` is a scheduler's (``tcp://host:8786``); without one, Dask's own
    configuration (``DASK_SCHEDULER_ADDRESS``) is asked, and failing that a local cluster is started.
    ``announce`` receives one line about the cluster once it is reached (its dashboard link).
    """
    n = default_workers() if workers is None else workers
    if name == "local":
        return ProcessPool(n) if n > 1 else Serial()
    if name == "dask":
        from sim.cluster import Dask

        return Dask(n, address, announce)
    raise ExecutorUnavailable(f"unknown executor '{name}' (use {' or '.join(EXECUTORS)})")
