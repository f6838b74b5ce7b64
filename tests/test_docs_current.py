"""The committed docs equal what the generators produce from the code now."""

from __future__ import annotations

from pathlib import Path

import pytest

from sim.scenario.reference import REFERENCE_FILE, REGENERATE, reference_markdown
from sim.scenario.schema import SCHEMA_FILE, schema_text

DOCS = Path(__file__).resolve().parents[1] / "docs"


@pytest.mark.parametrize(
    "path, generate",
    [(DOCS / "scenario-reference.md", reference_markdown), (DOCS / "scenario.schema.json", schema_text)],
    ids=["scenario-reference.md", "scenario.schema.json"],
)
def test_committed_doc_is_current(path, generate):
    assert path.exists(), f"{path} is missing: run `{REGENERATE}` and commit it"
    assert path.read_text(encoding="utf-8") == generate(), (
        f"{path.relative_to(DOCS.parent)} is stale (the scenario model changed): run `{REGENERATE}` and commit the result"
    )


def test_generators_write_where_the_docs_live():
    assert REFERENCE_FILE == DOCS / "scenario-reference.md"
    assert SCHEMA_FILE == DOCS / "scenario.schema.json"
