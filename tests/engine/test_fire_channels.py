"""Fire-channel contention against queueing theory: M/M/c, Erlang C (model.md)."""

from __future__ import annotations

import math

import pytest

from sim.engine.fire_units import expected_channel_wait, salvo_kill_probability
from tools.engine_checks_queues import channel_queue


def test_erlang_c_closed_form_of_model_md():
    p_wait, wait = expected_channel_wait(0.5, 3.0, 2)
    assert math.isclose(p_wait, 9 / 14, rel_tol=1e-12)
    assert math.isclose(wait, 27 / 7, rel_tol=1e-12)  # 3.857 min


def test_salvo_closed_form():
    assert math.isclose(salvo_kill_probability(0.7, 2), 0.91, rel_tol=1e-12)


@pytest.mark.slow
def test_engage_queues_on_fire_channels_like_erlang_c():
    """Threats arrive as a Poisson stream (0.5/min); each holds a channel for an exponential 3 min."""
    waits, se_mean, se_p, records = channel_queue(0.5 / 60.0, 180.0, 2, 20_000)
    p_wait, mean_wait = expected_channel_wait(0.5 / 60.0, 180.0, 2)
    assert abs(waits.mean() - mean_wait) < 4 * se_mean
    assert abs((waits > 0).mean() - p_wait) < 4 * se_p
    assert all(r.intercepted for r in records)
