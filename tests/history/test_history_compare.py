"""sim compare: paired differences with common random numbers, unpaired ones from finished runs."""

from __future__ import annotations

import math

import numpy as np
import pytest
from history_setup import RUNS, SEED, SLOW_TRAVEL

from sim.analysis import Proportion, Stats, summarize
from sim.analysis.comparison import (
    _newcombe,
    _paired_metric,
    _paired_ratio,
    _sign_test_rank,
    _t975,
    _welch,
    paired,
    unpaired,
)
from sim.executors import Serial
from sim.scenario.diff import scenario_changes
from sim.scenario.loader import load_scenario
from sim.study.compare import compare_inputs


def every_difference(c):
    for scope, differences in [("all", c.pooled)] + list(c.threats.items()):
        for kind in (differences.outcomes, differences.decided_by, differences.metrics):
            for name, d in kind.items():
                yield f"{scope}: {name}", d
    for unit, levels in c.readiness.items():
        for level, x in levels.items():
            yield f"{unit}.{level}.p_reached", x.p_reached
            yield f"{unit}.{level}.p50_s", x.p50_s


@pytest.mark.slow
def test_a_scenario_compared_with_itself_differs_by_exactly_zero(scenario_path):
    c = compare_inputs(str(scenario_path), str(scenario_path), runs=200, seed=SEED, executor=Serial())
    assert c.paired and c.changes == ()
    checked = 0
    for name, d in every_difference(c):
        if d.a != d.a and d.b != d.b:
            continue  # never happened on either side: nothing to compare
        assert d.diff == 0.0, name
        assert d.ci95 == (0.0, 0.0) or all(math.isnan(x) for x in d.ci95), name
        assert not d.significant, name
        checked += 1
    assert checked > 40


def test_paired_interval_is_narrower_than_unpaired_on_the_same_runs(pair):
    a, b = pair
    p = paired(a, b)
    u = unpaired(summarize(a), summarize(b))
    name = p.main
    assert name == "intercepted_given_threatened"
    # The same two samples: the same estimate, whichever way the interval is made.
    assert p.pooled.outcomes[name].diff == pytest.approx(u.pooled.outcomes[name].diff, abs=1e-12)
    width = {
        k: c.pooled.outcomes[name].ci95[1] - c.pooled.outcomes[name].ci95[0]
        for k, c in (("paired", p), ("unpaired", u))
    }
    assert 0 < width["paired"] < width["unpaired"] / 1.5
    # Not a lucky outcome: the pairing narrows every interval there is (some, never threatened, have none).
    dp, du = dict(every_difference(p)), dict(every_difference(u))
    outcomes = [n for n in dp if ": " in n and n.split(": ")[1] in p.pooled.outcomes]
    defined = [n for n in outcomes if not math.isnan(dp[n].ci95[0])]
    narrower = [n for n in defined if dp[n].ci95[1] - dp[n].ci95[0] <= du[n].ci95[1] - du[n].ci95[0] + 1e-12]
    assert len(defined) > 40 and narrower == defined


def test_slower_recall_is_listed_as_the_one_change(scenario_path, slow_recall_path):
    a, b = load_scenario(scenario_path), load_scenario(slow_recall_path)
    changes = scenario_changes(a.scenario, b.scenario)
    assert [(c.path, c.b) for c in changes] == [("units.0.crew.travel", SLOW_TRAVEL)]
    assert changes[0].a == str(a.scenario.units[0].crew.travel)


@pytest.mark.slow
def test_set_b_is_the_same_as_a_changed_file(scenario_path, slow_recall_path):
    """One command answers 'what if officers take longer to come back': no copied file needed."""
    by_file = compare_inputs(str(scenario_path), str(slow_recall_path), runs=200, seed=SEED, executor=Serial())
    by_flag = compare_inputs(
        str(scenario_path),
        str(scenario_path),
        runs=200,
        seed=SEED,
        executor=Serial(),
        set_b=(f"units.0.crew.travel={SLOW_TRAVEL}",),
    )
    assert [(c.path, c.b) for c in by_flag.changes] == [("units.0.crew.travel", SLOW_TRAVEL)]
    flag = dict(every_difference(by_flag))
    for name, d in every_difference(by_file):
        e = flag[name]
        assert (d.diff, d.ci95) == (e.diff, e.ci95) or (math.isnan(d.diff) and math.isnan(e.diff)), name


def test_set_a_b_refuse_a_result_file(tmp_path, scenario_path):
    from sim.scenario.loader import ScenarioError

    result = tmp_path / "r.json"
    result.write_text('{"schema": "sim.result/2"}')
    with pytest.raises(ScenarioError, match="--set-a/--set-b change scenarios, not result files"):
        compare_inputs(str(result), str(scenario_path), set_a=("runs=5",))


