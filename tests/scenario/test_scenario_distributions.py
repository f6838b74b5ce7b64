"""Distributions: each family inline and as a mapping, sampled against exact and closed-form values.

Sample checks use a fixed seed and a tolerance of 5 standard errors of the estimate, derived from
the sample size: sd/sqrt(n) for a mean, sqrt(q(1-q)/n) for the share of draws under a quantile.
The closed forms are computed here, independently of the code under test.
"""

from __future__ import annotations

import math

import numpy as np
import pytest

from sim.scenario.distributions import (
    Choice,
    DistributionError,
    Exponential,
    Fixed,
    LogNormal,
    Normal,
    Triangular,
    Uniform,
    parse_distribution,
)
from sim.scenario.quantities import ANGLE, DISTANCE, DURATION, FRACTION, SPEED

N = 200_000
Z = 5.0  # standard errors allowed
MIN, H = 60.0, 3600.0


def draw(dist, seed=20170429, n=N):
    x = dist.sample(np.random.default_rng(seed), n)
    assert isinstance(x, np.ndarray) and x.shape == (n,) and x.dtype == float
    return x


def assert_mean(x, mean, sd):
    se = sd / math.sqrt(len(x))
    assert abs(x.mean() - mean) < Z * se, (x.mean(), mean, se)


def assert_quantiles(x, dist, qs=(0.1, 0.25, 0.5, 0.75, 0.9, 0.99)):
    """The share of draws at or under the exact quantile q is q, within 5 binomial standard errors."""
    for q in qs:
        share = float(np.mean(x <= dist.quantile(q)))
        assert abs(share - q) < Z * math.sqrt(q * (1 - q) / len(x)), (q, share)


def phi(x):
    return math.exp(-x * x / 2) / math.sqrt(2 * math.pi)


def Phi(x):
    return 0.5 * math.erfc(-x / math.sqrt(2))


# ---------------------------------------------------------------- fixed


@pytest.mark.parametrize("value", ["5min", "fixed(5min)", "fixed(value=5min)", {"dist": "fixed", "value": "5min"}])
def test_fixed(value):
    d = parse_distribution(value, DURATION)
    assert d == Fixed(DURATION, 300.0)
    assert d.is_fixed and d.mean() == 300.0 and d.quantile(0.9) == 300.0
    assert np.all(draw(d, n=100) == 300.0)
    assert str(d) == "5min"


def test_fixed_fraction_accepts_a_bare_number():
    d = parse_distribution(0.7, FRACTION)
    assert d == Fixed(FRACTION, 0.7) and str(d) == "0.7"


def test_samples_have_the_requested_shape_and_are_reproducible():
    d = parse_distribution("lognormal(median=20min, p90=1h)", DURATION)
    a = d.sample(np.random.default_rng(7), (3, 4))
    b = d.sample(np.random.default_rng(7), (3, 4))
    assert a.shape == (3, 4) and np.array_equal(a, b)
    assert not np.array_equal(a, d.sample(np.random.default_rng(8), (3, 4)))


# ---------------------------------------------------------------- uniform


@pytest.mark.parametrize(
    "value",
    [
        "uniform(10min, 30min)",
        "uniform(low=10min, high=30min)",
        "uniform(min=10min, max=30min)",
        "uniform(10min, high=30min)",
        {"dist": "uniform", "low": "10min", "high": "30min"},
        {"dist": "uniform", "min": "10min", "max": "30min"},
    ],
)
def test_uniform_forms(value):
    assert parse_distribution(value, DURATION) == Uniform(DURATION, 600.0, 1800.0)


def test_uniform_moments():
    a, b = 600.0, 1800.0
    d = parse_distribution("uniform(10min, 30min)", DURATION)
    assert d.mean() == (a + b) / 2 == 1200.0
    assert d.quantile(0.25) == a + 0.25 * (b - a)
    x = draw(d)
    assert x.min() >= a and x.max() <= b
    assert_mean(x, (a + b) / 2, (b - a) / math.sqrt(12))
    assert_quantiles(x, d)


def test_uniform_fraction():
    d = parse_distribution("uniform(0.6, 0.8)", FRACTION)
    assert d == Uniform(FRACTION, 0.6, 0.8)
    x = draw(d)
    assert_mean(x, 0.7, 0.2 / math.sqrt(12))


# ---------------------------------------------------------------- triangular


