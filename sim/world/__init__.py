"""The physics and geography of the simulator: pure, vectorised functions of their arguments.

No SimPy, no randomness of its own (draws come in as arrays), nothing imported from the rest of
`sim`. One concept per module:

- `geo`: great-circle distance, bearing, destination on a spherical Earth
- `sites`: named places and `parse_place("sinpo" | "LAT,LON")`
- `territory`: which country (or the sea) a point lies in
- `zones`: own / foreign land, territorial sea (12 nm), EEZ (200 nm), high seas; distance to a coast
- `conic`: free flight (closed-form conic), inversion from range and apogee
- `powered`: the powered phase in closed form (pad to burnout, consistent kinematics)
- `ballistics`: `Trajectory`, N flights from pad to impact (boost + conic); `scan`: searching them in time
- `missiles`: missile classes (burn time, radar cross-section) with their sources
- `failures`: debris of an early explosion, heading error, thrust shortfall
- `sensors`: radar horizon and the first time a radar sees a flight
- `radar`: detection look by look (R^4 law, Swerling 1, scan, sector); `early_warning`: the Voronezh-M preset
- `prediction`: impact-point error from the track, P(impact on own territory) on the real map
- `atmosphere`: air density (exponential, US 1976 standard)
- `debris`: fragments flown with drag and wind from a break-up to the ground; their footprint
- `debris_calibration`: the 29 Apr 2017 failure (Tokchon) replayed
- `intercept`: engagement envelope (shrinking with target speed) and window, salvo arithmetic
- `engagement`: every battery and interceptor type in reach, and which can fire first
- `queueing`: Erlang C for decisions and fire channels
- `summary`: one flight described for `sim trajectory`
"""

from sim.world.ballistics import (
    Trajectory,
    burnout_for,
    flat_earth,
    free_flight,
    max_range_km,
    minimum_energy,
)
from sim.world.failures import explode, with_heading_error, with_thrust_shortfall
from sim.world.geo import (
    EARTH_RADIUS_KM,
    destination,
    great_circle_km,
    initial_bearing_deg,
)
from sim.world.intercept import (
    Envelope,
    engagement_window,
    in_envelope,
    intercept_time_s,
    salvo_kill_probability,
    shoot_look_shoot,
)
from sim.world.sensors import first_visible_time_s, radar_horizon_km, visible
from sim.world.sites import SITES, Site, parse_place
from sim.world.territory import Territories, territories

__all__ = [
    "EARTH_RADIUS_KM",
    "SITES",
    "Envelope",
    "Site",
    "Territories",
    "Trajectory",
    "burnout_for",
    "destination",
    "engagement_window",
    "explode",
    "first_visible_time_s",
    "flat_earth",
    "free_flight",
    "great_circle_km",
    "in_envelope",
    "initial_bearing_deg",
    "intercept_time_s",
    "max_range_km",
    "minimum_energy",
    "parse_place",
    "radar_horizon_km",
    "salvo_kill_probability",
    "shoot_look_shoot",
    "territories",
    "visible",
    "with_heading_error",
    "with_thrust_shortfall",
]
