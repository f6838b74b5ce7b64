"""A against B: what changed between two scenarios, and what that change did to the outcomes.

Two scenario files run with the same seed and the same number of replications. Every random draw
comes from a named draw site, so replication r of A and replication r of B see the same launches,
faults and delays wherever the change does not reach: the difference B - A is measured replication
by replication (common random numbers) and its interval is narrow. Two finished runs (result files
or run ids from the history) have no such pairing: their difference is unpaired and wider.

Every difference is B - A with a 95% interval; ``significant`` means the interval excludes 0.
A scenario compared with itself gives exactly 0 with a zero-width interval.
"""

from __future__ import annotations

import json
import math
import typing
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable

import numpy as np
from pydantic import BaseModel

from sim.analysis import CONDITIONAL, METRICS, Z95, Metric, columns, wilson
from sim.engine.outcome import THREAT_FLAGS, Outcomes
from sim.results import RunResult
from sim.scenario.loader import LoadedScenario, Problem, ScenarioError, load_scenario, load_text

NAN = float("nan")
RESULT_SCHEMA_PREFIX = "sim.result/"

# The outcome a trainer asks about first; the second when the first is undefined (nothing threatened).
MAIN_OUTCOMES = ("intercepted_given_threatened", "intercepted")


def main_outcome(outcomes: dict[str, Any]) -> str:
    """The headline outcome of a result's ``outcomes`` (JSON dicts or Differences)."""
    first = outcomes.get(MAIN_OUTCOMES[0])
    if first is None:
        return MAIN_OUTCOMES[1]
    p = first.get("p") if isinstance(first, dict) else first.a
    return MAIN_OUTCOMES[0] if p is not None and p == p else MAIN_OUTCOMES[1]


# ---------------------------------------------------------------- plain data


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

    def to_json(self) -> dict:
        lo, hi = self.ci95
        return {"a": _num(self.a), "b": _num(self.b), "diff": _num(self.diff), "ci95": [_num(lo), _num(hi)],
                "significant": self.significant, "n_a": int(self.n_a), "n_b": int(self.n_b), "method": self.method}


@dataclass(frozen=True)
class Change:
    """One value that differs between the two validated scenarios, by its dotted path."""

    path: str
    a: str
    b: str


@dataclass(frozen=True)
class Side:
    """What one side of a comparison is: where it came from and how it was run."""

    label: str                 # what the user typed: a file or a run id
    name: str
    file: str
    sha256: str
    overrides: dict[str, Any]
    runs: int
    seed: int
    version: str
    partial: bool = False

    def to_json(self) -> dict:
        return {"label": self.label, "name": self.name, "file": self.file, "sha256": self.sha256,
                "overrides": self.overrides, "runs": self.runs, "seed": self.seed, "version": self.version,
                "partial": self.partial}


@dataclass(frozen=True)
class Comparison:
    a: Side
    b: Side
    paired: bool
    changes: tuple[Change, ...]
    outcomes: dict[str, Difference]
    metrics: dict[str, Difference]
    readiness: dict[str, dict[str, dict[str, Difference]]]   # unit -> level -> p_reached / p50_s
    notes: tuple[str, ...] = field(default_factory=tuple)

    @property
    def main(self) -> str:
        return main_outcome(self.outcomes)

    def to_json(self) -> dict:
        return {
            "schema": "sim.compare/1",
            "paired": self.paired,
            "a": self.a.to_json(),
            "b": self.b.to_json(),
            "changes": [{"path": c.path, "a": c.a, "b": c.b} for c in self.changes],
            "main_outcome": self.main,
            "outcomes": {k: d.to_json() for k, d in self.outcomes.items()},
            "metrics": {k: d.to_json() for k, d in self.metrics.items()},
            "readiness": {u: {lv: {k: d.to_json() for k, d in x.items()} for lv, x in levels.items()}
                          for u, levels in self.readiness.items()},
            "notes": list(self.notes),
        }


def _num(x) -> float | None:
    x = float(x)
    return x if math.isfinite(x) else None


def _float(x) -> float:
    return NAN if x is None else float(x)


# ---------------------------------------------------------------- what changed A -> B


