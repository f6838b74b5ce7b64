"""A super-block (several blocks whose physics runs in one pass) gives each block the outcomes it has alone."""

from __future__ import annotations

import pytest

from sim.engine.block import BlockTiming, run_blocks
from sim.engine.plan import compile_plan
from sim.executors import BlockJob, super_blocks
from sim.scenario.loader import load_scenario

SIZE = 20  # small blocks: the property does not depend on the size, and the test stays quick


@pytest.mark.slow
@pytest.mark.parametrize("scenario", ["stray_missile", "failed_launch_debris", "saturation", "rail_redeployment"])
def test_blocks_run_together_equal_blocks_run_alone(scenario):
    plan = compile_plan(load_scenario(f"scenarios/{scenario}.yaml").scenario)
    jobs = [(3, SIZE), (0, SIZE), (7, SIZE // 2)]  # out of order, and a short last block
    together = run_blocks(plan, 5, jobs, trace_block=0, size=SIZE)
    for (block, n), (got_block, got, got_story) in zip(jobs, together):
        [(_, alone, story)] = run_blocks(plan, 5, [(block, n)], trace_block=0, size=SIZE)
        assert got_block == block and got.runs == n
        assert got.threats.tobytes() == alone.threats.tobytes()  # bit for bit, NaNs included
        assert got.readiness.tobytes() == alone.readiness.tobytes()
        assert got_story == story and (bool(story) == (block == 0))


def test_timing_counts_every_replication():
    plan = compile_plan(load_scenario("scenarios/stray_missile.yaml").scenario)
    timing = BlockTiming()
    run_blocks(plan, 1, [(0, SIZE), (1, 5)], timing=timing, size=SIZE)
    assert timing.replications == SIZE + 5
    assert timing.events >= timing.replications  # every replication schedules at least its threats' launches
    assert min(timing.draws_s, timing.physics_s, timing.engine_s) >= 0


def test_super_blocks_cover_every_block_once_in_order():
    jobs = [BlockJob(b, 100) for b in range(37)]
    for workers in (1, 2, 8, 64):
        groups = super_blocks(jobs, workers)
        assert [j for g in groups for j in g] == jobs
        assert all(1 <= len(g) <= 10 for g in groups)
        assert len(groups) >= min(len(jobs), workers)  # no worker left idle for want of a group
        assert len({len(g) for g in groups[:-1]}) <= 1  # equal groups, the last one may be short
