"""Reading a ``sim.result/1`` file (0.1.0): its flat keys sorted back into the scopes of ``sim.result/2``."""

from __future__ import annotations

from sim.analysis.measures import METRICS, OUTCOMES
from sim.analysis.result_reader import (
    Reader,
    read_chain,
    read_proportion,
    read_readiness,
    read_run_info,
    read_scenario,
    read_stats,
)
from sim.analysis.stats import Proportion
from sim.analysis.summary import POOLED_ROWS, TO_DECISION_AMONG, Names, Scope, Summary
from sim.numbers import from_json


def read_v1(d: Reader) -> Summary:
    """A 0.1.0 result file. Its outcome keys carry the threat as a prefix (``stray.intercepted``) and
    the post as a suffix (``decided_by_district_hq``); they are matched against the known outcome and
    metric names, whole, so a threat named ``stray.a`` is read right."""
    scenario = read_scenario(d.obj("scenario"))
    run = read_run_info(d.obj("run"), d)
    conditions = d.get("conditions", {})
    spread = d.get("spread", {})
    outcomes, metrics = d.obj("outcomes"), d.obj("metrics")
    known = {o.name for o in OUTCOMES}
    posts = [k.removeprefix("decided_by_") for k in outcomes.value if k.startswith("decided_by_")]
    threat_names = list(
        dict.fromkeys(
            k[: -len(o) - 1] for k in outcomes.value for o in known if k.endswith("." + o) and k[: -len(o) - 1]
        )
    )

    def scope(prefix: str, rows: str) -> Scope:
        def prop(key: str, among: str) -> Proportion:
            c = conditions.get(prefix + key, {}) if isinstance(conditions, dict) else {}
            return read_proportion(outcomes.obj(prefix + key), c.get("among", among), c.get("n"))

        outs = {
            o.name: prop(o.name, rows if o.given is None else f"{o.given} {rows}")
            for o in OUTCOMES
            if prefix + o.name in outcomes.value
        }
        by = {
            p: prop(f"decided_by_{p}", f"decided {rows}") for p in posts if f"{prefix}decided_by_{p}" in outcomes.value
        }
        mets = {}
        for m in METRICS:
            if prefix + m.name in metrics.value:
                sd = spread.get(prefix + m.name, {}).get("sd") if isinstance(spread, dict) else None
                mets[m.name] = read_stats(metrics.obj(prefix + m.name), m.among, from_json(sd))
        return Scope(outs, by, mets, {}, read_chain(d.obj("chain")) if prefix == "" else {})

    pooled = scope("", POOLED_ROWS)
    if threat_names:
        threats = {t: scope(f"{t}.", f"runs ({t})") for t in threat_names}
    elif pooled.outcomes.get("threatened", Proportion(0, 0, "")).n:  # one threat, whose name /1 did not keep
        threats = {"threat": pooled}
    else:
        threats = {}
    readiness = read_readiness(d.obj("readiness"), run.runs)
    units = tuple(readiness)
    levels = tuple(next(iter(readiness.values()), {}))
    leaked = outcomes.value.get("any_threat_leaked")
    largest = d.obj("largest_step", {})
    n_largest = conditions.get("largest_step", {}).get("n") if isinstance(conditions, dict) else None
    return Summary(
        scenario=scenario,
        run=run,
        names=Names(tuple(threats), units, levels, tuple(posts)),
        pooled=pooled,
        threats=threats,
        any_threat_leaked=None
        if leaked is None
        else read_proportion(outcomes.obj("any_threat_leaked"), "runs", run.runs),
        readiness=readiness,
        chain=pooled.chain,
        largest_step={k: read_proportion(v, TO_DECISION_AMONG, n_largest) for k, v in largest.items()},
        what_ate_the_margin=d.text("what_ate_the_margin", ""),
        why_it_leaked="",
    )
