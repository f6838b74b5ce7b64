"""sim sensitivity: the indices against closed forms, the sentence, and the command's outputs.

The chain check: one missile, fixed delays only, so ``time_to_decision_s`` is exactly the sum of the
steps up to the decision (visible + detection + tracking + classification + one link + decision).
The output is then linear in each assumption: Morris mu* of an assumption is its slope times its
range (an elementary effect of a linear function is its slope, and SALib's step crosses 2/3 of the
range, scaled back), sigma 0; Sobol S1 = ST = w_i^2 / sum w^2 with w_i the range of the step in
seconds (the variance of a uniform on a range w is w^2 / 12). tools.engine_checks_sensitivity explains why the
radar's steps sit on its scan (the sum is then exact, not within a scan).
"""

from __future__ import annotations

import json
import math
from pathlib import Path

import numpy as np
import pytest

pytest.importorskip("SALib")

from sim.analysis import gsa
from sim.analysis.measure import parse_measure
from sim.executors import Serial
from sim.report.sensitivity_report import Ranking
from sim.study.sensitivity import plan_sensitivity, run_sensitivity
from tools.engine_checks_scenario import variant
from tools.engine_checks_sensitivity import SENSITIVITY_CHAIN, SENSITIVITY_COMMAND

ROOT = Path(__file__).resolve().parents[1]
MEASURE = parse_measure("time_to_decision_s")

# Each assumption's range in seconds (tools.engine_checks_sensitivity.SENSITIVITY_CHAIN): detection [0, 30], tracking
# [30, 60], classification 20 s x0.5..x2, the middle post's decision [20, 60].
WIDTHS = {
    "alert_levels.0.detection_latency": 30.0,
    "tracking.track_time": 30.0,
    "tracking.classify_time": 30.0,
    "command.posts.1.decision_time": 40.0,
}
# The file's own values (SENSITIVITY_CHAIN): detection 30 s, tracking 40 s, classification 20 s, decision 60 s.
NOMINAL_STEPS = 30.0 + 40.0 + 20.0 + 60.0


def _chain_result(changes: dict, method: str, points: int):
    # a deterministic chain: one replication per point says it all
    plan = plan_sensitivity(variant(changes), method, points, runs=1, seed=3)
    return run_sensitivity(plan, None, executor=Serial(), measures=("time_to_decision_s",))


@pytest.fixture(scope="module")
def morris_chain():
    return _chain_result(SENSITIVITY_CHAIN, "morris", 2)  # 2 trajectories: 11 points, a few seconds


def test_the_measure_is_the_sum_of_the_steps_at_every_point(morris_chain):
    result = morris_chain
    y = result.values(MEASURE)
    a = result.plan.assumptions
    x = result.plan.x
    # the rest of the chain (until visible, which is physics, and the bottom->middle link of 15 s) is the same
    # at every point: take it from the nominal point
    rest = result.nominal(MEASURE)[0] - NOMINAL_STEPS
    assert 15.0 < rest < 600.0  # until visible (the boost clears the horizon) and the 15 s link
    by_hand = rest + sum(x[:, k] * (20.0 if a[k].factor else 1.0) for k in range(len(a)))
    assert len(y) == 2 * (len(a) + 1)
    assert np.allclose(y, by_hand, rtol=0, atol=1e-9)


def test_morris_mu_star_is_each_steps_range_and_sigma_zero(morris_chain):
    ix = morris_chain.indices(MEASURE)
    for i in ix.indices:
        assert i.a == pytest.approx(WIDTHS[i.name], abs=1e-9)
        assert i.b == pytest.approx(0.0, abs=1e-9)
    assert next(i.name for i in ix.ranked()) == "command.posts.1.decision_time"  # 40 s against 30 s


@pytest.mark.slow  # Saltelli's scheme: 64 x (2 + 2) points through the engine, one to two minutes
def test_sobol_indices_of_the_chain_match_the_shares_of_variance():
    result = _chain_result(SENSITIVITY_COMMAND, "sobol", 64)
    widths = {"command.posts.2.link_delay": 30.0, "command.posts.1.decision_time": 40.0}
    ix = result.indices(MEASURE)
    total = sum(w**2 for w in widths.values())
    for i in ix.indices:
        share = widths[i.name] ** 2 / total  # 0.36 and 0.64
        assert abs(i.a - share) <= i.a_conf, (i.name, "ST", i.a, share)
        assert abs(i.b - share) <= i.b_conf, (i.name, "S1", i.b, share)


def test_ishigami_through_the_same_path_matches_its_closed_form_within_the_intervals():
    prob = gsa.problem(["x1", "x2", "x3"], [(-math.pi, math.pi)] * 3)
    ix = gsa.indices("sobol", prob, gsa.ishigami, 1024, seed=1)
    s1, st = gsa.ishigami_indices()
    for k, i in enumerate(ix.indices):
        assert abs(i.b - s1[k]) <= i.b_conf, (i.name, "S1", i.b, s1[k])
        assert abs(i.a - st[k]) <= i.a_conf, (i.name, "ST", i.a, st[k])
    assert [i.name for i in ix.ranked()] == ["x1", "x2", "x3"]  # ST: 0.558, 0.442, 0.244


