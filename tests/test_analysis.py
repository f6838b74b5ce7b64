"""Statistics of a run: Wilson intervals, and summaries of hand-built outcomes checked by hand."""

from __future__ import annotations

import json
import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from sim.analysis import CHAIN, METRICS, TO_DECISION, from_document, summarize, to_document, to_text, wilson
from sim.analysis.stats import clustered
from sim.engine.outcome import THREAT_FIELDS, ChainEnd, Outcomes
from sim.results import RunInfo, RunResult

nan = float("nan")

# ---------------------------------------------------------------- Wilson


@pytest.mark.parametrize(
    ("count", "n", "lo", "hi"),
    [
        (0, 10, 0.0, 0.2775),  # Newcombe (1998), Table I
        (5, 10, 0.2366, 0.7634),
        (81, 263, 0.2553, 0.3662),  # Newcombe (1998), the 81/263 example
        (10, 10, 0.7225, 1.0),
    ],
)
def test_wilson_matches_published_values(count, n, lo, hi):
    got = wilson(count, n)
    assert got == pytest.approx((lo, hi), abs=5e-5)


def test_wilson_ends_are_exact_and_empty_is_unknown():
    assert wilson(0, 7)[0] == 0.0
    assert wilson(7, 7)[1] == 1.0
    assert all(math.isnan(x) for x in wilson(0, 0))


@settings(deadline=None)  # no timing in tests
@given(st.integers(1, 100_000).flatmap(lambda n: st.tuples(st.integers(0, n), st.just(n))))
def test_wilson_holds_the_estimate_and_is_symmetric(kn):
    k, n = kn
    lo, hi = wilson(k, n)
    assert 0.0 <= lo <= k / n <= hi <= 1.0
    lo2, hi2 = wilson(n - k, n)
    assert (lo, hi) == pytest.approx((1 - hi2, 1 - lo2), abs=1e-12)


def test_wilson_covers_a_known_bernoulli_about_95_percent_of_the_time():
    p, n, trials = 0.3, 50, 20_000
    counts = np.random.default_rng(20240601).binomial(n, p, trials)
    lo, hi = wilson(counts, np.full(trials, n))
    simulated = np.mean((lo <= p) & (p <= hi))
    # The exact coverage at this (p, n), summing the binomial over the counts whose interval holds p.
    exact = sum(
        math.comb(n, k) * p**k * (1 - p) ** (n - k) for k in range(n + 1) if wilson(k, n)[0] <= p <= wilson(k, n)[1]
    )
    se = math.sqrt(exact * (1 - exact) / trials)
    assert abs(simulated - exact) < 4 * se
    # Wilson's coverage oscillates around nominal with the discreteness of k; within 2 points here
    # (Brown, Cai & DasGupta 2001, fig. 5).
    assert abs(exact - 0.95) < 0.02
    assert abs(simulated - 0.95) < 0.02 + 4 * se


# ---------------------------------------------------------------- hand-built outcomes

# Five replications of one threat, every time written out so each statistic can be worked by hand.
#                launch vis  detect track classify pip report decision order ready fire intercept impact w_open w_close
ROWS = [
    dict(
        t=(0, 30, 40, 50, 60, 80, 100, 160, 170, 180, 190, 230, 400, 200, 300),  # decided, engaged, intercepted
        flags=dict(threatened=1, predicted_own=1, detected=1, decided=1, engaged=1, intercepted=1),
        interceptors_used=2,
        authority=2,
        unit=0,
        end=ChainEnd.INTERCEPTED,
        latest_decision=280,  # window close 300 less order down 10 s and reaction 10 s
    ),
    dict(
        t=(0, 30, 60, 70, 80, 100, 130, 330, 340, nan, nan, nan, 400, 200, 300),  # decided after the window closed
        flags=dict(threatened=1, predicted_own=1, detected=1, decided=1, too_late=1, leaked=1),
        authority=1,
        end=ChainEnd.WINDOW_CLOSED,
        latest_decision=280,  # order down 10 s, reaction 10 s (counted, not waited: the window had closed)
    ),
    dict(
        t=(0, 90, 100, 120, 130, 140, 150, 190, 200, 205, 210, nan, 400, 200, 300),  # engaged, missed
        flags=dict(threatened=1, predicted_own=1, detected=1, decided=1, engaged=1, leaked=1),
        interceptors_used=2,
        authority=2,
        unit=0,
        end=ChainEnd.MISSED,
        latest_decision=285,  # order down 10 s, reaction 5 s
    ),
    dict(
        t=(0, nan, nan, nan, nan, nan, nan, nan, nan, nan, nan, nan, 400, 200, 300),  # never seen
        flags=dict(threatened=1, leaked=1),
        end=ChainEnd.NEVER_VISIBLE,
    ),
    dict(
        t=(0, 40, 50, 60, nan, nan, nan, nan, nan, nan, nan, nan, 500, nan, nan),  # harmless, tracked
        flags=dict(detected=1),
    ),
]
TIMES = (
    "launch",
    "visible",
    "detect",
    "track",
    "classify",
    "pip",
    "report",
    "decision",
    "order",
    "ready",
    "fire",
    "intercept",
    "impact",
    "window_open",
    "window_close",
)


