"""``python -m sim`` in a session of its own, signalled as a terminal would, and the processes it leaves.

Shared by the signal trials (``tools/signal_trials.py``) and the tests that send a few of them
(tests/safety/test_signals.py, tests/cluster/test_dask_signals.py): a Ctrl-C or ``timeout`` signals a
whole process group, and what must not happen is a process of that group outliving the main one.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
ENV = {**os.environ, "PYTHONPATH": f"{ROOT}{os.pathsep}{os.environ.get('PYTHONPATH', '')}"}


def group_members(pgid: int) -> list[int]:
    """Live processes of a process group, read from /proc (zombies are dead: they do not count)."""
    found = []
    for pid in filter(str.isdigit, os.listdir("/proc")):
        try:
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(fields[2]) == pgid and fields[0] != "Z":
            found.append(int(pid))
    return found


def wait_group_gone(pgid: int, within: float = 5.0) -> list[int]:
    """The group's processes still alive after waiting up to ``within`` seconds for them to end."""
    end = time.monotonic() + within
    while (left := group_members(pgid)) and time.monotonic() < end:
        time.sleep(0.1)
    return left


def start_sim(args: list[str], cwd: Path, env: dict[str, str] | None = None) -> subprocess.Popen[bytes]:
    """``python -m sim ARGS`` in a new session (its own process group), stderr kept."""
    return subprocess.Popen(
        [sys.executable, "-m", "sim", *args],
        cwd=cwd,
        env=ENV if env is None else env,
        start_new_session=True,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )


def signal_group(proc: subprocess.Popen[bytes], sig: int, delay: float, timeout: float) -> str:
    """Signal ``proc``'s whole group after ``delay`` s and wait for it; its stderr. A main process still running
    ``timeout`` s later is killed with its group and TimeoutExpired raised."""
    time.sleep(delay)
    os.killpg(proc.pid, sig)
    try:
        _, err = proc.communicate(timeout=timeout)
    except subprocess.TimeoutExpired:
        os.killpg(proc.pid, signal.SIGKILL)
        proc.communicate()
        raise
    return err.decode(errors="replace")
