"""Engine checks of queueing against Erlang C: threats waiting for a battery's fire channels, reports waiting
for a post's duty officers. Poisson arrivals driven straight through the engine's own ``engage`` and
``staffed_decision``; the standard errors come from batch means (waits in a queue are correlated).
"""

from __future__ import annotations

import math
from types import SimpleNamespace

import numpy as np
import simpy

from sim.engine.authority import staffed_decision
from sim.engine.fire_units import Engagement, engage, expected_channel_wait
from sim.engine.outcome import ThreatRecord
from sim.engine.trace import Trace
from sim.scenario.model import RulesOfEngagement
from sim.world.queueing import erlang_c
from tools.engine_checks_scenario import EngineRow


def channel_queue(rate_per_s: float, service_s: float, channels: int, n: int, seed: int = 2017):
    """Poisson threats queueing for a battery's fire channels through the engine's ``engage``.

    Returns the waits (s) and the standard errors of their mean and of P(wait) by batch means
    (waits in a queue are correlated, so the naive sd/sqrt(n) would be too small).
    """
    rng = np.random.default_rng(seed)
    arrivals = np.cumsum(rng.exponential(1 / rate_per_s, n)).tolist()
    services = rng.exponential(service_s, n).tolist()
    env = simpy.Environment()
    stock = simpy.Container(env, capacity=10 * n, init=10 * n)
    battery = SimpleNamespace(unit=SimpleNamespace(name="battery"), interceptors=stock, expend=stock.get)
    fire_channels = simpy.Resource(env, capacity=channels)
    roe = RulesOfEngagement(doctrine="salvo", salvo=1)
    records = [ThreatRecord() for _ in range(n)]

    def threat(k):
        yield env.timeout(arrivals[k] - env.now)
        e = Engagement(
            threat=f"t{k}",
            window_open=0.0,
            window_close=math.inf,
            intercept_time=lambda t, k=k: t + services[k],
            kill_probability=1.0,
            shots=[0.0],
            assessments=[0.0],
        )
        yield from engage(env, battery, fire_channels, e, roe, records[k], Trace(False))

    for k in range(n):
        env.process(threat(k))
    env.run()
    waits = np.array([r.fire for r in records]) - np.array(arrivals)
    batches = waits[: (n // 1000) * 1000].reshape(-1, 1000)
    se_mean = batches.mean(axis=1).std(ddof=1) / math.sqrt(len(batches))
    se_p = (batches > 0).mean(axis=1).std(ddof=1) / math.sqrt(len(batches))
    return waits, se_mean, se_p, records


def decision_queue(rate_per_s: float, service_s: float, staff: int, n: int, seed: int = 2017):
    """Poisson reports queueing for a post's duty officers through the engine's ``staffed_decision``.

    Returns the waits (s) and the batch-means standard errors of their mean and of P(wait).
    """
    rng = np.random.default_rng(seed)
    arrivals = np.cumsum(rng.exponential(1 / rate_per_s, n)).tolist()
    services = rng.exponential(service_s, n).tolist()
    env = simpy.Environment()
    officers = simpy.Resource(env, capacity=staff)
    started = [math.nan] * n

    def report(k):
        yield env.timeout(arrivals[k] - env.now)
        decided = yield from staffed_decision(env, officers, services[k], math.inf)
        assert decided
        started[k] = env.now - services[k]

    for k in range(n):
        env.process(report(k))
    env.run()
    waits = np.array(started) - np.array(arrivals)
    batches = waits[: (n // 1000) * 1000].reshape(-1, 1000)
    se_mean = batches.mean(axis=1).std(ddof=1) / math.sqrt(len(batches))
    se_p = (batches > 1e-6).mean(axis=1).std(ddof=1) / math.sqrt(len(batches))
    return waits, se_mean, se_p


def fire_channel_rows() -> list[EngineRow]:
    """2 fire channels, 0.5 threats/min, 3 min each: the chance of a wait and its mean against Erlang C."""
    waits, se_mean, se_p, _ = channel_queue(0.5 / 60.0, 180.0, 2, 20_000)
    p_wait, mean_wait = expected_channel_wait(0.5 / 60.0, 180.0, 2)
    return [
        (
            "2 fire channels, 0.5 threats/min, 3 min each: P(wait)",
            "Erlang C",
            p_wait,
            float((waits > 0).mean()),
            4 * se_p,
            "",
        ),
        (
            "same: mean wait for a channel",
            "Erlang C / (c mu - lambda)",
            mean_wait / 60.0,
            float(waits.mean()) / 60.0,
            4 * se_mean / 60.0,
            "min",
        ),
    ]


def duty_officer_rows() -> list[EngineRow]:
    """A post with 2 duty officers, 1 report/min, 1.5 min each: the chance of a wait and its mean against Erlang C."""
    waits, se_mean, se_p = decision_queue(1.0 / 60.0, 90.0, 2, 20_000)
    p_wait, mean_wait = erlang_c(1.0 / 60.0, 90.0, 2)
    return [
        (
            "post with 2 duty officers, 1 report/min, 1.5 min each: P(wait)",
            "Erlang C",
            float(p_wait),
            float((waits > 1e-6).mean()),
            4 * se_p,
            "",
        ),
        (
            "same: mean wait for an officer",
            "Erlang C / (c mu - lambda)",
            float(mean_wait) / 60.0,
            float(waits.mean()) / 60.0,
            4 * se_mean / 60.0,
            "min",
        ),
    ]
