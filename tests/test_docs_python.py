"""Every ```python block of docs/python.md runs, in order, in one namespace, as a notebook would run it.

A block's last expression is shown as a notebook shows it (its ``repr``), so a result whose display
fails fails here too. The blocks run in a temporary folder holding a copy of ``scenarios/``.
"""

from __future__ import annotations

import ast
import re
import shutil
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
DOC = ROOT / "docs" / "python.md"


def python_blocks(text: str) -> list[tuple[int, str]]:
    """(line, code) of each ```python block, in order."""
    out = []
    for m in re.finditer(r"^```python\n(.*?)^```", text, re.S | re.M):
        out.append((text.count("\n", 0, m.start()) + 2, m.group(1)))
    return out


def run_block(code: str, where: str, namespace: dict) -> object:
    tree = ast.parse(code, where)
    last = tree.body.pop() if tree.body and isinstance(tree.body[-1], ast.Expr) else None
    exec(compile(tree, where, "exec"), namespace)
    if last is None:
        return None
    value = eval(compile(ast.Expression(last.value), where, "eval"), namespace)
    repr(value)
    return value


def test_the_page_has_blocks_to_run():
    blocks = python_blocks(DOC.read_text())
    assert len(blocks) >= 10
    assert all(code.strip() for _, code in blocks)


@pytest.mark.slow  # the page runs the stray scenario a dozen times and a sensitivity study: minutes, not seconds
def test_every_python_block_of_the_walk_through_runs(tmp_path, monkeypatch):
    pytest.importorskip("pandas", reason="the api extra is not installed: pip install 'tabletop-sim[api]'")
    pytest.importorskip("pyarrow", reason="the api extra is not installed: pip install 'tabletop-sim[api]'")
    shutil.copytree(ROOT / "scenarios", tmp_path / "scenarios")
    monkeypatch.chdir(tmp_path)
    namespace: dict = {"__name__": "__docs__"}
    for line, code in python_blocks(DOC.read_text()):
        run_block(code, f"docs/python.md:{line}", namespace)
    assert (tmp_path / "run.parquet").is_file() and (tmp_path / "history.db").is_file()
