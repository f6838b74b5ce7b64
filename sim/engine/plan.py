"""A scenario compiled once per run: places resolved, names indexed, draw sites declared.

Everything a replication needs that does not depend on chance is worked out here, once, and
shipped to the workers; the replications then only look things up.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from sim.engine import draw_sites
from sim.engine.authority import Rules
from sim.engine.draw_sites import (
    LevelSites,
    OrderSites,
    PostSites,
    ThreatSites,
    UnitSites,
)
from sim.engine.draws import DrawSite
from sim.engine.sensing import RadarSpec, look_slots, radar_specs
from sim.engine.shooters import Shooter, shooters_of
from sim.scenario.crossrefs import ancestors, resolve_place
from sim.scenario.distributions import Fixed, Normal, Uniform
from sim.scenario.missile import burnout_state, rcs_m2
from sim.scenario.model import Scenario, Unit
from sim.scenario.quantities import ANGLE, DURATION, FRACTION

UNIT_INTERVAL = Uniform(FRACTION, 0.0, 1.0)
STANDARD_NORMAL = Normal(ANGLE, 0.0, 1.0)  # unbounded kind, so never truncated


@dataclass(frozen=True)
class Place:
    lat: float
    lon: float


@dataclass(frozen=True)
class Plan:
    scenario: Scenario
    unit_sites: tuple[Place, ...]
    sensor_sites: tuple[Place, ...]
    launch_sites: tuple[Place, ...]
    aim_azimuths: tuple[float, ...]  # per threat, degrees
    post_names: tuple[str, ...]
    parent: dict[str, str | None]
    order_targets: tuple[tuple[int, ...], ...]  # per alert order, unit indices it reaches
    sites: dict[str, DrawSite]
    max_shots: int  # interceptor shots per threat at most (slots)
    max_trips: tuple[int, ...]  # per unit, depot trips at most
    post_sites: dict[str, PostSites]  # the names of every draw site, by what they belong to
    level_sites: dict[str, LevelSites]
    sensor_sites_names: tuple[str, ...]  # detection latency of each stand-alone sensor
    order_sites: tuple[OrderSites, ...]
    unit_draws: tuple[UnitSites, ...]
    threat_draws: tuple[ThreatSites, ...]
    shooters: tuple[Shooter, ...]  # every battery's interceptor types, main types first
    rules: Rules  # rules of engagement by level and zone
    fallback: dict[str, str | None]  # per post, who decides while a link on the way to it is down
    chains: dict[str, tuple[str, ...]]  # per post, itself and every post above it, nearest first
    looks: int  # salvos per battery and threat at most
    friendly: tuple[tuple[float, float, float, float, float, float], ...]  # lat, lon, radius, ceiling, start, end
    threat_states: tuple[tuple[float, float, float, float], ...]  # per threat: speed, angle, burnout alt, burn time
    threat_rcs: tuple[float, ...]  # per threat, m^2
    radars: tuple[RadarSpec, ...]  # the units' radars, then the sensors
    look_sites: tuple[tuple[str, ...], ...]  # per radar, per threat: the draw site of its looks

    @property
    def n_threats(self) -> int:
        return len(self.scenario.threats)

    def chain(self, post: str) -> tuple[str, ...]:
        """``post`` and every post above it, nearest first: the network's answer, looked up (the loop asks often)."""
        return self.chains[post] if post in self.chains else tuple(ancestors(self.scenario, post))

    def path_up(self, from_post: str, to_post: str) -> list[str]:
        """Posts whose link to their parent a report crosses going from ``from_post`` up to ``to_post``."""
        chain = self.chain(from_post)
        return list(chain[: chain.index(to_post)])

    def link_slot_report(self, threat: int) -> int:
        return 2 * threat

    def link_slot_order(self, threat: int) -> int:
        return 2 * threat + 1

    def link_slot_alert(self, order: int) -> int:
        return 2 * self.n_threats + order

    def link_slot_inject(self, inject: int) -> int:
        """An alert order sent by inject ``inject`` (a facilitator's, sent while it runs, uses the last)."""
        return 2 * self.n_threats + len(self.scenario.alert_orders) + inject

    def reaction_slot(self, threat: int, unit: int) -> int:
        """Each battery reacts to a fire order in its own time (battery 0 keeps the older slots)."""
        return unit * self.n_threats + threat


