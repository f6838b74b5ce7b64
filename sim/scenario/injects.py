"""Injects: what a trainer makes happen during a scenario, at a time or on an event.

An inject is one thing that happens (a link goes down, a post is hit, higher command sends a message or a
standing order, an alert order, another launch, a false track), at a fixed time or a delay after the first
launch or the first detection. Injects act in every replication of ``sim run`` as in an exercise, where a
facilitator may also add them while it runs. ``command.outages`` stays the short form of a link down
for a known interval. Split from ``model.py`` (one concept each); ``model.py`` re-exports every name here.
"""

from __future__ import annotations

from typing import Literal

from pydantic import Field

from sim.scenario.parts import Name, Part
from sim.scenario.types import Duration

ZoneName = Literal["own_land", "own_territorial_sea", "own_eez", "foreign_land", "foreign_sea", "high_seas"]

# the keys saying what an inject does: exactly one per inject
INJECT_KINDS = (
    "link_down",
    "link_up",
    "post_out",
    "message",
    "standing_order",
    "alert_order",
    "launch",
    "false_track",
)


class InjectStandingOrder(Part):
    """A standing (pre-delegated) destruction order sent during the scenario."""

    post: Name = Field(description="The post that may then authorise without asking up.")
    zones: list[ZoneName] = Field(["own_land"], description="Zones of the predicted impact it covers.")
    lasting: Duration | None = Field(None, description="How long it stands (default: to the end).")


class InjectAlertOrder(Part):
    """An order to raise the alert, sent during the scenario (like ``alert_orders`` without a timing of its own)."""

    level: Name = Field(description="The alert level ordered.")
    issued_by: Name = Field(description="The post that issues the order.")
    units: list[Name] | None = Field(None, description="Units it reaches (default: every unit under the issuing post).")


class Inject(Part):
    """One inject: when (``at``, or ``trigger`` with ``delay``) and what (exactly one of the kinds)."""

    at: Duration | None = Field(None, description="Time after the scenario starts.")
    trigger: Literal["launch", "launch_detected"] | None = Field(
        None, description="Or on an event: the first launch, or the first detection."
    )
    delay: Duration = Field(0.0, description="Delay after the trigger.")
    link_down: Name | None = Field(
        None, description="The link from this post to its parent goes down (until a link_up, 'lasting', or the end)."
    )
    link_up: Name | None = Field(None, description="The link from this post to its parent is back.")
    post_out: Name | None = Field(
        None, description="This post is out of action: its link is down and its fallback takes its authority."
    )
    message: str | None = Field(
        None, min_length=1, max_length=2000, description="A message from higher command, shown to the players."
    )
    to: Name | None = Field(None, description="The post a message goes to (default: every post).")
    standing_order: InjectStandingOrder | None = Field(None, description="A standing destruction order.")
    alert_order: InjectAlertOrder | None = Field(None, description="An order to raise the alert.")
    launch: Name | None = Field(
        None, description="This threat is launched at 'at' instead of its own launch time (needs 'at')."
    )
    false_track: Name | None = Field(
        None,
        description="A track that is not a missile appears at a post ('post'): it takes a duty officer for "
        "'lasting' (default 2min); in an exercise the player must decide on it.",
    )
    post: Name | None = Field(None, description="The post a false track is reported to.")
    lasting: Duration | None = Field(None, description="How long it lasts (link_down, post_out, false_track).")

    @property
    def kind(self) -> str:
        """Which kind of inject this is (the first kind key given)."""
        return next((k for k in INJECT_KINDS if getattr(self, k) is not None), "")

    @property
    def subject(self) -> str:
        """What it is about, in a word: the post, the threat, the level, or the message."""
        value = getattr(self, self.kind, None)
        if isinstance(value, InjectStandingOrder):
            return value.post
        if isinstance(value, InjectAlertOrder):
            return value.level
        return str(value or "")


def inject_problems(s) -> list[tuple[tuple, str]]:
    """Names an inject refers to, and the one-kind and one-timing rules (pydantic checks each field alone)."""
    from sim.scenario.crossrefs import _unknown, ancestors

    issues: list[tuple[tuple, str]] = []
    posts = [p.name for p in s.command.posts]
    levels = [lv.name for lv in s.alert_levels]
    units = [u.name for u in s.units]
    threats = [t.name for t in s.threats]
    for i, inj in enumerate(s.injects):
        here = ("injects", i)
        given = [k for k in INJECT_KINDS if getattr(inj, k) is not None]
        if len(given) != 1:
            issues.append((here, f"give exactly one of {', '.join(INJECT_KINDS)} (got {', '.join(given) or 'none'})"))
        if (inj.at is None) == (inj.trigger is None):
            issues.append(
                (here, "give exactly one of 'at' (a time) or 'trigger' (an event: launch or launch_detected)")
            )
        for key in ("link_down", "link_up", "post_out", "to", "post"):
            name = getattr(inj, key)
            if name is not None and name not in posts:
                issues.append((here + (key,), _unknown("post", name, posts)))
        if inj.false_track is not None and inj.post is None:
            issues.append((here, "a false track needs the 'post' it is reported to"))
        if inj.launch is not None:
            if inj.launch not in threats:
                issues.append((here + ("launch",), _unknown("threat", inj.launch, threats)))
            if inj.at is None:
                issues.append((here, "a launch inject needs 'at': the flight is computed before the replication runs"))
            if [j.launch for j in s.injects].count(inj.launch) > 1:
                issues.append((here + ("launch",), f"threat '{inj.launch}' is launched by two injects"))
        so = inj.standing_order
        if so is not None and so.post not in posts:
            issues.append((here + ("standing_order", "post"), _unknown("post", so.post, posts)))
        ao = inj.alert_order
        if ao is not None:
            if ao.level not in levels:
                issues.append((here + ("alert_order", "level"), _unknown("alert level", ao.level, levels)))
            if ao.issued_by not in posts:
                issues.append((here + ("alert_order", "issued_by"), _unknown("post", ao.issued_by, posts)))
            for j, name in enumerate(ao.units or []):
                if name not in units:
                    issues.append((here + ("alert_order", "units", j), _unknown("unit", name, units)))
                elif ao.issued_by in posts and ao.issued_by not in ancestors(s, s.units[units.index(name)].post):
                    issues.append((here + ("alert_order", "units", j), f"unit '{name}' is not under '{ao.issued_by}'"))
    return issues
