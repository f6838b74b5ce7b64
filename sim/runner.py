"""Many replications: fixed-size blocks, seeded streams, an executor, progress, Ctrl-C.

A run is a pure function of (scenario, seed, runs). Replications are grouped in blocks of
``BLOCK_SIZE``; block b's random streams are rebuilt inside whichever worker runs it from
``SeedSequence(seed, spawn_key=(b, draw_site))``. A block always draws and flies a full
``BLOCK_SIZE`` even when the run needs fewer, so the first N replications of a longer run are
the same as those of a run of N. The result is identical for 1 worker, 2 workers or Dask.
"""

from __future__ import annotations

import itertools
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

import sim
from sim.engine.draws import BlockDraws
from sim.engine.flights import BlockFlights
from sim.engine.outcome import Outcomes, ThreatRecord
from sim.engine.plan import Plan, compile_plan
from sim.engine.replication import Replication
from sim.engine.trace import Trace, TraceEvent
from sim.executors import BLOCK_SIZE, BlockJob, BlockOutput, Executor, Reducer, make_executor
from sim.interrupts import raising
from sim.results import RunInfo, RunResult
from sim.scenario.loader import LoadedScenario

Progress = Callable[[int, int], None]


def block_sizes(runs: int) -> list[int]:
    """How many replications of each block a run of ``runs`` uses (the last block may be short)."""
    return [min(BLOCK_SIZE, runs - b * BLOCK_SIZE) for b in range((runs + BLOCK_SIZE - 1) // BLOCK_SIZE)]


def run(
    loaded: LoadedScenario,
    runs: int | None = None,
    seed: int | None = None,
    executor: Executor | None = None,
    progress: Progress | None = None,
    trace: bool = False,
) -> RunResult:
    """Run ``runs`` replications of a loaded scenario and return their outcome columns.

    ``progress(done, total)`` is called as blocks finish. On Ctrl-C or SIGTERM the finished blocks
    are kept and the result is marked partial (the caller decides the exit code: sim.interrupts).
    """
    s = loaded.scenario
    request = Request(loaded, s.runs if runs is None else runs, s.seed if seed is None else seed, trace)
    return run_all([request], executor, progress)[0]


@dataclass(frozen=True)
class Request:
    """One run of a pool: a loaded scenario, its replications and seed, and whether to keep replication 0's story."""

    loaded: LoadedScenario
    runs: int
    seed: int
    trace: bool = False
    # stream: each block reduced in its worker by this function and the partials merged in block order
    # (``partial.merge(other)``), instead of the outcome columns being kept; None keeps the columns
    reduce: Reducer | None = None


OnRun = Callable[[int, RunResult], None]


def run_all(
    requests: Sequence[Request],
    executor: Executor | None = None,
    progress: Progress | None = None,
    on_run: OnRun | None = None,
) -> list[RunResult]:
    """Every block of every run submitted as one pool (the points of a sweep, the two sides of a comparison).

    ``on_run(i, result)`` is called as soon as run i has all its blocks, so a caller can keep it
    while the others still run. On Ctrl-C (also from ``progress`` or ``on_run``) the finished blocks
    are kept: the runs not finished come back marked partial, and ``on_run`` is not called for them.
    """
    executor = executor or make_executor()
    plans = [compile_plan(r.loaded.scenario) for r in requests]
    sizes = [block_sizes(r.runs) for r in requests]
    work = [
        (plan, r.seed, [BlockJob(b, size, r.trace and b == 0, r.reduce) for b, size in enumerate(sz)])
        for plan, r, sz in zip(plans, requests, sizes)
    ]
    total = sum(r.runs for r in requests)
    started = time.perf_counter()
    done = [_Merge(sz) if r.reduce else _Gather(sz) for r, sz in zip(requests, sizes)]
    results: dict[int, RunResult] = {}
    report = progress or (lambda d, t: None)
    counted = 0
    interrupted = False
    pool = executor.run_many(work)
    try:
        with raising():  # Ctrl-C / SIGTERM stop the blocks at once; a signal that came earlier stops them now
            for i, b, output in pool:
                done[i].add(b, output)
                counted += sizes[i][b]
                report(counted, total)
                if done[i].complete:
                    results[i] = _result(requests[i], plans[i], done[i], executor, started, False)
                    if on_run:
                        on_run(i, results[i])
    except KeyboardInterrupt:
        interrupted = True
    finally:
        getattr(pool, "close", lambda: None)()  # a generator: stops the workers whatever ended the loop
    return [
        results[i] if i in results else _result(r, plans[i], done[i], executor, started, interrupted)
        for i, r in enumerate(requests)
    ]


class _Gather:
    """A run's outcome columns, filled block by block as the blocks arrive: a block is not kept twice."""

    def __init__(self, sizes: list[int]):
        self.sizes = sizes
        self.offsets = [0, *itertools.accumulate(sizes)][:-1]  # where each block's rows start
        self.blocks: set[int] = set()
        self.events: list[TraceEvent] = []
        self.first: Outcomes | None = None
        self.threats = self.readiness = np.empty(0)

    def add(self, block: int, output: BlockOutput) -> None:
        part, events = output
        if self.first is None:
            runs = sum(self.sizes)
            self.first = part
            self.threats = np.empty((runs, *part.threats.shape[1:]), dtype=part.threats.dtype)
            self.readiness = np.empty((runs, *part.readiness.shape[1:]))
        at, n = self.offsets[block], self.sizes[block]
        self.threats[at : at + n] = part.threats
        self.readiness[at : at + n] = part.readiness
        self.blocks.add(block)
        if block == 0:
            self.events = events

    @property
    def complete(self) -> bool:
        return len(self.blocks) == len(self.sizes)

    def outcomes(self, plan: Plan) -> Outcomes:
        """The columns of the blocks done, in block order (all of them, unless the run was interrupted)."""
        if self.first is None:
            return _empty(plan)
        threats, readiness = self.threats, self.readiness
        if not self.complete:
            rows = np.concatenate(
                [np.arange(self.offsets[b], self.offsets[b] + self.sizes[b]) for b in sorted(self.blocks)]
            )
            threats, readiness = threats[rows], readiness[rows]
        f = self.first
        return Outcomes(f.threat_names, f.unit_names, f.level_names, f.post_names, f.territories, threats, readiness)


class _Merge:
    """A streamed run's partials, merged in block order as they arrive (a block that comes early waits for the
    ones before it), so the float sums are the same for any worker count."""

    def __init__(self, sizes: list[int]):
        self.sizes = sizes
        self.blocks: set[int] = set()
        self.events: list[TraceEvent] = []
        self.waiting: dict[int, Any] = {}
        self.next = 0
        self.merged: Any = None

    def add(self, block: int, output: BlockOutput) -> None:
        part, events = output
        self.blocks.add(block)
        self.waiting[block] = part
        if block == 0:
            self.events = events
        while self.next in self.waiting:
            self._take(self.waiting.pop(self.next))
            self.next += 1

    def _take(self, part: Any) -> None:
        self.merged = part if self.merged is None else self.merged.merge(part)

    @property
    def complete(self) -> bool:
        return len(self.blocks) == len(self.sizes)

    @property
    def runs(self) -> int:
        return sum(self.sizes[b] for b in self.blocks)

    def outcomes(self, plan: Plan) -> Outcomes:
        """No rows, only the names; the blocks done are in :attr:`merged` (all of them, if interrupted too)."""
        for b in sorted(self.waiting):
            self._take(self.waiting.pop(b))
        return _empty(plan)


def _result(
    request: Request, plan: Plan, done: _Gather | _Merge, executor: Executor, started: float, interrupted: bool
) -> RunResult:
    outcomes = done.outcomes(plan)
    runs = done.runs if isinstance(done, _Merge) else outcomes.runs
    info = RunInfo(
        runs=runs,
        requested_runs=request.runs,
        seed=request.seed,
        version=sim.__version__,
        block_size=BLOCK_SIZE,
        workers=executor.workers,
        executor=executor.name,
        wall_s=time.perf_counter() - started,
        partial=interrupted or runs < request.runs,
    )
    reduced = done.merged if isinstance(done, _Merge) else None
    return RunResult(scenario=request.loaded, info=info, outcomes=outcomes, trace=done.events, reduced=reduced)


def replay(loaded: LoadedScenario, seed: int, replication: int) -> tuple[list[TraceEvent], list[ThreatRecord]]:
    """The story and outcomes of replication ``replication`` of a run with ``seed``: the one ``sim run`` made."""
    plan = compile_plan(loaded.scenario)
    block, i = divmod(replication, BLOCK_SIZE)
    draws = BlockDraws(plan.sites, seed, block, BLOCK_SIZE)
    story = Trace(True)
    records, _ = Replication(plan, draws, BlockFlights(plan, draws), i, story).run()
    return sorted(story.events, key=lambda e: e.t), records


def _empty(plan: Plan) -> Outcomes:
    s = plan.scenario
    from sim.world.territory import territories

    return Outcomes.empty(
        [t.name for t in s.threats],
        [u.name for u in s.units],
        [lv.name for lv in s.alert_levels],
        plan.post_names,
        territories().codes,
    )
