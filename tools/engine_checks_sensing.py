"""Engine checks of sensing against a reported figure: the early-warning radar on the 14 May 2017 flight.

A row of the "Engine" section of docs/validation.md (``tools.engine_checks.engine_rows`` collects it).
"""

from __future__ import annotations

import numpy as np


def early_warning_row(blocks: int = 2) -> tuple[str, str, float, float, float, str]:
    """The engine's early-warning radar on the 14 May 2017 flight (may14_2017.yaml, its own draws): how long
    it tracks the Hwasong-12, from its first detecting look to its last, against the 23 minutes the Russian
    defence ministry reported (P-43). Tolerance: the world check's 3 min (the radar's lowest usable
    elevation and its real revisit are not modelled)."""
    from sim.engine.draws import BlockDraws
    from sim.engine.flights import BlockFlights
    from sim.engine.plan import compile_plan
    from sim.engine.sensing import _hits
    from sim.scenario.loader import load_scenario

    plan = compile_plan(load_scenario("scenarios/may14_2017.yaml").scenario)
    j = next(j for j, spec in enumerate(plan.radars) if spec.sensor)
    spans = []
    for b in range(blocks):
        draws = BlockDraws(plan.sites, plan.scenario.seed, b, 100)
        fl = BlockFlights(plan, draws)
        u = draws.array(plan.look_sites[j][0]).T
        t, hit = _hits(fl.trajectories[0], plan.radars[j].mass, u, fl.impact_time[:, 0], plan.threat_rcs[0])
        seen = hit.any(axis=0)
        first = np.take_along_axis(t, hit.argmax(axis=0)[None], axis=0)[0]
        last = np.take_along_axis(t, (hit.shape[0] - 1 - hit[::-1].argmax(axis=0))[None], axis=0)[0]
        spans.append(np.where(seen, last - first, 0.0) / 60.0)
    return (
        f"may14_2017: {plan.radars[j].name} tracks the Hwasong-12, first to last detecting look (median)",
        "reported: 23 min of ~30 (P-43, Russian MoD via TASS / Reuters, 14 May 2017)",
        23.0,
        float(np.median(np.concatenate(spans))),
        3.0,
        "min",
    )
