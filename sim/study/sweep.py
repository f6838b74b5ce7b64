"""A scenario over a grid of values: which parameter moves the outcome, and by how much.

``--vary PATH=V1,V2,...`` names one axis; the grid is every combination of the axes. Every point
runs with the same seed and runs, so the points share their random draws (common random numbers)
and differences between them are the parameters' doing, not the dice's.

Each finished point is saved in the run history under a key made of everything its numbers depend
on. Interrupt a sweep and run the same command again: the finished points are read back, the rest
are run, and the result is the same as that of a sweep never interrupted.
"""

from __future__ import annotations

import itertools
import time
from collections.abc import Callable
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

import numpy as np

from sim.analysis.effects import Effect, GridEffects, grid_effects, influences
from sim.analysis.measure import Measure, parse_measure
from sim.analysis.result_file import to_document
from sim.analysis.summary import Summary
from sim.executors import Executor
from sim.interrupts import raising
from sim.numbers import json_number
from sim.runner import Progress
from sim.scenario.loader import (
    LoadedScenario,
    Problem,
    ScenarioError,
    load_scenario,
    load_text,
)
from sim.store import Store, StoredRun, StoreError, sweep_key
from sim.study import Done, Study, execute_all

_PAIRS = {"(": ")", "[": "]", "{": "}"}


@dataclass(frozen=True)
class Axis:
    """One ``--vary PATH=V1,V2,...``: a dotted path of the YAML and the values it takes, as typed."""

    path: str
    values: tuple[str, ...]
    flag: str

    def override(self, i: int) -> str:
        return f"{self.path}={self.values[i]}"


def parse_vary(text: str) -> Axis:
    """Read one ``--vary``; values are split at commas outside brackets and quotes, so that
    ``travel=lognormal(median=3h, p90=8h),6h`` has two values."""
    flag = f"--vary {text}"

    def bad(message: str) -> ScenarioError:
        return ScenarioError([Problem(flag, None, None, "", message)])

    path, eq, rest = text.partition("=")
    path = path.strip()
    if not eq or not path or any(not p for p in path.split(".")):
        raise bad("expected PATH=V1,V2,... e.g. --vary units.0.crew.travel=3h,6h,12h")
    values = tuple(v.strip() for v in split_values(rest))
    if not values or any(not v for v in values):
        raise bad("expected values separated by commas, none of them empty, e.g. 3h,6h,12h")
    if len(set(values)) != len(values):
        raise bad("a value is given twice")
    return Axis(path, values, flag)


def split_values(text: str) -> list[str]:
    """Split at top-level commas: not inside (), [], {} or quotes."""
    parts, depth, quote, start = [], [], None, 0
    for i, ch in enumerate(text):
        if quote:
            quote = None if ch == quote else quote
        elif ch in "'\"":
            quote = ch
        elif ch in _PAIRS:
            depth.append(_PAIRS[ch])
        elif depth and ch == depth[-1]:
            depth.pop()
        elif ch == "," and not depth:
            parts.append(text[start:i])
            start = i + 1
    parts.append(text[start:])
    return parts


# ---------------------------------------------------------------- the plan: every point, validated


@dataclass(frozen=True)
class Point:
    """One combination of values: its place in the grid, its validated scenario and its history key."""

    index: tuple[int, ...]
    settings: tuple[tuple[str, str], ...]  # (path, value as typed), in the order of the axes
    loaded: LoadedScenario
    key: str

    @property
    def label(self) -> str:
        return ", ".join(f"{p}={v}" for p, v in self.settings)


@dataclass(frozen=True)
class Plan:
    base: LoadedScenario
    axes: tuple[Axis, ...]
    runs: int
    seed: int
    points: tuple[Point, ...]


