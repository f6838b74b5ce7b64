"""The Python API: DataFrames holding exactly the --csv values, Parquet with nulls, the same numbers as the CLI."""

from __future__ import annotations

import csv
import json
import math
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

import sim
from sim.cli import main

pd = pytest.importorskip("pandas", reason="the api extra is not installed: pip install 'tabletop-sim[api]'")

ROOT = Path(__file__).resolve().parents[2]
STRAY = str(ROOT / "scenarios" / "stray_missile.yaml")
TRAVEL = "lognormal(median=3h, p90=8h)"


def cli(capsys, *args) -> tuple[int, str, str]:
    with pytest.raises(SystemExit) as done:
        main(list(args))
    out, err = capsys.readouterr()
    return done.value.code, out, err


@pytest.fixture(scope="module")
def result():
    return sim.run(STRAY, runs=230, seed=7, workers=1, overrides={"units.0.crew.travel": TRAVEL})


def read_csv(path: Path) -> tuple[list[str], list[list[str]]]:
    with open(path, newline="") as f:
        rows = list(csv.reader(f))
    return rows[0], rows[1:]


def assert_frame_holds_the_csv(frame, path: Path) -> None:
    """Cell by cell: a category is its name ('' for none), a flag 0/1, a number the very float the text reads as."""
    header, rows = read_csv(path)
    assert list(frame.columns) == header
    assert len(frame) == len(rows)
    for k, name in enumerate(header):
        cells = [r[k] for r in rows]
        col = frame[name]
        if isinstance(col.dtype, pd.CategoricalDtype):
            none = lambda v: v is None or (isinstance(v, float) and math.isnan(v))  # noqa: E731
            assert [("" if none(v) else v) for v in col.tolist()] == cells, name
        elif col.dtype == bool:
            assert [("1" if v else "0") for v in col.tolist()] == cells, name
        elif col.dtype.kind == "i":
            assert [str(v) for v in col.tolist()] == cells, name
        else:
            values = col.to_numpy()
            assert [c == "" for c in cells] == list(np.isnan(values)), name
            assert [float(c) for c in cells if c] == values[~np.isnan(values)].tolist(), name


def test_threats_frame_holds_exactly_the_csv_values(result, tmp_path, capsys):
    path = tmp_path / "run.csv"
    code, _, err = cli(
        capsys,
        "run",
        STRAY,
        "--runs",
        "230",
        "--seed",
        "7",
        "--workers",
        "1",
        "--no-store",
        "--quiet",
        "--set",
        f"units.0.crew.travel={TRAVEL}",
        "--csv",
        str(path),
    )
    assert code == 0, err
    frame = result.threats()
    assert_frame_holds_the_csv(frame, path)
    # and pandas reads the CSV back to the same numbers when asked to parse floats exactly
    exact = {} if int(pd.__version__.split(".")[0]) >= 3 else {"float_precision": "round_trip"}  # pandas 3: default
    back = pd.read_csv(path, **exact)
    for name in ("launch_s", "decision_s", "intercept_s", "impact_lat"):
        np.testing.assert_array_equal(back[name].to_numpy(), frame[name].to_numpy())


def test_threats_frame_is_typed(result):
    frame = result.threats()
    o = result._result.outcomes
    assert len(frame) == o.runs * len(o.threat_names)
    assert frame["intercepted"].dtype == bool and frame["leaked"].dtype == bool
    for name in ("threat", "territory", "failure", "unit", "authority", "chain_end", "scenario"):
        assert isinstance(frame[name].dtype, pd.CategoricalDtype), name
    assert frame["set:units.0.crew.travel"].unique().tolist() == [TRAVEL]
    assert (frame["seed"] == 7).all()
    # the flags are the engine's own: one row per threat row, in replication-major order
    np.testing.assert_array_equal(frame["intercepted"].to_numpy(), o.threats["intercepted"].reshape(-1))
    # a battery only where one was chosen: the rest are nulls, not empty strings
    assert frame["unit"].isna().to_numpy().tolist() == (o.threats["unit"].reshape(-1) < 0).tolist()


def test_readiness_frame_holds_the_readiness_csv(result, tmp_path, capsys):
    path = tmp_path / "ready.csv"
    code, _, err = cli(
        capsys,
        "run",
        STRAY,
        "--runs",
        "230",
        "--seed",
        "7",
        "--workers",
        "1",
        "--no-store",
        "--quiet",
        "--set",
        f"units.0.crew.travel={TRAVEL}",
        "--readiness-csv",
        str(path),
    )
    assert code == 0, err
    frame = result.readiness()
    assert_frame_holds_the_csv(frame, path)
    o = result._result.outcomes
    assert len(frame) == o.readiness.size
    assert frame["reached"].to_numpy().tolist() == np.isfinite(o.readiness.reshape(-1)).tolist()


def test_parquet_has_nulls_where_the_csv_has_empty_cells(result, tmp_path, capsys):
    pq = pytest.importorskip("pyarrow.parquet")
    path = result.to_parquet(tmp_path / "run.parquet")
    table = pq.read_table(path)
    frame = result.threats()
    for name in ("decision_s", "intercept_s", "unit"):
        assert table.column(name).null_count == int(frame[name].isna().sum()), name
    assert table.schema.field("intercepted").type == "bool"
    assert table.schema.field("intercept_s").type == "double"
    back = pd.read_parquet(path)
    pd.testing.assert_frame_equal(back, frame)


