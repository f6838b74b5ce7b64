"""The one pipeline: a validated scenario, replications, a seed and an executor in; a summarised run out.

``sim run``, ``sim compare``, ``sim sweep``, the exercise debrief and the Python API all go through
:func:`execute` (or :func:`story` for one replication's events), so a number means the same thing
whichever door it came through.

- `compare`: what A and B are (scenarios, result files, run ids) and their comparison
- `sweep`: a scenario over a grid of values, resumable through the history
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

from sim.analysis.partial import reduce
from sim.analysis.summary import Summary, summarize
from sim.engine.outcome import ThreatRecord
from sim.engine.trace import TraceEvent
from sim.executors import Executor
from sim.results import RunResult
from sim.runner import Progress, Request, replay, run_all
from sim.scenario.loader import LoadedScenario
from sim.store import Store, StoreError


@dataclass(frozen=True)
class Study:
    """What to run: a validated scenario (with its overrides), how many replications, which seed."""

    loaded: LoadedScenario
    runs: int
    seed: int

    @classmethod
    def of(cls, loaded: LoadedScenario, runs: int | None = None, seed: int | None = None) -> Study:
        """The scenario's own runs and seed unless others are given."""
        s = loaded.scenario
        return cls(loaded, s.runs if runs is None else runs, s.seed if seed is None else seed)


@dataclass(frozen=True)
class Done:
    """A finished study: its outcome columns, their summary, and where the history keeps it."""

    study: Study
    result: RunResult
    summary: Summary
    run_id: int | None = None  # in the history, when kept
    not_kept: str | None = None  # why the history could not keep it (the run itself is fine)

    @property
    def partial(self) -> bool:
        return self.result.info.partial


def execute(
    study: Study,
    executor: Executor | None = None,
    progress: Progress | None = None,
    trace: bool = False,
    store: Store | None = None,
    kind: str = "run",
    key: str | None = None,
    keep_columns: bool = True,
) -> Done:
    """Run the replications, summarise them and keep the summary in the history (when ``store`` is given).

    The run is kept as soon as it is summarised, before any output file is written, so a file that
    cannot be written never loses the run. An interrupted (partial) run is kept too, marked partial,
    except a sweep point (``key``), which is only ever kept whole, and a run interrupted before its
    first block finished (nothing to keep).

    ``keep_columns=False`` streams: each block is reduced in its worker to a mergeable partial summary
    (:mod:`sim.analysis.partial`) and ``result.outcomes`` holds no rows, so a million runs fit in flat memory.
    The summary's counts are the same; quantiles of more than ``sketch.EXACT_CAP`` values come from a histogram
    (``summary.run.quantile_error``). Whatever needs rows (CSV, HTML, pairing, the API) keeps the columns.
    """
    return execute_all([study], executor, progress, trace, store, kind, [key], keep_columns=keep_columns)[0]


OnDone = Callable[[int, Done], None]


def execute_all(
    studies: Sequence[Study],
    executor: Executor | None = None,
    progress: Progress | None = None,
    trace: bool = False,
    store: Store | None = None,
    kind: str = "run",
    keys: Sequence[str | None] | None = None,
    on_done: OnDone | None = None,
    keep_columns: bool = True,
) -> list[Done]:
    """Several studies as one pool of blocks (a sweep's points, a comparison's sides), each kept as it finishes.

    ``on_done(i, done)`` is called for each study that finishes whole, as it finishes; on Ctrl-C the
    studies not finished come back partial (and, for keyed ones, are not kept).
    """
    keys = list(keys) if keys is not None else [None] * len(studies)
    finished: dict[int, Done] = {}

    def finish(i: int, result: RunResult) -> None:
        finished[i] = _summarised(studies[i], result, store, kind, keys[i])
        if on_done:
            on_done(i, finished[i])

    reducer = None if keep_columns else reduce
    requests = [Request(s.loaded, s.runs, s.seed, trace, reducer) for s in studies]
    results = run_all(requests, executor, progress, finish)
    return [
        finished[i] if i in finished else _summarised(studies[i], r, store, kind, keys[i])
        for i, r in enumerate(results)
    ]


def _summarised(study: Study, result: RunResult, store: Store | None, kind: str, key: str | None) -> Done:
    summary = summarize(result)
    run_id, not_kept = None, None
    if store is not None and result.info.runs > 0 and not (key is not None and result.info.partial):
        try:
            run_id = store.keep(kind, study.loaded, summary, key)
        except StoreError as exc:
            not_kept = str(exc)
    return Done(study, result, summary, run_id, not_kept)


def story(study: Study, replication: int) -> tuple[list[TraceEvent], list[ThreatRecord]]:
    """Replication ``replication`` of the study, event by event: the same one :func:`execute` ran."""
    return replay(study.loaded, study.seed, replication)
