"""Reports that set runs side by side: a comparison A -> B, a sweep's grid, and the run history.

Same look as the run report (``sim.report.terminal``): plain tables that read without colour in
100 columns. A difference is always B - A; ``*`` marks one whose 95% interval excludes 0.
"""

from __future__ import annotations

import json

from rich import box
from rich.console import Console, Group, RenderableType
from rich.panel import Panel
from rich.table import Table
from rich.text import Text

from sim.analysis import CHAIN, TO_DECISION, ChainStep, LevelReached, Proportion, ScenarioInfo, Stats, Summary
from sim.compare import Comparison, Difference
from sim.report.terminal import (
    OUTCOME_SECTIONS,
    format_interval,
    format_percent,
    format_value,
    override_text,
    row_label,
)
from sim.results import RunInfo
from sim.scenario.quantities import format_duration

MARK = "*"
NAN = float("nan")


# ---------------------------------------------------------------- numbers


def format_points(d: float, sign: bool = True) -> str:
    """A difference of proportions in percentage points: ``+3.2 pts``; ``0`` when exactly nothing changed."""
    if d != d:
        return "-"
    if d == 0:
        return "0"
    x = 100 * d
    text = f"{x:+.1f}" if abs(x) >= 0.1 else f"{x:+.2f}" if abs(x) >= 0.01 else f"{x:+.1g}"
    return f"{text} pts" if sign else text.lstrip("+")


def format_shift(name: str, d: float) -> str:
    """A difference of times (``+1.2h``) or of counts (``+0.3``)."""
    if d != d:
        return "-"
    if d == 0:
        return "0"
    text = format_value(name, d)
    return text if text.startswith("-") else "+" + text


def _interval(lo: float, hi: float, fmt) -> str:
    if lo != lo or hi != hi:
        return "-"
    return f"{fmt(lo)} to {fmt(hi)}"


def _mark(d: Difference) -> str:
    return MARK if d.significant else ""


def headline_difference(name: str, d: Difference) -> str:
    """``intercepted | threatened: 4.1% -> 2.5%, -1.6 pts (95% CI -2.6 to -0.6 pts), significant``."""
    what = row_label(name) + (" | " + name.split("_given_")[1].replace("_", " ") if "_given_" in name else "")
    lo, hi = d.ci95
    ci = "-" if lo != lo else f"{format_points(lo).removesuffix(' pts')} to {format_points(hi)}"
    verdict = ("the interval excludes 0: a real difference" if d.significant
               else "the interval includes 0: no difference shown" if lo == lo else "no interval")
    return (f"{what}: {format_percent(d.a)} -> {format_percent(d.b)}, {format_points(d.diff)} "
            f"(95% CI {ci}); {verdict}")


# ---------------------------------------------------------------- sim compare


def render(c: Comparison) -> Group:
    """The comparison, top to bottom: what was compared, what changed, then the differences."""
    parts: list[RenderableType] = [_compare_header(c), changes_table(c)]
    if c.main in c.outcomes:
        parts.append(Text(headline_difference(c.main, c.outcomes[c.main]), style="bold"))
    parts += [outcome_differences(c), metric_differences(c), readiness_differences(c)]
    per_threat = per_threat_differences(c)
    if per_threat is not None:
        parts.append(per_threat)
    notes = [f"B - A; {MARK} the 95% interval excludes 0."] + list(c.notes)
    parts.append(Text("\n".join(notes)))
    return Group(*parts)


def _compare_header(c: Comparison) -> RenderableType:
    grid = Table.grid(padding=(0, 2))
    grid.add_column(style="bold", no_wrap=True)
    grid.add_column()
    for tag, s in (("A", c.a), ("B", c.b)):
        line = f"{s.label}: {s.name}  (sha256 {s.sha256[:12]})" if s.sha256 else f"{s.label}: {s.name}"
        for path, value in s.overrides.items():
            line += f"\n  {path} = {override_text(value)}"
        grid.add_row(tag, line)
    if c.paired:
        how = (f"paired: {c.a.runs} replications each, seed {c.a.seed}, common random numbers "
               "(replication r of A and of B share their random draws)")
    else:
        how = (f"unpaired: A {c.a.runs} runs (seed {c.a.seed}, version {c.a.version}), "
               f"B {c.b.runs} runs (seed {c.b.seed}, version {c.b.version}); independent samples, wider intervals")
    grid.add_row("how", how)
    title = "Compare A -> B" + ("" if c.a.name == c.b.name else f": {c.a.name} -> {c.b.name}")
    return Panel(grid, title=Text(title, style="bold"), box=box.ROUNDED)


