"""Engine checks of sim sensitivity: the Morris indices of a chain of fixed delays (whose time to decision
is exactly the sum of its steps) and Sobol's indices of the Ishigami function, against their closed forms.
"""

from __future__ import annotations

import math

from tools.engine_checks_scenario import EngineRow, variant

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


def sensitivity_rows() -> list[EngineRow]:
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
