"""What one replication leaves behind, as fixed columns, and the stack of many replications.

A replication fills one ``ThreatRecord`` per threat and a readiness table; the runner stacks
them into numpy arrays (runs x threats, runs x units x levels) so that statistics over 100k
replications never touch a Python object per replication.

Times are absolute simulation seconds from the scenario start; NaN means "did not happen".
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

# When each step of the interception chain happened (absolute seconds, NaN if it never did).
THREAT_TIMES = (
    "launch",        # missile leaves the pad
    "visible",       # first visible to any radar of ours
    "detect",        # detection reported (visibility + monitoring latency)
    "track",         # firm track
    "classify",      # classified ballistic
    "pip",           # predicted impact point trusted (error below what the rules require)
    "report",        # report reached the post holding engagement authority
    "decision",      # engagement decided
    "order",         # fire order reached the battery
    "ready",         # the battery has reacted and could fire (if the window is open and a channel free)
    "fire",          # first interceptor away
    "intercept",     # the shot that killed it met the target
    "impact",        # missile (or debris) reached the ground, intercepted or not
    "window_open",   # earliest interceptor launch that can still meet it
    "window_close",  # latest interceptor launch that can still meet it
)

# Yes/no per threat.
THREAT_FLAGS = (
    "threatened",     # it really came down on own territory
    "predicted_own",  # the predicted impact point said own territory
    "detected",       # detected before impact
    "decided",        # an engagement was decided before the missile came down
    "too_late",       # wanted to engage, but no shot left inside the window (or it landed first)
    "engaged",        # at least one interceptor fired
    "intercepted",    # killed
    "leaked",         # threatened and not intercepted
    "needless",       # engaged though it was not coming down on own territory
)

# Other numbers per threat.
THREAT_VALUES = (
    "interceptors_used",
    "impact_lat",
    "impact_lon",
    "territory",   # index into Outcomes.territories
    "failure",     # index into FAILURES
    "unit",        # index of the battery chosen to engage (even if it never could), -1 if none
    "authority",   # index of the post that decided, -1 if none
)

FAILURES = ("nominal", "early_explosion", "guidance_fault", "thrust_shortfall")
THREAT_FIELDS = THREAT_TIMES + THREAT_FLAGS + THREAT_VALUES


@dataclass
class ThreatRecord:
    """One threat in one replication: every field starts as 'did not happen'."""

    values: dict[str, float] = field(default_factory=lambda: dict.fromkeys(THREAT_FIELDS, np.nan))

    def __post_init__(self):
        for f in THREAT_FLAGS:
            self.values[f] = 0.0
        self.values["interceptors_used"] = 0.0
        self.values["unit"] = -1.0
        self.values["authority"] = -1.0

    def __getitem__(self, key):
        return self.values[key]

    def __setitem__(self, key, value):
        if key not in self.values:
            raise KeyError(f"{key} is not an outcome field")
        self.values[key] = float(value)


@dataclass
class Outcomes:
    """Many replications as columns, with the names that give the indices their meaning."""

    threat_names: tuple[str, ...]
    unit_names: tuple[str, ...]
    level_names: tuple[str, ...]
    post_names: tuple[str, ...]
    territories: tuple[str, ...]
    threats: dict[str, np.ndarray]  # field -> (runs, n_threats)
    readiness: np.ndarray            # (runs, n_units, n_levels): time each level was reached, NaN if not

    @property
    def runs(self) -> int:
        return int(self.readiness.shape[0])

    @classmethod
    def empty(cls, threat_names, unit_names, level_names, post_names, territories) -> "Outcomes":
        nt, nu, nl = len(threat_names), len(unit_names), len(level_names)
        return cls(
            tuple(threat_names), tuple(unit_names), tuple(level_names), tuple(post_names), tuple(territories),
            {f: np.zeros((0, nt)) for f in THREAT_FIELDS}, np.zeros((0, nu, nl)),
        )

    @classmethod
    def stack(cls, parts: list["Outcomes"]) -> "Outcomes":
        """Join blocks in order (the runner always passes them in block order)."""
        first = parts[0]
        return cls(
            first.threat_names, first.unit_names, first.level_names, first.post_names, first.territories,
            {f: np.concatenate([p.threats[f] for p in parts]) for f in THREAT_FIELDS},
            np.concatenate([p.readiness for p in parts]),
        )