def compile_plan(s: Scenario) -> Plan:
    from sim.world.geo import initial_bearing_deg

    where = lambda text: Place(*resolve_place(text, s.sites))  # noqa: E731
    unit_sites = tuple(where(u.site) for u in s.units)
    sensor_sites = tuple(where(x.site) for x in s.sensors)
    launch_sites = tuple(where(t.launch.site) for t in s.threats)
    azimuths = []
    for t, ls in zip(s.threats, launch_sites):
        if t.toward is not None:
            aim = where(t.toward)
            azimuths.append(float(initial_bearing_deg(ls.lat, ls.lon, aim.lat, aim.lon)))
        else:
            assert t.azimuth is not None  # validation asks for toward or azimuth
            azimuths.append(float(t.azimuth))
    targets = []
    for o in s.alert_orders:
        names = o.units or [u.name for u in s.units if o.issued_by in ancestors(s, u.post)]
        targets.append(tuple(i for i, u in enumerate(s.units) if u.name in names))

    states = tuple(burnout_state(t) for t in s.threats)
    radars = radar_specs(s, unit_sites, sensor_sites)
    look_sites = tuple(tuple(draw_sites.radar_looks(r.name, t.name) for t in s.threats) for r in radars)
    roe = s.rules_of_engagement
    looks = roe.max_looks if roe.doctrine == "shoot_look_shoot" else 1
    max_shots = roe.salvo * looks
    max_trips = tuple(_trips(u) for u in s.units)
    friendly = []
    for f in s.friendly_flights:
        c = where(f.site)
        friendly.append((c.lat, c.lon, f.radius, f.ceiling, f.start, f.end))
    return Plan(
        scenario=s,
        unit_sites=unit_sites,
        sensor_sites=sensor_sites,
        launch_sites=launch_sites,
        aim_azimuths=tuple(azimuths),
        post_names=tuple(p.name for p in s.command.posts),
        parent={p.name: p.parent for p in s.command.posts},
        order_targets=tuple(targets),
        sites=_draw_sites(s, max_shots, max_trips, states, radars, look_sites),
        max_shots=max_shots,
        max_trips=max_trips,
        post_sites={p.name: PostSites.of(p.name) for p in s.command.posts},
        level_sites={lv.name: LevelSites.of(lv.name) for lv in s.alert_levels},
        sensor_sites_names=tuple(draw_sites.sensor_detection(x.name) for x in s.sensors),
        order_sites=tuple(OrderSites.of(k) for k in range(len(s.alert_orders))),
        unit_draws=tuple(UnitSites.of(u.name) for u in s.units),
        threat_draws=tuple(ThreatSites.of(t.name) for t in s.threats),
        shooters=shooters_of(s),
        rules=Rules.of(s),
        fallback={p.name: p.fallback for p in s.command.posts},
        chains={p.name: tuple(ancestors(s, p.name)) for p in s.command.posts},
        looks=looks,
        friendly=tuple(friendly),
        threat_states=states,
        threat_rcs=tuple(rcs_m2(t) for t in s.threats),
        radars=radars,
        look_sites=look_sites,
    )


def _trips(u: Unit) -> int:
    if u.depot is None:
        return 0
    room = max(0, u.capacity - u.interceptors.loaded)
    return math.ceil(min(room, u.depot.interceptors) / u.depot.per_trip)


def nominal_flight_time_s(state: tuple[float, float, float, float]) -> float:
    """Launch to impact of the nominal flight: no failure makes a flight longer (speed fraction <= 1)."""
    from sim.world.ballistics import Trajectory

    return float(Trajectory.from_burnout(0.0, 0.0, 0.0, *state).flight_time_s)


