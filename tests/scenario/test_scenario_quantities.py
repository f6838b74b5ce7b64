"""Quantities with units: every unit, compound durations, and the refusals a trainer will meet."""

from __future__ import annotations

import math

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from sim.scenario.quantities import ANGLE, DISTANCE, DURATION, FRACTION, SPEED, QuantityError, format_duration, parse


@pytest.mark.parametrize(
    "text, seconds",
    [
        ("90s", 90.0),
        ("90sec", 90.0),
        ("20min", 1200.0),
        ("4h", 14400.0),
        ("2d", 172800.0),
        ("1.5h", 5400.0),
        (".5min", 30.0),
        ("0s", 0.0),
        ("1e3s", 1000.0),
        ("20 min", 1200.0),
        ("  4h  ", 14400.0),
    ],
)
def test_duration_units(text, seconds):
    assert parse(text, DURATION) == pytest.approx(seconds, abs=1e-12)


@pytest.mark.parametrize(
    "text, seconds",
    [
        ("1h30min", 5400.0),
        ("1h 30min", 5400.0),
        ("2d6h", 2 * 86400.0 + 6 * 3600.0),
        ("1h30min15s", 5415.0),
        ("1d1h1min1s", 86400.0 + 3600.0 + 60.0 + 1.0),
    ],
)
def test_compound_durations(text, seconds):
    assert parse(text, DURATION) == seconds


@settings(max_examples=60, deadline=None)
@given(h=st.integers(0, 1000), m=st.integers(0, 59), s=st.integers(0, 59))
def test_compound_duration_is_the_sum_of_its_terms(h, m, s):
    assert parse(f"{h}h{m}min{s}s", DURATION) == 3600 * h + 60 * m + s


@pytest.mark.parametrize("text, km", [("460km", 460.0), ("30m", 0.03), ("1.5km", 1.5), ("0m", 0.0)])
def test_distance_units(text, km):
    assert parse(text, DISTANCE) == pytest.approx(km, rel=1e-12)


@pytest.mark.parametrize("text, kms", [("4.8km/s", 4.8), ("15m/s", 0.015), ("3600km/h", 1.0)])
def test_speed_units(text, kms):
    assert parse(text, SPEED) == pytest.approx(kms, rel=1e-12)


@pytest.mark.parametrize("value, deg", [(45, 45.0), ("45deg", 45.0), (-22.5, -22.5), ("270", 270.0)])
def test_angles_take_degrees_with_or_without_unit(value, deg):
    assert parse(value, ANGLE) == deg


@pytest.mark.parametrize("value, frac", [(0.3, 0.3), ("30%", 0.3), (1, 1.0), ("0.25", 0.25)])
def test_fractions_take_numbers_or_percent(value, frac):
    assert parse(value, FRACTION) == pytest.approx(frac)


@pytest.mark.parametrize(
    "kind, example",
    [(DURATION, "90s, 20min, 4h or 1h30min"), (DISTANCE, "460km or 30m"), (SPEED, "4.8km/s or 15m/s")],
)
@pytest.mark.parametrize("bare", [20, 20.5, 0])
def test_bare_number_is_refused_with_an_example(kind, example, bare):
    with pytest.raises(QuantityError) as info:
        parse(bare, kind)
    assert str(info.value) == f"a bare number needs a unit: write a {kind.name} like {example}"


def test_number_as_text_without_unit_is_refused():
    with pytest.raises(QuantityError) as info:
        parse("20", DURATION)
    assert str(info.value) == "'20' needs a unit: write a duration like 90s, 20min, 4h or 1h30min"


def test_compound_duration_with_a_unitless_tail_is_refused():
    with pytest.raises(QuantityError, match=r"^'1h30' needs a unit: write a duration like 90s"):
        parse("1h30", DURATION)


