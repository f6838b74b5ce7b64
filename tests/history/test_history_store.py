"""The run history: what goes in comes back, nothing is created by reading, and sim show prints the same report."""

from __future__ import annotations

import json
import sqlite3

import pytest
from history_setup import RUNS, SEED
from rich.console import Console

from sim.analysis import summarize, to_document
from sim.executors import Serial
from sim.report import terminal
from sim.scenario.loader import load_scenario
from sim.store import Store, StoreError, UnknownRun, sweep_key


def record_run(path, result, summary, kind="run", key=None):
    return Store(path).keep(kind, result.scenario, summary, key)


@pytest.fixture(scope="module")
def result(scenario_path):
    from sim.runner import run

    return run(load_scenario(scenario_path, ["units.0.crew.travel=6h"]), runs=RUNS, seed=SEED, executor=Serial())


def test_a_run_comes_back_as_it_went_in(tmp_path, result):
    path = tmp_path / ".sim" / "runs.db"
    summary = summarize(result)
    run_id = record_run(path, result, summary)
    stored = Store(path).get(run_id)
    assert stored.kind == "run" and stored.seed == SEED and stored.runs == RUNS
    assert stored.text == result.scenario.text and stored.sha256 == result.scenario.sha256
    assert stored.overrides == {"units.0.crew.travel": "6h"}
    expected = json.loads(json.dumps(to_document(summary)))
    assert stored.result == expected
    assert stored.result["metrics"]["margin_s"]["sd"] > 0  # the spread a later unpaired comparison needs


def test_the_summary_rebuilt_from_the_history_gives_the_same_report_and_file(tmp_path, result):
    summary = summarize(result)
    run_id = record_run(tmp_path / "runs.db", result, summary)
    stored = Store(tmp_path / "runs.db").get(run_id)
    rebuilt = stored.summary()
    assert to_document(rebuilt) == json.loads(json.dumps(to_document(summary)))

    def text(s):
        console = Console(width=100, record=True, file=open("/dev/null", "w"))
        console.print(terminal.render(s))
        return console.export_text()

    assert text(rebuilt) == text(summary)


def test_reading_a_history_that_is_not_there_creates_nothing(tmp_path):
    store = Store(tmp_path / ".sim" / "runs.db")
    assert store.recent() == [] and store.find("x") is None and store.count() == 0
    with pytest.raises(UnknownRun, match="no such run"):
        store.get(1)
    assert not (tmp_path / ".sim").exists()


def test_ids_count_up_and_recent_lists_the_latest_oldest_first(tmp_path, result):
    summary = summarize(result)
    ids = [record_run(tmp_path / "h.db", result, summary) for _ in range(4)]
    assert ids == [1, 2, 3, 4]
    assert [r.id for r in Store(tmp_path / "h.db").recent(limit=2)] == [3, 4]


def test_a_history_from_a_newer_version_is_refused(tmp_path, result):
    path = tmp_path / "h.db"
    record_run(path, result, summarize(result))
    with sqlite3.connect(path) as db:
        db.execute("INSERT INTO schema_version (version) VALUES (99)")
    with pytest.raises(StoreError, match="newer"):
        Store(path).recent()


def test_a_file_that_is_not_a_history_is_refused(tmp_path, result):
    path = tmp_path / "notes.db"
    path.write_text("these are my notes\n" * 100)
    with pytest.raises(StoreError):
        Store(path).recent()
    with pytest.raises(StoreError):
        record_run(path, result, summarize(result))
    assert path.read_text().startswith("these are my notes")


def test_the_sweep_key_changes_with_everything_the_numbers_depend_on():
    base = sweep_key("text", {"a": 1}, 1, 100, "0.1.0")
    assert base == sweep_key("text", {"a": 1}, 1, 100, "0.1.0")
    others = [
        sweep_key("text2", {"a": 1}, 1, 100, "0.1.0"),
        sweep_key("text", {"a": 2}, 1, 100, "0.1.0"),
        sweep_key("text", {"a": 1}, 2, 100, "0.1.0"),
        sweep_key("text", {"a": 1}, 1, 101, "0.1.0"),
        sweep_key("text", {"a": 1}, 1, 100, "0.2.0"),
        sweep_key("text", {}, 1, 100, "0.1.0"),
    ]
    assert base not in others and len(set(others)) == len(others)


V1_RUNS = """CREATE TABLE schema_version (version INTEGER NOT NULL);
CREATE TABLE runs (id INTEGER PRIMARY KEY AUTOINCREMENT, created TEXT NOT NULL,
    kind TEXT NOT NULL CHECK (kind IN ('run', 'sweep_point')), scenario TEXT NOT NULL, file TEXT NOT NULL,
    sha256 TEXT NOT NULL, scenario_text TEXT NOT NULL, overrides TEXT NOT NULL, seed INTEGER NOT NULL,
    runs INTEGER NOT NULL, version TEXT NOT NULL, executor TEXT NOT NULL, summary TEXT NOT NULL, sweep_key TEXT);
CREATE INDEX runs_sweep_key ON runs (sweep_key);
INSERT INTO schema_version VALUES (1);
"""


def test_a_history_of_schema_1_is_read_as_it_is_and_upgraded_on_its_first_write(tmp_path, result):
    """Histories written before sensitivity points had a kind of their own: their rows, ids and keys survive."""
    path = tmp_path / "v1.db"
    summary = summarize(result)
    with sqlite3.connect(path) as db:
        db.executescript(V1_RUNS)
    doc = json.dumps(to_document(summary))
    s = result.scenario
    with sqlite3.connect(path) as db:
        for run_id, kind, key in ((3, "run", None), (7, "sweep_point", "k7")):
            db.execute(
                "INSERT INTO runs VALUES (?, '2025-01-01T00:00:00+00:00', ?, 'stray', 'f', ?, ?, '{}', 11, ?, "
                "'0.1.0', 'serial', ?, ?)",
                (run_id, kind, s.sha256, s.text, RUNS, doc, key),
            )
    store = Store(path)
    assert [r.id for r in store.recent()] == [3, 7] and store.find("k7").kind == "sweep_point"
    with sqlite3.connect(path) as db:
        assert db.execute("SELECT version FROM schema_version").fetchall() == [(1,)]  # reading changes nothing
    new = store.keep("sensitivity_point", s, summary, "k8")
    assert new == 8  # ids go on from the old table's
    assert [(r.id, r.kind) for r in store.recent()] == [(3, "run"), (7, "sweep_point"), (8, "sensitivity_point")]
    assert store.find("k7").id == 7 and store.get(3).result == json.loads(doc)
    with sqlite3.connect(path) as db:
        assert db.execute("SELECT version FROM schema_version").fetchall() == [(2,)]
        tables = {r[0] for r in db.execute("SELECT name FROM sqlite_master")}
    assert "runs_v1" not in tables and "runs_sweep_key" in tables


def test_sim_runs_tells_sensitivity_points_from_sweep_points(tmp_path, result, capsys, monkeypatch):
    from sim.cli import main

    monkeypatch.setenv("COLUMNS", "200")  # one line per run
    path = tmp_path / "h.db"
    summary = summarize(result)
    record_run(path, result, summary, "sweep_point", "a")
    record_run(path, result, summary, "sensitivity_point", "b")
    with pytest.raises(SystemExit) as done:
        main(["runs", "--store", str(path)])
    out = capsys.readouterr().out
    assert done.value.code == 0
    assert out.count("(sweep point)") == 1 and out.count("(sensitivity point)") == 1
