"""The API's functions: each loads, runs through ``sim.study`` (never around it) and wraps what comes back.

``overrides`` are ``{PATH: VALUE}`` with the dotted paths of ``--set``; a text value is read as YAML
exactly like ``--set PATH=VALUE`` (``"lognormal(median=3h, p90=8h)"``, ``"6h"``), any other value as
JSON (``0.3``, ``True``, a list). Bad input raises :class:`sim.scenario.loader.ScenarioError`,
whose ``problems`` are the lines ``sim validate`` prints.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from sim.api.ranked import Ranked
from sim.api.results import Compared, Result, Swept, as_text
from sim.executors import Executor, make_executor
from sim.store import DEFAULT_PATH, Store

Overrides = Mapping[str, Any] | Sequence[str] | None
ExecutorChoice = str | Executor


def override_texts(overrides: Overrides) -> list[str]:
    """``{path: value}`` (or ``["PATH=VALUE", ...]``) as the ``--set`` texts the loader reads."""
    if overrides is None:
        return []
    if isinstance(overrides, Mapping):
        return [f"{path}={as_text(value)}" for path, value in overrides.items()]
    return [str(o) for o in overrides]


@contextmanager
def _executor(executor: ExecutorChoice, workers: int | None, scheduler: str | None) -> Iterator[Executor]:
    """An executor given as an object is the caller's to close; one named here is closed here."""
    if not isinstance(executor, str):
        yield executor
        return
    name = "dask" if scheduler else executor
    chosen = make_executor(name, workers, scheduler)
    try:
        yield chosen
    finally:
        chosen.close()


def _store(store: str | Path | Store | None) -> Store | None:
    return store if isinstance(store, Store) or store is None else Store(store)


def run(
    path: str | Path,
    runs: int | None = None,
    seed: int | None = None,
    overrides: Overrides = None,
    executor: ExecutorChoice = "local",
    workers: int | None = None,
    scheduler: str | None = None,
    store: str | Path | Store | None = None,
) -> Result:
    """Run a scenario: ``sim run PATH --runs N --seed S --set PATH=VALUE ...``.

    ``executor`` is ``"local"`` (a process pool of ``workers``, default one per core), ``"dask"``
    (a local Dask cluster, or the scheduler at ``scheduler`` or ``DASK_SCHEDULER_ADDRESS``) or an
    executor object. ``store`` names a run history to keep the run in (``".sim/runs.db"`` is the one
    ``sim runs`` lists); by default nothing is kept.
    """
    from sim.scenario.loader import load_scenario
    from sim.study import Study, execute

    loaded = load_scenario(path, override_texts(overrides))
    study = Study.of(loaded, runs, seed)
    with _executor(executor, workers, scheduler) as chosen:
        done = execute(study, executor=chosen, store=_store(store))
    return Result(done.summary, done.result, study, done.run_id)


def compare(
    a: str | Path | int,
    b: str | Path | int,
    runs: int | None = None,
    seed: int | None = None,
    overrides_a: Overrides = None,
    overrides_b: Overrides = None,
    executor: ExecutorChoice = "local",
    workers: int | None = None,
    scheduler: str | None = None,
    store: str | Path | Store = DEFAULT_PATH,
) -> Compared:
    """``sim compare A B``: scenarios (paired, common random numbers), result files or run ids (unpaired)."""
    from sim.study.compare import compare_inputs

    with _executor(executor, workers, scheduler) as chosen:
        c = compare_inputs(
            str(a),
            str(b),
            runs=runs,
            seed=seed,
            store=_store(store),
            executor=chosen,
            set_a=tuple(override_texts(overrides_a)),
            set_b=tuple(override_texts(overrides_b)),
        )
    return Compared(c)


def sweep(
    path: str | Path,
    vary: Mapping[str, Sequence[Any]],
    runs: int | None = None,
    seed: int | None = None,
    executor: ExecutorChoice = "local",
    workers: int | None = None,
    scheduler: str | None = None,
    store: str | Path | Store | None = None,
) -> Swept:
    """``sim sweep PATH --vary PATH=V1,V2 ...``: every combination of ``vary``'s values, one seed for all.

    With a ``store``, finished points are kept and a sweep run again skips them (as ``sim sweep`` does).
    """
    from sim.study.sweep import Axis, plan_sweep, run_sweep

    axes = []
    for p, values in vary.items():
        texts = tuple(as_text(v) for v in values)
        axes.append(Axis(p, texts, f"vary {p}={','.join(texts)}"))
    plan = plan_sweep(path, axes, runs, seed)
    with _executor(executor, workers, scheduler) as chosen:
        return Swept(run_sweep(plan, _store(store), executor=chosen))


def sensitivity(
    path: str | Path,
    method: str = "morris",
    measures: Sequence[str] = (),
    points: int | None = None,
    runs: int | None = None,
    seed: int | None = None,
    overrides: Overrides = None,
    executor: ExecutorChoice = "local",
    workers: int | None = None,
    scheduler: str | None = None,
    store: str | Path | Store | None = None,
) -> Ranked:
    """``sim sensitivity PATH --method M --measure NAME ... --points N --runs R``: the ``uncertainty:`` section ranked.

    ``measures`` as ``--measure`` takes them (default: the main outcome). With a ``store``, each point is
    kept as it finishes and the same call run again reads the finished points back (an interrupted study
    resumes); without one nothing is kept. Raises ScenarioError for a scenario without assumptions or a
    sampled point the scenario's checks refuse, MeasureError for a measure that names nothing.
    """
    from sim.analysis.measure import MeasureError, parse_measure
    from sim.scenario.loader import load_scenario
    from sim.study.sensitivity import plan_sensitivity, run_sensitivity

    loaded = load_scenario(path, override_texts(overrides))
    plan = plan_sensitivity(loaded, method, points, runs, seed)
    s = plan.base.scenario
    if not measures and not s.threats:
        raise MeasureError(
            f"{path}: no threats, so no outcome to explain: name a measure, "
            f"e.g. measures=['readiness.{s.units[0].name}.{s.alert_levels[-1].name}.p50']"
        )
    for m in measures:
        parse_measure(m).check(
            [t.name for t in s.threats], [u.name for u in s.units], [lv.name for lv in s.alert_levels]
        )
    with _executor(executor, workers, scheduler) as chosen:
        return Ranked(run_sensitivity(plan, _store(store), executor=chosen, measures=tuple(measures)))


def load(source: str | Path | int, store: str | Path | Store = DEFAULT_PATH) -> Result:
    """A finished run: a result file (``sim run --json``) or a run id of the history. Its statistics, not its rows."""
    from sim.analysis.result_file import from_text

    if isinstance(source, int) or (isinstance(source, str) and source.isdigit()):
        stored = (store if isinstance(store, Store) else Store(store)).get(int(source))
        return Result(stored.summary(), run_id=stored.id)
    return Result(from_text(Path(source).read_text(encoding="utf-8")))
