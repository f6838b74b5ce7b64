"""The Python API: ``sim.run``, ``sim.compare``, ``sim.sweep``, ``sim.sensitivity``, ``sim.load``, for notebooks and scripts.

Every function goes through the same pipeline as the ``sim`` command (``sim.study``), so a number
is the same whichever door it came through; the DataFrames hold the very values of the ``--csv``.
pandas and pyarrow (the ``api`` extra) are imported only when a DataFrame is asked for.
"""

from sim.api.calls import compare, load, run, sensitivity, sweep
from sim.api.ranked import Ranked
from sim.api.results import Compared, Result, Swept

__all__ = ["Compared", "Ranked", "Result", "Swept", "compare", "load", "run", "sensitivity", "sweep"]