def changes_table(c: Comparison) -> RenderableType:
    if not c.changes:
        return Text("What changed A -> B: nothing in the scenario" + ("" if c.paired else " (as far as known)"))
    table = Table(title="What changed A -> B", title_justify="left", box=box.SIMPLE_HEAD, title_style="bold",
                  pad_edge=False)
    table.add_column("path", no_wrap=True)
    table.add_column("A", overflow="fold")
    table.add_column("B", overflow="fold")
    for ch in c.changes:
        table.add_row(ch.path, ch.a, ch.b)
    return table


def _diff_table(title: str) -> Table:
    table = Table(title=title, title_justify="left", box=box.SIMPLE_HEAD, title_style="bold", pad_edge=False)
    for col, justify in (("", "left"), ("A", "right"), ("B", "right"), ("B - A", "right"),
                         ("95% interval", "right"), ("", "left")):
        table.add_column(col, justify=justify, no_wrap=True)
    return table


def _proportion_row(table: Table, label: str, d: Difference) -> None:
    table.add_row(label, format_percent(d.a), format_percent(d.b), format_points(d.diff),
                  _interval(*d.ci95, lambda x: format_points(x).removesuffix(" pts")), _mark(d))


def outcome_differences(c: Comparison) -> Table:
    table = _diff_table("Outcomes: A, B and B - A in percentage points")
    posts = tuple(k for k in c.outcomes if k.startswith("decided_by_"))
    for title, names in OUTCOME_SECTIONS:
        names = names + posts if title == "if decided" else names
        rows = [(n, c.outcomes[n]) for n in names if n in c.outcomes and not (c.outcomes[n].a != c.outcomes[n].a
                                                                              and c.outcomes[n].b != c.outcomes[n].b)]
        if not rows:
            continue
        table.add_row(Text(title, style="italic"))
        for name, d in rows:
            _proportion_row(table, "  " + row_label(name), d)
    if "any_threat_leaked" in c.outcomes:
        _proportion_row(table, "runs with a leak", c.outcomes["any_threat_leaked"])
    return table


def per_threat_differences(c: Comparison) -> RenderableType | None:
    """Per-threat rows whose interval excludes 0 (all of them are in the JSON)."""
    if not any("." in n for n in c.outcomes):
        return None
    names = [n for n in c.outcomes if "." in n and c.outcomes[n].significant]
    if not names:
        return Text("Per threat: no difference whose interval excludes 0 (every row is in the JSON, --json)")
    table = _diff_table("Per threat: the differences whose interval excludes 0 (all of them: --json)")
    for name in names:
        threat, outcome = name.split(".", 1)
        _proportion_row(table, f"{threat}: {_short(outcome)}", c.outcomes[name])
    return table


def metric_differences(c: Comparison) -> Table:
    title = ("Times: means where it happened in both A and B (same replication)" if c.paired
             else "Times: means of each run")
    table = _diff_table(title)
    table.add_column("n", justify="right", no_wrap=True)
    for name, d in c.metrics.items():
        if "." in name or (d.a != d.a and d.b != d.b):
            continue
        table.add_row(name, format_value(name, d.a), format_value(name, d.b), format_shift(name, d.diff),
                      _interval(*d.ci95, lambda x, n=name: format_shift(n, x)), _mark(d),
                      str(d.n_a) if c.paired else f"{d.n_a} / {d.n_b}")
    return table


