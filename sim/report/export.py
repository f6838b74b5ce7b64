"""Files a run leaves for scripts and spreadsheets: the result file and one CSV row per threat row.

Every file is written atomically (a temporary file beside the target, then ``os.replace``), so an
interrupted or failing write leaves the previous file, never half a file that a script would read
as a result.
"""

from __future__ import annotations

import csv
import math
from pathlib import Path

import numpy as np

from sim.analysis import Summary, to_text
from sim.engine.outcome import THREAT_FLAGS, THREAT_TIMES, ChainEnd, FailureMode
from sim.files import atomic_open
from sim.results import RunResult

FAILURE_KEYS = tuple(m.key for m in FailureMode)
END_KEYS = tuple(e.name.lower() for e in ChainEnd)


def write_json(summary: Summary, path: str | Path) -> Path:
    text = to_text(summary)  # built first: a failure here leaves no file at all
    with atomic_open(path) as f:
        f.write(text)
    return Path(path)


def csv_header() -> list[str]:
    return (["replication", "threat", "territory", "failure", "unit", "authority"]
            + [f"{t}_s" for t in THREAT_TIMES] + list(THREAT_FLAGS)
            + ["interceptors_used", "impact_lat", "impact_lon", "chain_end"])


def write_csv(result: RunResult, path: str | Path) -> Path:
    """One row per replication and threat, names instead of indices, times in seconds from the start.

    Empty cells mean "did not happen" (or no unit / post). Times are rounded to the millisecond and
    coordinates to 1e-5 degree (about a metre): finer than anything a trainer reads.
    """
    o = result.outcomes
    runs, n_threats = o.runs, len(o.threat_names)
    rows = o.threats.reshape(-1)   # row-major: run, then threat

    def cell(field: str) -> list[float]:
        return rows[field].astype(float).tolist()

    columns = [
        [str(i) for i in np.repeat(np.arange(runs), n_threats).tolist()],
        list(o.threat_names) * runs,
        _names(cell("territory"), o.territories),
        _names(cell("failure"), FAILURE_KEYS),
        _names(cell("unit"), o.unit_names),
        _names(cell("authority"), o.post_names),
    ]
    columns += [_numbers(cell(t), "{:.3f}") for t in THREAT_TIMES]
    columns += [_numbers(cell(f), "{:.0f}") for f in THREAT_FLAGS]
    columns += [_numbers(cell("interceptors_used"), "{:.0f}"), _numbers(cell("impact_lat"), "{:.5f}"),
                _numbers(cell("impact_lon"), "{:.5f}"), _names(cell("end"), END_KEYS)]
    with atomic_open(path, newline="") as f:
        writer = csv.writer(f, lineterminator="\n")
        writer.writerow(csv_header())
        writer.writerows(zip(*columns))
    return Path(path)


def _names(indices: list[float], names: tuple[str, ...]) -> list[str]:
    return [names[int(i)] if 0 <= i < len(names) else "" for i in indices]


def _numbers(values: list[float], fmt: str) -> list[str]:
    return [fmt.format(v) if math.isfinite(v) else "" for v in values]
