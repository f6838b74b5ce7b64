"""Missile classes a trainer names instead of typing a boost: burn time and what the figures rest on.

Burn times of North Korean missiles are not published; the figures below are order-of-magnitude
values for each class of engine, marked as assumptions, and the 14 May 2017 Hwasong-12 flight
(787 km, apogee 2,111.5 km, about 30 min: public_figures P-14..P-16) is the one check we can make
on them (docs/validation.md). The burnout altitude is not tabled: it depends on the flight (a lofted
shot burns out higher than a flat one), so a flight derives it from its burn time with the assumed
rocket-like build-up of speed (`powered.nominal_burnout_altitude_km`) unless the scenario gives it.
"""

from __future__ import annotations

import difflib
from dataclasses import dataclass

from sim.world.sites import site_key

ASSUMED = "assumption (no published figure)"


@dataclass(frozen=True)
class MissileClass:
    """A class of ballistic missile: its powered phase and size as a radar sees it."""

    name: str
    description: str
    burn_time_s: float
    burn_time_source: str
    nominal_range_km: float  # on a standard (not lofted) trajectory
    range_source: str
    rcs_m2: float  # radar cross-section seen by a ground radar during the climb and the coast
    rcs_source: str = ASSUMED


MISSILE_CLASSES: dict[str, MissileClass] = {
    m.name: m
    for m in (
        MissileClass(
            "hwasong_12",
            "Hwasong-12 (KN-17), single-stage liquid IRBM, flown on 14 May 2017",
            140.0,
            ASSUMED + ": single-stage liquid IRBM burn of about 2 to 2.5 min; with it the 14 May 2017 "
            "flight lasts about 30 min (docs/validation.md)",
            4500.0,
            "about 4,500 km on a standard trajectory: D. Wright (UCS) via Yonhap, 15 May 2017",
            1.0,
        ),
        MissileClass(
            "musudan",
            "Musudan (Hwasong-10, BM-25), single-stage liquid IRBM",
            120.0,
            ASSUMED + ": single-stage liquid IRBM burn of about 2 min",
            3250.0,
            "3,000 to 3,500 km: South Korean military via Korea Herald, 24 Jun 2016",
            1.0,
        ),
        MissileClass(
            "scud",
            "Scud class (Hwasong-5/6, Scud-ER), single-stage liquid SRBM",
            60.0,
            ASSUMED + ": about 1 min, the usual open-literature order for a Scud-type engine",
            500.0,
            ASSUMED + ": 300 km (Scud-B) to about 500 km (Scud-C), open literature",
            0.5,
        ),
    )
}

ALIASES: dict[str, str] = {
    "kn_17": "hwasong_12",
    "hwasong12": "hwasong_12",
    "hwasong_10": "musudan",
    "bm_25": "musudan",
    "hwasong_5": "scud",
    "hwasong_6": "scud",
    "scud_b": "scud",
    "scud_c": "scud",
    "scud_er": "scud",
}


def find_missile(name: str) -> MissileClass:
    """The class called `name` (or an alias; case, spaces and dashes do not matter).

    Raises ValueError with the known names (and the closest one) when there is none.
    """
    key = site_key(name)
    found = MISSILE_CLASSES.get(ALIASES.get(key, key))
    if found is not None:
        return found
    names = sorted(MISSILE_CLASSES) + sorted(ALIASES)
    close = difflib.get_close_matches(key, names, n=1, cutoff=0.6)
    hint = f"did you mean {close[0]}?" if close else "known classes: " + ", ".join(names)
    raise ValueError(f"unknown missile class {name!r}: {hint}")
