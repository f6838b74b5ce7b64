"""The engine against closed-form results: the "Engine" rows of docs/validation.md.

Each row runs the real engine (fixed seed) on a small scenario where theory gives the answer:
salvo and shoot-look-shoot kill probabilities, Erlang C for fire-channel contention, the mean of
a chain of exponential delays, and exact times when every delay is fixed. The tolerance is four
standard errors of the estimate, derived from the number of samples.

``python -m sim.engine.validation`` rewrites the section; a test regenerates it and compares.
"""

from __future__ import annotations

import copy
import math
from types import SimpleNamespace

import numpy as np
import simpy
import yaml

from sim.engine.authority import staffed_decision
from sim.engine.fire_units import Engagement, engage, expected_channel_wait
from sim.engine.outcome import ThreatRecord
from sim.engine.trace import Trace
from sim.scenario.loader import load_text
from sim.scenario.model import RulesOfEngagement
from sim.world.queueing import erlang_c
from tools.engine_checks_sensing import early_warning_row
from tools.validation_world import ENGINE_HEADING

# One battery at Vladivostok, one missile from Sinpo, three posts: the base of every check.
BASE = {
    "name": "engine check",
    "seed": 7,
    "runs": 50,
    "horizon": "2d",
    "alert_levels": [
        {"name": "constant", "authority": "top", "detection_latency": "30s", "reaction_time": "60s"},
        {
            "name": "heightened",
            "authority": "middle",
            "detection_latency": "10s",
            "reaction_time": "20s",
            "crew_on_station": 1.0,
            "interceptors_loaded": 1.0,
            "systems_checked": True,
        },
    ],
    "command": {
        "posts": [
            {"name": "top", "decision_time": "300s"},
            {"name": "middle", "parent": "top", "link_delay": "40s", "decision_time": "60s"},
            {"name": "bottom", "parent": "middle", "link_delay": "15s", "decision_time": "10s"},
        ]
    },
    "units": [
        {
            "name": "battery",
            "post": "bottom",
            "site": "vladivostok",
            "interceptors": {"loaded": 16, "kill_probability": 0.7},
            "crew": {"on_station": 10},
        }
    ],
    "threats": [
        {
            "name": "m1",
            "launch": {"site": "sinpo", "at": "100s"},
            "toward": "vladivostok",
            "range": "460km",
        }
    ],
    "tracking": {"track_time": "20s", "classify_time": "20s", "engage_probability": 0.5},
}

# A radar so strong that every look in its coverage detects: the checks below test the chain, not the chance
# of detection (which has its own rows).
SURE_RADAR = {"units.0.radar": {"range": "1000000km"}}

# No delays at all: only the physics and the fire units decide.
NO_DELAYS = {
    **SURE_RADAR,
    "alert_levels.0.authority": "bottom",
    "alert_levels.0.detection_latency": "0s",
    "alert_levels.0.reaction_time": "0s",
    "command.posts.2.decision_time": "0s",
    "tracking.track_time": "0s",
    "tracking.classify_time": "0s",
    "rules_of_engagement": {"engage": "any", "doctrine": "salvo", "salvo": 1},
}


def variant(changes: dict | None = None):
    """The base scenario with ``{"dotted.path": value}`` changes, loaded like a file."""
    data = copy.deepcopy(BASE)
    for path, value in (changes or {}).items():
        keys = [int(k) if k.isdigit() else k for k in path.split(".")]
        node = data
        for k in keys[:-1]:
            node = node[k]
        node[keys[-1]] = copy.deepcopy(value)  # a value taken from BASE must never let a change reach BASE
    return load_text(yaml.safe_dump(data, sort_keys=False), "<engine check>")


