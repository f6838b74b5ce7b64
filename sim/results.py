"""A finished run as plain data: what was run, how, and the outcome columns it produced.

The runner makes it, the analysis reads it; the engine knows nothing of it.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from sim.engine.outcome import Outcomes
from sim.engine.trace import TraceEvent
from sim.scenario.loader import LoadedScenario

__all__ = ["RunInfo", "RunResult", "TraceEvent"]


@dataclass(frozen=True)
class RunInfo:
    """How a run was made. Everything but ``wall_s``, ``workers`` and ``executor`` fixes the numbers."""

    runs: int  # replications actually finished (fewer than requested if interrupted)
    requested_runs: int
    seed: int
    version: str
    block_size: int
    workers: int
    executor: str
    wall_s: float
    partial: bool = False  # True when interrupted: only the finished blocks are in the result
    # streamed runs: the relative error bound of quantiles read from a histogram (None: every quantile exact)
    quantile_error: float | None = None


@dataclass
class RunResult:
    scenario: LoadedScenario | None
    info: RunInfo
    outcomes: Outcomes
    trace: list[TraceEvent] = field(default_factory=list)  # replication 0's story, when asked for
    # a streamed run: no rows in ``outcomes`` (only the names), the blocks' merged partial summary instead
    reduced: Any = None