def scenario_changes(a: BaseModel, b: BaseModel) -> list[Change]:
    """Every dotted path whose value differs between two validated scenarios, in document order."""
    return [Change(path, va, vb) for path, va, vb in _differ(_tree(a), _tree(b), ())]


_ABSENT = "(absent)"


def _differ(a, b, path):
    if isinstance(a, dict) and isinstance(b, dict):
        for key in list(a) + [k for k in b if k not in a]:
            yield from _differ(a.get(key, _ABSENT), b.get(key, _ABSENT), path + (str(key),))
    elif isinstance(a, list) and isinstance(b, list):
        for i in range(max(len(a), len(b))):
            yield from _differ(a[i] if i < len(a) else _ABSENT, b[i] if i < len(b) else _ABSENT, path + (str(i),))
    elif a != b:
        yield ".".join(path), _text(a), _text(b)


def _text(value) -> str:
    if isinstance(value, (dict, list)):
        return json.dumps(value, ensure_ascii=False)
    return str(value)


def _tree(value, kind=None):
    """A scenario as plain nested dicts and lists of text, quantities with their units.

    Written as the trainer writes them: distributions by ``str()``, quantities such as durations
    (stored as seconds) as ``3h``, so that the list of changes reads like the YAML.
    """
    from sim.scenario.distributions import Distribution, Fixed

    if isinstance(value, BaseModel):
        fields = type(value).model_fields
        return {name: _tree(getattr(value, name), _kind_of(f.annotation, f.metadata)) for name, f in fields.items()}
    if isinstance(value, Distribution):
        return str(value)
    if isinstance(value, dict):
        return {str(k): _tree(v, kind) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_tree(v, kind) for v in value]
    if isinstance(value, float) and kind is not None and math.isfinite(value):
        return str(Fixed(kind, value))
    if isinstance(value, bool) or value is None:
        return json.dumps(value)
    return value if isinstance(value, str) else f"{value:g}" if isinstance(value, float) else str(value)


def _quantity_kinds() -> dict:
    from sim.scenario import quantities as q
    from sim.scenario import types as t

    pairs = ((t.Duration, q.DURATION), (t.Distance, q.DISTANCE), (t.Speed, q.SPEED), (t.Angle, q.ANGLE),
             (t.Probability, q.FRACTION))
    return {typing.get_args(ann)[1].func: kind for ann, kind in pairs}


def _kind_of(annotation, metadata=()):
    """The quantity kind of a model field (durations, distances, ...), or None for anything else."""
    kinds = _quantity_kinds()
    for m in metadata:
        if getattr(m, "func", None) in kinds:
            return kinds[m.func]
    for arg in typing.get_args(annotation):  # Optional[...], list[...], Annotated[...]
        if getattr(arg, "func", None) in kinds:
            return kinds[arg.func]
        found = _kind_of(arg)
        if found is not None:
            return found
    return None


# ---------------------------------------------------------------- paired: common random numbers


