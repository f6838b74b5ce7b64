"""The run page's charts, each returned as inline SVG: leak causes, chain waterfall, margin, readiness.

Every chart reads the Summary (or the stacked outcomes for distributions) and draws in the house
style of :mod:`sim.report.style`; counts are whole numbers on their axes, legends sit outside the data.
"""

from __future__ import annotations

import numpy as np
from matplotlib.ticker import MaxNLocator, PercentFormatter

from sim.analysis import METRICS, Summary
from sim.analysis.summary import Scope
from sim.engine.outcome import ChainEnd
from sim.report.style import AFTER, BEFORE, CYCLE, INTERCEPTED, LEAKED, MUTED, figure, styled, to_svg
from sim.scenario.quantities import format_duration

MAX_PANELS = 6  # threats drawn one panel each; more than this and only the pooled chain is drawn


def time_unit(seconds) -> tuple[float, str]:
    """(divisor, unit) that keeps an axis in numbers a trainer reads: s, min or h."""
    v = np.abs(np.asarray(seconds, dtype=float))
    v = v[np.isfinite(v)]
    top = float(np.quantile(v, 0.9)) if v.size else 0.0
    if top < 120:
        return 1.0, "s"
    if top < 2 * 3600:
        return 60.0, "min"
    return 3600.0, "h"


def cause_counts(scope: Scope) -> list[tuple[ChainEnd, int, float]]:
    """(where the chain ended, count, share) for every end that happened, largest first, intercepted last."""
    out = []
    for end in ChainEnd:
        p = scope.causes.get(end.name.lower())
        if p is not None and p.count:
            out.append((end, int(p.count), float(p.p)))
    return sorted(out, key=lambda x: (x[0] is ChainEnd.INTERCEPTED, -x[1]))


@styled
def causes_svg(summary: Summary) -> str:
    """The leak-cause funnel: of the threats that came down on own territory, where each chain ended."""
    rows = cause_counts(summary.pooled)
    fig = figure(0.9 + 0.45 * max(1, len(rows)))
    ax = fig.add_subplot()
    if not rows:
        ax.text(0.5, 0.5, "no threat came down on own territory", ha="center", va="center", transform=ax.transAxes)
        ax.set_axis_off()
        return to_svg(fig, "Leak causes: none")
    labels = [end.label for end, _, _ in rows]
    counts = [c for _, c, _ in rows]
    colours = [INTERCEPTED if end is ChainEnd.INTERCEPTED else LEAKED for end, _, _ in rows]
    ax.barh(range(len(rows)), counts, color=colours)
    for i, (_, c, p) in enumerate(rows):
        ax.text(c, i, f"  {c}  ({p:.0%})", va="center", fontsize=10)
    ax.set_yticks(range(len(rows)), labels)
    ax.invert_yaxis()
    ax.xaxis.set_major_locator(MaxNLocator(integer=True))
    ax.set_xlabel("threats that came down on own territory (count over all replications)")
    ax.margins(x=0.15)
    ax.grid(axis="y", visible=False)
    ax.set_title("Where each chain ended (red: got through, green: intercepted)")
    return to_svg(fig, "Leak causes: where each threatened threat's chain ended")


def _waterfall(ax, scope: Scope, title: str) -> None:
    steps = list(scope.chain.values())
    means = [s.stats.mean if s.stats.n else 0.0 for s in steps]
    div, unit = time_unit([sum(means)])
    clock = 0.0
    for i, (step, mean) in enumerate(zip(steps, means)):
        ax.barh(i, mean / div, left=clock / div, color=BEFORE if step.before_decision else AFTER)
        label = format_duration(step.stats.mean) if step.stats.n else "never"
        ax.text((clock + mean) / div, i, f" {label}", va="center", fontsize=9)
        clock += mean
    ax.set_yticks(range(len(steps)), [s.name for s in steps])
    ax.invert_yaxis()
    ax.set_xlabel(f"time after launch ({unit}), mean of each step")
    ax.margins(x=0.18)
    ax.grid(axis="y", visible=False)
    ax.set_title(title)