def plan_sweep(scenario: str | Path, axes: list[Axis], runs: int | None = None, seed: int | None = None) -> Plan:
    """Load the scenario and every point of the grid; any bad value stops here, before anything runs."""
    seen = set()
    for a in axes:
        if a.path in seen:
            raise ScenarioError(
                [Problem(a.flag, None, None, "", f"{a.path} is varied twice; give its values in one --vary")]
            )
        seen.add(a.path)
    base = load_scenario(scenario)
    runs = runs or base.scenario.runs
    seed = base.scenario.seed if seed is None else seed
    points: list[Point] = []
    problems: dict[str, Problem] = {}
    for index in itertools.product(*(range(len(a.values)) for a in axes)):
        overrides = [a.override(i) for a, i in zip(axes, index)]
        try:
            loaded = load_text(base.text, base.file, overrides, sha256=base.sha256)
        except ScenarioError as exc:
            for p in exc.problems:
                p = _as_vary(p, axes)
                problems.setdefault(str(p), p)
            continue
        settings = tuple((a.path, a.values[i]) for a, i in zip(axes, index))
        points.append(Point(index, settings, loaded, sweep_key(base.text, loaded.overrides, seed, runs)))
    if problems:
        raise ScenarioError(list(problems.values()))
    return Plan(base, tuple(axes), runs, seed, tuple(points))


def _as_vary(p: Problem, axes: list[Axis]) -> Problem:
    """A problem the loader blames on ``--set PATH=VALUE``, blamed on the --vary the user typed."""
    for a in axes:
        if p.source in {f"--set {a.override(i)}" for i in range(len(a.values))}:
            return replace(p, source=a.flag)
    return p


# ---------------------------------------------------------------- running it


@dataclass(frozen=True)
class PointResult:
    point: Point
    summary: Summary
    run_id: int | None  # in the history
    reused: bool  # read back from the history rather than run now
    replicates: tuple[np.ndarray, np.ndarray] | None = None  # the measure per replication (run now only)


@dataclass(frozen=True)
class Sensitivity:
    """One axis moved alone (the others at their first value): the main outcome at each of its values."""

    path: str
    values: tuple[str, ...]
    p: tuple[float | None, ...]

    @property
    def delta(self) -> float | None:
        """The range of the main outcome along this axis (max - min), None if nothing to compare."""
        known = [x for x in self.p if x is not None]
        return max(known) - min(known) if len(known) > 1 else None


@dataclass(frozen=True)
class SweepResult:
    plan: Plan
    results: tuple[PointResult, ...]
    complete: bool
    measure_name: str | None = None  # --measure as typed; None: the main outcome

    @property
    def main(self) -> str:
        return self.results[0].summary.main_outcome if self.results else "intercepted"

    @property
    def measure(self) -> Measure:
        return parse_measure(self.measure_name or self.main)

    def values(self) -> np.ndarray:
        """The measure at every point, shaped like the grid (NaN where a point is missing)."""
        grid = np.full(tuple(len(a.values) for a in self.plan.axes), np.nan)
        for r in self.results:
            grid[r.point.index] = self.measure.value(r.summary)
        return grid

    def effects(self) -> GridEffects | None:
        """Main effects and two-way interactions of the measure over the whole grid (None until it is whole).

        Intervals come from the points' per-replication parts, when every point was run now and the
        measure is a proportion or a mean; points read back from the history carry no replicates.
        """
        if not self.complete or not self.results:
            return None
        infl = None
        if all(r.replicates is not None for r in self.results):
            shape = tuple(len(a.values) for a in self.plan.axes)
            infl = np.empty(shape + (self.plan.runs,))
            for r in self.results:
                assert r.replicates is not None
                infl[r.point.index] = influences(*r.replicates)[1]
        return grid_effects(self.values(), infl)

    def sensitivity(self) -> list[Sensitivity]:
        """Axes ranked by how far they move the main outcome on their own, most first."""
        by_index = {r.point.index: r.summary for r in self.results}
        out = []
        for k, axis in enumerate(self.plan.axes):
            p: list[float | None] = []
            for i in range(len(axis.values)):
                index = tuple(i if j == k else 0 for j in range(len(self.plan.axes)))
                summary = by_index.get(index)
                found = None if summary is None else summary.pooled.outcomes.get(self.main)
                p.append(None if found is None else json_number(found.p))
            out.append(Sensitivity(axis.path, axis.values, tuple(p)))
        return sorted(out, key=lambda s: -(s.delta if s.delta is not None else -1.0))

    def to_json(self) -> dict[str, Any]:
        b = self.plan.base
        return {
            "schema": "sim.sweep/2",
            "scenario": {"name": str(b.scenario.name), "file": b.file, "sha256": b.sha256},
            "runs": self.plan.runs,
            "seed": self.plan.seed,
            "complete": self.complete,
            "axes": [{"path": a.path, "values": list(a.values)} for a in self.plan.axes],
            "main_outcome": self.main,
            "points": [
                {
                    "settings": dict(r.point.settings),
                    "overrides": r.point.loaded.overrides,
                    "run_id": r.run_id,
                    "reused": r.reused,
                    "result": to_document(r.summary),
                }
                for r in self.results
            ],
            "sensitivity": [
                {"path": s.path, "values": list(s.values), "p": list(s.p), "delta": s.delta} for s in self.sensitivity()
            ],
            "measure": self.measure.text,
            "effects": self._effects_json(),
        }

    def _effects_json(self) -> dict[str, Any] | None:
        effects = self.effects()
        if effects is None:
            return None

        def effect(e: Effect) -> dict[str, Any]:
            return {"estimate": json_number(e.estimate), "ci95": [json_number(x) for x in e.ci95]}

        axes = self.plan.axes
        return {
            "grand_mean": json_number(effects.grand_mean),
            "main": [
                {
                    "path": axes[m.axis].path,
                    "spread": effect(m.spread),
                    "levels": {axes[m.axis].values[a]: effect(e) for a, e in enumerate(m.levels)},
                }
                for m in effects.ranked()
            ],
            "interactions": [
                {
                    "paths": [axes[x.axes[0]].path, axes[x.axes[1]].path],
                    "at": [axes[x.axes[0]].values[x.at[0]], axes[x.axes[1]].values[x.at[1]]],
                    "largest": effect(x.largest),
                }
                for x in effects.interactions
            ],
        }


