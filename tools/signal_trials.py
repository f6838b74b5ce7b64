"""Issue 21's signal trials: N Ctrl-Cs and M SIGTERMs at random moments of a 2-worker run and of a sweep.

    python -m tools.signal_trials [--ctrl-c 50] [--sigterm 20] [--scheduler tcp://HOST:8786] [--seed 21]

Too slow for the test suite (about 10 minutes for 50 + 20 on each of the run and the sweep), which runs
a few of each (tests/safety/test_signals.py, tests/cluster/test_dask_signals.py, marked slow). Each
trial starts ``python -m sim`` in a session of its own and signals its whole process group (what a
terminal's Ctrl-C or ``timeout`` does) after a delay drawn with ``--seed``, then checks: the exit code
(130 / 143; a sweep may also have finished: 0), no process of the group left, a result file (when
written) whole and holding whole blocks, the history keeping the run it reports, no temporary file
left. After the sweep trials the sweep is finished and each point must be kept exactly once.
With ``--scheduler`` the work runs on that Dask cluster instead of a 2-worker process pool.
Prints one line per failed trial and a tally; exit status 1 if any trial failed.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from tools.process_group import ENV, ROOT, signal_group, start_sim, wait_group_gone

STRAY = ROOT / "scenarios" / "stray_missile.yaml"


def trial(args: list[str], cwd: Path, sig: int, delay: float) -> tuple[int, str, list[int]]:
    """(exit code, stderr, processes of the group still alive 10 s after the main one ended)."""
    proc = start_sim(args, cwd)
    try:
        err = signal_group(proc, sig, delay, timeout=120)
    except subprocess.TimeoutExpired:
        return -1, "hung for 120 s after the signal", []
    left = wait_group_gone(proc.pid, within=10)
    for pid in left:
        try:
            os.kill(pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
    return proc.returncode, err, left


def run_trials(sig: int, n: int, where: list[str], rng: random.Random, folder: Path) -> list[str]:
    """n signals to a run and n to a sweep; the problems found, one line each."""
    from sim.store import Store

    name = signal.Signals(sig).name
    problems = []
    history = folder / "h.db"
    for k in range(n):
        delay = rng.uniform(0.2, 5.0)
        out = folder / f"{name}-{k}.json"
        args = ["run", str(STRAY), "--runs", "1000000", "--quiet", "--store", str(history), "--json", str(out)]
        code, err, left = trial(args + where, folder, sig, delay)
        what = f"run, {name} at {delay:.2f} s"
        if code != 128 + sig:
            problems.append(f"{what}: exit {code}: {err.strip()[-300:]}")
        if left:
            problems.append(f"{what}: processes left behind: {left}")
        if "Traceback" in err:
            problems.append(f"{what}: a traceback: {err.strip()[-300:]}")
        if out.exists():
            try:
                run = json.loads(out.read_text())["run"]
            except (ValueError, KeyError) as exc:
                problems.append(f"{what}: result file not whole: {exc}")
            else:
                if not run["partial"] or run["runs"] % 100:
                    problems.append(f"{what}: result file holds {run['runs']} runs, partial={run['partial']}")
                elif run["runs"] and not any(r.runs == run["runs"] for r in Store(history).recent(100)):
                    problems.append(f"{what}: the history does not keep the {run['runs']} runs of the file")
        tmp = [p.name for p in folder.iterdir() if p.name.endswith(".tmp")]
        if tmp:
            problems.append(f"{what}: temporary files left: {tmp}")
    sweep = ["sweep", str(STRAY), "--vary", "units.0.crew.travel=1h,2h,3h", "--runs", "300", "--quiet"]
    sweep += ["--store", str(folder / f"sweep-{name}.db"), *where]
    for _ in range(n):
        delay = rng.uniform(0.3, 8.0)
        code, err, left = trial(sweep, folder, sig, delay)
        what = f"sweep, {name} at {delay:.2f} s"
        if code not in (0, 128 + sig) or "Traceback" in err:
            problems.append(f"{what}: exit {code}: {err.strip()[-300:]}")
        if left:
            problems.append(f"{what}: processes left behind: {left}")
    done = subprocess.run(
        [sys.executable, "-m", "sim", *sweep, "--json", "all.json"], cwd=folder, env=ENV, capture_output=True
    )
    if done.returncode != 0:
        problems.append(f"sweep after the {name}s: exit {done.returncode}: {done.stderr.decode()[-300:]}")
    else:
        points = json.loads((folder / "all.json").read_text())["points"]
        if len({p["run_id"] for p in points}) != 3:
            problems.append(f"sweep after the {name}s: points kept more than once: {[p['run_id'] for p in points]}")
    return problems


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--ctrl-c", type=int, default=50, help="Ctrl-Cs (SIGINT) to the run, and as many to the sweep")
    ap.add_argument("--sigterm", type=int, default=20, help="SIGTERMs to the run, and as many to the sweep")
    ap.add_argument("--scheduler", help="a running Dask scheduler instead of a 2-worker process pool")
    ap.add_argument("--seed", type=int, default=21)
    args = ap.parse_args()
    where = ["--scheduler", args.scheduler] if args.scheduler else ["--workers", "2"]
    rng = random.Random(args.seed)
    problems: list[str] = []
    started = time.monotonic()
    with tempfile.TemporaryDirectory(prefix="signal-trials-") as tmp:
        for sig, n in ((signal.SIGINT, args.ctrl_c), (signal.SIGTERM, args.sigterm)):
            folder = Path(tmp) / signal.Signals(sig).name
            folder.mkdir()
            problems += run_trials(sig, n, where, rng, folder)
    for p in problems:
        print(p)
    total = 2 * (args.ctrl_c + args.sigterm)
    how = f"Dask at {args.scheduler}" if args.scheduler else "2-worker process pool"
    print(
        f"{total} signals ({args.ctrl_c} SIGINT + {args.sigterm} SIGTERM, each to a run and to a sweep) on the {how}: "
        f"{len(problems)} problems, {time.monotonic() - started:.0f} s"
    )
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
