"""What the API hands back: a run (:class:`Result`), a comparison (:class:`Compared`), a sweep (:class:`Swept`).

Each is a thin view over the pipeline's own plain data (``RunResult`` and ``Summary``, ``Comparison``,
``SweepResult``): the tables come from :mod:`sim.report.tables`, the JSON from the result contract.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from sim.analysis import Comparison, Summary, to_text
from sim.results import RunResult

if TYPE_CHECKING:
    import pandas as pd

    from sim.study import Study
    from sim.study.sweep import Sensitivity, SweepResult


class NoRows(LookupError):
    """A result read back from a file or the history keeps its statistics, not its rows."""


@dataclass(frozen=True)
class Result:
    """A run: its summary always; its rows (threats, readiness) when it was run here rather than loaded."""

    _summary: Summary
    _result: RunResult | None = None
    _study: Study | None = None
    run_id: int | None = None

    @property
    def runs(self) -> int:
        return int(self._summary.run.runs)

    @property
    def seed(self) -> int:
        return int(self._summary.run.seed)

    @property
    def partial(self) -> bool:
        return self._summary.partial

    def summary(self) -> Summary:
        """The typed statistics (sim.analysis.Summary): ``.pooled.outcomes["intercepted"].p`` and so on."""
        return self._summary

    def _rows(self) -> RunResult:
        if self._result is None:
            raise NoRows(
                "this result was loaded from a result file or the history, which keep the statistics "
                "but not the rows: run the scenario again with sim.run(...) for threats() and readiness()"
            )
        return self._result

    def threats(self) -> pd.DataFrame:
        """One row per replication and threat: the values of ``sim run --csv``, typed (categoricals, booleans)."""
        from sim.report.frames import to_frame
        from sim.report.tables import threat_table

        return to_frame(threat_table(self._rows()))

    def readiness(self) -> pd.DataFrame:
        """One row per replication, unit and alert level: ``reached`` and ``reached_s`` (seconds from the start)."""
        from sim.report.frames import to_frame
        from sim.report.tables import readiness_table

        return to_frame(readiness_table(self._rows()))

    def story(self, replication: int = 0) -> pd.DataFrame:
        """Replication ``replication``'s events in order (t in seconds, actor, event, detail): the story a debrief tells."""
        from sim.report.frames import _import
        from sim.study import story

        if self._study is None:
            raise NoRows("the story of a replication needs the scenario: run it with sim.run(...)")
        pd = _import("pandas")
        events, _ = story(self._study, replication)
        return pd.DataFrame(
            {
                "t": [e.t for e in events],
                "actor": [e.actor for e in events],
                "event": [e.event for e in events],
                "detail": [e.detail for e in events],
            }
        )

    def to_json(self) -> str:
        """The result file (``sim.result/2``) as text: what ``sim run --json`` writes."""
        return to_text(self._summary)

    def to_csv(self, path: str | Path) -> Path:
        from sim.report.export import write_csv

        return write_csv(self._rows(), path)

    def to_parquet(self, path: str | Path) -> Path:
        from sim.report.export import write_parquet

        return write_parquet(self._rows(), path)

    def __repr__(self) -> str:
        s = self._summary
        main = s.main_outcome
        p = s.pooled.outcomes[main]
        lo, hi = p.ci95
        kept = f", run {self.run_id}" if self.run_id is not None else ""
        return (
            f"<sim.Result {s.scenario.name}: {s.run.runs} runs, seed {s.run.seed}{kept}; "
            f"{main} {100 * p.p:.1f}% (95% CI {100 * lo:.1f}-{100 * hi:.1f}%)>"
        )


@dataclass(frozen=True)
class Compared:
    """B against A: every difference B - A with its 95% interval (sim.analysis.Comparison)."""

    comparison: Comparison

    def table(self) -> pd.DataFrame:
        """One row per measure: scope, measure, a, b, diff, ci95_lo, ci95_hi, significant, n_a, n_b, method."""
        from sim.report.frames import to_frame
        from sim.report.study_tables import compare_table

        return to_frame(compare_table(self.comparison))

    def to_json(self) -> str:
        from sim.report.compare_report import comparison_json_text

        return comparison_json_text(self.comparison)

    def __repr__(self) -> str:
        c = self.comparison
        d = c.pooled.outcomes[c.main]
        how = "paired" if c.paired else "unpaired"
        return (
            f"<sim.Compared {how}: {c.main} B - A = {100 * d.diff:+.1f} points (95% CI {100 * d.ci95[0]:+.1f} to "
            f"{100 * d.ci95[1]:+.1f})>"
        )


@dataclass(frozen=True)
class Swept:
    """A sweep: every point's summary, in grid order, and the one-at-a-time sensitivity of the main outcome."""

    sweep: SweepResult

    @property
    def complete(self) -> bool:
        return self.sweep.complete

    def summaries(self) -> dict[str, Summary]:
        """Each point's summary by its label (``units.0.crew.travel=3h, alert_orders.0.delay=1h``)."""
        return {r.point.label: r.summary for r in self.sweep.results}

    def table(self) -> pd.DataFrame:
        """One row per point and measure, the point's settings in ``set:PATH`` columns (ordered categoricals)."""
        from sim.report.frames import to_frame
        from sim.report.study_tables import sweep_table

        return to_frame(sweep_table(self.sweep))

    def sensitivity(self) -> list[Sensitivity]:
        return self.sweep.sensitivity()

    def to_json(self) -> str:
        from sim.report.sweep_report import sweep_json_text

        return sweep_json_text(self.sweep)

    def __repr__(self) -> str:
        s = self.sweep
        done = f"{len(s.results)} of {len(s.plan.points)} points"
        return f"<sim.Swept {done}, {s.plan.runs} runs each, seed {s.plan.seed}>"


def as_text(value: Any) -> str:
    """A Python value as the YAML text ``--set`` takes: text as it is, anything else as JSON (which YAML reads)."""
    import json

    return value if isinstance(value, str) else json.dumps(value)
