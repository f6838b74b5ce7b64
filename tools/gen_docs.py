"""Regenerate every generated document in docs/ from the code: ``python -m tools.gen_docs [--check]``.

- docs/validation.md: the world's worked examples and the engine's closed-form checks
- docs/scenario-reference.md and docs/scenario.schema.json: from the scenario model

With ``--check`` nothing is written; the exit code says whether every document is current. The
tests call the same functions, so a document that drifts from the code fails the suite.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Callable
from pathlib import Path

DOCS = Path(__file__).resolve().parents[1] / "docs"
VALIDATION = DOCS / "validation.md"
REGENERATE = "python -m tools.gen_docs"


def validation_text(current: str | None = None) -> str:
    """docs/validation.md: the world section, then the engine section."""
    from tools.engine_checks import engine_rows, updated_document
    from tools.validation_world import updated_document as world_document

    return updated_document(world_document(current), engine_rows())


def generated() -> dict[Path, Callable[[str | None], str]]:
    """Each generated document and how to make it from its current text."""
    from sim.scenario.schema import PACKAGED_SCHEMA_FILE, schema_text
    from tools.scenario_reference import reference_markdown

    return {
        VALIDATION: validation_text,
        DOCS / "scenario-reference.md": lambda _current: reference_markdown(),
        DOCS / "scenario.schema.json": lambda _current: schema_text(),
        PACKAGED_SCHEMA_FILE: lambda _current: schema_text(),
    }


def main(argv: list[str]) -> int:
    check = "--check" in argv
    stale = []
    for path, make in generated().items():
        current = path.read_text(encoding="utf-8") if path.exists() else None
        text = make(current)
        if text == current:
            continue
        stale.append(path)
        if not check:
            path.write_text(text, encoding="utf-8")
            print(f"wrote {os.path.relpath(path, DOCS.parent)}")
    if check and stale:
        for path in stale:
            print(f"{os.path.relpath(path, DOCS.parent)} is stale: run {REGENERATE}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
