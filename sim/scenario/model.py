"""The scenario: typed, immutable, validated. What a trainer writes in YAML, field by field.

Every field says what it means in its description (the scenario reference in ``docs/`` is
generated from these), and every default is either a public figure (see ``seeds/``) or a
named assumption to tune.
"""

from __future__ import annotations

from typing import Literal

from pydantic import Field

from sim.scenario.distributions import Fixed
from sim.scenario.injects import Inject, InjectAlertOrder, InjectStandingOrder  # noqa: F401
from sim.scenario.parts import Name, Part, _fixed_s
from sim.scenario.quantities import FRACTION

# the rules of engagement and the threats live in their own modules; re-exported here
from sim.scenario.rules import (  # noqa: F401
    FORBIDDEN,
    ZONE_COLUMNS,
    FriendlyFlight,
    RulesOfEngagement,
    StandingOrder,
    ZoneAuthority,
)
from sim.scenario.threat_parts import Failure, Launch, Threat  # noqa: F401
from sim.scenario.types import (
    Angle,
    CrossSection,
    Distance,
    Duration,
    DurationDist,
    Probability,
    ProbabilityDist,
    Speed,
)
from sim.scenario.uncertainty import SpreadField

# ------------------------------------------------------------------ alert levels


class AlertLevel(Part):
    """One step of the readiness ladder and what a unit must have to stand at it."""

    name: Name = Field(description="Name of the level, e.g. constant, heightened, military_danger, full.")
    crew_on_station: Probability = Field(0.0, description="Share of the unit's crew that must be at post (0..1).")
    interceptors_loaded: Probability = Field(
        0.0, description="Share of launcher capacity that must be loaded and ready (0..1)."
    )
    systems_checked: bool = Field(False, description="All systems must have passed a check since the order.")
    deployed: bool = Field(False, description="The unit must stand at its field position, ready after march.")
    monitoring: Literal["routine", "mass"] = Field(
        "routine", description="Routine watch, or continuous 'mass monitoring' of airborne targets."
    )
    detection_latency: DurationDist = Field(
        default_factory=lambda: _fixed_s(60.0),
        description="From a threat first being visible to a radar of a unit at this level to it being reported as detected.",
    )
    authority: Name = Field(description="Command post that holds engagement authority at this level.")
    authority_from: Literal["reached", "order"] = Field(
        "reached",
        description="This level's authority applies once the unit has reached the level, or as soon as "
        "the order to raise the alert to it arrives (the issue 12 measure: 14.5% -> 26.5% intercepted).",
    )
    reaction_time: DurationDist = Field(
        default_factory=lambda: _fixed_s(60.0),
        description="From the fire order reaching the battery to its first interceptor leaving the launcher.",
    )


# ------------------------------------------------------------------ command network


class Post(Part):
    """A command post; posts form a tree through ``parent``, each link with its own delay."""

    name: Name = Field(description="Name of the post, e.g. general_staff, district_hq.")
    parent: Name | None = Field(None, description="The post above this one (none for the top of the network).")
    link_delay: DurationDist = Field(
        default_factory=lambda: _fixed_s(30.0),
        description="Delay of one message (report up or order down) on the link between this post and its parent.",
    )
    decision_time: DurationDist = Field(
        default_factory=lambda: _fixed_s(120.0),
        description="Time this post takes to decide an engagement once the report arrives (when it holds authority).",
    )
    staff: int | None = Field(
        None,
        ge=1,
        le=1000,
        description="Duty officers deciding at once: threats arriving together queue for them (none: unlimited).",
    )
    fallback: Name | None = Field(
        None,
        description="Post that takes over this post's engagement authority while a link on the way to it is down.",
    )


class LinkOutage(Part):
    """A scenario inject: the link between a post and its parent is down for an interval."""

    post: Name = Field(description="The post whose link to its parent is down.")
    start: Duration = Field(description="When the link goes down, after the scenario starts.")
    end: Duration = Field(description="When it is back; messages wait for it.")


class Command(Part):
    """The command network: a tree of posts."""

    posts: list[Post] = Field(min_length=1, description="Command posts, each with its parent.")
    outages: list[LinkOutage] = Field(default_factory=list, description="Links down for an interval (injects).")


# ------------------------------------------------------------------ units


