"""Checks that need the whole scenario: names that refer to other parts, and places on the map.

Pydantic checks each field on its own; this module checks that a unit's post exists, that the
post holding authority is above the unit so a report can reach it, that sites resolve, and that a
threat says both where it goes and how far.
"""

from __future__ import annotations

import difflib

from sim.scenario.model import Scenario

Issue = tuple[tuple, str]


def resolve_place(text: str, extra_sites: dict[str, str]) -> tuple[float, float]:
    """A place as (lat, lon): a site the scenario names, a built-in site, or 'LAT,LON'."""
    from sim.world.sites import parse_place, site_key

    key = site_key(text)
    for name, value in extra_sites.items():
        if site_key(name) == key:
            return parse_place(value)
    return parse_place(text)


def _unknown(kind: str, name: str, known: list[str]) -> str:
    near = difflib.get_close_matches(name, known, n=1)
    hint = f" (did you mean '{near[0]}'?)" if near else f"; known: {', '.join(known)}"
    return f"unknown {kind} '{name}'{hint}"


def ancestors(s: Scenario, post: str) -> list[str]:
    """The post itself and every post above it, nearest first."""
    parent = {p.name: p.parent for p in s.command.posts}
    chain: list[str] = []
    cur: str | None = post
    while cur is not None and cur not in chain:
        chain.append(cur)
        cur = parent.get(cur)
    return chain


def check(s: Scenario) -> list[Issue]:
    issues: list[Issue] = []
    posts = [p.name for p in s.command.posts]
    levels = [lv.name for lv in s.alert_levels]
    units = [u.name for u in s.units]

    for kind, names, path in (
        ("post", posts, ("command", "posts")),
        ("alert level", levels, ("alert_levels",)),
        ("unit", units, ("units",)),
        ("threat", [t.name for t in s.threats], ("threats",)),
    ):
        seen = set()
        for i, n in enumerate(names):
            if n in seen:
                issues.append((path + (i, "name"), f"{kind} '{n}' is named twice"))
            seen.add(n)

    twice = {n for n in posts if posts.count(n) > 1}
    for i, p in enumerate(s.command.posts):
        if p.parent is not None and p.parent not in posts:
            issues.append((("command", "posts", i, "parent"), _unknown("post", p.parent, posts)))
        elif p.parent is not None and p.parent == p.name:
            issues.append((("command", "posts", i, "parent"), f"post '{p.name}' cannot be its own parent"))
        elif p.parent is not None and not twice and p.name in ancestors(s, p.parent):
            issues.append((("command", "posts", i, "parent"), f"posts '{p.name}' and '{p.parent}' form a loop"))
    for i, o in enumerate(s.command.outages):
        if o.post not in posts:
            issues.append((("command", "outages", i, "post"), _unknown("post", o.post, posts)))
        if o.end <= o.start:
            issues.append((("command", "outages", i, "end"), "an outage must end after it starts"))

    for i, lv in enumerate(s.alert_levels):
        if lv.authority not in posts:
            issues.append((("alert_levels", i, "authority"), _unknown("post", lv.authority, posts)))

    def place(path, text):
        try:
            resolve_place(text, s.sites)
        except ValueError as exc:
            issues.append((path, str(exc)))

    for name, value in s.sites.items():
        place(("sites", name), value)

    for i, u in enumerate(s.units):
        if u.post not in posts:
            issues.append((("units", i, "post"), _unknown("post", u.post, posts)))
        else:
            above = ancestors(s, u.post)
            for j, lv in enumerate(s.alert_levels):
                if lv.authority in posts and lv.authority not in above:
                    issues.append(
                        (
                            ("alert_levels", j, "authority"),
                            f"'{lv.authority}' is not above unit '{u.name}' (post '{u.post}'), so no report can reach it",
                        )
                    )
        place(("units", i, "site"), u.site)
        if u.initial_level is not None and u.initial_level not in levels:
            issues.append((("units", i, "initial_level"), _unknown("alert level", u.initial_level, levels)))
        if u.interceptors.loaded > u.capacity:
            issues.append(
                (
                    ("units", i, "interceptors", "loaded"),
                    f"{u.interceptors.loaded} loaded but only {u.launchers} launchers x {u.interceptors.per_launcher} = {u.capacity} places",
                )
            )

    for i, sn in enumerate(s.sensors):
        if sn.post not in posts:
            issues.append((("sensors", i, "post"), _unknown("post", sn.post, posts)))
        place(("sensors", i, "site"), sn.site)

    for i, order in enumerate(s.alert_orders):
        if (order.at is None) == (order.trigger is None):
            issues.append(
                (
                    ("alert_orders", i),
                    "give exactly one of 'at' (a time) or 'trigger' (an event: launch or launch_detected)",
                )
            )
        if order.level not in levels:
            issues.append((("alert_orders", i, "level"), _unknown("alert level", order.level, levels)))
        if order.issued_by not in posts:
            issues.append((("alert_orders", i, "issued_by"), _unknown("post", order.issued_by, posts)))
            continue
        for j, name in enumerate(order.units or []):
            if name not in units:
                issues.append((("alert_orders", i, "units", j), _unknown("unit", name, units)))
            else:
                unit = s.units[units.index(name)]
                if order.issued_by not in ancestors(s, unit.post):
                    issues.append((("alert_orders", i, "units", j), f"unit '{name}' is not under '{order.issued_by}'"))

    issues += _check_rules(s, posts, levels)
    for i, f in enumerate(s.friendly_flights):
        place(("friendly_flights", i, "site"), f.site)
        if f.end < f.start:
            issues.append((("friendly_flights", i, "end"), "ends before it starts"))

    for i, t in enumerate(s.threats):
        place(("threats", i, "launch", "site"), t.launch.site)
        if (t.toward is None) == (t.azimuth is None):
            issues.append((("threats", i), "give exactly one of 'toward' (a place) or 'azimuth' (degrees)"))
        elif t.toward is not None:
            place(("threats", i, "toward"), t.toward)
        by_range = t.range is not None
        by_burnout = t.speed is not None or t.angle is not None
        if by_range == by_burnout:
            issues.append((("threats", i), "give 'range' (optionally with 'apogee') or 'speed' with 'angle'"))
        elif by_burnout and (t.speed is None or t.angle is None):
            issues.append((("threats", i), "'speed' and 'angle' go together"))
        elif t.apogee is not None and not by_range:
            issues.append((("threats", i, "apogee"), "'apogee' goes with 'range'"))
    return issues


