"""Pictures for the HTML report, each returned as PNG bytes, user text never read as mathtext.

Drawn on matplotlib Figure objects with the Agg canvas directly (no pyplot): no global state, no
display needed, safe to call from any thread. PNGs carry no "Software" stamp, so they hold no link.
"""

from __future__ import annotations

import functools
import io
import math
from collections.abc import Callable
from typing import TypeVar

import matplotlib
import numpy as np
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure

from sim.analysis import Summary
from sim.report import mapdata
from sim.scenario.quantities import format_duration

BEFORE, AFTER = "#3b6ea8", "#9bb7d4"
CLASS_COLOURS = {mapdata.NOT_THREATENING: "#8c8c8c", mapdata.INTERCEPTED: "#2e8b57", mapdata.LEAKED: "#d62728"}
OWN, LAND, SEA = "#f3e6c8", "#e4e4e4", "#eef4fa"


F = TypeVar("F", bound=Callable[..., bytes])


def plain_text(draw: F) -> F:
    """Every text of the picture drawn as typed: a unit named ``$x^{$`` is a name, not mathtext to parse."""

    @functools.wraps(draw)
    def drawn(*args, **kwargs):  # type: ignore[no-untyped-def]
        with matplotlib.rc_context({"text.parse_math": False, "text.usetex": False}):
            return draw(*args, **kwargs)

    return drawn  # type: ignore[return-value]


def to_png(fig: Figure, dpi: int = 100) -> bytes:
    FigureCanvasAgg(fig)
    buf = io.BytesIO()
    fig.savefig(buf, format="png", dpi=dpi, bbox_inches="tight", metadata={"Software": None})
    return buf.getvalue()


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


@plain_text
def waterfall_png(summary: Summary) -> bytes:
    """The chain as a waterfall: each step's mean as a bar starting where the previous one ended."""
    steps = list(summary.chain.values())
    means = [s.stats.mean if s.stats.n else 0.0 for s in steps]
    div, unit = time_unit([sum(means)])
    fig = Figure(figsize=(8, 3.6))
    ax = fig.add_subplot()
    clock = 0.0
    for i, (step, mean) in enumerate(zip(steps, means)):
        colour = BEFORE if step.before_decision else AFTER
        ax.barh(i, mean / div, left=clock / div, color=colour, edgecolor="white")
        label = format_duration(step.stats.mean) if step.stats.n else "never"
        ax.text((clock + mean) / div, i, f" {label}", va="center", fontsize=8)
        clock += mean
    ax.set_yticks(range(len(steps)), [s.name for s in steps])
    ax.invert_yaxis()
    ax.set_xlabel(f"time after launch ({unit}), mean of each step")
    ax.set_title("Interception chain (dark: up to the decision, light: after it)", fontsize=10)
    ax.margins(x=0.12)
    ax.spines[["top", "right"]].set_visible(False)
    return to_png(fig)


@plain_text
def histogram_png(values_s, title: str, xlabel: str, mark_zero: bool = False) -> bytes:
    """Distribution of a time; with `mark_zero`, a line at 0 and the share below it (too late)."""
    v = np.asarray(values_s, dtype=float)
    v = v[np.isfinite(v)]
    fig = Figure(figsize=(5, 3))
    ax = fig.add_subplot()
    if v.size == 0:
        ax.text(0.5, 0.5, "no replication to show", ha="center", va="center", transform=ax.transAxes)
        ax.set_axis_off()
    else:
        div, unit = time_unit(v)
        bins = max(5, min(50, int(math.sqrt(v.size))))
        ax.hist(v / div, bins=bins, color=BEFORE, edgecolor="white")
        ax.axvline(np.median(v) / div, color="black", linestyle="--", linewidth=1, label=f"median {format_duration(float(np.median(v)))}")
        if mark_zero:
            ax.axvline(0, color=CLASS_COLOURS[mapdata.LEAKED], linewidth=1.5,
                       label=f"below 0, decided after the window closed: {np.mean(v < 0):.0%}")
        ax.legend(fontsize=8, frameon=False)
        ax.set_xlabel(f"{xlabel} ({unit})")
        ax.set_ylabel("threat rows")
        ax.spines[["top", "right"]].set_visible(False)
    ax.set_title(f"{title} (n = {v.size})", fontsize=10)
    return to_png(fig)


