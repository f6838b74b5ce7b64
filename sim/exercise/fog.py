"""Fog of war: what a post knows of the replication, and nothing else.

The engine's story (``Trace``) is the ground truth: it names the failure mode and where the missile
truly comes down. A player sees only what their post would: tracks and the predicted impact point with
its uncertainty (recomputed from the tracking radar, as the engine's prediction does), the time left as
the track estimates it, readiness as units report it, reports, orders and messages from and to their
part of the network. Every line a player is shown is rebuilt here from what the post knows; the truth
appears only in the debrief.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

import numpy as np

from sim.engine.prediction import own_probability
from sim.engine.replication import Replication
from sim.engine.sensing import MODES
from sim.engine.trace import TraceEvent
from sim.scenario.crossrefs import ancestors
from sim.world import prediction as wp

# a threat's events a post learns of, and how it hears of them (the engine's own detail is never shown)
TRACK_WORDS = {
    "track splits": "the track splits into debris: nothing to engage",
    "not engaged": "the rules forbid engaging it in that zone",
    "no battery in reach": "no battery has an engagement window",
}
# events of posts and units a post hears of when they are its own or below it (their detail carries no truth)
NETWORK_EVENTS = {
    "report received",
    "order received",
    "takes authority",
    "decides to engage",
    "decides not to engage",
    "passes the decision up",
    "link down",
    "link up",
    "out of action",
    "back in action",
    "standing order",
    "orders the alert raised",
    "withholds the alert order",
    "track reported",
    "alert order arrives",
    "crew complete",
    "interceptors loaded",
    "fault found",
    "systems checked",
    "rail move",
    "march",
    "deployed",
    "waits for the window",
    "too late",
    "no interceptors",
    "fires",
    "intercept",
    "miss",
    "cannot engage",
    "holds fire",
    "weapons hold",
}


@dataclass(frozen=True)
class Line:
    """One line of a player's message feed: simulated time, who, what, and what the post is told."""

    t: float
    actor: str
    what: str
    detail: str = ""


@dataclass
class Track:
    """A threat as the network knows it: a name, the radar tracking it, and the latest prediction."""

    name: str
    detected_at: float
    radar: int
    mode: int
    predicted_at: float = math.nan
    lat: float = math.nan  # predicted impact point
    lon: float = math.nan
    sigma_km: float = math.nan  # its 1-sigma error
    p_own: float = math.nan  # P(impact on own territory) by the prediction
    impact_at: float = math.nan  # impact time by the track (a ballistic flight)
    status: str = "tracking"
    ended_at: float = math.nan  # when the network stopped tracking it (lost, split, assessed destroyed)


@dataclass
class Picture:
    """What the network knows, for every post: tracks, reported readiness, links known down."""

    tracks: dict[str, Track] = field(default_factory=dict)
    reached: dict[str, str] = field(default_factory=dict)  # unit -> level last reported reached
    links_down: set[str] = field(default_factory=set)