@pytest.mark.parametrize(
    "value",
    [
        "triangular(1h, 4h, 12h)",
        "triangular(1h, mode=4h, high=12h)",
        "triangular(low=1h, mode=4h, high=12h)",
        {"dist": "triangular", "low": "1h", "mode": "4h", "high": "12h"},
    ],
)
def test_triangular_forms(value):
    assert parse_distribution(value, DURATION) == Triangular(DURATION, H, 4 * H, 12 * H)


@pytest.mark.parametrize(
    "value",
    ["triangular(min=1h, mode=4h, max=12h)", {"dist": "triangular", "min": "1h", "mode": "4h", "max": "12h"}],
)
def test_triangular_by_its_own_parameter_names(value):
    assert parse_distribution(value, DURATION) == Triangular(DURATION, H, 4 * H, 12 * H)


def test_triangular_moments_against_closed_forms():
    a, c, b = 1 * H, 4 * H, 12 * H
    d = parse_distribution("triangular(1h, 4h, 12h)", DURATION)
    mean = (a + b + c) / 3
    sd = math.sqrt((a * a + b * b + c * c - a * b - a * c - b * c) / 18)
    assert d.mean() == pytest.approx(mean, rel=1e-12)
    assert d.mean() == pytest.approx(17 / 3 * H)
    # F(c) = (c-a)/(b-a) = 3/11 < 1/2, so the median is on the right branch.
    median = b - math.sqrt((b - a) * (b - c) / 2)
    assert d.quantile(0.5) == pytest.approx(median, rel=1e-12)
    # The mode is the quantile of F(c) from both branches.
    assert d.quantile(3 / 11) == pytest.approx(c, rel=1e-9)
    x = draw(d)
    assert x.min() >= a and x.max() <= b
    assert_mean(x, mean, sd)
    assert_quantiles(x, d)


def test_triangular_with_mode_at_an_end():
    d = parse_distribution("triangular(0.5, 0.5, 0.8)", FRACTION)
    x = draw(d)
    assert_mean(x, 1.8 / 3, math.sqrt((0.25 + 0.64 + 0.25 - 0.4 - 0.25 - 0.4) / 18))
    assert_quantiles(x, d)


# ---------------------------------------------------------------- normal


@pytest.mark.parametrize(
    "value",
    [
        "normal(30min, 5min)",
        "normal(mean=30min, sd=5min)",
        "normal(mean=30min, std=5min)",
        "normal(mean=30min, sigma=5min)",
        {"dist": "normal", "mean": "30min", "sd": "5min"},
    ],
)
def test_normal_forms(value):
    assert parse_distribution(value, DURATION) == Normal(DURATION, 1800.0, 300.0)


def test_normal_duration_is_truncated_at_zero():
    """normal(mean=10min, sd=10min) for a duration: the mean is that of a normal truncated at 0."""
    mu, s = 600.0, 600.0
    d = parse_distribution("normal(mean=10min, sd=10min)", DURATION)
    alpha = (0 - mu) / s
    lam = phi(alpha) / (1 - Phi(alpha))
    mean = mu + s * lam
    sd = s * math.sqrt(1 + alpha * lam - lam * lam)
    assert mean == pytest.approx(772.5, abs=0.1)  # 600 + 600 * 0.24197 / 0.84134
    assert d.mean() == pytest.approx(mean, rel=1e-9)
    # Quantile of the truncated law: F(x) = (Phi((x-mu)/s) - Phi(alpha)) / (1 - Phi(alpha)).
    for q in (0.1, 0.5, 0.9):
        xq = d.quantile(q)
        assert (Phi((xq - mu) / s) - Phi(alpha)) / (1 - Phi(alpha)) == pytest.approx(q, abs=1e-9)
    x = draw(d)
    assert x.min() >= 0.0
    assert_mean(x, mean, sd)
    assert_quantiles(x, d)


def test_normal_fraction_is_truncated_to_zero_one():
    mu, s = 0.8, 0.2
    d = parse_distribution("normal(mean=0.8, sd=0.2)", FRACTION)
    a, b = (0 - mu) / s, (1 - mu) / s
    mass = Phi(b) - Phi(a)
    mean = mu + s * (phi(a) - phi(b)) / mass
    var = s * s * (1 + (a * phi(a) - b * phi(b)) / mass - ((phi(a) - phi(b)) / mass) ** 2)
    assert d.mean() == pytest.approx(mean, rel=1e-9)
    x = draw(d)
    assert x.min() >= 0.0 and x.max() <= 1.0
    assert_mean(x, mean, math.sqrt(var))
    assert_quantiles(x, d)