def readiness_differences(c: Comparison) -> Group:
    """Two tables: how often each level was reached, then how much later (or earlier) B got there."""
    reached = _diff_table("Readiness: level reached within the horizon")
    when = _diff_table("Readiness: when the level was reached (median)")
    when.columns[3].header = "shift" if c.paired else "B - A"
    for unit, levels in c.readiness.items():
        for level, x in levels.items():
            p, t = x["p_reached"], x["p50_s"]
            _proportion_row(reached, f"{unit}: {level}", p)
            if t.a == t.a or t.b == t.b:
                when.add_row(f"{unit}: {level}", format_duration(t.a), format_duration(t.b),
                             format_shift("p50_s", t.diff), _interval(*t.ci95, lambda v: format_shift("p50_s", v)),
                             _mark(t))
    if c.paired:
        when.caption = "shift: over runs reaching the level in both, the median of (time in B - time in A)"
    else:
        when.caption = "no interval: a result holds no spread of these times"
    when.caption_justify = "left"
    return Group(reached, when)


def comparison_json_text(c: Comparison) -> str:
    return json.dumps(c.to_json(), indent=2, ensure_ascii=False, allow_nan=False) + "\n"


def comparison_html(c: Comparison) -> str:
    """The terminal report as one self-contained HTML page (inline styles, no scripts)."""
    console = Console(record=True, width=120, file=_Null(), color_system="truecolor")
    console.print(render(c))
    return console.export_html(inline_styles=True, code_format=_HTML)


class _Null:
    def write(self, text):
        return len(text)

    def flush(self):
        pass


_HTML = """<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>sim compare</title>
<style>body {{ color: {foreground}; background-color: {background}; }}</style></head>
<body><pre style="font-family: ui-monospace, Menlo, Consolas, monospace; font-size: 13px">
<code>{code}</code></pre></body></html>
"""


# ---------------------------------------------------------------- sim sweep


KEY_OUTCOMES = ("decided_in_time_given_threatened",)
KEY_METRICS = {"time_to_decision_s": "to decision\n(median)", "margin_s": "margin\n(median)"}


def _p(doc: dict, name: str) -> str:
    x = doc.get("outcomes", {}).get(name)
    if not x or x.get("p") is None:
        return "-"
    lo, hi = x["ci95"]
    return f"{format_percent(x['p'])} ({format_interval(lo, hi).rstrip('%')})"


def _median(doc: dict, name: str) -> str:
    x = doc.get("metrics", {}).get(name) or {}
    return format_value(name, NAN if x.get("p50") is None else x["p50"])


def render_sweep(sweep) -> Group:
    """The grid as a table of key outcomes per point, then the one-at-a-time sensitivity ranking."""
    plan, main = sweep.plan, sweep.main
    heads = _axis_heads([a.path for a in plan.axes])
    title = (f"Sweep of {plan.base.scenario.name}: {len(plan.points)} points, {plan.runs} runs each, seed {plan.seed} "
             "(common random numbers)")
    table = Table(title=title, title_justify="left", box=box.SIMPLE_HEAD, title_style="bold", pad_edge=False)
    for head, a in zip(heads, plan.axes):
        table.add_column(head, overflow="fold", min_width=min(12, max(len(head), *(len(v) for v in a.values))))
    table.add_column(_short(main).replace(" | ", "\n| ") + "\n(95% interval)", justify="right", no_wrap=True)
    for name in KEY_OUTCOMES:
        table.add_column(_short(name).replace(" | ", "\n| "), justify="right", no_wrap=True)
    for head in KEY_METRICS.values():
        table.add_column(head, justify="right", no_wrap=True)
    table.add_column("run", justify="right", no_wrap=True)
    for r in sweep.results:
        table.add_row(*(v for _, v in r.point.settings), _p(r.doc, main),
                      *(format_percent(_float(r.doc, n)) for n in KEY_OUTCOMES),
                      *(_median(r.doc, n) for n in KEY_METRICS), "-" if r.run_id is None else str(r.run_id))
    legend = [f"{head} = {a.path}" for head, a in zip(heads, plan.axes) if head != a.path]
    if legend:
        table.caption = "; ".join(legend)
        table.caption_justify = "left"
    parts: list[RenderableType] = [table, sensitivity_table(sweep)]
    reused = sum(r.reused for r in sweep.results)
    if reused:
        parts.append(Text(f"{reused} of {len(sweep.results)} points read back from the history (same scenario text, "
                          "values, seed, runs and version)"))
    if not sweep.complete:
        parts.append(Text(f"INCOMPLETE: {len(sweep.results)} of {len(plan.points)} points; the finished ones are "
                          "kept, run the same command again to finish.", style="bold"))
    return Group(*parts)


