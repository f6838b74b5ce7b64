"""Quantities with units, as trainers write them: ``90s``, ``1h30min``, ``460km``, ``4.8km/s``.

Every quantity is stored in one base unit per kind (seconds, kilometres, km/s, degrees,
plain numbers for fractions) so the rest of the program never converts again. A bare number
where a unit is needed is refused: ``20`` could be seconds or minutes, and a scenario that
silently means the wrong one is worse than one that does not load.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass


class QuantityError(ValueError):
    """A value that is not a quantity of the expected kind; the message says what to write."""


@dataclass(frozen=True)
class Kind:
    """One kind of quantity: its base unit, the units it accepts and an example for messages."""

    name: str
    base: str
    units: dict[str, float]
    example: str
    unitless: bool = False


DURATION = Kind(
    "duration", "s", {"s": 1.0, "sec": 1.0, "min": 60.0, "h": 3600.0, "d": 86400.0}, "90s, 20min, 4h or 1h30min"
)
DISTANCE = Kind("distance", "km", {"m": 0.001, "km": 1.0}, "460km or 30m")
SPEED = Kind("speed", "km/s", {"m/s": 0.001, "km/s": 1.0, "km/h": 1.0 / 3600.0}, "4.8km/s or 15m/s")
ANGLE = Kind("angle", "deg", {"deg": 1.0}, "45deg or 45", unitless=True)
FRACTION = Kind("fraction", "", {"%": 0.01}, "0.3 or 30%", unitless=True)
CROSS_SECTION = Kind("cross-section", "m^2", {}, "1 or 0.5 (square metres)", unitless=True)

BALLISTIC_COEFFICIENT = Kind("ballistic coefficient", "kg/m^2", {}, "3000 (kg/m^2, a plain number)", unitless=True)

KINDS = {k.name: k for k in (DURATION, DISTANCE, SPEED, ANGLE, FRACTION, CROSS_SECTION, BALLISTIC_COEFFICIENT)}

_NUMBER = r"[-+]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][-+]?\d+)?"
_TERM = re.compile(rf"\s*({_NUMBER})\s*([a-zA-Z/%]*)\s*")


def parse(value: object, kind: Kind) -> float:
    """Read ``value`` (a YAML scalar) as a quantity of ``kind`` and return it in base units."""
    if isinstance(value, bool):
        raise QuantityError(f"expected a {kind.name} like {kind.example}, got {str(value).lower()}")
    if isinstance(value, (int, float)):
        if not math.isfinite(value):
            raise QuantityError(f"expected a finite {kind.name} like {kind.example}")
        if kind.unitless:
            return float(value)
        raise QuantityError(f"a bare number needs a unit: write a {kind.name} like {kind.example}")
    if not isinstance(value, str):
        raise QuantityError(f"expected a {kind.name} like {kind.example}")
    text = value.strip()
    if re.fullmatch(r"\d+:\d+(:\d+)?", text):
        raise QuantityError(
            f"'{text}' is ambiguous (YAML 1.1 reads it as base-60); write a {kind.name} like {kind.example}"
        )
    total, pos, terms = 0.0, 0, 0
    while pos < len(text):
        m = _TERM.match(text, pos)
        if not m or m.end() == pos:
            raise QuantityError(f"cannot read '{text}' as a {kind.name}; write it like {kind.example}")
        if terms and m.group(1)[0] in "+-":
            raise QuantityError(f"cannot read '{text}' as a {kind.name}; write it like {kind.example}")
        number, unit = float(m.group(1)), m.group(2)
        if unit == "" and not kind.unitless:
            raise QuantityError(f"'{text}' needs a unit: write a {kind.name} like {kind.example}")
        if unit and unit not in kind.units:
            known = ", ".join(kind.units)
            raise QuantityError(f"unknown unit '{unit}' for a {kind.name} (use {known}), e.g. {kind.example}")
        total += number * kind.units.get(unit, 1.0)
        pos, terms = m.end(), terms + 1
    if terms == 0:
        raise QuantityError(f"expected a {kind.name} like {kind.example}")
    if terms > 1 and kind is not DURATION:
        raise QuantityError(f"cannot read '{text}' as a {kind.name}; write it like {kind.example}")
    if not math.isfinite(total):
        raise QuantityError(f"expected a finite {kind.name} like {kind.example}")
    return total


def format_duration(seconds: float) -> str:
    """A duration the way a trainer says it: ``45s``, ``12.5min``, ``3.2h``, ``2.1d``."""
    if seconds != seconds:  # NaN
        return "-"
    s = abs(seconds)
    sign = "-" if seconds < 0 else ""
    if s < 120:
        return f"{sign}{s:.0f}s" if s >= 10 else f"{sign}{s:.1f}s"
    if s < 2 * 3600:
        return f"{sign}{s / 60:.1f}min"
    if s < 3 * 86400:
        return f"{sign}{s / 3600:.1f}h"
    return f"{sign}{s / 86400:.1f}d"
