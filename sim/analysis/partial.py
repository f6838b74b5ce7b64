"""A block's outcomes reduced to what the summary needs, mergeable: a million runs without their columns.

``reduce(outcomes)`` runs in the worker on each block; the runner merges the partials in block order
(``Partial.merge``) and :func:`sim.analysis.streamed.summarize_partial` makes the :class:`Summary`.
Every count is exact. A clustered proportion's interval needs, over runs r with c_r counted rows among
m_r, the sum of (c_r - p m_r)^2 with p = C / M (C, M the totals): that is
(M^2 sum c^2 - 2 C M sum c m + C^2 sum m^2) / M^2, so the integer sums of c^2, c m and m^2 merge
exactly and the variance is computed from them once (equal to the one-shot float sum up to its last
bits). Times merge as :class:`sim.analysis.sketch.Sample`.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from sim.analysis.measures import CHAIN, METRICS, OUTCOMES, TO_DECISION, flag
from sim.analysis.sketch import Sample
from sim.analysis.stats import Proportion
from sim.engine.outcome import ChainEnd, Outcomes


@dataclass
class Cluster:
    """Counted rows among rows, by run: what :func:`sim.analysis.stats.clustered` needs, as integer sums."""

    width: int  # rows per run (threats in the scope)
    runs: int = 0
    c: int = 0
    m: int = 0
    cc: int = 0
    cm: int = 0
    mm: int = 0

    @classmethod
    def of(cls, counted: np.ndarray, among: np.ndarray) -> Cluster:
        c = counted.sum(axis=1).astype(np.int64)
        m = among.sum(axis=1).astype(np.int64)
        return cls(counted.shape[1], c.size, int(c.sum()), int(m.sum()), int(c @ c), int(c @ m), int(m @ m))

    def merge(self, o: Cluster) -> Cluster:
        self.runs, self.c, self.m = self.runs + o.runs, self.c + o.c, self.m + o.m
        self.cc, self.cm, self.mm = self.cc + o.cc, self.cm + o.cm, self.mm + o.mm
        return self

    def proportion(self, label: str) -> Proportion:
        count, n, runs = self.c, self.m, self.runs
        if self.width <= 1 or n == 0 or runs < 2 or count in (0, n):
            return Proportion(count, n, label)
        p = count / n
        s = n * n * self.cc - 2 * count * n * self.cm + count * count * self.mm  # n^4 sum (c - p m)^2 / n^2
        var = runs / (runs - 1) * (s / n**4)
        n_eff = min(float(n), p * (1 - p) / var) if var > 0 else float(n)
        return Proportion(count, n, label, n_eff)


@dataclass
class ScopePartial:
    """One scope's (every threat pooled, or one threat) proportions and distributions."""

    outcomes: dict[str, Cluster]
    decided_by: list[Cluster]  # by post index
    causes: dict[str, Cluster]  # by ChainEnd key
    undecided_at: list[Cluster]
    metrics: dict[str, Sample]
    chain: dict[str, Sample]

    def merge(self, o: ScopePartial) -> ScopePartial:
        for mine, theirs in ((self.outcomes, o.outcomes), (self.causes, o.causes)):
            for k, c in theirs.items():
                mine[k].merge(c)
        for a, b in zip(self.decided_by + self.undecided_at, o.decided_by + o.undecided_at):
            a.merge(b)
        for ms, os in ((self.metrics, o.metrics), (self.chain, o.chain)):
            for k, s in os.items():
                ms[k].merge(s)
        return self


def _flags(rows: np.ndarray, posts: int) -> list[tuple[np.ndarray, np.ndarray]]:
    """Every clustered proportion's (counted, among) rows, in the order ``_scopes`` reads them back; mirrors
    ``sim.analysis.summary._scope``."""
    pairs = []
    for o in OUTCOMES:
        counted = flag(rows, o.flag)
        base = np.ones_like(counted) if o.given is None else flag(rows, o.given)
        pairs.append((base & counted, base))
    decided, threatened = rows["decided"], rows["threatened"]
    waited = threatened & ~decided & (rows["authority"] >= 0)
    pairs += [(decided & (rows["authority"] == i), decided) for i in range(posts)]
    end = rows["end"]
    pairs += [(threatened & (end == int(e)), threatened) for e in ChainEnd]
    pairs += [(waited & (rows["authority"] == i), waited) for i in range(posts)]
    return pairs


def _clusters(counted: np.ndarray, among: np.ndarray, width: int) -> list[Cluster]:
    """One Cluster per proportion from (proportions, runs, rows per run) stacks: a few numpy calls for all."""
    c = counted.sum(axis=2, dtype=np.int64)
    m = among.sum(axis=2, dtype=np.int64)
    sums = np.stack([c.sum(1), m.sum(1), (c * c).sum(1), (c * m).sum(1), (m * m).sum(1)], axis=1).tolist()
    return [Cluster(width, c.shape[1], *row) for row in sums]