def test_normal_angle_is_not_truncated():
    d = parse_distribution("normal(mean=-22, sd=5)", ANGLE)
    assert d.mean() == pytest.approx(-22.0, abs=1e-12)
    assert d.quantile(0.5) == pytest.approx(-22.0, abs=1e-9)
    assert d.quantile(0.9) == pytest.approx(-22.0 + 5 * 1.2815515655446004, abs=1e-9)
    x = draw(d)
    assert_mean(x, -22.0, 5.0)
    assert_quantiles(x, d)


# ---------------------------------------------------------------- lognormal


@pytest.mark.parametrize(
    "value",
    [
        "lognormal(median=20min, p90=1h)",
        "lognormal(20min, 1h)",
        {"dist": "lognormal", "median": "20min", "p90": "1h"},
    ],
)
def test_lognormal_by_median_and_p90(value):
    d = parse_distribution(value, DURATION)
    assert isinstance(d, LogNormal)
    assert d.quantile(0.5) == pytest.approx(1200.0, rel=1e-12)
    assert d.quantile(0.9) == pytest.approx(3600.0, rel=1e-9)
    assert str(d) == "lognormal(median=20min, p90=1h)"


def test_lognormal_median_p90_moments_against_closed_forms():
    d = parse_distribution("lognormal(median=20min, p90=1h)", DURATION)
    sigma = math.log(3600 / 1200) / 1.2815515655446004  # z of the 90th percentile
    mean = 1200 * math.exp(sigma**2 / 2)
    sd = mean * math.sqrt(math.exp(sigma**2) - 1)
    assert d.mean() == pytest.approx(mean, rel=1e-12)
    x = draw(d)
    assert x.min() > 0
    assert_mean(x, mean, sd)
    assert_quantiles(x, d)
    # The defining quantiles, straight from the sample.
    assert abs(np.mean(x <= 1200.0) - 0.5) < Z * math.sqrt(0.25 / N)
    assert abs(np.mean(x <= 3600.0) - 0.9) < Z * math.sqrt(0.09 / N)


@pytest.mark.parametrize(
    "value", ["lognormal(mean=30min, sd=10min)", {"dist": "lognormal", "mean": "30min", "sd": "10min"}]
)
def test_lognormal_by_mean_and_sd(value):
    d = parse_distribution(value, DURATION)
    assert d.mean() == pytest.approx(1800.0, rel=1e-12)
    sigma2 = math.log(1 + (600 / 1800) ** 2)
    assert d.quantile(0.5) == pytest.approx(1800 * math.exp(-sigma2 / 2), rel=1e-9)
    x = draw(d)
    assert_mean(x, 1800.0, 600.0)
    assert x.std() == pytest.approx(600.0, rel=0.02)
    assert_quantiles(x, d)


# ---------------------------------------------------------------- exponential


@pytest.mark.parametrize(
    "value", ["exponential(20min)", "exponential(mean=20min)", {"dist": "exponential", "mean": "20min"}]
)
def test_exponential(value):
    d = parse_distribution(value, DURATION)
    assert d == Exponential(DURATION, 1200.0)
    assert d.mean() == 1200.0
    assert d.quantile(0.5) == pytest.approx(1200 * math.log(2), rel=1e-12)
    assert d.quantile(0.9) == pytest.approx(1200 * math.log(10), rel=1e-12)
    x = draw(d)
    assert_mean(x, 1200.0, 1200.0)
    assert_quantiles(x, d)


# ---------------------------------------------------------------- choice


@pytest.mark.parametrize(
    "value",
    [
        "choice(10min: 1, 20min: 3)",
        "choice(10min:1, 20min:3)",
        {"dist": "choice", "values": ["10min", "20min"], "weights": [1, 3]},
        {"dist": "choice", "values": ["10min", "20min"], "weights": [0.25, 0.75]},
    ],
)
def test_choice_with_weights(value):
    d = parse_distribution(value, DURATION)
    assert d == Choice(DURATION, (600.0, 1200.0), (0.25, 0.75))
    assert d.mean() == pytest.approx(0.25 * 600 + 0.75 * 1200)
    assert d.quantile(0.2) == 600.0 and d.quantile(0.25) == 600.0 and d.quantile(0.3) == 1200.0
    x = draw(d)
    assert set(np.unique(x)) == {600.0, 1200.0}
    share = float(np.mean(x == 600.0))
    assert abs(share - 0.25) < Z * math.sqrt(0.25 * 0.75 / N)
    assert_mean(x, 1050.0, math.sqrt(0.25 * 0.75) * 600)


