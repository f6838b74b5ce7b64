"""Fixtures for the report tests: one synthetic run and its summary, shared by the whole session."""

from __future__ import annotations

import pytest
from synthetic import synthetic_result

from sim.analysis import summarize


@pytest.fixture(scope="session")
def result():
    return synthetic_result()


@pytest.fixture(scope="session")
def summary(result):
    return summarize(result)
