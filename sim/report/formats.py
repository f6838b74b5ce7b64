"""Numbers and commands as every report writes them (terminal, HTML, compare, sweep, history, sensitivity).

One spelling each: a percent never reads 0% or 100% for a rare event, an interval carries one percent sign,
a time is said as a trainer says it, and an override is written so that ``--set`` reads it back the same.
"""

from __future__ import annotations

import json
import shlex

from sim.analysis import Metric, Proportion, Summary
from sim.numbers import is_nan
from sim.scenario.quantities import format_duration


def format_percent(p: float) -> str:
    """``30.8%``; two decimals near 0 and 1 so that a rare event never reads as 0% or 100%."""
    if is_nan(p):
        return "-"
    if p in (0.0, 1.0):
        return f"{100 * p:.0f}%"
    if p < 0.01 or p > 0.99:
        return f"{100 * p:.2f}%"
    return f"{100 * p:.1f}%"


def format_interval(lo: float, hi: float) -> str:
    """``25.5–36.6%``: the 95% interval with one percent sign."""
    if is_nan(lo) or is_nan(hi):
        return "-"
    return f"{format_percent(lo).rstrip('%')}–{format_percent(hi)}"


def format_value(metric: Metric, x: float) -> str:
    """A metric's value: seconds as a trainer says them (3.2h, 12.5min), counts as plain numbers."""
    return format_amount(x, metric.is_time)


def format_amount(x: float, is_time: bool) -> str:
    if is_nan(x):
        return "-"
    return format_duration(x) if is_time else f"{x:.2f}".rstrip("0").rstrip(".")


def format_proportion(p: Proportion) -> str:
    """``30.8% (25.5–36.6)``: p and its interval in one cell, narrow enough for four columns in 80."""
    return "-" if not p.n else f"{format_percent(p.p)} ({format_interval(*p.ci95).rstrip('%')})"


def reproduce_command(summary: Summary) -> str:
    """The exact ``sim run`` line that gives these numbers again (same file, runs, seed, overrides)."""
    s, r = summary.scenario, summary.run
    words = ["sim", "run", s.file or "SCENARIO", "--runs", str(r.runs), "--seed", str(r.seed)]
    for path, value in s.overrides.items():
        words += ["--set", f"{path}={override_text(value)}"]
    return " ".join(shlex.quote(w) for w in words)


def override_text(value) -> str:
    """An override's value as ``--set`` reads it back the same (plain if it survives, else JSON = YAML flow)."""
    if isinstance(value, str):
        from sim.scenario.loader import ScenarioError, parse_yaml

        try:
            if parse_yaml(value, "--set")[0] == value:
                return value
        except ScenarioError:
            pass
    return json.dumps(value, ensure_ascii=False)
