"""B against A: differences of every outcome, time and readiness level, with 95% intervals.

Paired (:func:`paired`): two runs made with the same seed and number of replications share their
random draws wherever the change does not reach (common random numbers), so B - A is measured
replication by replication and its interval is narrow. Unpaired (:func:`unpaired`): two finished
runs read from result files or the history, independent samples (Newcombe, Welch).

Every difference is B - A; ``significant`` means the interval excludes 0. A scenario compared with
itself gives exactly 0 with a zero-width interval.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from sim.analysis.measure import Measure
from sim.analysis.measures import METRICS, OUTCOMES, Metric, flag
from sim.analysis.stats import Z95, Proportion, Stats, wilson
from sim.analysis.summary import LevelReached, Summary
from sim.engine.outcome import Outcomes
from sim.numbers import NAN, is_nan
from sim.results import RunResult
from sim.scenario.diff import Change, scenario_changes

PAIRED = "paired (common random numbers)"


@dataclass(frozen=True)
class Difference:
    """B - A for one outcome or measure: both values, the difference and its 95% interval.

    ``n_a`` and ``n_b`` count what each value was computed over (rows, runs or pairs);
    ``method`` says how the interval was made, so a reader can judge it.
    """

    a: float
    b: float
    diff: float
    ci95: tuple[float, float]
    n_a: int
    n_b: int
    method: str

    @property
    def significant(self) -> bool:
        lo, hi = self.ci95
        return bool(lo > 0 or hi < 0)  # False when the interval is unknown (NaN)


@dataclass(frozen=True)
class Side:
    """What one side of a comparison is: where it came from and how it was run."""

    label: str  # what the user typed: a file or a run id
    name: str
    file: str
    sha256: str
    overrides: dict[str, Any]
    runs: int
    seed: int
    version: str
    partial: bool = False

    @classmethod
    def of(cls, summary: Summary, label: str) -> Side:
        s, r = summary.scenario, summary.run
        return cls(label, s.name, s.file, s.sha256, dict(s.overrides), r.runs, r.seed, r.version, r.partial)


@dataclass(frozen=True)
class ScopeDifference:
    """The differences of one scope (every threat pooled, or one threat)."""

    outcomes: dict[str, Difference]
    decided_by: dict[str, Difference]
    metrics: dict[str, Difference]


@dataclass(frozen=True)
class LevelDifference:
    p_reached: Difference
    p50_s: Difference


@dataclass(frozen=True)
class Comparison:
    a: Side
    b: Side
    paired: bool
    changes: tuple[Change, ...]
    pooled: ScopeDifference
    threats: dict[str, ScopeDifference]
    any_threat_leaked: Difference | None
    readiness: dict[str, dict[str, LevelDifference]]
    notes: tuple[str, ...] = field(default_factory=tuple)
    measured: tuple[str, str, Difference] | None = None  # --measure: (as typed, its label, its difference)

    @property
    def main(self) -> str:
        """The headline outcome: intercepted | threatened, or intercepted when A threatened nothing."""
        first = self.pooled.outcomes.get("intercepted_given_threatened")
        return "intercepted_given_threatened" if first is not None and not is_nan(first.a) else "intercepted"


# ---------------------------------------------------------------- paired: common random numbers


def paired(ra: RunResult, rb: RunResult, label_a: str = "A", label_b: str = "B") -> Comparison:
    """Replication-by-replication differences of two runs made with the same seed and runs."""
    from sim.analysis.summary import summarize

    oa, ob = ra.outcomes, rb.outcomes
    if oa.runs != ob.runs or ra.info.seed != rb.info.seed:
        raise ValueError("paired comparison needs the same seed and number of replications on both sides")
    common = [t for t in oa.threat_names if t in ob.threat_names]
    ia = [oa.threat_names.index(t) for t in common]
    ib = [ob.threat_names.index(t) for t in common]
    posts = [p for p in oa.post_names if p in ob.post_names]
    pooled = _paired_scope(oa, ob, ia, ib, posts)
    threats = {t: _paired_scope(oa, ob, [x], [y], posts) for t, x, y in zip(common, ia, ib)}
    any_leaked = None
    if len(common) > 1:
        ones = np.ones(oa.runs)
        any_leaked = _paired_ratio(
            oa.threats["leaked"][:, ia].any(axis=1).astype(float),
            ones,
            ob.threats["leaked"][:, ib].any(axis=1).astype(float),
            ones,
        )
    notes = _only_in("threats", oa.threat_names, ob.threat_names)
    notes += _only_in("units", oa.unit_names, ob.unit_names) + _only_in("alert levels", oa.level_names, ob.level_names)
    readiness: dict[str, dict[str, LevelDifference]] = {}
    for unit in (u for u in oa.unit_names if u in ob.unit_names):
        ua, ub = oa.unit_names.index(unit), ob.unit_names.index(unit)
        readiness[unit] = {}
        for level in (lv for lv in oa.level_names if lv in ob.level_names):
            ta = oa.readiness[:, ua, oa.level_names.index(level)]
            tb = ob.readiness[:, ub, ob.level_names.index(level)]
            ones = np.ones(oa.runs)
            readiness[unit][level] = LevelDifference(
                _paired_ratio(np.isfinite(ta).astype(float), ones, np.isfinite(tb).astype(float), ones),
                _median_shift(ta, tb),
            )
    changes = tuple(scenario_changes(ra.scenario.scenario, rb.scenario.scenario)) if ra.scenario and rb.scenario else ()
    return Comparison(
        Side.of(summarize(ra), label_a),
        Side.of(summarize(rb), label_b),
        True,
        changes,
        pooled,
        threats,
        any_leaked,
        readiness,
        tuple(notes),
    )


def measure_difference(
    measure: Measure, a: Summary, b: Summary, ra: RunResult | None = None, rb: RunResult | None = None
) -> Difference:
    """B - A of one measure: paired from the replications' parts when both runs are at hand and the measure
    is a ratio over replications; otherwise the two values and no interval."""
    va, vb = measure.value(a), measure.value(b)
    if ra is not None and rb is not None and measure.has_replicates:
        parts_a, parts_b = measure.replicates(ra.outcomes), measure.replicates(rb.outcomes)
        if parts_a is not None and parts_b is not None:
            return _paired_ratio(*parts_a, *parts_b)
    return Difference(va, vb, vb - va, (NAN, NAN), a.run.runs, b.run.runs, "difference of the two values, no interval")


def _only_in(what: str, a: tuple[str, ...], b: tuple[str, ...]) -> list[str]:
    notes = []
    if [x for x in a if x not in b]:
        notes.append(f"{what} only in A (not compared): {', '.join(x for x in a if x not in b)}")
    if [x for x in b if x not in a]:
        notes.append(f"{what} only in B (not compared): {', '.join(x for x in b if x not in a)}")
    return notes


def _paired_scope(oa: Outcomes, ob: Outcomes, ia: list[int], ib: list[int], posts: list[str]) -> ScopeDifference:
    ra, rb = oa.threats[:, ia], ob.threats[:, ib]

    def per_run(mask: np.ndarray) -> np.ndarray:  # (runs, threats) -> count per replication
        return mask.sum(axis=1).astype(float)

    outcomes = {}
    for o in OUTCOMES:
        if o.given is None:
            parts = [(per_run(flag(r, o.flag)), np.full(r.shape[0], float(r.shape[1]))) for r in (ra, rb)]
        else:
            parts = [(per_run(flag(r, o.flag) & flag(r, o.given)), per_run(flag(r, o.given))) for r in (ra, rb)]
        outcomes[o.name] = _paired_ratio(*parts[0], *parts[1])
    decided_by = {}
    for post in posts:
        pa, pb = oa.post_names.index(post), ob.post_names.index(post)
        decided_by[post] = _paired_ratio(
            per_run(ra["decided"] & (ra["authority"] == pa)),
            per_run(ra["decided"]),
            per_run(rb["decided"] & (rb["authority"] == pb)),
            per_run(rb["decided"]),
        )
    metrics = {m.name: _paired_metric(_metric_rows(ra, m), _metric_rows(rb, m)) for m in METRICS}
    return ScopeDifference(outcomes, decided_by, metrics)


def _metric_rows(rows: np.ndarray, m: Metric) -> np.ndarray:
    """The metric per replication and threat (runs x threats), NaN where it is undefined."""
    return m.values(rows) if rows.size else np.zeros(rows.shape)


def _ratio(counted: np.ndarray, among: np.ndarray) -> tuple[float, np.ndarray]:
    """A proportion over replications, sum(counted) / sum(among), and each replication's influence on it.

    The influence (counted_r - p among_r) / mean(among) is the delta-method linearisation of the
    ratio: its mean is 0 and its variance / runs is the variance of p. Working per replication,
    not per threat row, keeps the rows of one replication (which share its alert and its posts)
    from being counted as independent.
    """
    total = among.sum()
    if total <= 0:
        return NAN, np.full(counted.shape, NAN)
    p = counted.sum() / total
    return float(p), (counted - p * among) / among.mean()


def _paired_ratio(ca: np.ndarray, na: np.ndarray, cb: np.ndarray, nb: np.ndarray) -> Difference:
    """B - A of two ratios measured on the same replications; the interval from the paired influences."""
    pa, za = _ratio(ca, na)
    pb, zb = _ratio(cb, nb)
    diff = pb - pa
    return Difference(pa, pb, diff, _normal_ci(diff, zb - za), int(na.sum()), int(nb.sum()), PAIRED)


def _normal_ci(estimate: float, influence: np.ndarray) -> tuple[float, float]:
    """estimate +- 1.96 sd / sqrt(n) of the per-replication influences."""
    n = influence.size
    if n < 2 or not math.isfinite(estimate) or not np.isfinite(influence).all():
        return NAN, NAN
    half = Z95 * float(influence.std(ddof=1)) / math.sqrt(n)
    return estimate - half, estimate + half


def _paired_metric(va: np.ndarray, vb: np.ndarray) -> Difference:
    """Mean of B - A over the threat rows where the measure exists on both sides."""
    both = np.isfinite(va) & np.isfinite(vb)
    pairs = int(both.sum())
    if pairs == 0:
        return Difference(NAN, NAN, NAN, (NAN, NAN), 0, 0, PAIRED)
    a, b = float(va[both].mean()), float(vb[both].mean())
    diff = b - a
    d = np.where(both, vb - va, 0.0).sum(axis=1)  # per replication: sum of differences, count of pairs
    k = both.sum(axis=1).astype(float)
    return Difference(a, b, diff, _normal_ci(diff, (d - diff * k) / k.mean()), pairs, pairs, PAIRED)


def _median_shift(ta: np.ndarray, tb: np.ndarray) -> Difference:
    """How much later (or earlier) B reaches a level: the median of per-replication shifts.

    Over replications reaching it on both sides; a distribution-free interval from the order
    statistics (the sign-test interval), since readiness times are skewed and often tied at 0.
    """
    both = np.isfinite(ta) & np.isfinite(tb)
    n = int(both.sum())
    method = "median of paired differences (runs reaching it in both)"
    if n == 0:
        return Difference(NAN, NAN, NAN, (NAN, NAN), 0, 0, method)
    d = np.sort(tb[both] - ta[both])
    k = _sign_test_rank(n)
    ci = (float(d[k - 1]), float(d[n - k])) if k else (NAN, NAN)
    return Difference(float(np.median(ta[both])), float(np.median(tb[both])), float(np.median(d)), ci, n, n, method)


def _sign_test_rank(n: int, alpha: float = 0.05) -> int:
    """The largest k with P(Binomial(n, 1/2) < k) <= alpha/2: the interval is [d_(k), d_(n+1-k)]; 0 if none."""
    log_half_n = n * math.log(0.5)
    cdf, k = 0.0, 0
    for j in range(n // 2 + 1):
        cdf += math.exp(math.lgamma(n + 1) - math.lgamma(j + 1) - math.lgamma(n - j + 1) + log_half_n)
        if cdf > alpha / 2:
            break
        k = j + 1
    return k


# ---------------------------------------------------------------- unpaired: two finished runs


def unpaired(
    sa: Summary, sb: Summary, label_a: str = "A", label_b: str = "B", changes: tuple[Change, ...] = ()
) -> Comparison:
    """Differences between two finished runs: independent samples.

    Proportions: Newcombe's hybrid score interval from the two Wilson intervals. Means: Welch's
    interval from each side's standard deviation. Medians of readiness: the difference alone.
    """
    notes = _only_in("threats", sa.names.threats, sb.names.threats)
    threats = {t: _unpaired_scope(sa.threats[t], sb.threats[t]) for t in sa.threats if t in sb.threats}
    readiness: dict[str, dict[str, LevelDifference]] = {}
    for unit in (u for u in sa.readiness if u in sb.readiness):
        readiness[unit] = {
            lv: _unpaired_level(x, sb.readiness[unit][lv])
            for lv, x in sa.readiness[unit].items()
            if lv in sb.readiness[unit]
        }
    if any(is_nan(m.sd) for m in sa.pooled.metrics.values() if m.n > 1):
        notes.append("times: no interval where a result file holds no spread (0.1.0 result files)")
    leaked = None
    if sa.any_threat_leaked is not None and sb.any_threat_leaked is not None:
        leaked = _newcombe(sa.any_threat_leaked, sb.any_threat_leaked)
    return Comparison(
        Side.of(sa, label_a),
        Side.of(sb, label_b),
        False,
        changes,
        _unpaired_scope(sa.pooled, sb.pooled),
        threats,
        leaked,
        readiness,
        tuple(notes),
    )


def _unpaired_scope(a: Any, b: Any) -> ScopeDifference:
    return ScopeDifference(
        {k: _newcombe(p, b.outcomes[k]) for k, p in a.outcomes.items() if k in b.outcomes},
        {k: _newcombe(p, b.decided_by[k]) for k, p in a.decided_by.items() if k in b.decided_by},
        {k: _welch(m, b.metrics[k]) for k, m in a.metrics.items() if k in b.metrics},
    )


def _unpaired_level(a: LevelReached, b: LevelReached) -> LevelDifference:
    return LevelDifference(
        _newcombe(a.reached, b.reached),
        Difference(
            a.p50_s,
            b.p50_s,
            b.p50_s - a.p50_s,
            (NAN, NAN),
            a.reached.n,
            b.reached.n,
            "difference of medians, no interval",
        ),
    )


def _newcombe(a: Proportion, b: Proportion) -> Difference:
    pa, pb = a.p, b.p
    la, ua = wilson(a.count, a.n)
    lb, ub = wilson(b.count, b.n)
    d = pb - pa
    lo = d - math.sqrt((pb - lb) ** 2 + (ua - pa) ** 2)
    hi = d + math.sqrt((ub - pb) ** 2 + (pa - la) ** 2)
    return Difference(pa, pb, d, (lo, hi), a.n, b.n, "unpaired (Newcombe)")


def _welch(ma: Stats, mb: Stats) -> Difference:
    na, nb, d = ma.n, mb.n, mb.mean - ma.mean
    if not (na > 1 and nb > 1 and not is_nan(ma.sd) and not is_nan(mb.sd)):
        return Difference(ma.mean, mb.mean, d, (NAN, NAN), na, nb, "difference of means, no interval")
    va, vb = ma.sd * ma.sd / na, mb.sd * mb.sd / nb
    se = math.sqrt(va + vb)
    df = (va + vb) ** 2 / (va * va / (na - 1) + vb * vb / (nb - 1)) if va + vb > 0 else math.inf
    half = _t975(df) * se
    return Difference(ma.mean, mb.mean, d, (d - half, d + half), na, nb, "unpaired (Welch)")


def _t975(df: float) -> float:
    """Student's t 97.5% quantile: bisection on the distribution function, itself a Simpson integral."""
    if not math.isfinite(df) or df > 1e6:
        return Z95
    scale = math.exp(math.lgamma((df + 1) / 2) - math.lgamma(df / 2)) / math.sqrt(df * math.pi)

    def mass(t: float) -> float:  # P(0 < T < t)
        x = np.linspace(0.0, t, 2001)
        y = scale * (1 + x * x / df) ** (-(df + 1) / 2)
        return float((t / 6000) * (y[0] + y[-1] + 4 * y[1:-1:2].sum() + 2 * y[2:-1:2].sum()))

    lo, hi = Z95, 20.0 if df >= 2 else 100.0
    for _ in range(50):
        mid = (lo + hi) / 2
        lo, hi = (mid, hi) if mass(mid) < 0.475 else (lo, mid)
    return (lo + hi) / 2