@pytest.mark.slow
def test_overrides_as_a_dict_are_the_same_as_set(result, capsys, tmp_path):
    path = tmp_path / "r.json"
    code, _, err = cli(
        capsys,
        "run",
        STRAY,
        "--runs",
        "230",
        "--seed",
        "7",
        "--workers",
        "1",
        "--no-store",
        "--quiet",
        "--set",
        f"units.0.crew.travel={TRAVEL}",
        "--json",
        str(path),
    )
    assert code == 0, err

    def numbers(doc):
        doc["run"] = {k: v for k, v in doc["run"].items() if k not in ("wall_s", "workers", "executor")}
        return doc

    assert numbers(json.loads(result.to_json())) == numbers(json.loads(path.read_text()))
    loaded = sim.load(path)
    assert loaded.summary().pooled.outcomes == result.summary().pooled.outcomes
    with pytest.raises(LookupError, match="keep the statistics but not the rows"):
        loaded.threats()


def test_a_run_kept_in_the_history_is_loaded_by_its_id(tmp_path):
    kept = sim.run(STRAY, runs=100, seed=2, workers=1, store=tmp_path / "h.db")
    assert kept.run_id is not None
    again = sim.load(kept.run_id, store=tmp_path / "h.db")
    assert again.summary().pooled.outcomes == kept.summary().pooled.outcomes


@pytest.mark.slow
def test_a_scenario_compared_with_itself_differs_by_zero_everywhere(capsys, tmp_path):
    c = sim.compare(STRAY, STRAY, runs=120, seed=1, workers=1)
    table = c.table()
    outcomes = table[(table["scope"] == "all") & (table["measure"] == "intercepted")]
    assert len(outcomes) == 1 and outcomes["diff"].iloc[0] == 0.0 and not outcomes["significant"].iloc[0]
    path = tmp_path / "c.csv"
    code, _, err = cli(
        capsys, "compare", STRAY, STRAY, "--runs", "120", "--seed", "1", "--workers", "1", "--quiet", "--csv", str(path)
    )
    assert code == 0, err
    assert_frame_holds_the_csv(table, path)


def test_sweep_table_has_the_points_settings_in_their_order(tmp_path):
    swept = sim.sweep(STRAY, {"units.0.crew.travel": ["48h", "3h"]}, runs=100, seed=3, workers=1)
    table = swept.table()
    col = table["set:units.0.crew.travel"]
    assert col.cat.ordered and list(col.cat.categories) == ["48h", "3h"]  # as given, not alphabetical
    main = table[(table["scope"] == "all") & (table["measure"] == swept.sweep.main)]
    by_point = {r.point.label: r.summary.pooled.outcomes[swept.sweep.main].p for r in swept.sweep.results}
    assert main["p"].tolist() == list(by_point.values())


@pytest.mark.slow
def test_trace_json_is_one_event_per_line_in_time_order(tmp_path, capsys):
    path = tmp_path / "story.jsonl"
    code, _, err = cli(
        capsys,
        "run",
        STRAY,
        "--runs",
        "100",
        "--seed",
        "5",
        "--workers",
        "1",
        "--no-store",
        "--quiet",
        "--trace-json",
        str(path),
    )
    assert code == 0, err
    events = [json.loads(line) for line in path.read_text().splitlines()]
    story = sim.run(STRAY, runs=100, seed=5, workers=1).story(0)
    assert [e["event"] for e in events] == story["event"].tolist()
    assert [e["t"] for e in events] == sorted(e["t"] for e in events)
    assert set(events[0]) == {"t", "actor", "event", "detail"}


def test_without_pandas_a_frame_is_a_one_line_message(result, monkeypatch, tmp_path, capsys):
    monkeypatch.setitem(sys.modules, "pandas", None)
    with pytest.raises(ImportError) as exc:
        result.threats()
    assert str(exc.value) == (
        "pandas is not installed; DataFrames and Parquet need the api extra: pip install 'tabletop-sim[api]'"
    )
    monkeypatch.setitem(sys.modules, "pyarrow", None)
    code, out, err = cli(capsys, "run", STRAY, "--runs", "100", "--no-store", "--parquet", str(tmp_path / "r.parquet"))
    assert code == 2 and err.count("\n") == 1
    assert err.startswith(f"--parquet {tmp_path / 'r.parquet'}: pyarrow is not installed")


def test_rounded_values_read_back_exactly_from_their_csv_text():
    from sim.report.tables import rounded

    rng = np.random.default_rng(0)
    x = np.concatenate([rng.uniform(0, 1e5, 20_000), rng.uniform(-180, 180, 20_000), np.arange(0, 50, 0.0005)])
    for decimals in (3, 5):
        r = rounded(x, decimals)
        back = np.array([float(f"{v:.{decimals}f}") for v in r.tolist()])
        np.testing.assert_array_equal(back, r)
        # off by at most half the last decimal, plus the float arithmetic's few ulps of x
        assert np.all(np.abs(r - x) <= 0.5 * 10.0**-decimals + 4 * np.spacing(np.abs(x)))


def test_import_sim_stays_light():
    code = (
        "import sys, sim; print(sorted({m.split('.')[0] for m in sys.modules} & "
        "{'numpy', 'pandas', 'pyarrow', 'simpy', 'pydantic', 'dask', 'typer', 'yaml'}))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT, check=True).stdout
    assert out.strip() == "[]"
    assert callable(sim.run) and callable(sim.sweep) and callable(sim.compare) and callable(sim.load)
