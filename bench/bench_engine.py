"""Engine speed and memory, against a raw SimPy reference run in the same process.

    python bench/bench_engine.py [--runs 4000] [--scenario scenarios/stray_missile.yaml]

Prints: raw SimPy events/s (a chain of timeouts, the ceiling), the engine's events/s and
replications/s on one core (and the ratio to the ceiling), where a block's time goes (draws,
vectorised physics, SimPy), the run on 1 and 2 workers, and the peak memory of a run's outcome
columns. Figures, not pass/fail: compare them across commits.
"""

from __future__ import annotations

import argparse
import sys
import time
import tracemalloc
from pathlib import Path

import simpy

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from sim.engine.draws import BlockDraws  # noqa: E402
from sim.engine.flights import BlockFlights  # noqa: E402
from sim.engine.plan import compile_plan  # noqa: E402
from sim.engine.replication import Replication  # noqa: E402
from sim.engine.trace import Trace  # noqa: E402
from sim.runner import BLOCK_SIZE, run  # noqa: E402
from sim.scenario.loader import load_scenario  # noqa: E402


def events_scheduled(env: simpy.Environment) -> int:
    """How many events an environment has scheduled (SimPy numbers them with a counter)."""
    return next(env._eid)


def raw_simpy_events_per_s(n_events: int = 300_000) -> float:
    """The ceiling: 100 processes each waiting on a chain of timeouts, nothing else."""
    env = simpy.Environment()
    per = n_events // 100

    def proc():
        for _ in range(per):
            yield env.timeout(1.0)

    for _ in range(100):
        env.process(proc())
    t = time.perf_counter()
    env.run()
    return events_scheduled(env) / (time.perf_counter() - t)


def engine_profile(plan, blocks: int = 5):
    """Time spent per phase over a few blocks, and SimPy events per replication.

    The territory polygons are rasterised once per process (about 0.1 s) before timing starts.
    """
    from sim.world.territory import territories

    territories()
    t_draw = t_phys = t_sim = 0.0
    events = reps = 0
    for b in range(blocks):
        t0 = time.perf_counter()
        draws = BlockDraws(plan.sites, plan.scenario.seed, b, BLOCK_SIZE)
        t1 = time.perf_counter()
        flights = BlockFlights(plan, draws)
        t2 = time.perf_counter()
        for i in range(BLOCK_SIZE):
            r = Replication(plan, draws, flights, i, Trace(False))
            r.run()
            events += events_scheduled(r.env)
            reps += 1
        t3 = time.perf_counter()
        t_draw, t_phys, t_sim = t_draw + t1 - t0, t_phys + t2 - t1, t_sim + t3 - t2
    return t_draw, t_phys, t_sim, events, reps


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--runs", type=int, default=4000)
    ap.add_argument("--scenario", default="scenarios/stray_missile.yaml")
    args = ap.parse_args()
    loaded = load_scenario(args.scenario)
    plan = compile_plan(loaded.scenario)

    ceiling = raw_simpy_events_per_s()
    print(f"raw SimPy reference            {ceiling / 1e6:6.2f} M events/s (one core)")

    t_draw, t_phys, t_sim, events, reps = engine_profile(plan)
    total = t_draw + t_phys + t_sim
    sim_rate = events / t_sim
    print(
        f"engine, SimPy part             {sim_rate / 1e6:6.2f} M events/s = {sim_rate / ceiling:.2f} x the reference "
        f"({events / reps:.0f} events per replication)"
    )
    print(f"engine, one core               {reps / total:8.0f} replications/s")
    print(
        f"  time per block of {BLOCK_SIZE}: draws {t_draw / 5 * 1e3:.1f} ms, physics {t_phys / 5 * 1e3:.1f} ms, "
        f"SimPy {t_sim / 5 * 1e3:.1f} ms ({t_sim / total:.0%} of the block)"
    )

    for workers in (1, 2):
        t = time.perf_counter()
        result = run(loaded, runs=args.runs, workers=workers)
        wall = time.perf_counter() - t
        print(
            f"sim run --runs {args.runs} --workers {workers}   {wall:6.2f} s wall, {args.runs / wall:8.0f} replications/s"
        )

    tracemalloc.start()
    result = run(loaded, runs=args.runs, workers=1)
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    cols = sum(a.nbytes for a in result.outcomes.threats.values()) + result.outcomes.readiness.nbytes
    print(
        f"memory, {args.runs} runs                {peak / 2**20:6.1f} MiB peak traced, outcome columns {cols / 2**20:.2f} MiB "
        f"({cols / args.runs:.0f} bytes per replication)"
    )


if __name__ == "__main__":
    main()
