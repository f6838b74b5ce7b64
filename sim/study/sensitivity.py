"""Every assumption of the ``uncertainty:`` section moved at once: which ones a conclusion rests on.

SALib chooses the points (Morris trajectories, or Saltelli's for Sobol); each point is the scenario
with its assumptions set there, run with the same seed and runs as every other point (common random
numbers), so what differs between points is the assumptions' doing, not the dice's. The file's own
values (the nominal point) run too: the measure's 95% interval there is the yardstick of what
"changes it" means.

Each point is kept in the run history as it finishes, under a key of everything its numbers depend
on (as a sweep's points are), so an interrupted study run again reads back the finished points and
runs only the rest.
"""

from __future__ import annotations

import dataclasses
import math
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from sim.analysis import gsa
from sim.analysis.measure import Measure, MeasureError, parse_measure
from sim.analysis.stats import Z95
from sim.analysis.summary import Summary
from sim.executors import Executor
from sim.runner import Progress
from sim.scenario.loader import LoadedScenario, Problem, ScenarioError, load_scenario
from sim.scenario.uncertainty import Assumption, assumptions, with_values
from sim.store import Store, StoreError, sweep_key
from sim.study import Done, Study, execute_all
from sim.study.sweep import _claimed

DEFAULT_POINTS = {"morris": 10, "sobol": 64}
DEFAULT_RUNS = 500  # stray_missile.yaml, 10 assumptions, Morris: 110 points in about 2 min on 2 cores


@dataclass(frozen=True)
class SensitivityPlan:
    """The points to run: the nominal scenario first, then one per row of the sample matrix ``x``."""

    base: LoadedScenario
    assumptions: tuple[Assumption, ...]
    method: str
    points: int
    runs: int
    seed: int
    x: np.ndarray
    scenarios: tuple[LoadedScenario, ...]  # nominal, then the samples
    keys: tuple[str, ...]

    @property
    def problem(self) -> dict[str, Any]:
        return gsa.problem([a.path for a in self.assumptions], [(a.low, a.high) for a in self.assumptions])


def _coordinate(a: Assumption, x: float) -> Any:
    return f"x{x:.12g}" if a.factor else float(f"{x:.12g}")


def plan_sensitivity(
    scenario: str | Path | LoadedScenario,
    method: str = "morris",
    points: int | None = None,
    runs: int | None = None,
    seed: int | None = None,
) -> SensitivityPlan:
    """Load the scenario, sample its assumptions and build every point; a point the scenario refuses stops here."""
    base = scenario if isinstance(scenario, LoadedScenario) else load_scenario(scenario)
    s = base.scenario
    found = tuple(assumptions(s))
    if not found:
        raise ScenarioError(
            [
                Problem(
                    base.file, None, None, "uncertainty", "declares no assumptions to vary: add an uncertainty: section"
                )
            ]
        )
    if method not in gsa.METHODS:
        raise ValueError(f"method must be one of {gsa.METHODS}")
    points = points or DEFAULT_POINTS[method]
    runs = runs or min(DEFAULT_RUNS, s.runs)
    seed = s.seed if seed is None else seed
    plan = SensitivityPlan(base, found, method, points, runs, seed, np.empty((0, len(found))), (), ())
    x = gsa.sample(method, plan.problem, points, seed)
    scenarios, keys = [base], [sweep_key(base.text, base.overrides, seed, runs)]
    problems: dict[str, Problem] = {}
    for row in x:
        chosen = list(zip(found, (float(v) for v in row)))
        changed = with_values(s, chosen)
        for p in _refused(changed):
            problems.setdefault(p.message, p)
        overrides = {**base.overrides, **{a.path: _coordinate(a, v) for a, v in chosen}}
        scenarios.append(dataclasses.replace(base, scenario=changed, overrides=overrides, warnings=()))
        keys.append(sweep_key(base.text, {"sensitivity": overrides}, seed, runs))
    if problems:
        raise ScenarioError(list(problems.values()))
    return dataclasses.replace(plan, x=x, scenarios=tuple(scenarios), keys=tuple(keys))


