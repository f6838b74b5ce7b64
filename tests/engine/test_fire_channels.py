"""Fire-channel contention against queueing theory: M/M/c, Erlang C (model.md)."""

from __future__ import annotations

import math
from types import SimpleNamespace

import numpy as np
import simpy

from sim.engine.fire_units import Engagement, engage, expected_channel_wait, salvo_kill_probability
from sim.engine.outcome import ThreatRecord
from sim.engine.trace import Trace
from sim.scenario.model import RulesOfEngagement


def test_erlang_c_closed_form_of_model_md():
    p_wait, wait = expected_channel_wait(0.5, 3.0, 2)
    assert math.isclose(p_wait, 9 / 14, rel_tol=1e-12)
    assert math.isclose(wait, 27 / 7, rel_tol=1e-12)   # 3.857 min


def test_salvo_closed_form():
    assert math.isclose(salvo_kill_probability(0.7, 2), 0.91, rel_tol=1e-12)


def test_engage_queues_on_fire_channels_like_erlang_c():
    """Threats arrive as a Poisson stream (0.5/min); each holds a channel for an exponential 3 min."""
    rate, service, channels, n = 0.5 / 60.0, 180.0, 2, 20_000
    rng = np.random.default_rng(2017)
    arrivals = np.cumsum(rng.exponential(1 / rate, n)).tolist()
    services = rng.exponential(service, n).tolist()
    env = simpy.Environment()
    stock = simpy.Container(env, capacity=10 * n, init=10 * n)
    battery = SimpleNamespace(unit=SimpleNamespace(name="battery"), interceptors=stock, expend=stock.get)
    fire_channels = simpy.Resource(env, capacity=channels)
    roe = RulesOfEngagement(doctrine="salvo", salvo=1)
    records = [ThreatRecord() for _ in range(n)]

    def threat(k):
        yield env.timeout(arrivals[k] - env.now)
        e = Engagement(threat=f"t{k}", threat_index=k, window_open=0.0, window_close=math.inf,
                       intercept_time=lambda t, k=k: t + services[k], kill_probability=1.0,
                       shots=[0.0], assessments=[0.0])
        yield from engage(env, battery, fire_channels, e, roe, records[k], Trace(False))

    for k in range(n):
        env.process(threat(k))
    env.run()
    waits = np.array([r["fire"] for r in records]) - np.array(arrivals)
    p_wait, mean_wait = expected_channel_wait(rate, service, channels)
    # queue waits are correlated: judge the mean by batch means (20 batches of 1000 threats)
    batches = waits[: (n // 1000) * 1000].reshape(20, -1)
    se_mean = batches.mean(axis=1).std(ddof=1) / math.sqrt(20)
    se_p = (batches > 0).mean(axis=1).std(ddof=1) / math.sqrt(20)
    assert abs(waits.mean() - mean_wait) < 4 * se_mean
    assert abs((waits > 0).mean() - p_wait) < 4 * se_p
    assert all(r["intercepted"] == 1 for r in records)
