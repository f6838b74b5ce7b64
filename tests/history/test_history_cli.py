"""The commands as a trainer types them: exit codes, one-line errors, and the history found again."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from sim.cli import main


@pytest.fixture(autouse=True)
def in_a_fresh_folder(tmp_path, monkeypatch):
    """Every test in its own working folder, so the default history (.sim/runs.db) is its own."""
    monkeypatch.chdir(tmp_path)


def sim(capsys, *args) -> tuple[int, str, str]:
    with pytest.raises(SystemExit) as exc:
        main([str(a) for a in args])
    out, err = capsys.readouterr()
    return exc.value.code, out, err


@pytest.mark.slow
def test_what_if_officers_take_longer_to_come_back(capsys, scenario_path, slow_recall_path):
    code, out, err = sim(
        capsys,
        "compare",
        scenario_path,
        slow_recall_path,
        "--runs",
        200,
        "--seed",
        11,
        "--workers",
        1,
        "--json",
        "answer.json",
        "--html",
        "answer.html",
    )
    assert code == 0, err
    assert "What changed A -> B" in out and "units.0.crew.travel" in out
    assert "intercepted | threatened:" in out and "95% CI" in out
    doc = json.loads(Path("answer.json").read_text())
    assert doc["paired"] and doc["outcomes"]["intercepted_given_threatened"]["diff"] is not None
    assert Path("answer.html").read_text().startswith("<!DOCTYPE html>")
    assert not Path(".sim").exists()  # compare keeps nothing in the history


@pytest.mark.slow
def test_a_run_is_kept_listed_shown_and_compared(capsys, scenario_path):
    assert not Path(".sim").exists()
    code, _, err = sim(capsys, "run", scenario_path, "--runs", 100, "--workers", 1)
    assert code == 0 and "kept as run 1 in .sim/runs.db" in err
    code, _, err = sim(
        capsys, "run", scenario_path, "--runs", 100, "--workers", 1, "--quiet", "--set", "units.0.crew.travel=12h"
    )
    assert code == 0 and err == ""

    code, out, _ = sim(capsys, "runs")
    assert code == 0 and "units.0.crew.travel=12h" in out
    assert [line.split()[0] for line in out.splitlines() if line.strip()[:1].isdigit()] == ["1", "2"]

    code, out, _ = sim(capsys, "show", 2, "--json", "two.json")
    assert code == 0 and "run 2 of the history" in out and "Outcomes" in out
    assert json.loads(Path("two.json").read_text())["scenario"]["overrides"] == {"units.0.crew.travel": "12h"}

    code, out, err = sim(capsys, "compare", 1, 2)
    assert code == 0, err
    assert "unpaired" in out and "units.0.crew.travel" in out


def test_no_store_keeps_nothing(capsys, scenario_path):
    code, _, _ = sim(capsys, "run", scenario_path, "--runs", 100, "--workers", 1, "--quiet", "--no-store")
    assert code == 0 and not Path(".sim").exists()
    code, out, _ = sim(capsys, "runs")
    assert code == 0 and "no runs kept" in out and not Path(".sim").exists()


@pytest.mark.slow
def test_sweep_twice_gives_the_same_answer_and_runs_nothing_the_second_time(capsys, scenario_path):
    args = ("sweep", scenario_path, "--vary", "units.0.crew.travel=3h,48h", "--runs", 100, "--workers", 1)
    code, out, err = sim(capsys, *args, "--json", "first.json")
    assert code == 0, err
    assert "Effects on intercepted | threatened, averaged over the whole grid" in " ".join(out.split())
    code, out, err = sim(capsys, *args, "--json", "second.json")
    assert code == 0, err
    assert "2 of 2 points read back from the history" in out
    first, second = (json.loads(Path(f).read_text()) for f in ("first.json", "second.json"))
    assert [p["reused"] for p in second["points"]] == [True, True]
    assert [p["run_id"] for p in second["points"]] == [p["run_id"] for p in first["points"]]
    assert [p["result"] for p in second["points"]] == [p["result"] for p in first["points"]]
    assert second["sensitivity"] == first["sensitivity"]


@pytest.mark.parametrize(
    "args, starts",
    [
        (("compare", "missing.yaml", "{scenario}"), "missing.yaml: no such file"),
        (("compare", "{scenario}", "7"), "7: no such run in .sim/runs.db"),
        (("show", "7"), "7: no such run in .sim/runs.db"),
        (("show", "seven"), "sim show: Invalid value for 'RUN'"),
        (("sweep", "{scenario}", "--vary", "units.0.crew.travel"), "--vary units.0.crew.travel: expected PATH=V1,V2"),
        (("sweep", "{scenario}", "--vary", "units.0.crew.travel=3h,soon"), "--vary units.0.crew.travel=3h,soon: "),
        (("sweep", "{scenario}", "--vary", "units.0.crew.trvel=3h"), "--vary units.0.crew.trvel=3h: "),
        (("sweep", "missing.yaml", "--vary", "runs=1,2"), "missing.yaml: no such file"),
        (("sweep", "{scenario}"), "sim sweep: Missing option '--vary'"),
        (("compare", "{scenario}", "{scenario}", "--json", "no/such/folder/c.json"), "--json no/such/folder/c.json: "),
    ],
)
def test_bad_input_is_one_line_and_exit_2(capsys, scenario_path, args, starts):
    code, out, err = sim(capsys, *(a.format(scenario=scenario_path) for a in args))
    assert code == 2
    assert len(err.splitlines()) == 1 and err.startswith(starts), err
    assert "Traceback" not in err and out == ""
    assert not Path(".sim").exists()  # nothing ran, nothing was kept


def test_a_result_file_that_is_not_one_is_bad_input(capsys, scenario_path):
    Path("other.json").write_text('{"schema": "something/else"}')
    code, _, err = sim(capsys, "compare", "other.json", scenario_path)
    assert code == 2 and err.startswith("other.json: schema: not a result file")