class Fog:
    """Turns the engine's story into what each post is told."""

    def __init__(self, r: Replication):
        self.r = r
        s = r.plan.scenario
        self.own = s.rules_of_engagement.own_territory
        self.threats = {t.name: k for k, t in enumerate(s.threats)}
        self.units = {u.name: u.post for u in s.units}
        self.picture = Picture(reached={u.name: (u.initial_level or s.alert_levels[0].name) for u in s.units})

    def hears(self, post: str, actor: str, to_all: bool = False) -> bool:
        """Whether ``post`` hears of what ``actor`` (a post or a unit) did: its own, or from below it."""
        if to_all or actor == "all posts":
            return True
        where = self.units.get(actor, actor)
        return where in self.r.plan.parent and post in ancestors(self.r.plan.scenario, where)

    def see(self, e: TraceEvent, post: str) -> Line | None:
        """The line ``post`` is shown for event ``e``, or None (call :meth:`learn` first, once per event)."""
        if e.actor in self.threats:
            return self._track_line(e)
        if e.event == "message":
            return Line(e.t, "higher command", "message", e.detail) if e.actor in ("all posts", post) else None
        if e.event.startswith("reached "):
            return Line(e.t, e.actor, "reports", e.event) if self.hears(post, e.actor) else None
        if e.event in NETWORK_EVENTS and self.hears(post, e.actor):
            return Line(e.t, e.actor, e.event, e.detail)
        return None

    def learn(self, e: TraceEvent) -> None:
        """Update the network's picture with event ``e`` (tracks and predictions, readiness, links)."""
        pic = self.picture
        if e.actor in self.threats:
            k = self.threats[e.actor]
            if e.event == "detected":
                radar, mode = self._radar_of(e.detail)
                pic.tracks[e.actor] = Track(e.actor, e.t, radar, mode)
            elif e.event == "impact predicted" and e.actor in pic.tracks:
                self._predict(pic.tracks[e.actor], k, e.t)
            elif e.actor in pic.tracks and (e.event.startswith("lands") or e.event == "break-up seen"):
                track = pic.tracks[e.actor]
                track.status = "track ended"
                track.ended_at = e.t if math.isnan(track.ended_at) else track.ended_at
        elif e.event.startswith("reached "):
            pic.reached[e.actor] = e.event.removeprefix("reached ")
        elif e.event in ("link down", "out of action"):
            pic.links_down.add(e.actor)
        elif e.event in ("link up", "back in action"):
            pic.links_down.discard(e.actor)
        elif e.event == "intercept":
            for name in pic.tracks:
                if e.detail.startswith(name + " "):
                    pic.tracks[name].status = "destroyed (assessed)"
                    pic.tracks[name].ended_at = e.t

    # ------------------------------------------------------------------ tracks

    def _track_line(self, e: TraceEvent) -> Line | None:
        track = self.picture.tracks.get(e.actor)
        if track is None:
            return None  # launched, or landed, unseen: no post knows
        if e.event == "detected":
            return Line(e.t, e.actor, "new track", f"by {self.r.plan.radars[track.radar].name}")
        if e.event == "impact predicted":
            return Line(e.t, e.actor, "impact predicted", describe_prediction(track, e.t))
        if e.event == "break-up seen":
            return Line(e.t, e.actor, "track splits", TRACK_WORDS["track splits"])
        if e.event.startswith("lands"):
            return Line(e.t, e.actor, "track ends", "the track is lost")
        if e.event in TRACK_WORDS:
            return Line(e.t, e.actor, e.event, TRACK_WORDS[e.event])
        return None

    def _radar_of(self, detail: str) -> tuple[int, int]:
        """The radar and sensing mode of a detection (the engine's line: ``by RADAR (MODE), ...``)."""
        names = [x.name for x in self.r.plan.radars]
        head = detail.removeprefix("by ").split(",")[0]
        name, _, mode = head.rpartition(" (")
        mode = mode.rstrip(")")
        return (names.index(name) if name in names else 0), (MODES.index(mode) if mode in MODES else 1)

    def _predict(self, track: Track, k: int, t: float) -> None:
        """The prediction the tracking radar gives at ``t`` (engine.prediction, for this one replication)."""
        r = self.r
        i = r.rep
        spec = r.plan.radars[track.radar]
        traj = r.flights.trajectories[k][np.array([i])]
        start = r.flights.first_seen[i, k, track.radar, track.mode]
        sigma = np.atleast_1d(wp.impact_error_at(traj, t, start, spec.scan_period_s, spec.measurement_error_km))
        z = r.draws.array(r.plan.threat_draws[k].pip_error)[i]
        lat, lon = wp.predicted_impact(traj, z[:1], z[1:2], np.nan_to_num(sigma))
        p = own_probability(np.atleast_1d(lat), np.atleast_1d(lon), sigma, self.own)
        track.predicted_at, track.lat, track.lon = t, float(lat[0]), float(lon[0])
        track.sigma_km, track.p_own = float(sigma[0]), float(p[0])
        track.impact_at = float(traj.impact_time_s[0])
        track.status = "impact predicted"


def describe_prediction(track: Track, now: float) -> str:
    """``43.10N 131.90E +-4.2 km, 83% on own territory, impact in 2:40``: the prediction as the post reads it."""
    if math.isnan(track.lat):
        return "no prediction yet"
    left = max(0.0, track.impact_at - now)
    p = "-" if math.isnan(track.p_own) else f"{track.p_own:.0%}"
    sigma = "-" if math.isnan(track.sigma_km) else f"{track.sigma_km:.1f}"
    return (
        f"{track.lat:.2f}N {track.lon:.2f}E +-{sigma} km, {p} on own territory, "
        f"impact in {int(left // 60)}:{int(left % 60):02d} by the track"
    )
