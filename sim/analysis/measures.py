"""What is counted and measured: every outcome, metric and chain step, defined once.

An outcome is a flag counted over threat rows (one threat in one replication), optionally among
the rows holding another flag: ``intercepted_given_threatened`` counts ``intercepted`` among the
``threatened`` rows. Reports take their labels from these definitions; nothing takes a name apart.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

from sim.engine.outcome import THREAT_FLAGS

# Flags that follow from the recorded ones. Decided in time: the margin was not negative (a battery could be
# ready inside its window); it may still not have been engaged (on the march, no channel, weapons hold).
DERIVED_FLAGS: dict[str, Callable[[np.ndarray], np.ndarray]] = {
    "decided_in_time": lambda rows: rows["decided"] & ~rows["too_late"],
}


def flag(rows: np.ndarray, name: str) -> np.ndarray:
    """A recorded or derived yes/no column of threat rows, as booleans."""
    derived = DERIVED_FLAGS.get(name)
    return derived(rows) if derived else rows[name].astype(bool)


@dataclass(frozen=True)
class Outcome:
    """A flag counted over threat rows, among every row or the rows holding ``given``."""

    flag: str
    given: str | None = None

    @property
    def name(self) -> str:
        """The outcome's key in results and on the command line (``intercepted_given_threatened``)."""
        return self.flag if self.given is None else f"{self.flag}_given_{self.given}"

    @property
    def label(self) -> str:
        return self.flag.replace("_", " ")

    @property
    def condition(self) -> str:
        """What the rows are: ``every threat row`` or ``if threatened``."""
        return "every threat row" if self.given is None else f"if {self.given.replace('_', ' ')}"

    @property
    def headline(self) -> str:
        """``intercepted | threatened``: the outcome with its condition, as a trainer says it."""
        return self.label if self.given is None else f"{self.label} | {self.given.replace('_', ' ')}"


OUTCOMES: tuple[Outcome, ...] = (
    *(Outcome(f) for f in THREAT_FLAGS),
    Outcome("predicted_own", "threatened"),
    Outcome("detected", "threatened"),
    Outcome("decided", "threatened"),
    Outcome("decided_in_time", "threatened"),
    Outcome("engaged", "threatened"),
    Outcome("intercepted", "threatened"),
    Outcome("leaked", "threatened"),
    Outcome("too_late", "decided"),
    Outcome("intercepted", "engaged"),
    Outcome("needless", "engaged"),
)
OUTCOME_BY_NAME = {o.name: o for o in OUTCOMES}

# The outcome a trainer asks about first; the second when the first is undefined (nothing threatened).
MAIN_OUTCOMES = ("intercepted_given_threatened", "intercepted")


@dataclass(frozen=True)
class Metric:
    """A per-row quantity: ``end - start`` (or the ``value`` column) on rows holding every flag in ``given``."""

    name: str
    start: str | None
    end: str
    given: tuple[str, ...]
    among: str
    label: str = ""  # what a trainer calls it

    @property
    def is_time(self) -> bool:
        return self.start is not None

    def values(self, rows: np.ndarray) -> np.ndarray:
        """Per row, NaN where the metric is undefined."""
        v = rows[self.end].astype(float) if self.start is None else rows[self.end] - rows[self.start]
        keep = np.isfinite(v)
        for f in self.given:
            keep &= flag(rows, f)
        return np.where(keep, v, np.nan)


METRICS: tuple[Metric, ...] = (
    Metric("time_to_detect_s", "launch", "detect", ("detected",), "detected threats", "launch to detection"),
    Metric("time_to_decision_s", "launch", "decision", ("decided",), "decided threats", "launch to decision"),
    Metric("time_to_fire_s", "launch", "fire", ("engaged",), "engaged threats", "launch to first shot"),
    Metric(
        "margin_s",
        "decision",
        "latest_decision",
        ("decided",),
        "decided threats; latest decision that still fires in the window (order down and battery reaction "
        "included) - decision; negative exactly when too late",
        "margin: latest useful decision - decision",
    ),
    Metric(
        "warning_time_s",
        "detect",
        "impact",
        ("threatened", "detected"),
        "threatened, detected threats; detection to impact",
        "warning: detection to impact",
    ),
    Metric(
        "window_s",
        "window_open",
        "window_close",
        (),
        "threats with an engagement window; its length",
        "engagement window, its length",
    ),
    Metric("flight_time_s", "launch", "impact", (), "threats that came down; launch to impact", "flight time"),
    Metric(
        "interceptors_used",
        None,
        "interceptors_used",
        ("engaged",),
        "engaged threats; a count, not seconds",
        "interceptors per engaged threat",
    ),
)
METRIC_BY_NAME = {m.name: m for m in METRICS}


@dataclass(frozen=True)
class Step:
    """One link of the interception chain, from one recorded time to the next."""

    name: str
    start: str
    end: str
    before_decision: bool

    def durations(self, rows: np.ndarray) -> np.ndarray:
        """Per row, NaN where either end did not happen."""
        return rows[self.end] - rows[self.start]


CHAIN: tuple[Step, ...] = (
    Step("until visible", "launch", "visible", True),  # physics: horizon and range; no drill shortens it
    Step("detection latency", "visible", "detect", True),  # crew and radar: from visible to reported
    Step("tracking", "detect", "track", True),
    Step("classification", "track", "classify", True),
    Step("impact prediction", "classify", "pip", True),
    Step("report up", "pip", "report", True),
    Step("decision", "report", "decision", True),
    Step("order down", "decision", "order", False),
    Step("battery reaction", "order", "ready", False),
    Step("waiting to fire", "ready", "fire", False),  # for the window to open or a fire channel to free
    Step("flyout", "fire", "intercept", False),
)
TO_DECISION = tuple(s.name for s in CHAIN if s.before_decision)
