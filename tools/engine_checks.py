"""The engine against closed-form results: the "Engine" rows of docs/validation.md, collected and written.

Each row runs the real engine (fixed seed) on a small scenario where theory gives the answer:
salvo and shoot-look-shoot kill probabilities, Erlang C for fire-channel contention, the mean of
a chain of exponential delays, and exact times when every delay is fixed. The tolerance is four
standard errors of the estimate, derived from the number of samples.

The kill probabilities, the chain of delays and the readiness times are checked here; the queues
(``engine_checks_queues``), sensing (``engine_checks_sensing``) and sim sensitivity
(``engine_checks_sensitivity``) have their own modules, all on the base scenario of ``engine_checks_scenario``.

``python -m tools.gen_docs`` rewrites the section; a test regenerates it and compares.
"""

from __future__ import annotations

import math

from tools.engine_checks_queues import duty_officer_rows, fire_channel_rows
from tools.engine_checks_scenario import NO_DELAYS, SURE_RADAR, EngineRow, variant
from tools.engine_checks_sensing import cumulative_detection_row, early_warning_row
from tools.engine_checks_sensitivity import sensitivity_rows
from tools.validation_world import ENGINE_HEADING


def _column(result, field):
    return result.outcomes.threats[field][:, 0]


def engine_rows() -> list[EngineRow]:
    """(check, formula, expected, simulated, tolerance, unit) for each engine check."""
    from sim.executors import Serial
    from sim.runner import run

    rows: list[EngineRow] = []
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

    rows += fire_channel_rows()

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

    rows += duty_officer_rows()

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