class Crew(Part):
    """The unit's officers: some at post, some on leave who are recalled when an order arrives."""

    on_station: int = Field(ge=0, le=1000, description="Officers at post at the start.")
    on_leave: int = Field(
        0, ge=0, le=1000, description="Officers on leave, each recalled individually by an alert order."
    )
    notify: DurationDist = Field(
        default_factory=lambda: _fixed_s(900.0), description="Time to reach one officer with the recall."
    )
    travel: DurationDist = Field(
        default_factory=lambda: _fixed_s(4 * 3600.0), description="Travel time of one officer back to post."
    )


class Depot(Part):
    """Interceptors kept in a depot, brought to the launchers by a limited number of trucks."""

    interceptors: int = Field(ge=0, le=10_000, description="Interceptors available in the depot.")
    trucks: int = Field(1, ge=1, le=100, description="Trucks or loading crews working in parallel (a SimPy resource).")
    per_trip: int = Field(4, ge=1, le=1000, description="Interceptors one truck brings per trip.")
    trip: DurationDist = Field(
        default_factory=lambda: _fixed_s(2 * 3600.0), description="Round trip to the depot and back."
    )
    load: DurationDist = Field(
        default_factory=lambda: _fixed_s(1800.0), description="Time to load one trip's interceptors onto launchers."
    )


class Checks(Part):
    """A check of all systems, ordered when a level requires systems checked."""

    passed_at_start: bool = Field(False, description="Systems already checked when the scenario starts.")
    duration: DurationDist = Field(default_factory=lambda: _fixed_s(3600.0), description="Time to check all systems.")
    fault_probability: Probability = Field(0.0, description="Chance the check finds a fault.")
    repair: DurationDist = Field(
        default_factory=lambda: _fixed_s(4 * 3600.0), description="Time to repair a fault found."
    )


class Deployment(Part):
    """Where the unit stands, and the march to its field position when a level requires it."""

    at_field_position: bool = Field(False, description="The unit already stands at its field position at the start.")
    transport: Literal["road", "rail"] = Field(
        "road", description="Road march (no limit) or rail (shares the scenario's trains)."
    )
    march: DurationDist = Field(
        default_factory=lambda: _fixed_s(3 * 3600.0), description="Time of the march or rail move."
    )
    ready_after_march: DurationDist = Field(
        default_factory=lambda: _fixed_s(300.0),
        description="From arrival to ready for combat (Russian MoD: about 5 minutes for the S-400).",
    )
    rail_load: DurationDist = Field(
        default_factory=lambda: _fixed_s(0.0),
        description="Rail: loading the unit onto the train (it cannot fire from then on).",
    )
    rail_unload: DurationDist = Field(
        default_factory=lambda: _fixed_s(0.0),
        description="Rail: unloading at the field position (before ready_after_march).",
    )
    rail_return: DurationDist = Field(
        default_factory=lambda: _fixed_s(0.0),
        description="Rail: the empty train's way back; the train is free only after it.",
    )


class RadarFigures(Part):
    """How a radar sees a missile, look by look (sim.world.radar): reach for a reference target, scan, accuracy."""

    range: Distance = Field(
        600.0,
        description="Detection range for the reference cross-section: the range of a "
        "reference_pd chance per look (S-400: about 600 km).",
    )
    height: Distance = Field(0.03, description="Antenna height above ground, for the radar horizon (e.g. 30m).")
    reference_rcs: CrossSection = Field(
        1.0,
        description="Radar cross-section (square metres) the range refers to; "
        "range scales as (rcs / reference_rcs)^(1/4).",
    )
    reference_pd: Probability = Field(
        0.5,
        description="Chance per look of detecting the reference target at the "
        "reference range (Swerling 1, false-alarm chance 1e-6).",
    )
    scan_period: Duration = Field(
        10.0, description="Time between two looks at the same place (and between two track updates once it tracks)."
    )
    sector_center: Angle | None = Field(None, description="Bearing the radar faces (none: it looks all round).")
    sector_half_width: Angle = Field(180.0, description="Half-width of its sector, degrees (180: all round).")
    measurement_error: Distance = Field(
        0.5,
        description="1-sigma error of one measured position; with the looks "
        "of a track it sets the impact prediction's error.",
    )


class Radar(RadarFigures):
    """The battery's own radar: what it can see decides detection; the unit's monitoring sets its search."""

    routine_scan_period: Duration | None = Field(
        None,
        description="Time between looks at a level with routine monitoring (default: twice scan_period); "
        "'mass' monitoring searches every scan_period.",
    )


