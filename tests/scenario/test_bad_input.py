"""Issue 18: every hostile or careless input measured there is a problem line, never a crash or a quiet wrong number.

Each case changes one value of a shipped scenario (stray_missile.yaml) by ``--set`` or edits the text
of the 15-line MINIMAL scenario, and asserts where the problem is reported and what it says. The
limits asserted come from physics, not from the code: orbital speed sqrt(mu/R) = 7.905 km/s (Bate,
Mueller & White ch. 1), half the Earth's circumference pi R = 20015 km.
"""

from __future__ import annotations

import math
from pathlib import Path

import pytest
from scenario_texts import MINIMAL, problems_of

from sim.scenario.loader import ScenarioError, load_scenario, load_text

REPO = Path(__file__).resolve().parents[2]
STRAY = REPO / "scenarios" / "stray_missile.yaml"
STRAY_TEXT = STRAY.read_text(encoding="utf-8")
MU, R = 398600.4418, 6371.0088


def flagged(override: str) -> list[str]:
    """The problem lines of stray_missile.yaml with one override (the test fails if it loads)."""
    with pytest.raises(ScenarioError) as info:
        load_text(STRAY_TEXT, "stray.yaml", [override])
    return [str(p) for p in info.value.problems]


def one(override: str) -> str:
    lines = flagged(override)
    assert len(lines) == 1, lines
    assert lines[0].startswith(f"--set {override}: "), lines[0]
    return lines[0].removeprefix(f"--set {override}: ")


def test_the_physical_constants_used_in_these_tests():
    assert math.sqrt(MU / R) == pytest.approx(7.91, abs=1e-3)
    assert math.pi * R == pytest.approx(20015, abs=1)


# ---------------------------------------------------------------- found only at run time before


@pytest.mark.parametrize(
    "override, expected",
    [
        ("horizon=0s", "horizon: must be longer than 0s"),
        (
            "units.0.envelope.min_range=100km",
            "units.0.envelope.min_range: min_range (100 km) must be below max_range (60 km)",
        ),
        (
            "units.0.envelope.min_altitude=40km",
            "units.0.envelope.min_altitude: min_altitude (40 km) must be below max_altitude (30 km)",
        ),
        ("units.0.envelope.max_target_speed=0km/s", "units.0.envelope.max_target_speed: must be faster than 0 km/s"),
        (
            "threats.1.failure.heading_error=normal(mean=-22, sd=1e308)",
            "threats.1.failure.heading_error: normal(mean=-22, sd=1e+308) draws values too large",
        ),
        (
            "threats.1.failure.heading_error={dist: choice, values: [1, 2], weights: [.nan, 1]}",
            "choice: weights must be non-negative finite",
        ),
        (
            "threats.1.failure.heading_error={dist: choice, values: [1, 2], weights: [.inf, 1]}",
            "choice: weights must be non-negative finite",
        ),
        ("threats.1.failure.heading_error={dist: choice, values: [1, 2], weights: [1e308, 1e308]}", "positive sum"),
        (
            "threats.1.failure.heading_error={dist: choice, values: [1, 2], weights: [true, false]}",
            "choice: weights must be non-negative finite",
        ),
        ("threats.1.failure.heading_error='choice(1: nan, 2: 1)'", "choice: weights must be non-negative finite"),
        ("rules_of_engagement.salvo=100000000", "rules_of_engagement.salvo: must be at most 64 (got 100000000)"),
        (
            "rules_of_engagement.max_looks=100000000",
            "rules_of_engagement.max_looks: must be at most 16 (got 100000000)",
        ),
        ("units.0.crew.on_leave=10000000", "units.0.crew.on_leave: must be at most 1000 (got 10000000)"),
        ("units.0.launchers=100000000", "units.0.launchers: must be at most 100 (got 100000000)"),
    ],
)
def test_what_failed_at_run_time_is_caught_by_validate(override, expected):
    assert expected in one(override)


