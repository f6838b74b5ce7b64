"""tabletop-sim: readiness escalation and interception decision chains for air-defence training.

The Python API (``sim.run``, ``sim.compare``, ``sim.sweep``, ``sim.sensitivity``, ``sim.load``) is imported on first use,
so ``import sim`` stays light: the command line and the worker processes import only what they run.
"""

from __future__ import annotations

from typing import Any

__version__ = "0.1.0"

__all__ = ["__version__", "compare", "load", "run", "sensitivity", "sweep"]

_API = ("run", "compare", "sweep", "sensitivity", "load", "Result", "Compared", "Swept", "Ranked")


def __getattr__(name: str) -> Any:
    if name in _API:
        import sim.api

        return getattr(sim.api, name)
    raise AttributeError(f"module 'sim' has no attribute '{name}'")


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(_API))
