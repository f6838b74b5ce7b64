"""sim.sensitivity: the ranking of sim sensitivity --json as a DataFrame, every point as a row, resumable.

The scenario is the fixed-delay chain of tools.engine_checks_sensitivity (time to decision = the sum of the steps),
so the values are known in closed form: mu* of each assumption is its range in seconds.
"""

from __future__ import annotations

import json

import numpy as np
import pytest

import sim
from sim.analysis.measure import MeasureError
from sim.cli import main
from sim.store import Store
from tools.engine_checks_scenario import variant
from tools.engine_checks_sensitivity import SENSITIVITY_CHAIN

pytestmark = pytest.mark.slow  # one module fixture runs a whole sensitivity study (about 2 s)

pd = pytest.importorskip("pandas", reason="the api extra is not installed: pip install 'tabletop-sim[api]'")
pytest.importorskip("SALib")

WIDTHS = {  # the ranges of SENSITIVITY_CHAIN in seconds; classification is 20 s x0.5..x2
    "alert_levels.0.detection_latency": 30.0,
    "tracking.track_time": 30.0,
    "tracking.classify_time": 30.0,
    "command.posts.1.decision_time": 40.0,
}
MEASURE = "time_to_decision_s"


@pytest.fixture(scope="module")
def chain(tmp_path_factory):
    folder = tmp_path_factory.mktemp("chain")
    path = folder / "chain.yaml"
    path.write_text(variant(SENSITIVITY_CHAIN).text, encoding="utf-8")
    store = folder / "h.db"
    ranked = sim.sensitivity(path, measures=[MEASURE], points=2, runs=1, seed=3, workers=1, store=store)
    return path, store, ranked


def test_the_table_ranks_every_assumption_with_its_closed_form_mu_star(chain):
    _, _, ranked = chain
    table = ranked.table()
    assert ranked.complete and ranked.method == "morris"
    assert list(table["rank"]) == [1, 2, 3, 4] and table["path"].iloc[0] == "command.posts.1.decision_time"
    assert dict(zip(table["path"], table["mu_star"])) == pytest.approx(WIDTHS, abs=1e-9)
    assert np.allclose(table["sigma"], 0.0, atol=1e-9)
    assert str(table["path"].dtype) == "category" and table["matters"].dtype == bool
    assert ranked.sentences()[0].startswith(f"{MEASURE} rests ")


def test_the_table_holds_the_values_of_the_commands_json(chain, tmp_path, capsys):
    path, store, ranked = chain
    out = tmp_path / "s.json"
    args = ["sensitivity", str(path), "--measure", MEASURE, "--points", "2", "--runs", "1", "--seed", "3"]
    with pytest.raises(SystemExit) as done:
        main(args + ["--workers", "1", "--store", str(store), "--json", str(out), "--quiet"])
    assert done.value.code == 0, capsys.readouterr().err
    doc = json.loads(out.read_text())
    assert doc["reused_points"] == 11  # the command found every point the API kept: the same keys
    rows = doc["measures"][0]["ranked"]
    table = ranked.table()
    for col in ("mu_star", "mu_star_conf", "sigma", "change"):
        assert table[col].tolist() == [r[col] for r in rows], col
    assert json.loads(ranked.to_json())["measures"] == doc["measures"]


def test_points_hold_every_sampled_value_and_the_measure_there(chain):
    _, _, ranked = chain
    pts = ranked.points()
    assert len(pts) == 11 and pts["nominal"].tolist() == [True] + [False] * 10
    # the measure is the sum of the steps: the same constant rest at every point
    steps = sum(pts[p] * (20.0 if p == "tracking.classify_time" else 1.0) for p in WIDTHS)
    rest = pts[MEASURE] - steps
    assert np.allclose(rest, rest.iloc[0], rtol=0, atol=1e-9)


def test_run_again_with_the_store_reuses_every_point(chain):
    path, store, _ = chain
    kept = Store(store).count()
    again = sim.sensitivity(path, measures=[MEASURE], points=2, runs=1, seed=3, workers=1, store=store)
    assert again.result.reused == 11 and Store(store).count() == kept


def test_a_measure_that_names_nothing_is_refused_before_any_run(chain):
    path, _, _ = chain
    with pytest.raises(MeasureError, match="no threat 'm9'"):
        sim.sensitivity(path, measures=["m9:leaked"], points=2, runs=1)