def test_ishigami_closed_form_matches_the_published_figures():
    s1, st = gsa.ishigami_indices()  # Saltelli et al. (2008), Global Sensitivity Analysis, table 4.2 (a=7, b=0.1)
    assert [round(v, 4) for v in s1] == [0.3139, 0.4424, 0.0]
    assert [round(v, 4) for v in st] == [0.5576, 0.4424, 0.2437]


def _ranking(changes: dict[str, float], ci: tuple[float, float]) -> Ranking:
    ix = gsa.Indices("morris", tuple(gsa.Index(n, c, 0.0, 0.0, math.nan) for n, c in changes.items()))
    return Ranking(parse_measure("intercepted_given_threatened"), ix, (0.2, *ci), changes)


def test_the_sentence_names_what_moves_the_measure_more_than_its_interval():
    r = _ranking({"a": 0.3, "b": 0.12, "c": 0.11, "d": 0.04, "e": 0.01, "f": 0.0, "g": 0.02}, (0.15, 0.25))
    assert r.sentence() == (
        "intercepted_given_threatened rests mostly on a, b and c; d to f (4 assumptions) "
        "change it by less than its own interval"
    )
    assert _ranking({"a": 0.3, "b": 0.01}, (0.15, 0.25)).sentence() == (
        "intercepted_given_threatened rests mostly on a; b changes it by less than its own interval"
    )
    assert "none of the declared assumptions" in _ranking({"a": 0.04}, (0.15, 0.25)).sentence()


@pytest.mark.slow
def test_the_command_writes_the_chains_exact_ranking_as_json_and_html(tmp_path, capsys):
    from sim.cli import main

    chain = tmp_path / "chain.yaml"
    chain.write_text(variant(SENSITIVITY_CHAIN).text, encoding="utf-8")
    out_json, out_html = tmp_path / "s.json", tmp_path / "s.html"
    args = ["sensitivity", str(chain), "--points", "2", "--runs", "1", "--workers", "1", "--measure"]
    args += ["time_to_decision_s", "--store", str(tmp_path / "h.db"), "--json", str(out_json)]
    with pytest.raises(SystemExit) as done:
        main(args + ["--html", str(out_html), "--quiet"])
    _out, err = capsys.readouterr()
    assert done.value.code == 0, err
    doc = json.loads(out_json.read_text())
    ranked = doc["measures"][0]["ranked"]
    assert ranked[0]["path"] == "command.posts.1.decision_time"
    assert {r["path"]: r["mu_star"] for r in ranked} == pytest.approx(WIDTHS, abs=1e-9)
    assert doc["evaluations"] == 2 * (4 + 1) and doc["complete"]
    html = out_html.read_text()
    assert "<svg" in html and "rests" in html and "http" not in html.replace("http-equiv", "")


@pytest.mark.slow  # 22 points of the stray scenario: the per-point cost, not the runs, makes it slow
def test_the_command_ranks_every_declared_assumption_and_writes_json_and_html(tmp_path, capsys):
    from sim.cli import main

    out_json, out_html = tmp_path / "s.json", tmp_path / "s.html"
    with pytest.raises(SystemExit) as done:
        main(
            [
                "sensitivity",
                str(ROOT / "scenarios" / "stray_missile.yaml"),
                "--points",
                "2",
                "--runs",
                "50",
                "--workers",
                "1",
                "--store",
                str(tmp_path / "h.db"),
                "--json",
                str(out_json),
                "--html",
                str(out_html),
            ]
        )
    _out, err = capsys.readouterr()
    assert done.value.code == 0, err
    doc = json.loads(out_json.read_text())
    declared = [a["path"] for a in doc["assumptions"]]
    assert len(declared) == 10 and sorted(r["path"] for r in doc["measures"][0]["ranked"]) == sorted(declared)
    assert doc["evaluations"] == 2 * (10 + 1)
    html = out_html.read_text()
    assert "<svg" in html and "rests" in html and "http" not in html.replace("http-equiv", "")


def test_a_scenario_without_an_uncertainty_section_is_one_line_and_exit_2(tmp_path, capsys):
    from sim.cli import main

    text = (ROOT / "scenarios" / "stray_missile.yaml").read_text(encoding="utf-8").split("\nuncertainty:")[0]
    bare = tmp_path / "bare.yaml"
    bare.write_text(text, encoding="utf-8")
    with pytest.raises(SystemExit) as done:
        main(["sensitivity", str(bare), "--store", str(tmp_path / "h.db")])
    _out, err = capsys.readouterr()
    assert done.value.code == 2
    assert err.strip().splitlines() == [
        f"{bare}: uncertainty: declares no assumptions to vary: add an uncertainty: section"
    ]