def _axis_heads(paths: list[str]) -> list[str]:
    """Short column heads for the varied paths: the last part, or as many parts as make them distinct."""
    for parts in range(1, max(len(p.split(".")) for p in paths) + 1):
        heads = [".".join(p.split(".")[-parts:]) for p in paths]
        if len(set(heads)) == len(heads):
            return heads
    return paths


def _float(doc: dict, name: str) -> float:
    x = doc.get("outcomes", {}).get(name) or {}
    return NAN if x.get("p") is None else float(x["p"])


def _short(name: str) -> str:
    return row_label(name) + (" | " + name.split("_given_")[1].replace("_", " ") if "_given_" in name else "")


def sensitivity_table(sweep) -> Table:
    main = sweep.main
    table = Table(title=f"Sensitivity of {_short(main)}: each parameter moved alone, the others at their first value",
                  title_justify="left", box=box.SIMPLE_HEAD, title_style="bold", pad_edge=False)
    for col, justify in (("rank", "right"), ("parameter", "left"), ("range", "right"), ("along its values", "left")):
        table.add_column(col, justify=justify, no_wrap=col != "along its values")
    for rank, s in enumerate(sweep.sensitivity(), start=1):
        along = "  ".join(f"{v}: {format_percent(NAN if p is None else p)}" for v, p in zip(s.values, s.p))
        table.add_row(str(rank), s.path, "-" if s.delta is None else format_points(s.delta, sign=False) + " pts", along)
    base = sweep.results[0].doc.get("outcomes", {}).get(main) if sweep.results else None
    if base and base.get("p") is not None:
        lo, hi = base["ci95"]
        table.caption = (f"For scale: at the first point {_short(main)} is {format_percent(base['p'])}, "
                         f"95% interval {format_interval(lo, hi)}. Points share their random draws, so a range "
                         "smaller than that interval can still be real; check it with sim compare.")
        table.caption_justify = "left"
    return table


# ---------------------------------------------------------------- sim runs / sim show


def headline(doc: dict) -> str:
    """The main outcome of a result document in a few words: ``intercepted | threatened 2.9% (1.4–5.2)``."""
    outcomes = doc.get("outcomes", {})
    if not outcomes:
        return "-"
    from sim.compare import main_outcome

    name = main_outcome(outcomes)
    return f"{_short(name)} {_p(doc, name)}"


def render_runs(runs, path) -> RenderableType:
    """The history as a table that fits 80 columns: the headline is the main outcome with its interval."""
    if not runs:
        return Text(f"no runs kept in {path} yet (sim run and sim sweep keep them there)")
    from sim.compare import main_outcome

    mains = [main_outcome(r.result.get("outcomes", {})) for r in runs]
    common = mains[0] if len(set(mains)) == 1 else None
    table = Table(title=f"Run history: {path}", title_justify="left", box=box.SIMPLE_HEAD, title_style="bold",
                  pad_edge=False)
    for col, justify, wrap in (("id", "right", False), ("when", "left", False), ("scenario", "left", True), ("overrides", "left", True), ("seed", "right", False),
                               ("runs", "right", False), (_short(common).replace(" | ", "\n| ") if common else "headline", "left", True)):
        table.add_column(col, justify=justify, no_wrap=not wrap, overflow="fold", min_width=10 if wrap else None)
    for r, main in zip(runs, mains):
        overrides = "\n".join(f"{p}={override_text(v)}" for p, v in r.overrides.items()) or "-"
        runs_text = str(r.runs) + (" partial" if r.result.get("partial") else "")
        value = _p(r.result, main) if common else headline(r.result)
        scenario = r.scenario + (" (sweep point)" if r.kind == "sweep_point" else "")
        table.add_row(str(r.id), r.when, scenario, overrides, str(r.seed), runs_text, value)
    table.caption = "sim show ID: a run's report; sim compare ID ID: two runs side by side"
    table.caption_justify = "left"
    return table


