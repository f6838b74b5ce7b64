"""Synthetic runs for the report tests: plausible outcome columns, made here, not by the engine.

The reports must be testable while the engine is still being written, and their tests must not
move when the engine's model changes; so the numbers come from a small generator with a fixed seed.
"""

from __future__ import annotations

import numpy as np

from sim.engine.outcome import THREAT_FIELDS, Outcomes
from sim.results import RunInfo, RunResult, TraceEvent
from sim.scenario.loader import load_text

SCENARIO = """
name: Synthetic stray missile
seed: 7
runs: 200
horizon: 2d
sites:
  battery_east: "43.30,132.20"
alert_levels:
  - {name: constant, authority: general_staff}
  - {name: heightened, authority: district_hq}
  - {name: full, authority: division_cp}
command:
  posts:
    - {name: general_staff}
    - {name: district_hq, parent: general_staff}
    - {name: division_cp, parent: district_hq}
units:
  - name: s400_vladivostok
    post: division_cp
    site: vladivostok
    interceptors: {loaded: 16}
    crew: {on_station: 24}
  - name: s400_east
    post: division_cp
    site: battery_east
    interceptors: {loaded: 8}
    crew: {on_station: 20}
    envelope: {max_range: 40km}
threats:
  - name: failed_test
    launch: {site: pukchang, at: 0s}
    azimuth: 60
    range: 500km
    failure: {early_explosion: 1.0}
  - name: stray
    launch: {site: sinpo, at: 6h}
    azimuth: 62
    range: 470km
    failure: {guidance_fault: 0.4}
"""

THREATS = ("failed_test", "stray")
UNITS = ("s400_vladivostok", "s400_east")
LEVELS = ("constant", "heightened", "full")
POSTS = ("general_staff", "district_hq", "division_cp")
TERRITORIES = ("SEA", "CHN", "JPN", "KOR", "MNG", "PRK", "RUS")


def loaded_scenario(overrides=("threats.1.failure.guidance_fault=0.3",)):
    return load_text(SCENARIO, "tests/synthetic.yaml", overrides)


def synthetic_outcomes(runs: int, seed: int = 1) -> Outcomes:
    """Two threats: a failed test that never threatens, and a stray that does about a third of the time."""
    rng = np.random.default_rng(seed)
    shape = (runs, len(THREATS))
    c = {f: np.full(shape, np.nan) for f in THREAT_FIELDS}
    c["launch"] = np.stack([np.zeros(runs), rng.uniform(4 * 3600, 20 * 3600, runs)], axis=1)
    threatened = np.zeros(shape, bool)
    threatened[:, 1] = rng.random(runs) < 0.35
    seen = rng.random(shape) < np.array([0.3, 0.95])
    c["visible"] = np.where(seen, c["launch"] + rng.uniform(30, 90, shape), np.nan)
    t = c["visible"]
    for name, median in (
        ("detect", 40),
        ("track", 20),
        ("classify", 20),
        ("pip", 45),
        ("report", 90),
        ("decision", 200),
    ):
        t = t + rng.lognormal(np.log(median), 0.6, shape)
        c[name] = t
    c["impact"] = c["launch"] + np.where(np.arange(2) == 0, 70.0, 480.0)
    c["window_open"] = np.where(threatened, c["impact"] - 240, np.nan)
    c["window_close"] = np.where(threatened, c["impact"] - 60, np.nan)
    predicted_own = threatened ^ (rng.random(shape) < 0.03)
    detected = np.isfinite(c["detect"]) & (c["detect"] < c["impact"])
    decided = detected & predicted_own & (c["decision"] < c["impact"])
    for name in ("track", "classify", "pip", "report"):
        c[name] = np.where(detected, c[name], np.nan)
    c["decision"] = np.where(decided, c["decision"], np.nan)
    c["order"] = np.where(decided, c["decision"] + rng.lognormal(np.log(30), 0.5, shape), np.nan)
    c["ready"] = np.where(decided, c["order"] + rng.uniform(20, 40, shape), np.nan)
    c["latest_decision"] = c["window_close"] - (c["ready"] - c["decision"])  # too late exactly below 0 margin
    too_late = decided & (c["latest_decision"] < c["decision"])
    engaged = decided & ~too_late
    c["fire"] = np.where(engaged, c["ready"] + rng.uniform(0, 20, shape), np.nan)
    intercepted = engaged & (rng.random(shape) < 0.91)
    c["intercept"] = np.where(intercepted, c["fire"] + 40, np.nan)
    flags = dict(
        threatened=threatened,
        predicted_own=predicted_own,
        detected=detected,
        decided=decided,
        too_late=too_late,
        engaged=engaged,
        intercepted=intercepted,
        leaked=threatened & ~intercepted,
        needless=engaged & ~threatened,
    )
    for k, v in flags.items():
        c[k] = v.astype(float)
    c["interceptors_used"] = np.where(engaged, 2.0, 0.0)
    near = rng.normal(size=(2,) + shape)
    c["impact_lat"] = np.where(
        threatened, 43.1 + 0.3 * near[0], np.where(np.arange(2) == 0, 39.7, 41.5) + 0.8 * near[0]
    )
    c["impact_lon"] = np.where(
        threatened, 131.9 + 0.4 * near[1], np.where(np.arange(2) == 0, 126.3, 133.0) + 0.8 * near[1]
    )
    c["territory"] = np.where(
        threatened, TERRITORIES.index("RUS"), np.where(np.arange(2) == 0, TERRITORIES.index("PRK"), 0)
    ).astype(float)
    c["failure"] = np.where(np.arange(2) == 0, 1.0, np.where(threatened, 2.0, 0.0))
    c["unit"] = np.where(engaged, rng.integers(0, 2, shape), -1).astype(float)
    went_up = decided | (threatened & np.isfinite(c["report"]) & predicted_own)  # undecided: the post awaited
    c["authority"] = np.where(went_up, rng.integers(0, 3, shape), -1).astype(float)
    readiness = np.full((runs, len(UNITS), len(LEVELS)), np.nan)
    readiness[:, :, 0] = 0.0
    reached = rng.random((runs, len(UNITS))) < 0.9
    readiness[:, :, 1] = np.where(reached, rng.lognormal(np.log(5 * 3600), 0.4, (runs, len(UNITS))), np.nan)
    return Outcomes.from_columns(THREATS, UNITS, LEVELS, POSTS, TERRITORIES, c, readiness)