@pytest.mark.parametrize(
    "threat, expected",
    [
        (
            "{name: x, launch: {site: sinpo, at: 0s}, azimuth: 62, speed: 12km/s, angle: 45}",
            "threats.1.speed: must be between 0 and orbital speed (7.91 km/s)",
        ),
        (
            "{name: x, launch: {site: sinpo, at: 0s}, azimuth: 62, speed: 0km/s, angle: 45}",
            "threats.1.speed: must be between 0 and orbital speed",
        ),
        (
            "{name: x, launch: {site: sinpo, at: 0s}, azimuth: 62, speed: 5km/s, angle: 200}",
            "threats.1.angle: the burnout angle must be above 0 and below 90 degrees",
        ),
        (
            "{name: x, launch: {site: sinpo, at: 0s}, azimuth: 62, speed: 5km/s, angle: -30}",
            "threats.1.angle: the burnout angle must be above 0 and below 90 degrees",
        ),
        (
            "{name: x, launch: {site: sinpo, at: 0s}, toward: sinpo, range: 400km}",
            "threats.1.toward: is the launch site itself",
        ),
        (
            "{name: x, launch: {site: sinpo, at: 0s}, azimuth: 1e308, range: 400km}",
            "threats.1.azimuth: a heading is between 0 and 360 degrees",
        ),
    ],
)
def test_flights_that_cannot_happen(threat, expected):
    assert expected in one(f"threats.1={threat}")


@pytest.mark.parametrize(
    "override, expected",
    [
        (
            "threats.1.range=0km",
            "threats.1.range: must be more than 0 km and less than half way round the Earth (20015 km)",
        ),
        (
            "threats.1.range=30000km",
            "threats.1.range: must be more than 0 km and less than half way round the Earth (20015 km)",
        ),
        ("threats.1.range=1000000km", "threats.1.range: must be more than 0 km and less than half way round the Earth"),
        (
            "threats.1.apogee=1km",
            "threats.1.apogee: a flight of 470 km with an apogee of 1 km is flatter than any ballistic missile's: its apogee must be at least 1/50 of its range or 100 km (9.4 km here)",
        ),
        ("threats.1.apogee=9km", "(9.4 km here)"),
        ("threats.1.apogee=1000000km", "at or above orbital speed (7.91 km/s)"),
        ("threats.1.burn_time=1000000000000s", "threats.1.burn_time: must be at most 10min"),
        ("units.0.interceptors.speed=0km/s", "units.0.interceptors.speed: must be between 0 and 7.91 km/s"),
        ("threats.1.failure.debris_fall_speed=0km/s", "threats.1.failure.debris_fall_speed: must be faster than 0 m/s"),
        ("units.0.radar.scan_period=0s", "units.0.radar.scan_period: must be longer than 0s"),
        ("threats.1.missile=hwasong99", "threats.1.missile: unknown missile class 'hwasong99'"),
        (
            "threats.1.failure.early_explosion=0.9",
            "threats.1.failure: early_explosion + guidance_fault + thrust_shortfall = 1.4",
        ),
        ("units.0.name=''", "units.0.name: a name must be a non-empty word"),
        ("units.0.name=' u'", "units.0.name: a name must be a non-empty word"),
    ],
)
def test_silently_wrong_numbers_are_refused(override, expected):
    assert expected in one(override)


def test_just_below_orbit_and_just_short_of_half_way_are_accepted():
    """The limits are the physical ones, not rounder numbers: a 19,000 km minimum-energy flight exists."""
    loaded = load_text(STRAY_TEXT, "stray.yaml", ["threats.1.range=19000km"])
    assert loaded.scenario.threats[1].range == 19000
    load_text(
        STRAY_TEXT,
        "stray.yaml",
        ["threats.1={name: x, launch: {site: sinpo, at: 0s}, azimuth: 62, speed: 7.8km/s, angle: 30}"],
    )


