"""The generated scenario reference: a section and a full table per part, the value syntax explained."""

from __future__ import annotations

import re

import pytest

from sim.scenario.distributions import FAMILIES, parse_distribution
from sim.scenario.quantities import DURATION, FRACTION, KINDS, parse
from sim.scenario.schema import models
from tools.scenario_reference import reference_markdown


@pytest.fixture(scope="module")
def text():
    return reference_markdown()


def section(text: str, title: str) -> str:
    m = re.search(rf"^### {re.escape(title)}\n(.*?)(?=^##|\Z)", text, re.S | re.M)
    assert m, f"no section {title}"
    return m.group(1)


def table_keys(body: str) -> list[str]:
    return re.findall(r"^\| `([a-z_0-9]+)` \|", body, re.M)


@pytest.mark.parametrize("part", ["Scenario", "AlertLevel", "Post", "Unit", "Crew", "Depot", "Threat", "Failure"])
def test_named_parts_have_sections(text, part):
    assert "| Key | Type | Default | Description |" in section(text, part)


def test_every_part_has_a_table_with_every_key(text):
    for model in models():
        body = section(text, model.__name__)
        assert table_keys(body) == list(model.model_fields), model.__name__


def test_descriptions_and_defaults_come_from_the_model(text):
    crew = section(text, "Crew")
    assert "| `travel` | duration or distribution | `4h` | Travel time of one officer back to post. |" in crew
    assert "| `on_station` | whole number (>= 0, <= 1 000) | **required** | Officers at post at the start. |" in crew
    unit = section(text, "Unit")
    assert "| `crew` | [Crew](#crew) | **required** |" in unit
    assert "| `checks` | [Checks](#checks) | see [Checks](#checks) |" in unit
    assert "Written at: `units[]`" in unit
    assert "| `runs` | whole number (>= 1, <= 10 000 000) | `1000` |" in section(text, "Scenario")
    assert "| `monitoring` | one of `routine`, `mass` | `routine` |" in section(text, "AlertLevel")


def test_every_link_has_a_target(text):
    anchors = {m.__name__.lower() for m in models()}
    for target in re.findall(r"\]\(#([a-z0-9-]+)\)", text):
        assert target in anchors


def test_quantity_syntax_is_explained(text):
    body = section(text, "Quantities")
    for kind in KINDS.values():
        assert kind.example in body
        for unit in kind.units:
            assert f"`{unit}`" in body
    assert "`1h30min`" in body and "`1:30` is refused" in body


def test_distribution_syntax_is_explained(text):
    body = section(text, "Distributions")
    for family in FAMILIES:
        assert f"| {family} |" in body
    assert "notify: {dist: lognormal, median: 20min, p90: 1h}" in body


def test_examples_in_the_reference_are_valid(text):
    """Every backticked distribution in the distributions table parses (duration and fraction columns)."""
    body = section(text, "Distributions")
    rows = [line for line in body.splitlines() if line.startswith("| ") and "`" in line]
    assert len(rows) == len(FAMILIES)
    for row in rows:
        cells = [c.strip() for c in row.strip("|").split(" | ")]
        for cell, kind in ((cells[2], DURATION), (cells[3], FRACTION)):
            if cell == "-":
                continue
            example = cell.strip("`").strip('"')
            parse_distribution(example, kind)


def test_compound_duration_example_is_true():
    assert parse("2d 6h", DURATION) == 2 * 86400 + 6 * 3600


def test_the_file_ends_with_one_newline(text):
    assert text.endswith("\n") and not text.endswith("\n\n")
