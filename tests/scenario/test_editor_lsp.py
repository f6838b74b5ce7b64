"""The editor catches mistakes as they are typed: the real yaml-language-server with the schema of ``sim schema``.

What VS Code (Red Hat's YAML extension), Neovim and others run: the server is started over stdio, given
a scenario whose first line points at the schema (``# yaml-language-server: $schema=...``, the line a
trainer adds), and each mistake must come back as a diagnostic on the mistake's own line. Skipped
when the server is not installed (``npm install -g yaml-language-server``, or name it in
``$YAML_LANGUAGE_SERVER``); CI installs it. The schema's own checks without a server are in
test_scenario_schema.py.
"""

from __future__ import annotations

import json
import os
import queue
import shutil
import subprocess
import threading
import time
from pathlib import Path
from typing import Any

import pytest
from scenario_texts import MINIMAL

SERVER = os.environ.get("YAML_LANGUAGE_SERVER") or shutil.which("yaml-language-server")
pytestmark = [
    pytest.mark.skipif(SERVER is None, reason="yaml-language-server is not installed (npm)"),
    pytest.mark.slow,  # a node process, and 5 s of silence waited for on each good file
]


class Server:
    """A minimal LSP client: JSON-RPC over the server's stdin and stdout, requests from the server answered."""

    def __init__(self, command: str):
        self.proc = subprocess.Popen(
            [command, "--stdio"], stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL
        )
        self.next_id = 0
        self.inbox: queue.Queue[dict[str, Any]] = queue.Queue()
        threading.Thread(target=self._read, daemon=True).start()

    def _read(self) -> None:
        """Every message the server writes, into the inbox (so a wait can time out)."""
        assert self.proc.stdout is not None
        while True:
            length = 0
            while (line := self.proc.stdout.readline()).strip() != b"":
                if line.lower().startswith(b"content-length:"):
                    length = int(line.split(b":")[1])
            if not line:  # the server has gone
                return
            self.inbox.put(json.loads(self.proc.stdout.read(length)))

    def send(self, message: dict[str, Any]) -> None:
        body = json.dumps({"jsonrpc": "2.0", **message}).encode()
        assert self.proc.stdin is not None
        self.proc.stdin.write(b"Content-Length: %d\r\n\r\n" % len(body) + body)
        self.proc.stdin.flush()

    def receive(self, within: float = 60.0) -> dict[str, Any]:
        return self.inbox.get(timeout=within)

    def request(self, method: str, params: dict[str, Any]) -> Any:
        self.next_id += 1
        self.send({"id": self.next_id, "method": method, "params": params})
        while True:
            m = self.receive()
            if m.get("id") == self.next_id and "method" not in m:
                return m.get("result")
            self.answer(m)

    def answer(self, m: dict[str, Any]) -> None:
        """The server asks things too (its configuration): validation on, nothing else."""
        if "id" in m and "method" in m:
            items = m.get("params", {}).get("items", [])
            settings = {"validate": True, "hover": False, "completion": False, "schemaStore": {"enable": False}}
            result = [settings for _ in items] if m["method"] == "workspace/configuration" else None
            self.send({"id": m["id"], "result": result})

    def diagnostics(self, uri: str, within: float = 60.0) -> list[dict[str, Any]]:
        """The first non-empty diagnostics published for ``uri`` (an empty list if none come in time)."""
        end = time.monotonic() + within
        while (left := end - time.monotonic()) > 0:
            try:
                m = self.receive(left)
            except queue.Empty:
                break
            self.answer(m)
            if m.get("method") == "textDocument/publishDiagnostics" and m["params"]["uri"] == uri:
                if m["params"]["diagnostics"]:
                    return m["params"]["diagnostics"]
        return []

    def close(self) -> None:
        try:
            self.request("shutdown", {})
            self.send({"method": "exit"})
            self.proc.wait(5)
        except Exception:
            self.proc.kill()
            self.proc.wait(5)


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    folder = tmp_path_factory.mktemp("editor")
    assert SERVER is not None
    s = Server(SERVER)
    s.request("initialize", {"processId": os.getpid(), "rootUri": folder.as_uri(), "capabilities": {}})
    s.send({"method": "initialized", "params": {}})
    s.send({"method": "workspace/didChangeConfiguration", "params": {"settings": {"yaml": {"validate": True}}}})
    yield s, folder
    s.close()


@pytest.fixture(scope="module")
def schema_file(tmp_path_factory) -> Path:
    """The schema as ``sim schema -o`` writes it for an editor outside a clone."""
    from sim.cli import main

    path = tmp_path_factory.mktemp("schema") / "scenario.schema.json"
    with pytest.raises(SystemExit) as done:
        main(["schema", "-o", str(path)])
    assert done.value.code == 0
    return path


# (what a trainer types, on MINIMAL's line, replacing what) -- MINIMAL's lines counted from 0, after the
# schema line added on top
MISTAKES = [
    pytest.param("units.0.interceptors.speed", "      loaded: 4", "      speed: 1.5kms", id="a wrong unit"),
    pytest.param(
        "a probability of 1.7", "    authority: hq", "    authority: hq\n    crew_on_station: 1.7", id="probability 1.7"
    ),
    pytest.param(
        "a misspelt distribution",
        "    authority: hq",
        "    authority: hq\n    reaction_time: lognorml(median=1min, p90=2min)",
        id="a misspelt distribution",
    ),
    pytest.param("a misspelt key", "    post: hq", "    postt: hq", id="a misspelt key"),
]


@pytest.mark.parametrize("what, old, new", MISTAKES)
def test_the_editor_flags_the_mistake_on_its_line(server, schema_file, what, old, new):
    s, folder = server
    header = f"# yaml-language-server: $schema={schema_file.as_uri()}\n"
    good = header + MINIMAL
    text = good.replace(old, new, 1)
    assert text != good
    line = text.splitlines().index(new.splitlines()[-1])  # the line where the mistake is
    # the same server finds nothing wrong with the scenario as it was
    ok_uri = (folder / f"ok-{abs(hash(what))}.yaml").as_uri()
    s.send(
        {
            "method": "textDocument/didOpen",
            "params": {"textDocument": {"uri": ok_uri, "languageId": "yaml", "version": 1, "text": good}},
        }
    )
    assert s.diagnostics(ok_uri, within=5) == []
    uri = (folder / f"bad-{abs(hash(what))}.yaml").as_uri()
    s.send(
        {
            "method": "textDocument/didOpen",
            "params": {"textDocument": {"uri": uri, "languageId": "yaml", "version": 1, "text": text}},
        }
    )
    found = s.diagnostics(uri)
    assert found, f"{what}: no diagnostic at all"
    assert line in [d["range"]["start"]["line"] for d in found], (what, line, found)