def channel_queue(rate_per_s: float, service_s: float, channels: int, n: int, seed: int = 2017):
    """Poisson threats queueing for a battery's fire channels through the engine's ``engage``.

    Returns the waits (s) and the standard errors of their mean and of P(wait) by batch means
    (waits in a queue are correlated, so the naive sd/sqrt(n) would be too small).
    """
    rng = np.random.default_rng(seed)
    arrivals = np.cumsum(rng.exponential(1 / rate_per_s, n)).tolist()
    services = rng.exponential(service_s, n).tolist()
    env = simpy.Environment()
    stock = simpy.Container(env, capacity=10 * n, init=10 * n)
    battery = SimpleNamespace(unit=SimpleNamespace(name="battery"), interceptors=stock, expend=stock.get)
    fire_channels = simpy.Resource(env, capacity=channels)
    roe = RulesOfEngagement(doctrine="salvo", salvo=1)
    records = [ThreatRecord() for _ in range(n)]

    def threat(k):
        yield env.timeout(arrivals[k] - env.now)
        e = Engagement(
            threat=f"t{k}",
            window_open=0.0,
            window_close=math.inf,
            intercept_time=lambda t, k=k: t + services[k],
            kill_probability=1.0,
            shots=[0.0],
            assessments=[0.0],
        )
        yield from engage(env, battery, fire_channels, e, roe, records[k], Trace(False))

    for k in range(n):
        env.process(threat(k))
    env.run()
    waits = np.array([r.fire for r in records]) - np.array(arrivals)
    batches = waits[: (n // 1000) * 1000].reshape(-1, 1000)
    se_mean = batches.mean(axis=1).std(ddof=1) / math.sqrt(len(batches))
    se_p = (batches > 0).mean(axis=1).std(ddof=1) / math.sqrt(len(batches))
    return waits, se_mean, se_p, records


def decision_queue(rate_per_s: float, service_s: float, staff: int, n: int, seed: int = 2017):
    """Poisson reports queueing for a post's duty officers through the engine's ``staffed_decision``.

    Returns the waits (s) and the batch-means standard errors of their mean and of P(wait).
    """
    rng = np.random.default_rng(seed)
    arrivals = np.cumsum(rng.exponential(1 / rate_per_s, n)).tolist()
    services = rng.exponential(service_s, n).tolist()
    env = simpy.Environment()
    officers = simpy.Resource(env, capacity=staff)
    started = [math.nan] * n

    def report(k):
        yield env.timeout(arrivals[k] - env.now)
        decided = yield from staffed_decision(env, officers, services[k], math.inf)
        assert decided
        started[k] = env.now - services[k]

    for k in range(n):
        env.process(report(k))
    env.run()
    waits = np.array(started) - np.array(arrivals)
    batches = waits[: (n // 1000) * 1000].reshape(-1, 1000)
    se_mean = batches.mean(axis=1).std(ddof=1) / math.sqrt(len(batches))
    se_p = (batches > 1e-6).mean(axis=1).std(ddof=1) / math.sqrt(len(batches))
    return waits, se_mean, se_p


def _column(result, field):
    return result.outcomes.threats[field][:, 0]


def cumulative_detection_row(blocks: int = 20) -> tuple[str, str, float, float, float, str]:
    """The engine's look-by-look detection (its draws, engine.sensing) against 1 - prod(1 - Pd_i) over the
    looks up to 30 s after the horizon is cleared, with a radar whose reach makes single looks uncertain."""
    from sim.engine.draws import BlockDraws
    from sim.engine.flights import BlockFlights
    from sim.engine.plan import compile_plan
    from sim.engine.sensing import ROUTINE
    from sim.world import radar as wr

    loaded = variant({"units.0.radar": {"range": "250km"}})
    plan = compile_plan(loaded.scenario)
    spec = plan.radars[0].routine
    hits, expected = [], []
    for b in range(blocks):
        fl = BlockFlights(plan, BlockDraws(plan.sites, 11, b, 100))
        traj = fl.trajectories[0]
        until = traj.launch_time_s + 200.0
        t = wr.look_times(spec, traj.launch_time_s, 40)
        pd = np.where(t <= until, wr.detection_probability_per_look(traj, spec, t, plan.threat_rcs[0]), 0.0)
        expected.append(wr.cumulative_detection(pd, axis=0))
        hits.append(np.nan_to_num(fl.first_seen[:, 0, 0, ROUTINE], nan=np.inf) <= until)
    p = float(np.mean(np.concatenate(expected)))
    n = 100 * blocks
    return (
        "a radar's looks over the first 200 s of a flight: P(detected)",
        "1 - prod(1 - Pd_i)",
        p,
        float(np.mean(np.concatenate(hits))),
        4 * math.sqrt(p * (1 - p) / n),
        "",
    )


def engine_rows() -> list[tuple[str, str, float, float, float, str]]:
    """(check, formula, expected, simulated, tolerance, unit) for each engine check."""
    from sim.executors import Serial
    from sim.runner import run

    rows = []
    n = 2000
    for salvo in (1, 2):
        r = run(
            variant({**NO_DELAYS, "rules_of_engagement": {"engage": "any", "salvo": salvo}}),
            runs=n,
            seed=1,
            executor=Serial(),
        )
        p = 1 - 0.3**salvo
        rows.append(
            (
                f"salvo of {salvo}, p = 0.7: kill probability",
                "1 - (1 - p)^n",
                p,
                float(_column(r, "intercepted").mean()),
                4 * math.sqrt(p * (1 - p) / n),
                "",
            )
        )
    sls = {
        **NO_DELAYS,
        "rules_of_engagement": {
            "engage": "any",
            "doctrine": "shoot_look_shoot",
            "salvo": 1,
            "max_looks": 2,
            "kill_assessment": "0s",
        },
        "units.0.interceptors.speed": "4km/s",
        "units.0.envelope": {"max_range": "250km", "max_altitude": "200km", "min_altitude": "1km"},
    }
    r = run(variant(sls), runs=n, seed=1, executor=Serial())
    rows.append(
        (
            "shoot-look-shoot, p = 0.7, 2 looks: kill probability",
            "1 - (1 - p)^2",
            0.91,
            float(_column(r, "intercepted").mean()),
            4 * math.sqrt(0.91 * 0.09 / n),
            "",
        )
    )
    rows.append(
        (
            "shoot-look-shoot: interceptors per threat",
            "1 + (1 - p)",
            1.3,
            float(_column(r, "interceptors_used").mean()),
            4 * math.sqrt(0.21 / n),
            "",
        )
    )

    waits, se_mean, se_p, _ = channel_queue(0.5 / 60.0, 180.0, 2, 20_000)
    p_wait, mean_wait = expected_channel_wait(0.5 / 60.0, 180.0, 2)
    rows.append(
        (
            "2 fire channels, 0.5 threats/min, 3 min each: P(wait)",
            "Erlang C",
            p_wait,
            float((waits > 0).mean()),
            4 * se_p,
            "",
        )
    )
    rows.append(
        (
            "same: mean wait for a channel",
            "Erlang C / (c mu - lambda)",
            mean_wait / 60.0,
            float(waits.mean()) / 60.0,
            4 * se_mean / 60.0,
            "min",
        )
    )

    rho = {**NO_DELAYS, "rules_of_engagement": {"engage": "any", "salvo": 2}, "units.0.interceptors.common_mode": 0.5}
    r = run(variant(rho), runs=n, seed=1, executor=Serial())
    p = 0.5 * (1 - 0.3**2)
    rows.append(
        (
            "salvo of 2, p = 0.7, common mode rho = 0.5: kill probability",
            "rho [1 - (1 - p)^n]",
            p,
            float(_column(r, "intercepted").mean()),
            4 * math.sqrt(p * (1 - p) / n),
            "",
        )
    )

    waits, se_mean, se_p = decision_queue(1.0 / 60.0, 90.0, 2, 20_000)
    p_wait, mean_wait = erlang_c(1.0 / 60.0, 90.0, 2)
    rows.append(
        (
            "post with 2 duty officers, 1 report/min, 1.5 min each: P(wait)",
            "Erlang C",
            float(p_wait),
            float((waits > 1e-6).mean()),
            4 * se_p,
            "",
        )
    )
    rows.append(
        (
            "same: mean wait for an officer",
            "Erlang C / (c mu - lambda)",
            float(mean_wait) / 60.0,
            float(waits.mean()) / 60.0,
            4 * se_mean / 60.0,
            "min",
        )
    )

    chain = {
        **SURE_RADAR,
        "command.posts.1.link_delay": "exponential(mean=10s)",
        "command.posts.2.link_delay": "exponential(mean=5s)",
        "command.posts.0.decision_time": "exponential(mean=30s)",
        "rules_of_engagement": {"engage": "any"},
        "threats.0.apogee": "1000km",
    }
    r = run(variant(chain), runs=n, seed=1, executor=Serial())
    took = _column(r, "decision") - _column(r, "pip")
    rows.append(
        (
            "report up 2 links + decision, exponential 10 s, 5 s, 30 s: mean",
            "sum of means",
            45.0,
            float(took.mean()),
            4 * math.sqrt(10**2 + 5**2 + 30**2) / math.sqrt(n),
            "s",
        )
    )

    rows.append(cumulative_detection_row())
    rows.append(early_warning_row())

    fixed = {
        "alert_orders": [{"level": "heightened", "issued_by": "top", "at": "1h"}],
        "units.0.crew": {"on_station": 10, "on_leave": 2, "notify": "10min", "travel": "1h"},
        "units.0.depot": {"interceptors": 16, "trucks": 2, "per_trip": 4, "trip": "1h", "load": "30min"},
        "units.0.checks": {"duration": "2h"},
        "threats": [],
    }
    r = run(variant(fixed), runs=3, seed=1, executor=Serial())
    rows.append(
        (
            "heightened reached: order 1 h + 55 s of links, 4 depot trips of 1.5 h on 2 trucks",
            "last requirement to hold",
            (3655.0 + 3 * 3600.0) / 3600.0,
            float(r.outcomes.readiness[0, 0, 1]) / 3600.0,
            1e-9,
            "h",
        )
    )
    return rows + sensitivity_rows()


# A chain of fixed delays only: the time to decision is exactly the sum of the steps, linear in each.
# The impact prediction waits for the radar's next update (one per scan, from the first detection), so the
# radar's steps (detection latency, tracking, classification) sit on multiples of its 10 s scan at every
# Morris level (4 levels: a third of each range apart): the update then comes exactly as classification ends
# and the sum holds to the last bit (whole seconds add exactly in floating point). The defended territory is
# one far from the impact: with engage: any it changes nothing in the chain, and the chance of an impact on
# it is exactly 0 without the map quadrature, which would otherwise be most of the cost of each point.
# The longest chain (decision 355 s after the start) ends well before the impact (467 s).
SENSITIVITY_CHAIN = {
    "units.0.radar": {"range": "1000000km", "scan_period": "10s", "routine_scan_period": "10s"},
    "rules_of_engagement": {"engage": "any", "own_territory": "JPN"},
    "alert_levels.0.authority": "middle",
    "alert_levels.0.detection_latency": "30s",
    "tracking.track_time": "40s",
    "tracking.classify_time": "20s",
    "uncertainty": {
        "alert_levels.0.detection_latency": ["0s", "30s"],
        "tracking.track_time": ["30s", "60s"],
        "tracking.classify_time": "x0.5..x2",
        "command.posts.1.decision_time": ["20s", "60s"],
    },
}
# The same chain with only the steps after the impact prediction uncertain (the report up from the battery's
# post and the authorising post's decision): no radar update in between, so any sampled value (Sobol's are
# continuous) adds exactly.
SENSITIVITY_COMMAND = {
    **{k: v for k, v in SENSITIVITY_CHAIN.items() if k != "uncertainty"},
    "uncertainty": {
        "command.posts.2.link_delay": ["0s", "30s"],
        "command.posts.1.decision_time": ["20s", "60s"],
    },
}


def sensitivity_rows() -> list[tuple[str, str, float, float, float, str]]:
    """sim sensitivity's indices (SALib) on the engine and on the Ishigami function, against closed forms."""
    from sim.analysis import gsa
    from sim.analysis.measure import parse_measure
    from sim.executors import Serial
    from sim.study.sensitivity import plan_sensitivity, run_sensitivity

    plan = plan_sensitivity(variant(SENSITIVITY_CHAIN), "morris", 2, runs=1, seed=3)
    result = run_sensitivity(plan, None, executor=Serial(), measures=("time_to_decision_s",))
    decision = {i.name: i for i in result.indices(parse_measure("time_to_decision_s")).indices}[
        "command.posts.1.decision_time"
    ]
    prob = gsa.problem(["x1", "x2", "x3"], [(-math.pi, math.pi)] * 3)
    ishigami = gsa.indices("sobol", prob, gsa.ishigami, 1024, seed=1).indices
    s1, st = gsa.ishigami_indices()
    return [
        (
            "sensitivity, fixed-delay chain: Morris mu* of a decision time in 20-60 s",
            "slope x range",
            40.0,
            decision.a,
            1e-6,
            "s",
        ),
        ("same: Morris sigma (the steps simply add up)", "0", 0.0, round(decision.b, 9) + 0.0, 1e-6, "s"),
        (
            "Ishigami function, Sobol (1024 x 5 points): ST of x1",
            "closed form",
            st[0],
            ishigami[0].a,
            ishigami[0].a_conf,
            "",
        ),
        ("same: S1 of x2", "a^2/8 / V", s1[1], ishigami[1].b, ishigami[1].b_conf, ""),
    ]


def render(rows) -> str:
    lines = [
        ENGINE_HEADING,
        "",
        "The real engine on small scenarios where theory gives the answer (fixed seeds;",
        "`python -m tools.gen_docs` regenerates this section, `tests/engine/test_validation_engine.py`",
        "checks it is current). Tolerance: four standard errors of the estimate (batch means for the queue).",
        "",
        "| check | formula | expected | simulated | tolerance | within |",
        "|---|---|---|---|---|---|",
    ]
    for check, formula, expected, simulated, tol, unit in rows:
        ok = "yes" if abs(simulated - expected) <= tol else "**no**"
        u = f" {unit}" if unit else ""
        lines.append(f"| {check} | {formula} | {expected:.4g}{u} | {simulated:.4g}{u} | ±{tol:.2g}{u} | {ok} |")
    return "\n".join(lines) + "\n"


def updated_document(current: str, rows) -> str:
    head = current[: current.index(ENGINE_HEADING)] if ENGINE_HEADING in current else current.rstrip() + "\n\n"
    return head + render(rows)
