"""The result file (``--json``), both directions, lossless: a :class:`Summary` to a document and back.

``sim.result/2`` (documented in docs/result-file.md, JSON Schema in docs/result.schema.json) names
the threats, units, levels and posts explicitly, gives every threat its own object, and carries
with each number what it counts among. ``sim.result/1`` files (0.1.0) are still read.

A document that is not a result file is bad input: :class:`ResultFileError` says where and why.
"""

from __future__ import annotations

import json
from typing import Any

from sim.analysis.measures import METRICS, OUTCOMES, TO_DECISION
from sim.analysis.stats import Proportion, Stats
from sim.analysis.summary import (
    POOLED_ROWS,
    TO_DECISION_AMONG,
    ChainStep,
    LevelReached,
    Names,
    ScenarioInfo,
    Scope,
    Summary,
)
from sim.numbers import from_json, json_number
from sim.results import RunInfo

SCHEMA = "sim.result/2"
READABLE = ("sim.result/1", "sim.result/2")


class ResultFileError(ValueError):
    """A document that is not a readable result file; ``path`` names the offending part."""

    def __init__(self, path: str, message: str):
        super().__init__(f"{path}: {message}" if path else message)
        self.path, self.message = path, message


# ---------------------------------------------------------------- Summary -> document


def to_document(summary: Summary) -> dict[str, Any]:
    """The ``sim.result/2`` document of a summary: plain JSON types, no NaN (null instead)."""
    s, r, n = summary.scenario, summary.run, summary.names
    return {
        "schema": SCHEMA,
        "scenario": {"name": s.name, "file": s.file, "sha256": s.sha256, "overrides": _plain(s.overrides)},
        "run": {
            "runs": int(r.runs),
            "seed": int(r.seed),
            "version": str(r.version),
            "block_size": int(r.block_size),
            "workers": int(r.workers),
            "wall_s": json_number(r.wall_s),
            "executor": r.executor,
            "requested_runs": int(r.requested_runs),
            "partial": bool(r.partial),
            **({} if r.quantile_error is None else {"quantile_error": float(r.quantile_error)}),
        },
        "names": {"threats": list(n.threats), "units": list(n.units), "levels": list(n.levels), "posts": list(n.posts)},
        **_scope_json(summary.pooled),
        "any_threat_leaked": None if summary.any_threat_leaked is None else _proportion(summary.any_threat_leaked),
        "threats": {t: _scope_json(scope) for t, scope in summary.threats.items()},
        "why_it_leaked": summary.why_it_leaked,
        "readiness": {
            u: {
                lv: {
                    "p_reached": json_number(x.reached.p),
                    "n": x.reached.n,
                    "reached": x.reached.count,
                    "p50_s": json_number(x.p50_s),
                    "p90_s": json_number(x.p90_s),
                }
                for lv, x in levels.items()
            }
            for u, levels in summary.readiness.items()
        },
        "largest_step": {name: _proportion(p) for name, p in summary.largest_step.items()},
        "what_ate_the_margin": summary.what_ate_the_margin,
    }


def to_text(summary: Summary) -> str:
    """The result document as text: indent 2, keys in the summary's fixed order."""
    return json.dumps(to_document(summary), indent=2, ensure_ascii=False, allow_nan=False) + "\n"


def _scope_json(scope: Scope) -> dict[str, Any]:
    return {
        "outcomes": {k: _proportion(p) for k, p in scope.outcomes.items()},
        "decided_by": {k: _proportion(p) for k, p in scope.decided_by.items()},
        "metrics": {k: _stats(v) for k, v in scope.metrics.items()},
        "causes": {k: _proportion(p) for k, p in scope.causes.items()},
        "chain": {name: _step(step) for name, step in scope.chain.items()},
        "undecided_at": {k: _proportion(p) for k, p in scope.undecided_at.items()},
    }


def _proportion(p: Proportion) -> dict[str, Any]:
    lo, hi = p.ci95
    out = {
        "count": p.count,
        "n": p.n,
        "p": json_number(p.p),
        "ci95": [json_number(lo), json_number(hi)],
        "among": p.among,
    }
    if p.n_eff is not None:
        out["n_eff"] = p.n_eff
    return out


