"""Two small facts about numbers that every layer needs: NaN means "did not happen", JSON has no NaN."""

from __future__ import annotations

import math

NAN = float("nan")


def is_nan(x: float) -> bool:
    """True for NaN: a time that never came, a statistic with no row behind it.

    ``x != x`` is the one test that is both exact for floats and cheap enough for the engine's hot loop.
    """
    return x != x


def json_number(x: float | int | None) -> float | None:
    """A JSON number: a plain float, ``None`` for NaN, infinity or nothing."""
    if x is None:
        return None
    x = float(x)
    return x if math.isfinite(x) else None


def from_json(x: float | int | None) -> float:
    """The reverse of :func:`json_number`: ``None`` reads back as NaN."""
    return NAN if x is None else float(x)