@styled
def waterfall_svg(summary: Summary) -> str:
    """The chain as a waterfall, all threats together and then per threat (dark: up to the decision)."""
    threats = list(summary.names.threats) if 1 < len(summary.names.threats) <= MAX_PANELS else []
    scopes = [("All threats", summary.pooled)] + [
        (t, summary.threats[t]) for t in threats if any(step.stats.n for step in summary.threats[t].chain.values())
    ]
    cols = 1 if len(scopes) == 1 else 2
    rows = -(-len(scopes) // cols)
    n_steps = max(1, len(summary.chain))
    fig = figure(rows * (0.6 + 0.32 * n_steps))
    for k, (title, scope) in enumerate(scopes):
        _waterfall(fig.add_subplot(rows, cols, k + 1), scope, title)
    return to_svg(fig, "Waterfall of the interception chain")


def _metric(result, name: str) -> np.ndarray:
    rows = result.outcomes.threats.reshape(-1)
    metric = next(m for m in METRICS if m.name == name)
    v = np.asarray(metric.values(rows), dtype=float)
    return v[np.isfinite(v)]


@styled
def margin_svg(result) -> str:
    """Time to decision, and the margin it left: the latest decision that still fires, less the decision (0 marked)."""
    fig = figure(3.6)
    axes = fig.subplots(1, 2)
    for ax, name, title, xlabel in (
        (axes[0], "time_to_decision_s", "Time to decision", "launch to decision"),
        (axes[1], "margin_s", "Margin", "latest decision that still fires minus decision"),
    ):
        histogram(ax, _metric(result, name), title, xlabel, mark_zero=name == "margin_s")
    return to_svg(fig, "Histograms of the time to decision and of the margin")


def histogram(ax, v: np.ndarray, title: str, xlabel: str, mark_zero: bool = False) -> None:
    """Counts of threats on a whole-number axis, the median dashed, the legend under the axes (never on the bars)."""
    ax.set_title(f"{title} (n = {v.size})")
    if v.size == 0:
        ax.text(0.5, 0.5, "no threat was decided", ha="center", va="center", transform=ax.transAxes, color=MUTED)
        ax.set_axis_off()
        return
    div, unit = time_unit(v)
    bins = max(5, min(40, int(np.sqrt(v.size))))
    ax.hist(v / div, bins=bins, color=BEFORE, edgecolor="white")
    med = float(np.median(v))
    ax.axvline(med / div, color="black", linestyle="--", linewidth=1.2, label=f"median {format_duration(med)}")
    if mark_zero:
        ax.axvline(0, color=LEAKED, linewidth=2, label=f"0: too late below; {np.mean(v < 0):.0%} decided too late")
    ax.yaxis.set_major_locator(MaxNLocator(integer=True))
    ax.set_xlabel(f"{xlabel} ({unit})")
    ax.set_ylabel("threats (count)")
    ax.legend(loc="upper left", bbox_to_anchor=(0.0, -0.38), borderaxespad=0)


def readiness_curves(times: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """ECDF of the times a level was reached over ALL replications: (t, share reached by t), NaN = never.

    The curve therefore tops out at the share of replications that reached the level at all.
    """
    t = np.sort(times[np.isfinite(times)])
    if t.size == 0:
        return np.array([0.0]), np.array([0.0])
    share = np.arange(1, t.size + 1) / times.size
    return np.concatenate([[0.0], t]), np.concatenate([[0.0], share])


@styled
def readiness_svg(summary: Summary, result) -> str:
    """Per unit, the probability each alert level is reached by time t."""
    units, levels = summary.names.units, summary.names.levels
    ready = np.asarray(result.outcomes.readiness, dtype=float)
    if not units or ready.size == 0:
        fig = figure(1.0)
        fig.text(0.5, 0.5, "no unit has readiness levels", ha="center")
        return to_svg(fig, "Readiness: none")
    shown = units[: MAX_PANELS * 2]
    cols = 1 if len(shown) == 1 else 2
    rows = -(-len(shown) // cols)
    finite = ready[np.isfinite(ready)]
    end = float(finite.max()) * 1.05 if finite.size and finite.max() > 0 else 3600.0  # all at the start: show 1 h
    div, unit = time_unit([end])
    fig = figure(0.8 + 2.6 * rows)
    axes = fig.subplots(rows, cols, squeeze=False).ravel()
    for k, name in enumerate(shown):
        ax = axes[k]
        for j, level in enumerate(levels):
            t, share = readiness_curves(ready[:, k, j])
            if share[-1] == 0:
                continue
            t, share = np.append(t, end), np.append(share, share[-1])  # flat to the right edge
            ax.step(t / div, share, where="post", color=CYCLE[j % len(CYCLE)], label=level, linewidth=2)
        ax.set_ylim(0, 1.05)
        ax.set_xlim(0, end / div)
        ax.yaxis.set_major_formatter(PercentFormatter(1.0))
        ax.set_xlabel(f"time after the start ({unit})")
        ax.set_ylabel("reached by then")
        ax.set_title(name)
        if ax.get_legend_handles_labels()[0]:
            ax.legend(loc="lower right", title="level")
    for ax in axes[len(shown) :]:
        ax.set_axis_off()
    return to_svg(fig, "Readiness over time: probability each level is reached by t, per unit")