@plain_text
def map_png(result, max_points: int = mapdata.MAX_POINTS) -> bytes:
    """Countries, our units with their envelope's reach, launch sites, and impacts coloured by outcome."""
    loaded = result.scenario
    own = loaded.scenario.rules_of_engagement.own_territory if loaded is not None else ""
    places = mapdata.sites(loaded) if loaded is not None else []
    hits = mapdata.impacts(result.outcomes, max_points)

    fig = Figure(figsize=(8, 7))
    ax = fig.add_subplot()
    ax.set_facecolor(SEA)
    for code, rings in mapdata.country_rings():
        for ring in rings:
            ax.fill(ring[:, 0], ring[:, 1], color=OWN if code == own else LAND, edgecolor="#777777", linewidth=0.4)
    for c in mapdata.IMPACT_CLASSES:
        h = hits[c]
        shown = f", {h.lat.size} drawn" if h.lat.size < h.total else ""
        ax.scatter(h.lon, h.lat, s=6, color=CLASS_COLOURS[c], alpha=0.6, linewidths=0,
                   label=f"impact, {c}: {h.total}{shown}", zorder=3)
    for p in places:
        if p.kind == "unit":
            lat, lon = mapdata.circle(p.lat, p.lon, p.range_km)
            ax.plot(lon, lat, color="#1f3d7a", linestyle="--", linewidth=1, zorder=4)
        marker = {"unit": "s", "sensor": "D", "launch": "^"}[p.kind]
        colour = {"unit": "#1f3d7a", "sensor": "#1f3d7a", "launch": "black"}[p.kind]
        ax.plot(p.lon, p.lat, marker=marker, color=colour, markersize=7, linestyle="none", zorder=5)
        ax.annotate(p.name, (p.lon, p.lat), xytext=(4, 4), textcoords="offset points", fontsize=8, zorder=6)
    ax.plot([], [], marker="s", color="#1f3d7a", linestyle="--", label="unit, envelope max range")
    ax.plot([], [], marker="^", color="black", linestyle="none", label="launch site")

    lats = np.concatenate([[p.lat for p in places]] + [hits[c].lat for c in hits])
    lons = np.concatenate([[p.lon for p in places]] + [hits[c].lon for c in hits])
    _frame(ax, lats, lons)
    ax.set_xlabel("longitude (deg E)")
    ax.set_ylabel("latitude (deg N)")
    ax.set_title("Where threats came down", fontsize=10)
    ax.legend(fontsize=8, loc="lower right", framealpha=0.9)
    return to_png(fig)


def _frame(ax, lats, lons, pad: float = 1.5, min_span: float = 6.0) -> None:
    """Fit the view to what is drawn, within the data's box (lon 115..150, lat 30..56), true to scale at its middle."""
    if lats.size == 0:
        lats, lons = np.array([30.0, 56.0]), np.array([115.0, 150.0])
    lat0, lat1 = max(30.0, lats.min() - pad), min(56.0, lats.max() + pad)
    lon0, lon1 = max(115.0, lons.min() - pad), min(150.0, lons.max() + pad)
    if lat1 - lat0 < min_span:
        mid = (lat0 + lat1) / 2
        lat0, lat1 = mid - min_span / 2, mid + min_span / 2
    if lon1 - lon0 < min_span:
        mid = (lon0 + lon1) / 2
        lon0, lon1 = mid - min_span / 2, mid + min_span / 2
    ax.set_xlim(lon0, lon1)
    ax.set_ylim(lat0, lat1)
    ax.set_aspect(1.0 / math.cos(math.radians((lat0 + lat1) / 2)))
