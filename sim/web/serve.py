"""Starting the server: the session (new, or resumed from its log), the join codes, the socket, uvicorn.

A new session writes its log from the first moment; ``resume`` rebuilds it from the log (its actions at
their simulated times) and carries on writing the same file. The join codes are kept beside the log
(``LOG.codes``, readable by its owner only), so after a crash and ``--resume`` the tabs that were open
reconnect with the links they have.
"""

from __future__ import annotations

import ipaddress
import json
import os
import socket
from collections.abc import Callable, Sequence
from pathlib import Path

from sim.exercise import log as session_log
from sim.exercise.desk import ExerciseError
from sim.exercise.session import Session
from sim.scenario.loader import LoadedScenario
from sim.web.live import POST, Live, link, new_codes


def codes_path(log: Path) -> Path:
    return log.with_name(log.name + ".codes")


def open_session(
    loaded: LoadedScenario,
    log: Path,
    resume: bool,
    seed: int | None = None,
    replication: int = 0,
    posts: Sequence[str] = (),
    pace: float = 1.0,
) -> Session:
    """A session paused at its start, or the logged one resumed (paused where its log stops).

    ExerciseError (one line) for a log that is missing, of another scenario, or in the way of a new one."""
    if resume:
        if not log.exists():
            raise ExerciseError(f"{log}: no session log to resume")
        doc = session_log.read(log)
        if doc["scenario"]["sha256"] != loaded.sha256:
            raise ExerciseError(f"{log}: the log is of another scenario (or the scenario file has changed)")
        session = session_log.replay(doc, to_end=False)  # not writing while it replays: the log stays whole
        session.log_path = log
    else:
        if log.exists():
            raise ExerciseError(f"{log}: a session log is already there: --resume to continue it, or --log NEW_FILE")
        session = Session(loaded, seed, replication, posts, pace, log=log)
    session.pause()  # writes the log; the facilitator starts the clock
    return session


def join_codes(log: Path, posts: Sequence[str], resume: bool) -> dict[str, str]:
    """The roles' codes: those kept beside a resumed log, or new ones (then kept there)."""
    path = codes_path(log)
    if resume and path.exists():
        kept = json.loads(path.read_text(encoding="utf-8"))
        if isinstance(kept, dict) and set(kept) == set(new_codes(tuple(posts))):
            return {str(k): str(v) for k, v in kept.items()}
    codes = new_codes(tuple(posts))
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w", encoding="utf-8") as f:
        json.dump(codes, f)
    return codes


def is_loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def bind(host: str, port: int) -> socket.socket:
    """The listening socket (port 0: any free one); OSError when the address cannot be had."""
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    sock = socket.socket(family, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    try:
        sock.bind((host, port))
    except OSError:
        sock.close()
        raise
    sock.listen(64)
    sock.set_inheritable(True)
    return sock


def public_address(host: str, port: int) -> str:
    """The address to print: a wildcard bind is shown as this machine's address on the network."""
    if host in ("0.0.0.0", "::", ""):
        try:
            with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as probe:
                probe.connect(("192.0.2.1", 9))  # no packet is sent: this only picks the outgoing interface
                host = probe.getsockname()[0]
        except OSError:
            host = socket.gethostname()
    return f"http://[{host}]:{port}" if ":" in host else f"http://{host}:{port}"


def announce(live: Live, base: str, log: Path, say: Callable[[str], None]) -> None:
    s = live.session
    say(f"sim serve: {s.loaded.scenario.name} at {base} (log: {log})")
    for role, code in live.codes.items():
        label = f"post {role.removeprefix(POST)}" if role.startswith(POST) else role
        say(f"  {label:<22} {base}{link(role, code)}")
    say("Ctrl-C stops the server; `sim serve SCENARIO --log LOG --resume` continues the session.")


def run(live: Live, sock: socket.socket) -> None:
    """Serve until Ctrl-C or SIGTERM."""
    import uvicorn

    from sim.web.app import create_app

    config = uvicorn.Config(create_app(live), log_level="warning", timeout_graceful_shutdown=1, access_log=False)
    uvicorn.Server(config).run(sockets=[sock])