def hand_outcomes(rows=ROWS, threats=("stray",)) -> Outcomes:
    """Rows are taken run by run; with several threats, consecutive rows fill one run's threats."""
    nt = len(threats)
    runs = len(rows) // nt
    cols = {f: np.full((runs, nt), nan) for f in THREAT_FIELDS}
    for f in (
        "threatened",
        "predicted_own",
        "detected",
        "decided",
        "too_late",
        "engaged",
        "intercepted",
        "leaked",
        "needless",
        "interceptors_used",
    ):
        cols[f][:] = 0.0
    cols["unit"][:] = -1
    cols["authority"][:] = -1
    cols["end"][:] = ChainEnd.OPEN
    for i, row in enumerate(rows):
        r, t = divmod(i, nt)
        for name, v in zip(TIMES, row["t"]):
            cols[name][r, t] = v
        for name, v in row["flags"].items():
            cols[name][r, t] = v
        for name in ("interceptors_used", "authority", "unit", "end", "latest_decision"):
            if name in row:
                cols[name][r, t] = row[name]
    readiness = np.array([[[0.0, 3600.0]], [[0.0, 7200.0]], [[0.0, nan]], [[0.0, 10800.0]], [[0.0, nan]]])[:runs]
    return Outcomes.from_columns(
        tuple(threats),
        ("s400",),
        ("constant", "heightened"),
        ("general_staff", "district_hq", "division_cp"),
        ("SEA", "RUS"),
        cols,
        readiness,
    )


def run_of(outcomes: Outcomes, partial=False, requested=None) -> RunResult:
    info = RunInfo(
        runs=outcomes.runs,
        requested_runs=requested or outcomes.runs,
        seed=11,
        version="0.1.0",
        block_size=5,
        workers=1,
        executor="local",
        wall_s=0.5,
        partial=partial,
    )
    return RunResult(None, info, outcomes)


@pytest.fixture(scope="module")
def hand():
    return summarize(run_of(hand_outcomes()))


def test_counts_over_threat_rows(hand):
    got = {k: (v.count, v.n) for k, v in hand.pooled.outcomes.items()}
    assert got["threatened"] == (4, 5)
    assert got["detected"] == (4, 5)
    assert got["decided"] == (3, 5)
    assert got["too_late"] == (1, 5)
    assert got["engaged"] == (2, 5)
    assert got["intercepted"] == (1, 5)
    assert got["leaked"] == (3, 5)
    assert got["needless"] == (0, 5)


def test_conditional_outcomes_count_among_their_condition(hand):
    got = {k: (v.count, v.n) for k, v in hand.pooled.outcomes.items()}
    got.update({f"decided_by_{k}": (v.count, v.n) for k, v in hand.pooled.decided_by.items()})
    assert got["detected_given_threatened"] == (3, 4)
    assert got["decided_in_time_given_threatened"] == (2, 4)
    assert got["intercepted_given_threatened"] == (1, 4)
    assert got["leaked_given_threatened"] == (3, 4)
    assert got["too_late_given_decided"] == (1, 3)
    assert got["intercepted_given_engaged"] == (1, 2)
    assert got["decided_by_division_cp"] == (2, 3)
    assert got["decided_by_district_hq"] == (1, 3)
    assert got["decided_by_general_staff"] == (0, 3)
    assert hand.pooled.outcomes["intercepted_given_threatened"].among.startswith("threatened")
    assert hand.pooled.outcomes["intercepted_given_threatened"].ci95 == wilson(1, 4)


