"""The rules of engagement and own aircraft in the sky: who may fire, where, when, and how much.

Split from ``model.py`` (one concept each); ``model.py`` re-exports every name here.
"""

from __future__ import annotations

from typing import Literal

from pydantic import Field

from sim.scenario.parts import Name, Part, _fixed_s
from sim.scenario.types import Distance, Duration, DurationDist

FORBIDDEN = "forbidden"
ZONE_COLUMNS = ("own_land", "own_territorial_sea", "own_eez", "foreign_land", "foreign_sea", "high_seas")


class ZoneAuthority(Part):
    """One alert level's rules by zone of the predicted impact: a post name, 'forbidden', or left out."""

    level: Name = Field(description="The alert level this row is for.")
    own_land: Name | None = Field(None, description="Predicted to fall on own land.")
    own_territorial_sea: Name | None = Field(None, description="In own territorial sea (12 nm, UNCLOS Art. 3).")
    own_eez: Name | None = Field(None, description="In own exclusive economic zone (200 nm, Art. 57).")
    foreign_land: Name | None = Field(None, description="On a foreign state's land.")
    foreign_sea: Name | None = Field(None, description="In a foreign state's territorial sea or economic zone.")
    high_seas: Name | None = Field(None, description="On the high seas (or off the shipped map).")


class StandingOrder(Part):
    """A pre-delegated destruction order: for a time, a post may authorise without asking up."""

    post: Name = Field(description="The post that may then authorise (e.g. the division's command post).")
    start: Duration = Field(description="From when the order stands, after the scenario starts.")
    end: Duration = Field(description="Until when.")
    zones: list[Literal["own_land", "own_territorial_sea", "own_eez", "foreign_land", "foreign_sea", "high_seas"]] = (
        Field(
            ["own_land"],
            description="Zones of the predicted impact it covers.",
        )
    )


class RulesOfEngagement(Part):
    """When to engage and how many interceptors to spend."""

    own_territory: str = Field("RUS", description="ISO alpha-3 code of the defended territory.")
    engage: Literal["own_territory", "any"] = Field(
        "own_territory", description="Engage only threats predicted to land on own territory, or any in reach."
    )
    doctrine: Literal["salvo", "shoot_look_shoot"] = Field(
        "salvo", description="Fire a salvo at once, or shoot, assess, and shoot again while the window allows."
    )
    salvo: int = Field(2, ge=1, le=64, description="Interceptors per salvo (or shots per look).")
    max_looks: int = Field(2, ge=1, le=16, description="Shoot-look-shoot: how many looks at most.")
    batteries: Literal["one", "first_ready", "shoot_look_shoot"] = Field(
        "first_ready",
        description="Which batteries take the fire order: one (the battery whose window closes last), "
        "first_ready (every battery in reach; the first ready with its window still open fires), or "
        "shoot_look_shoot (after a miss the next battery still in reach fires again).",
    )
    zones: list[ZoneAuthority] = Field(
        default_factory=list,
        description="Rules by alert level and zone of the predicted impact: the post that may "
        "authorise, or forbidden. A zone left out follows 'engage' and the level's authority.",
    )
    no_intercept_over: list[
        Literal["own_land", "own_territorial_sea", "own_eez", "foreign_land", "foreign_sea", "high_seas"]
    ] = Field(
        default_factory=list,
        description="Zones over which no intercept may happen (the wreckage would fall there): "
        "a battery whose shot would meet the missile over one of them holds fire.",
    )
    standing_orders: list[StandingOrder] = Field(
        default_factory=list,
        description="Time-bounded standing (pre-delegated) destruction orders.",
    )
    kill_assessment: DurationDist = Field(default_factory=lambda: _fixed_s(10.0), description="Time to assess a kill.")


class FriendlyFlight(Part):
    """Own aircraft in a sector for a time: engagements meeting the target there hold fire."""

    name: Name = Field(description="What flies, e.g. il76_drop.")
    site: str = Field(description="Centre of the sector: a named site or 'LAT,LON'.")
    radius: Distance = Field(description="Radius of the sector around the centre.")
    ceiling: Distance = Field(15.0, description="Top of the airspace used (intercepts above it are clear).")
    start: Duration = Field(description="When the flights enter the sector, after the scenario starts.")
    end: Duration = Field(description="When the last one leaves.")
