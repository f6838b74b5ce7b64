"""The exercise's live terminal screen: the clock, the message feed, the situation, the decision prompt.

Drawn with ``rich.live`` from a :class:`sim.exercise.desk.View` (fog of war already applied: nothing
here can show the ground truth). Keys: 1..9 answer the open prompt, s skips ahead, p pauses, q stops.
"""

from __future__ import annotations

import math
import os
import select
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager

from rich.console import Console, Group, RenderableType
from rich.panel import Panel
from rich.table import Table
from rich.text import Text

from sim.exercise.desk import View
from sim.exercise.fog import describe_prediction
from sim.exercise.session import Session
from sim.report.timeline import trace_clock

FEED_LINES = 14
TICK_S = 0.1


def screen(view: View, pace: float) -> Group:
    """One frame of the screen for a post."""
    state = "FINISHED" if view.finished else ("PAUSED" if view.paused else f"pace x{pace:g}")
    head = Text(f"{trace_clock(view.now)}   post: {view.post}   {state}", style="bold")
    feed = Table.grid(padding=(0, 1))
    for line in view.feed[-FEED_LINES:]:
        feed.add_row(trace_clock(line.t), line.actor, line.what, line.detail)
    situation = Table("track", "status", "prediction", box=None)
    for track in view.picture.tracks.values():
        situation.add_row(track.name, track.status, describe_prediction(track, view.now))
    units = ", ".join(f"{u}: {lv}" for u, lv in view.picture.reached.items())
    links = ", ".join(sorted(view.picture.links_down)) or "none known"
    parts: list[RenderableType] = [
        head,
        Panel(feed, title="messages"),
        Panel(Group(situation, Text(f"readiness reported: {units}"), Text(f"links down: {links}")), title="situation"),
    ]
    for p in view.prompts[:1]:
        left = p.expected - view.now
        timer = f"impact in {int(left // 60)}:{int(left % 60):02d} by the track" if not math.isnan(left) else ""
        opened = f"open for {trace_clock(view.now - p.opened)}"
        keys = "   ".join(f"[{n}] {o}" for n, o in enumerate(p.options, 1))
        text = Text(f"DECIDE {p.kind} {p.subject}   {opened}   {timer}\n{keys}", style="bold red")
        parts.append(Panel(text, title=f"decision for {p.post}"))
    if not view.prompts:
        parts.append(Text("keys: s skip ahead   p pause   q stop", style="dim"))
    return Group(*parts)


@contextmanager
def keys() -> Iterator[None]:
    """The terminal in cbreak mode (a key at a time, no echo) while the screen runs."""
    if not sys.stdin.isatty():
        yield
        return
    import termios
    import tty

    fd = sys.stdin.fileno()
    saved = termios.tcgetattr(fd)
    try:
        tty.setcbreak(fd)
        yield
    finally:
        termios.tcsetattr(fd, termios.TCSADRAIN, saved)


def read_key(timeout: float) -> str:
    """One key pressed within ``timeout`` seconds, or ''."""
    ready, _, _ = select.select([sys.stdin], [], [], timeout)
    if not ready:
        return ""
    return os.read(sys.stdin.fileno(), 1).decode(errors="replace")


def run_live(session: Session, console: Console, quiet_s: float = 3.0) -> None:
    """Play the session in real time on the terminal until it finishes or the player stops it."""
    from rich.live import Live

    post = session.posts[0]
    quiet_since = time.monotonic()
    with keys(), Live(screen(session.view(post), session.pace), console=console, auto_refresh=False) as live:
        while not session.finished:
            key = read_key(TICK_S)
            new = session.tick()
            prompts = session.prompts(post)
            if key == "q":
                break
            if key == "p":
                session.resume() if session.paused else session.pause()
            elif key == "s" and not prompts:
                new = session.skip()
            elif key.isdigit() and prompts and 1 <= int(key) <= len(prompts[0].options):
                session.decide(prompts[0].id, prompts[0].options[int(key) - 1])
            if new or prompts or session.paused:
                quiet_since = time.monotonic()
            elif time.monotonic() - quiet_since > quiet_s:
                session.skip()
                quiet_since = time.monotonic()
            live.update(screen(session.view(post), session.pace), refresh=True)
