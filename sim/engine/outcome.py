"""What one replication leaves behind, as typed records, and the stack of many replications as columns.

A replication fills one :class:`ThreatRecord` per threat and a readiness table; the runner stacks
them into one structured numpy array (runs x threats, a field per outcome) and a float array
(runs x units x levels), so that statistics over 100k replications never touch a Python object per
replication.

Times are absolute simulation seconds from the scenario start; NaN means "did not happen".
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from enum import IntEnum
from operator import attrgetter

import numpy as np

NAN = float("nan")


class FailureMode(IntEnum):
    """What went wrong with a missile (the scenario's ``failure:`` probabilities choose one)."""

    NOMINAL = 0
    EARLY_EXPLOSION = 1
    GUIDANCE_FAULT = 2
    THRUST_SHORTFALL = 3

    @property
    def key(self) -> str:
        """The name used in the scenario and the CSV: ``guidance_fault``."""
        return self.name.lower()

    @property
    def label(self) -> str:
        """For a trainer: ``guidance fault``, ``nominal flight``."""
        return "nominal flight" if self is FailureMode.NOMINAL else self.key.replace("_", " ")


class ChainEnd(IntEnum):
    """Where a threat's interception chain ended, recorded by the engine at the moment it ended.

    For a threat that came down on own territory this is the one reason it got through (or
    ``INTERCEPTED``): the chain can end only once. In the order of the story.
    """

    OPEN = 0  # not ended by the chain (a threat it had no reason to pursue further)
    INTERCEPTED = 1
    NEVER_VISIBLE = 2  # came down before any of our radars could see it (physics: horizon, range)
    NOT_DETECTED = 3  # visible, but landed before the detection was reported
    LANDED_WHILE_TRACKING = 4  # detected, landed before track, classification or a trusted impact point
    BROKE_UP = 5  # the track split into debris: nothing to engage
    PREDICTED_NOT_OWN = 6  # the predicted impact point said not own territory, so it was not pursued
    REPORT_LATE = 7  # landed before the report reached the post holding authority
    DECISION_LATE = 8  # landed before that post decided
    ORDER_LATE = 9  # decided, landed before the fire order reached the battery
    NO_BATTERY_IN_REACH = 10  # no battery had an engagement window: nothing to ask a post for
    ON_THE_MARCH = 11  # decided, the battery was moving and could not fire
    WINDOW_CLOSED = 12  # decided, the window closed before the battery could fire
    NO_FIRE_CHANNEL = 13  # decided, every fire channel stayed busy until the window closed
    NO_INTERCEPTORS = 14  # decided, the launchers were empty
    MISSED = 15  # fired, and every interceptor missed
    FORBIDDEN = 16  # the rules of engagement forbid firing at a threat predicted to fall in that zone
    WEAPONS_HOLD = 17  # own aircraft near the intercept point: weapons held
    DECLINED = 18  # the post holding authority decided not to engage (a person's choice in an exercise)

    @property
    def label(self) -> str:
        return _END_LABELS[self]


_END_LABELS = {
    ChainEnd.OPEN: "not pursued",
    ChainEnd.INTERCEPTED: "intercepted",
    ChainEnd.NEVER_VISIBLE: "never visible before impact",
    ChainEnd.NOT_DETECTED: "visible, not detected",
    ChainEnd.LANDED_WHILE_TRACKING: "landed before a trusted impact prediction",
    ChainEnd.BROKE_UP: "broke up: debris, nothing to engage",
    ChainEnd.PREDICTED_NOT_OWN: "prediction said not own territory",
    ChainEnd.REPORT_LATE: "report did not reach the authority before impact",
    ChainEnd.DECISION_LATE: "landed before the decision",
    ChainEnd.ORDER_LATE: "decided, fire order too late",
    ChainEnd.NO_BATTERY_IN_REACH: "no battery in reach",
    ChainEnd.ON_THE_MARCH: "decided, battery on the march",
    ChainEnd.WINDOW_CLOSED: "decided, window closed before fire",
    ChainEnd.NO_FIRE_CHANNEL: "decided, no fire channel free",
    ChainEnd.NO_INTERCEPTORS: "decided, no interceptors left",
    ChainEnd.MISSED: "fired and missed",
    ChainEnd.FORBIDDEN: "rules forbid engaging over that zone",
    ChainEnd.WEAPONS_HOLD: "weapons hold: own aircraft near the intercept",
    ChainEnd.DECLINED: "the post decided not to engage",
}


# When each step of the interception chain happened (absolute seconds, NaN if it never did).
THREAT_TIMES = (
    "launch",  # missile leaves the pad
    "visible",  # first visible to any radar of ours
    "detect",  # detection reported (visibility + monitoring latency)
    "track",  # firm track
    "classify",  # classified ballistic
    "pip",  # predicted impact point trusted (error below what the rules require)
    "report",  # report reached the post holding engagement authority
    "decision",  # engagement decided
    "order",  # fire order reached the battery
    "ready",  # the battery has reacted and could fire (if the window is open and a channel free)
    "fire",  # first interceptor away
    "intercept",  # the shot that killed it met the target
    "impact",  # missile (or debris) reached the ground, intercepted or not
    "window_open",  # earliest interceptor launch that can still meet it
    "window_close",  # latest interceptor launch that can still meet it
    "latest_decision",  # latest decision from which the order down and the battery's reaction still fire in the window
)

# Yes/no per threat.
THREAT_FLAGS = (
    "threatened",  # it really came down on own territory
    "predicted_own",  # the predicted impact point said own territory
    "detected",  # detected before impact
    "decided",  # an engagement was decided before the missile came down
    "too_late",  # decided, but no battery could be ready before its window closed: exactly latest_decision < decision
    "engaged",  # at least one interceptor fired
    "intercepted",  # killed
    "leaked",  # threatened and not intercepted
    "needless",  # engaged though it was not coming down on own territory
)


@dataclass(slots=True)
class ThreatRecord:
    """One threat in one replication: every time starts as 'did not happen', every flag as no."""

    launch: float = NAN
    visible: float = NAN
    detect: float = NAN
    track: float = NAN
    classify: float = NAN
    pip: float = NAN
    report: float = NAN
    decision: float = NAN
    order: float = NAN
    ready: float = NAN
    fire: float = NAN
    intercept: float = NAN
    impact: float = NAN
    window_open: float = NAN
    window_close: float = NAN
    latest_decision: float = NAN
    threatened: bool = False
    predicted_own: bool = False
    detected: bool = False
    decided: bool = False
    too_late: bool = False
    engaged: bool = False
    intercepted: bool = False
    leaked: bool = False
    needless: bool = False
    interceptors_used: int = 0
    impact_lat: float = NAN
    impact_lon: float = NAN
    territory: int = -1  # index into Outcomes.territories
    failure: int = FailureMode.NOMINAL
    unit: int = -1  # the battery chosen to engage (even if it never could), -1 if none
    authority: int = (
        -1
    )  # the post holding authority once the report went up (it decided, or it was awaited), -1 if none
    end: int = ChainEnd.OPEN  # where the chain ended (ChainEnd)
    predicted_zone: int = -1  # sim.world.zones.Zone of the predicted impact point, -1 if none was trusted
    debris_spread_km: float = NAN  # length of the debris footprint of a break-up (fragments model), NaN if none

    def finish(self) -> None:
        """Outcomes that follow from the others, set once the replication has ended."""
        self.detected = self.detect == self.detect
        self.leaked = self.threatened and not self.intercepted
        self.needless = self.engaged and not self.threatened


THREAT_DTYPE = np.dtype(
    [(name, np.float64) for name in THREAT_TIMES]
    + [(name, np.bool_) for name in THREAT_FLAGS]
    + [
        ("interceptors_used", np.int32),
        ("impact_lat", np.float64),
        ("impact_lon", np.float64),
        ("territory", np.int16),
        ("failure", np.int8),
        ("unit", np.int16),
        ("authority", np.int16),
        ("end", np.int8),
        ("predicted_zone", np.int8),
        ("debris_spread_km", np.float64),
    ]
)
THREAT_FIELDS: tuple[str, ...] = tuple(THREAT_DTYPE.names or ())
assert THREAT_FIELDS == tuple(ThreatRecord.__dataclass_fields__), (
    "ThreatRecord and THREAT_DTYPE must list the same fields"
)

as_row = attrgetter(*THREAT_FIELDS)
"""A record as the tuple that fills one cell of a THREAT_DTYPE array, in field order."""


def rows_from_columns(columns: Mapping[str, np.ndarray]) -> np.ndarray:
    """A THREAT_DTYPE array from one array per field (all of one shape), for data made outside the engine.

    A field left out, or NaN in a yes/no or index field, takes the record's default (not happened, -1).
    """
    shape = np.shape(next(iter(columns.values())))
    rows = np.empty(shape, dtype=THREAT_DTYPE)
    defaults = ThreatRecord()
    for name in THREAT_FIELDS:
        default = getattr(defaults, name)
        values = np.asarray(columns.get(name, np.full(shape, default)), dtype=float)
        if THREAT_DTYPE[name].kind != "f":
            values = np.where(np.isnan(values), float(default), values)
        rows[name] = values
    return rows


@dataclass
class Outcomes:
    """Many replications as columns, with the names that give the indices their meaning."""

    threat_names: tuple[str, ...]
    unit_names: tuple[str, ...]
    level_names: tuple[str, ...]
    post_names: tuple[str, ...]
    territories: tuple[str, ...]
    threats: np.ndarray = field(repr=False)  # (runs, n_threats) of THREAT_DTYPE
    readiness: np.ndarray = field(repr=False)  # (runs, n_units, n_levels): time each level was reached, NaN if not

    @property
    def runs(self) -> int:
        return int(self.readiness.shape[0])

    @classmethod
    def empty(cls, threat_names, unit_names, level_names, post_names, territories) -> Outcomes:
        return cls(
            tuple(threat_names),
            tuple(unit_names),
            tuple(level_names),
            tuple(post_names),
            tuple(territories),
            np.zeros((0, len(threat_names)), dtype=THREAT_DTYPE),
            np.zeros((0, len(unit_names), len(level_names))),
        )

    @classmethod
    def from_columns(
        cls,
        threat_names: tuple[str, ...],
        unit_names: tuple[str, ...],
        level_names: tuple[str, ...],
        post_names: tuple[str, ...],
        territories: tuple[str, ...],
        columns: Mapping[str, np.ndarray],
        readiness: np.ndarray,
    ) -> Outcomes:
        """Outcomes made outside the engine (tests, imported data): one (runs, threats) array per field."""
        return cls(
            tuple(threat_names),
            tuple(unit_names),
            tuple(level_names),
            tuple(post_names),
            tuple(territories),
            rows_from_columns(columns),
            np.asarray(readiness, dtype=float),
        )

    @classmethod
    def stack(cls, parts: list[Outcomes]) -> Outcomes:
        """Join blocks in order (the runner always passes them in block order)."""
        first = parts[0]
        return cls(
            first.threat_names,
            first.unit_names,
            first.level_names,
            first.post_names,
            first.territories,
            np.concatenate([p.threats for p in parts]),
            np.concatenate([p.readiness for p in parts]),
        )
