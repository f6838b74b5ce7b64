"""The result file (``--json``), both directions, lossless: a :class:`Summary` to a document and back.

``sim.result/2`` (documented in docs/result-file.md, JSON Schema in docs/result.schema.json) names
the threats, units, levels and posts explicitly, gives every threat its own object, and carries
with each number what it counts among. ``sim.result/1`` files (0.1.0) are still read
(:mod:`sim.analysis.result_v1`; the ``/2`` reader is :mod:`sim.analysis.result_reader`).

A document that is not a result file is bad input: :class:`ResultFileError` says where and why.
"""

from __future__ import annotations

import json
from typing import Any

from sim.analysis.result_reader import Reader, ResultFileError, read_v2
from sim.analysis.result_v1 import read_v1
from sim.analysis.stats import Proportion, Stats
from sim.analysis.summary import ChainStep, Scope, Summary
from sim.numbers import json_number

SCHEMA = "sim.result/2"
READABLE = ("sim.result/1", "sim.result/2")


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
    d = Reader(doc, "")
    schema = d.text("schema")
    if schema not in READABLE:
        raise ResultFileError("schema", f"'{schema}' is not a result file this version reads ({', '.join(READABLE)})")
    return read_v2(d) if schema == SCHEMA else read_v1(d)


def from_text(text: str) -> Summary:
    try:
        doc = json.loads(text)
    except json.JSONDecodeError as exc:
        raise ResultFileError("", f"not valid JSON (line {exc.lineno} column {exc.colno}: {exc.msg})") from None
    return from_document(doc)