@pytest.mark.slow
def test_the_memory_estimate_is_shown_and_follows_the_draw_count():
    from sim.scenario.limits import BLOCK, MAX_BLOCK_BYTES, block_bytes, draw_slots

    s = load_scenario(STRAY).scenario
    # by hand for stray_missile: 3 posts x (3 x 2 threats + 1 order) + 3 levels x 2 x 2 + 0 sensors + 2 x 1 order
    # + 2 x 16 officers + 2 x 4 depot trips (16 places empty, 24 in the depot, 4 a trip) + (2 threats x 2 shots + 7)
    # + 2 threats x (2 looks + 11) + one radar look every 10 s over each Scud-class flight (60 s burn), plus 2
    import math

    from sim.world.ballistics import Trajectory, burnout_state_for

    def flight_s(range_km):
        speed, angle, alt = burnout_state_for(range_km, None, None, 60.0)
        return float(Trajectory.from_burnout(0.0, 0.0, 0.0, speed, angle, alt, 60.0).flight_time_s)

    looks = sum(math.ceil(flight_s(r) / 10.0) + 2 for r in (500.0, 470.0))
    by_hand = 3 * 7 + 12 + 0 + 2 + 32 + 8 + 11 + 26 + looks
    assert sum(n for _, _, n in draw_slots(s)) == by_hand
    assert block_bytes(s) == BLOCK * 8 * by_hand
    # 700 threats, shoot-look-shoot with the largest salvo and looks: 64 x 16 = 1024 kill draws per threat for
    # the one unit, 800 bytes each per block, 700 x 1024 x 800 B = 547 MiB before anything else: over the limit.
    threat = "{name: t%d, launch: {site: sinpo, at: 0s}, azimuth: 62, range: 400km}"
    threats = "[" + ", ".join(threat % i for i in range(700)) + "]"
    roe = "rules_of_engagement={doctrine: shoot_look_shoot, salvo: 64, max_looks: 16}"
    with pytest.raises(ScenarioError) as info:
        load_text(STRAY_TEXT, "stray.yaml", [f"threats={threats}", roe, "alert_orders=[]", "uncertainty={}"])
    (line,) = [str(p) for p in info.value.problems]
    assert (
        f"(limit {MAX_BLOCK_BYTES / 2**20:.1f} MiB)" in line
        and "the largest share is 1024 shots at each of 700 threats" in line
    )
    assert line.startswith("--set rules_of_engagement=")


# ---------------------------------------------------------------- exit 1 before: parser-level input


@pytest.mark.parametrize("byte", [0x00, 0x07, 0x1B, 0x7F, 0x85 - 1])
def test_control_bytes_are_named_with_their_place(byte):
    text = MINIMAL.replace("name: t\n", f"name: t{chr(byte)}x\n")
    assert problems_of(text) == [f"s.yaml:1:8: yaml: a control character (U+{byte:04X}) is not allowed; delete it"]


def test_a_lone_surrogate_is_refused():
    text = MINIMAL.replace("name: t\n", "name: t\udc80\n")
    assert problems_of(text) == ["s.yaml:1:8: yaml: a lone surrogate (U+DC80) is not allowed; delete it"]


def test_a_lone_surrogate_in_a_set_value_prints():
    (line,) = problems_of(MINIMAL, ["name=\udc80"])
    assert line.startswith("--set name=\\udc80:") and line.encode("utf-8")


@pytest.mark.parametrize(
    "text",
    [
        "sources: " + "[" * 500 + "]" * 500 + "\n",
        "".join(" " * i + f"k{i}:\n" for i in range(1200)),
    ],
)
def test_deep_nesting_is_refused_without_a_recursion_error(text):
    (line,) = problems_of(text)
    assert "nested more than 64 levels deep" in line and line.startswith("s.yaml:")


def test_a_deep_set_value_is_refused():
    (line,) = problems_of(MINIMAL, ["sources=" + "[" * 10000 + "]" * 10000])
    assert line.startswith("--set sources=[[[") and "nested more than 64 levels deep" in line


def test_a_deep_chain_of_aliases_is_refused():
    text = "a0: &a0 [1]\n" + "".join(f"a{i}: &a{i} [*a{i - 1}]\n" for i in range(1, 400))
    (line,) = problems_of(text)
    assert "nested more than 64 levels deep" in line


def test_an_alias_inside_its_own_anchor_is_refused():
    assert problems_of(MINIMAL + "loop: &l [*l]\n") == [
        "s.yaml:16:7: loop.0: an alias inside its own anchor (&name ... *name) makes an endless value"
    ]


def test_a_fifo_does_not_block(tmp_path):
    import os
    import subprocess
    import sys

    fifo = tmp_path / "s.yaml"
    os.mkfifo(fifo)
    run = subprocess.run(
        [sys.executable, "-m", "sim", "validate", str(fifo)],
        check=False,
        capture_output=True,
        text=True,
        timeout=30,
        cwd=REPO,
        env={**os.environ, "PYTHONPATH": str(REPO)},
    )
    assert run.returncode == 2
    assert run.stderr.strip() == f"{fifo}: is a pipe with nothing written to it, not a scenario file"


def test_a_leading_bom_is_read(tmp_path):
    path = tmp_path / "bom.yaml"
    path.write_bytes(b"\xef\xbb\xbf" + MINIMAL.encode())
    assert load_scenario(path).scenario.name == "t"