@pytest.mark.parametrize(
    "value", ["choice(10min, 20min, 30min)", {"dist": "choice", "values": ["10min", "20min", "30min"]}]
)
def test_choice_equal_weights(value):
    d = parse_distribution(value, DURATION)
    assert d.weights == pytest.approx((1 / 3, 1 / 3, 1 / 3))
    assert d.mean() == pytest.approx(1200.0)
    assert d.quantile(0.5) == 1200.0


def test_choice_of_fractions():
    d = parse_distribution({"dist": "choice", "values": [0.5, 0.9]}, FRACTION)
    x = draw(d)
    assert_mean(x, 0.7, 0.2)


# ---------------------------------------------------------------- other kinds


def test_speed_and_distance_distributions():
    d = parse_distribution("uniform(5m/s, 15m/s)", SPEED)
    assert d == Uniform(SPEED, 0.005, 0.015)
    assert parse_distribution("triangular(1km, 2km, 5km)", DISTANCE).mean() == pytest.approx(8 / 3)


@pytest.mark.parametrize(
    "text",
    [
        "5min",
        "uniform(10min, 30min)",
        "triangular(1h, 4h, 12h)",
        "normal(mean=30min, sd=5min)",
        "exponential(mean=20min)",
    ],
)
def test_str_reads_back_to_the_same_distribution(text):
    d = parse_distribution(text, DURATION)
    assert parse_distribution(str(d), DURATION) == d


def test_lognormal_str_reads_back_close():
    d = parse_distribution("lognormal(mean=30min, sd=10min)", DURATION)
    again = parse_distribution(str(d), DURATION)
    assert again.mean() == pytest.approx(d.mean(), rel=1e-5)


# ---------------------------------------------------------------- bad parameters


