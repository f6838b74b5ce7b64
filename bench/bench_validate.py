"""``sim validate`` against its target: every problem of a file answered in under 2 seconds (issue 18).

    python bench/bench_validate.py [--repeat 3] [--json FILE]

Times ``python -m sim validate FILE`` as a trainer runs it (a fresh process: interpreter start-up and
imports included; the median of ``--repeat`` runs), wall-clock and CPU (user + system of the child). The
target is judged on CPU seconds: on a machine shared with other jobs the wall clock measures the queue
for the cores, not the program (both are printed, with the load) on every shipped scenario and on hostile inputs
(an alias bomb, nesting 1,200 levels deep, 500 brackets, control bytes, a file with a mistake on every
unit, a scenario of 200 threats), and checks each gives the exit code it should. Exit status 1 when a
case is over the target or gives the wrong exit code, so CI may run it; the unit tests only guard
against hangs (a machine shared with other jobs makes wall-clock limits flaky there).

``measure() -> dict`` gives the same figures for another script (bench/run.py).
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
TARGET_S = 2.0


def _alias_bomb(levels: int = 9) -> str:
    doc = 'a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]\n'
    names = "abcdefghijklmnop"
    for prev, cur in zip(names[: levels - 1], names[1:levels]):
        doc += f"{cur}: &{cur} [" + ",".join([f"*{prev}"] * 9) + "]\n"
    return doc


def _many_threats(n: int = 200) -> str:
    """The stray scenario with ``n`` threats (copies of its first, launched a minute apart): a big valid file."""
    import yaml

    text = (ROOT / "scenarios" / "stray_missile.yaml").read_text(encoding="utf-8")
    data = yaml.safe_load(text.replace("\n    on:", "\n    trigger:"))  # 'on' is read as true by YAML 1.1
    first = data["threats"][0]
    data["threats"] = [dict(first, name=f"t{i}", launch=dict(first["launch"], at=f"{60 * i}s")) for i in range(n)]
    return yaml.safe_dump(data, sort_keys=False)


def _mistake_on_every_unit() -> str:
    """saturation.yaml with a misspelt key, a probability of 1.7 and an unknown site on every unit."""
    import yaml

    text = (ROOT / "scenarios" / "saturation.yaml").read_text(encoding="utf-8")
    data = yaml.safe_load(text.replace("\n    on:", "\n    trigger:"))
    for u in data["units"]:
        u["crewe"] = 1
        u["site"] = "atlantis"
        u.setdefault("interceptors", {})["kill_probability"] = 1.7
    return yaml.safe_dump(data, sort_keys=False)


def hostile_cases() -> dict[str, tuple[str | bytes, int]]:
    """name -> (file content, the exit code sim validate must give)."""
    return {
        "alias bomb (9 levels of 9)": (_alias_bomb(), 2),
        "nesting 1,200 levels deep": ("".join(" " * i + f"k{i}:\n" for i in range(1200)), 2),
        "500 brackets in sources": ("sources: " + "[" * 500 + "]" * 500 + "\n", 2),
        "control bytes": (b"name: x\x00\x07\x1b\nruns: 5\n", 2),
        "a mistake on every unit": (_mistake_on_every_unit(), 2),
        "200 threats (valid)": (_many_threats(), 0),
    }


def _cpu_children() -> float:
    r = resource.getrusage(resource.RUSAGE_CHILDREN)
    return r.ru_utime + r.ru_stime


def _validate_s(path: Path, repeat: int) -> tuple[float, float, int, int]:
    """(median wall s, median CPU s, exit code, problem lines) of ``python -m sim validate path``, fresh processes."""
    env = {**os.environ, "PYTHONPATH": f"{ROOT}{os.pathsep}{os.environ.get('PYTHONPATH', '')}"}
    walls, cpus, code, lines = [], [], 0, 0
    for _ in range(repeat):
        start, cpu = time.perf_counter(), _cpu_children()
        done = subprocess.run(
            [sys.executable, "-m", "sim", "validate", str(path)], capture_output=True, env=env, timeout=120
        )
        walls.append(time.perf_counter() - start)
        cpus.append(_cpu_children() - cpu)
        code = done.returncode
        lines = sum(1 for line in done.stderr.decode(errors="replace").splitlines() if ": warning: " not in line)
    return statistics.median(walls), statistics.median(cpus), code, lines


def measure(repeat: int = 3) -> dict:
    """CPU and wall seconds per case (medians of ``repeat`` fresh processes), exit codes, whether all are within."""
    cases = []
    with tempfile.TemporaryDirectory(prefix="bench-validate-") as tmp:
        files: list[tuple[str, Path, int]] = [(p.name, p, 0) for p in sorted((ROOT / "scenarios").glob("*.yaml"))]
        for name, (content, expected) in hostile_cases().items():
            path = Path(tmp) / f"case{len(files)}.yaml"
            if isinstance(content, bytes):
                path.write_bytes(content)
            else:
                path.write_text(content, encoding="utf-8")
            files.append((name, path, expected))
        for name, path, expected in files:
            wall, seconds, code, lines = _validate_s(path, repeat)
            cases.append(
                {
                    "case": name,
                    "seconds": round(seconds, 3),
                    "wall_s": round(wall, 3),
                    "exit": code,
                    "expected_exit": expected,
                    "problem_lines": lines if code == 2 else 0,
                    "ok": seconds < TARGET_S and code == expected,
                }
            )
    return {
        "target_s": TARGET_S,
        "repeat": repeat,
        "python": sys.version.split()[0],
        "cpus": os.cpu_count(),
        "load_1min": round(os.getloadavg()[0], 2),
        "slowest_s": max(c["seconds"] for c in cases),
        "all_ok": all(c["ok"] for c in cases),
        "cases": cases,
    }


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--json", type=Path, help="also write the figures as JSON")
    args = ap.parse_args()
    figures = measure(args.repeat)
    print(
        f"sim validate, fresh process, median of {figures['repeat']} (target {TARGET_S:g} s, "
        f"load {figures['load_1min']} on {figures['cpus']} cpus)"
    )
    for c in figures["cases"]:
        flag = "ok" if c["ok"] else "OVER" if c["exit"] == c["expected_exit"] else f"EXIT {c['exit']}"
        extra = f", {c['problem_lines']} problem lines" if c["problem_lines"] else ""
        print(f"  {c['seconds']:6.2f} s  {c['wall_s']:6.2f} s  exit {c['exit']}  {flag:4}  {c['case']}{extra}")
    print(f"slowest {figures['slowest_s']:.2f} s: {'within' if figures['all_ok'] else 'NOT within'} the target")
    if args.json:
        args.json.write_text(json.dumps(figures, indent=2) + "\n", encoding="utf-8")
    return 0 if figures["all_ok"] else 1


if __name__ == "__main__":
    sys.exit(main())
