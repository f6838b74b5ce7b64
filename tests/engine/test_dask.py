"""The optional Dask executor gives the same numbers as the local one (skipped without the extra)."""

from __future__ import annotations

import os

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
    with Dask(2) as cluster:
        dask = run(loaded, runs=300, seed=9, executor=cluster)
    assert dask.info.executor == "dask"
    for f in THREAT_FIELDS:
        np.testing.assert_array_equal(local.outcomes.threats[f], dask.outcomes.threats[f], err_msg=f)
    np.testing.assert_array_equal(local.outcomes.readiness, dask.outcomes.readiness)


@pytest.mark.slow
def test_local_workers_keep_glibc_s_sliding_mmap_threshold():
    """Dask's nanny sets MALLOC_TRIM_THRESHOLD_, which pins glibc's mmap threshold at 128 kB: every numpy temporary
    is then mapped and faulted in afresh (twice the pool's wall time). The local cluster leaves it out, and only it."""
    pytest.importorskip("dask.distributed")
    import dask

    nanny = dask.config.get("distributed.nanny.pre-spawn-environ")
    assert "MALLOC_TRIM_THRESHOLD_" in nanny  # what Dask does by default, so the test below means something
    with Dask(1) as cluster:
        seen = cluster.open().run(lambda: {k: os.environ.get(k) for k in ("MALLOC_TRIM_THRESHOLD_", "OMP_NUM_THREADS")})
    (worker,) = seen.values()
    assert worker["MALLOC_TRIM_THRESHOLD_"] is None
    assert worker["OMP_NUM_THREADS"] == str(nanny["OMP_NUM_THREADS"])  # the rest of Dask's environment stays


def test_without_the_extra_dask_is_bad_input_not_a_crash(monkeypatch, capsys):
    import sys

    from sim.cli import main

    monkeypatch.setitem(sys.modules, "dask.distributed", None)  # as if the extra were not installed
    with pytest.raises(SystemExit) as done:
        main(["run", "scenarios/stray_missile.yaml", "--runs", "150", "--executor", "dask", "--no-store"])
    err = capsys.readouterr().err
    assert done.value.code == 2
    assert err.strip() == "--executor dask: the dask executor needs the extra: pip install 'tabletop-sim[dask]'"