def summary_from_result_json(doc: dict, executor: str = "local") -> Summary:
    """A Summary rebuilt from its result document, so ``sim show`` prints the run's own report.

    The document holds every number the report prints. Not in it, and not printed: the chain
    steps' counts, minima and maxima (a step's count is 1 here when it happened at all, 0 if not,
    which is all the report asks of it) and the executor (given by the history).
    """
    s, r = doc["scenario"], doc["run"]
    conditions = doc.get("conditions", {})

    def f(x) -> float:
        return NAN if x is None else float(x)

    def among(name: str) -> str:
        return conditions.get(name, {}).get("among", "")

    def proportion(name: str, x: dict) -> Proportion:
        n = conditions.get(name, {}).get("n")
        if n is None:
            n = round(x["count"] / x["p"]) if x.get("p") else 0
        return Proportion(int(x["count"]), int(n), among(name))

    runs = int(r["runs"])
    outcomes = {name: proportion(name, x) for name, x in doc["outcomes"].items()}
    metrics = {name: Stats(int(x["n"]), f(x["mean"]), f(x["p50"]), f(x["p90"]), f(x["min"]), f(x["max"]), among(name))
               for name, x in doc["metrics"].items()}
    readiness = {unit: {level: LevelReached(Proportion(int(round(f(x["p_reached"]) * runs)) if x["p_reached"] is not None
                                                       else 0, runs, "runs"), f(x["p50_s"]), f(x["p90_s"]))
                        for level, x in levels.items()} for unit, levels in doc["readiness"].items()}
    chain = {}
    for name, start, end in CHAIN:
        x = doc["chain"].get(name, {})
        happened = x.get("mean_s") is not None
        chain[name] = ChainStep(name, start, end, "to decision" if name in TO_DECISION else "after decision",
                                Stats(int(happened), f(x.get("mean_s")), f(x.get("p50_s")), f(x.get("p90_s")), NAN, NAN,
                                      f"rows where both {start} and {end} happened"), f(x.get("share")))
    largest_among = conditions.get("largest_step", {})
    largest = {name: Proportion(int(x["count"]), int(largest_among.get("n", 0)), largest_among.get("among", ""))
               for name, x in doc.get("largest_step", {}).items()}
    threats = tuple(dict.fromkeys(k.split(".", 1)[0] for k in doc["outcomes"] if "." in k)) or ("",)
    first_unit = next(iter(readiness.values()), {})
    info = RunInfo(runs=runs, requested_runs=int(doc.get("requested_runs", runs)), seed=int(r["seed"]),
                   version=str(r["version"]), block_size=int(r["block_size"]), workers=int(r["workers"]),
                   executor=executor, wall_s=f(r.get("wall_s")), partial=bool(doc.get("partial", False)))
    return Summary(
        scenario=ScenarioInfo(str(s["name"]), str(s["file"]), str(s["sha256"]), dict(s.get("overrides") or {})),
        run=info, threats=threats, units=tuple(readiness), levels=tuple(first_unit), outcomes=outcomes,
        metrics=metrics, readiness=readiness, chain=chain, largest_step=largest,
        what_ate_the_margin=str(doc.get("what_ate_the_margin", "")),
    )


def stored_title(stored) -> Text:
    """A line above a stored report: which run of the history this is."""
    kind = "sweep point" if stored.kind == "sweep_point" else "run"
    return Text(f"{kind} {stored.id} of the history, {stored.when}, tabletop-sim {stored.version}", style="bold")


def sweep_json_text(sweep) -> str:
    return json.dumps(sweep.to_json(), indent=2, ensure_ascii=False, allow_nan=False) + "\n"
