"""The runner fills a run's columns block by block as blocks arrive, in any order, and keeps only whole blocks."""

from __future__ import annotations

from sim.engine.block import run_blocks
from sim.engine.outcome import Outcomes
from sim.engine.plan import compile_plan
from sim.runner import _Gather
from sim.scenario.loader import load_scenario


def _blocks(sizes):
    plan = compile_plan(load_scenario("scenarios/stray_missile.yaml").scenario)
    out = run_blocks(plan, 2, list(enumerate(sizes)), trace_block=0, size=20)
    return plan, {b: (o, events) for b, o, events in out}


def test_blocks_arriving_out_of_order_give_the_columns_in_block_order():
    sizes = [20, 20, 7]
    plan, blocks = _blocks(sizes)
    gather = _Gather(sizes)
    for b in (2, 0, 1):
        assert not gather.complete
        gather.add(b, blocks[b])
    assert gather.complete
    got, want = gather.outcomes(plan), Outcomes.stack([blocks[b][0] for b in range(3)])
    assert got.runs == 47
    assert got.threats.tobytes() == want.threats.tobytes()
    assert got.readiness.tobytes() == want.readiness.tobytes()
    assert gather.events == blocks[0][1] and gather.events  # replication 0's story


def test_an_interrupted_run_keeps_the_blocks_done_in_order():
    sizes = [20, 20, 7]
    plan, blocks = _blocks(sizes)
    gather = _Gather(sizes)
    gather.add(2, blocks[2])
    gather.add(0, blocks[0])
    got, want = gather.outcomes(plan), Outcomes.stack([blocks[0][0], blocks[2][0]])
    assert got.runs == 27
    assert got.threats.tobytes() == want.threats.tobytes()
    assert got.readiness.tobytes() == want.readiness.tobytes()
    assert _Gather(sizes).outcomes(plan).runs == 0  # nothing done: empty columns with the scenario's names
