"""The live exercise behind the pages: one Session, one thread that touches it, a clock task, pushes.

Every call into the session (the clock's ticks, a player's answer, an inject, building a page's state) runs
on one worker thread, in order, so the engine is never entered twice and a page never reads a half-made
picture; the asyncio loop only waits. Each change bumps ``version`` and wakes the event streams, which
send each page its role's state (built once per version and role). Join codes name the roles.
"""

from __future__ import annotations

import asyncio
import secrets
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from typing import Any, TypeVar

from sim.exercise.desk import ExerciseError
from sim.exercise.session import Session
from sim.web import state
from sim.web.mapview import MapView

T = TypeVar("T")
FACILITATOR, PROJECTOR, POST = "facilitator", "projector", "post:"
INJECT_KINDS = ("message", "link_down", "link_up", "post_out", "false_track")
MAX_PACE = 10_000.0


def new_codes(posts: tuple[str, ...]) -> dict[str, str]:
    """A random join code per role: the facilitator, the projector, each player's post."""
    return {role: secrets.token_urlsafe(12) for role in (FACILITATOR, PROJECTOR, *(POST + p for p in posts))}


def role_of(codes: dict[str, str], code: str) -> str | None:
    """The role a code joins as, or None (compared in constant time: a wrong guess learns nothing)."""
    found = None
    for role, c in codes.items():
        if secrets.compare_digest(c.encode(), code.encode()):
            found = role
    return found


def link(role: str, code: str) -> str:
    """The page a role opens (relative to the server's address)."""
    if role.startswith(POST):
        return f"/post/{role.removeprefix(POST)}?code={code}"
    return f"/{role}?code={code}"


def inject_of(form: dict[str, Any]) -> dict[str, Any]:
    """The facilitator's inject form as an inject (checked by the session like one in a scenario)."""
    kind, target = str(form.get("kind", "")), str(form.get("target", "")).strip()
    text, lasting = str(form.get("text", "")).strip(), str(form.get("lasting", "")).strip()
    if kind not in INJECT_KINDS:
        raise ExerciseError(f"an inject is one of {', '.join(INJECT_KINDS)} (not '{kind}')")
    if kind == "message":
        if not text:
            raise ExerciseError("a message needs its text")
        return {"message": text} | ({"to": target} if target else {})
    if not target:
        raise ExerciseError(f"{kind} needs a post")
    if kind == "false_track":
        out: dict[str, Any] = {"false_track": text or "unknown_track", "post": target}
    else:
        out = {kind: target}
    return out | ({"lasting": lasting} if lasting and kind != "link_up" else {})