def test_changes_read_like_the_yaml(scenario_path):
    a = load_scenario(scenario_path)
    b = load_scenario(scenario_path, ["horizon=3d", "units.0.launchers=6", "threats.1.failure.guidance_fault=0.25"])
    got = {c.path: (c.a, c.b) for c in scenario_changes(a.scenario, b.scenario)}
    assert got["horizon"] == ("2d", "3d")
    assert got["units.0.launchers"] == ("8", "6")
    assert got["threats.1.failure.guidance_fault"][1] == "0.25"
    assert len(got) == 3


def test_a_list_grown_in_b_shows_the_new_item_as_absent_in_a(scenario_path):
    a = load_scenario(scenario_path)
    b = load_scenario(scenario_path, ["sources.3=seeds/extra.md"])
    assert [(c.path, c.a, c.b) for c in scenario_changes(a.scenario, b.scenario)] == [
        ("sources.3", "(absent)", "seeds/extra.md")
    ]


# ---------------------------------------------------------------- the statistics, on known answers


def test_paired_proportion_is_the_paired_t_interval_when_every_row_counts():
    rng = np.random.default_rng(1)
    xa = (rng.random(500) < 0.3).astype(float)
    xb = np.where(rng.random(500) < 0.1, 1 - xa, xa)  # B flips a tenth of A's rows
    ones = np.ones(500)
    d = _paired_ratio(xa, ones, xb, ones)
    diffs = xb - xa
    half = 1.959964 * diffs.std(ddof=1) / math.sqrt(500)
    assert d.diff == pytest.approx(diffs.mean(), abs=1e-15)
    assert d.ci95 == pytest.approx((diffs.mean() - half, diffs.mean() + half), abs=1e-12)


def test_paired_metric_compares_only_rows_where_both_happened():
    va = np.array([[10.0], [20.0], [np.nan], [40.0]])
    vb = np.array([[12.0], [np.nan], [33.0], [44.0]])
    d = _paired_metric(va, vb)
    assert (d.a, d.b, d.diff, d.n_a) == (25.0, 28.0, 3.0, 2)


@pytest.mark.parametrize(
    "a, b, expected",
    [
        ((48, 80), (56, 70), (0.0524, 0.3339)),
        ((3, 10), (9, 10), (0.1705, 0.8090)),
        ((2, 7), (6, 7), (0.0582, 0.8062)),
        ((0, 29), (5, 56), (-0.0381, 0.1926)),
        ((0, 10), (0, 10), (-0.2775, 0.2775)),
        ((0, 10), (10, 10), (0.6075, 1.0)),
    ],
)
def test_newcombe_matches_the_published_table(a, b, expected):
    # Newcombe (1998), Statistics in Medicine 17:873, Table II, method 10 (score, no continuity correction).
    d = _newcombe(Proportion(*a, ""), Proportion(*b, ""))
    assert d.diff == pytest.approx(b[0] / b[1] - a[0] / a[1])
    assert d.ci95 == pytest.approx(expected, abs=1e-4)


def test_sign_test_ranks_match_the_binomial_table():
    # 95% interval for a median from n ordered values: ranks (k, n + 1 - k).
    assert [_sign_test_rank(n) for n in (5, 6, 10, 20, 50)] == [0, 1, 2, 6, 18]


def test_t_quantile_is_close_to_the_table():
    table = {1: 12.7062, 2: 4.3027, 3: 3.1824, 5: 2.5706, 10: 2.2281, 30: 2.0423, 120: 1.9799}
    for df, t in table.items():
        assert _t975(df) == pytest.approx(t, abs=1e-4)


def test_welch_interval_from_means_spreads_and_counts():
    def stats(n, mean, sd):
        return Stats(n, mean, sd, mean, mean, mean, mean, "")

    # n 10 and 15, sd 2 and 3: se = 1, Welch-Satterthwaite df = 22.99, t(0.975, 23) = 2.0687.
    d = _welch(stats(10, 5.0, 2.0), stats(15, 7.0, 3.0))
    assert d.diff == 2.0
    assert d.ci95 == pytest.approx((2.0 - 2.0687, 2.0 + 2.0687), abs=1e-3)
    assert not d.significant
    without_spread = _welch(stats(10, 5.0, float("nan")), stats(15, 7.0, 3.0))
    assert without_spread.diff == 2.0 and math.isnan(without_spread.ci95[0])


def test_comparison_json_names_every_difference_diff(pair):
    import json

    from sim.report.compare_report import comparison_json_text

    doc = json.loads(comparison_json_text(paired(*pair)))
    assert doc["schema"] == "sim.compare/2" and doc["paired"] is True
    main = doc["outcomes"][doc["main_outcome"]]
    assert set(main) >= {"a", "b", "diff", "ci95", "significant"}
    assert main["diff"] == pytest.approx(main["b"] - main["a"])
    assert doc["changes"] == [{"path": "units.0.crew.travel", "a": doc["changes"][0]["a"], "b": SLOW_TRAVEL}]
    assert doc["a"]["runs"] == doc["b"]["runs"] == RUNS and doc["a"]["seed"] == SEED