def paired(ra: RunResult, rb: RunResult, label_a: str = "A", label_b: str = "B") -> Comparison:
    """Replication-by-replication differences of two runs made with the same seed and runs."""
    oa, ob = ra.outcomes, rb.outcomes
    if oa.runs != ob.runs or ra.info.seed != rb.info.seed:
        raise ValueError("paired comparison needs the same seed and number of replications on both sides")
    common = [t for t in oa.threat_names if t in ob.threat_names]
    notes = _only_in("threats", oa.threat_names, ob.threat_names)
    ia = [oa.threat_names.index(t) for t in common]
    ib = [ob.threat_names.index(t) for t in common]
    posts = [p for p in oa.post_names if p in ob.post_names]
    scopes = [("", ia, ib)] + ([(f"{t}.", [x], [y]) for t, x, y in zip(common, ia, ib)] if len(common) > 1 else [])

    outcomes: dict[str, Difference] = {}
    metrics: dict[str, Difference] = {}
    for prefix, ta, tb in scopes:
        pa, pb = _proportion_parts(oa, ta, posts), _proportion_parts(ob, tb, posts)
        for name in pa:
            outcomes[prefix + name] = _paired_ratio(*pa[name], *pb[name])
        if prefix == "" and len(common) > 1:
            outcomes["any_threat_leaked"] = _paired_ratio(*_any_leaked(oa, ta), *_any_leaked(ob, tb))
        for name, m in METRICS.items():
            metrics[prefix + name] = _paired_metric(_metric_rows(oa, ta, m), _metric_rows(ob, tb, m))

    readiness: dict[str, dict[str, dict[str, Difference]]] = {}
    notes += _only_in("units", oa.unit_names, ob.unit_names) + _only_in("alert levels", oa.level_names, ob.level_names)
    for unit in (u for u in oa.unit_names if u in ob.unit_names):
        ua, ub = oa.unit_names.index(unit), ob.unit_names.index(unit)
        readiness[unit] = {}
        for level in (lv for lv in oa.level_names if lv in ob.level_names):
            ta = oa.readiness[:, ua, oa.level_names.index(level)]
            tb = ob.readiness[:, ub, ob.level_names.index(level)]
            ones = np.ones(oa.runs)
            readiness[unit][level] = {
                "p_reached": _paired_ratio(np.isfinite(ta).astype(float), ones, np.isfinite(tb).astype(float), ones),
                "p50_s": _median_shift(ta, tb),
            }
    changes = tuple(scenario_changes(ra.scenario.scenario, rb.scenario.scenario)) if ra.scenario and rb.scenario else ()
    return Comparison(_side_of_run(ra, label_a), _side_of_run(rb, label_b), True, changes, outcomes, metrics,
                      readiness, tuple(notes))


def _only_in(what: str, a, b) -> list[str]:
    notes = []
    if [x for x in a if x not in b]:
        notes.append(f"{what} only in A (not compared): {', '.join(x for x in a if x not in b)}")
    if [x for x in b if x not in a]:
        notes.append(f"{what} only in B (not compared): {', '.join(x for x in b if x not in a)}")
    return notes


def _side_of_run(r: RunResult, label: str) -> Side:
    s = r.scenario
    return Side(label, str(s.scenario.name), str(s.file), str(s.sha256), dict(s.overrides), int(r.info.runs),
                int(r.info.seed), str(r.info.version), bool(r.info.partial))


def _proportion_parts(o: Outcomes, threats: list[int], posts: list[str]) -> dict[str, tuple[np.ndarray, np.ndarray]]:
    """Each outcome as (counted, among) per replication, summed over the given threats.

    The same outcomes, in the same order, as ``sim.analysis.summarize`` reports.
    """
    cols = [columns(o, i) for i in threats]
    runs = o.runs

    def per_run(rows) -> np.ndarray:
        return np.sum([r.astype(float) for r in rows], axis=0) if rows else np.zeros(runs)

    parts = {f: (per_run([c[f] == 1 for c in cols]), np.full(runs, float(len(cols)))) for f in THREAT_FLAGS}
    for name, (flag, given) in CONDITIONAL.items():
        parts[name] = (per_run([(c[flag] == 1) & (c[given] == 1) for c in cols]), per_run([c[given] == 1 for c in cols]))
    for post in posts:
        i = o.post_names.index(post)
        parts[f"decided_by_{post}"] = (per_run([(c["decided"] == 1) & (c["authority"] == i) for c in cols]),
                                       per_run([c["decided"] == 1 for c in cols]))
    return parts


def _any_leaked(o: Outcomes, threats: list[int]) -> tuple[np.ndarray, np.ndarray]:
    leaked = np.asarray(o.threats["leaked"], dtype=float)[:, threats]
    return (leaked.max(axis=1, initial=0) == 1).astype(float), np.ones(o.runs)


def _metric_rows(o: Outcomes, threats: list[int], m: Metric) -> np.ndarray:
    """The metric per replication and threat (runs x threats), NaN where it is undefined."""
    out = []
    for i in threats:
        c = columns(o, i)
        v = c[m.value] if isinstance(m.value, str) else c[m.value[1]] - c[m.value[0]]
        keep = np.isfinite(v)
        for flag in m.given:
            keep &= c[flag] == 1
        out.append(np.where(keep, v, NAN))
    return np.stack(out, axis=1) if out else np.zeros((o.runs, 0))


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


