"""Warnings: scenarios that load but cannot do what they seem to (issue 18)."""

from __future__ import annotations

from scenario_texts import MINIMAL

from sim.scenario.loader import load_text
from sim.world.geo import great_circle_km
from sim.world.sites import parse_place


def warnings_of(text: str, overrides=()) -> list[str]:
    return [str(w) for w in load_text(text, "s.yaml", list(overrides)).warnings]


def test_minimal_has_no_warning():
    assert warnings_of(MINIMAL) == []


def test_a_level_no_unit_can_reach():
    # u1 has 8 launchers x 4 = 32 places and 4 loaded, no depot: a level asking for half (16) is out of reach
    text = MINIMAL.replace("    authority: hq\n", "    authority: hq\n    interceptors_loaded: 0.5\n")
    assert warnings_of(text) == [
        "s.yaml:5:26: alert_levels.0.interceptors_loaded: warning: no unit can reach 'constant': it asks for 0.5 of "
        "each unit's launcher places loaded, more than any unit has with its depot"
    ]
    assert warnings_of(text, ["units.0.depot={interceptors: 12}"]) == []  # 4 + 12 = 16: reachable


def test_an_initial_level_whose_requirements_do_not_hold():
    text = MINIMAL.replace("    site: vladivostok\n", "    site: vladivostok\n    initial_level: constant\n")
    assert warnings_of(text) == []
    text = text.replace("    authority: hq\n", "    authority: hq\n    systems_checked: true\n")
    (line,) = warnings_of(text)
    assert line.startswith(
        "s.yaml:13:20: units.0.initial_level: warning: 'u1' starts ordered to 'constant' but does "
        "not meet 'constant' at the start (systems not yet checked"
    )
    assert warnings_of(text, ["units.0.checks={passed_at_start: true}"]) == []


def test_a_battery_out_of_reach_of_every_threat():
    # Sinpo to Vladivostok is about 500 km (checked below); a 200 km flight plus a 60 km envelope cannot get there,
    # a 470 km flight can (470 + 60 > 500).
    sinpo, vlad = parse_place("sinpo"), parse_place("vladivostok")
    distance = float(great_circle_km(*sinpo, *vlad))
    assert 440 < distance < 520
    threat = "threats=[{name: x, launch: {site: sinpo, at: 0s}, azimuth: 0, range: %dkm}]"
    (line,) = warnings_of(MINIMAL, [threat % 200])
    assert line.startswith("s.yaml:11:11: units.0.site: warning: ") and "'u1' is out of reach of every threat" in line
    assert f"at least {distance - 200 - 60:.0f} km short" in line
    assert warnings_of(MINIMAL, [threat % 470]) == []
