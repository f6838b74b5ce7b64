"""What a run means to a trainer: proportions with intervals, times, readiness and the chain's delays.

Everything is computed once here, from the outcome columns, into typed plain data (:class:`Summary`);
the terminal, JSON, CSV and HTML reports only format it. Pure numpy: no SimPy, no plotting.

A *threat row* is one threat in one replication (runs x threats rows). The pooled scope counts every
threat row; each threat has a scope of its own (one row per run). Every proportion records what it
counts among (:attr:`Proportion.among`). Times are seconds; NaN means "did not happen".
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from sim.analysis.measures import CHAIN, METRICS, OUTCOMES, TO_DECISION, flag
from sim.analysis.partial import longest_before_decision
from sim.analysis.stats import Proportion, Stats, clustered
from sim.engine.outcome import ChainEnd, Outcomes
from sim.numbers import NAN, is_nan
from sim.results import RunInfo, RunResult
from sim.scenario.loader import LoadedScenario
from sim.scenario.quantities import format_duration

POOLED_ROWS = "threat rows (runs x threats)"
TO_DECISION_AMONG = "decided threats with every step from launch to decision recorded"


@dataclass(frozen=True)
class ScenarioInfo:
    name: str
    file: str
    sha256: str
    overrides: dict[str, Any]


@dataclass(frozen=True)
class Names:
    """What the indices of a run mean: its threats, units, alert levels and command posts, in scenario order."""

    threats: tuple[str, ...]
    units: tuple[str, ...]
    levels: tuple[str, ...]
    posts: tuple[str, ...]


@dataclass(frozen=True)
class ChainStep:
    """One link of the interception chain over every threat row where both its ends happened.

    `share` is the step's mean over the sum of the means of its phase: the steps up to the
    decision share "launch to decision" (what eats the margin), the steps after it share
    "decision to intercept".
    """

    name: str
    before_decision: bool
    stats: Stats
    share: float


@dataclass(frozen=True)
class Scope:
    """The statistics of a set of threat rows: every threat pooled, or one threat's rows."""

    outcomes: dict[str, Proportion]  # by outcome name (measures.OUTCOMES)
    decided_by: dict[str, Proportion]  # by post: who decided, among the decided rows
    metrics: dict[str, Stats]  # by metric name (measures.METRICS)
    causes: dict[str, Proportion]  # by ChainEnd key: where each threatened row's chain ended
    chain: dict[str, ChainStep]  # each step of the interception chain over these rows
    # by post: which post held authority, among the threatened rows whose report went up but were never decided
    undecided_at: dict[str, Proportion] = field(default_factory=dict)


@dataclass(frozen=True)
class LevelReached:
    """One unit at one alert level: how often it got there within the horizon, and when."""

    reached: Proportion  # among replications
    p50_s: float  # among replications that reached it
    p90_s: float


@dataclass(frozen=True)
class Summary:
    """Everything the reports show, in the order they show it. Dict keys keep a stable order."""

    scenario: ScenarioInfo
    run: RunInfo
    names: Names
    pooled: Scope
    threats: dict[str, Scope]  # every threat's own rows
    any_threat_leaked: Proportion | None  # runs with at least one leak (scenarios with several threats)
    readiness: dict[str, dict[str, LevelReached]]
    chain: dict[str, ChainStep]  # the pooled scope's chain (also in ``pooled.chain``)
    largest_step: dict[str, Proportion]  # how often each step before the decision was the longest
    what_ate_the_margin: str
    why_it_leaked: str  # the report's sentence, from the leak causes

    @property
    def partial(self) -> bool:
        return bool(self.run.partial)

    @property
    def main_outcome(self) -> str:
        """The headline outcome: intercepted | threatened, or intercepted when nothing was threatened."""
        first = self.pooled.outcomes.get("intercepted_given_threatened")
        return "intercepted_given_threatened" if first is not None and first.n else "intercepted"


