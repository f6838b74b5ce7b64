"""One exercise: a replication run on a clock, the players deciding at their posts, a facilitator's injects.

The API any front end drives (the terminal screen, a web server); every method takes the session's lock,
so a server may call them from several threads or from an asyncio loop's executor::

    s = Session(loaded, seed=7, replication=0, posts=("district_hq",), pace=10.0)
    s.tick()                     # advance the simulated clock by the wall time since the last call x pace
    s.advance(wall_s)            # ... or by an explicit wall time (tests, scripts: a virtual clock)
    s.skip()                     # jump over quiet hours to the next thing a player is shown (or a prompt)
    s.view(post) -> View         # the post's clock, feed, picture and open prompts: fog of war applied
    s.prompts(post=None)         # open decisions, each with its id, options and the post's time estimate
    s.decide(prompt_id, answer, by="player") -> Decision
    s.inject(Inject | dict)      # a facilitator's inject, acting now
    s.pause(); s.resume()
    s.finished, s.now, s.decisions, s.injects, s.story()   # story(): the ground truth, for the debrief only
    s.events_since(seq, post) -> list[FeedItem]            # for a push loop: the feed items after ``seq``

The simulated clock only moves forward, by ``wall seconds x pace``; while a prompt is open the clock runs
on (the missile does not wait). A session writes itself to a log (``sim.exercise.log``) as it goes, and a
log rebuilds the session (:func:`sim.exercise.log.replay`), so it can be replayed or resumed.
"""

from __future__ import annotations

import heapq
import math
import threading
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import simpy

from sim.engine.deciders import MODEL
from sim.engine.draws import BlockDraws
from sim.engine.flights import BlockFlights
from sim.engine.injects import apply_inject
from sim.engine.plan import compile_plan
from sim.engine.replication import Replication
from sim.engine.trace import Trace, TraceEvent
from sim.executors import BLOCK_SIZE
from sim.exercise.decide import PersonDecider
from sim.exercise.desk import Decision, ExerciseError, FeedItem, Prompt, View
from sim.exercise.fog import Fog
from sim.scenario.injects import Inject, inject_problems
from sim.scenario.loader import LoadedScenario


@dataclass
class _Open:
    prompt: Prompt
    answer: simpy.Event
    deadline: float


@dataclass
class _Record:
    decisions: list[Decision] = field(default_factory=list)
    injects: list[tuple[float, dict[str, Any]]] = field(default_factory=list)  # (simulated time, inject)