# ---------------------------------------------------------------- messages


@pytest.mark.parametrize(
    "text, line",
    [
        ("name: t\nunits:\n\t- name: u\n", "s.yaml:3:1: yaml: a tab character: indent with spaces, never tabs"),
        (
            "name: t\n runs: 5\n",
            "s.yaml:2:6: yaml: a ':' where none can be: is this line indented like the lines above, and does a value with ': ' in it need quotes?",
        ),
        (
            "a:\n  b: 1\n   c: 2\n",
            "s.yaml:3:5: yaml: a ':' where none can be: is this line indented like the lines above, and does a value with ': ' in it need quotes?",
        ),
        (
            "a:\n  - 1\n  b: 2\n",
            "s.yaml:3:3: yaml: a key where a list item ('- ...') was expected, or the other way round: check the indentation",
        ),
        ("a: 'x\n", "s.yaml:2:1: yaml: a quote is opened and never closed"),
        ("x: *nope\n", "s.yaml:1:4: yaml: an alias (*name) with no &name anchor before it"),
    ],
)
def test_parser_errors_in_plain_words(text, line):
    assert problems_of(text) == [line]


def test_a_null_key_is_named_plainly():
    assert problems_of(MINIMAL + "null: 5\n") == [
        "s.yaml:16:1: a key is empty or null; write a word before the ':' (quote it if it is 'null')"
    ]


def test_duplicate_post_names_do_not_claim_a_loop():
    text = MINIMAL.replace("    - name: hq\n", "    - name: hq\n    - name: hq\n      parent: hq\n")
    lines = problems_of(text)
    assert not any("loop" in line for line in lines)
    assert "s.yaml:8:13: command.posts.1.name: post 'hq' is named twice" in lines


def test_structural_and_reference_problems_come_in_one_pass():
    text = MINIMAL.replace("    post: hq\n", "    post: hqq\n").replace(
        "  - name: constant\n", "  - name: constant\n    crew_on_statio: 1\n"
    )
    text += "horizon: 5km\nalert_orders:\n  - level: heightend\n    issued_by: hq\n    at: 1h\n"
    assert problems_of(text) == [
        "s.yaml:4:5: alert_levels.0.crew_on_statio: unknown key 'crew_on_statio' (did you mean 'crew_on_station'?)",
        "s.yaml:11:11: units.0.post: unknown post 'hqq' (did you mean 'hq'?)",
        "s.yaml:17:10: horizon: unknown unit 'km' for a duration (use s, sec, min, h, d), e.g. 90s, 20min, 4h or 1h30min",
        "s.yaml:19:12: alert_orders.0.level: unknown alert level 'heightend'; known: constant",
    ]


def test_a_broken_unit_still_lets_the_orders_be_checked():
    text = MINIMAL.replace("      loaded: 4\n", "      loaded: many\n")
    text += "alert_orders:\n  - level: constant\n    issued_by: hq\n    at: 1h\n    units: [u2]\n"
    assert problems_of(text) == [
        "s.yaml:13:15: units.0.interceptors.loaded: expected a whole number",
        "s.yaml:20:13: alert_orders.0.units.0: unknown unit 'u2'; known: u1",
    ]


def test_the_old_on_key_names_its_new_name():
    text = MINIMAL + "alert_orders:\n  - level: constant\n    issued_by: hq\n    on: launch\n"
    assert problems_of(text) == [
        "s.yaml:19:5: alert_orders.0.on: 'on' is now called 'trigger' (YAML 1.1 tools read a bare on: as true); write trigger: instead"
    ]


def test_on_turned_into_true_by_a_yaml11_tool_is_explained():
    text = MINIMAL + "alert_orders:\n  - level: constant\n    issued_by: hq\n    true: launch\n"
    (line,) = problems_of(text)
    assert line.startswith("s.yaml:19:5: alert_orders.0.true: ") and "write trigger: instead" in line


def test_a_problem_about_a_part_a_flag_changed_is_the_flags():
    (line,) = flagged("threats.1.speed=5km/s")
    assert line.startswith("--set threats.1.speed=5km/s: threats.1: ")


def test_set_b_problems_are_labelled_set_b():
    with pytest.raises(ScenarioError) as info:
        load_scenario(STRAY, ["horizon=0s"], flag="--set-b")
    assert str(info.value.problems[0]).startswith("--set-b horizon=0s: horizon:")
