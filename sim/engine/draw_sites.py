"""The names of the draw sites, spelt in one place.

A draw site's name fixes its random stream (``SeedSequence(seed, spawn_key=(block, site_id(name)))``),
so the plan that declares the sites and the processes that take from them must spell every name the
same way. Both read it from here: one small record per owner (a post, a level, a unit, a threat...).
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class PostSites:
    link: str  # the link from this post up to its parent: one slot per message
    decision: str  # time to decide, one slot per threat

    @classmethod
    def of(cls, post: str) -> PostSites:
        return cls(f"link.{post}", f"decision.{post}")


@dataclass(frozen=True)
class LevelSites:
    detection: str  # detection latency of a unit's own radar at this level, per threat
    reaction: str  # battery reaction to a fire order at this level, per threat

    @classmethod
    def of(cls, level: str) -> LevelSites:
        return cls(f"detection.{level}", f"reaction.{level}")


def sensor_detection(sensor: str) -> str:
    """Detection latency of a stand-alone sensor, per threat."""
    return f"detection.sensor.{sensor}"


def radar_looks(radar: str, threat: str) -> str:
    """One uniform per look of a radar (a battery's, named after its unit, or a sensor) at a threat."""
    return f"radar.looks.{radar}.{threat}"


@dataclass(frozen=True)
class OrderSites:
    at: str  # when an order set for a time is issued
    delay: str  # how long after its trigger an order on an event is issued

    @classmethod
    def of(cls, order: int) -> OrderSites:
        return cls(f"order.{order}.at", f"order.{order}.delay")


@dataclass(frozen=True)
class UnitSites:
    notify: str  # per officer on leave
    travel: str  # per officer on leave
    trip: str  # per depot trip
    load: str  # per depot trip
    checks: str
    fault: str
    repair: str
    march: str
    ready_after_march: str
    kill_probability: str
    shot: str  # one uniform per possible shot at each threat
    common: str  # one uniform per salvo at each threat: do the parts the salvo shares work (common mode)
    rail_load: str  # loading the unit onto a train
    rail_unload: str  # unloading it at the field position
    rail_return: str  # the empty train going back

    @classmethod
    def of(cls, unit: str) -> UnitSites:
        return cls(
            notify=f"recall.notify.{unit}",
            travel=f"recall.travel.{unit}",
            trip=f"depot.trip.{unit}",
            load=f"depot.load.{unit}",
            checks=f"checks.duration.{unit}",
            fault=f"checks.fault.{unit}",
            repair=f"checks.repair.{unit}",
            march=f"march.{unit}",
            ready_after_march=f"march.ready.{unit}",
            kill_probability=f"kill.p.{unit}",
            shot=f"kill.shot.{unit}",
            common=f"kill.common.{unit}",
            rail_load=f"rail.load.{unit}",
            rail_unload=f"rail.unload.{unit}",
            rail_return=f"rail.return.{unit}",
        )


def interceptor_kill(unit: str, kind: str) -> str:
    """Single-shot kill probability of a battery's further interceptor type (the main one is ``kill.p.{unit}``)."""
    return f"kill.p.{unit}.{kind}"


@dataclass(frozen=True)
class ThreatSites:
    launch: str
    failure: str
    explosion_time: str
    wind_speed: str
    wind_from: str
    heading_error: str
    speed_fraction: str
    track: str
    classify: str
    pip_error: str  # two standard normals: the predicted impact point's error east and north, in sigmas
    kill_assessment: str  # one per look
    debris_beta: str  # ballistic coefficient of each fragment of a break-up

    @classmethod
    def of(cls, threat: str) -> ThreatSites:
        return cls(
            launch=f"threat.launch.{threat}",
            failure=f"threat.failure.{threat}",
            explosion_time=f"threat.explosion_time.{threat}",
            wind_speed=f"threat.wind_speed.{threat}",
            wind_from=f"threat.wind_from.{threat}",
            heading_error=f"threat.heading_error.{threat}",
            speed_fraction=f"threat.speed_fraction.{threat}",
            track=f"tracking.track.{threat}",
            classify=f"tracking.classify.{threat}",
            pip_error=f"tracking.pip_error.{threat}",
            kill_assessment=f"kill_assessment.{threat}",
            debris_beta=f"threat.debris_beta.{threat}",
        )