def _refused(s: Any) -> list[Problem]:
    """What the scenario's own checks say about a sampled point (a range that makes it impossible)."""
    from sim.scenario.crossrefs import check
    from sim.scenario.limits import physical_problems

    return [
        Problem("uncertainty", None, None, ".".join(map(str, path)), f"within the declared ranges: {message}")
        for path, message in check(s) + physical_problems(s)
    ]


# ---------------------------------------------------------------- running it


@dataclass(frozen=True)
class SensitivityResult:
    plan: SensitivityPlan
    summaries: dict[int, Summary]  # by point (0: nominal)
    reused: int  # points read back from the history
    measures: tuple[str, ...]  # as typed; empty: the main outcome

    @property
    def complete(self) -> bool:
        return len(self.summaries) == len(self.plan.scenarios)

    @property
    def measure_names(self) -> tuple[str, ...]:
        return self.measures or (self.summaries[0].main_outcome if 0 in self.summaries else "intercepted",)

    def values(self, measure: Measure) -> np.ndarray:
        """The measure at every sampled point (not the nominal one), in the order of the sample matrix."""
        return np.array([measure.value(self.summaries[i + 1]) for i in range(len(self.plan.x))], dtype=float)

    def nominal(self, measure: Measure) -> tuple[float, float, float]:
        """The measure at the file's values and its 95% interval there."""
        return interval(measure, self.summaries[0])

    def indices(self, measure: Measure) -> gsa.Indices:
        y = self.values(measure)
        bad = int((~np.isfinite(y)).sum())
        if bad:
            raise MeasureError(
                f"{measure.text} is undefined at {bad} of {y.size} points (no rows it counts): choose another --measure"
            )
        return gsa.analyze(self.plan.method, self.plan.problem, self.plan.x, y, self.plan.seed)


def interval(measure: Measure, s: Summary) -> tuple[float, float, float]:
    """(value, low, high): Wilson's for a proportion, mean +- 1.96 sd/sqrt(n) for a mean; NaN ends otherwise."""
    value = measure.value(s)
    scope = s.pooled if measure.threat is None else s.threats[measure.threat]
    if measure.kind == "outcome":
        lo, hi = scope.outcomes[measure.name].ci95
    elif measure.kind == "cause" and measure.name in scope.causes:
        lo, hi = scope.causes[measure.name].ci95
    elif measure.kind == "metric" and measure.stat == "mean":
        st = scope.metrics[measure.name]
        half = Z95 * st.sd / math.sqrt(st.n) if st.n > 1 else math.nan
        lo, hi = st.mean - half, st.mean + half
    elif measure.kind == "readiness" and measure.stat == "p_reached":
        lo, hi = s.readiness[measure.name][measure.level].reached.ci95
    else:
        lo, hi = math.nan, math.nan
    return float(value), float(lo), float(hi)


OnPoint = Callable[[int, int, bool], None]  # (points done, of, reused)


def run_sensitivity(
    plan: SensitivityPlan,
    store: Store | None,
    executor: Executor | None = None,
    progress: Progress | None = None,
    on_point: OnPoint | None = None,
    measures: tuple[str, ...] = (),
) -> SensitivityResult:
    """Run the points the history does not hold yet, all as one pool; on Ctrl-C the finished ones are kept."""
    for m in measures:
        parse_measure(m)
    summaries: dict[int, Summary] = {}
    total = len(plan.scenarios)

    def tell(k: int, summary: Summary, reused: bool) -> None:
        summaries[k] = summary
        if on_point:
            on_point(len(summaries), total, reused)

    todo = []
    for k, key in enumerate(plan.keys):
        stored = _claimed(store, key) if store is not None else None
        if stored is None:
            todo.append(k)
        else:
            tell(k, stored.summary(), True)
    reused = len(summaries)

    def point_done(i: int, finished: Done) -> None:
        if finished.not_kept:
            raise StoreError(finished.not_kept)
        tell(todo[i], finished.summary, False)

    studies = [Study(plan.scenarios[k], plan.runs, plan.seed) for k in todo]
    try:
        execute_all(
            studies,
            executor=executor,
            progress=progress,
            store=store,
            kind="sensitivity_point",
            keys=[plan.keys[k] for k in todo],
            on_done=point_done,
        )
    except KeyboardInterrupt:
        pass
    finally:
        if store is not None:
            for k in todo:
                store.release(plan.keys[k])
    return SensitivityResult(plan, summaries, reused, tuple(measures))
