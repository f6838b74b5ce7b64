"""Shared pieces for the tests that no command loses or destroys a trainer's work."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from safety_setup import STRAY


@pytest.fixture
def scenario(tmp_path) -> Path:
    """A copy of the stray-missile scenario in a folder of its own (the tests write beside it)."""
    path = tmp_path / "s.yaml"
    shutil.copy(STRAY, path)
    return path


@pytest.fixture(autouse=True)
def in_tmp(tmp_path, monkeypatch):
    """Every command runs in the test's folder: the default history .sim/runs.db lands there."""
    monkeypatch.chdir(tmp_path)
