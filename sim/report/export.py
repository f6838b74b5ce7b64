"""Files a run leaves for scripts and spreadsheets: the result file, CSV and Parquet tables, the trace as JSON lines.

Every file is written atomically (a temporary file beside the target, then ``os.replace``), so an
interrupted or failing write leaves the previous file, never half a file that a script would read
as a result.
"""

from __future__ import annotations

import csv
import json
from pathlib import Path

from sim.analysis import Summary, to_text
from sim.engine.outcome import THREAT_FLAGS, THREAT_TIMES
from sim.engine.trace import TraceEvent
from sim.files import atomic_open, write_text_atomic
from sim.numbers import json_number
from sim.report.tables import FAILURE_KEYS, Table, readiness_table, threat_table
from sim.results import RunResult

__all__ = [
    "FAILURE_KEYS",
    "atomic_open",
    "csv_header",
    "trace_lines",
    "write_csv",
    "write_json",
    "write_parquet",
    "write_readiness_csv",
    "write_table",
    "write_trace_json",
]


def write_json(summary: Summary, path: str | Path) -> Path:
    text = to_text(summary)  # built first: a failure here leaves no file at all
    with atomic_open(path) as f:
        f.write(text)
    return Path(path)


def csv_header() -> list[str]:
    """The threat CSV's first columns, in this order; ``chain_end``, ``scenario``, ``seed``, ``set:PATH`` follow."""
    return (
        ["replication", "threat", "territory", "failure", "unit", "authority"]
        + [f"{t}_s" for t in THREAT_TIMES]
        + list(THREAT_FLAGS)
        + ["interceptors_used", "impact_lat", "impact_lon"]
    )


def write_table(table: Table, path: str | Path) -> Path:
    """A table as CSV: a header, then one line per row; an empty cell is a null (did not happen, no unit)."""
    rows = table.rows_as_text()  # built first: a failure here leaves no file at all
    with atomic_open(path, newline="") as f:
        writer = csv.writer(f, lineterminator="\n")
        writer.writerow(table.header)
        writer.writerows(rows)
    return Path(path)


def write_csv(result: RunResult, path: str | Path) -> Path:
    """One row per replication and threat (:func:`sim.report.tables.threat_table`), the values the API's
    ``threats()`` DataFrame holds: times rounded to the millisecond, coordinates to 1e-5 degree."""
    return write_table(threat_table(result), path)


def write_readiness_csv(result: RunResult, path: str | Path) -> Path:
    """One row per replication, unit and alert level: ``reached`` (0/1) and ``reached_s``."""
    return write_table(readiness_table(result), path)


def write_parquet(result: RunResult, path: str | Path) -> Path:
    """The threat rows as Parquet (needs the api extra): typed columns, nulls where the CSV has empty cells."""
    from sim.report.frames import to_frame
    from sim.report.frames import write_parquet as write_frame

    return write_frame(to_frame(threat_table(result)), path)


def trace_lines(events: list[TraceEvent]) -> str:
    """A replication's story as JSON lines: one ``{"t": s, "actor", "event", "detail"}`` object per event."""
    return "".join(
        json.dumps({"t": json_number(e.t), "actor": e.actor, "event": e.event, "detail": e.detail}, ensure_ascii=False)
        + "\n"
        for e in sorted(events, key=lambda e: e.t)
    )


def write_trace_json(events: list[TraceEvent], path: str | Path) -> Path:
    write_text_atomic(path, trace_lines(events))
    return Path(path)
