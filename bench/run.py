"""The speed of tabletop-sim in one table: ``python bench/run.py [--quick]`` (writes bench/results.json).

What it measures, and how (figures, not pass/fail; compare them across commits on the same machine):

- per shipped scenario, in this process: microseconds of CPU per replication split into draws,
  physics (the block's vectorised flights) and engine (the SimPy processes), SimPy events per
  replication, and the engine's cost per event against a raw SimPy reference (a chain of timeouts)
  timed in the same process;
- per shipped scenario: replications/s of ``sim.runner.run`` on 1 and 2 workers (wall clock, pool
  start-up included);
- whole processes (``python -m sim ...``, best of a few): ``sim --help``, start-up (a run of 1
  replication), stray_missile at 10,000 replications on 2 workers, the same on a Dask LocalCluster,
  and the peak memory (the sum of each process's unique set, sampled) of a long stray_missile run.

CPU times come from ``time.process_time`` so that a loaded machine shows in the wall-clock figures
only. The targets of issue 20 are printed next to the figures they apply to.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import subprocess
import sys
import threading
import time
from pathlib import Path

ROOT = Path(os.environ.get("SIM_TREE", Path(__file__).resolve().parents[1]))  # SIM_TREE: measure another checkout
sys.path.insert(0, str(ROOT))

TARGETS = {
    "stray_10k_wall_s": 1.5,  # 10,000 stray_missile replications on 2 cores, start-up included
    "saturation_reps_per_s_2w": 1500.0,
    "peak_mb_1m": 300.0,  # 1M stray_missile replications
    "help_s": 0.15,
    "dask_over_pool": 1.3,  # Dask LocalCluster wall / process pool wall at 10k
}


def raw_simpy_us_per_event(n_events: int = 200_000) -> float:
    """The ceiling: 100 processes each waiting on a chain of timeouts, nothing else (us per event)."""
    import simpy

    env = simpy.Environment()
    per = n_events // 100

    def proc(env: simpy.Environment):  # type: ignore[no-untyped-def]
        for _ in range(per):
            yield env.timeout(1.0)

    for _ in range(100):
        env.process(proc(env))
    t = time.process_time()
    env.run()
    return (time.process_time() - t) / next(env._eid) * 1e6


def split(scenario: Path, blocks: int) -> dict[str, float]:
    """CPU microseconds per replication in draws, physics and engine, and events per replication."""
    from sim.engine.plan import compile_plan
    from sim.scenario.loader import load_scenario
    from sim.world.territory import territories

    territories()
    plan = compile_plan(load_scenario(scenario).scenario)
    try:
        from sim.engine.block import BlockTiming, run_blocks
    except ImportError:  # a tree from before sim.engine.block: time the phases by hand
        return _split_by_hand(plan, blocks)
    run_blocks(plan, 1, [(0, 100)])  # warm-up
    timing = BlockTiming()
    run_blocks(plan, 1, [(b, 100) for b in range(blocks)], timing=timing)
    return timing.per_replication()


def _split_by_hand(plan, blocks: int) -> dict[str, float]:  # type: ignore[no-untyped-def]
    from sim.engine.draws import BlockDraws
    from sim.engine.flights import BlockFlights
    from sim.engine.replication import Replication
    from sim.engine.trace import Trace

    draws_s = physics_s = engine_s = 0.0
    events = n = 0
    for b in range(blocks):
        t0 = time.process_time()
        d = BlockDraws(plan.sites, 1, b, 100)
        t1 = time.process_time()
        f = BlockFlights(plan, d)
        t2 = time.process_time()
        for i in range(100):
            r = Replication(plan, d, f, i, Trace(False))
            r.run()
            events += next(r.env._eid)
            n += 1
        t3 = time.process_time()
        draws_s, physics_s, engine_s = draws_s + t1 - t0, physics_s + t2 - t1, engine_s + t3 - t2
    return {
        "draws_us": draws_s / n * 1e6,
        "physics_us": physics_s / n * 1e6,
        "engine_us": engine_s / n * 1e6,
        "events_per_rep": events / n,
        "engine_us_per_event": engine_s / max(1, events) * 1e6,
    }


def rate(scenario: Path, runs: int, workers: int) -> float:
    """Replications per second of a run in this process (wall clock, the pool's start-up included)."""
    from sim.executors import make_executor
    from sim.runner import run
    from sim.scenario.loader import load_scenario

    loaded = load_scenario(scenario)
    t = time.perf_counter()
    run(loaded, runs=runs, seed=1, executor=make_executor("local", workers))
    return runs / (time.perf_counter() - t)


class TreePeak:
    """Samples the memory of a process and its children until stopped: MB, the peak of the sum of each one's
    unique set (USS: what it alone holds, so pages a forked worker shares with its parent count once)."""

    def __init__(self, pid: int, every_s: float = 0.05):
        import psutil

        self.proc, self.every_s, self.peak, self.peak_pss = psutil.Process(pid), every_s, 0, 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._loop, daemon=True)
        self._thread.start()

    def _loop(self) -> None:
        import psutil

        while not self._stop.is_set():
            try:
                procs = [self.proc, *self.proc.children(recursive=True)]
                self.peak = max(self.peak, sum(p.memory_info().rss for p in procs))
                # proportional set size: a page shared by the forked workers counted once, not once a process
                self.peak_pss = max(self.peak_pss, sum(getattr(p.memory_full_info(), "pss", 0) for p in procs))
            except psutil.Error:
                pass
            time.sleep(self.every_s)

    def stop(self) -> float:
        self._stop.set()
        self._thread.join()
        return self.peak / 2**20