def test_metrics_are_hand_computed_quantiles(hand):
    m = hand.pooled.metrics
    # Detection: 40, 60, 100, 50 -> sorted 40 50 60 100; p90 at rank 2.7 = 60 + 0.7 * 40.
    assert (
        m["time_to_detect_s"].n,
        m["time_to_detect_s"].mean,
        m["time_to_detect_s"].p50,
        m["time_to_detect_s"].p90,
    ) == (4, pytest.approx(62.5), pytest.approx(55.0), pytest.approx(88.0))
    assert (m["time_to_detect_s"].min, m["time_to_detect_s"].max) == (40.0, 100.0)
    # Decision: 160, 330, 190 -> p90 at rank 1.8 = 190 + 0.8 * 140.
    d = m["time_to_decision_s"]
    assert (d.n, d.mean, d.p50, d.p90) == (3, pytest.approx(680 / 3), pytest.approx(190.0), pytest.approx(302.0))
    # Margin: latest useful decision minus the decision: 280 - 160, 280 - 330, 285 - 190 = 120, -50, 95;
    # p90 at rank 1.8 = 95 + 0.8 * 25.
    g = m["margin_s"]
    assert (g.n, g.mean, g.p50, g.p90, g.min, g.max) == (
        3,
        pytest.approx(165 / 3),
        pytest.approx(95.0),
        pytest.approx(115.0),
        -50.0,
        120.0,
    )
    f = m["time_to_fire_s"]
    assert (f.n, f.mean, f.p90) == (2, pytest.approx(200.0), pytest.approx(208.0))
    assert (m["interceptors_used"].n, m["interceptors_used"].mean) == (2, 2.0)
    assert (m["window_s"].n, m["window_s"].mean) == (4, 100.0)
    assert {x.name for x in METRICS} <= set(m)
    # the spread an unpaired comparison needs: sample standard deviation of 40, 60, 100, 50
    assert m["time_to_detect_s"].sd == pytest.approx(float(np.std([40, 60, 100, 50], ddof=1)))


def test_readiness_counts_runs_and_times_among_those_that_reached(hand):
    heightened = hand.readiness["s400"]["heightened"]
    assert (heightened.reached.count, heightened.reached.n) == (3, 5)
    assert heightened.p50_s == pytest.approx(7200.0)
    assert heightened.p90_s == pytest.approx(7200.0 + 0.8 * 3600.0)
    assert hand.readiness["s400"]["constant"].reached.p == 1.0


def test_chain_steps_means_and_shares(hand):
    c = hand.chain
    assert list(c) == [step.name for step in CHAIN]
    means = {name: step.stats.mean for name, step in c.items()}
    # visible - launch: 30, 30, 90, 40; detect - visible: 10, 30, 10, 10 (the row never seen has neither)
    assert means == pytest.approx(
        {
            "until visible": 47.5,
            "detection latency": 15.0,
            "tracking": 12.5,
            "classification": 10.0,
            "impact prediction": 50 / 3,
            "report up": 20.0,
            "decision": 100.0,
            "order down": 10.0,
            "battery reaction": 7.5,
            "waiting to fire": 7.5,
            "flyout": 40.0,
        }
    )
    to_decision = 47.5 + 15.0 + 12.5 + 10 + 50 / 3 + 20 + 100
    assert c["decision"].share == pytest.approx(100 / to_decision)
    assert sum(c[n].share for n in TO_DECISION) == pytest.approx(1.0)
    assert c["flyout"].share == pytest.approx(40 / 65)
    assert c["flyout"].stats.n == 1


def test_largest_step_and_the_margin_sentence(hand):
    got = {k: (v.count, v.n) for k, v in hand.largest_step.items()}
    assert got["decision"] == (2, 3)
    assert got["until visible"] == (1, 3)  # the third row: seen only 90 s after launch
    assert sum(v[0] for v in got.values()) == 3
    line = hand.what_ate_the_margin
    assert line.startswith("Decision ate the most of the margin")
    assert "67% of 3 decided threats" in line
    assert "100s on average (45% of launch to decision)" in line
    assert "median margin 95s, 33% of decisions too late" in line


def test_several_threats_get_their_own_names_and_add_up():
    rows = ROWS[:4] + [ROWS[4], ROWS[3]]  # three runs of two threats
    s = summarize(run_of(hand_outcomes(rows, threats=("a", "b"))))
    assert s.names.threats == ("a", "b") and list(s.threats) == ["a", "b"]
    for flag in ("threatened", "detected", "decided", "leaked"):
        assert (
            s.pooled.outcomes[flag].count == s.threats["a"].outcomes[flag].count + s.threats["b"].outcomes[flag].count
        )
        assert s.threats["a"].outcomes[flag].n == 3
    assert s.threats["a"].outcomes["intercepted_given_threatened"].n == 2
    assert s.any_threat_leaked is not None
    assert (s.any_threat_leaked.count, s.any_threat_leaked.n) == (3, 3)
    assert s.threats["b"].metrics["time_to_decision_s"].n == 1
    assert summarize(run_of(hand_outcomes())).any_threat_leaked is None