def _paired_ratio(ca, na, cb, nb) -> Difference:
    """B - A of two ratios measured on the same replications; the interval from the paired influences."""
    pa, za = _ratio(ca, na)
    pb, zb = _ratio(cb, nb)
    diff = pb - pa
    return Difference(pa, pb, diff, _normal_ci(diff, zb - za), int(na.sum()), int(nb.sum()), "paired (common random numbers)")


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
        return Difference(NAN, NAN, NAN, (NAN, NAN), 0, 0, "paired (common random numbers)")
    a, b = float(va[both].mean()), float(vb[both].mean())
    diff = b - a
    d = np.where(both, vb - va, 0.0).sum(axis=1)   # per replication: sum of differences, count of pairs
    k = both.sum(axis=1).astype(float)
    return Difference(a, b, diff, _normal_ci(diff, (d - diff * k) / k.mean()), pairs, pairs,
                      "paired (common random numbers)")


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


def unpaired(da: dict, db: dict, label_a: str = "A", label_b: str = "B", changes=()) -> Comparison:
    """Differences between two result documents (``sim.result/1``): independent samples.

    Proportions: Newcombe's hybrid score interval from the two Wilson intervals. Means: Welch's
    interval when both documents carry the spread (``spread`` of the run history); otherwise the
    difference alone. Medians of readiness: the difference alone (a result holds no spread for them).
    """
    notes = []
    oa, ob = da.get("outcomes", {}), db.get("outcomes", {})
    outcomes = {name: _newcombe(*_count_n(da, name), *_count_n(db, name)) for name in oa if name in ob}
    metrics = {}
    for name in (m for m in da.get("metrics", {}) if m in db.get("metrics", {})):
        metrics[name] = _welch(da["metrics"][name], _sd(da, name), db["metrics"][name], _sd(db, name))
    if not (_has_spread(da) and _has_spread(db)):
        notes.append("times: no interval, a result file holds no spread (runs from the history do)")
    readiness: dict = {}
    ra, rb = da.get("readiness", {}), db.get("readiness", {})
    runs_a, runs_b = int(da["run"]["runs"]), int(db["run"]["runs"])
    for unit in (u for u in ra if u in rb):
        readiness[unit] = {}
        for level in (lv for lv in ra[unit] if lv in rb[unit]):
            xa, xb = ra[unit][level], rb[unit][level]
            pa, pb = _float(xa.get("p_reached")), _float(xb.get("p_reached"))
            ma, mb = _float(xa.get("p50_s")), _float(xb.get("p50_s"))
            readiness[unit][level] = {
                "p_reached": _newcombe(_count(pa, runs_a), runs_a, _count(pb, runs_b), runs_b),
                "p50_s": Difference(ma, mb, mb - ma, (NAN, NAN), runs_a, runs_b, "difference of medians, no interval"),
            }
    return Comparison(_side_of_doc(da, label_a), _side_of_doc(db, label_b), False, tuple(changes), outcomes, metrics,
                      readiness, tuple(notes))


def _count(p: float, n: int) -> int:
    return int(round(p * n)) if p == p else 0


def _count_n(doc: dict, name: str) -> tuple[int, int]:
    """An outcome's count and the number of rows it counts among (``conditions`` of the result file)."""
    x = doc["outcomes"][name]
    count = int(x.get("count") or 0)
    n = doc.get("conditions", {}).get(name, {}).get("n")
    if n is None:
        p = x.get("p")
        n = round(count / p) if p else 0
    return count, int(n)


def _newcombe(ca: int, na: int, cb: int, nb: int) -> Difference:
    pa = ca / na if na else NAN
    pb = cb / nb if nb else NAN
    la, ua = wilson(ca, na)
    lb, ub = wilson(cb, nb)
    d = pb - pa
    lo = d - math.sqrt((pb - lb) ** 2 + (ua - pa) ** 2)
    hi = d + math.sqrt((ub - pb) ** 2 + (pa - la) ** 2)
    return Difference(pa, pb, d, (lo, hi), na, nb, "unpaired (Newcombe)")


def _has_spread(doc: dict) -> bool:
    return "spread" in doc or any("sd" in m for m in doc.get("metrics", {}).values())


