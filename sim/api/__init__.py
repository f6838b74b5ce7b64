"""The Python API: ``sim.run``, ``sim.compare``, ``sim.sweep``, ``sim.load``, for notebooks and scripts.

Every function goes through the same pipeline as the ``sim`` command (``sim.study``), so a number
is the same whichever door it came through; the DataFrames hold the very values of the ``--csv``.
pandas and pyarrow (the ``api`` extra) are imported only when a DataFrame is asked for.
"""

from sim.api.calls import compare, load, run, sweep
from sim.api.results import Compared, Result, Swept

__all__ = ["Compared", "Result", "Swept", "compare", "load", "run", "sweep"]
