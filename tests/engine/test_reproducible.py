"""A run is a pure function of (scenario, seed, runs): workers and run length do not change it."""

from __future__ import annotations

import numpy as np
import pytest

from sim.engine.outcome import THREAT_FIELDS
from sim.executors import ProcessPool, Serial
from sim.runner import run
from sim.scenario.loader import load_scenario

STRAY = "scenarios/stray_missile.yaml"


def same(a, b, runs=None):
    runs = runs or a.runs
    for f in THREAT_FIELDS:
        np.testing.assert_array_equal(a.threats[f][:runs], b.threats[f][:runs], err_msg=f)
    np.testing.assert_array_equal(a.readiness[:runs], b.readiness[:runs])


@pytest.mark.slow
def test_one_or_two_workers_give_identical_outcomes():
    loaded = load_scenario(STRAY)
    one = run(loaded, runs=250, seed=3, executor=Serial())
    two = run(loaded, runs=250, seed=3, executor=ProcessPool(2))
    same(one.outcomes, two.outcomes)
    assert one.outcomes.runs == 250


@pytest.mark.slow
def test_a_shorter_run_is_a_prefix_of_a_longer_one():
    loaded = load_scenario(STRAY)
    short = run(loaded, runs=130, seed=3, executor=Serial())
    long = run(loaded, runs=260, seed=3, executor=Serial())
    same(short.outcomes, long.outcomes, runs=130)


@pytest.mark.slow
def test_another_seed_gives_other_numbers():
    loaded = load_scenario(STRAY)
    a = run(loaded, runs=100, seed=1, executor=Serial()).outcomes.threats["launch"]
    b = run(loaded, runs=100, seed=2, executor=Serial()).outcomes.threats["launch"]
    assert not np.array_equal(a, b)


@pytest.mark.slow
def test_a_variant_keeps_the_other_draws_in_step():
    """Common random numbers: a slower decision at the district changes nothing upstream of it."""
    base = load_scenario(STRAY)
    slow = load_scenario(STRAY, ["command.posts.1.decision_time=lognormal(median=6min, p90=16min)"])
    a = run(base, runs=200, seed=5, executor=Serial()).outcomes
    b = run(slow, runs=200, seed=5, executor=Serial()).outcomes
    for f in ("launch", "detect", "pip", "impact", "territory"):
        np.testing.assert_array_equal(a.threats[f], b.threats[f], err_msg=f)
    decided = (a.threats["decided"] == 1) & (b.threats["decided"] == 1)
    assert decided.any()
    assert (b.threats["decision"][decided] >= a.threats["decision"][decided]).all()
