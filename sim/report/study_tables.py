"""Compare and sweep results as long tidy tables: one row per measure (and per sweep point).

A row says which scope (``all`` threats pooled, or one threat, or a unit for readiness), which
measure (an outcome such as ``intercepted``, a metric such as ``time_to_decision_s``, ``decided_by:POST``,
``cause:KEY``, ``undecided_at:POST``
or ``LEVEL:p_reached``), and its numbers. Long rather than wide, so that a new measure is a new row
and not a new column a script must learn; ``pivot`` makes it wide again in one line.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import numpy as np

from sim.analysis import (
    Comparison,
    Difference,
    Proportion,
    Scope,
    ScopeDifference,
    Stats,
    Summary,
)
from sim.report.tables import OVERRIDE_PREFIX, Column, Table

if TYPE_CHECKING:
    from sim.study.sweep import SweepResult

POOLED = "all"
NAN = float("nan")


@dataclass
class _Rows:
    """Rows collected column by column; ``text`` columns become categories, the rest numbers."""

    text: dict[str, list[str]] = field(default_factory=dict)
    numbers: dict[str, list[float]] = field(default_factory=dict)
    ints: dict[str, list[int]] = field(default_factory=dict)
    flags: dict[str, list[bool]] = field(default_factory=dict)

    def add(self, **cells: Any) -> None:
        for store in (self.text, self.numbers, self.ints, self.flags):
            for name in store:
                store[name].append(cells[name])

    def table(self, order: list[str], fixed: dict[str, tuple[str, ...]] | None = None) -> Table:
        """The columns in ``order``; ``fixed`` gives a text column its categories in their own order."""
        fixed = fixed or {}
        cols = []
        for name in order:
            if name in self.text:
                values = self.text[name]
                cats = fixed.get(name) or tuple(dict.fromkeys(v for v in values if v != ""))
                codes = np.array([cats.index(v) if v != "" else -1 for v in values], dtype=np.int64)
                cols.append(Column(name, "category", codes, tuple(cats), ordered=name in fixed))
            elif name in self.numbers:
                cols.append(Column(name, "float", np.array(self.numbers[name], dtype=float)))
            elif name in self.ints:
                cols.append(Column(name, "int", np.array(self.ints[name], dtype=np.int64)))
            else:
                cols.append(Column(name, "bool", np.array(self.flags[name], dtype=bool)))
        return Table(tuple(cols))


# ---------------------------------------------------------------- one run's statistics (a sweep point)

SUMMARY_COLUMNS = ["scope", "measure", "count", "n", "p", "ci95_lo", "ci95_hi", "mean", "p50", "p90"]


def _proportion(p: Proportion) -> dict[str, Any]:
    lo, hi = p.ci95 if p.n else (NAN, NAN)
    return {"count": p.count, "n": p.n, "p": p.p, "ci95_lo": lo, "ci95_hi": hi, "mean": NAN, "p50": NAN, "p90": NAN}


def _stats(s: Stats) -> dict[str, Any]:
    return {
        "count": s.n,
        "n": s.n,
        "p": NAN,
        "ci95_lo": NAN,
        "ci95_hi": NAN,
        "mean": s.mean,
        "p50": s.p50,
        "p90": s.p90,
    }


def summary_rows(summary: Summary) -> list[dict[str, Any]]:
    """Every outcome, metric, decider share, leak cause, post awaited and readiness level of a run, one per row."""
    out: list[dict[str, Any]] = []

    def scope(name: str, sc: Scope) -> None:
        out.extend({"scope": name, "measure": k, **_proportion(v)} for k, v in sc.outcomes.items())
        out.extend({"scope": name, "measure": f"decided_by:{k}", **_proportion(v)} for k, v in sc.decided_by.items())
        out.extend({"scope": name, "measure": k, **_stats(v)} for k, v in sc.metrics.items())
        out.extend({"scope": name, "measure": f"cause:{k}", **_proportion(v)} for k, v in sc.causes.items())
        out.extend(
            {"scope": name, "measure": f"undecided_at:{k}", **_proportion(v)} for k, v in sc.undecided_at.items()
        )

    scope(POOLED, summary.pooled)
    if summary.any_threat_leaked is not None:
        out.append({"scope": POOLED, "measure": "any_threat_leaked", **_proportion(summary.any_threat_leaked)})
    for name, sc in summary.threats.items():
        scope(name, sc)
    for unit, levels in summary.readiness.items():
        for level, x in levels.items():
            row = _proportion(x.reached)
            row.update(p50=x.p50_s, p90=x.p90_s)
            out.append({"scope": unit, "measure": f"{level}:reached", **row})
    return out


def sweep_table(result: SweepResult) -> Table:
    """Every finished point of a sweep: its place in the grid (``set:PATH`` columns), its run id, then its rows."""
    rows = _Rows()
    axes = result.plan.axes
    keys = [OVERRIDE_PREFIX + a.path for a in axes]
    for k in keys:
        rows.text[k] = []
    rows.ints.update(point=[], run_id=[], runs=[], seed=[])
    rows.flags["reused"] = []
    rows.text.update(scope=[], measure=[])
    rows.numbers.update({c: [] for c in SUMMARY_COLUMNS[4:]})
    rows.ints.update(count=[], n=[])
    for n, r in enumerate(result.results):
        settings = {OVERRIDE_PREFIX + path: value for path, value in r.point.settings}
        for cells in summary_rows(r.summary):
            rows.add(
                point=n,
                run_id=-1 if r.run_id is None else r.run_id,
                runs=r.summary.run.runs,
                seed=r.summary.run.seed,
                reused=r.reused,
                **settings,
                **cells,
            )
    fixed = {OVERRIDE_PREFIX + a.path: tuple(a.values) for a in axes}
    order = ["point", *keys, "run_id", "reused", "runs", "seed", *SUMMARY_COLUMNS]
    return rows.table(order, fixed)


# ---------------------------------------------------------------- a comparison: B - A

COMPARE_COLUMNS = ["scope", "measure", "a", "b", "diff", "ci95_lo", "ci95_hi", "significant", "n_a", "n_b", "method"]


def compare_table(c: Comparison) -> Table:
    """Every difference B - A of a comparison, one row each, with both values and the 95% interval."""
    rows = _Rows()
    rows.text.update(scope=[], measure=[], method=[])
    rows.numbers.update(a=[], b=[], diff=[], ci95_lo=[], ci95_hi=[])
    rows.ints.update(n_a=[], n_b=[])
    rows.flags["significant"] = []

    def add(scope: str, measure: str, d: Difference) -> None:
        rows.add(
            scope=scope,
            measure=measure,
            a=d.a,
            b=d.b,
            diff=d.diff,
            ci95_lo=d.ci95[0],
            ci95_hi=d.ci95[1],
            significant=d.significant,
            n_a=d.n_a,
            n_b=d.n_b,
            method=d.method,
        )

    def scope(name: str, sd: ScopeDifference) -> None:
        for k, d in sd.outcomes.items():
            add(name, k, d)
        for k, d in sd.decided_by.items():
            add(name, f"decided_by:{k}", d)
        for k, d in sd.metrics.items():
            add(name, k, d)

    scope(POOLED, c.pooled)
    if c.any_threat_leaked is not None:
        add(POOLED, "any_threat_leaked", c.any_threat_leaked)
    for name, sd in c.threats.items():
        scope(name, sd)
    for unit, levels in c.readiness.items():
        for level, ld in levels.items():
            add(unit, f"{level}:p_reached", ld.p_reached)
            add(unit, f"{level}:p50_s", ld.p50_s)
    return rows.table(COMPARE_COLUMNS)