OnPoint = Callable[[int, int, PointResult], None]


def run_sweep(
    plan: Plan,
    store: Store | None,
    executor: Executor | None = None,
    progress: Progress | None = None,
    on_point: OnPoint | None = None,
    measure: str | None = None,
) -> SweepResult:
    """Run the points the history does not already hold, all their blocks as one pool; results in grid order.

    Each point is kept in the history as soon as its last block is in. On Ctrl-C the points in
    progress are dropped (never stored half-done) and the result is marked incomplete; every point
    finished before is already in the history. A point that another process is computing is waited
    for and reused, never computed twice.
    """
    found: dict[int, PointResult] = {}
    count = 0
    chosen = parse_measure(measure) if measure else None

    def tell(k: int, r: PointResult) -> None:
        nonlocal count
        found[k] = r
        count += 1
        if on_point:
            on_point(count, len(plan.points), r)

    todo = []
    for k, point in enumerate(plan.points):
        stored = _claimed(store, point.key) if store is not None else None
        if stored is None:
            todo.append(k)
        else:
            tell(k, PointResult(point, stored.summary(), stored.id, True))

    def point_done(i: int, finished: Done) -> None:
        if finished.not_kept:
            raise StoreError(finished.not_kept)
        point = plan.points[todo[i]]
        wanted = chosen or parse_measure(finished.summary.main_outcome)
        tell(
            todo[i],
            PointResult(point, finished.summary, finished.run_id, False, wanted.replicates(finished.result.outcomes)),
        )

    studies = [Study(plan.points[k].loaded, plan.runs, plan.seed) for k in todo]
    try:
        execute_all(
            studies,
            executor=executor,
            progress=progress,
            store=store,
            kind="sweep_point",
            keys=[plan.points[k].key for k in todo],
            on_done=point_done,
        )
    except KeyboardInterrupt:
        pass
    finally:
        if store is not None:
            for k in todo:
                store.release(plan.points[k].key)
    results = tuple(found[k] for k in sorted(found))
    return SweepResult(plan, results, len(results) == len(plan.points), measure)


WAIT_S = 0.5  # how often a sweep waiting for another process's point looks for it


def _claimed(store: Store, key: str) -> StoredRun | None:
    """The point as stored, or None once this process has claimed it to compute it.

    While another live process computes the same point, wait for it and reuse it (Ctrl-C ends the wait).
    """
    while True:
        stored = store.find(key)
        if stored is not None:
            return stored
        if store.claim(key):  # the other process stores its point before it lets go of it: look once more
            stored = store.find(key)
            if stored is not None:
                store.release(key)
            return stored
        with raising():
            time.sleep(WAIT_S)
