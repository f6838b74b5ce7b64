"""--measure names any number of a run; a sweep's effects average over the whole grid and find known effects."""

from __future__ import annotations

import json
import math

import numpy as np
import pytest

from sim.analysis.effects import grid_effects, influences
from sim.analysis.measure import MeasureError, parse_measure
from sim.cli import main


def test_main_effects_and_interactions_of_a_known_grid():
    # v[a, b, c] = 10 + alpha_a + beta_b + gamma_ab, axis c does nothing; every effect sums to zero.
    alpha = np.array([-2.0, 0.5, 1.5])
    beta = np.array([-1.0, 1.0])
    gamma = np.array([[0.3, -0.3], [0.0, 0.0], [-0.3, 0.3]])
    v = 10 + alpha[:, None, None] + beta[None, :, None] + gamma[:, :, None] + np.zeros((3, 2, 4))
    e = grid_effects(v)
    assert e.grand_mean == pytest.approx(10.0)
    assert [x.estimate for x in e.main[0].levels] == pytest.approx(alpha)
    assert [x.estimate for x in e.main[1].levels] == pytest.approx(beta)
    assert [x.estimate for x in e.main[2].levels] == pytest.approx([0, 0, 0, 0], abs=1e-12)
    assert e.main[0].spread.estimate == pytest.approx(3.5) and e.main[2].spread.estimate == pytest.approx(
        0.0, abs=1e-12
    )
    assert [a.axis for a in e.ranked()] == [0, 1, 2]
    ab = next(x for x in e.interactions if x.axes == (0, 1))
    assert abs(ab.largest.estimate) == pytest.approx(0.3)
    assert gamma[ab.at] == pytest.approx(ab.largest.estimate)
    for x in e.interactions:
        if 2 in x.axes:
            assert x.largest.estimate == pytest.approx(0.0, abs=1e-12)


def test_an_effect_interval_is_the_paired_contrast_of_the_influences():
    # two points measured on the same 2000 replications: the effect of the axis is half their difference,
    # its interval the paired t interval of half the per-replication differences
    rng = np.random.default_rng(3)
    a = (rng.random(2000) < 0.3).astype(float)
    b = np.where(rng.random(2000) < 0.1, 1 - a, a)
    ones = np.ones(2000)
    va, za = influences(a, ones)
    vb, zb = influences(b, ones)
    e = grid_effects(np.array([va, vb]), np.stack([za, zb]))
    d = (b - a) / 2
    half = 1.959964 * d.std(ddof=1) / math.sqrt(2000)
    assert e.main[0].levels[1].estimate == pytest.approx(d.mean())
    assert e.main[0].levels[1].ci95 == pytest.approx((d.mean() - half, d.mean() + half))


@pytest.mark.parametrize(
    "text, kind, name, stat, threat",
    [
        ("intercepted_given_threatened", "outcome", "intercepted_given_threatened", "", None),
        ("stray.a:leaked", "outcome", "leaked", "", "stray.a"),
        ("cause.decision_late", "cause", "decision_late", "", None),
        ("margin_s.p50", "metric", "margin_s", "p50", None),
        ("time_to_decision_s", "metric", "time_to_decision_s", "mean", None),
        ("readiness.s400.east.heightened.p90", "readiness", "s400.east", "p90", None),
    ],
)
def test_measure_names_are_read(text, kind, name, stat, threat):
    m = parse_measure(text)
    assert (m.kind, m.name, m.stat, m.threat) == (kind, name, stat, threat)


@pytest.mark.parametrize(
    "text", ["intercepted_given_nothing", "cause.bored", "margin_s.p75", "readiness.u.p50", "stray:margin_s"]
)
def test_a_measure_that_names_nothing_is_refused(text):
    with pytest.raises(MeasureError, match=text.split(".")[0].split(":")[0]):
        parse_measure(text)


@pytest.mark.slow
def test_a_sweep_of_depot_trucks_ranks_by_time_to_heightened(capsys, tmp_path):
    out = tmp_path / "sweep.json"
    with pytest.raises(SystemExit) as done:
        main(
            [
                "sweep",
                "scenarios/alert_recall.yaml",
                "--vary",
                "units.0.depot.trucks=1,2,4",
                "--vary",
                "units.0.crew.notify=10min,2h",
                "--runs",
                "100",
                "--store",
                str(tmp_path / "h.db"),
                "--measure",
                "readiness.s400_primorye.heightened.p50",
                "--json",
                str(out),
                "--quiet",
            ]
        )
    assert done.value.code == 0, capsys.readouterr().err
    doc = json.loads(out.read_text())
    ranked = [m["path"] for m in doc["effects"]["main"]]
    assert ranked[0] == "units.0.depot.trucks"  # trucks move the time to heightened most (tutorial)
    trucks = doc["effects"]["main"][0]["levels"]
    assert trucks["1"]["estimate"] > 0 > trucks["4"]["estimate"]  # one truck is slower than the average, four faster


def test_an_unknown_unit_in_a_measure_is_bad_input_before_any_run(capsys, tmp_path):
    with pytest.raises(SystemExit) as done:
        main(
            [
                "sweep",
                "scenarios/alert_recall.yaml",
                "--vary",
                "units.0.depot.trucks=1,2",
                "--runs",
                "100",
                "--store",
                str(tmp_path / "h.db"),
                "--measure",
                "readiness.nobody.heightened.p50",
            ]
        )
    err = capsys.readouterr().err
    assert done.value.code == 2
    assert err.strip().splitlines() == [
        f"--measure readiness.nobody.heightened.p50: no unit 'nobody' or level "
        f"'heightened' (units: s400_primorye, s400_khabarovsk; levels: "
        f"{err.split('levels: ')[1].strip()}"
    ]
    assert not (tmp_path / "h.db").exists()
