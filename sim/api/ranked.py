"""What ``sim.sensitivity`` hands back: the assumptions ranked (:class:`Ranked`), a view over the study's result.

The ranking table holds the very values of ``sim sensitivity --json`` (it is built from that document);
the points table holds every point run, the assumptions' values and each measure there, for an analyst
who wants to look past the indices (a scatter of the measure against one assumption, say).
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from functools import cached_property
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    import pandas as pd

    from sim.analysis.summary import Summary
    from sim.report.sensitivity_report import Ranking
    from sim.study.sensitivity import SensitivityResult


@dataclass(frozen=True)
class Ranked:
    """A sensitivity study: every declared assumption ranked by how far it moves each measure."""

    result: SensitivityResult

    @property
    def complete(self) -> bool:
        """False when interrupted: the finished points are in the store, the ranking needs them all."""
        return self.result.complete

    @property
    def method(self) -> str:
        return self.result.plan.method

    @cached_property
    def _rankings(self) -> list[Ranking]:
        from sim.report.sensitivity_report import rankings

        if not self.complete:
            raise RuntimeError(
                f"interrupted: {len(self.result.summaries)} of {len(self.result.plan.scenarios)} points ran; "
                "run the same call again with the same store to finish"
            )
        return rankings(self.result)

    def _document(self) -> dict[str, Any]:
        from sim.report.sensitivity_report import to_json

        return to_json(self.result, self._rankings)

    def sentences(self) -> list[str]:
        """One per measure: "intercepted | threatened rests mostly on A, B and C; D to K change it by less ..."."""
        return [r.sentence() for r in self._rankings]

    def table(self) -> pd.DataFrame:
        """One row per measure and assumption, most influential first: the ``ranked`` rows of ``--json``.

        Morris: ``mu_star``, ``mu_star_conf``, ``sigma``; Sobol: ``ST``, ``ST_conf``, ``S1``, ``S1_conf``;
        both: ``change`` (how far it moves the measure, in the measure's units) and ``matters`` (more than
        the measure's own 95% interval at the file's values).
        """
        from sim.report.frames import _import

        pd = _import("pandas")
        doc = self._document()
        ranges = {a["path"]: a["range"] for a in doc["assumptions"]}
        rows = []
        for m in doc["measures"]:
            for rank, r in enumerate(m["ranked"], start=1):
                rows.append({"measure": m["measure"], "rank": rank, "path": r["path"], "range": ranges[r["path"]]} | r)
        frame = pd.DataFrame(rows)
        for col in ("measure", "path", "range"):
            frame[col] = frame[col].astype("category")
        for col in frame.columns:
            if col not in ("measure", "path", "range", "rank", "matters"):
                frame[col] = frame[col].astype(float)  # null (no interval) as NaN
        return frame

    def points(self) -> pd.DataFrame:
        """One row per point run: ``point`` (0: the file's own values), each assumption's sampled value
        (a factor for an ``x0.5..x2`` range, else the value in base units: s, km, km/s) and each measure."""
        from sim.analysis.measure import parse_measure
        from sim.report.frames import _import

        pd = _import("pandas")
        plan = self.result.plan
        done = sorted(self.result.summaries)
        columns: dict[str, Any] = {"point": done, "nominal": [k == 0 for k in done]}
        for j, a in enumerate(plan.assumptions):
            columns[a.path] = [a.midpoint_value if k == 0 else float(plan.x[k - 1, j]) for k in done]
        for text in self.result.measure_names:
            m = parse_measure(text)
            columns[text] = [float(m.value(self.result.summaries[k])) for k in done]
        return pd.DataFrame(columns)

    def summaries(self) -> dict[int, Summary]:
        """Each finished point's full statistics, by point (0: the file's own values)."""
        return dict(self.result.summaries)

    def to_json(self) -> str:
        """The ranking document (``sim.sensitivity/1``): what ``sim sensitivity --json`` writes."""
        from sim.report.sensitivity_report import json_text

        return json_text(self.result, self._rankings)

    def __repr__(self) -> str:
        plan = self.result.plan
        head = (
            f"<sim.Ranked {plan.base.scenario.name}: {plan.method}, {len(plan.assumptions)} assumptions, "
            f"{len(plan.scenarios)} points x {plan.runs} runs, seed {plan.seed}"
        )
        if not self.complete:
            return head + f"; interrupted after {len(self.result.summaries)} points>"
        first = self._rankings[0]
        top = first.indices.ranked()[0]
        value = top.a if math.isfinite(top.a) else math.nan
        return head + f"; {first.measure.text} moved most by {top.name} ({value:.3g})>"
