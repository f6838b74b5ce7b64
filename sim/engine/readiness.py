"""The readiness escalation chain: a unit works through its tasks until it stands at a level.

A rail move is a train cycle: waiting for a train (still on duty), loading, travel, unloading, and
the empty train's return before the next unit can have it.

When an order to raise the alert arrives, the unit starts in parallel whatever the ordered
level needs and it does not have yet: recall every officer on leave (notification, then
travel, per person), bring interceptors from the depot with a limited number of trucks, check
all systems (a fault means a repair), and march to the field position. After every task that
finishes, the unit looks at the ladder: it *reaches* a level at the moment every requirement of
that level holds, and that moment is recorded.
"""

from __future__ import annotations

import math
from collections import deque

import simpy

from sim.engine.draw_sites import UnitSites
from sim.engine.draws import BlockDraws
from sim.engine.trace import Trace
from sim.numbers import is_nan
from sim.scenario.model import AlertLevel, Scenario, Unit
from sim.scenario.quantities import format_duration


class UnitReadiness:
    """One fire unit's people, missiles and systems, and the level it has reached."""

    def __init__(
        self,
        env: simpy.Environment,
        scenario: Scenario,
        index: int,
        draws: BlockDraws,
        rep: int,
        trace: Trace,
        trains: simpy.Resource,
        sites: UnitSites,
    ):
        u: Unit = scenario.units[index]
        self.env, self.unit, self.levels, self.draws, self.rep, self.trace = (
            env,
            u,
            scenario.alert_levels,
            draws,
            rep,
            trace,
        )
        self.trains = trains
        self.sites = sites
        self.crew_total = u.crew.on_station + u.crew.on_leave
        self.crew_present = u.crew.on_station
        self.interceptors = simpy.Container(env, capacity=u.capacity, init=u.interceptors.loaded)
        self.depot_stock = u.depot.interceptors if u.depot else 0
        self.in_transit = 0
        self.fired = 0  # interceptors already launched still count as having been ready
        self.next_launch = 0.0  # the launch interval: no launch before this
        self.first_of_salvo = math.nan  # when the salvo being fired began
        self.trips_made = 0
        self.checked = u.checks.passed_at_start
        self.deployed = u.deployment.at_field_position
        self.marching = False
        self.ordered = -1
        self.reached_at = [math.nan] * len(self.levels)
        self._recalling = self._checking = False
        self.waiting_trips: deque[tuple[int, int]] = deque()  # (trip, load) not yet on a truck, first come first served
        self.trucks_out = 0  # trucks driving (one process each, taking the waiting trips in turn)
        initial = scenario.level_index(u.initial_level) if u.initial_level else 0
        self.order(initial)

    # ---------------------------------------------------------------- the ladder

    def meets(self, level: AlertLevel) -> bool:
        crew_ok = self.crew_total == 0 or self.crew_present >= level.crew_on_station * self.crew_total - 1e-9
        missiles_ok = self.interceptors.level + self.fired >= math.ceil(
            level.interceptors_loaded * self.interceptors.capacity - 1e-9
        )
        return (
            crew_ok
            and missiles_ok
            and (self.checked or not level.systems_checked)
            and (self.deployed or not level.deployed)
        )

    @property
    def level(self) -> int:
        """The highest level reached so far (levels once reached are kept)."""
        reached = [i for i, t in enumerate(self.reached_at) if not is_nan(t)]
        return max(reached) if reached else 0

    @property
    def current(self) -> AlertLevel:
        return self.levels[self.level]

    @property
    def can_fire(self) -> bool:
        return not self.marching

    def expend(self, n: int):
        """Take ``n`` interceptors off the launchers (a SimPy event to yield)."""
        self.fired += n
        return self.interceptors.get(n)

    def _review(self) -> None:
        for i in range(self.ordered + 1):
            if is_nan(self.reached_at[i]):
                if all(self.meets(self.levels[j]) for j in range(i + 1)):
                    self.reached_at[i] = self.env.now
                    if self.trace.enabled:
                        self.trace(self.env.now, self.unit.name, f"reached {self.levels[i].name}", "")

    # ---------------------------------------------------------------- orders

    def order(self, level_index: int) -> None:
        """An order to stand at ``level_index`` has arrived: start whatever that level still needs."""
        if level_index <= self.ordered:
            return
        self.ordered = level_index
        target = self.levels[level_index]
        if target.crew_on_station > 0 and self.unit.crew.on_leave and not self._recalling:
            self._recalling = True
            self.env.process(self._recall())
        self._bring_interceptors(math.ceil(target.interceptors_loaded * self.interceptors.capacity - 1e-9))
        if target.systems_checked and not self.checked and not self._checking:
            self._checking = True
            self.env.process(self._check())
        if target.deployed and not self.deployed and not self.marching:
            self.env.process(self._deploy())
        self._review()

    # ---------------------------------------------------------------- tasks

    def _recall(self):
        """Every officer on leave comes back after their own notification and travel: one process for the unit.

        Each return is a timeout made at the order, as a process per officer would make it (same times,
        same order among equal times), and the process waits for them in order of return.
        """
        name, draws, rep, sites = self.unit.name, self.draws, self.rep, self.sites
        delays = [
            draws.take(sites.notify, rep, officer) + draws.take(sites.travel, rep, officer)
            for officer in range(self.unit.crew.on_leave)
        ]
        now = self.env.now
        returns = [self.env.timeout(d) for d in delays]
        for officer in sorted(range(len(delays)), key=lambda o: now + delays[o]):  # SimPy's own order: time, then made
            yield returns[officer]
            self.crew_present += 1
            if self.crew_present == self.crew_total:
                self.trace(
                    self.env.now, name, "crew complete", f"last officer back from leave ({self.crew_total} at post)"
                )
            self._review()

    def _bring_interceptors(self, wanted: int) -> None:
        depot = self.unit.depot
        if depot is None:
            return
        per_trip = depot.per_trip
        while self.interceptors.level + self.in_transit < wanted and self.depot_stock > 0:
            load = int(min(per_trip, self.depot_stock, wanted - self.interceptors.level - self.in_transit))
            self.depot_stock -= load
            self.in_transit += load
            self.waiting_trips.append((self.trips_made, load))
            self.trips_made += 1
        for _ in range(min(depot.trucks - self.trucks_out, len(self.waiting_trips))):  # the idle trucks set off
            self.trucks_out += 1
            self.env.process(self._truck())

    def _truck(self):
        """One truck: the waiting trips in turn, until none waits (a process a truck, not a trip and a queue).

        Trip n leaves when a truck is free, drives and is loaded (its own draws), and its interceptors go on
        the launchers: the same times as trips queueing for ``depot.trucks`` trucks, with fewer events.
        """
        name = self.unit.name
        while self.waiting_trips:
            trip, load = self.waiting_trips.popleft()
            yield self.env.timeout(self.draws.take(self.sites.trip, self.rep, trip))
            yield self.env.timeout(self.draws.take(self.sites.load, self.rep, trip))
            self.in_transit -= load
            yield self.interceptors.put(load)
            if self.trace.enabled:  # no text made when no story is kept
                level = self.interceptors.level
                self.trace(self.env.now, name, "interceptors loaded", f"+{load} from the depot, {level} ready")
            self._review()
        self.trucks_out -= 1

    def _check(self):
        name = self.unit.name
        yield self.env.timeout(self.draws.take(self.sites.checks, self.rep))
        if self.draws.take(self.sites.fault, self.rep) < self.unit.checks.fault_probability:
            repair = self.draws.take(self.sites.repair, self.rep)
            self.trace(self.env.now, name, "fault found", f"repair takes {format_duration(repair)}")
            yield self.env.timeout(repair)
        self.checked = True
        self.trace(self.env.now, name, "systems checked", "")
        self._review()

    def _deploy(self):
        name, d = self.unit.name, self.unit.deployment
        if d.transport == "rail":
            # the train cycle: the unit stays on duty (can fire) until it starts loading; the train is
            # busy from loading until it is back from the field position
            train = self.trains.request()
            yield train
            self.marching = True
            self.trace(self.env.now, name, "rail move", "loading onto a train for the field position")
            yield self.env.timeout(self.draws.take(self.sites.rail_load, self.rep))
            yield self.env.timeout(self.draws.take(self.sites.march, self.rep))
            yield self.env.timeout(self.draws.take(self.sites.rail_unload, self.rep))
            self.env.process(self._train_returns(train))
        else:
            self.marching = True
            self.trace(self.env.now, name, "march", "road march to the field position")
            yield self.env.timeout(self.draws.take(self.sites.march, self.rep))
        yield self.env.timeout(self.draws.take(self.sites.ready_after_march, self.rep))
        self.marching = False
        self.deployed = True
        self.trace(self.env.now, name, "deployed", "ready for combat at the field position")
        self._review()

    def _train_returns(self, train):
        yield self.env.timeout(self.draws.take(self.sites.rail_return, self.rep))
        self.trains.release(train)
        self.trace(self.env.now, self.unit.name, "train back", "the empty train is free for the next unit")