def _draw_sites(
    s: Scenario, max_shots: int, max_trips: tuple[int, ...], states=(), radars=(), look_sites=()
) -> dict[str, DrawSite]:
    """Every source of randomness in a replication, with a stable name and its number of slots."""
    nt = len(s.threats)
    sites: list[DrawSite] = []
    add = lambda name, dist, slots=1: sites.append(DrawSite(name, dist, slots))  # noqa: E731

    for p in s.command.posts:
        post = PostSites.of(p.name)
        if p.parent is not None:
            add(post.link, p.link_delay, 2 * nt + len(s.alert_orders) + len(s.injects))
        add(post.decision, p.decision_time, nt)
    for lv in s.alert_levels:
        level = LevelSites.of(lv.name)
        add(level.detection, lv.detection_latency, nt)
        add(level.reaction, lv.reaction_time, nt * len(s.units))
    for x in s.sensors:
        add(draw_sites.sensor_detection(x.name), x.latency, nt)
    for k, o in enumerate(s.alert_orders):
        order = OrderSites.of(k)
        add(order.at, o.at if o.at is not None else Fixed(o.delay.kind, 0.0))
        add(order.delay, o.delay)
    for u, trips in zip(s.units, max_trips):
        us = UnitSites.of(u.name)
        add(us.notify, u.crew.notify, u.crew.on_leave)
        add(us.travel, u.crew.travel, u.crew.on_leave)
        if u.depot is not None:
            add(us.trip, u.depot.trip, trips)
            add(us.load, u.depot.load, trips)
        add(us.checks, u.checks.duration)
        add(us.fault, UNIT_INTERVAL)
        add(us.repair, u.checks.repair)
        add(us.march, u.deployment.march)
        add(us.ready_after_march, u.deployment.ready_after_march)
        add(us.kill_probability, u.interceptors.kill_probability)
        add(us.shot, UNIT_INTERVAL, nt * max_shots)
        looks = max_shots // s.rules_of_engagement.salvo
        if u.interceptors.common_mode < 1 or any(t.common_mode < 1 for t in u.interceptor_types):
            add(us.common, UNIT_INTERVAL, nt * looks)
        for kind in u.interceptor_types:
            add(draw_sites.interceptor_kill(u.name, kind.name), kind.kill_probability)
        if u.deployment.transport == "rail":
            add(us.rail_load, u.deployment.rail_load)
            add(us.rail_unload, u.deployment.rail_unload)
            add(us.rail_return, u.deployment.rail_return)
    launched_by_inject = {
        j.launch: Fixed(DURATION, j.at) for j in s.injects if j.launch is not None and j.at is not None
    }
    for t in s.threats:
        ts, f = ThreatSites.of(t.name), t.failure
        add(ts.launch, launched_by_inject.get(t.name, t.launch.at))
        add(ts.failure, UNIT_INTERVAL)
        add(ts.explosion_time, f.explosion_time)
        add(ts.wind_speed, f.wind_speed)
        add(ts.wind_from, f.wind_from)
        add(ts.heading_error, f.heading_error)
        add(ts.speed_fraction, f.speed_fraction)
        add(ts.track, s.tracking.track_time)
        add(ts.classify, s.tracking.classify_time)
        add(ts.pip_error, STANDARD_NORMAL, 2)
        add(ts.kill_assessment, s.rules_of_engagement.kill_assessment, max(1, s.rules_of_engagement.max_looks))
        if f.early_explosion > 0 and f.fragments > 0:
            add(ts.debris_beta, f.fragment_beta, f.fragments)
    for r, per_threat in zip(radars, look_sites):
        for state, name in zip(states, per_threat):
            add(name, UNIT_INTERVAL, look_slots(nominal_flight_time_s(state), r.scan_period_s))
    return {site.name: site for site in sites}
