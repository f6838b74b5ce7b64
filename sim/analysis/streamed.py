"""The :class:`Summary` of a streamed run: made from its merged :class:`Partial`, not from columns.

The same statistics as :func:`sim.analysis.summary.summarize`, scope by scope: counts and proportions
identical, interval widths and means equal up to the last bits of float summation order, quantiles
exact while a distribution holds at most ``sketch.EXACT_CAP`` values and within ``sketch.REL_ERROR``
beyond (``RunInfo.quantile_error`` says so).
"""

from __future__ import annotations

from dataclasses import replace

import numpy as np

from sim.analysis.measures import METRICS, OUTCOMES, TO_DECISION
from sim.analysis.partial import Partial, ScopePartial
from sim.analysis.sketch import REL_ERROR
from sim.analysis.stats import Proportion
from sim.analysis.summary import (
    POOLED_ROWS,
    TO_DECISION_AMONG,
    LevelReached,
    Names,
    Scope,
    Summary,
    _margin_line,
    _scenario_info,
    chain_of,
    leak_line,
    step_among,
)
from sim.engine.outcome import ChainEnd
from sim.results import RunResult


def _scope(p: ScopePartial, among: str, posts: tuple[str, ...], suffix: str) -> Scope:
    outcomes = {
        o.name: p.outcomes[o.name].proportion(among if o.given is None else f"{o.given} {among}") for o in OUTCOMES
    }
    decided_by = {post: p.decided_by[i].proportion(f"decided {among}") for i, post in enumerate(posts)}
    metrics = {m.name: p.metrics[m.name].stats(m.among + suffix) for m in METRICS}
    causes = {k: c.proportion(f"threatened {among}") for k, c in p.causes.items()}
    undecided_at = {
        post: p.undecided_at[i].proportion(f"threatened, undecided {among} whose report went up")
        for i, post in enumerate(posts)
    }
    chain = chain_of({name: s.stats(step_among(name)) for name, s in p.chain.items()})
    return Scope(outcomes, decided_by, metrics, causes, chain, undecided_at)


def _sketched(p: Partial) -> bool:
    """Whether any quantile came from a histogram rather than the values themselves."""
    scopes = [p.pooled, *p.threats]
    samples = [s for sc in scopes for s in (*sc.metrics.values(), *sc.chain.values())]
    samples += [s for row in p.readiness for s in row]
    return any(not s.exact for s in samples)


def summarize_partial(result: RunResult, p: Partial) -> Summary:
    """All statistics of a streamed run, from its merged partial (``result.outcomes`` holds only the names)."""
    o = result.outcomes
    posts = tuple(o.post_names)
    pooled = _scope(p.pooled, POOLED_ROWS, posts, "")
    threats = {t: _scope(p.threats[k], f"runs ({t})", posts, f" ({t})") for k, t in enumerate(o.threat_names)}
    any_leaked = None
    if len(o.threat_names) > 1:
        any_leaked = Proportion(p.any_leaked, p.runs, "runs; at least one threat leaked")
    largest = {name: Proportion(int(p.largest[i]), p.complete, TO_DECISION_AMONG) for i, name in enumerate(TO_DECISION)}
    readiness: dict[str, dict[str, LevelReached]] = {}
    for u, unit in enumerate(o.unit_names):
        readiness[unit] = {}
        for lv, level in enumerate(o.level_names):
            s = p.readiness[u][lv].stats("runs that reached it")
            readiness[unit][level] = LevelReached(Proportion(s.n, p.runs, "runs"), s.p50, s.p90)
    ends = list(ChainEnd)

    def longest_of(end: ChainEnd) -> np.ndarray:
        return p.longest_by_end[ends.index(end)]

    return Summary(
        scenario=_scenario_info(result.scenario),
        run=replace(result.info, quantile_error=quantile_error(p)),
        names=Names(tuple(o.threat_names), tuple(o.unit_names), tuple(o.level_names), posts),
        pooled=pooled,
        threats=threats,
        any_threat_leaked=any_leaked,
        readiness=readiness,
        chain=pooled.chain,
        largest_step=largest,
        what_ate_the_margin=_margin_line(
            pooled.chain, largest, pooled.metrics["margin_s"], pooled.outcomes["too_late_given_decided"]
        ),
        why_it_leaked=leak_line(pooled, longest_of),
    )


def quantile_error(p: Partial) -> float | None:
    """The relative error bound of the run's quantiles: None when every one is exact."""
    return REL_ERROR if _sketched(p) else None