def _stats(s: Stats) -> dict[str, Any]:
    return {
        "n": s.n,
        "mean": json_number(s.mean),
        "sd": json_number(s.sd),
        "p50": json_number(s.p50),
        "p90": json_number(s.p90),
        "min": json_number(s.min),
        "max": json_number(s.max),
        "among": s.among,
    }


def _step(step: ChainStep) -> dict[str, Any]:
    """A chain step: the contract's mean_s, p50_s, p90_s and share first, then the rest of its statistics."""
    st = step.stats
    return {
        "mean_s": json_number(st.mean),
        "p50_s": json_number(st.p50),
        "p90_s": json_number(st.p90),
        "share": json_number(step.share),
        "n": st.n,
        "sd_s": json_number(st.sd),
        "min_s": json_number(st.min),
        "max_s": json_number(st.max),
        "among": st.among,
        "before_decision": step.before_decision,
    }


def _plain(value: Any) -> Any:
    """Override values as plain JSON (they come from YAML: str, numbers, bools, lists, maps)."""
    if isinstance(value, dict):
        return {str(k): _plain(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_plain(v) for v in value]
    if isinstance(value, float):
        return json_number(value)
    return value


# ---------------------------------------------------------------- document -> Summary


def from_document(doc: Any) -> Summary:
    """A summary read back from a result document (``/2`` or ``/1``); ResultFileError if it is not one."""
    d = _Reader(doc, "")
    schema = d.text("schema")
    if schema not in READABLE:
        raise ResultFileError("schema", f"'{schema}' is not a result file this version reads ({', '.join(READABLE)})")
    return _read_v2(d) if schema == SCHEMA else _read_v1(d)


def from_text(text: str) -> Summary:
    try:
        doc = json.loads(text)
    except json.JSONDecodeError as exc:
        raise ResultFileError("", f"not valid JSON (line {exc.lineno} column {exc.colno}: {exc.msg})") from None
    return from_document(doc)


class _Reader:
    """Typed access to a JSON object, naming the dotted path of whatever is missing or of the wrong type."""

    def __init__(self, value: Any, path: str):
        if not isinstance(value, dict):
            raise ResultFileError(path, f"expected an object, got {type(value).__name__}")
        self.value, self.path = value, path

    def _at(self, key: str) -> str:
        return f"{self.path}.{key}" if self.path else key

    def get(self, key: str, default: Any = ...) -> Any:
        if key not in self.value:
            if default is ...:
                raise ResultFileError(self._at(key), "missing")
            return default
        return self.value[key]

    def obj(self, key: str, default: Any = ...) -> _Reader:
        return _Reader(self.get(key, default), self._at(key))

    def items(self) -> list[tuple[str, _Reader]]:
        return [(str(k), _Reader(v, self._at(str(k)))) for k, v in self.value.items()]

    def text(self, key: str, default: Any = ...) -> str:
        v = self.get(key, default)
        if not isinstance(v, str):
            raise ResultFileError(self._at(key), f"expected text, got {type(v).__name__}")
        return v

    def whole(self, key: str, default: Any = ..., minimum: int = 0) -> int:
        v = self.get(key, default)
        if isinstance(v, bool) or not isinstance(v, int) or v < minimum:
            raise ResultFileError(self._at(key), f"expected a whole number >= {minimum}, got {v!r}")
        return v

    def number(self, key: str) -> float:
        v = self.get(key, None)
        if v is not None and (isinstance(v, bool) or not isinstance(v, (int, float))):
            raise ResultFileError(self._at(key), f"expected a number or null, got {v!r}")
        return from_json(v)

    def names(self, key: str) -> tuple[str, ...]:
        v = self.get(key)
        if not isinstance(v, list) or not all(isinstance(x, str) for x in v):
            raise ResultFileError(self._at(key), "expected a list of names")
        return tuple(v)


def _run_info(d: _Reader, top: _Reader) -> RunInfo:
    runs = d.whole("runs")
    return RunInfo(
        runs=runs,
        requested_runs=d.whole("requested_runs", top.get("requested_runs", runs)),
        seed=d.whole("seed"),
        version=d.text("version"),
        block_size=d.whole("block_size", 100),
        workers=d.whole("workers", 1),
        executor=d.text("executor", top.get("executor", "local")),
        wall_s=d.number("wall_s"),
        partial=bool(d.get("partial", top.get("partial", False))),
        quantile_error=d.number("quantile_error") if d.get("quantile_error", None) is not None else None,
    )


def _scenario(d: _Reader) -> ScenarioInfo:
    overrides = d.get("overrides", {})
    if not isinstance(overrides, dict):
        raise ResultFileError(f"{d.path}.overrides", "expected an object")
    return ScenarioInfo(d.text("name"), d.text("file"), d.text("sha256"), dict(overrides))


def _read_proportion(d: _Reader, among: str = "", n: int | None = None) -> Proportion:
    count = d.whole("count")
    d.number("p")  # redundant with count / n, but a file that says "high" is not a result
    if n is None:
        if "n" in d.value:
            n = d.whole("n")
        else:  # /1 without a condition: n from p
            p = d.number("p")
            n = round(count / p) if p == p and p > 0 else count
    if count > n:
        raise ResultFileError(d.path, f"count {count} is more than the {n} rows it counts among")
    n_eff = d.value.get("n_eff")
    if n_eff is not None and (isinstance(n_eff, bool) or not isinstance(n_eff, (int, float)) or not 0 < n_eff <= n):
        raise ResultFileError(f"{d.path}.n_eff", f"expected a number in (0, n], got {n_eff!r}")
    return Proportion(count, n, d.text("among", among), None if n_eff is None else float(n_eff))


def _read_stats(d: _Reader, among: str = "", sd: float | None = None) -> Stats:
    return Stats(
        d.whole("n"),
        d.number("mean"),
        d.number("sd") if sd is None else sd,
        d.number("p50"),
        d.number("p90"),
        d.number("min"),
        d.number("max"),
        d.text("among", among),
    )


def _read_scope(d: _Reader) -> Scope:
    return Scope(
        {k: _read_proportion(v) for k, v in d.obj("outcomes").items()},
        {k: _read_proportion(v) for k, v in d.obj("decided_by").items()},
        {k: _read_stats(v) for k, v in d.obj("metrics").items()},
        {k: _read_proportion(v) for k, v in d.obj("causes", {}).items()},
        _read_chain(d.obj("chain", {})),
        {k: _read_proportion(v) for k, v in d.obj("undecided_at", {}).items()},
    )


def _read_readiness(d: _Reader, runs: int) -> dict[str, dict[str, LevelReached]]:
    out: dict[str, dict[str, LevelReached]] = {}
    for unit, levels in d.items():
        out[unit] = {}
        for level, x in levels.items():
            p = x.number("p_reached")
            reached = x.whole("reached") if "reached" in x.value else (round(p * runs) if p == p else 0)
            out[unit][level] = LevelReached(
                Proportion(reached, x.whole("n", runs), "runs"), x.number("p50_s"), x.number("p90_s")
            )
    return out


def _read_chain(d: _Reader) -> dict[str, ChainStep]:
    return {
        name: ChainStep(
            name,
            bool(x.get("before_decision", name in TO_DECISION)),
            Stats(
                x.whole("n", 0),
                x.number("mean_s"),
                x.number("sd_s"),
                x.number("p50_s"),
                x.number("p90_s"),
                x.number("min_s"),
                x.number("max_s"),
                x.text("among", ""),
            ),
            x.number("share"),
        )
        for name, x in d.items()
    }


def _read_v2(d: _Reader) -> Summary:
    scenario = _scenario(d.obj("scenario"))
    run = _run_info(d.obj("run"), d)
    names = d.obj("names")
    n = Names(names.names("threats"), names.names("units"), names.names("levels"), names.names("posts"))
    threats = {t: _read_scope(x) for t, x in d.obj("threats").items()}
    if tuple(threats) != n.threats:
        raise ResultFileError("threats", f"expected one object for each of names.threats {list(n.threats)}")
    leaked = d.get("any_threat_leaked", None)
    pooled = _read_scope(d)
    return Summary(
        scenario=scenario,
        run=run,
        names=n,
        pooled=pooled,
        threats=threats,
        any_threat_leaked=None if leaked is None else _read_proportion(_Reader(leaked, "any_threat_leaked")),
        readiness=_read_readiness(d.obj("readiness"), run.runs),
        chain=pooled.chain,
        largest_step={k: _read_proportion(v) for k, v in d.obj("largest_step").items()},
        what_ate_the_margin=d.text("what_ate_the_margin", ""),
        why_it_leaked=d.text("why_it_leaked", ""),
    )


def _read_v1(d: _Reader) -> Summary:
    """A 0.1.0 result file. Its outcome keys carry the threat as a prefix (``stray.intercepted``) and
    the post as a suffix (``decided_by_district_hq``); they are matched against the known outcome and
    metric names, whole, so a threat named ``stray.a`` is read right."""
    scenario = _scenario(d.obj("scenario"))
    run = _run_info(d.obj("run"), d)
    conditions = d.get("conditions", {})
    spread = d.get("spread", {})
    outcomes, metrics = d.obj("outcomes"), d.obj("metrics")
    known = {o.name for o in OUTCOMES}
    posts = [k.removeprefix("decided_by_") for k in outcomes.value if k.startswith("decided_by_")]
    threat_names = list(
        dict.fromkeys(
            k[: -len(o) - 1] for k in outcomes.value for o in known if k.endswith("." + o) and k[: -len(o) - 1]
        )
    )

    def scope(prefix: str, rows: str) -> Scope:
        def prop(key: str, among: str) -> Proportion:
            c = conditions.get(prefix + key, {}) if isinstance(conditions, dict) else {}
            return _read_proportion(outcomes.obj(prefix + key), c.get("among", among), c.get("n"))

        outs = {
            o.name: prop(o.name, rows if o.given is None else f"{o.given} {rows}")
            for o in OUTCOMES
            if prefix + o.name in outcomes.value
        }
        by = {
            p: prop(f"decided_by_{p}", f"decided {rows}") for p in posts if f"{prefix}decided_by_{p}" in outcomes.value
        }
        mets = {}
        for m in METRICS:
            if prefix + m.name in metrics.value:
                sd = spread.get(prefix + m.name, {}).get("sd") if isinstance(spread, dict) else None
                mets[m.name] = _read_stats(metrics.obj(prefix + m.name), m.among, from_json(sd))
        return Scope(outs, by, mets, {}, _read_chain(d.obj("chain")) if prefix == "" else {})

    pooled = scope("", POOLED_ROWS)
    if threat_names:
        threats = {t: scope(f"{t}.", f"runs ({t})") for t in threat_names}
    elif pooled.outcomes.get("threatened", Proportion(0, 0, "")).n:  # one threat, whose name /1 did not keep
        threats = {"threat": pooled}
    else:
        threats = {}
    readiness = _read_readiness(d.obj("readiness"), run.runs)
    units = tuple(readiness)
    levels = tuple(next(iter(readiness.values()), {}))
    leaked = outcomes.value.get("any_threat_leaked")
    largest = d.obj("largest_step", {})
    n_largest = conditions.get("largest_step", {}).get("n") if isinstance(conditions, dict) else None
    return Summary(
        scenario=scenario,
        run=run,
        names=Names(tuple(threats), units, levels, tuple(posts)),
        pooled=pooled,
        threats=threats,
        any_threat_leaked=None
        if leaked is None
        else _read_proportion(outcomes.obj("any_threat_leaked"), "runs", run.runs),
        readiness=readiness,
        chain=pooled.chain,
        largest_step={k: _read_proportion(v, TO_DECISION_AMONG, n_largest) for k, v in largest.items()},
        what_ate_the_margin=d.text("what_ate_the_margin", ""),
        why_it_leaked="",
    )