def test_every_threatened_row_has_one_cause_and_they_add_up(hand):
    causes = {k: (v.count, v.n) for k, v in hand.pooled.causes.items() if v.count}
    assert causes == {"intercepted": (1, 4), "window_closed": (1, 4), "missed": (1, 4), "never_visible": (1, 4)}
    assert sum(v.count for v in hand.pooled.causes.values()) == hand.pooled.outcomes["threatened"].count


def test_the_sentence_names_the_largest_leak_cause(hand):
    # three leaks, one each: the first in the order of the story (never visible) is named, with its interval
    lo, hi = wilson(1, 4)
    assert hand.why_it_leaked == (
        f"3 of 4 threats that came down on own territory got through. Largest reason: "
        f"never visible before impact, 25% of them ({100 * lo:.0f}%-{100 * hi:.0f}%)."
    )
    rows = ROWS[:3] + [dict(ROWS[1])]  # two windows closed now lead; the longest step in them was the decision
    s = summarize(run_of(hand_outcomes(rows)))
    assert (
        "3 of 4 threats" in s.why_it_leaked
        and "Largest reason: decided, window closed before fire, 50% of them" in s.why_it_leaked
    )
    assert s.why_it_leaked.endswith("in those, decision was the longest step in 100%.")


def test_pooled_rows_of_one_run_are_not_counted_as_independent():
    # 400 runs of two threats that always share their fate: c_r in {0, 2}. The ratio estimator's variance
    # is p(1-p)/(R-1), so the effective number of rows is R - 1 = 399, not 800.
    rng = np.random.default_rng(7)
    both = rng.random(400) < 0.3
    counted = np.stack([both, both], axis=1)
    p = clustered(counted, np.ones_like(counted), "rows")
    assert (p.count, p.n) == (2 * both.sum(), 800)
    assert p.n_eff == pytest.approx(399.0)
    assert p.ci95 == pytest.approx(wilson(p.p * 399, 399))
    independent = np.stack([both, rng.random(400) < 0.3], axis=1)
    q = clustered(independent, np.ones_like(independent), "rows")
    assert 700 < q.n_eff <= 800  # nearly independent rows keep nearly all of n
    single = clustered(both[:, None], np.ones((400, 1), bool), "runs")
    assert single.n_eff is None and single.ci95 == wilson(int(both.sum()), 400)


# ---------------------------------------------------------------- the result file


def test_result_json_follows_the_contract(hand):
    doc = json.loads(json.dumps(to_document(hand), allow_nan=False))
    assert list(doc)[:3] == ["schema", "scenario", "run"]
    assert doc["schema"] == "sim.result/2"
    assert list(doc["scenario"]) == ["name", "file", "sha256", "overrides"]
    assert list(doc["run"])[:6] == ["runs", "seed", "version", "block_size", "workers", "wall_s"]
    assert all(type(doc["run"][k]) is int for k in ("runs", "seed", "block_size", "workers"))
    assert isinstance(doc["run"]["version"], str) and isinstance(doc["run"]["wall_s"], float)
    assert doc["names"] == {
        "threats": ["stray"],
        "units": ["s400"],
        "levels": ["constant", "heightened"],
        "posts": ["general_staff", "district_hq", "division_cp"],
    }
    for name, o in doc["outcomes"].items():
        assert list(o)[:1] + list(o)[2:4] == ["count", "p", "ci95"], name
        assert type(o["count"]) is int and len(o["ci95"]) == 2
        assert o["p"] is None or isinstance(o["p"], float)
    assert doc["outcomes"]["leaked"] == {
        "count": 3,
        "n": 5,
        "p": 0.6,
        "ci95": list(wilson(3, 5)),
        "among": "threat rows (runs x threats)",
    }
    for _name, m in doc["metrics"].items():
        assert [k for k in m if k in ("n", "mean", "p50", "p90", "min", "max")] == [
            "n",
            "mean",
            "p50",
            "p90",
            "min",
            "max",
        ]
        assert type(m["n"]) is int
    assert doc["metrics"]["margin_s"]["p50"] == 95.0 and doc["metrics"]["margin_s"]["n"] == 3
    assert doc["readiness"]["s400"]["heightened"]["p_reached"] == 0.6
    assert list(doc["chain"]) == [step.name for step in CHAIN]
    assert all(list(v)[:4] == ["mean_s", "p50_s", "p90_s", "share"] for v in doc["chain"].values())
    assert doc["outcomes"]["intercepted_given_engaged"]["among"] == "engaged threat rows (runs x threats)"
    assert doc["outcomes"]["intercepted_given_engaged"]["n"] == 2
    assert doc["decided_by"]["division_cp"]["count"] == 2
    assert doc["threats"]["stray"]["outcomes"]["leaked"]["count"] == 3


