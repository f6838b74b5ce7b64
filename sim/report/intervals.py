"""Dot-and-whisker charts: a difference or an effect as a dot, its 95% interval as a line, 0 marked.

Used by the compare page (B - A of every outcome and time) and the sweep page (main effects and
interactions), so both read the same way: a whisker that does not cross the 0 line is a real change.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from sim.report.style import BEFORE, MUTED, figure, styled, to_svg


@dataclass(frozen=True)
class Row:
    label: str
    estimate: float
    lo: float
    hi: float

    @property
    def significant(self) -> bool:
        return bool(self.lo > 0 or self.hi < 0)


def scale_for(rows: Sequence[Row], is_time: bool) -> tuple[float, str]:
    """(divisor, unit) of the axis: percentage points for proportions, s/min/h for times."""
    if not is_time:
        return 0.01, "percentage points"
    top = max((abs(x) for r in rows for x in (r.estimate, r.lo, r.hi) if math.isfinite(x)), default=0.0)
    if top < 120:
        return 1.0, "s"
    if top < 2 * 3600:
        return 60.0, "min"
    return 3600.0, "h"


@styled
def dot_whisker_svg(rows: Sequence[Row], title: str, xlabel: str, is_time: bool, alt: str) -> str:
    """One row per estimate, dark when its interval excludes 0; rows with nothing to show are left out."""
    rows = [r for r in rows if math.isfinite(r.estimate)]
    lines = sum(r.label.count("\n") + 1 for r in rows)
    fig = figure(0.9 + 0.3 * max(1, lines) + 0.1 * len(rows))
    ax = fig.add_subplot()
    if not rows:
        ax.text(0.5, 0.5, "nothing to compare", ha="center", va="center", transform=ax.transAxes, color=MUTED)
        ax.set_axis_off()
        return to_svg(fig, alt)
    div, unit = scale_for(rows, is_time)
    y = np.arange(len(rows))
    for i, r in enumerate(rows):
        colour = BEFORE if r.significant else "#9e9e9e"
        if math.isfinite(r.lo) and math.isfinite(r.hi):
            ax.plot([r.lo / div, r.hi / div], [i, i], color=colour, linewidth=2.5, solid_capstyle="butt")
        ax.plot(r.estimate / div, i, "o", color=colour, markersize=7)
    ax.axvline(0, color="black", linewidth=1)
    ax.set_yticks(y, [r.label for r in rows])
    ax.invert_yaxis()
    ax.grid(axis="y", visible=False)
    known = any(math.isfinite(r.lo) and math.isfinite(r.hi) for r in rows)
    ax.set_xlabel(f"{xlabel} ({unit}); " + ("dark: the 95% interval excludes 0" if known else "no intervals known"))
    ax.set_title(title)
    ax.margins(x=0.1)
    return to_svg(fig, alt)
