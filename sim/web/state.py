"""What each page is sent: plain JSON built from the session, one shape per role, times already formatted.

A player's station gets ``Session.view(post)`` (fog of war applied) and nothing else; the projector gets
the network's picture and the players' feeds, projected on the map; only the facilitator's state carries
the ground truth (``Session.story()``). The pages put every string in with ``textContent``. Called on the
server's one session thread (``sim.web.live``), so the picture read here is never half updated.
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np

from sim.exercise.desk import Prompt
from sim.exercise.fog import Line, Track, describe_prediction
from sim.exercise.session import Session
from sim.report.timeline import trace_clock
from sim.web.mapview import MapView

FEED_LINES = 40
TRUTH_LINES = 60
TRAIL_POINTS = 40


def clock_left(seconds: float) -> str:
    if math.isnan(seconds):
        return ""
    left = max(0.0, seconds)
    return f"{int(left // 60)}:{int(left % 60):02d}"


def line(x: Line) -> dict[str, str]:
    return {"t": trace_clock(x.t), "actor": x.actor, "what": x.what, "detail": x.detail}


def prompt(p: Prompt, now: float) -> dict[str, Any]:
    left = p.expected - now
    return {
        "id": p.id,
        "kind": p.kind,
        "post": p.post,
        "subject": p.subject,
        "options": list(p.options),
        "open_for": trace_clock(now - p.opened),
        "impact_in": clock_left(left),
        "urgent": not math.isnan(left) and left < 120,
    }


def track(t: Track, now: float) -> dict[str, str]:
    return {"name": t.name, "status": t.status, "prediction": describe_prediction(t, now)}


def common(s: Session, live: dict[str, Any]) -> dict[str, Any]:
    state = "finished" if s.finished else ("paused" if s.paused else "running")
    return {"clock": trace_clock(s.now), "state": state, "pace": f"x{s.pace:g}"} | live


def post_state(s: Session, post: str, live: dict[str, Any]) -> dict[str, Any]:
    """A player's station: what ``post`` knows, its open decisions with their timers."""
    v = s.view(post)
    pic = v.picture
    return common(s, live) | {
        "post": post,
        "prompts": [prompt(p, v.now) for p in v.prompts],
        "tracks": [track(t, v.now) for t in pic.tracks.values()],
        "readiness": [[u, lv] for u, lv in pic.reached.items()],
        "links_down": sorted(pic.links_down),
        "feed": [line(x) for x in v.feed[-FEED_LINES:]][::-1],
    }


def merged_feed(s: Session) -> list[dict[str, str]]:
    """The players' feeds as one (a line two posts were both shown appears once), newest first."""
    seen: set[tuple[float, str, str, str]] = set()
    out = []
    for f in s.events_since(0):
        key = (f.line.t, f.line.actor, f.line.what, f.line.detail)
        if key not in seen:
            seen.add(key)
            out.append(line(f.line))
    return out[-FEED_LINES:][::-1]


def trail(s: Session, t: Track, m: MapView) -> list[list[float]]:
    """Where the radar has held the track, from its detection to now (or to when it was lost), projected."""
    k = s.fog.threats[t.name]
    end = min(s.now, t.ended_at) if not math.isnan(t.ended_at) else s.now
    if end <= t.detected_at:
        return []
    traj = s.r.flights.trajectories[k][np.array([s.r.rep])]
    times = np.linspace(t.detected_at, end, TRAIL_POINTS)
    lat, lon, _ = traj.position(times[:, None])
    return [[round(c, 1) for c in m.xy(float(a), float(b))] for a, b in zip(lat.ravel(), lon.ravel())]


def projector_state(s: Session, m: MapView, live: dict[str, Any]) -> dict[str, Any]:
    """The wall: the network's picture on the map, the clock, readiness, the players' feed."""
    pic = s.fog.picture
    tracks = []
    for t in pic.tracks.values():
        item: dict[str, Any] = track(t, s.now) | {"trail": trail(s, t, m), "ended": not math.isnan(t.ended_at)}
        if not math.isnan(t.lat):
            x, y = m.xy(t.lat, t.lon)
            sigma = m.km(t.sigma_km) if not math.isnan(t.sigma_km) else 0.0
            item |= {"impact": [round(x, 1), round(y, 1)], "sigma": round(max(sigma, 2.0), 1)}
        tracks.append(item)
    return common(s, live) | {
        "tracks": tracks,
        "readiness": [[u, lv] for u, lv in pic.reached.items()],
        "links_down": sorted(pic.links_down),
        "prompts": [prompt(p, s.now) for p in s.prompts()],
        "feed": merged_feed(s),
    }


def facilitator_state(s: Session, live: dict[str, Any]) -> dict[str, Any]:
    """The facilitator's console: every post's open decisions, decisions and injects so far, the ground truth."""
    story = s.story()[-TRUTH_LINES:][::-1]
    return common(s, live) | {
        "posts": list(s.posts),
        "prompts": [prompt(p, s.now) for p in s.prompts()],
        "decisions": [
            {
                "t": trace_clock(d.answered),
                "post": d.post,
                "decision": f"{d.kind} {d.subject}",
                "answer": d.answer,
                "by": d.by,
                "took": f"{d.wall_s:.1f} s real, {d.sim_s:.0f} s simulated",
            }
            for d in s.decisions
        ],
        "injects": [
            {"t": trace_clock(t), "inject": ", ".join(f"{k}: {v}" for k, v in d.items())} for t, d in s.injects
        ],
        "truth": [{"t": trace_clock(e.t), "actor": e.actor, "what": e.event, "detail": e.detail} for e in story],
    }
