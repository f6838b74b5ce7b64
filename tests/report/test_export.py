"""JSON and CSV files: the contract's shape, one CSV row per threat row, and no half-written file ever."""

from __future__ import annotations

import csv
import json
import os

import numpy as np
import pytest

from sim.analysis import to_document
from sim.engine.outcome import THREAT_FLAGS, THREAT_TIMES
from sim.report.export import atomic_open, csv_header, write_csv, write_json


def test_json_is_the_contract_document(tmp_path, summary):
    path = write_json(summary, tmp_path / "run.json")
    doc = json.loads(path.read_text())
    assert doc == json.loads(json.dumps(to_document(summary)))
    assert path.read_text().startswith('{\n  "schema": "sim.result/2",\n  "scenario": {')
    assert doc["scenario"]["overrides"] == {"threats.1.failure.guidance_fault": 0.3}
    assert "NaN" not in path.read_text()
    assert os.listdir(tmp_path) == ["run.json"]
    assert oct(path.stat().st_mode & 0o777) == "0o644"


def test_json_is_byte_identical_for_the_same_summary(tmp_path, summary):
    a = write_json(summary, tmp_path / "a.json").read_bytes()
    b = write_json(summary, tmp_path / "b.json").read_bytes()
    assert a == b


def test_a_failed_write_leaves_the_old_file_and_no_temporary(tmp_path):
    target = tmp_path / "run.json"
    target.write_text("previous result\n")
    with pytest.raises(RuntimeError):
        with atomic_open(target) as f:
            f.write('{"half": ')
            raise RuntimeError("disk full")
    assert target.read_text() == "previous result\n"
    assert os.listdir(tmp_path) == ["run.json"]


def test_json_that_cannot_be_built_writes_nothing(tmp_path, summary, monkeypatch):
    import sim.analysis.result_file as result_file

    monkeypatch.setattr(result_file, "to_document", lambda summary: {"bad": float("nan")})
    with pytest.raises(ValueError):
        write_json(summary, tmp_path / "run.json")
    assert os.listdir(tmp_path) == []


@pytest.fixture(scope="module")
def rows(tmp_path_factory, result):
    path = write_csv(result, tmp_path_factory.mktemp("csv") / "run.csv")
    with open(path, newline="") as f:
        return list(csv.reader(f))


def test_csv_has_a_row_per_replication_and_threat(rows, result):
    assert rows[0][: len(csv_header())] == csv_header()
    assert rows[0][len(csv_header()) :] == [
        "chain_end",
        "debris_spread_km",
        "scenario",
        "seed",
        "set:threats.1.failure.guidance_fault",
    ]
    assert rows[0][:6] == ["replication", "threat", "territory", "failure", "unit", "authority"]
    assert [f"{t}_s" for t in THREAT_TIMES] == rows[0][6 : 6 + len(THREAT_TIMES)]
    assert len(rows) - 1 == result.outcomes.runs * len(result.outcomes.threat_names)
    assert [r[:2] for r in rows[1:5]] == [["0", "failed_test"], ["0", "stray"], ["1", "failed_test"], ["1", "stray"]]


def test_csv_cells_say_names_seconds_and_flags(rows, result):
    o = result.outcomes
    head = rows[0]
    col = {name: [r[head.index(name)] for r in rows[1:]] for name in head}
    flat = lambda f: np.asarray(o.threats[f]).reshape(-1)  # noqa: E731
    assert col["failure"][0] == "early_explosion"
    assert set(col["territory"]) <= set(o.territories)
    engaged = flat("engaged") == 1
    assert all(u in o.unit_names for u, e in zip(col["unit"], engaged) if e)
    assert all(u == "" for u, e in zip(col["unit"], engaged) if not e)
    assert all(a in o.post_names for a, d in zip(col["authority"], flat("decided") == 1) if d)
    for f in THREAT_FLAGS:
        assert col[f] == [str(int(v)) for v in flat(f)]
    launch = np.array([float(x) for x in col["launch_s"]])
    assert launch == pytest.approx(flat("launch"), abs=5e-4)
    assert [x == "" for x in col["decision_s"]] == list(np.isnan(flat("decision")))
