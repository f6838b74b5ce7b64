"""The result file both ways: /2 written and read back losslessly, /1 files of 0.1.0 still read,
and a file that is not a result is bad input with the path of what is wrong."""

from __future__ import annotations

import json
from pathlib import Path

import jsonschema
import pytest

from sim.analysis import ResultFileError, from_document, from_text, to_document
from sim.cli import main

DATA = Path(__file__).parent / "data"
SCHEMA = json.loads((Path(__file__).parents[1] / "docs" / "result.schema.json").read_text(encoding="utf-8"))
STRAY = "scenarios/stray_missile.yaml"


def sim(capsys, *args):
    with pytest.raises(SystemExit) as done:
        main(list(args))
    out, err = capsys.readouterr()
    return done.value.code, out, err


def test_a_0_1_0_file_is_read_with_its_threats_posts_and_conditions():
    doc = json.loads((DATA / "result_v1_stray_missile.json").read_text(encoding="utf-8"))
    s = from_document(doc)
    assert s.names.threats == ("failed_test", "stray")
    assert s.names.posts == ("general_staff", "district_hq", "division_cp")
    assert s.names.units == ("s400_vladivostok",) and s.names.levels == ("constant", "heightened", "full")
    main_outcome = s.pooled.outcomes["intercepted_given_threatened"]
    assert main_outcome.count == doc["outcomes"]["intercepted_given_threatened"]["count"]
    assert main_outcome.n == doc["conditions"]["intercepted_given_threatened"]["n"]
    stray = s.threats["stray"].outcomes["leaked_given_threatened"]
    assert (stray.count, stray.n) == (
        doc["outcomes"]["stray.leaked_given_threatened"]["count"],
        doc["conditions"]["stray.leaked_given_threatened"]["n"],
    )
    assert s.pooled.decided_by["district_hq"].count == doc["outcomes"]["decided_by_district_hq"]["count"]
    assert s.any_threat_leaked is not None and s.any_threat_leaked.n == doc["run"]["runs"]
    assert s.pooled.metrics["margin_s"].p50 == doc["metrics"]["margin_s"]["p50"]
    # and it can be written again as /2, which the schema accepts
    jsonschema.validate(to_document(s), SCHEMA)


def test_a_0_1_0_file_without_threats_has_none():
    s = from_document(json.loads((DATA / "result_v1_alert_recall.json").read_text(encoding="utf-8")))
    assert s.names.threats == () and s.threats == {}
    assert s.names.units == ("s400_primorye", "s400_khabarovsk")
    assert s.readiness["s400_primorye"]["heightened"].reached.p == pytest.approx(1.0)


@pytest.mark.parametrize(
    "change, path",
    [
        (lambda d: d.update(outcomes=5), "outcomes"),
        (lambda d: d.update(scenario="x"), "scenario"),
        (lambda d: d["scenario"].update(file=123), "scenario.file"),
        (lambda d: d["run"].update(runs=-5), "run.runs"),
        (lambda d: d["outcomes"]["leaked"].update(p="high"), "outcomes.leaked.p"),
        (lambda d: d["outcomes"]["leaked"].update(count=10**6), "outcomes.leaked"),
        (lambda d: d.update(schema="sim.result/9"), "schema"),
        (lambda d: d.pop("names"), "names"),
    ],
)
def test_a_hand_made_file_that_is_not_a_result_says_where(change, path):
    doc = json.loads((DATA / "result_v1_stray_missile.json").read_text(encoding="utf-8"))
    doc = to_document(from_document(doc))
    change(doc)
    with pytest.raises(ResultFileError) as bad:
        from_document(doc)
    assert bad.value.path == path


def test_compare_refuses_a_bad_result_file_with_one_line(capsys, tmp_path):
    bad = tmp_path / "bad.json"
    bad.write_text('{"schema": "sim.result/2", "outcomes": 5}')
    code, _, err = sim(capsys, "compare", str(bad), str(bad))
    assert code == 2
    assert err.strip().splitlines() == [f"{bad}: scenario: not a result file: missing"]


def test_every_written_result_follows_the_schema(capsys, tmp_path):
    target = tmp_path / "r.json"
    code, _, err = sim(capsys, "run", STRAY, "--runs", "100", "--json", str(target), "--no-store", "--quiet")
    assert code == 0, err
    doc = json.loads(target.read_text(encoding="utf-8"))
    jsonschema.validate(doc, SCHEMA)
    assert to_document(from_text(target.read_text(encoding="utf-8"))) == doc


def test_sim_show_keeps_a_threat_whose_name_has_a_dot(capsys, tmp_path):
    store = str(tmp_path / "runs.db")
    code, run_out, _ = sim(capsys, "run", STRAY, "--runs", "100", "--set", "threats.1.name=stray.a", "--store", store)
    assert code == 0
    code, show_out, _ = sim(capsys, "show", "1", "--store", store)
    assert code == 0
    assert "stray.a" in show_out
    table = lambda text: text[text.index("Outcomes") : text.index("Readiness")]  # noqa: E731
    assert table(show_out) == table(run_out)


def test_sim_show_of_a_scenario_without_threats_prints_no_outcome_tables(capsys, tmp_path):
    store = str(tmp_path / "runs.db")
    code, run_out, _ = sim(capsys, "run", "scenarios/alert_recall.yaml", "--runs", "100", "--store", store)
    assert code == 0
    code, show_out, _ = sim(capsys, "show", "1", "--store", store)
    assert code == 0
    assert "Outcomes" not in show_out and "No threats in this scenario" in show_out
    assert show_out[show_out.index("Readiness") :] == run_out[run_out.index("Readiness") :]
