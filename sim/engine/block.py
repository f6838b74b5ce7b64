"""A super-block: several blocks of replications whose physics is computed in one vectorised pass.

Each block keeps its own random streams (``BlockDraws``), so a replication's numbers do not depend
on which blocks share its super-block; only the physics (``BlockFlights``) runs over all their
flights at once, which spreads numpy's cost per call over ten times more flights. The physics is
elementwise per flight, so the outcomes are those of the blocks run one by one (checked by the
tests of the runner: every worker count and super-block size gives the same columns).
"""

from __future__ import annotations

import time
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from sim.engine.draws import BlockDraws
from sim.engine.flights import BlockFlights
from sim.engine.outcome import THREAT_DTYPE, Outcomes, as_row
from sim.engine.plan import Plan
from sim.engine.replication import Replication
from sim.engine.trace import Trace, TraceEvent

BLOCK_SIZE = 100  # replications drawn per block: fixes the numbers (sim.scenario.limits.BLOCK)

BlockRun = tuple[int, Outcomes, list[TraceEvent]]
"""One block done: its number, its outcome columns and (if asked) the story of its replication 0."""


@dataclass
class BlockTiming:
    """Where a super-block's CPU time went (``time.process_time``), for ``bench/run.py``."""

    draws_s: float = 0.0
    physics_s: float = 0.0
    engine_s: float = 0.0
    events: int = 0
    replications: int = 0

    def per_replication(self) -> dict[str, float]:
        n = max(1, self.replications)
        return {
            "draws_us": self.draws_s / n * 1e6,
            "physics_us": self.physics_s / n * 1e6,
            "engine_us": self.engine_s / n * 1e6,
            "events_per_rep": self.events / n,
            "engine_us_per_event": self.engine_s / max(1, self.events) * 1e6,
        }


def prepare_world() -> None:
    """Build the map data every block reads (territory raster, coast distances) in this process, once.

    Called before worker processes are forked, it spares each worker the build (the raster alone is some
    0.1 s of CPU): a forked worker inherits it.
    """
    from sim.world.territory import territories
    from sim.world.zones import coast_distances

    territories()
    coast_distances()


def run_blocks(
    plan: Plan,
    seed: int,
    jobs: Sequence[tuple[int, int]],
    trace_block: int | None = None,
    timing: BlockTiming | None = None,
    size: int = BLOCK_SIZE,
) -> list[BlockRun]:
    """Blocks ``(block, replications)`` of a run: each drawn and flown whole, its first ``replications`` simulated.

    A pure function of (plan, seed, block) for each block, whatever else is in ``jobs``. The story of
    replication 0 of ``trace_block`` is kept.
    """
    clock = time.process_time
    t0 = clock()
    draws = BlockDraws.joined(plan.sites, seed, [b for b, _ in jobs], size)
    t1 = clock()
    flights = BlockFlights(plan, draws)
    t2 = clock()
    s = plan.scenario
    nt, nu, nl = len(s.threats), len(s.units), len(s.alert_levels)
    names = (
        tuple(x.name for x in s.threats),
        tuple(u.name for u in s.units),
        tuple(lv.name for lv in s.alert_levels),
        plan.post_names,
        tuple(flights.codes),
    )
    out: list[BlockRun] = []
    events_scheduled = 0
    for n, (block, replications) in enumerate(jobs):
        rows = np.empty((replications, nt), dtype=THREAT_DTYPE)
        readiness = np.empty((replications, nu, nl))
        story: list[TraceEvent] = []
        for i in range(replications):
            trace = Trace(block == trace_block and i == 0)
            rep = Replication(plan, draws, flights, n * size + i, trace)
            records, readiness[i] = rep.run()
            for k, rec in enumerate(records):
                rows[i, k] = as_row(rec)
            if timing is not None:
                events_scheduled += next(rep.env._eid)
            if trace.enabled:
                story = sorted(trace.events, key=lambda e: e.t)
        out.append((block, Outcomes(*names, threats=rows, readiness=readiness), story))
    if timing is not None:
        timing.draws_s += t1 - t0
        timing.physics_s += t2 - t1
        timing.engine_s += clock() - t2
        timing.events += events_scheduled
        timing.replications += sum(r for _, r in jobs)
    return out
