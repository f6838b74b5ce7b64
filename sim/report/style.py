"""One look for every figure: a matplotlib style, page-wide inline SVG, scenario text drawn as typed.

Figures are drawn on Figure objects with no pyplot (no global state, safe in any thread) and
returned as an ``<svg>`` element to put straight into the page: it scales to the page's width,
prints sharp, and carries no link (the XML prolog, DOCTYPE, metadata and namespace URLs are cut:
an HTML parser puts inline SVG in its namespace by itself).
"""

from __future__ import annotations

import functools
import io
import re
from collections.abc import Callable
from typing import Any, TypeVar

import matplotlib
from cycler import cycler
from matplotlib.backends.backend_svg import FigureCanvasSVG
from matplotlib.figure import Figure

# Colours a projector shows apart (and that survive greyscale printing by lightness).
BEFORE, AFTER = "#1f5fa8", "#8fb3dc"
INTERCEPTED, LEAKED, HARMLESS = "#2e8b57", "#c62828", "#9e9e9e"
INK, MUTED, GRID = "#222222", "#666666", "#dddddd"
OWN, LAND, SEA = "#f3e6c8", "#e6e6e6", "#eaf2fa"
CYCLE = ["#1f5fa8", "#e07b00", "#2e8b57", "#8e44ad", "#c62828", "#00838f", "#6d4c41", "#757575"]

WIDTH_IN = 10.0  # every figure is drawn this wide and shown at the page's width: one text size everywhere

RC: dict[str, Any] = {
    "text.parse_math": False,
    "text.usetex": False,  # a unit named $x^{$ is a name, not mathtext
    "font.size": 11,
    "axes.titlesize": 12,
    "axes.titleweight": "bold",
    "axes.titlelocation": "left",
    "axes.labelsize": 11,
    "xtick.labelsize": 10,
    "ytick.labelsize": 10,
    "legend.fontsize": 10,
    "axes.edgecolor": MUTED,
    "axes.labelcolor": INK,
    "xtick.color": MUTED,
    "ytick.color": MUTED,
    "text.color": INK,
    "axes.spines.top": False,
    "axes.spines.right": False,
    "axes.grid": True,
    "grid.color": GRID,
    "grid.linewidth": 0.6,
    "axes.axisbelow": True,
    "legend.frameon": False,
    "axes.prop_cycle": cycler(color=CYCLE),
    "svg.fonttype": "path",
    "svg.hashsalt": "tabletop-sim",
    "svg.image_inline": True,
}

F = TypeVar("F", bound=Callable[..., str])


def styled(draw: F) -> F:
    """Draw under the house style (and with every text taken literally)."""

    @functools.wraps(draw)
    def drawn(*args, **kwargs):
        with matplotlib.rc_context(RC):
            return draw(*args, **kwargs)

    return drawn  # type: ignore[return-value]


def figure(height_in: float, width_in: float = WIDTH_IN) -> Figure:
    return Figure(figsize=(width_in, height_in), layout="constrained")


_CUT = [
    re.compile(r"<\?xml[^>]*\?>\s*"),
    re.compile(r"<!DOCTYPE[^>]*>\s*", re.DOTALL),
    re.compile(r"<metadata>.*?</metadata>\s*", re.DOTALL),
    re.compile(r'\s+xmlns(?::\w+)?="[^"]*"'),
]


def to_svg(fig: Figure, alt: str) -> str:
    """The figure as an inline ``<svg>`` element that fills the width it is given, labelled for screen readers."""
    FigureCanvasSVG(fig)
    buf = io.StringIO()
    fig.savefig(
        buf,
        format="svg",
        bbox_inches="tight",
        pad_inches=0.05,
        metadata={"Date": None, "Creator": None, "Format": None, "Type": None},
    )
    svg = buf.getvalue()
    for cut in _CUT:
        svg = cut.sub("", svg)
    from html import escape

    svg = re.sub(r'<svg\s+width="[^"]*"\s+height="[^"]*"', f'<svg role="img" aria-label="{escape(alt)}"', svg, count=1)
    return svg.strip()