class Live:
    """One session served to many pages."""

    def __init__(self, session: Session, codes: dict[str, str], runs: int = 200, quiet_s: float = 3.0):
        self.session, self.codes, self.runs, self.quiet_s = session, codes, runs, quiet_s
        self.map = MapView(session.loaded)
        self.map_svg = self.map.svg()
        self.tick_s = 0.25
        self.version = 0
        self.debrief_html: str | None = None
        self.debrief_state = "not yet"  # not yet | preparing | ready | failed: REASON
        self._pool = ThreadPoolExecutor(1, thread_name_prefix="session")
        self._changed = asyncio.Event()
        self._cache: dict[str, tuple[int, dict[str, Any]]] = {}

    async def call(self, fn: Callable[..., T], *args: Any) -> T:
        """Run ``fn`` on the session's thread."""
        return await asyncio.get_running_loop().run_in_executor(self._pool, fn, *args)

    def bump(self) -> None:
        self.version += 1
        self._changed.set()
        self._changed = asyncio.Event()

    async def wait(self, version: int, timeout: float) -> None:
        """Until the state moves past ``version`` (or ``timeout`` seconds pass: a heartbeat)."""
        if self.version == version:
            try:
                await asyncio.wait_for(self._changed.wait(), timeout)
            except TimeoutError:
                pass

    # ------------------------------------------------------------------ the clock

    async def run(self) -> None:
        """Tick the session's clock; skip quiet hours; prepare the debrief once it is over."""
        quiet_since = time.monotonic()
        while True:
            await asyncio.sleep(self.tick_s)
            s = self.session
            if s.finished:
                if self.debrief_state == "not yet":
                    await self._debrief()
                continue
            if s.paused:
                quiet_since = time.monotonic()
                continue
            new, asking = await self.call(self._tick)
            if new or asking:
                quiet_since = time.monotonic()
            elif time.monotonic() - quiet_since > self.quiet_s:
                await self.call(s.skip)
                quiet_since = time.monotonic()
            self.bump()

    def _tick(self) -> tuple[bool, bool]:
        """(anything new shown, a decision open): what keeps the clock from skipping ahead."""
        return bool(self.session.tick()), bool(self.session.prompts())

    async def _debrief(self) -> None:
        from sim.executors import Serial
        from sim.exercise.debrief import make_debrief
        from sim.exercise.render import html

        self.debrief_state = "preparing"
        self.bump()
        try:
            d = await asyncio.to_thread(make_debrief, self.session, self.runs, Serial())
            self.debrief_html, self.debrief_state = html(d), "ready"
        except Exception as exc:  # shown on the pages; the log is intact and --replay makes it again
            self.debrief_state = f"failed: {exc}"
        self.bump()

    # ------------------------------------------------------------------ what the pages ask

    def live(self, role: str) -> dict[str, Any]:
        out: dict[str, Any] = {"version": self.version, "debrief": self.debrief_state}
        if role == FACILITATOR:
            out["links"] = [[r, link(r, c)] for r, c in self.codes.items()]
        return out

    async def state(self, role: str) -> dict[str, Any]:
        version = self.version
        cached = self._cache.get(role)
        if cached is not None and cached[0] == version:
            return cached[1]
        s, extra = self.session, self.live(role)
        if role == FACILITATOR:
            built = await self.call(state.facilitator_state, s, extra)
        elif role == PROJECTOR:
            built = await self.call(state.projector_state, s, self.map, extra)
        else:
            built = await self.call(state.post_state, s, role.removeprefix(POST), extra)
        self._cache[role] = (version, built)
        return built

    async def act(self, role: str, body: dict[str, Any]) -> None:
        """One action from a page; ExerciseError (shown to the user) when it cannot be done, PermissionError
        when the role may not do it."""
        s, action = self.session, str(body.get("action", ""))
        if action == "decide":
            pid, answer = body.get("prompt"), str(body.get("answer", ""))
            if not isinstance(pid, int):
                raise ExerciseError("which decision?")
            mine = await self.call(lambda: [p.id for p in s.prompts(role.removeprefix(POST))])
            if not role.startswith(POST) or pid not in mine:
                raise PermissionError("that decision is not this post's")
            await self.call(s.decide, pid, answer)
        elif role != FACILITATOR:
            raise PermissionError("only the facilitator runs the exercise")
        elif action == "start":
            await self.call(s.resume)
        elif action == "pause":
            await self.call(s.pause)
        elif action == "pace":
            await self.call(self._pace, body.get("pace"))
        elif action == "skip":
            await self.call(s.skip)
        elif action == "inject":
            await self.call(s.inject, inject_of(body))
        elif action == "end":
            await self.call(self._end)
        else:
            raise ExerciseError(f"no action '{action}'")
        self.bump()

    def _pace(self, value: Any) -> None:
        try:
            pace = float(value)
        except (TypeError, ValueError):
            raise ExerciseError("the pace is a number of simulated seconds per real second") from None
        if not 0 < pace <= MAX_PACE:
            raise ExerciseError(f"the pace must be above 0 and at most {MAX_PACE:g}")
        self.session.tick()  # the time so far runs at the old pace
        self.session.pace = pace

    def _end(self) -> None:
        """The rest runs out without the players (as ``q`` in the terminal), then the debrief."""
        s = self.session
        s.resume()
        while not s.finished:
            s.skip()

    def close(self) -> None:
        self._pool.shutdown(wait=False, cancel_futures=True)
