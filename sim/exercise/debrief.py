"""The debrief: what really happened, why, and the players' timing against the model's crew.

Typed data only (the terminal and HTML renderings are in ``sim.exercise.render``):

- the timeline of the ground truth with the players' decisions marked;
- each threat's outcome and the cause (where its chain ended: ``ChainEnd``);
- each decision's time as a percentile of the model crew's time for the same decision (its distribution
  in the scenario, sampled);
- the counterfactual: the scenario re-run through the one pipeline (``sim.study.execute``, common random
  numbers: same seed, every other draw unchanged) with the players' decision times in place of the
  model's, beside the same run with the model's crew.
"""

from __future__ import annotations

import json
import statistics
from dataclasses import dataclass

import numpy as np

from sim.analysis.measures import OUTCOME_BY_NAME
from sim.engine.deciders import ISSUE
from sim.engine.outcome import ChainEnd, FailureMode
from sim.executors import Executor
from sim.exercise.desk import Decision
from sim.exercise.session import Session
from sim.scenario.loader import LoadedScenario, load_text
from sim.study import Study, execute_all

PERCENTILE_SAMPLES = 20_000


@dataclass(frozen=True)
class TimelineEntry:
    t: float
    actor: str
    what: str
    detail: str
    player: bool  # a player's decision (or its running out)


@dataclass(frozen=True)
class ThreatResult:
    name: str
    failure: str  # the failure mode (ground truth)
    truly: str  # where it truly came down
    threatened: bool
    engaged: bool
    intercepted: bool
    cause: str  # where the chain ended (ChainEnd label)
    decided_by: str


@dataclass(frozen=True)
class DecisionReview:
    decision: Decision
    percentile: float  # of the player's simulated time among the model crew's times, 0..100
    model_median_s: float


@dataclass(frozen=True)
class Rate:
    p: float
    lo: float
    hi: float
    count: int
    n: int


@dataclass(frozen=True)
class Counterfactual:
    outcome: str  # the headline, e.g. "intercepted | threatened"
    yours: Rate
    model: Rate
    runs: int
    seed: int
    overrides: tuple[str, ...]  # what replaced the model's timing


@dataclass(frozen=True)
class Debrief:
    scenario: str
    seed: int
    replication: int
    posts: tuple[str, ...]
    pace: float
    timeline: list[TimelineEntry]
    threats: list[ThreatResult]
    decisions: list[DecisionReview]
    counterfactual: Counterfactual | None


def make_debrief(session: Session, runs: int = 200, executor: Executor | None = None) -> Debrief:
    """The debrief of a finished session (``runs``: replications of each side of the counterfactual; 0: none)."""
    s = session.loaded.scenario
    r = session.r
    fl, i = r.flights, r.rep
    threats = [
        ThreatResult(
            name=t.name,
            failure=FailureMode(int(rec.failure)).label,
            truly=fl.describe_impact(i, k),
            threatened=bool(rec.threatened),
            engaged=bool(rec.engaged),
            intercepted=bool(rec.intercepted),
            cause=ChainEnd(int(rec.end)).label,
            decided_by=r.plan.post_names[rec.authority] if rec.decided and rec.authority >= 0 else "",
        )
        for k, (t, rec) in enumerate(zip(s.threats, r.records))
    ]
    timeline = [TimelineEntry(e.t, e.actor, e.event, e.detail, False) for e in session.story()]
    for d in session.decisions:
        what = f"{d.kind}: {d.answer}" + (f" ({d.by})" if d.answer == "late" else "")
        timeline.append(TimelineEntry(d.answered, d.post, what, d.subject, True))
    timeline.sort(key=lambda e: e.t)
    reviews = [_review(session, d) for d in session.decisions]
    counterfactual = _counterfactual(session, runs, executor) if runs > 0 else None
    return Debrief(
        s.name,
        session.seed,
        session.replication,
        session.posts,
        session.pace,
        timeline,
        threats,
        reviews,
        counterfactual,
    )


def _model_times(session: Session, d: Decision) -> np.ndarray:
    """The model crew's time for the same decision: its distribution in the scenario, sampled (a fixed seed)."""
    s = session.loaded.scenario
    rng = np.random.default_rng(np.random.SeedSequence(session.seed, spawn_key=(0xDEB,)))
    if d.kind == "engage":
        dist = next(p.decision_time for p in s.command.posts if p.name == d.post)
    else:
        k = _order_index(session, d)
        order = s.alert_orders[k]
        dist = order.at if order.at is not None else order.delay
    return np.asarray(dist.sample(rng, (PERCENTILE_SAMPLES,)), dtype=float)


def _review(session: Session, d: Decision) -> DecisionReview:
    model = _model_times(session, d)
    return DecisionReview(d, float(100.0 * np.mean(model < d.sim_s)), float(np.median(model)))


def _order_index(session: Session, d: Decision) -> int:
    orders = session.loaded.scenario.alert_orders
    return next(k for k, o in enumerate(orders) if o.issued_by == d.post and o.level == d.subject)


def timing_overrides(session: Session) -> list[str]:
    """``--set`` overrides putting the players' times in place of the model's (the median per post)."""
    s = session.loaded.scenario
    names = [p.name for p in s.command.posts]
    by_post: dict[str, list[float]] = {}
    out: list[str] = []
    for d in session.decisions:
        if d.kind == "engage":
            by_post.setdefault(d.post, []).append(d.sim_s)
        elif d.kind == "alert":
            k = _order_index(session, d)
            order = s.alert_orders[k]
            when = d.sim_s if d.answer == ISSUE else float(s.horizon)  # withheld: never within the horizon
            key = "at" if order.at is not None else "delay"
            out.append(f"alert_orders.{k}.{key}={json.dumps(f'{when:.3f}s')}")
    for post, times in by_post.items():
        out.append(f"command.posts.{names.index(post)}.decision_time={json.dumps(f'{statistics.median(times):.3f}s')}")
    return out


def _with(loaded: LoadedScenario, extra: list[str]) -> LoadedScenario:
    kept = [f"{k}={json.dumps(v)}" for k, v in loaded.overrides.items()]
    return load_text(loaded.text, loaded.file, overrides=kept + extra, sha256=loaded.sha256)


def _counterfactual(session: Session, runs: int, executor: Executor | None) -> Counterfactual | None:
    extra = timing_overrides(session)
    if not extra:
        return None
    yours, model = execute_all(
        [Study(_with(session.loaded, extra), runs, session.seed), Study(session.loaded, runs, session.seed)], executor
    )
    name = model.summary.main_outcome
    return Counterfactual(
        OUTCOME_BY_NAME[name].headline,
        _rate(yours.summary.pooled.outcomes[name]),
        _rate(model.summary.pooled.outcomes[name]),
        runs,
        session.seed,
        tuple(extra),
    )


def _rate(p) -> Rate:
    lo, hi = p.ci95
    return Rate(float(p.p), lo, hi, int(p.count), int(p.n))
