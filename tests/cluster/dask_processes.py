"""A real Dask cluster on 127.0.0.1 for the tests: ``dask scheduler`` and ``dask worker`` processes.

Random free ports, bounded waits, and every process killed (its whole process group) on the way out,
whether the test passed, failed or was interrupted.
"""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
START_TIMEOUT_S = 90


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _start(args: list[str], log: Path) -> subprocess.Popen:
    env = dict(os.environ, PYTHONPATH=str(ROOT) + os.pathsep + os.environ.get("PYTHONPATH", ""))
    env.pop("DASK_SCHEDULER_ADDRESS", None)
    with open(log, "wb") as out:
        return subprocess.Popen(
            [sys.executable, "-m", "dask", *args],
            stdout=out,
            stderr=subprocess.STDOUT,
            env=env,
            cwd=ROOT,
            start_new_session=True,
        )


def _stop(processes: list[subprocess.Popen]) -> None:
    for p in processes:
        if p.poll() is None:
            try:
                os.killpg(p.pid, signal.SIGTERM)
            except ProcessLookupError:
                pass
    deadline = time.monotonic() + 10
    for p in processes:
        try:
            p.wait(timeout=max(0.1, deadline - time.monotonic()))
        except subprocess.TimeoutExpired:
            try:
                os.killpg(p.pid, signal.SIGKILL)
            except ProcessLookupError:
                pass
            p.wait(timeout=5)


@contextmanager
def dask_cluster(tmp: Path, workers: int = 2, preloads: tuple[str | None, ...] = ()) -> Iterator[str]:
    """A scheduler and ``workers`` workers of one thread (the i-th with ``preloads[i]``, if any); yields its address."""
    from dask.distributed import Client

    address = f"tcp://127.0.0.1:{free_port()}"
    processes: list[subprocess.Popen] = []
    try:
        processes.append(
            _start(
                ["scheduler", "--host", "127.0.0.1", "--port", address.rsplit(":", 1)[1], "--no-dashboard"],
                tmp / "scheduler.log",
            )
        )
        for i in range(workers):
            preload = preloads[i] if i < len(preloads) else None
            args = [
                "worker",
                address,
                "--host",
                "127.0.0.1",
                "--nthreads",
                "1",
                "--no-dashboard",
                "--death-timeout",
                "60",
                "--local-directory",
                str(tmp / f"worker{i}"),
            ]
            processes.append(_start(args + (["--preload", preload] if preload else []), tmp / f"worker{i}.log"))
        with Client(address, timeout=f"{START_TIMEOUT_S}s") as client:
            client.wait_for_workers(workers, timeout=START_TIMEOUT_S)
        yield address
    finally:
        _stop(processes)
