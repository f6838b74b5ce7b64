"""Named places a trainer types instead of coordinates: launch sites, defended cities, borders.

Coordinates are public figures (model brief, gazetteers) to about 100 m; a scenario that needs a
precise aim point gives `LAT,LON` instead.
"""

from __future__ import annotations

import difflib
import math
import re
from dataclasses import dataclass


@dataclass(frozen=True)
class Site:
    """A named point on the map, with where its coordinates come from."""

    name: str
    lat: float
    lon: float
    description: str
    source: str


_BRIEF = "model brief (shared/design/model.md), public figures"
_GAZETTEER = "public gazetteer coordinates"

SITES: dict[str, Site] = {
    s.name: s
    for s in (
        # Launch sites (DPRK).
        Site("sinpo", 40.0347, 128.1856, "Sinpo shipyard, submarine-launched missile tests", _BRIEF),
        Site("musudan_ri", 40.85, 129.667, "Musudan-ri / Tonghae satellite launching ground", _BRIEF),
        Site("sunan", 39.2239, 125.6700, "Sunan, Pyongyang international airport", _BRIEF),
        Site("pukchang", 39.505, 125.964, "Pukchang airfield, South Pyongan: 29 Apr 2017 failed launch", _GAZETTEER),
        Site("kusong", 39.983, 125.250, "Kusong, North Pyongan: 14 May 2017 Hwasong-12 launch", _GAZETTEER),
        # Russian Far East.
        Site("vladivostok", 43.1150, 131.8853, "Vladivostok, Primorsky Krai", _BRIEF),
        Site("khabarovsk", 48.4667, 135.1000, "Khabarovsk, Eastern Military District HQ", _BRIEF),
        Site("khasan", 42.4217, 130.6026, "Friendship Bridge, Khasan / Tumangang border crossing on the Tumen", _BRIEF),
        Site("nakhodka", 42.8167, 132.8833, "Nakhodka, Primorsky Krai port", _GAZETTEER),
        Site("ussuriysk", 43.8000, 131.9500, "Ussuriysk, Primorsky Krai", _GAZETTEER),
        # Neighbouring capitals and cities.
        Site("pyongyang", 39.0194, 125.7381, "Pyongyang", _GAZETTEER),
        Site("seoul", 37.5665, 126.9780, "Seoul", _GAZETTEER),
        Site("tokyo", 35.6895, 139.6917, "Tokyo", _GAZETTEER),
        Site("niigata", 37.9161, 139.0364, "Niigata, Sea of Japan coast", _GAZETTEER),
    )
}

# Other names people use for the same places.
ALIASES: dict[str, str] = {
    "tonghae": "musudan_ri",
    "friendship_bridge": "khasan",
}

_LAT_LON = re.compile(r"^\s*([-+]?\d+(?:\.\d*)?|[-+]?\.\d+)\s*,\s*([-+]?\d+(?:\.\d*)?|[-+]?\.\d+)\s*$")


def site_key(text: str) -> str:
    """Case-insensitive key where '-', ' ' and '_' are the same thing."""
    return re.sub(r"[-\s_]+", "_", text.strip().lower())


def find_site(text: str) -> Site | None:
    """The site called `text` (or one of its aliases), None when there is none."""
    key = site_key(text)
    return SITES.get(ALIASES.get(key, key))


def parse_place(text) -> tuple[float, float]:
    """(lat, lon) in degrees of a site name or a `"LAT,LON"` string in decimal degrees.

    A (lat, lon) pair passes through after a range check, so callers can take either.
    """
    if not isinstance(text, str):
        try:
            lat, lon = (float(x) for x in text)
        except (TypeError, ValueError):
            raise ValueError(f"place must be a site name or 'LAT,LON', got {text!r}") from None
        return _checked(lat, lon, repr(text))
    match = _LAT_LON.match(text)
    if match:
        return _checked(float(match.group(1)), float(match.group(2)), text)
    site = find_site(text)
    if site is not None:
        return site.lat, site.lon
    names = sorted(SITES) + sorted(ALIASES)
    close = difflib.get_close_matches(site_key(text), names, n=1, cutoff=0.6)
    hint = f"did you mean {close[0]}?" if close else "known sites: " + ", ".join(names)
    raise ValueError(f"unknown place {text!r} (a site name or 'LAT,LON'): {hint}")


def _checked(lat: float, lon: float, shown: str) -> tuple[float, float]:
    if not (math.isfinite(lat) and math.isfinite(lon) and -90 <= lat <= 90 and -180 <= lon <= 360):
        raise ValueError(f"place {shown}: latitude must be within -90..90 and longitude -180..360")
    return lat, lon
