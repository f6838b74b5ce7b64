"""A `sim serve` in a subprocess on a free port, its join links read from what it prints, and plain HTTP helpers."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

ROOT = Path(__file__).resolve().parents[2]
STRAY = ROOT / "scenarios" / "stray_missile.yaml"
SEED = "20170429"  # replication 0: general_staff is asked to raise the alert, then district_hq to engage the stray


@dataclass
class Server:
    proc: subprocess.Popen[str]
    base: str
    links: dict[str, str]  # role ("facilitator", "projector", "post district_hq") -> URL
    log: Path
    banner: str

    def code(self, role: str) -> str:
        return self.links[role].split("code=")[1]

    def state(self, role: str) -> dict[str, Any]:
        with urllib.request.urlopen(f"{self.base}/api/state?code={self.code(role)}", timeout=10) as r:
            return json.loads(r.read())

    def act(self, role: str, **body: Any) -> tuple[int, dict[str, Any]]:
        req = urllib.request.Request(
            f"{self.base}/api/act?code={self.code(role)}",
            data=json.dumps(body).encode(),
            headers={"Content-Type": "application/json"},
            method="POST",
        )
        try:
            with urllib.request.urlopen(req, timeout=30) as r:
                return r.status, json.loads(r.read())
        except urllib.error.HTTPError as exc:
            return exc.code, json.loads(exc.read() or b"{}")

    def until(self, role: str, test: Any, timeout: float = 60.0) -> dict[str, Any]:
        """Poll the role's state until ``test(state)`` holds."""
        end = time.monotonic() + timeout
        while True:
            st = self.state(role)
            if test(st):
                return st
            if time.monotonic() > end:
                raise AssertionError(f"timed out; last state: {st}")
            time.sleep(0.1)

    def skip_until(self, role: str, test: Any, timeout: float = 60.0) -> dict[str, Any]:
        """The facilitator skips ahead (quiet hours pass at once) until ``test(state of role)`` holds."""
        end = time.monotonic() + timeout
        while not test(st := self.state(role)):
            assert time.monotonic() < end, f"timed out; last state: {st}"
            self.act("facilitator", action="skip")
        return st


def start(log: Path, *args: str) -> Server:
    env = dict(os.environ, PYTHONPATH=str(ROOT) + os.pathsep + os.environ.get("PYTHONPATH", ""))
    proc = subprocess.Popen(
        [sys.executable, "-m", "sim", "serve", str(STRAY), "--port", "0", "--log", str(log), *args],
        cwd=log.parent,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    assert proc.stdout is not None
    lines = []
    for line in proc.stdout:
        lines.append(line)
        if line.startswith("Ctrl-C"):
            break
    banner = "".join(lines)
    base = re.search(r"at (http://\S+) ", banner)
    if base is None:
        proc.kill()
        raise AssertionError(f"the server did not start: {banner} {proc.stderr.read() if proc.stderr else ''}")
    links = dict(re.findall(r"^  (\S+(?: \S+)?)\s+(http\S+)$", banner, re.M))
    return Server(proc, base.group(1), links, log, banner)


def stop(server: Server) -> None:
    if server.proc.poll() is None:
        server.proc.terminate()
        try:
            server.proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            server.proc.kill()
            server.proc.wait()


@pytest.fixture
def serve(tmp_path: Path) -> Iterator[Any]:
    """``serve(*args)`` starts a server (stopped after the test)."""
    pytest.importorskip("starlette", reason="the web extra is not installed: pip install -e '.[web]'")
    pytest.importorskip("uvicorn", reason="the web extra is not installed: pip install -e '.[web]'")
    started: list[Server] = []

    def run(*args: str, log: Path | None = None) -> Server:
        server = start(log or tmp_path / "session.json", *args)
        started.append(server)
        return server

    yield run
    for server in started:
        stop(server)
