"""The base of every scenario part: strict, frozen, unknown keys refused; and what a name may be."""

from __future__ import annotations

from typing import Annotated

from pydantic import BaseModel, ConfigDict, StringConstraints

from sim.scenario.distributions import Fixed
from sim.scenario.quantities import DURATION

# A name: a word without spaces at either end or control characters (an empty name cannot be referred to).
Name = Annotated[
    str,
    StringConstraints(
        min_length=1, max_length=200, pattern=r"^[^\s\x00-\x1f\x7f](?:[^\x00-\x1f\x7f]*[^\s\x00-\x1f\x7f])?$"
    ),
]


def _fixed_s(seconds: float):
    return Fixed(DURATION, seconds)


class Part(BaseModel):
    """Common settings: unknown keys are errors, values never change after loading, no silent coercion."""

    model_config = ConfigDict(extra="forbid", frozen=True, strict=True, arbitrary_types_allowed=True)
