"""The benchmark's tools measure what they say: the profile's parts add up, the table judges the targets."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


def _load(name: str):
    spec = importlib.util.spec_from_file_location(f"bench_{name}", ROOT / "bench" / f"{name}.py")
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module


@pytest.mark.slow
def test_the_parts_of_a_replication_add_up_to_the_whole():
    rows = dict(_load("where_time_goes").profile("saturation", blocks=1))
    whole = rows["whole (under cProfile)"]
    physics, engine, draws = rows["physics"], rows["engine"], rows["draws"]
    assert 0 < draws + physics + engine <= whole * 1.001  # the three phases of a block, nothing counted twice
    assert draws + physics + engine >= 0.95 * whole  # and little else (packing the columns)
    inside = ["  impact prediction (map look-ups)", "  engagement windows", "  sensors (first sighting)"]
    assert sum(rows[p] for p in inside) <= physics * 1.001
    loop = ["  intercept searches in the loop", "  SimPy's own event handling", "  the model's processes (the rest)"]
    assert sum(rows[p] for p in loop) == pytest.approx(engine)
    assert rows["  intercept searches in the loop"] > 0  # saturation's fire channels make launches after the opening


def test_the_memory_target_is_judged_on_a_million_runs_and_on_pss():
    run = _load("run")
    base = {
        "targets": run.TARGETS,
        "raw_simpy_us_per_event": 1.0,
        "scenarios": {},
        "help_s": 0.1,
        "startup_s": 0.5,
        "stray_10k_2w_s": 6.0,
        "machine": {"cpus": 2, "load": 0.0},
    }
    judged = {
        (runs, pss): run.table({**base, "memory": {"runs": runs, "peak_mb": 400.0, "peak_pss_mb": pss, "wall_s": 1.0}})
        for runs, pss in ((1_000_000, 290.0), (1_000_000, 310.0), (250_000, 250.0))
    }
    assert judged[(1_000_000, 290.0)].splitlines()[-2].endswith(": met")
    assert judged[(1_000_000, 310.0)].splitlines()[-2].endswith("NOT met")
    assert judged[(250_000, 250.0)].splitlines()[-2].endswith("NOT met")  # fewer runs prove nothing about 1M
