"""Streamed runs (issue 20): blocks reduced to mergeable partials give the summary the columns give.

Counts are compared exactly; float figures that are sums (means, sd, the clustered n_eff and the interval
built on it, chain shares) may differ in their last bits from the summation order, so they are compared
at 1e-9 relative; quantiles are exact below the sketch's cap and within its declared bound above it.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import numpy as np
import pytest

import sim.executors
from sim.analysis import partial, result_file
from sim.analysis.sketch import EXACT_CAP, REL_ERROR, TINY, Sample
from sim.analysis.stats import clustered
from sim.cli import main
from sim.executors import ProcessPool, Serial
from sim.scenario.loader import load_scenario
from sim.study import Study, execute

ROOT = Path(__file__).resolve().parents[1]
STRAY = ROOT / "scenarios" / "stray_missile.yaml"
EXACT_KEYS = {"p50", "p90", "p50_s", "p90_s", "min", "max", "min_s", "max_s", "count", "n", "p", "reached"}
HOW = {"wall_s", "workers", "executor"}


def _doc(done) -> dict[str, Any]:
    doc = result_file.to_document(done.summary)
    for k in HOW:
        doc["run"].pop(k)
    return doc


def _same(kept: Any, streamed: Any, path: str = "") -> list[str]:
    """Where two result documents differ beyond float summation order (exact keys compared exactly)."""
    if isinstance(kept, dict):
        assert isinstance(streamed, dict) and set(kept) == set(streamed), path
        return [d for k in kept for d in _same(kept[k], streamed[k], f"{path}/{k}")]
    if isinstance(kept, list):
        assert isinstance(streamed, list) and len(kept) == len(streamed), path
        return [d for i, (a, b) in enumerate(zip(kept, streamed)) for d in _same(a, b, f"{path}[{i}]")]
    key = path.rsplit("/", 1)[-1]
    if isinstance(kept, float) and isinstance(streamed, float) and key not in EXACT_KEYS:
        return [] if abs(kept - streamed) <= 1e-9 * max(abs(kept), abs(streamed), 1.0) else [path]
    return [] if kept == streamed else [f"{path}: {kept!r} != {streamed!r}"]


@pytest.fixture(scope="module")
def kept() -> dict[str, Any]:
    study = Study.of(load_scenario(STRAY, []), 300)
    return _doc(execute(study, Serial()))


@pytest.mark.slow
@pytest.mark.parametrize("per", [1, 3, 10])
def test_merged_partials_give_the_one_shot_summary(kept, monkeypatch, per):
    monkeypatch.setattr(sim.executors, "SUPER_BLOCK", per)
    done = execute(Study.of(load_scenario(STRAY, []), 300), Serial(), keep_columns=False)
    assert done.result.outcomes.runs == 0  # no columns kept
    assert done.summary.run.quantile_error is None  # 600 rows: every quantile exact
    assert _same(kept, _doc(done)) == []
    assert done.summary.pooled.outcomes["threatened"].count == kept["outcomes"]["threatened"]["count"] > 0


@pytest.mark.slow
def test_two_workers_stream_the_same_numbers_as_one(kept):
    one = _doc(execute(Study.of(load_scenario(STRAY, []), 300), Serial(), keep_columns=False))
    with ProcessPool(2) as pool:
        two = _doc(execute(Study.of(load_scenario(STRAY, []), 300), pool, keep_columns=False))
    assert one == two  # merged in block order: bit-identical whatever order the blocks came in
    assert _same(kept, two) == []


def test_cluster_sums_merge_to_the_clustered_interval():
    rng = np.random.default_rng(7)
    for width in (1, 2, 3):
        among = rng.random((500, width)) < 0.6
        counted = among & (rng.random((500, 1)) < 0.45)  # a run counts all its rows or none: fully clustered
        whole = clustered(counted, among, "x")
        merged = partial.Cluster.of(counted[:123], among[:123])
        for lo, hi in ((123, 400), (400, 500)):
            merged.merge(partial.Cluster.of(counted[lo:hi], among[lo:hi]))
        got = merged.proportion("x")
        assert (got.count, got.n) == (whole.count, whole.n)
        if width == 1:
            assert got.n_eff is None and whole.n_eff is None
        else:
            assert got.n_eff == pytest.approx(whole.n_eff, rel=1e-12)
            assert got.n_eff < got.n  # the within-run correlation costs effective rows


def _order_stat_bound(values: np.ndarray, q: float) -> float:
    """The declared bound at quantile q: REL_ERROR x the larger magnitude of the two order statistics it
    interpolates between, plus TINY."""
    v = np.sort(values)
    pos = q * (v.size - 1)
    k = int(np.floor(pos))
    return REL_ERROR * max(abs(v[k]), abs(v[min(k + 1, v.size - 1)])) + TINY


@pytest.mark.parametrize(
    "draw",
    [
        lambda rng, n: rng.lognormal(5, 1.2, n),  # times in seconds, a long tail
        lambda rng, n: rng.normal(30, 120, n),  # margins: both signs
        lambda rng, n: rng.integers(1, 4, n).astype(float),  # interceptors used: a few integers, heavy ties
    ],
)
def test_sketch_quantiles_within_their_bound(draw):
    rng = np.random.default_rng(2026)
    values = draw(rng, 3 * EXACT_CAP)
    sample = Sample.of(values[:1000])
    for start in range(1000, values.size, 7919):
        sample.merge(Sample.of(values[start : start + 7919]))
    assert not sample.exact
    qs = [0.01, 0.1, 0.5, 0.9, 0.99]
    for q, got in zip(qs, sample.quantiles(qs)):
        exact = float(np.quantile(values, q))
        assert abs(got - exact) <= _order_stat_bound(values, q), (q, got, exact)
    st = sample.stats("x")
    assert st.n == values.size and (st.min, st.max) == (values.min(), values.max())
    assert st.mean == pytest.approx(values.mean(), rel=1e-12)
    assert st.sd == pytest.approx(values.std(ddof=1), rel=1e-9)


def test_sketch_is_exact_below_its_cap():
    rng = np.random.default_rng(3)
    values = rng.lognormal(4, 1, EXACT_CAP - 10)
    sample = Sample()
    for part in np.array_split(values, 37):
        sample.merge(Sample.of(np.concatenate([part, [np.nan]])))  # NaN: did not happen, not counted
    assert sample.exact and sample.n == values.size
    assert sample.quantiles([0.5, 0.9]) == [float(x) for x in np.quantile(values, [0.5, 0.9])]


def _report(capsys, *extra: str) -> list[str]:
    with pytest.raises(SystemExit) as done:
        main(["run", str(STRAY), "--runs", "200", "--workers", "1", "--no-store", *extra])
    assert done.value.code == 0
    out = capsys.readouterr().out
    return [line for line in out.splitlines() if "wall time" not in line]


@pytest.mark.slow
def test_a_streamed_sim_run_prints_what_a_kept_one_prints(tmp_path, capsys, monkeypatch):
    from sim.cli import scenario_commands

    monkeypatch.setattr(scenario_commands, "STREAM_ABOVE", 0)  # stream these 200 runs
    streamed = _report(capsys)
    kept = _report(capsys, "--csv", str(tmp_path / "rows.csv"))  # a row output keeps the columns
    assert (tmp_path / "rows.csv").stat().st_size > 0
    assert any(line.split()[:1] == ["intercepted"] and "%" in line for line in kept)
    assert streamed == kept


@pytest.mark.slow
def test_an_interrupted_streamed_run_keeps_its_finished_blocks(monkeypatch):
    monkeypatch.setattr(sim.executors, "SUPER_BLOCK", 1)

    def stop_after_two_blocks(done: int, total: int) -> None:
        if done >= 200:
            raise KeyboardInterrupt

    loaded = load_scenario(STRAY, [])
    done = execute(Study.of(loaded, 500), Serial(), progress=stop_after_two_blocks, keep_columns=False)
    assert done.partial and done.summary.run.runs == 200
    whole = execute(Study.of(loaded, 200), Serial())
    assert _same(_doc(whole) | {"run": {}}, _doc(done) | {"run": {}}) == []


@pytest.mark.slow
def test_a_sketched_run_says_so_in_its_result_file(kept, monkeypatch):
    import json

    import jsonschema

    import sim.analysis.sketch as sketch

    monkeypatch.setattr(sketch, "EXACT_CAP", 100)  # 300 runs: every distribution goes past it
    done = execute(Study.of(load_scenario(STRAY, []), 300), Serial(), keep_columns=False)
    doc = result_file.to_document(done.summary)
    assert doc["run"]["quantile_error"] == REL_ERROR
    jsonschema.validate(doc, json.loads((ROOT / "docs" / "result.schema.json").read_text(encoding="utf-8")))
    text = result_file.to_text(done.summary)
    assert result_file.to_text(result_file.from_text(text)) == text
    for name, st in doc["metrics"].items():  # within the bound, loosely: REL_ERROR of the largest magnitude
        exact = kept["metrics"][name]
        if exact["n"] > 1:
            scale = max(abs(exact["min"]), abs(exact["max"]))
            assert abs(st["p50"] - exact["p50"]) <= REL_ERROR * scale + TINY, name
            assert abs(st["p90"] - exact["p90"]) <= REL_ERROR * scale + TINY, name
