"""The committed docs equal what the generators produce from the code now."""

from __future__ import annotations

from pathlib import Path

import pytest

from sim.scenario.schema import schema_text
from tools.gen_docs import DOCS as GENERATED_DOCS
from tools.gen_docs import main as gen_docs
from tools.scenario_reference import REFERENCE_FILE, REGENERATE, reference_markdown

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
    assert GENERATED_DOCS == DOCS


@pytest.mark.slow  # regenerates every document, the validation tables included
def test_every_generated_document_is_current():
    """`python -m tools.gen_docs --check` is what a contributor runs; it agrees with the tests above."""
    assert gen_docs(["--check"]) == 0, "run `python -m tools.gen_docs` and commit the result"
