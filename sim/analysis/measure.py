"""``--measure NAME``: one number of a run, named on the command line, and how it moves replication by replication.

A measure is one of:

- an outcome, ``intercepted_given_threatened`` (every threat pooled), or one threat's, ``stray:leaked``;
- a leak cause, ``cause.decision_late`` (share of the threatened rows whose chain ended there);
- a metric with a statistic, ``time_to_decision_s`` (mean) or ``margin_s.p50`` (mean, p50, p90, min, max);
- a readiness figure, ``readiness.UNIT.LEVEL.p50`` (or ``.p90``, ``.p_reached``).

Proportions and means are ratios over replications (a sum per replication over a count per
replication), so each also yields its per-replication parts: that is what a paired interval of a
difference or an effect is made from. Quantiles have no such parts and get no interval.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from sim.analysis.measures import METRIC_BY_NAME, OUTCOME_BY_NAME, flag
from sim.analysis.summary import Summary
from sim.engine.outcome import ChainEnd, Outcomes
from sim.numbers import NAN

STATS = ("mean", "p50", "p90", "min", "max")
READINESS_STATS = ("p_reached", "p50", "p90")


class MeasureError(ValueError):
    """A measure name that names nothing; the message says what would."""


@dataclass(frozen=True)
class Measure:
    text: str  # as typed
    kind: str  # outcome, cause, metric, readiness
    name: str  # outcome, cause key or metric name; unit for readiness
    stat: str = ""  # metric statistic, or readiness figure
    threat: str | None = None  # one threat's rows (outcomes and causes)
    level: str = ""  # readiness level

    @property
    def is_proportion(self) -> bool:
        return self.kind in ("outcome", "cause") or (self.kind == "readiness" and self.stat == "p_reached")

    @property
    def is_time(self) -> bool:
        return (self.kind == "metric" and METRIC_BY_NAME[self.name].is_time) or (
            self.kind == "readiness" and self.stat != "p_reached"
        )

    @property
    def has_replicates(self) -> bool:
        """Whether the value is a ratio over replications (an interval for its differences can be made)."""
        return self.is_proportion or (self.kind == "metric" and self.stat == "mean")

    @property
    def label(self) -> str:
        if self.kind == "outcome":
            what = OUTCOME_BY_NAME[self.name].headline
        elif self.kind == "cause":
            what = f"threatened, chain ended: {ChainEnd[self.name.upper()].label}"
        elif self.kind == "metric":
            what = f"{METRIC_BY_NAME[self.name].label} ({self.stat})"
        else:
            what = f"{self.name} reaches {self.level} ({'probability' if self.stat == 'p_reached' else self.stat})"
        return what if self.threat is None else f"{self.threat}: {what}"

    def check(self, threats: list[str], units: list[str], levels: list[str]) -> None:
        """Before any run: the threat, unit and level it names exist in the scenario."""
        if self.threat is not None and self.threat not in threats:
            raise MeasureError(f"{self.text}: no threat '{self.threat}' (threats: {', '.join(threats)})")
        if self.kind == "readiness" and (self.name not in units or self.level not in levels):
            raise MeasureError(
                f"{self.text}: no unit '{self.name}' or level '{self.level}' "
                f"(units: {', '.join(units)}; levels: {', '.join(levels)})"
            )

    def value(self, s: Summary) -> float:
        """The measure in a finished run's summary; NaN where it is undefined; MeasureError for unknown names."""
        scope = s.pooled
        if self.threat is not None:
            if self.threat not in s.threats:
                raise MeasureError(f"{self.text}: no threat '{self.threat}' (threats: {', '.join(s.names.threats)})")
            scope = s.threats[self.threat]
        if self.kind == "outcome":
            return scope.outcomes[self.name].p
        if self.kind == "cause":
            return scope.causes[self.name].p if self.name in scope.causes else NAN
        if self.kind == "metric":
            return float(getattr(scope.metrics[self.name], self.stat))
        levels = s.readiness.get(self.name)
        if levels is None or self.level not in levels:
            raise MeasureError(
                f"{self.text}: no readiness for unit '{self.name}' at level '{self.level}' "
                f"(units: {', '.join(s.readiness)}; levels: {', '.join(s.names.levels)})"
            )
        x = levels[self.level]
        return {"p_reached": x.reached.p, "p50": x.p50_s, "p90": x.p90_s}[self.stat]

    def replicates(self, o: Outcomes) -> tuple[np.ndarray, np.ndarray] | None:
        """Per replication, (numerator, denominator) whose sums' ratio is the value; None for quantiles."""
        if not self.has_replicates:
            return None
        if self.kind == "readiness":
            u, lv = o.unit_names.index(self.name), o.level_names.index(self.level)
            reached = np.isfinite(o.readiness[:, u, lv]).astype(float)
            return reached, np.ones_like(reached)
        rows = o.threats if self.threat is None else o.threats[:, [o.threat_names.index(self.threat)]]
        if self.kind == "outcome":
            outcome = OUTCOME_BY_NAME[self.name]
            counted = flag(rows, outcome.flag)
            among = np.ones_like(counted) if outcome.given is None else flag(rows, outcome.given)
            return (counted & among).sum(axis=1).astype(float), among.sum(axis=1).astype(float)
        if self.kind == "cause":
            threatened = rows["threatened"]
            ended = threatened & (rows["end"] == ChainEnd[self.name.upper()])
            return ended.sum(axis=1).astype(float), threatened.sum(axis=1).astype(float)
        metric = METRIC_BY_NAME[self.name]
        values = metric.values(rows.reshape(-1)).reshape(rows.shape)
        finite = np.isfinite(values)
        return np.where(finite, values, 0.0).sum(axis=1), finite.sum(axis=1).astype(float)


def parse_measure(text: str) -> Measure:
    """Read ``--measure NAME``; MeasureError with the choices when it names nothing."""
    raw = text.strip()
    threat, _, rest = raw.rpartition(":") if ":" in raw else (None, "", raw)
    if rest in OUTCOME_BY_NAME:
        return Measure(raw, "outcome", rest, threat=threat or None)
    if rest.startswith("cause."):
        key = rest.removeprefix("cause.")
        if key.upper() not in ChainEnd.__members__:
            raise MeasureError(f"{raw}: no such cause (causes: {', '.join(e.name.lower() for e in ChainEnd)})")
        return Measure(raw, "cause", key, threat=threat or None)
    if threat:
        raise MeasureError(f"{raw}: THREAT:NAME takes an outcome or a cause.KEY")
    if rest.startswith("readiness."):
        parts = rest.split(".")
        if len(parts) < 4 or parts[-1] not in READINESS_STATS:
            raise MeasureError(
                f"{raw}: expected readiness.UNIT.LEVEL.STAT with STAT one of {', '.join(READINESS_STATS)}"
            )
        return Measure(raw, "readiness", ".".join(parts[1:-2]), parts[-1], level=parts[-2])
    name, _, stat = rest.partition(".")
    if name in METRIC_BY_NAME:
        stat = stat or "mean"
        if stat not in STATS:
            raise MeasureError(f"{raw}: a metric's statistic is one of {', '.join(STATS)}")
        return Measure(raw, "metric", name, stat)
    known = ", ".join(list(OUTCOME_BY_NAME) + list(METRIC_BY_NAME))
    raise MeasureError(f"{raw}: not an outcome, metric, cause.KEY or readiness.UNIT.LEVEL.STAT (known: {known})")