def summarize(result: RunResult) -> Summary:
    """All statistics of a run, computed from its outcome columns (or, streamed, from its merged partial)."""
    if result.reduced is not None:
        from sim.analysis.streamed import summarize_partial

        return summarize_partial(result, result.reduced)
    o = result.outcomes
    pooled_rows = o.threats.reshape(-1)
    pooled = _scope(o.threats, POOLED_ROWS, o.post_names, "")
    threats = {
        t: _scope(o.threats[:, k : k + 1], f"runs ({t})", o.post_names, f" ({t})") for k, t in enumerate(o.threat_names)
    }
    any_leaked = None
    if len(o.threat_names) > 1:
        leaked = o.threats["leaked"].any(axis=1)
        any_leaked = Proportion(int(leaked.sum()), o.runs, "runs; at least one threat leaked")
    largest = _largest_step(pooled_rows)
    chain = pooled.chain
    return Summary(
        scenario=_scenario_info(result.scenario),
        run=result.info,
        names=Names(tuple(o.threat_names), tuple(o.unit_names), tuple(o.level_names), tuple(o.post_names)),
        pooled=pooled,
        threats=threats,
        any_threat_leaked=any_leaked,
        readiness=_readiness(o),
        chain=chain,
        largest_step=largest,
        what_ate_the_margin=_margin_line(
            chain, largest, pooled.metrics["margin_s"], pooled.outcomes["too_late_given_decided"]
        ),
        why_it_leaked=_leak_line(pooled, pooled_rows),
    )


def _scope(rows: np.ndarray, among: str, posts: tuple[str, ...], suffix: str) -> Scope:
    """Statistics of (runs, threats) rows; with several threats per run, intervals respect the clustering."""
    outcomes = {}
    for o in OUTCOMES:
        counted = flag(rows, o.flag)
        if o.given is None:
            outcomes[o.name] = clustered(counted, np.ones_like(counted), among)
        else:
            base = flag(rows, o.given)
            outcomes[o.name] = clustered(base & counted, base, f"{o.given} {among}")
    decided = rows["decided"]
    decided_by = {
        post: clustered(decided & (rows["authority"] == i), decided, f"decided {among}") for i, post in enumerate(posts)
    }
    flat = rows.reshape(-1)
    metrics = {m.name: Stats.of(m.values(flat), m.among + suffix) for m in METRICS}
    threatened = rows["threatened"]
    causes = {
        end.name.lower(): clustered(threatened & (rows["end"] == end), threatened, f"threatened {among}")
        for end in ChainEnd
    }
    waited = threatened & ~decided & (rows["authority"] >= 0)
    undecided_at = {
        post: clustered(
            waited & (rows["authority"] == i), waited, f"threatened, undecided {among} whose report went up"
        )
        for i, post in enumerate(posts)
    }
    return Scope(outcomes, decided_by, metrics, causes, _chain(flat), undecided_at)


def _readiness(o: Outcomes) -> dict[str, dict[str, LevelReached]]:
    out: dict[str, dict[str, LevelReached]] = {}
    for u, unit in enumerate(o.unit_names):
        out[unit] = {}
        for lv, level in enumerate(o.level_names):
            s = Stats.of(o.readiness[:, u, lv], "runs that reached it")
            out[unit][level] = LevelReached(Proportion(s.n, o.runs, "runs"), s.p50, s.p90)
    return out


def _chain(rows: np.ndarray) -> dict[str, ChainStep]:
    return chain_of({step.name: Stats.of(step.durations(rows), step_among(step.name)) for step in CHAIN})


def step_among(name: str) -> str:
    step = next(s for s in CHAIN if s.name == name)
    return f"rows where both {step.start} and {step.end} happened"


def chain_of(stats: dict[str, Stats]) -> dict[str, ChainStep]:
    """The chain's steps from their statistics: each one's share of its phase."""
    totals = {
        phase: sum(stats[s.name].mean for s in CHAIN if s.before_decision == phase and stats[s.name].n)
        for phase in (True, False)
    }
    chain = {}
    for step in CHAIN:
        st, total = stats[step.name], totals[step.before_decision]
        chain[step.name] = ChainStep(
            step.name, step.before_decision, st, st.mean / total if st.n and total > 0 else NAN
        )
    return chain


