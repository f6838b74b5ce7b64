"""One real Dask cluster (a scheduler and two workers on 127.0.0.1) shared by the cluster tests."""

from __future__ import annotations

import pytest
from dask_processes import dask_cluster


@pytest.fixture(scope="session")
def scheduler(tmp_path_factory):
    pytest.importorskip("dask.distributed", reason="the dask extra is not installed: pip install 'tabletop-sim[dask]'")
    with dask_cluster(tmp_path_factory.mktemp("dask")) as address:
        yield address