def _sd(doc: dict, name: str) -> float:
    own = doc.get("metrics", {}).get(name, {}).get("sd")
    if own is None:
        own = doc.get("spread", {}).get(name, {}).get("sd")
    return _float(own)


def _welch(ma: dict, sa: float, mb: dict, sb: float) -> Difference:
    na, nb = int(ma.get("n") or 0), int(mb.get("n") or 0)
    a, b = _float(ma.get("mean")), _float(mb.get("mean"))
    d = b - a
    if not (na > 1 and nb > 1 and sa == sa and sb == sb):
        return Difference(a, b, d, (NAN, NAN), na, nb, "difference of means, no interval")
    va, vb = sa * sa / na, sb * sb / nb
    se = math.sqrt(va + vb)
    df = (va + vb) ** 2 / (va * va / (na - 1) + vb * vb / (nb - 1)) if va + vb > 0 else math.inf
    half = _t975(df) * se
    return Difference(a, b, d, (d - half, d + half), na, nb, "unpaired (Welch)")


def _t975(df: float) -> float:
    """Student's t 97.5% quantile: bisection on the distribution function, itself a Simpson integral."""
    if not math.isfinite(df) or df > 1e6:
        return Z95
    scale = math.exp(math.lgamma((df + 1) / 2) - math.lgamma(df / 2)) / math.sqrt(df * math.pi)

    def mass(t: float) -> float:   # P(0 < T < t)
        x = np.linspace(0.0, t, 2001)
        y = scale * (1 + x * x / df) ** (-(df + 1) / 2)
        return float((t / 6000) * (y[0] + y[-1] + 4 * y[1:-1:2].sum() + 2 * y[2:-1:2].sum()))

    lo, hi = Z95, 20.0 if df >= 2 else 100.0
    for _ in range(50):
        mid = (lo + hi) / 2
        lo, hi = (mid, hi) if mass(mid) < 0.475 else (lo, mid)
    return (lo + hi) / 2


def _side_of_doc(doc: dict, label: str) -> Side:
    s, r = doc.get("scenario", {}), doc.get("run", {})
    return Side(label, str(s.get("name", "")), str(s.get("file", "")), str(s.get("sha256", "")),
                dict(s.get("overrides") or {}), int(r.get("runs", 0)), int(r.get("seed", 0)), str(r.get("version", "")),
                bool(doc.get("partial", False)))


def metric_spread(result: RunResult) -> dict[str, dict[str, float | None]]:
    """Each metric's standard deviation, named as in the summary: what Welch's interval needs later."""
    o = result.outcomes
    names = tuple(o.threat_names)
    scopes = [("", list(range(len(names))))] + ([(f"{t}.", [i]) for i, t in enumerate(names)] if len(names) > 1 else [])
    out = {}
    for prefix, threats in scopes:
        for name, m in METRICS.items():
            v = _metric_rows(o, threats, m)
            v = v[np.isfinite(v)]
            out[prefix + name] = {"sd": _num(v.std(ddof=1)) if v.size > 1 else None}
    return out


# ---------------------------------------------------------------- from the command line


@dataclass(frozen=True)
class Finished:
    """A finished run from a result file or the history: its result document, and its scenario when known."""

    label: str
    doc: dict
    loaded: LoadedScenario | None


Progress = Callable[[int, int], None]


def read_input(arg: str, store, overrides=()) -> LoadedScenario | Finished:
    """A scenario file (with ``--set`` overrides), a result file (``--json`` of ``sim run``) or a run id."""
    path = Path(arg)
    if path.is_file():
        from sim.scenario.loader import read_text

        text = read_text(path)
        if text.lstrip().startswith("{"):
            if overrides:
                raise ScenarioError([Problem(arg, None, None, "", "--set-a/--set-b change scenarios, not result files")])
            return Finished(arg, _result_doc(arg, text), None)
        return load_scenario(path, overrides)
    if overrides:
        raise ScenarioError([Problem(arg, None, None, "", "--set-a/--set-b change scenario files, not stored runs")])
    if arg.isdigit():
        stored = store.get(int(arg))
        return Finished(f"run {stored.id}", stored.result, _reload(stored.text, stored.file, stored.overrides))
    return load_scenario(path)  # says "no such file"


