"""Where a scenario's time goes: ``python bench/where_time_goes.py [SCENARIO ...] [--blocks N]``.

Runs N blocks of 100 replications in this process under cProfile and prints, per scenario, the CPU time of
each part of a replication in microseconds and as a share of the whole: the draws, the block's physics (its
parts: the impact prediction, the engagement windows, the sensors, the rest of the flights), and the engine
(SimPy's own event handling, the intercept searches the loop still makes, the model's processes). cProfile
adds its own cost to every Python call, so the engine's share reads high; the shares, not the totals, are
what this is for (``bench/run.py`` has the unprofiled totals). The tables of docs/performance.md come from it.
"""

from __future__ import annotations

import argparse
import cProfile
import os
import pstats
import sys
from pathlib import Path

ROOT = Path(os.environ.get("SIM_TREE", Path(__file__).resolve().parents[1]))
sys.path.insert(0, str(ROOT))

# (label, file suffix, function name): a part is the cumulative time of that function
PARTS = [
    ("draws", "sim/engine/draws.py", "joined"),
    ("physics", "sim/engine/flights.py", "__init__"),
    ("  impact prediction (map look-ups)", "sim/engine/prediction.py", "tracking_updates"),
    ("  engagement windows", "sim/world/intercept.py", "engagement_window"),
    ("  sensors (first sighting)", "sim/engine/sensing.py", "fly"),
    ("engine", "sim/engine/replication.py", "run"),
    ("  intercept searches in the loop", "sim/engine/flights.py", "intercept_time"),
]


def profile(scenario: str, blocks: int) -> list[tuple[str, float]]:
    """(part, microseconds of CPU a replication under the profiler), the first row the whole."""
    from sim.engine.block import prepare_world, run_blocks
    from sim.engine.plan import compile_plan
    from sim.scenario.loader import load_scenario

    prepare_world()
    plan = compile_plan(load_scenario(ROOT / "scenarios" / f"{scenario}.yaml").scenario)
    run_blocks(plan, 1, [(0, 100)])  # warm-up
    profiler = cProfile.Profile()
    profiler.enable()
    run_blocks(plan, 1, [(b, 100) for b in range(blocks)])
    profiler.disable()
    stats = pstats.Stats(profiler).stats  # type: ignore[attr-defined]
    reps = blocks * 100

    def cumulative(suffix: str, name: str) -> float:
        return sum(v[3] for (f, _, fn), v in stats.items() if f.endswith(suffix) and fn == name)

    simpy_own = sum(v[2] for (f, _, _), v in stats.items() if f"{os.sep}simpy{os.sep}" in f)
    rows = [("whole (under cProfile)", cumulative("sim/engine/block.py", "run_blocks"))]
    rows += [(label, cumulative(suffix, name)) for label, suffix, name in PARTS]
    engine = cumulative("sim/engine/replication.py", "run")
    searches = cumulative("sim/engine/flights.py", "intercept_time")
    rows.append(("  SimPy's own event handling", simpy_own))
    rows.append(("  the model's processes (the rest)", engine - searches - simpy_own))
    return [(label, t / reps * 1e6) for label, t in rows]


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("scenarios", nargs="*", default=["stray_missile", "saturation"])
    ap.add_argument("--blocks", type=int, default=10)
    args = ap.parse_args()
    for scenario in args.scenarios:
        rows = profile(scenario, args.blocks)
        whole = rows[0][1]
        print(f"\n{scenario} ({args.blocks} blocks of 100)")
        print(f"{'part':<40} {'us/rep':>8} {'share':>6}")
        for label, us in rows:
            print(f"{label:<40} {us:8.0f} {us / whole:6.0%}")


if __name__ == "__main__":
    main()
