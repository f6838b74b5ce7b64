"""Russia's missile-warning radars nearest to the Korean peninsula, as `Radar`s with their sources.

On 14 May 2017 the Russian defence ministry said its missile-attack warning system tracked the
Hwasong-12 for 23 minutes of a flight of about 30 (TASS / Reuters, 14 May 2017; model.md). The one
warning radar of the network facing that way in 2017 was the Voronezh-M near Usolye-Sibirskoye
(Mishelevka), Irkutsk region, put on duty on 23 May 2012 (Lt Gen O. Ostapenko via RIA Novosti);
Voronezh-class radars are quoted at up to 6,000 km against ballistic targets (V. Yesin via RIA
Novosti, 2012; the same 6,000 km in RIA's 2013 reports), older RIA reports say 4,000 km.

Assumptions (no public figure): the reference target the 6,000 km refers to (1 m^2 at a 50 % chance
per look), the antenna height, the revisit period, and the site to ~20 km (the town's coordinates).
No sector is set: the radar's published purpose is the south-east and east, which holds the DPRK.
"""

from __future__ import annotations

from sim.world.radar import Radar

_ASSUMED = "assumption (no public figure)"

USOLYE_SIBIRSKOYE_LAT, USOLYE_SIBIRSKOYE_LON = 52.75, 103.65  # the town; the radar site is nearby (assumption)

VORONEZH_M_IRKUTSK = Radar(
    lat=USOLYE_SIBIRSKOYE_LAT,
    lon=USOLYE_SIBIRSKOYE_LON,
    height_m=20.0,  # assumption: centre of a multi-storey phased-array face
    reference_range_km=6000.0,  # V. Yesin via RIA Novosti, 23 May 2012
    reference_rcs_m2=1.0,  # assumption
    scan_period_s=10.0,  # assumption: revisit of a tracked target
)

SOURCES = {
    "position": "Usolye-Sibirskoye (Mishelevka), Irkutsk region: RIA Novosti 2012-2013; coordinates of the town, "
    + _ASSUMED
    + " to ~20 km",
    "reference_range_km": "up to 6,000 km against ballistic targets: V. Yesin via RIA Novosti, 23 May 2012",
    "reference_rcs_m2": _ASSUMED,
    "height_m": _ASSUMED,
    "scan_period_s": _ASSUMED,
    "tracked_14_may_2017": "23 minutes of a ~30-minute flight: Russian MoD via TASS / Reuters, 14 May 2017",
}
