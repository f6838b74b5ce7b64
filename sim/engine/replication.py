"""One replication is one ``simpy.Environment``: the two chains run side by side in it.

``run_block`` is what a worker calls: it draws the block's random numbers, computes the block's
physics in one vectorised pass, then runs each replication's SimPy processes and stacks their
outcomes into columns.
"""

from __future__ import annotations

import numpy as np
import simpy

from sim.engine.command import Network
from sim.engine.deciders import ISSUE, MODEL, Decider
from sim.engine.draws import BlockDraws
from sim.engine.flights import BlockFlights
from sim.engine.injects import inject_process
from sim.engine.outcome import Outcomes, ThreatRecord
from sim.engine.plan import Plan
from sim.engine.readiness import UnitReadiness
from sim.engine.threats import interception_chain
from sim.engine.trace import Trace, TraceEvent


class Replication:
    """Everything one replication's processes share: the clock, the units, the network, the draws."""

    def __init__(
        self, plan: Plan, draws: BlockDraws, flights: BlockFlights, rep: int, trace: Trace, decider: Decider = MODEL
    ):
        s = plan.scenario
        self.plan, self.draws, self.flights, self.rep, self.trace = plan, draws, flights, rep, trace
        self.decider = decider  # who decides at each decision point (engine.deciders): the model unless told
        self.standing: list[tuple[float, float, frozenset[int], str]] = []  # standing orders sent by injects
        self.env = env = simpy.Environment()
        trains = simpy.Resource(env, capacity=s.transport.trains)
        self.units = [
            UnitReadiness(env, s, j, draws, rep, trace, trains, plan.unit_draws[j]) for j in range(len(s.units))
        ]
        self.channels = [simpy.Resource(env, capacity=u.fire_channels) for u in s.units]
        self.network = Network(env, plan, draws, rep, trace)
        self.staff = {p.name: simpy.Resource(env, capacity=p.staff) if p.staff else None for p in s.command.posts}
        self.first_launch = env.event()
        self.first_detection = env.event()
        self.records = [ThreatRecord() for _ in s.threats]
        self.chains = [env.process(interception_chain(self, k, rec)) for k, rec in enumerate(self.records)]
        for k, order in enumerate(s.alert_orders):
            env.process(self._alert_order(k, order))
        for k, inj in enumerate(s.injects):
            env.process(inject_process(self, k, inj))

    # -- events the alert orders can wait for
    def launched(self, k: int) -> None:
        if not self.first_launch.triggered:
            self.first_launch.succeed(k)

    def detected(self, k: int) -> None:
        if not self.first_detection.triggered:
            self.first_detection.succeed(k)

    def detection_latency(self, radar: int, k: int) -> float:
        nu = len(self.units)
        if radar < nu:
            return self.draws.take(self.plan.level_sites[self.units[radar].current.name].detection, self.rep, k)
        return self.draws.take(self.plan.sensor_sites_names[radar - nu], self.rep, k)

    def _alert_order(self, k: int, order):
        if (yield from self.decider.alert(self, k, order)) != ISSUE:
            self.trace(self.env.now, order.issued_by, "withholds the alert order", f"to {order.level}")
            return
        self.issue_alert(order.issued_by, order.level, self.plan.order_targets[k], self.plan.link_slot_alert(k))

    def issue_alert(self, issued_by: str, level_name: str, targets: tuple[int, ...], slot: int) -> None:
        """``issued_by`` orders the alert raised to ``level_name`` now: the order goes down to each unit."""
        level = self.plan.scenario.level_index(level_name)
        self.trace(self.env.now, issued_by, "orders the alert raised", f"to {level_name}")
        for u in targets:
            self.env.process(self._deliver(issued_by, level_name, u, level, slot))

    def _deliver(self, issued_by: str, level_name: str, u: int, level: int, slot: int):
        unit = self.plan.scenario.units[u]
        yield from self.network.order_down(issued_by, unit.post, slot, f"alert {level_name}")
        self.trace(self.env.now, unit.name, "alert order arrives", f"raise to {level_name}")
        self.units[u].order(level)

    def run(self) -> tuple[list[ThreatRecord], np.ndarray]:
        self.env.run(until=self.plan.scenario.horizon)
        for rec in self.records:
            rec.finish()
        readiness = np.array([u.reached_at for u in self.units], dtype=float)
        return self.records, readiness


def run_block(
    plan: Plan, seed: int, block: int, size: int, trace: bool = False, replications: int | None = None
) -> tuple[Outcomes, list[TraceEvent]]:
    """Block ``block`` of ``size`` replications: a pure function of (plan, seed, block, size).

    The numbers and the physics are always made for the whole block; only the first
    ``replications`` of it are simulated (the last block of a run may be short), so a replication
    is the same whatever the length of the run it belongs to. (Several blocks at once: sim.engine.block.)
    """
    from sim.engine.block import run_blocks

    n = size if replications is None else replications
    [(_, out, events)] = run_blocks(plan, seed, [(block, n)], block if trace else None, size=size)
    return out, events