def _check_rules(s: Scenario, posts: list[str], levels: list[str]) -> list[Issue]:
    """Names in the rules of engagement, fallbacks and interceptor types."""
    from sim.scenario.model import FORBIDDEN, ZONE_COLUMNS
    from sim.world.territory import territory_codes

    issues: list[Issue] = []
    roe = s.rules_of_engagement
    codes = list(territory_codes())
    if roe.own_territory not in codes:  # else nothing is defended and nothing engaged, without a word
        issues.append((("rules_of_engagement", "own_territory"), _unknown("territory", roe.own_territory, codes)))
    for i, row in enumerate(roe.zones):
        if row.level not in levels:
            issues.append((("rules_of_engagement", "zones", i, "level"), _unknown("alert level", row.level, levels)))
        for col in ZONE_COLUMNS:
            v = getattr(row, col)
            if v is not None and v != FORBIDDEN and v not in posts:
                issues.append((("rules_of_engagement", "zones", i, col), _unknown("post", v, posts + [FORBIDDEN])))
    for i, o in enumerate(roe.standing_orders):
        if o.post not in posts:
            issues.append((("rules_of_engagement", "standing_orders", i, "post"), _unknown("post", o.post, posts)))
        if o.end < o.start:
            issues.append((("rules_of_engagement", "standing_orders", i, "end"), "ends before it starts"))
    for i, p in enumerate(s.command.posts):
        if p.fallback is not None and p.fallback not in posts:
            issues.append((("command", "posts", i, "fallback"), _unknown("post", p.fallback, posts)))
    named = [
        (("rules_of_engagement", "zones", i, col), getattr(row, col))
        for i, row in enumerate(roe.zones)
        for col in ZONE_COLUMNS
    ]
    named += [
        (("rules_of_engagement", "standing_orders", i, "post"), o.post) for i, o in enumerate(roe.standing_orders)
    ]
    named += [(("command", "posts", i, "fallback"), p.fallback) for i, p in enumerate(s.command.posts)]
    for i, u in enumerate(s.units):
        above = ancestors(s, u.post)
        for path, post in named:
            if post in posts and post not in above:
                issues.append(
                    (path, f"'{post}' is not above unit '{u.name}' (post '{u.post}'), so no report can reach it")
                )
        names = [t.name for t in u.interceptor_types]
        for j, n in enumerate(names):
            if names.index(n) != j:
                issues.append((("units", i, "interceptor_types", j, "name"), f"interceptor type '{n}' is named twice"))
    return issues
