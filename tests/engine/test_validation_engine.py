"""docs/validation.md's engine section is what the engine gives now, and every check is within tolerance."""

from __future__ import annotations

import pytest

from tools.engine_checks import engine_rows, render, updated_document
from tools.validation_world import DOC_PATH


@pytest.mark.slow  # every engine check of docs/validation.md, re-run
def test_engine_section_is_current_and_within_tolerance():
    rows = engine_rows()
    assert all(abs(sim - exp) <= tol for _, _, exp, sim, tol, _ in rows), render(rows)
    current = DOC_PATH.read_text(encoding="utf-8")
    assert updated_document(current, rows) == current, (
        "docs/validation.md's engine section is stale: run `python -m tools.gen_docs` and commit it"
    )
