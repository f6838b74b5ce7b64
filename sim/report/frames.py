"""A :class:`~sim.report.tables.Table` as a pandas DataFrame or a Parquet file (the ``api`` extra).

pandas and pyarrow are imported here, and only when a DataFrame or a Parquet file is asked for, so
``import sim`` and ``sim run`` stay light. Names become categoricals (a missing name is a null, not
an empty string), yes/no columns are booleans, and in Parquet a time that did not happen is a null,
not NaN: every reader (pandas, Polars, DuckDB, Spark) then sees a typed column.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

from sim.files import atomic_open
from sim.report.tables import Table

if TYPE_CHECKING:
    import pandas as pd

EXTRA = "pip install 'tabletop-sim[api]'"


class ExtraMissing(ImportError):
    """pandas or pyarrow is not installed: a one-line message that says how to get them."""


def _import(module: str) -> Any:
    import importlib

    try:
        return importlib.import_module(module)
    except ImportError:
        raise ExtraMissing(f"{module} is not installed; DataFrames and Parquet need the api extra: {EXTRA}") from None


def to_frame(table: Table) -> pd.DataFrame:
    """The table as a DataFrame: categoricals for names, booleans, int64, and float64 with NaN for 'did not happen'."""
    pd = _import("pandas")
    data: dict[str, Any] = {}
    for c in table.columns:
        if c.kind == "category":
            data[c.name] = pd.Categorical.from_codes(c.values, categories=list(c.categories), ordered=c.ordered)
        elif c.kind == "bool":
            data[c.name] = c.values.astype(bool)
        elif c.kind == "int":
            data[c.name] = c.values.astype("int64")
        else:
            data[c.name] = c.values.astype("float64")
    return pd.DataFrame(data, columns=table.header)


def write_parquet(frame: pd.DataFrame, path: str | Path) -> Path:
    """A DataFrame as Parquet, NaN written as null, written whole or not at all."""
    pa = _import("pyarrow")
    pq = _import("pyarrow.parquet")
    arrow = pa.Table.from_pandas(frame, preserve_index=False)  # pandas' NaN becomes Arrow's null
    with atomic_open(path, "wb") as f:
        pq.write_table(arrow, f)
    return Path(path)
