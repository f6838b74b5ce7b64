"""docs/validation.md is the code's current answer to every worked example, and all pass."""

from pathlib import Path

import pytest

from tools.validation_world import ENGINE_HEADING, render, updated_document, validation_rows

DOC = Path(__file__).resolve().parents[2] / "docs" / "validation.md"


@pytest.fixture(scope="module")
def rows():
    return validation_rows()


def test_every_row_is_within_its_tolerance(rows):
    assert [r.quantity for r in rows if not r.passed] == []


@pytest.mark.slow
def test_the_document_is_current(rows):
    text = DOC.read_text(encoding="utf-8")
    world = text[: text.index(ENGINE_HEADING)]
    assert world == render(rows) + "\n", "docs/validation.md is stale: run python -m tools.gen_docs"


@pytest.mark.slow
def test_the_engine_section_is_left_for_the_engine(rows):
    text = DOC.read_text(encoding="utf-8")
    assert "\n## Engine\n" in text
    assert "| check | formula | expected | simulated |" in text.split("\n## Engine\n")[1]  # the engine's own table
    appended = text + "| an engine row | ... |\n"
    assert updated_document(appended).endswith("| an engine row | ... |\n")  # regeneration keeps it


def test_the_brief_worked_numbers_are_all_there(rows):
    expected = {r.expected for r in rows}
    for number in (
        3117.6,
        893.1,
        1051.0,
        3.016,
        42.75,
        239.9,
        474.4,
        101971.6,
        144.21,
        25492.9,
        434.76,
        2886.444,
        0.91,
        1.3,
    ):
        assert number in expected


def test_a_wrong_computation_would_fail_its_row(rows):
    row = rows[0]
    assert not type(row)(**{**row.__dict__, "computed": row.expected * 1.002}).passed
