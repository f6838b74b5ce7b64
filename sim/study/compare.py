"""``sim compare A B``: what A and B are, how to make them comparable, and the comparison.

Two scenarios run with the same seed and replications through the one pipeline and are compared
paired (common random numbers). A finished run (a result file or a run id from the history) cannot
be paired: a scenario against one is run with that run's seed and replications, then both are
compared unpaired. What changed is listed path by path when both scenario texts are at hand.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, replace
from pathlib import Path

from sim.analysis.comparison import Comparison, measure_difference, paired, unpaired
from sim.analysis.measure import parse_measure
from sim.analysis.result_file import ResultFileError, from_text
from sim.analysis.summary import Summary
from sim.executors import Executor
from sim.runner import Progress
from sim.scenario.diff import Change, override_changes, scenario_changes
from sim.scenario.loader import (
    LoadedScenario,
    Problem,
    ScenarioError,
    load_scenario,
    load_text,
    read_text,
)
from sim.store import Store
from sim.study import Done, Study, execute, execute_all


@dataclass(frozen=True)
class Finished:
    """A finished run from a result file or the history: its summary, and its scenario when known."""

    label: str
    summary: Summary
    loaded: LoadedScenario | None


def read_input(
    arg: str, store: Store, overrides: tuple[str, ...] = (), flag: str = "--set"
) -> LoadedScenario | Finished:
    """A scenario file (with overrides given by ``flag``), a result file (``--json`` of ``sim run``) or a run id."""
    path = Path(arg)
    if path.is_file():
        text = read_text(path)
        if text.lstrip().startswith("{"):
            if overrides:
                raise ScenarioError(
                    [Problem(arg, None, None, "", "--set-a/--set-b change scenarios, not result files")]
                )
            try:
                summary = from_text(text)
            except ResultFileError as exc:
                raise ScenarioError([Problem(arg, None, None, exc.path, f"not a result file: {exc.message}")]) from None
            return Finished(arg, summary, None)
        return load_scenario(path, overrides, flag=flag)
    if overrides:
        raise ScenarioError([Problem(arg, None, None, "", "--set-a/--set-b change scenario files, not stored runs")])
    if arg.isdigit():
        stored = store.get(int(arg))
        return Finished(f"run {stored.id}", stored.summary(), _reload(stored.text, stored.file, stored.overrides))
    return load_scenario(path)  # says "no such file"


def _reload(text: str, source: str, overrides: dict[str, object]) -> LoadedScenario | None:
    """The stored scenario validated again, to list what changed; None if this version no longer reads it.

    Override values go back as JSON, which YAML reads as the same value whatever it is.
    """
    try:
        return load_text(text, source, [f"{p}={json.dumps(v)}" for p, v in overrides.items()])
    except ScenarioError:
        return None


def compare_inputs(
    arg_a: str,
    arg_b: str,
    runs: int | None = None,
    seed: int | None = None,
    store: Store | None = None,
    executor: Executor | None = None,
    progress: Progress | None = None,
    set_a: tuple[str, ...] = (),
    set_b: tuple[str, ...] = (),
    measure: str | None = None,
) -> Comparison:
    """Paired when both are scenarios, unpaired when either is a finished run.

    Two scenarios run with A's seed and runs (or ``--seed``/``--runs``). ``set_a``/``set_b`` are
    ``--set`` overrides of either side, so a variant needs no copied file.
    """
    store = store or Store()
    chosen = parse_measure(measure) if measure else None
    a, b = read_input(arg_a, store, set_a, "--set-a"), read_input(arg_b, store, set_b, "--set-b")

    def run(loaded: LoadedScenario, n: int | None, s: int | None) -> Done:
        done = execute(Study.of(loaded, n, s), executor=executor, progress=progress)
        if done.partial:
            raise KeyboardInterrupt
        return done

    if isinstance(a, LoadedScenario) and isinstance(b, LoadedScenario):
        sa = Study.of(a, runs, seed)
        da, db = execute_all([sa, Study(b, sa.runs, sa.seed)], executor=executor, progress=progress)  # one pool
        if da.partial or db.partial:
            raise KeyboardInterrupt
        label_a = " ".join([arg_a, *(f"--set-a {o}" for o in set_a)])
        label_b = " ".join([arg_b, *(f"--set-b {o}" for o in set_b)])
        c = paired(da.result, db.result, label_a, label_b)
        if chosen is not None:
            c = replace(
                c,
                measured=(
                    chosen.text,
                    chosen.label,
                    measure_difference(chosen, da.summary, db.summary, da.result, db.result),
                ),
            )
        return c

    def finished(side: LoadedScenario | Finished, other: LoadedScenario | Finished) -> Finished:
        if isinstance(side, Finished):
            return side
        assert isinstance(other, Finished)
        ref = other.summary.run
        done = run(side, runs or ref.runs, ref.seed if seed is None else seed)
        return Finished(side.file, done.summary, side)

    fa, fb = finished(a, b), finished(b, a)
    la, lb = fa.loaded or _from_file(fa.summary), fb.loaded or _from_file(fb.summary)
    changes: list[Change] = (
        scenario_changes(la.scenario, lb.scenario)
        if la and lb
        else override_changes(fa.summary.scenario.overrides, fb.summary.scenario.overrides)
    )
    c = unpaired(fa.summary, fb.summary, fa.label, fb.label, tuple(changes))
    if chosen is not None:
        c = replace(c, measured=(chosen.text, chosen.label, measure_difference(chosen, fa.summary, fb.summary)))
    if not (la and lb):
        c = replace(
            c, notes=c.notes + ("scenario text not at hand for both sides: only the overrides are listed as changes",)
        )
    return c


def _from_file(summary: Summary) -> LoadedScenario | None:
    """A result's scenario, if the file it names is still there unchanged (same sha256)."""
    s = summary.scenario
    try:
        loaded = load_scenario(s.file, [])
    except (ScenarioError, OSError):
        return None
    if loaded.sha256 != s.sha256:
        return None
    return _reload(loaded.text, loaded.file, s.overrides)