class Session:
    """A replication of ``loaded`` (the one ``sim run --seed`` makes as number ``replication``), played live."""

    def __init__(
        self,
        loaded: LoadedScenario,
        seed: int | None = None,
        replication: int = 0,
        posts: Sequence[str] = (),
        pace: float = 1.0,
        auto: bool = False,
        clock: Callable[[], float] = time.monotonic,
        on_change: Callable[[Session], None] | None = None,
        log: str | Path | None = None,
    ):
        s = loaded.scenario
        names = [p.name for p in s.command.posts]
        for p in posts:
            if p not in names:
                raise ExerciseError(f"no post '{p}' in the scenario (posts: {', '.join(names)})")
        if not pace > 0:
            raise ExerciseError("the pace must be above 0")
        self.loaded, self.seed, self.replication = loaded, s.seed if seed is None else seed, replication
        self.posts = tuple(posts) or (self._default_post(loaded),)
        self.pace, self.auto, self._clock, self.on_change, self.log_path = pace, auto, clock, on_change, log
        self._lock = threading.RLock()
        plan = compile_plan(s)
        block, i = divmod(replication, BLOCK_SIZE)
        draws = BlockDraws(plan.sites, self.seed, block, BLOCK_SIZE)
        self._trace = Trace(True)
        decider = MODEL if auto else PersonDecider(set(self.posts), self)
        self.r = Replication(plan, draws, BlockFlights(plan, draws), i, self._trace, decider)
        self.fog = Fog(self.r)
        self.now = 0.0
        self.wall = 0.0  # wall seconds the clock has run (skips and pauses excluded)
        self.paused = False
        self.finished = False
        self._last = clock()
        self._heap: list[tuple[float, int, TraceEvent]] = []
        self._taken = 0  # trace events moved to the heap
        self._story: list[TraceEvent] = []  # released, in time order: the ground truth
        self._feed: list[FeedItem] = []
        self._open: dict[int, _Open] = {}
        self._next_prompt = 0
        self._new_prompt = False
        self.record = _Record()
        self.actions: list[dict[str, Any]] = []  # every decision and inject, in order (the log replays them)
        self.horizon = float(s.horizon)
        self._write_log()

    @staticmethod
    def _default_post(loaded: LoadedScenario) -> str:
        """The post that holds engagement authority at the highest level the scenario's orders raise the alert
        to (where the engagement decision falls once the alert is up); with no orders, the first level's."""
        s = loaded.scenario
        ordered = [s.level_index(o.level) for o in s.alert_orders]
        return str(s.alert_levels[max(ordered, default=0)].authority)

    # ------------------------------------------------------------------ the desk (engine side: PersonDecider)

    def open(
        self, kind: str, post: str, subject: str, options: tuple[str, ...], deadline: float, answer: simpy.Event
    ) -> int:
        pid = self._next_prompt
        self._next_prompt += 1
        track = self.fog.picture.tracks.get(subject)
        expected = track.impact_at if track is not None else math.nan
        prompt = Prompt(pid, kind, post, subject, options, float(self.r.env.now), self.wall, expected)
        self._open[pid] = _Open(prompt, answer, deadline)
        self._new_prompt = True
        return pid

    def close(self, prompt: int, why: str) -> None:
        o = self._open.pop(prompt, None)
        if o is not None:
            p = o.prompt
            now = float(self.r.env.now)
            self.record.decisions.append(
                Decision(p.id, p.kind, p.post, p.subject, "late", why, p.opened, now, (now - p.opened) / self.pace, 0.0)
            )

    # ------------------------------------------------------------------ the clock

    def tick(self) -> list[FeedItem]:
        """Advance by the wall time since the last tick (or resume) x pace."""
        with self._lock:
            now = self._clock()
            dt, self._last = now - self._last, now
            return self.advance(dt)

    def advance(self, wall_s: float) -> list[FeedItem]:
        """Advance the simulated clock by ``wall_s`` real seconds x pace; returns the new feed items."""
        with self._lock:
            if self.paused or self.finished or wall_s <= 0:
                return []
            start = len(self._feed)
            self.wall += wall_s
            self._run_to(min(self.now + wall_s * self.pace, self.horizon))
            return self._changed(start)

    def run_to(self, t: float) -> list[FeedItem]:
        """Advance the simulated clock to ``t`` at once (a replay: the wall clock is not moved)."""
        with self._lock:
            start = len(self._feed)
            if not self.finished and t > self.now:
                self._run_to(min(t, self.horizon))
            return self._changed(start)

    def skip(self) -> list[FeedItem]:
        """Jump to the next line a player is shown, or the next prompt: quiet hours pass at once."""
        with self._lock:
            start = len(self._feed)
            env = self.r.env
            self._new_prompt = False
            while not self.finished and len(self._feed) == start and not self._new_prompt:
                nxt_env = env.peek()
                nxt_line = self._heap[0][0] if self._heap else math.inf
                t = min(nxt_env, nxt_line)
                if t >= self.horizon or math.isinf(t):
                    self._run_to(self.horizon)
                    break
                if nxt_line <= nxt_env:
                    self.now = max(self.now, nxt_line)
                    self._release()
                else:
                    env.step()
                    self.now = max(self.now, float(env.now))
                    self._release()
                self._check_over()
            return self._changed(start)

    def settle(self) -> bool:
        """Process one more engine event due at exactly the current time; False if none (a replay catching up
        with its log: ``run_to(t)`` leaves the events at ``t`` itself for the next step, as simpy does)."""
        with self._lock:
            if self.finished or self.r.env.peek() > self.now:
                return False
            self.r.env.step()
            self._release()
            self._check_over()
            return True

    def pause(self) -> None:
        with self._lock:
            self.paused = True
            self._write_log()

    def resume(self) -> None:
        with self._lock:
            self.paused = False
            self._last = self._clock()

    def _run_to(self, t: float) -> None:
        env = self.r.env
        if t > env.now:
            env.run(until=t)
        self.now = max(self.now, t)
        self._release()
        self._check_over()

    def _sync(self) -> None:
        """Bring the engine's clock up to the session's before acting on it (an answer, an inject)."""
        if self.now > self.r.env.now:
            self.r.env.run(until=self.now)

    def _release(self) -> None:
        """Move the engine's new story lines to the heap and show those whose time has come."""
        events = self._trace.events
        while self._taken < len(events):
            e = events[self._taken]
            heapq.heappush(self._heap, (e.t, self._taken, e))
            self._taken += 1
        while self._heap and self._heap[0][0] <= self.now:
            _, _, e = heapq.heappop(self._heap)
            self._story.append(e)
            self.fog.learn(e)
            for post in self.posts:
                line = self.fog.see(e, post)
                if line is not None:
                    self._feed.append(FeedItem(len(self._feed), post, line))

    def _check_over(self) -> None:
        chains_done = all(p.triggered for p in self.r.chains)
        threat_lines = any(e.actor in self.fog.threats for _, _, e in self._heap)
        if (chains_done and not threat_lines) or self.now >= self.horizon:
            self._finish()

    def _finish(self) -> None:
        if self.finished:
            return
        for pid in list(self._open):
            self.close(pid, "the exercise ended")
        for rec in self.r.records:
            rec.finish()
        self.finished = True

    def _changed(self, start: int, acted: bool = False) -> list[FeedItem]:
        new = self._feed[start:]
        if new or self._new_prompt or acted or self.finished:
            self._write_log()
            if self.on_change is not None:
                self.on_change(self)
        self._new_prompt = False
        return new

    def _write_log(self) -> None:
        if self.log_path is not None:
            from sim.exercise.log import write

            write(self.log_path, self)

    # ------------------------------------------------------------------ the players and the facilitator

    def prompts(self, post: str | None = None) -> list[Prompt]:
        with self._lock:
            return [o.prompt for o in self._open.values() if post is None or o.prompt.post == post]

    def decide(
        self, prompt: int, answer: str, by: str = "player", wall_s: float | None = None, at_wall: float | None = None
    ) -> Decision:
        """Answer an open prompt now (at the session's simulated time). ``wall_s`` and ``at_wall`` (the real
        time it took, and when) are measured unless given (a replay gives the logged ones)."""
        with self._lock:
            o = self._open.get(prompt)
            if o is None:
                raise ExerciseError(f"no open decision {prompt}")
            if answer not in o.prompt.options:
                raise ExerciseError(f"answer one of {', '.join(o.prompt.options)} (not '{answer}')")
            self._sync()
            del self._open[prompt]
            p = o.prompt
            took = self.wall - p.opened_wall if wall_s is None else wall_s
            stamp = time.time() if at_wall is None else at_wall
            d = Decision(p.id, p.kind, p.post, p.subject, answer, by, p.opened, self.now, took, stamp)
            o.answer.succeed(answer)
            self.record.decisions.append(d)
            self.actions.append(
                {"type": "decision", "t": self.now, "prompt": p.id, "answer": answer, "by": by}
                | {"wall_s": took, "at_wall": stamp, "kind": p.kind, "post": p.post, "subject": p.subject}
            )
            self._changed(len(self._feed), acted=True)
            return d

    def inject(self, inj: Inject | dict[str, Any]) -> None:
        """A facilitator's inject, acting now (its own ``at`` or ``trigger`` is ignored)."""
        with self._lock:
            data = inj.model_dump(exclude_none=True) if isinstance(inj, Inject) else dict(inj)
            data.pop("trigger", None)
            data.pop("delay", None)
            data.setdefault("at", f"{self.now!r}s")
            try:
                parsed = Inject.model_validate(data)
            except Exception as exc:  # pydantic's message, in one line
                raise ExerciseError(str(exc).splitlines()[0]) from None
            if parsed.launch is not None:
                raise ExerciseError("a launch cannot be injected while the exercise runs: declare it in the scenario")
            s = self.loaded.scenario
            problems = inject_problems(s.model_copy(update={"injects": [parsed]}))
            if problems:
                raise ExerciseError("; ".join(m for _, m in problems))
            self._sync()
            apply_inject(self.r, len(s.injects) + len(self.record.injects), parsed)
            self.record.injects.append((self.now, data))
            self.actions.append({"type": "inject", "t": self.now, "inject": data})
            start = len(self._feed)
            self._release()
            self._changed(start, acted=True)

    # ------------------------------------------------------------------ what the screens read

    def view(self, post: str | None = None) -> View:
        with self._lock:
            post = post or self.posts[0]
            feed = [f.line for f in self._feed if f.post == post]
            return View(post, self.now, self.paused, self.finished, feed, self.prompts(post), self.fog.picture)

    def events_since(self, seq: int, post: str | None = None) -> list[FeedItem]:
        with self._lock:
            return [f for f in self._feed[seq:] if post is None or f.post == post]

    @property
    def decisions(self) -> list[Decision]:
        return list(self.record.decisions)

    @property
    def injects(self) -> list[tuple[float, dict[str, Any]]]:
        return list(self.record.injects)

    def story(self) -> list[TraceEvent]:
        """The ground truth released so far (every event of the replication once finished): debrief only."""
        with self._lock:
            return list(self._story)