class ReachAtSpeed(Part):
    """One point of an envelope that shrinks with target speed."""

    target_speed: Speed = Field(description="Target speed.")
    max_range: Distance = Field(description="Max intercept range against targets that fast.")


class Envelope(Part):
    """Where the battery can meet a ballistic target."""

    min_range: Distance = Field(3.0, description="Closest intercept distance from the battery.")
    max_range: Distance = Field(
        60.0, description="About 60 km against non-strategic ballistic targets (the maker, via TASS)."
    )
    min_altitude: Distance = Field(0.5, description="Lowest intercept altitude.")
    max_altitude: Distance = Field(30.0, description="About 30 km.")
    max_target_speed: Speed = Field(4.8, description="About 4.8 km/s.")
    range_vs_speed: list[ReachAtSpeed] = Field(
        default_factory=list,
        description="Max range against faster targets, speeds rising, interpolated linearly "
        "and capped by max_range (empty: max_range whatever the speed up to max_target_speed).",
    )


class Interceptors(Part):
    """The battery's missiles: how many, how fast, how likely to kill."""

    per_launcher: int = Field(4, ge=1, le=64, description="Missiles per launcher (4 for the S-400).")
    loaded: int = Field(ge=0, le=10_000, description="Interceptors loaded and ready at the start.")
    speed: Speed = Field(1.5, description="Average flyout speed used for intercept geometry (an assumption).")
    kill_probability: ProbabilityDist = Field(
        default_factory=lambda: Fixed(FRACTION, 0.7),
        description="Single-shot kill probability (an assumption to tune).",
    )
    common_mode: Probability = Field(
        1.0,
        description="rho: chance the parts a salvo shares (radar, track, guidance) work; a salvo of n kills "
        "with rho [1 - (1 - p)^n]. 1: shots independent.",
    )


class InterceptorType(Part):
    """A further kind of interceptor a battery fields, from the same launchers and stock as its main one."""

    name: Name = Field(description="Name of the type, e.g. 9M96 or 48N6.")
    speed: Speed = Field(description="Average flyout speed of this type.")
    kill_probability: ProbabilityDist = Field(description="Single-shot kill probability of this type.")
    common_mode: Probability = Field(1.0, description="rho of a salvo of this type (see interceptors.common_mode).")
    envelope: Envelope = Field(description="Where this type can meet a ballistic target.")


class Unit(Part):
    """A fire unit (an S-400 battalion/battery): where it stands, its people, missiles and systems."""

    name: Name = Field(description="Name of the unit, e.g. s400_vladivostok.")
    post: Name = Field(description="The command post this unit reports to and takes orders from.")
    site: str = Field(description="A named site (vladivostok) or 'LAT,LON' in decimal degrees.")
    initial_level: Name | None = Field(None, description="Level ordered at the start (default: the lowest).")
    launchers: int = Field(8, ge=1, le=100, description="Launchers (8 per battalion).")
    fire_channels: int = Field(2, ge=1, le=100, description="Targets the battery can engage at once.")
    interceptors: Interceptors = Field(description="Interceptors loaded, their speed and kill probability.")
    crew: Crew = Field(description="Officers at post and on leave.")
    depot: Depot | None = Field(None, description="Interceptor depot and trucks (none: no resupply).")
    checks: Checks = Field(default_factory=Checks)
    deployment: Deployment = Field(default_factory=Deployment)
    radar: Radar = Field(default_factory=Radar)
    envelope: Envelope = Field(default_factory=Envelope)
    interceptor_types: list[InterceptorType] = Field(
        default_factory=list,
        description="Further interceptor types beside the main one (interceptors + envelope), "
        "each with its own envelope and flyout, fired from the same launchers and stock.",
    )
    launch_interval: Duration = Field(
        0.0,
        description="Least time between two interceptor launches of this battery (0: a salvo leaves at once).",
    )

    @property
    def capacity(self) -> int:
        return self.launchers * self.interceptors.per_launcher


class Sensor(RadarFigures):
    """An early-warning radar that is not part of a fire unit: it reports to its own post and cues the batteries."""

    name: Name = Field(description="Name of the radar.")
    post: Name = Field(description="The post it reports to.")
    site: str = Field(description="A named site or 'LAT,LON'.")
    latency: DurationDist = Field(
        default_factory=lambda: _fixed_s(30.0),
        description="From its first detection to the report reaching its post (which cues the battery radars).",
    )


