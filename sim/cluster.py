"""The Dask executor: a local cluster, or a scheduler already running (``--scheduler``, ``DASK_SCHEDULER_ADDRESS``).

Before any block is sent, every worker is asked which tabletop-sim it would run: a worker without
it, or with another version, is named in one line and nothing runs. Then each study's plan is sent
to every worker once, and the blocks of all the studies go out together as one pool. Block b is a
pure function of (plan, seed, b), so the numbers equal the local executor's whatever the cluster.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from typing import Any

import sim
from sim.executors import ExecutorUnavailable, Finished, Work, _Base, compute_blocks, super_blocks

CONNECT_TIMEOUT_S = 10  # reaching the scheduler
WORKERS_TIMEOUT_S = 30  # waiting for the first worker to join it
EXTRA = "pip install 'tabletop-sim[dask]'"


def scheduler_address(given: str | None) -> str | None:
    """The scheduler to use: the one given, else Dask's configuration (``DASK_SCHEDULER_ADDRESS``), else none."""
    if given:
        return given
    import dask.config

    found = dask.config.get("scheduler-address", None)
    return str(found) if found else None


def version_problems(versions: dict[str, Any], mine: str = sim.__version__) -> list[str]:
    """One line per worker that cannot run our blocks, from what :func:`installed_version` said on each."""
    from sim.worker_probe import NOT_INSTALLED

    lines = []
    for worker, version in sorted(versions.items()):
        if isinstance(version, BaseException):
            lines.append(f"dask worker {worker}: could not be asked for its tabletop-sim version: {version}")
        elif version == NOT_INSTALLED:
            lines.append(
                f"dask worker {worker}: tabletop-sim is not installed there "
                f"(install tabletop-sim=={mine} on every worker)"
            )
        elif version != mine:
            lines.append(
                f"dask worker {worker}: runs tabletop-sim {version}, this machine {mine} "
                "(install the same version on every worker)"
            )
    return lines


def ask_workers(client: Any) -> dict[str, Any]:
    """Every worker's answer to :func:`installed_version`, the probe shipped by value (see sim.worker_probe)."""
    import cloudpickle

    import sim.worker_probe as probe

    cloudpickle.register_pickle_by_value(probe)
    return dict(client.run(probe.installed_version, on_error="return"))


class Dask(_Base):
    """A Dask cluster: a LocalCluster of ``workers`` processes, or the scheduler at ``address``.

    The cluster is reached on first use and kept until :meth:`close` (or the end of a ``with``), so
    the points of a sweep and the two sides of a comparison share one cluster.
    """

    name = "dask"

    def __init__(self, workers: int, address: str | None = None, announce: Callable[[str], None] | None = None):
        try:  # checked here, before any work, so a missing extra is bad input and not a failure mid-run
            import dask.distributed  # noqa: F401
        except ImportError:
            raise ExecutorUnavailable(f"the dask executor needs the extra: {EXTRA}") from None
        self.workers = workers
        self.address = scheduler_address(address)
        self.announce = announce or (lambda line: None)
        self._client: Any = None
        self._cluster: Any = None

    def open(self) -> Any:
        """Reach the cluster (once) and check its workers; raises ExecutorUnavailable naming what is wrong."""
        if self._client is not None:
            return self._client
        from dask.distributed import Client, LocalCluster

        if self.address:
            try:
                client = Client(self.address, timeout=f"{CONNECT_TIMEOUT_S}s")
            except (OSError, TimeoutError) as exc:
                raise ExecutorUnavailable(f"cannot reach the Dask scheduler at {self.address}: {exc}") from None
        else:
            import dask

            from sim.scratch import folder

            space = str(folder() / "dask")  # not /tmp/dask-scratch-space, which would outlive the run
            dask.config.set({"temporary-directory": space})
            with dask.config.set({"distributed.nanny.pre-spawn-environ": _worker_environ()}):  # for these workers only
                self._cluster = LocalCluster(
                    n_workers=self.workers,
                    threads_per_worker=1,
                    processes=True,
                    dashboard_address=":0",  # any free port: a scheduler's HTTP server runs with or without a dashboard
                    scheduler_kwargs={"dashboard": _has_bokeh()},  # the dashboard pages only where bokeh can draw them
                    local_directory=space,
                )
            client = Client(self._cluster)
        self._client = client
        try:
            self._check(client)
        except BaseException:
            self.close()
            raise
        return client

    def _check(self, client: Any) -> None:
        try:
            client.wait_for_workers(1, timeout=WORKERS_TIMEOUT_S)
        except TimeoutError:
            raise ExecutorUnavailable(
                f"the Dask scheduler at {self.address} has no workers "
                f"(waited {WORKERS_TIMEOUT_S} s): start some with 'dask worker {self.address}'"
            ) from None
        problems = version_problems(ask_workers(client))
        if problems:
            raise ExecutorUnavailable("\n".join(problems))
        info = client.scheduler_info()
        self.workers = sum(int(w.get("nthreads", 1)) for w in info.get("workers", {}).values()) or self.workers
        where = self.address or "a local cluster"
        board = f"; dashboard {client.dashboard_link}" if "dashboard" in info.get("services", {}) else ""
        self.announce(f"dask: {len(info.get('workers', {}))} workers ({self.workers} threads) at {where}{board}")

    def run_many(self, work: Sequence[Work]) -> Iterator[Finished]:
        from dask.distributed import as_completed

        client = self.open()
        futures: dict[Any, int] = {}
        for i, (plan, seed, jobs) in enumerate(work):
            shared = client.scatter(plan, broadcast=True)
            for group in super_blocks(jobs, self.workers):  # a super-block a task: Dask's cost per task is paid once
                futures[client.submit(compute_blocks, shared, seed, list(group), pure=False)] = i
        try:
            for f in as_completed(futures):
                study = futures[f]
                for block, output in _result(f):
                    yield study, block, output
        except BaseException:
            client.cancel(list(futures))
            raise

    def close(self) -> None:
        client, cluster, self._client, self._cluster = self._client, self._cluster, None, None
        if client is not None:
            client.close()
        if cluster is not None:
            cluster.close()


def _worker_environ() -> dict[str, Any]:
    """The environment Dask's nanny gives a local worker, without ``MALLOC_TRIM_THRESHOLD_``.

    Setting that variable also switches off glibc's sliding mmap threshold, so every numpy temporary over
    128 kB becomes a fresh mmap, page-faulted in and unmapped again: 10,000 stray_missile replications then
    spent 12 s in the kernel and took twice the process pool's time. Without it, 0.6 s (docs/performance.md).
    """
    import dask

    environ = dask.config.get("distributed.nanny.pre-spawn-environ", default={}) or {}
    return {k: v for k, v in dict(environ).items() if k != "MALLOC_TRIM_THRESHOLD_"}


def _result(future: Any) -> Any:
    """A block's outcome; a worker that joined after the check and cannot import sim is named, not a traceback."""
    try:
        return future.result()
    except ModuleNotFoundError as exc:
        if (exc.name or "").split(".")[0] != "sim":
            raise
        raise ExecutorUnavailable(
            f"a dask worker cannot import tabletop-sim ({exc}): install tabletop-sim=={sim.__version__} on every worker"
        ) from None


def _has_bokeh() -> bool:
    import importlib.util

    return importlib.util.find_spec("bokeh") is not None
