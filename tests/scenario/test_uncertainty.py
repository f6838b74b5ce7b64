"""The ``uncertainty:`` section: ranges read in the field's units, factors scale, bad entries are placed."""

from __future__ import annotations

import math
from pathlib import Path

import pytest

from sim.scenario.loader import ScenarioError, load_text
from sim.scenario.uncertainty import assumptions, scaled, with_values

STRAY_TEXT = (Path(__file__).resolve().parents[2] / "scenarios" / "stray_missile.yaml").read_text(encoding="utf-8")


def _problems(section: str) -> list[str]:
    text = STRAY_TEXT.split("\nuncertainty:")[0] + "\nuncertainty:\n" + section
    with pytest.raises(ScenarioError) as info:
        load_text(text, "s.yaml")
    return [str(p) for p in info.value.problems]


def test_absolute_values_are_read_in_the_fields_units_and_factors_kept_as_factors():
    s = load_text(STRAY_TEXT, "s.yaml").scenario
    found = {a.path: a for a in assumptions(s)}
    sure = found["tracking.engage_probability"]
    assert (sure.low, sure.high, sure.factor) == (0.3, 0.8, False)
    travel = found["alert_orders.0.delay"]
    assert (travel.low, travel.high, travel.factor) == (0.5, 2.0, True)


def test_a_factor_scales_every_value_of_a_distribution():
    s = load_text(STRAY_TEXT, "s.yaml").scenario
    delay = {a.path: a for a in assumptions(s)}["alert_orders.0.delay"]
    doubled = with_values(s, [(delay, 2.0)])
    before, after = s.alert_orders[0].delay, doubled.alert_orders[0].delay
    for q in (0.1, 0.5, 0.9):  # a lognormal scaled by 2: every quantile doubles
        assert math.isclose(after.quantile(q), 2 * before.quantile(q), rel_tol=1e-12)
    assert s.alert_orders[0].delay is before  # the original is untouched
    tri = s.threats[1].launch.at
    assert (scaled(tri, 0.5).low, scaled(tri, 0.5).mode, scaled(tri, 0.5).high) == (
        tri.low / 2,
        tri.mode / 2,
        tri.high / 2,
    )
    assert scaled(8, 0.5, integer=True) == 4


def test_an_absolute_range_on_a_distribution_fixes_it():
    s = load_text(STRAY_TEXT, "s.yaml").scenario
    kill = {a.path: a for a in assumptions(s)}["units.0.interceptors.kill_probability"]
    assert with_values(s, [(kill, 0.7)]).units[0].interceptors.kill_probability.value == 0.7


def test_bad_entries_are_each_placed_at_their_line():
    lines = _problems(
        "  tracking.track_tim: [10s, 60s]\n"
        "  units.0.crew.travel: [1h, 2km]\n"
        "  threats.1.failure.guidance_fault: x0.5..x3\n"
        "  units.0.name: x1..x2\n"
        "  units.0.envelope.max_range: [200km, 50km]\n"
    )
    base = STRAY_TEXT.split("\nuncertainty:")[0].count("\n") + 2
    assert len(lines) == 5
    assert (
        lines[0].startswith(f"s.yaml:{base + 1}:") and "no such place in the scenario: 'tracking.track_tim'" in lines[0]
    )
    assert f"s.yaml:{base + 2}:" in lines[1] and "unknown unit 'km' for a duration" in lines[1]
    assert "x3 makes it 1.2: must be at most 1" in lines[2]
    assert "not a number or a distribution" in lines[3]
    assert "low must be below high" in lines[4]


@pytest.mark.parametrize(
    "written, message",
    [("x0..x2", "0 < low < high"), ("xa", "expected a factor range"), ("[1s, 2s, 3s]", "expected [low, high]")],
)
def test_a_malformed_range_is_refused(written, message):
    (line,) = _problems(f"  tracking.track_time: {written}\n")
    assert message in line and "uncertainty.tracking.track_time" in line
