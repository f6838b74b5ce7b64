"""The event log of a replication: the narrative timeline `sim run --trace` prints."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class TraceEvent:
    """One line of a replication's story: when, who, what, and details."""

    t: float
    actor: str
    event: str
    detail: str = ""


class Trace:
    """Collects (time, actor, event, detail) lines when enabled; costs one branch when not."""

    def __init__(self, enabled: bool):
        self.enabled = enabled
        self.events: list[TraceEvent] = []

    def __call__(self, t: float, actor: str, event: str, detail: str = "") -> None:
        if self.enabled:
            self.events.append(TraceEvent(float(t), actor, event, detail))
