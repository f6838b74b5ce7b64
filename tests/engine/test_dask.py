"""The optional Dask executor gives the same numbers as the local one (skipped without the extra)."""

from __future__ import annotations

import numpy as np
import pytest

from sim.cluster import Dask
from sim.engine.outcome import THREAT_FIELDS
from sim.executors import Serial
from sim.runner import run
from sim.scenario.loader import load_scenario


@pytest.mark.slow
def test_dask_gives_the_same_outcomes_as_local():
    pytest.importorskip("dask.distributed")
    loaded = load_scenario("scenarios/stray_missile.yaml")
    local = run(loaded, runs=300, seed=9, executor=Serial())
    dask = run(loaded, runs=300, seed=9, executor=Dask(2))
    assert dask.info.executor == "dask"
    for f in THREAT_FIELDS:
        np.testing.assert_array_equal(local.outcomes.threats[f], dask.outcomes.threats[f], err_msg=f)
    np.testing.assert_array_equal(local.outcomes.readiness, dask.outcomes.readiness)


def test_without_the_extra_dask_is_bad_input_not_a_crash(monkeypatch, capsys):
    import sys

    from sim.cli import main

    monkeypatch.setitem(sys.modules, "dask.distributed", None)  # as if the extra were not installed
    with pytest.raises(SystemExit) as done:
        main(["run", "scenarios/stray_missile.yaml", "--runs", "150", "--executor", "dask", "--no-store"])
    err = capsys.readouterr().err
    assert done.value.code == 2
    assert err.strip() == "--executor dask: the dask executor needs the extra: pip install 'tabletop-sim[dask]'"
