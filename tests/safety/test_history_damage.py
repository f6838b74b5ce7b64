"""The history survives damage: bad rows skipped and named, a damaged file explained, no duplicates."""

from __future__ import annotations

import multiprocessing
import re
import sqlite3
from pathlib import Path

import pytest
from safety_setup import QUICK, sim

from sim.store import SCHEMA_VERSION, Store

HISTORY = Path(".sim/runs.db")


def two_runs(capsys, scenario) -> None:
    for _ in range(2):
        assert sim(capsys, "run", scenario, *QUICK)[0] == 0


@pytest.mark.slow
def test_a_bad_row_is_skipped_and_named(capsys, scenario):
    two_runs(capsys, scenario)
    with sqlite3.connect(HISTORY) as db:
        db.execute("UPDATE runs SET summary = '{bad' WHERE id = 1")
    code, out, err = sim(capsys, "runs")
    assert code == 0
    assert err.strip().startswith(f"{HISTORY}: run 1: skipped, it cannot be read:")
    listed = [line.split()[0] for line in out.splitlines() if re.match(r"\s*\d+\s+\d\d-\d\d ", line)]
    assert listed == ["2"]
    code, _, err = sim(capsys, "show", "1")
    assert code == 2 and "run 1: skipped, it cannot be read" in err
    assert sim(capsys, "show", "2")[0] == 0


@pytest.mark.slow
def test_a_bad_date_is_a_bad_row_too(capsys, scenario):
    two_runs(capsys, scenario)
    with sqlite3.connect(HISTORY) as db:
        db.execute("UPDATE runs SET created = 'yesterday' WHERE id = 2")
    code, _, err = sim(capsys, "runs")
    assert code == 0 and "run 2: skipped" in err
    code, _, err = sim(capsys, "compare", "1", "2")
    assert code == 2 and "run 2: skipped, it cannot be read" in err


def test_a_damaged_file_is_bad_input_with_advice_before_any_work(capsys, scenario):
    HISTORY.parent.mkdir()
    HISTORY.write_bytes(b"this is not SQLite" * 100)
    for args in (
        ("run", scenario, *QUICK),
        ("runs",),
        ("show", "1"),
        ("sweep", scenario, "--vary", "runs=100,200", "--workers", "1", "--quiet"),
    ):
        code, _, err = sim(capsys, *args)
        assert code == 2, args
        assert err.startswith(f"--store {HISTORY}: ") and f"mv {HISTORY} {HISTORY}.damaged" in err, args
    assert HISTORY.read_bytes() == b"this is not SQLite" * 100


@pytest.mark.slow
def test_an_empty_file_is_an_empty_history_for_every_command(capsys, scenario):
    HISTORY.parent.mkdir()
    HISTORY.touch()
    code, out, _ = sim(capsys, "runs")
    assert code == 0 and "no runs kept" in out
    code, _, err = sim(capsys, "sweep", scenario, "--vary", "runs=100", "--workers", "1", "--quiet")
    assert code == 0, err
    assert Store(HISTORY).count() == 1


@pytest.mark.slow
def test_ids_and_seeds_beyond_sqlite_are_bad_input(capsys, scenario):
    big = str(2**63)
    for args in (
        ("show", big),
        ("run", scenario, *QUICK, "--seed", big),
        ("sweep", scenario, "--vary", "runs=100", "--seed", big),
    ):
        code, _, err = sim(capsys, *args)
        assert code == 2 and "less than or equal to 9223372036854775807" in err, (args, err)
    code, _, err = sim(capsys, "compare", big, "1")
    assert code == 2 and "no such run" in err
    assert sim(capsys, "run", scenario, *QUICK, "--seed", str(2**63 - 1))[0] == 0  # the largest one is kept
    assert Store(HISTORY).recent()[0].seed == 2**63 - 1


def _open_history(path: str, go) -> None:  # type: ignore[no-untyped-def]
    go.wait()
    Store(path)._open(create=True).close()


def test_concurrent_first_writers_add_one_schema_row(tmp_path):
    path = str(tmp_path / "h.db")
    ctx = multiprocessing.get_context("fork")
    go = ctx.Event()
    writers = [ctx.Process(target=_open_history, args=(path, go)) for _ in range(6)]
    for w in writers:
        w.start()
    go.set()
    for w in writers:
        w.join(30)
    assert [w.exitcode for w in writers] == [0] * 6
    with sqlite3.connect(path) as db:
        assert db.execute("SELECT version FROM schema_version").fetchall() == [(SCHEMA_VERSION,)]