class Transport(Part):
    """Shared transport for rail moves."""

    trains: int = Field(1, ge=1, le=100, description="Trains available for rail moves at once (limited capacity).")


# ------------------------------------------------------------------ orders


class AlertOrder(Part):
    """An order to raise the alert, issued at a time or on an event, travelling down the network."""

    level: Name = Field(description="The alert level ordered.")
    issued_by: Name = Field(description="The post that issues the order.")
    at: DurationDist | None = Field(None, description="Time after the scenario starts (fixed or drawn).")
    trigger: Literal["launch", "launch_detected"] | None = Field(
        None,
        description="Issue the order on an event instead (the key was 'on' before; YAML 1.1 tools read that as true).",
    )
    delay: DurationDist = Field(
        default_factory=lambda: _fixed_s(0.0), description="Delay after the event before the order leaves."
    )
    units: list[Name] | None = Field(None, description="Units it reaches (default: every unit under the issuing post).")


# ------------------------------------------------------------------ tracking and rules


class Tracking(Part):
    """From detection to a predicted impact point good enough to decide on (the tracking radar's accuracy and
    scan set how fast its error shrinks: sim.world.prediction)."""

    track_time: DurationDist = Field(default_factory=lambda: _fixed_s(20.0), description="Detection to a firm track.")
    classify_time: DurationDist = Field(
        default_factory=lambda: _fixed_s(20.0), description="Track to classified ballistic."
    )
    engage_probability: Probability = Field(
        0.5,
        description="Chance of impact on own territory, computed at every track update from the prediction and "
        "its error, above which the threat is reported for a decision (with engage: own_territory).",
    )


# ------------------------------------------------------------------ the scenario


class Scenario(Part):
    """A complete scenario: the readiness chain, the threats, and the rules."""

    name: str = Field(description="Title shown in reports.")
    description: str = Field("", description="What the scenario asks, for the report and tabletop mode.")
    sources: list[str] = Field(default_factory=list, description="Entries of seeds/ this scenario draws on.")
    seed: int = Field(1, ge=0, le=2**32 - 1, description="Seed of the random streams (sim run --seed overrides it).")
    runs: int = Field(1000, ge=1, le=10_000_000, description="Replications (sim run --runs overrides it).")
    horizon: Duration = Field(3 * 86400.0, description="Simulated time after which a replication stops.")
    sites: dict[str, str] = Field(default_factory=dict, description="Extra named sites, name: 'LAT,LON'.")
    alert_levels: list[AlertLevel] = Field(min_length=1, description="The ladder, lowest first.")
    command: Command = Field(description="The command network.")
    units: list[Unit] = Field(min_length=1, description="Fire units (S-400 battalions or batteries).")
    sensors: list[Sensor] = Field(default_factory=list, description="Early-warning radars outside the fire units.")
    transport: Transport = Field(default_factory=Transport, description="Shared rail capacity.")
    alert_orders: list[AlertOrder] = Field(default_factory=list, description="Orders raising the alert.")
    threats: list[Threat] = Field(default_factory=list, description="Missile launches.")
    tracking: Tracking = Field(default_factory=Tracking, description="Detection to a trusted impact point.")
    rules_of_engagement: RulesOfEngagement = Field(
        default_factory=RulesOfEngagement, description="When and how to engage."
    )
    injects: list[Inject] = Field(
        default_factory=list,
        description="What the trainer makes happen, at a time or on an event: a link down or up, a post out of "
        "action, a message, a standing order, an alert order, another launch, a false track (docs/exercise.md).",
    )
    friendly_flights: list[FriendlyFlight] = Field(
        default_factory=list,
        description="Own aircraft in a sector for a time: a weapons hold there.",
    )
    uncertainty: dict[str, SpreadField] = Field(
        default_factory=dict,
        description="Assumptions in doubt for `sim sensitivity`: a dotted path (e.g. "
        "command.posts.1.decision_time) and its range, absolute values [30s, 3min] or factors of the file's value x0.5..x2 "
        "(a distribution scales all its values). Nothing else reads this section.",
    )

    def level_index(self, name: str) -> int:
        return [lv.name for lv in self.alert_levels].index(name)