def whole(args: list[str], repeats: int = 1, peak: bool = False) -> dict[str, float]:
    """Best wall time of ``python -m sim ARGS`` (and the peak memory of its process tree, if asked)."""
    env = dict(os.environ, PYTHONPATH=str(ROOT) + os.pathsep + os.environ.get("PYTHONPATH", ""))
    env.pop("PYTHONDONTWRITEBYTECODE", None)  # as installed: modules load from their bytecode, not compiled each time
    best, mb, pss = float("inf"), 0.0, 0.0
    for _ in range(repeats):
        t = time.perf_counter()
        p = subprocess.Popen([sys.executable, "-m", "sim", *args], cwd=ROOT, env=env, stdout=subprocess.DEVNULL)
        sampler = TreePeak(p.pid) if peak else None
        if p.wait() != 0:
            raise SystemExit(f"python -m sim {' '.join(args)} failed")
        best = min(best, time.perf_counter() - t)
        if sampler:
            mb = max(mb, sampler.stop())
            pss = max(pss, sampler.peak_pss / 2**20)
    return {"wall_s": best, "peak_mb": mb, "peak_pss_mb": pss} if peak else {"wall_s": best}


def run_args(scenario: str, runs: int, workers: int, *extra: str) -> list[str]:
    return ["run", scenario, "--runs", str(runs), "--workers", str(workers), "--quiet", "--no-store", *extra]


def measure(quick: bool, memory_runs: int, dask: bool) -> dict:
    scenarios = sorted((ROOT / "scenarios").glob("*.yaml"))
    out: dict = {
        "machine": {"python": platform.python_version(), "cpus": os.cpu_count(), "load": os.getloadavg()[0]},
        "quick": quick,
        "targets": TARGETS,
        "raw_simpy_us_per_event": raw_simpy_us_per_event(),
        "scenarios": {},
    }
    blocks, runs = (3, 500) if quick else (10, 2000)
    for sc in scenarios:
        row = split(sc, blocks)
        row["engine_over_raw"] = row["engine_us_per_event"] / out["raw_simpy_us_per_event"]
        for w in (1, 2):
            row[f"reps_per_s_{w}w"] = rate(sc, runs, w)
        out["scenarios"][sc.stem] = row
        print(f"  measured {sc.stem}", file=sys.stderr)
    stray = "scenarios/stray_missile.yaml"
    out["help_s"] = whole(["--help"], repeats=3)["wall_s"]
    out["startup_s"] = whole(run_args(stray, 1, 1), repeats=3)["wall_s"]
    out["stray_10k_2w_s"] = whole(run_args(stray, 10_000, 2), repeats=1 if quick else 2)["wall_s"]
    if dask:
        out["stray_10k_dask_s"] = whole(run_args(stray, 10_000, 2, "--executor", "dask"))["wall_s"]
    if not quick:
        m = whole(run_args(stray, memory_runs, 2), peak=True)
        out["memory"] = {"runs": memory_runs, **m}
    return out