def synthetic_result(runs: int = 200, seed: int = 1, partial: bool = False, requested: int | None = None) -> RunResult:
    info = RunInfo(
        runs=runs,
        requested_runs=requested or runs,
        seed=7,
        version="0.1.0",
        block_size=50,
        workers=2,
        executor="local",
        wall_s=3.25,
        partial=partial,
    )
    trace = [
        TraceEvent(0.0, "failed_test", "launch", "from pukchang"),
        TraceEvent(52.0, "failed_test", "exploded", "debris 40 km from the pad"),
        TraceEvent(4 * 3600 + 17.4, "general_staff", "alert order", "heightened, to district_hq"),
    ]
    return RunResult(loaded_scenario(), info, synthetic_outcomes(runs, seed), trace)


def counted_result(runs: int = 300, threatened: int = 263, intercepted: int = 81) -> RunResult:
    """One threat with exact counts: `threatened` rows came down on own soil, `intercepted` of them killed."""
    o = synthetic_outcomes(runs, seed=3)
    one = {f: o.threats[f][:, 1:2].astype(float) for f in THREAT_FIELDS}
    flags = (
        "threatened",
        "predicted_own",
        "detected",
        "decided",
        "too_late",
        "engaged",
        "intercepted",
        "leaked",
        "needless",
    )
    for f in flags:
        one[f][:] = 0.0
    hit = np.arange(runs) < threatened
    killed = np.arange(runs) < intercepted
    for f in ("threatened", "predicted_own", "detected", "decided"):
        one[f][hit, 0] = 1.0
    one["engaged"][killed, 0] = 1.0
    one["intercepted"][killed, 0] = 1.0
    one["leaked"][hit & ~killed, 0] = 1.0
    outcomes = Outcomes.from_columns(
        ("stray",), o.unit_names, o.level_names, o.post_names, o.territories, one, o.readiness
    )
    info = RunInfo(
        runs=runs, requested_runs=runs, seed=7, version="0.1.0", block_size=50, workers=1, executor="local", wall_s=1.0
    )
    return RunResult(loaded_scenario(overrides=()), info, outcomes)
