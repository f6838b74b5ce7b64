"""sim sensitivity: points kept as they finish, and an interrupted study resumed to the same numbers.

The scenario is the fixed-delay chain of tools.engine_checks_sensitivity (four assumptions, 11 points, each point
cheap) with one random step added (an exponential link delay), so every point's numbers depend on the
seed and the replications: a resumed study that ran a point with other draws would differ.
"""

from __future__ import annotations

import numpy as np
import pytest

pytest.importorskip("SALib")

from sim.analysis.measure import parse_measure
from sim.executors import Serial
from sim.store import Store
from sim.study.sensitivity import plan_sensitivity, run_sensitivity
from tools.engine_checks_scenario import variant
from tools.engine_checks_sensitivity import SENSITIVITY_CHAIN

RUNS = 20  # one block per point: resuming is about which points run, not how many replications
MEASURE = parse_measure("time_to_decision_s")


@pytest.fixture(scope="module")
def scenario():
    return variant({**SENSITIVITY_CHAIN, "command.posts.2.link_delay": "exponential(mean=15s)"})


@pytest.mark.slow
def test_an_interrupted_study_run_again_equals_one_never_interrupted(scenario, tmp_path):
    plan = plan_sensitivity(scenario, "morris", 2, RUNS, seed=3)
    total = len(plan.scenarios)
    whole = run_sensitivity(plan, Store(tmp_path / "whole.db"), executor=Serial())
    assert whole.complete and whole.reused == 0

    store = Store(tmp_path / "resumed.db")
    finished = []

    def ctrl_c_after_five_points(done, of):
        if len(finished) == 5:
            raise KeyboardInterrupt

    # The runner reports progress after each block: Ctrl-C arrives while the sixth point runs.
    first = run_sensitivity(
        plan,
        store,
        executor=Serial(),
        progress=ctrl_c_after_five_points,
        on_point=lambda n, of, reused: finished.append(n),
    )
    assert not first.complete and len(first.summaries) == 5
    assert store.count() == 5  # the point cut short is not kept

    again = run_sensitivity(plan, store, executor=Serial())
    assert again.complete and again.reused == 5 and store.count() == total
    assert np.array_equal(again.values(MEASURE), whole.values(MEASURE))
    assert len(set(whole.values(MEASURE))) > 5  # the points differ (a constant would hide a mix-up)
    assert again.nominal(MEASURE) == whole.nominal(MEASURE)
    a, b = again.indices(MEASURE), whole.indices(MEASURE)
    assert [(i.name, i.a, i.b) for i in a.indices] == [(i.name, i.a, i.b) for i in b.indices]


@pytest.mark.slow
def test_the_same_study_with_another_seed_reuses_nothing(scenario, tmp_path):
    store = Store(tmp_path / "h.db")
    run_sensitivity(plan_sensitivity(scenario, "morris", 2, RUNS, seed=3), store, executor=Serial())
    again = run_sensitivity(plan_sensitivity(scenario, "morris", 2, RUNS, seed=3), store, executor=Serial())
    assert again.reused == len(again.plan.scenarios)
    other = run_sensitivity(plan_sensitivity(scenario, "morris", 2, RUNS, seed=4), store, executor=Serial())
    assert other.reused == 0
