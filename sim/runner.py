"""Many replications: fixed-size blocks, seeded streams, an executor, progress, Ctrl-C.

A run is a pure function of (scenario, seed, runs). Replications are grouped in blocks of
``BLOCK_SIZE``; block b's random streams are rebuilt inside whichever worker runs it from
``SeedSequence(seed, spawn_key=(b, draw_site))``. A block always draws and flies a full
``BLOCK_SIZE`` even when the run needs fewer, so the first N replications of a longer run are
the same as those of a run of N. The result is identical for 1 worker, 2 workers or Dask.
"""

from __future__ import annotations

import time
from collections.abc import Callable

import sim
from sim.engine.draws import BlockDraws
from sim.engine.flights import BlockFlights
from sim.engine.outcome import Outcomes, ThreatRecord
from sim.engine.plan import Plan, compile_plan
from sim.engine.replication import Replication
from sim.engine.trace import Trace, TraceEvent
from sim.executors import BLOCK_SIZE, BlockJob, BlockOutput, Executor, make_executor
from sim.interrupts import raising
from sim.results import RunInfo, RunResult
from sim.scenario.loader import LoadedScenario

Progress = Callable[[int, int], None]


def block_sizes(runs: int) -> list[int]:
    """How many replications of each block a run of ``runs`` uses (the last block may be short)."""
    return [min(BLOCK_SIZE, runs - b * BLOCK_SIZE) for b in range((runs + BLOCK_SIZE - 1) // BLOCK_SIZE)]


def run(loaded: LoadedScenario, runs: int | None = None, seed: int | None = None, executor: Executor | None = None,
        progress: Progress | None = None, trace: bool = False) -> RunResult:
    """Run ``runs`` replications of a loaded scenario and return their outcome columns.

    ``progress(done, total)`` is called as blocks finish. On Ctrl-C or SIGTERM the finished blocks
    are kept and the result is marked partial (the caller decides the exit code: sim.interrupts).
    """
    s = loaded.scenario
    runs = s.runs if runs is None else runs
    seed = s.seed if seed is None else seed
    executor = executor or make_executor()
    plan = compile_plan(s)
    sizes = block_sizes(runs)
    jobs = [BlockJob(b, size, trace and b == 0) for b, size in enumerate(sizes)]
    started = time.perf_counter()
    done: dict[int, BlockOutput] = {}
    interrupted = False
    report = progress or (lambda d, t: None)
    blocks = executor.run_blocks(plan, seed, jobs)
    try:
        with raising():   # Ctrl-C / SIGTERM stop the blocks at once; a signal that came earlier stops them now
            for b, output in blocks:
                done[b] = output
                report(sum(sizes[x] for x in done), runs)
    except KeyboardInterrupt:
        interrupted = True
    finally:
        getattr(blocks, "close", lambda: None)()   # a generator: stops the workers whatever ended the loop
    parts = [done[b][0] for b in sorted(done)]
    outcomes = Outcomes.stack(parts) if parts else _empty(plan)
    info = RunInfo(
        runs=outcomes.runs, requested_runs=runs, seed=seed, version=sim.__version__, block_size=BLOCK_SIZE,
        workers=executor.workers, executor=executor.name, wall_s=time.perf_counter() - started,
        partial=interrupted or outcomes.runs < runs,
    )
    events = done[0][1] if 0 in done else []
    return RunResult(scenario=loaded, info=info, outcomes=outcomes, trace=events)


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

    return Outcomes.empty([t.name for t in s.threats], [u.name for u in s.units], [lv.name for lv in s.alert_levels],
                          plan.post_names, territories().codes)