def test_the_result_document_reads_back_to_the_same_document(hand):
    doc = json.loads(to_text(hand))
    assert to_document(from_document(doc)) == doc
    several = summarize(run_of(hand_outcomes(ROWS[:4] + [ROWS[4], ROWS[3]], threats=("stray.a", "b"))))
    doc = json.loads(to_text(several))
    back = from_document(doc)
    assert back.names.threats == ("stray.a", "b")
    assert to_document(back) == doc


def test_nothing_happened_gives_nulls_not_nan():
    rows = [dict(t=(0,) + (nan,) * 10 + (400, nan, nan), flags={})] * 2
    doc = to_document(summarize(run_of(hand_outcomes(rows))))
    text = json.dumps(doc, allow_nan=False)
    assert doc["metrics"]["margin_s"] == {
        "n": 0,
        "mean": None,
        "sd": None,
        "p50": None,
        "p90": None,
        "min": None,
        "max": None,
        "among": doc["metrics"]["margin_s"]["among"],
    }
    assert doc["outcomes"]["intercepted_given_threatened"]["p"] is None
    assert doc["outcomes"]["intercepted_given_threatened"]["ci95"] == [None, None]
    assert doc["chain"]["decision"]["share"] is None
    assert "No threat was decided" in doc["what_ate_the_margin"]
    assert "NaN" not in text


def test_an_interrupted_run_with_no_finished_block_still_summarises():
    empty = Outcomes.empty(("a", "b"), ("s400",), ("constant",), ("hq",), ("SEA",))
    doc = to_document(summarize(run_of(empty, partial=True, requested=1000)))
    assert doc["run"]["partial"] is True and doc["run"]["requested_runs"] == 1000 and doc["run"]["runs"] == 0
    assert doc["outcomes"]["leaked"]["count"] == 0 and doc["outcomes"]["leaked"]["p"] is None
    assert doc["readiness"]["s400"]["constant"]["p_reached"] is None


def test_same_outcomes_give_the_same_document_however_they_were_blocked():
    whole = hand_outcomes()
    parts = [
        Outcomes(
            whole.threat_names,
            whole.unit_names,
            whole.level_names,
            whole.post_names,
            whole.territories,
            whole.threats[a:b],
            whole.readiness[a:b],
        )
        for a, b in ((0, 2), (2, 5))
    ]
    one = to_text(summarize(run_of(whole)))
    two = to_text(summarize(run_of(Outcomes.stack(parts))))
    assert one == two


def test_the_undecided_name_the_post_that_held_authority():
    from sim.analysis.summary import undecided_line

    waited = dict(
        t=(0, 30, 40, 50, 60, 80, 100) + (nan,) * 5 + (400, 200, 300),  # reported, landed before the decision
        flags=dict(threatened=1, predicted_own=1, detected=1, leaked=1),
        authority=0,
        end=ChainEnd.DECISION_LATE,
    )
    lost = dict(waited, t=(0, 30, 40, 50, 60, 80) + (nan,) * 6 + (400, 200, 300), end=ChainEnd.REPORT_LATE)
    rows = ROWS[:2] + [waited, waited, dict(lost, authority=1)]
    s = summarize(run_of(hand_outcomes(rows)))
    held = {k: (v.count, v.n) for k, v in s.pooled.undecided_at.items()}
    # three threatened rows went up and were never decided: two waited for the General Staff, one for the district
    assert held == {"general_staff": (2, 3), "district_hq": (1, 3), "division_cp": (0, 3)}
    lo, hi = wilson(2, 3)
    assert undecided_line(s.pooled) == (
        "Undecided: 3 threatened threats landed before the report or the decision; authority at "
        f"general_staff 67% ({100 * lo:.0f}%-{100 * hi:.0f}%), district_hq 33% "
        f"({100 * wilson(1, 3)[0]:.0f}%-{100 * wilson(1, 3)[1]:.0f}%)."
    )
    assert s.pooled.decided_by["general_staff"].count == 0  # the post awaited did not decide
    doc = json.loads(to_text(s))
    assert doc["undecided_at"]["general_staff"]["count"] == 2
    assert to_document(from_document(doc)) == doc
    nobody = summarize(run_of(hand_outcomes())).pooled
    assert undecided_line(nobody) == "" and not any(p.count for p in nobody.undecided_at.values())
