"""What a run means to a trainer: proportions with intervals, times, readiness and the chain's delays.

Everything is computed once here, from the outcome columns, into plain data (`Summary`); the
terminal, JSON, CSV and HTML reports only format it. Pure numpy: no SimPy, no plotting.

Conventions the reports and the tests rely on:

- A *threat row* is one threat in one replication (runs x threats rows). Proportions count threat
  rows unless their name says otherwise; conditional ones say their condition in the name
  (``intercepted_given_threatened``) and every one records what it counts among (`Proportion.among`).
- Intervals are Wilson 95% score intervals: they stay inside [0, 1] and keep near-nominal coverage
  for the rare events a trainer asks about (3 leaks in 1000), where the normal interval collapses.
- Quantiles interpolate linearly between order statistics (numpy's default): p50 of 1, 2, 3, 4 is 2.5.
- Times are seconds; NaN means "did not happen" (or, in a statistic, "no row to say anything about")
  and becomes null in JSON.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

import numpy as np

from sim.engine.outcome import THREAT_FIELDS, THREAT_FLAGS, Outcomes
from sim.results import RunInfo, RunResult
from sim.scenario.quantities import format_duration

SCHEMA = "sim.result/1"
Z95 = 1.959964
NAN = float("nan")


def wilson(count, n, z: float = Z95):
    """Wilson score interval of `count` successes in `n` trials: (lo, hi); NaN when n is 0.

    Works elementwise on arrays too (the coverage test checks thousands at once).
    """
    count = np.asarray(count, dtype=float)
    n = np.asarray(n, dtype=float)
    with np.errstate(divide="ignore", invalid="ignore"):
        p = count / n
        z2n = z * z / n
        centre = (p + z2n / 2) / (1 + z2n)
        half = z / (1 + z2n) * np.sqrt(p * (1 - p) / n + z2n / (4 * n))
        lo = np.where(count <= 0, 0.0, np.clip(centre - half, 0.0, 1.0))
        hi = np.where(count >= n, 1.0, np.clip(centre + half, 0.0, 1.0))
    lo = np.where(n > 0, lo, np.nan)
    hi = np.where(n > 0, hi, np.nan)
    if lo.ndim == 0:
        return float(lo), float(hi)
    return lo, hi


# ---------------------------------------------------------------- plain data


@dataclass(frozen=True)
class Proportion:
    """`count` of `n` rows, and what the n rows are (``"threatened threat rows"``)."""

    count: int
    n: int
    among: str

    @property
    def p(self) -> float:
        return self.count / self.n if self.n else NAN

    @property
    def ci95(self) -> tuple[float, float]:
        return wilson(self.count, self.n)

    def to_json(self) -> dict:
        lo, hi = self.ci95
        return {"count": self.count, "p": _num(self.p), "ci95": [_num(lo), _num(hi)]}


@dataclass(frozen=True)
class Stats:
    """Distribution of one quantity over the rows it is defined for (`among`)."""

    n: int
    mean: float
    p50: float
    p90: float
    min: float
    max: float
    among: str

    @classmethod
    def of(cls, values: np.ndarray, among: str) -> "Stats":
        v = np.asarray(values, dtype=float)
        v = v[np.isfinite(v)]
        if v.size == 0:
            return cls(0, NAN, NAN, NAN, NAN, NAN, among)
        p50, p90 = np.quantile(v, [0.5, 0.9])
        return cls(int(v.size), float(v.mean()), float(p50), float(p90), float(v.min()), float(v.max()), among)

    def to_json(self) -> dict:
        return {"n": self.n, "mean": _num(self.mean), "p50": _num(self.p50), "p90": _num(self.p90),
                "min": _num(self.min), "max": _num(self.max)}


@dataclass(frozen=True)
class LevelReached:
    """One unit at one alert level: how often it got there within the horizon, and when."""

    reached: Proportion   # among replications
    p50_s: float          # among replications that reached it
    p90_s: float

    def to_json(self) -> dict:
        return {"p_reached": _num(self.reached.p), "p50_s": _num(self.p50_s), "p90_s": _num(self.p90_s)}


@dataclass(frozen=True)
class ChainStep:
    """One link of the interception chain, from one recorded time to the next.

    `share` is the step's mean over the sum of the means of its phase: the steps up to the
    decision share "launch to decision" (what eats the margin), the steps after it share
    "decision to intercept". Means are over rows where both ends happened, so the shares
    describe typical step lengths, not one replication's split.
    """

    name: str
    start: str
    end: str
    phase: str            # "to decision" or "after decision"
    stats: Stats
    share: float

    def to_json(self) -> dict:
        s = self.stats
        return {"mean_s": _num(s.mean), "p50_s": _num(s.p50), "p90_s": _num(s.p90), "share": _num(self.share)}


@dataclass(frozen=True)
class ScenarioInfo:
    name: str
    file: str
    sha256: str
    overrides: dict[str, Any]


@dataclass(frozen=True)
class Summary:
    """Everything the reports show, in the order they show it. Dict keys keep a stable order."""

    scenario: ScenarioInfo
    run: RunInfo
    threats: tuple[str, ...]
    units: tuple[str, ...]
    levels: tuple[str, ...]
    outcomes: dict[str, Proportion]
    metrics: dict[str, Stats]
    readiness: dict[str, dict[str, LevelReached]]
    chain: dict[str, ChainStep]
    largest_step: dict[str, Proportion]   # how often each step before the decision was the longest
    what_ate_the_margin: str

    @property
    def partial(self) -> bool:
        return bool(self.run.partial)

    def to_result_json(self) -> dict:
        """The ``sim.result/1`` document of the contract, plus a few extra top-level keys.

        Extras (never inside the contract's own objects): ``partial``, ``requested_runs``,
        ``largest_step``, ``what_ate_the_margin`` and ``conditions`` (for each outcome, metric and
        for ``largest_step``: the rows counted and their number).
        """
        s, r = self.scenario, self.run
        conditions = {name: {"among": v.among, "n": v.n} for name, v in self.outcomes.items()}
        conditions.update({name: {"among": v.among, "n": v.n} for name, v in self.metrics.items()})
        some = next(iter(self.largest_step.values()), None)
        if some is not None:
            conditions["largest_step"] = {"among": some.among, "n": some.n}
        return {
            "schema": SCHEMA,
            "scenario": {"name": s.name, "file": s.file, "sha256": s.sha256, "overrides": _plain(s.overrides)},
            "run": {"runs": int(r.runs), "seed": int(r.seed), "version": str(r.version),
                    "block_size": int(r.block_size), "workers": int(r.workers), "wall_s": _num(r.wall_s)},
            "outcomes": {name: v.to_json() for name, v in self.outcomes.items()},
            "metrics": {name: v.to_json() for name, v in self.metrics.items()},
            "readiness": {u: {lv: x.to_json() for lv, x in levels.items()} for u, levels in self.readiness.items()},
            "chain": {name: step.to_json() for name, step in self.chain.items()},
            "partial": self.partial,
            "requested_runs": int(r.requested_runs),
            "largest_step": {name: v.to_json() for name, v in self.largest_step.items()},
            "what_ate_the_margin": self.what_ate_the_margin,
            "conditions": conditions,
        }


def _num(x) -> float | None:
    """A JSON number: plain float, None for NaN or infinity."""
    x = float(x)
    return x if math.isfinite(x) else None


def _plain(value):
    """Override values as plain JSON (they come from YAML: str, numbers, bools, lists, maps)."""
    if isinstance(value, dict):
        return {str(k): _plain(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_plain(v) for v in value]
    if isinstance(value, float):
        return _num(value)
    return value


# ---------------------------------------------------------------- what is counted and measured

ROWS = "threat rows (runs x threats)"

# name -> (flag counted, flag the rows must have)
CONDITIONAL = {
    "predicted_own_given_threatened": ("predicted_own", "threatened"),
    "detected_given_threatened": ("detected", "threatened"),
    "decided_given_threatened": ("decided", "threatened"),
    "decided_in_time_given_threatened": ("decided_in_time", "threatened"),
    "engaged_given_threatened": ("engaged", "threatened"),
    "intercepted_given_threatened": ("intercepted", "threatened"),
    "leaked_given_threatened": ("leaked", "threatened"),
    "too_late_given_decided": ("too_late", "decided"),
    "intercepted_given_engaged": ("intercepted", "engaged"),
    "needless_given_engaged": ("needless", "engaged"),
}


@dataclass(frozen=True)
class Metric:
    """A per-row quantity: `end - start` (or a value column) on rows holding every flag in `given`."""

    value: str | tuple[str, str]
    given: tuple[str, ...]
    among: str


METRICS = {
    "time_to_detect_s": Metric(("launch", "detect"), ("detected",), "detected threats"),
    "time_to_decision_s": Metric(("launch", "decision"), ("decided",), "decided threats"),
    "time_to_fire_s": Metric(("launch", "fire"), ("engaged",), "engaged threats"),
    "margin_s": Metric(("decision", "window_close"), ("decided",),
                       "decided threats with an engagement window; window close - decision, positive = time to spare"),
    "warning_time_s": Metric(("detect", "impact"), ("threatened", "detected"),
                             "threatened, detected threats; detection to impact"),
    "window_s": Metric(("window_open", "window_close"), (), "threats with an engagement window; its length"),
    "flight_time_s": Metric(("launch", "impact"), (), "threats that came down; launch to impact"),
    "interceptors_used": Metric("interceptors_used", ("engaged",), "engaged threats; a count, not seconds"),
}

# (name, from, to): the interception chain in the order it happens.
CHAIN = (
    ("detection", "launch", "detect"),
    ("tracking", "detect", "track"),
    ("classification", "track", "classify"),
    ("impact prediction", "classify", "pip"),
    ("report up", "pip", "report"),
    ("decision", "report", "decision"),
    ("order down", "decision", "order"),
    ("battery reaction", "order", "ready"),
    ("waiting to fire", "ready", "fire"),   # for the window to open or a fire channel to free
    ("flyout", "fire", "intercept"),
)
TO_DECISION = tuple(name for name, _, end in CHAIN[:6])
TO_DECISION_AMONG = "decided threats with every step from launch to decision recorded"


def columns(outcomes: Outcomes, threat: int | None = None) -> dict[str, np.ndarray]:
    """Threat columns as flat float arrays: every threat row, or one threat's rows (one per run).

    Adds the derived flag ``decided_in_time`` (decided and not too late).
    """
    pick = (lambda a: a.reshape(-1)) if threat is None else (lambda a: a[:, threat])
    cols = {f: pick(np.asarray(outcomes.threats[f], dtype=float)) for f in THREAT_FIELDS}
    cols["decided_in_time"] = ((cols["decided"] == 1) & (cols["too_late"] != 1)).astype(float)
    return cols


def metric_values(cols: dict[str, np.ndarray], name: str) -> np.ndarray:
    """The finite values behind metric `name` (what the histograms plot)."""
    m = METRICS[name]
    v = cols[m.value] if isinstance(m.value, str) else cols[m.value[1]] - cols[m.value[0]]
    keep = np.isfinite(v)
    for flag in m.given:
        keep &= cols[flag] == 1
    return v[keep]


def step_durations(cols: dict[str, np.ndarray]) -> dict[str, np.ndarray]:
    """Each chain step's duration per row, NaN where either end did not happen."""
    return {name: cols[end] - cols[start] for name, start, end in CHAIN}


# ---------------------------------------------------------------- the summary


def summarize(result: RunResult) -> Summary:
    """All statistics of a run, computed from its outcome columns."""
    o = result.outcomes
    threats = tuple(o.threat_names)
    multi = len(threats) > 1
    scopes = [("", None, ROWS)] + ([(f"{t}.", i, f"runs ({t})") for i, t in enumerate(threats)] if multi else [])

    outcomes: dict[str, Proportion] = {}
    metrics: dict[str, Stats] = {}
    for prefix, index, rows in scopes:
        cols = columns(o, index)
        outcomes.update({prefix + k: v for k, v in _proportions(cols, rows, o.post_names).items()})
        if multi and index is None:
            leaked_any = np.asarray(o.threats["leaked"], dtype=float).max(axis=1, initial=0) == 1
            outcomes["any_threat_leaked"] = Proportion(int(leaked_any.sum()), o.runs, "runs; at least one threat leaked")
        suffix = "" if index is None else f" ({threats[index]})"
        metrics.update({prefix + name: Stats.of(metric_values(cols, name), m.among + suffix) for name, m in METRICS.items()})

    cols = columns(o)
    chain, largest = _chain(cols)
    return Summary(
        scenario=_scenario_info(result.scenario),
        run=result.info,
        threats=threats,
        units=tuple(o.unit_names),
        levels=tuple(o.level_names),
        outcomes=outcomes,
        metrics=metrics,
        readiness=_readiness(o),
        chain=chain,
        largest_step=largest,
        what_ate_the_margin=_margin_line(chain, largest, metrics["margin_s"], outcomes["too_late_given_decided"]),
    )


def _proportions(cols: dict[str, np.ndarray], rows: str, posts) -> dict[str, Proportion]:
    out = {f: Proportion(int((cols[f] == 1).sum()), int(cols[f].size), rows) for f in THREAT_FLAGS}
    for name, (flag, given) in CONDITIONAL.items():
        base = cols[given] == 1
        out[name] = Proportion(int((base & (cols[flag] == 1)).sum()), int(base.sum()), f"{given} {rows}")
    decided = cols["decided"] == 1
    for i, post in enumerate(posts):
        out[f"decided_by_{post}"] = Proportion(int((decided & (cols["authority"] == i)).sum()), int(decided.sum()),
                                               f"decided {rows}")
    return out


def _readiness(o: Outcomes) -> dict[str, dict[str, LevelReached]]:
    out: dict[str, dict[str, LevelReached]] = {}
    for u, unit in enumerate(o.unit_names):
        out[unit] = {}
        for lv, level in enumerate(o.level_names):
            t = np.asarray(o.readiness[:, u, lv], dtype=float)
            s = Stats.of(t, "runs that reached it")
            out[unit][level] = LevelReached(Proportion(s.n, o.runs, "runs"), s.p50, s.p90)
    return out


def _chain(cols: dict[str, np.ndarray]) -> tuple[dict[str, ChainStep], dict[str, Proportion]]:
    durations = step_durations(cols)
    stats = {name: Stats.of(d, f"rows where both {a} and {b} happened") for (name, a, b), d in zip(CHAIN, durations.values())}
    phase = {name: ("to decision" if name in TO_DECISION else "after decision") for name, _, _ in CHAIN}
    totals = {p: sum(s.mean for n, s in stats.items() if phase[n] == p and s.n) for p in set(phase.values())}
    chain = {
        name: ChainStep(name, a, b, phase[name], stats[name],
                        stats[name].mean / totals[phase[name]] if stats[name].n and totals[phase[name]] > 0 else NAN)
        for name, a, b in CHAIN
    }
    # Which step before the decision was the longest, row by row (ties go to the earlier step).
    steps = np.stack([durations[n] for n in TO_DECISION], axis=1)
    complete = (cols["decided"] == 1) & np.isfinite(steps).all(axis=1)
    longest = np.argmax(steps[complete], axis=1) if complete.any() else np.zeros(0, dtype=int)
    counts = np.bincount(longest, minlength=len(TO_DECISION))
    n = int(complete.sum())
    largest = {name: Proportion(int(counts[i]), n, TO_DECISION_AMONG) for i, name in enumerate(TO_DECISION)}
    return chain, largest


def _margin_line(chain, largest, margin: Stats, too_late: Proportion) -> str:
    """One sentence naming the step that most often took longest before the decision."""
    n = next(iter(largest.values())).n
    if n == 0:
        return "No threat was decided, so no step of the chain can be blamed for the margin."
    top = max(largest, key=lambda name: largest[name].count)  # first of the most frequent on ties
    step = chain[top]
    line = (f"{top.capitalize()} ate the most of the margin: the longest step before the decision in "
            f"{_pct(largest[top].p)} of {n} decided threats, {format_duration(step.stats.mean)} on average "
            f"({_pct(step.share)} of launch to decision)")
    if margin.n:
        line += f"; median margin {format_duration(margin.p50)}, {_pct(too_late.p)} of decisions too late"
    return line + "."


def _pct(p: float) -> str:
    return "-" if p != p else f"{100 * p:.0f}%"


def _scenario_info(loaded) -> ScenarioInfo:
    if loaded is None:
        return ScenarioInfo("", "", "", {})
    return ScenarioInfo(str(loaded.scenario.name), str(loaded.file), str(loaded.sha256), dict(loaded.overrides))