def table(r: dict) -> str:
    t = r["targets"]
    lines = [
        f"raw SimPy reference: {r['raw_simpy_us_per_event']:.2f} us per event (one core, this process)",
        "",
        f"{'scenario':24s} {'draws':>7s} {'physics':>8s} {'engine':>8s} {'total':>7s} {'events':>7s} {'us/event':>8s} "
        f"{'x raw':>6s} {'reps/s 1w':>10s} {'reps/s 2w':>10s}",
        f"{'':24s} {'us/rep':>7s} {'us/rep':>8s} {'us/rep':>8s} {'us/rep':>7s} {'/rep':>7s}",
    ]
    for name, s in r["scenarios"].items():
        total = s["draws_us"] + s["physics_us"] + s["engine_us"]
        lines.append(
            f"{name:24s} {s['draws_us']:7.0f} {s['physics_us']:8.0f} {s['engine_us']:8.0f} {total:7.0f} "
            f"{s['events_per_rep']:7.1f} {s['engine_us_per_event']:8.2f} {s['engine_over_raw']:6.1f} "
            f"{s['reps_per_s_1w']:10.0f} {s['reps_per_s_2w']:10.0f}"
        )
    sat = r["scenarios"].get("saturation", {}).get("reps_per_s_2w", float("nan"))

    def mark(ok: bool) -> str:
        return "met" if ok else "NOT met"

    lines += [
        "",
        f"sim --help                         {r['help_s']:7.3f} s    target <= {t['help_s']} s: {mark(r['help_s'] <= t['help_s'])}",
        f"start-up (a run of 1 replication)  {r['startup_s']:7.3f} s",
        f"stray_missile 10k, 2 workers       {r['stray_10k_2w_s']:7.2f} s    target <= {t['stray_10k_wall_s']} s: "
        f"{mark(r['stray_10k_2w_s'] <= t['stray_10k_wall_s'])}",
        f"saturation, 2 workers              {sat:7.0f} reps/s target >= {t['saturation_reps_per_s_2w']:.0f}: "
        f"{mark(sat >= t['saturation_reps_per_s_2w'])}",
    ]
    if "stray_10k_dask_s" in r:
        ratio = r["stray_10k_dask_s"] / r["stray_10k_2w_s"]
        lines.append(
            f"stray_missile 10k, Dask local      {r['stray_10k_dask_s']:7.2f} s    {ratio:.2f} x the pool, "
            f"target <= {t['dask_over_pool']}: {mark(ratio <= t['dask_over_pool'])}"
        )
    if "memory" in r:
        m = r["memory"]
        lines.append(
            f"stray_missile {m['runs']:,} runs  {m.get('peak_pss_mb', 0):7.0f} MB peak PSS ({m['peak_mb']:.0f} RSS summed), "
            f"{m['wall_s']:.0f} s; target <= {t['peak_mb_1m']:.0f} MB at 1M: "
            f"{mark(m.get('peak_pss_mb', float('inf')) <= t['peak_mb_1m'] and m['runs'] >= 1_000_000)}"
        )
    lines.append(f"(machine: {r['machine']['cpus']} cpus, load {r['machine']['load']:.1f} at the start)")
    return "\n".join(lines)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--quick", action="store_true", help="fewer replications; skip the memory run")
    ap.add_argument("--memory-runs", type=int, default=1_000_000, help="replications of the memory run")
    ap.add_argument("--no-dask", action="store_true", help="skip the Dask LocalCluster run")
    ap.add_argument("--out", default=str(Path(__file__).resolve().parent / "results.json"))
    ap.add_argument(
        "--memory-only",
        metavar="EXTRA",
        nargs="?",
        const="",
        help="only the memory run (EXTRA: more `sim run` options, e.g. '--csv /dev/null' to keep the columns)",
    )
    args = ap.parse_args()
    if args.memory_only is not None:
        extra = args.memory_only.split()
        m = whole(run_args("scenarios/stray_missile.yaml", args.memory_runs, 2, *extra), peak=True)
        print(
            f"stray_missile {args.memory_runs:,} runs {' '.join(extra)}: {m['peak_mb']:.0f} MB peak RSS, "
            f"{m['peak_pss_mb']:.0f} MB peak PSS (process tree), {m['wall_s']:.0f} s"
        )
        return
    r = measure(args.quick, args.memory_runs, not args.no_dask)
    print(table(r))
    Path(args.out).write_text(json.dumps(r, indent=2) + "\n")


if __name__ == "__main__":
    main()
