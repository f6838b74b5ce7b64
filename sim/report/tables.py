"""A run's rows as typed columns: the one table behind the CSV, the Parquet file and the Python API's DataFrames.

The CSV, the Parquet file and ``sim.run(...).threats()`` are all made from the :class:`Table` built
here, so a value read back from the CSV is the very float the DataFrame holds: times are rounded to
the millisecond and coordinates to 1e-5 degree (about a metre) *before* any of them is written.

Plain numpy only; pandas and pyarrow are imported by :mod:`sim.report.frames` when asked for.
A name column (``threat``, ``unit``, ...) holds an index into its ``categories``; -1 means none.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any, Literal

import numpy as np

from sim.engine.outcome import THREAT_FLAGS, THREAT_TIMES, ChainEnd, FailureMode
from sim.results import RunResult

Kind = Literal["category", "bool", "float", "int"]

FAILURE_KEYS = tuple(m.key for m in FailureMode)
CHAIN_END_KEYS = tuple(e.name.lower() for e in ChainEnd)
OVERRIDE_PREFIX = "set:"
TIME_DECIMALS, COORD_DECIMALS = 3, 5


@dataclass(frozen=True)
class Column:
    """One column: its name, its kind and its values (for a category: indices into ``categories``, -1 for none)."""

    name: str
    kind: Kind
    values: np.ndarray
    categories: tuple[str, ...] = ()
    decimals: int | None = None  # float columns: already rounded to this many decimals
    ordered: bool = False  # categories with an order of their own (a sweep's values, as given)

    def cells(self) -> list[str]:
        """The column as CSV text: an empty cell for none or NaN (a null to every CSV reader)."""
        if self.kind == "category":
            names = self.categories
            return [names[i] if 0 <= i < len(names) else "" for i in self.values.tolist()]
        if self.kind == "bool":
            return ["1" if v else "0" for v in self.values.tolist()]
        if self.kind == "int":
            return [str(v) for v in self.values.tolist()]
        if self.decimals is None:  # the shortest text that reads back as the same float
            return [repr(v) if v == v else "" for v in self.values.tolist()]
        fmt = f"{{:.{self.decimals}f}}"
        return [fmt.format(v) if v == v else "" for v in self.values.tolist()]


@dataclass(frozen=True)
class Table:
    """Named columns of equal length, in the order they are written."""

    columns: tuple[Column, ...]

    @property
    def header(self) -> list[str]:
        return [c.name for c in self.columns]

    @property
    def rows(self) -> int:
        return int(self.columns[0].values.shape[0]) if self.columns else 0

    def rows_as_text(self) -> list[tuple[str, ...]]:
        return list(zip(*(c.cells() for c in self.columns)))


def rounded(values: np.ndarray, decimals: int) -> np.ndarray:
    """Rounded to ``decimals``, so that the CSV's text of the result, ``f'{x:.{decimals}f}'``, reads back exactly."""
    return np.round(np.asarray(values, dtype=float), decimals)


def override_text(value: Any) -> str:
    """An override's value as the CSV shows it: text as typed, anything else as JSON (``0.3``, ``true``)."""
    return value if isinstance(value, str) else json.dumps(value, sort_keys=True)


def run_columns(result: RunResult, rows: int) -> list[Column]:
    """What the rows were run with, repeated on each row: the scenario's name, the seed and every override."""
    loaded = result.scenario
    name = str(loaded.scenario.name) if loaded is not None else ""
    overrides = dict(loaded.overrides) if loaded is not None else {}
    cols = [
        Column("scenario", "category", np.zeros(rows, dtype=np.int64), (name,)),
        Column("seed", "int", np.full(rows, int(result.info.seed), dtype=np.int64)),
    ]
    for path, value in overrides.items():
        cols.append(Column(OVERRIDE_PREFIX + path, "category", np.zeros(rows, dtype=np.int64), (override_text(value),)))
    return cols


def threat_table(result: RunResult) -> Table:
    """One row per replication and threat (replication-major), names instead of indices, seconds from the start.

    The first columns are those the CSV always had (``replication`` ... ``impact_lon``); then where the
    chain ended, the length of a break-up's debris footprint (km; empty without one), and what the run was made with (scenario, seed, one ``set:PATH`` column per override).
    """
    o = result.outcomes
    runs, n_threats = o.runs, len(o.threat_names)
    rows = o.threats.reshape(-1)  # row-major: run, then threat
    n = rows.shape[0]

    def codes(field: str) -> np.ndarray:
        return rows[field].astype(np.int64)

    cols = [
        Column("replication", "int", np.repeat(np.arange(runs, dtype=np.int64), n_threats)),
        Column("threat", "category", np.tile(np.arange(n_threats, dtype=np.int64), runs), tuple(o.threat_names)),
        Column("territory", "category", codes("territory"), tuple(o.territories)),
        Column("failure", "category", codes("failure"), FAILURE_KEYS),
        Column("unit", "category", codes("unit"), tuple(o.unit_names)),
        Column("authority", "category", codes("authority"), tuple(o.post_names)),
    ]
    cols += [Column(f"{t}_s", "float", rounded(rows[t], TIME_DECIMALS), decimals=TIME_DECIMALS) for t in THREAT_TIMES]
    cols += [Column(f, "bool", rows[f].astype(bool)) for f in THREAT_FLAGS]
    cols += [
        Column("interceptors_used", "int", rows["interceptors_used"].astype(np.int64)),
        Column("impact_lat", "float", rounded(rows["impact_lat"], COORD_DECIMALS), decimals=COORD_DECIMALS),
        Column("impact_lon", "float", rounded(rows["impact_lon"], COORD_DECIMALS), decimals=COORD_DECIMALS),
        Column("chain_end", "category", codes("end"), CHAIN_END_KEYS),
        Column("debris_spread_km", "float", rounded(rows["debris_spread_km"], 3), decimals=3),
    ]
    return Table(tuple(cols + run_columns(result, n)))


def readiness_table(result: RunResult) -> Table:
    """One row per replication, unit and alert level: whether and when (seconds from the start) it was reached."""
    o = result.outcomes
    runs, units, levels = o.readiness.shape if o.readiness.ndim == 3 else (0, len(o.unit_names), len(o.level_names))
    at = o.readiness.reshape(-1)
    n = at.shape[0]
    cols = [
        Column("replication", "int", np.repeat(np.arange(runs, dtype=np.int64), units * levels)),
        Column(
            "unit", "category", np.tile(np.repeat(np.arange(units, dtype=np.int64), levels), runs), tuple(o.unit_names)
        ),
        Column("level", "category", np.tile(np.arange(levels, dtype=np.int64), runs * units), tuple(o.level_names)),
        Column("reached", "bool", np.isfinite(at)),
        Column("reached_s", "float", rounded(at, TIME_DECIMALS), decimals=TIME_DECIMALS),
    ]
    return Table(tuple(cols + run_columns(result, n)))