def _largest_step(rows: np.ndarray) -> dict[str, Proportion]:
    """How often each step before the decision was the longest, among decided rows with every step recorded."""
    steps = np.stack([step.durations(rows) for step in CHAIN if step.before_decision], axis=1)
    complete = rows["decided"] & np.isfinite(steps).all(axis=1)
    longest = longest_before_decision(rows[complete])
    counts = np.bincount(longest[longest >= 0], minlength=len(TO_DECISION))
    n = int(complete.sum())
    return {name: Proportion(int(counts[i]), n, TO_DECISION_AMONG) for i, name in enumerate(TO_DECISION)}


def _leak_line(pooled: Scope, rows: np.ndarray) -> str:
    def longest_of(end: ChainEnd) -> np.ndarray:
        longest = longest_before_decision(rows[rows["threatened"] & (rows["end"] == end)])
        return np.bincount(longest[longest >= 0], minlength=len(TO_DECISION))

    return leak_line(pooled, longest_of)


def leak_line(pooled: Scope, longest_of: Callable[[ChainEnd], np.ndarray]) -> str:
    """The report's sentence: how many threatened threats got through, the largest reason, and within it the
    step before the decision that most often took longest (``longest_of(end)``: how often each step was, among
    the threatened rows whose chain ended there)."""
    threatened = pooled.outcomes["threatened"].count
    if threatened == 0:
        return "No threat came down on own territory, so nothing leaked."
    leaked = pooled.outcomes["leaked"].count
    if leaked == 0:
        return f"All {threatened} threats that came down on own territory were intercepted."
    reasons = {k: p for k, p in pooled.causes.items() if k != ChainEnd.INTERCEPTED.name.lower()}
    top = max(reasons, key=lambda k: reasons[k].count)  # the first of the most frequent on ties
    cause = reasons[top]
    lo, hi = cause.ci95
    line = (
        f"{leaked} of {threatened} threats that came down on own territory got through. Largest reason: "
        f"{ChainEnd[top.upper()].label}, {_pct(cause.p)} of them ({_pct(lo)}-{_pct(hi)})"
    )
    counts = longest_of(ChainEnd[top.upper()])
    if counts.sum():
        step = int(np.argmax(counts))
        line += f"; in those, {TO_DECISION[step]} was the longest step in {_pct(counts[step] / counts.sum())}"
    return line + "."


def undecided_line(scope: Scope) -> str:
    """Who held authority for the threatened threats that were never decided, largest share first ("" if none)."""
    held = sorted(((p.count, post, p) for post, p in scope.undecided_at.items() if p.count), key=lambda x: -x[0])
    if not held:
        return ""
    n = held[0][2].n
    parts = [f"{post} {_pct(p.p)} ({_pct(p.ci95[0])}-{_pct(p.ci95[1])})" for _, post, p in held]
    return (
        f"Undecided: {n} threatened threats landed before the report or the decision; authority at {', '.join(parts)}."
    )


def _margin_line(
    chain: dict[str, ChainStep], largest: dict[str, Proportion], margin: Stats, too_late: Proportion
) -> str:
    """One sentence naming the step that most often took longest before the decision."""
    n = next(iter(largest.values())).n
    if n == 0:
        return "No threat was decided, so no step of the chain can be blamed for the margin."
    top = max(largest, key=lambda name: largest[name].count)  # first of the most frequent on ties
    step = chain[top]
    line = (
        f"{top.capitalize()} ate the most of the margin: the longest step before the decision in "
        f"{_pct(largest[top].p)} of {n} decided threats, {format_duration(step.stats.mean)} on average "
        f"({_pct(step.share)} of launch to decision)"
    )
    if margin.n:
        line += f"; median margin {format_duration(margin.p50)}, {_pct(too_late.p)} of decisions too late"
    return line + "."


def _pct(p: float) -> str:
    return "-" if is_nan(p) else f"{100 * p:.0f}%"


def _scenario_info(loaded: LoadedScenario | None) -> ScenarioInfo:
    if loaded is None:
        return ScenarioInfo("", "", "", {})
    return ScenarioInfo(str(loaded.scenario.name), str(loaded.file), str(loaded.sha256), dict(loaded.overrides))