@pytest.mark.parametrize(
    "value, kind, message",
    [
        ("-5min", DURATION, "value must not be negative (got -5min)"),
        ("fixed(-5min)", DURATION, "value must not be negative (got -5min)"),
        ("uniform(-5min, 5min)", DURATION, "low must not be negative (got -5min)"),
        ("triangular(-1h, 1h, 2h)", DURATION, "min must not be negative (got -1h)"),
        ("uniform(30min, 10min)", DURATION, "uniform needs low < high (got 30min, 10min)"),
        ("uniform(10min, 10min)", DURATION, "uniform needs low < high (got 10min, 10min)"),
        ("triangular(1h, 5h, 4h)", DURATION, "triangular needs min <= mode <= max with min < max"),
        ("lognormal(median=1h, p90=20min)", DURATION, "lognormal needs 0 < median < p90"),
        ("lognormal(median=1h, p90=1h)", DURATION, "lognormal needs 0 < median < p90"),
        ("lognormal(median=0s, p90=1h)", DURATION, "lognormal needs 0 < median < p90"),
        ("lognormal(mean=0s, sd=1h)", DURATION, "lognormal mean and sd must be positive"),
        ("exponential(mean=0s)", DURATION, "exponential mean must be positive"),
        ("normal(mean=30min, sd=-5min)", DURATION, "normal sd must not be negative"),
        (
            "normal(mean=-1h, sd=10min)",
            DURATION,
            "normal(mean=-3600, sd=600) puts under 1% of its mass where a duration can lie",
        ),
        ("uniform(0.6, 1.2)", FRACTION, "high must be at most 1 (got 1.2)"),
        (
            "lognormal(median=0.2, p90=0.5)",
            FRACTION,
            "lognormal is unbounded; a fraction must stay in [0, 1]: use uniform, triangular or normal",
        ),
        (
            "exponential(0.2)",
            FRACTION,
            "exponential is unbounded; a fraction must stay in [0, 1]: use uniform, triangular or normal",
        ),
        ("uniform(10min, 30min, 50min)", DURATION, "uniform takes 2 values (low, high), got 3"),
        (
            "uniform(low=10min, 30min)",
            DURATION,
            "in 'uniform(low=10min, 30min)', a positional argument follows a named one",
        ),
        ("uniform(10min)", DURATION, "uniform needs low, high; e.g. uniform(10min, 30min)"),
        ("exponential()", DURATION, "exponential needs mean; e.g. exponential(mean=20min)"),
        ("lognormal(median=20min)", DURATION, "lognormal needs median, p90; e.g. lognormal(median=20min, p90=1h)"),
        ("lognormal(mean=20min)", DURATION, "lognormal needs mean, sd; e.g. lognormal(median=20min, p90=1h)"),
        (
            "exponential(mean=20min, scale=3)",
            DURATION,
            "exponential does not take 'scale'; e.g. exponential(mean=20min)",
        ),
        (
            "uniform(10, 30min)",
            DURATION,
            "uniform low: '10' needs a unit: write a duration like 90s, 20min, 4h or 1h30min",
        ),
        (
            "normal(mean=30min, sd=5)",
            DURATION,
            "normal sd: '5' needs a unit: write a duration like 90s, 20min, 4h or 1h30min",
        ),
        (
            {"dist": "normal", "mean": "30min", "sd": 5},
            DURATION,
            "normal sd: a bare number needs a unit: write a duration like 90s, 20min, 4h or 1h30min",
        ),
        (
            "lognorml(median=20min, p90=1h)",
            DURATION,
            "unknown distribution 'lognorml' (did you mean lognormal?); use one of fixed, uniform, triangular, normal, lognormal, exponential, choice, empirical",
        ),
        (
            "gauss(1h, 2h)",
            DURATION,
            "unknown distribution 'gauss'; use one of fixed, uniform, triangular, normal, lognormal, exponential, choice, empirical",
        ),
        ("choice(10min: 1, 20min)", DURATION, "choice: give a weight for every value or for none"),
        (
            "choice(10min: 0, 20min: 0)",
            DURATION,
            "choice: weights must be non-negative finite numbers with a positive sum",
        ),
        ("choice(10, 20min)", DURATION, "'10' needs a unit: write a duration like 90s, 20min, 4h or 1h30min"),
        (
            {"dist": "choice", "values": [10, "20min"]},
            DURATION,
            "a bare number needs a unit: write a duration like 90s, 20min, 4h or 1h30min",
        ),
        ("choice(-10min, 20min)", DURATION, "value must not be negative (got -10min)"),
        (
            20,
            DURATION,
            "a bare number needs a unit: write a duration like 90s, 20min, 4h or 1h30min; "
            "or a distribution such as lognormal(median=20min, p90=1h)",
        ),
        (
            "soon",
            DURATION,
            "cannot read 'soon' as a duration; write it like 90s, 20min, 4h or 1h30min; "
            "or a distribution such as lognormal(median=20min, p90=1h)",
        ),
        (1.5, FRACTION, "value must be at most 1 (got 1.5)"),
        (
            {"median": "20min", "p90": "1h"},
            DURATION,
            "a distribution mapping needs 'dist' (one of fixed, uniform, triangular, normal, lognormal, exponential, choice, empirical)",
        ),
        (
            {"dist": "lognorml", "median": "20min", "p90": "1h"},
            DURATION,
            "unknown distribution 'lognorml' (did you mean lognormal?); use one of fixed, uniform, triangular, normal, lognormal, exponential, choice, empirical",
        ),
        ({"dist": "choice", "values": []}, DURATION, "choice needs 'values': a list of values"),
        (
            {"dist": "choice", "values": ["1min"], "weight": [1]},
            DURATION,
            "choice takes 'values' and 'weights', not weight",
        ),
        ({"dist": "choice", "values": ["1min", "2min"], "weights": [1]}, DURATION, "choice: as many weights as values"),
        (
            {"dist": "choice", "values": ["1min", "2min"], "weights": [1, -1]},
            DURATION,
            "choice: weights must be non-negative finite numbers with a positive sum",
        ),
    ],
)
def test_bad_parameters_have_clear_messages(value, kind, message):
    with pytest.raises(DistributionError) as info:
        parse_distribution(value, kind)
    assert str(info.value) == message


def test_choice_weights_not_a_list():
    with pytest.raises(DistributionError):
        parse_distribution({"dist": "choice", "values": ["1min", "2min"], "weights": 3}, DURATION)


def test_choice_inline_weight_not_a_number():
    with pytest.raises(DistributionError, match="weight"):
        parse_distribution("choice(1min: abc, 2min: 1)", DURATION)


def test_misspelt_parameter_is_named_with_did_you_mean():
    with pytest.raises(DistributionError) as info:
        parse_distribution({"dist": "uniform", "low": "1min", "hihg": "2min"}, DURATION)
    assert "hihg" in str(info.value) and "high" in str(info.value)