def _result_doc(source: str, text: str) -> dict:
    try:
        doc = json.loads(text)
    except json.JSONDecodeError as exc:
        raise ScenarioError([Problem(source, exc.lineno, exc.colno, "", f"not valid JSON ({exc.msg})")]) from None
    if not isinstance(doc, dict) or not str(doc.get("schema", "")).startswith(RESULT_SCHEMA_PREFIX):
        raise ScenarioError([Problem(source, None, None, "schema", "not a result file (sim.result/1, from sim run --json)")])
    return doc


def _reload(text: str, source: str, overrides: dict) -> LoadedScenario | None:
    """The stored scenario validated again, to list what changed; None if this version no longer reads it.

    Override values go back as JSON, which YAML reads as the same value whatever it is.
    """
    try:
        return load_text(text, source, [f"{p}={json.dumps(v)}" for p, v in overrides.items()])
    except ScenarioError:
        return None


def compare_inputs(arg_a: str, arg_b: str, runs: int | None = None, seed: int | None = None, store=None,
                   workers: int | None = None, progress: Progress | None = None,
                   set_a=(), set_b=()) -> Comparison:
    """``sim compare A B``: paired when both are scenarios, unpaired when either is a finished run.

    Two scenarios run with A's seed and runs (or ``--seed``/``--runs``). A scenario against a
    finished run is run with that run's seed and runs, then compared unpaired. ``set_a``/``set_b``
    are ``--set`` overrides of either side, so a variant needs no copied file.
    """
    from sim.analysis import summarize
    from sim.runner import run as run_scenario

    a, b = read_input(arg_a, store, set_a), read_input(arg_b, store, set_b)

    def execute(loaded: LoadedScenario, n: int, s: int) -> RunResult:
        result = run_scenario(loaded, runs=n, seed=s, workers=workers, progress=progress)
        if result.info.partial:
            raise KeyboardInterrupt
        return result

    if isinstance(a, LoadedScenario) and isinstance(b, LoadedScenario):
        n = runs or a.scenario.runs
        s = a.scenario.seed if seed is None else seed
        label_a = " ".join([arg_a, *(f"--set-a {o}" for o in set_a)])
        label_b = " ".join([arg_b, *(f"--set-b {o}" for o in set_b)])
        return paired(execute(a, n, s), execute(b, n, s), label_a, label_b)

    def finished(side, other) -> Finished:
        if isinstance(side, Finished):
            return side
        ref = other.doc["run"]
        n, s = runs or int(ref["runs"]), int(ref["seed"]) if seed is None else seed
        return Finished(side.file, summarize(execute(side, n, s)).to_result_json(), side)

    fa, fb = finished(a, b), finished(b, a)
    la, lb = fa.loaded or _from_file(fa.doc), fb.loaded or _from_file(fb.doc)
    changes = scenario_changes(la.scenario, lb.scenario) if la and lb else _override_changes(fa.doc, fb.doc)
    c = unpaired(fa.doc, fb.doc, fa.label, fb.label, changes)
    if not (la and lb):
        c = _with_note(c, "scenario text not at hand for both sides: only the overrides are listed as changes")
    return c


def _from_file(doc: dict) -> LoadedScenario | None:
    """A result file's scenario, if the file it names is still there unchanged (same sha256)."""
    s = doc.get("scenario", {})
    try:
        loaded = load_scenario(s.get("file", ""), [])
    except (ScenarioError, OSError):
        return None
    if loaded.sha256 != s.get("sha256"):
        return None
    return _reload(loaded.text, loaded.file, s.get("overrides") or {})


def _override_changes(da: dict, db: dict) -> list[Change]:
    oa, ob = da.get("scenario", {}).get("overrides") or {}, db.get("scenario", {}).get("overrides") or {}
    return [Change(p, _text(oa.get(p, _ABSENT)), _text(ob.get(p, _ABSENT)))
            for p in list(oa) + [k for k in ob if k not in oa] if oa.get(p, _ABSENT) != ob.get(p, _ABSENT)]


def _with_note(c: Comparison, note: str) -> Comparison:
    from dataclasses import replace

    return replace(c, notes=c.notes + (note,))