def _scopes(rows: np.ndarray, posts: int) -> list[ScopePartial]:
    """The pooled scope, then one per threat: the same rows counted as the one-shot summary, kept as sums."""
    pairs = _flags(rows, posts)
    counted = np.stack([c for c, _ in pairs])  # (proportions, runs, threats)
    among = np.stack([m for _, m in pairs])
    threats = rows.shape[1]
    metrics = {m.name: m.values(rows) for m in METRICS}
    chain = {s.name: s.durations(rows) for s in CHAIN}
    out = []
    for t in range(-1, threats):
        whole = slice(None) if t < 0 else slice(t, t + 1)  # the pooled rows, or threat t's

        def pick(v: np.ndarray, whole: slice = whole) -> np.ndarray:
            return v[:, whole].reshape(-1)

        it = iter(_clusters(counted[:, :, whole], among[:, :, whole], threats if t < 0 else 1))
        outcomes = {o.name: next(it) for o in OUTCOMES}
        decided_by = [next(it) for _ in range(posts)]
        causes = {e.name.lower(): next(it) for e in ChainEnd}
        undecided_at = [next(it) for _ in range(posts)]
        out.append(
            ScopePartial(
                outcomes,
                decided_by,
                causes,
                undecided_at,
                {k: Sample.of(pick(v)) for k, v in metrics.items()},
                {k: Sample.of(pick(v)) for k, v in chain.items()},
            )
        )
    return out


@dataclass
class Partial:
    """Everything :class:`Summary` needs from some runs' columns, mergeable with another's."""

    runs: int
    pooled: ScopePartial
    threats: list[ScopePartial]
    any_leaked: int
    readiness: list[list[Sample]]  # unit -> level: the times it was reached
    largest: np.ndarray  # per step before the decision: decided complete rows where it was the longest
    complete: int  # decided rows with every step before the decision recorded
    longest_by_end: np.ndarray  # ChainEnd x step before the decision: threatened rows where it was the longest
    blocks: int = field(default=1)

    def merge(self, o: Partial) -> Partial:
        """This partial with ``o`` added (in place). Merge in block order: float sums depend on the order."""
        self.runs += o.runs
        self.pooled.merge(o.pooled)
        for a, b in zip(self.threats, o.threats):
            a.merge(b)
        self.any_leaked += o.any_leaked
        for ra, rb in zip(self.readiness, o.readiness):
            for x, y in zip(ra, rb):
                x.merge(y)
        self.largest = self.largest + o.largest
        self.complete += o.complete
        self.longest_by_end = self.longest_by_end + o.longest_by_end
        self.blocks += o.blocks
        return self


def longest_before_decision(rows: np.ndarray) -> np.ndarray:
    """Per row, the index in TO_DECISION of the longest step that happened (-1 if none did); ties to the earlier."""
    steps = np.stack([step.durations(rows) for step in CHAIN if step.before_decision], axis=1)
    if steps.size == 0:
        return np.zeros(0, dtype=int)
    happened = np.isfinite(steps)
    longest = np.argmax(np.where(happened, steps, -np.inf), axis=1)
    return np.where(happened.any(axis=1), longest, -1)


def reduce(o: Outcomes) -> Partial:
    """A block's (or any runs') outcome columns as a mergeable partial summary."""
    posts = len(o.post_names)
    flat = o.threats.reshape(-1)
    steps = np.stack([step.durations(flat) for step in CHAIN if step.before_decision], axis=1)
    complete = flat["decided"] & np.isfinite(steps).all(axis=1)
    longest = longest_before_decision(flat[complete])
    every = longest_before_decision(flat)
    k = len(TO_DECISION)
    by_end = np.zeros((len(ChainEnd), k), dtype=np.int64)
    for j, end in enumerate(ChainEnd):
        mine = every[flat["threatened"] & (flat["end"] == end)]
        by_end[j] = np.bincount(mine[mine >= 0], minlength=k)
    pooled, *threats = _scopes(o.threats, posts)
    return Partial(
        runs=o.runs,
        pooled=pooled,
        threats=threats,
        any_leaked=int(o.threats["leaked"].any(axis=1).sum()),
        readiness=[
            [Sample.of(o.readiness[:, u, lv]) for lv in range(len(o.level_names))] for u in range(len(o.unit_names))
        ],
        largest=np.bincount(longest[longest >= 0], minlength=k).astype(np.int64),
        complete=int(complete.sum()),
        longest_by_end=by_end,
    )
