"""The session log: one JSON document, rewritten atomically as the exercise goes, and read back to replay it.

It holds what rebuilds the session (the scenario's text and overrides, the seed, the replication, the
players' posts, the pace) and what happened: every action (a decision, with its wall-clock and simulated
times; a facilitator's inject) in the order taken, and every line each post was shown. The replication is
a pure function of those: replaying the actions at their simulated times gives the same session, so the
same debrief (:func:`replay`), and a session cut short can be resumed from where its log stops.
"""

from __future__ import annotations

import json
import os
import tempfile
import time
from pathlib import Path
from typing import TYPE_CHECKING, Any

from sim.numbers import json_number

if TYPE_CHECKING:
    from sim.exercise.session import Session

FORMAT = "sim.exercise/1"


def document(session: Session) -> dict[str, Any]:
    """The session as a JSON-ready document."""
    loaded = session.loaded
    return {
        "format": FORMAT,
        "scenario": {
            "file": loaded.file,
            "sha256": loaded.sha256,
            "overrides": [f"{k}={json.dumps(v)}" for k, v in loaded.overrides.items()],
            "text": loaded.text,
        },
        "seed": session.seed,
        "replication": session.replication,
        "posts": list(session.posts),
        "pace": session.pace,
        "auto": session.auto,
        "now": json_number(session.now),
        "wall_s": session.wall,
        "finished": session.finished,
        "written_at": time.time(),
        "actions": session.actions,
        "feed": [
            {
                "seq": f.seq,
                "post": f.post,
                "t": f.line.t,
                "actor": f.line.actor,
                "what": f.line.what,
                "detail": f.line.detail,
            }
            for f in session.events_since(0)
        ],
    }


def write(path: str | Path, session: Session) -> None:
    """Write the session's log atomically: a reader never sees half a file, a crash never loses the last one."""
    target = Path(path)
    text = json.dumps(document(session), indent=1, allow_nan=False)
    fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.", dir=target.parent or Path("."))
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as f:
            f.write(text)
        os.replace(tmp, target)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def read(path: str | Path) -> dict[str, Any]:
    """A log's document; ValueError with one clear line when it is not a session log."""
    try:
        doc = json.loads(Path(path).read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise ValueError(f"{path}: not a readable session log ({exc})") from None
    if not isinstance(doc, dict) or doc.get("format") != FORMAT:
        raise ValueError(f"{path}: not a session log (format {FORMAT} expected)")
    return doc


def replay(doc: dict[str, Any], to_end: bool = True, **session_args: Any) -> Session:
    """Rebuild the session of a log: its actions at their simulated times, then (``to_end``) on to the end,
    the prompts nobody answered running out as they did. ``to_end=False`` resumes where the log stops."""
    from sim.exercise.session import Session
    from sim.scenario.loader import load_text

    sc = doc["scenario"]
    loaded = load_text(sc["text"], sc["file"], overrides=sc.get("overrides", []))
    session = Session(
        loaded,
        seed=doc["seed"],
        replication=doc["replication"],
        posts=doc["posts"],
        pace=doc["pace"],
        auto=doc.get("auto", False),
        **session_args,
    )
    for action in doc.get("actions", []):
        session.run_to(action["t"])
        if action["type"] == "decision":
            while all(p.id != action["prompt"] for p in session.prompts()) and session.settle():
                pass  # the prompt opened at that very time (a skip landed on it)
            session.decide(
                action["prompt"], action["answer"], by=action["by"], wall_s=action["wall_s"], at_wall=action["at_wall"]
            )
        elif action["type"] == "inject":
            session.inject(action["inject"])
    if to_end:
        while not session.finished:
            session.skip()
    else:
        session.run_to(doc.get("now") or 0.0)
        while len(session.events_since(0)) < len(doc.get("feed", [])) and session.settle():
            pass  # what the log's last moment had shown already
        session.wall = float(doc.get("wall_s", 0.0))
    return session