@pytest.mark.parametrize(
    "text, kind, message",
    [
        (
            "5mins",
            DURATION,
            "unknown unit 'mins' for a duration (use s, sec, min, h, d), e.g. 90s, 20min, 4h or 1h30min",
        ),
        (
            "3weeks",
            DURATION,
            "unknown unit 'weeks' for a duration (use s, sec, min, h, d), e.g. 90s, 20min, 4h or 1h30min",
        ),
        ("10mi", DISTANCE, "unknown unit 'mi' for a distance (use m, km), e.g. 460km or 30m"),
        ("5km", DURATION, "unknown unit 'km' for a duration (use s, sec, min, h, d), e.g. 90s, 20min, 4h or 1h30min"),
        ("5min", SPEED, "unknown unit 'min' for a speed (use m/s, km/s, km/h), e.g. 4.8km/s or 15m/s"),
        ("45rad", ANGLE, "unknown unit 'rad' for a angle (use deg), e.g. 45deg or 45"),
    ],
)
def test_unknown_units_list_the_known_ones(text, kind, message):
    with pytest.raises(QuantityError) as info:
        parse(text, kind)
    assert str(info.value) == message


@pytest.mark.parametrize("text", ["1:30", "01:30", "1:30:00"])
def test_sexagesimal_is_refused(text):
    """YAML 1.1 reads 1:30 as 90; the loader keeps it as text and the quantity parser refuses it."""
    with pytest.raises(QuantityError) as info:
        parse(text, DURATION)
    assert str(info.value) == (
        f"'{text}' is ambiguous (YAML 1.1 reads it as base-60); write a duration like 90s, 20min, 4h or 1h30min"
    )


@pytest.mark.parametrize("value", ["", "   ", "soon", "h", "1h+", "1h,30min"])
def test_unreadable_text_is_refused(value):
    with pytest.raises(QuantityError, match="duration"):
        parse(value, DURATION)


def test_compound_is_for_durations_only():
    with pytest.raises(QuantityError) as info:
        parse("1km500m", DISTANCE)
    assert str(info.value) == "cannot read '1km500m' as a distance; write it like 460km or 30m"


@pytest.mark.parametrize("value, shown", [(True, "true"), (False, "false")])
def test_booleans_are_not_quantities(value, shown):
    with pytest.raises(QuantityError) as info:
        parse(value, DURATION)
    assert str(info.value) == f"expected a duration like 90s, 20min, 4h or 1h30min, got {shown}"


@pytest.mark.parametrize("value", [None, [1, 2], {"h": 1}])
def test_non_scalars_are_not_quantities(value):
    with pytest.raises(QuantityError) as info:
        parse(value, DURATION)
    assert str(info.value) == "expected a duration like 90s, 20min, 4h or 1h30min"


def test_a_sign_inside_a_compound_duration_is_refused():
    with pytest.raises(QuantityError):
        parse("1h-30min", DURATION)


@pytest.mark.parametrize(
    "value, kind", [(float("nan"), FRACTION), (float("nan"), ANGLE), ("1e400s", DURATION), (float("inf"), ANGLE)]
)
def test_non_finite_values_are_refused(value, kind):
    with pytest.raises(QuantityError):
        parse(value, kind)


@pytest.mark.parametrize(
    "seconds, text",
    [
        (0, "0.0s"),
        (5, "5.0s"),
        (9.96, "10.0s"),
        (10, "10s"),
        (45, "45s"),
        (119, "119s"),
        (120, "2.0min"),
        (750, "12.5min"),
        (7199, "120.0min"),
        (7200, "2.0h"),
        (3.2 * 3600, "3.2h"),
        (3 * 86400 - 1, "72.0h"),
        (3 * 86400, "3.0d"),
        (2.5 * 86400 * 2, "5.0d"),
        (-45, "-45s"),
        (-750, "-12.5min"),
        (math.nan, "-"),
    ],
)
def test_format_duration(seconds, text):
    assert format_duration(seconds) == text


@settings(max_examples=60, deadline=None)
@given(st.floats(min_value=0, max_value=1e7, allow_nan=False))
def test_format_duration_reads_back_close(seconds):
    """What format_duration prints is a valid duration, off by at most half its last digit."""
    shown = format_duration(seconds)
    back = parse(shown, DURATION)
    if seconds < 10:
        half_digit = 0.05
    elif seconds < 120:
        half_digit = 0.5
    elif seconds < 2 * 3600:
        half_digit = 0.05 * 60
    elif seconds < 3 * 86400:
        half_digit = 0.05 * 3600
    else:
        half_digit = 0.05 * 86400
    assert abs(back - seconds) <= half_digit * (1 + 1e-9)
