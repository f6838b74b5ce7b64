"""sim sweep: the grid, common random numbers, the sensitivity ranking, and resuming after Ctrl-C."""

from __future__ import annotations

from dataclasses import replace

import pytest

from sim.analysis import to_document
from sim.executors import Serial
from sim.scenario.loader import ScenarioError
from sim.store import Store
from sim.study.sweep import parse_vary, plan_sweep, run_sweep, split_values

RUNS = 100  # one block per point: resuming is about which points run, not how many replications


def axes(*texts):
    return [parse_vary(t) for t in texts]


GRID = ("units.0.crew.travel=3h,48h", "alert_orders.0.delay=1h,6h")


def comparable(sweep) -> list[dict]:
    """Every point's settings and numbers; not how long it took or on how many workers."""
    out = []
    for r in sweep.results:
        whole = to_document(r.summary)
        doc = {k: v for k, v in whole.items() if k != "run"}
        run = {k: v for k, v in whole["run"].items() if k not in ("wall_s", "workers")}
        out.append({"settings": r.point.settings, "run": run, **doc})
    return out


def test_values_split_at_commas_outside_brackets():
    assert split_values("3h,6h,12h") == ["3h", "6h", "12h"]
    assert split_values("lognormal(median=3h, p90=8h),6h") == ["lognormal(median=3h, p90=8h)", "6h"]
    assert split_values("[a, b],{x: 1, y: 2},'p, q'") == ["[a, b]", "{x: 1, y: 2}", "'p, q'"]


@pytest.mark.parametrize(
    "text", ["units.0.crew.travel", "=3h", "units..travel=3h", "travel=3h,,6h", "travel=", "travel=3h,3h"]
)
def test_a_malformed_vary_is_one_problem_naming_the_flag(text):
    with pytest.raises(ScenarioError) as exc:
        parse_vary(text)
    assert [str(p).split(": ")[0] for p in exc.value.problems] == [f"--vary {text}"]


def test_a_bad_value_stops_the_sweep_before_anything_runs(scenario_path, tmp_path):
    with pytest.raises(ScenarioError) as exc:
        plan_sweep(scenario_path, axes("units.0.crew.travel=3h,soon", "alert_orders.0.delay=1h,6h"), RUNS)
    lines = [str(p) for p in exc.value.problems]
    assert len(lines) == 1  # the same bad value in two points of the grid is one problem
    assert lines[0].startswith("--vary units.0.crew.travel=3h,soon: units.0.crew.travel: ")


def test_the_grid_is_every_combination_with_one_seed(scenario_path):
    plan = plan_sweep(scenario_path, axes(*GRID), RUNS, seed=5)
    assert [p.settings for p in plan.points] == [
        (("units.0.crew.travel", a), ("alert_orders.0.delay", b)) for a in ("3h", "48h") for b in ("1h", "6h")
    ]
    assert plan.seed == 5 and plan.runs == RUNS
    assert len({p.key for p in plan.points}) == 4


@pytest.mark.slow
def test_a_sweep_interrupted_and_run_again_equals_one_never_interrupted(scenario_path, tmp_path):
    plan = plan_sweep(scenario_path, axes(*GRID), RUNS, seed=3)
    whole = run_sweep(plan, Store(tmp_path / "whole.db"), executor=Serial())
    assert whole.complete and len(whole.results) == 4

    resumed_store = Store(tmp_path / "resumed.db")
    finished = []

    def ctrl_c_after_two_points(done, total):
        if len(finished) == 2:
            raise KeyboardInterrupt

    # The runner reports progress after each block: Ctrl-C arrives while the third point runs.
    first = run_sweep(
        plan,
        resumed_store,
        executor=Serial(),
        progress=ctrl_c_after_two_points,
        on_point=lambda n, total, r: finished.append(n),
    )
    assert not first.complete and len(first.results) == 2
    assert resumed_store.count() == 2  # the point cut short is not kept

    again = run_sweep(plan, resumed_store, executor=Serial())
    assert again.complete and [r.reused for r in again.results] == [True, True, False, False]
    assert comparable(again) == comparable(whole)
    assert again.to_json()["sensitivity"] == whole.to_json()["sensitivity"]
    assert resumed_store.count() == 4


@pytest.mark.slow
def test_a_finished_sweep_run_again_runs_nothing(scenario_path, tmp_path):
    plan = plan_sweep(scenario_path, axes("units.0.crew.travel=3h,48h"), RUNS, seed=3)
    store = Store(tmp_path / "h.db")
    run_sweep(plan, store, executor=Serial())
    again = run_sweep(plan, store, executor=Serial())
    assert all(r.reused for r in again.results) and store.count() == 2
    other_seed = run_sweep(
        replace(plan, seed=4, points=plan_sweep(scenario_path, plan.axes, RUNS, seed=4).points),
        store,
        executor=Serial(),
    )
    assert not any(r.reused for r in other_seed.results) and store.count() == 4


@pytest.mark.slow
def test_sensitivity_ranks_the_parameter_that_matters_first(scenario_path, tmp_path):
    # The description changes nothing the engine reads: with common random numbers its effect is exactly 0.
    plan = plan_sweep(scenario_path, axes("description=one,two", "units.0.crew.travel=3h,48h"), 300, seed=3)
    sweep = run_sweep(plan, None, executor=Serial())
    ranking = sweep.sensitivity()
    assert [s.path for s in ranking] == ["units.0.crew.travel", "description"]
    assert ranking[1].delta == 0.0
    assert ranking[0].delta > 0.0
    assert sweep.main == "intercepted_given_threatened"
    travel = ranking[0]
    assert travel.p[1] < travel.p[0]  # officers back two days late: fewer interceptions
