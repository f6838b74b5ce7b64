"""Every battery in reach: the engagement windows of several batteries, each with several interceptor
types, and which of them can still fire once a decision is made.

A battery carries interceptor types (the S-400 fields missiles of very different reach), each with its
own envelope and average flyout speed. `windows` computes, for every battery and type, the interval of
launch times that meet each flight inside that type's envelope (`intercept.engagement_window`), shaped
(batteries, types, *flights). `first_ready` then picks, per flight, the battery and type able to launch
soonest after the moment it is free to fire, and says why none can: the window closed before then
("too late"), or no battery had a window at all ("no battery in reach"): two outcomes a trainer
reads differently.
"""

from __future__ import annotations

import enum
from collections.abc import Sequence
from dataclasses import dataclass
from typing import NamedTuple

import numpy as np

from sim.world.ballistics import Trajectory
from sim.world.intercept import Envelope, engagement_window


@dataclass(frozen=True)
class InterceptorType:
    """One kind of interceptor a battery fields."""

    name: str
    envelope: Envelope
    flyout_speed_kms: float  # average speed from launch to the meeting point

    def __post_init__(self):
        if not self.flyout_speed_kms > 0:
            raise ValueError(f"interceptor {self.name!r}: flyout speed must be positive")


@dataclass(frozen=True)
class Battery:
    name: str
    lat: float
    lon: float
    interceptors: tuple[InterceptorType, ...]


class Windows(NamedTuple):
    """Launch windows, shape (batteries, max types, *flights); NaN where a battery has no such type or
    no window."""

    earliest_s: np.ndarray
    latest_s: np.ndarray


def windows(traj: Trajectory, batteries: Sequence[Battery], step_s=1.0, tol_s=0.01) -> Windows:
    """Engagement window of every battery and interceptor type against every flight (a loop over
    batteries and types, each vectorised over all flights)."""
    n_types = max((len(b.interceptors) for b in batteries), default=0)
    earliest = np.full((len(batteries), n_types, *traj.shape), np.nan)
    latest = earliest.copy()
    for i, battery in enumerate(batteries):
        for k, kind in enumerate(battery.interceptors):
            earliest[i, k], latest[i, k] = engagement_window(
                traj, battery.lat, battery.lon, kind.envelope, kind.flyout_speed_kms, step_s, tol_s
            )
    return Windows(earliest, latest)


class Reach(enum.IntEnum):
    """Why a flight can or cannot be engaged once the shooters are free to fire."""

    CAN_FIRE = 0
    TOO_LATE = 1  # some battery had a window, but it closed before the ready time
    NO_BATTERY_IN_REACH = 2  # no battery and type had any window


class Choice(NamedTuple):
    reach: np.ndarray  # Reach, per flight
    battery: np.ndarray  # index into the batteries, -1 when none
    interceptor: np.ndarray  # index into that battery's types, -1 when none
    launch_s: np.ndarray  # when it launches: max(ready, window opens); NaN when none


def first_ready(w: Windows, ready_s, usable=None) -> Choice:
    """Per flight, the battery and type that can launch soonest at or after `ready_s` (a time per
    flight, or per battery and flight shaped (batteries, 1, *flights): when the order reaches it).

    `usable` (broadcast to the windows' shape) masks out types a battery cannot fire now: no stock,
    no free channel. Ties go to the first battery, then the first type, in the order given.
    """
    ready = np.broadcast_to(np.asarray(ready_s, dtype=float), w.earliest_s.shape)
    has_window = ~np.isnan(w.latest_s)
    if usable is not None:
        has_window &= np.broadcast_to(np.asarray(usable, dtype=bool), has_window.shape)
    launch = np.maximum(ready, w.earliest_s)
    ok = has_window & (launch <= w.latest_s)
    flat_launch = np.where(ok, launch, np.inf).reshape(-1, *w.earliest_s.shape[2:])
    best = np.argmin(flat_launch, axis=0)  # first minimum: battery order, then type order
    any_ok = ok.reshape(flat_launch.shape).any(axis=0)
    n_types = w.earliest_s.shape[1]
    reach = np.where(
        any_ok,
        Reach.CAN_FIRE,
        np.where(has_window.reshape(flat_launch.shape).any(axis=0), Reach.TOO_LATE, Reach.NO_BATTERY_IN_REACH),
    )
    chosen = np.take_along_axis(flat_launch, best[None], axis=0)[0]
    return Choice(
        reach.astype(np.int8)[()],
        np.where(any_ok, best // n_types, -1)[()],
        np.where(any_ok, best % n_types, -1)[()],
        np.where(any_ok, chosen, np.nan)[()],
    )
