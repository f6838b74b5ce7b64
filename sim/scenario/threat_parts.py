"""A scenario's threats: where a missile is launched, how it flies and how it may fail (part of the scenario model)."""

from __future__ import annotations

from pydantic import Field

from sim.scenario.distributions import Fixed
from sim.scenario.parts import Name, Part, _fixed_s
from sim.scenario.quantities import ANGLE, BALLISTIC_COEFFICIENT, FRACTION, SPEED
from sim.scenario.types import (
    Angle,
    AngleDist,
    BetaDist,
    CrossSection,
    Distance,
    Duration,
    DurationDist,
    Probability,
    ProbabilityDist,
    Speed,
    SpeedDist,
)


class Launch(Part):
    """Where and when the missile leaves the pad."""

    site: str = Field(description="Launch site: a named site (sinpo) or 'LAT,LON'.")
    at: DurationDist = Field(description="Launch time after the scenario starts (fixed or drawn).")


class Failure(Part):
    """Failure modes; the remaining probability is a nominal flight."""

    early_explosion: Probability = Field(0.0, description="Chance the missile explodes early in flight.")
    explosion_time: DurationDist = Field(
        default_factory=lambda: _fixed_s(60.0), description="Time after launch of the explosion."
    )
    wind_speed: SpeedDist = Field(
        default_factory=lambda: Fixed(SPEED, 0.015), description="Wind speed that drifts falling debris."
    )
    debris_fall_speed: Speed = Field(
        0.2, description="Mean fall speed of debris (200m/s; lighter debris falls slower and drifts further)."
    )
    wind_from: AngleDist = Field(
        default_factory=lambda: Fixed(ANGLE, 270.0),
        description="Direction the wind blows from, degrees (270 = westerly).",
    )
    fragments: int = Field(
        0,
        ge=0,
        le=20,
        description="Fragments flown from the break-up state through the air with drag and wind "
        "below 20 km (0: the older model, debris falling straight down at debris_fall_speed).",
    )
    fragment_beta: BetaDist = Field(
        default_factory=lambda: Fixed(BALLISTIC_COEFFICIENT, 3000.0),
        description="Ballistic coefficient m / (C_D A) of each fragment, kg/m^2 (dense lumps thousands, panels tens).",
    )
    guidance_fault: Probability = Field(0.0, description="Chance of a guidance fault (heading error).")
    heading_error: AngleDist = Field(
        default_factory=lambda: Fixed(ANGLE, 20.0),
        description="Heading error of a guidance fault, degrees.",
    )
    thrust_shortfall: Probability = Field(0.0, description="Chance the motor under-performs (range short).")
    speed_fraction: ProbabilityDist = Field(
        default_factory=lambda: Fixed(FRACTION, 0.85),
        description="Burnout speed as a fraction of nominal when thrust falls short.",
    )


class Threat(Part):
    """A ballistic missile launch: where from, where toward, what flight, how it may fail."""

    name: Name = Field(description="Name of the threat, e.g. stray.")
    launch: Launch = Field(description="Launch site and time.")
    toward: str | None = Field(None, description="Aim point: a named site or 'LAT,LON'.")
    azimuth: Angle | None = Field(None, description="Or a heading in degrees from north.")
    range: Distance | None = Field(None, description="Nominal ground range.")
    apogee: Distance | None = Field(
        None, description="Apogee, for lofted or depressed flights (default: minimum energy)."
    )
    speed: Speed | None = Field(None, description="Or the burnout speed (with angle).")
    angle: Angle | None = Field(None, description="Burnout flight-path angle, degrees above the horizon.")
    missile: str | None = Field(
        None,
        description="Missile class (hwasong12, musudan, scud...): its burn time and "
        "radar cross-section (default: the smallest class whose nominal range covers the flight).",
    )
    burn_time: Duration | None = Field(
        None,
        description="Powered phase before burnout (the missile climbs over its "
        "pad; default: the missile class's; 0s for none).",
    )
    burnout_altitude: Distance | None = Field(
        None,
        description="Altitude at burnout, reached during the powered "
        "phase (default: that of a rocket-like boost of burn_time).",
    )
    rcs: CrossSection | None = Field(
        None, description="Radar cross-section, square metres (default: the missile class's)."
    )
    failure: Failure = Field(default_factory=Failure, description="Failure modes and their chances.")
