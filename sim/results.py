"""A finished run as plain data: what was run, how, and the outcome columns it produced.

Shared by the runner (which makes it), the analysis (which reads it) and the reports.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from sim.engine.outcome import Outcomes


@dataclass(frozen=True)
class RunInfo:
    """How a run was made. Everything but ``wall_s``, ``workers`` and ``executor`` fixes the numbers."""

    runs: int                 # replications actually finished (fewer than requested if interrupted)
    requested_runs: int
    seed: int
    version: str
    block_size: int
    workers: int
    executor: str
    wall_s: float
    partial: bool = False     # True when interrupted: only the finished blocks are in the result


@dataclass(frozen=True)
class TraceEvent:
    """One line of a replication's story: when, who, what, and details."""

    t: float
    actor: str
    event: str
    detail: str = ""


@dataclass
class RunResult:
    scenario: Any             # sim.scenario.loader.LoadedScenario
    info: RunInfo
    outcomes: Outcomes
    trace: list[TraceEvent] = field(default_factory=list)   # replication 0's story, when asked for
