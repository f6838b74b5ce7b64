"""tabletop-sim: readiness escalation and interception decision chains for air-defence training.

The Python API (``sim.run``, ``sim.compare``, ``sim.sweep``, ``sim.load``) is imported on first use,
so ``import sim`` stays light: the command line and the worker processes import only what they run.
"""

from __future__ import annotations

import sys
import types
from typing import Any

__version__ = "0.1.0"

__all__ = ["__version__", "compare", "load", "run", "sweep"]

_API = ("run", "compare", "sweep", "load", "Result", "Compared", "Swept")


def __getattr__(name: str) -> Any:
    if name in _API:
        import sim.api

        return getattr(sim.api, name)
    raise AttributeError(f"module 'sim' has no attribute '{name}'")


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(_API))


class _Face(types.ModuleType):
    """``sim.compare`` and ``sim.sweep`` stay the API's functions even after the pipeline modules of the same
    name (``sim/compare.py``, ``sim/sweep.py``) are imported, which would otherwise bind the module instead.

    Those modules remain importable by name (``from sim.sweep import plan_sweep``); only attribute access
    on the package (``sim.sweep``) means the function. Renaming the two modules would make this unneeded.
    """

    def __setattr__(self, name: str, value: Any) -> None:
        if name in _API and isinstance(value, types.ModuleType):
            return
        super().__setattr__(name, value)


sys.modules[__name__].__class__ = _Face
