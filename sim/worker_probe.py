"""Asked on every Dask worker before any work: which tabletop-sim, if any, it would run.

This module is shipped to the workers by value (its code, not its name), so it runs even on a
worker where ``import sim`` fails, and says so instead of failing with ``ModuleNotFoundError``.
Keep it free of imports of ``sim`` at module level and of any global state.
"""

from __future__ import annotations

NOT_INSTALLED = ""


def installed_version() -> str:
    """``sim.__version__`` as this worker imports it, or ``NOT_INSTALLED`` when it cannot import it."""
    import importlib

    try:
        module = importlib.import_module("sim")
    except ImportError:
        return NOT_INSTALLED
    return str(getattr(module, "__version__", "unknown"))
