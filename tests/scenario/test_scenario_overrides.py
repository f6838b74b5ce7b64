"""``--set PATH=VALUE``: parsed as YAML, validated like the file, every problem naming the flag."""

from __future__ import annotations

import pytest
from scenario_texts import MINIMAL, problems_of

from sim.scenario.loader import ScenarioError, parse_override

DURATION_EXAMPLE = "90s, 20min, 4h or 1h30min"


def test_good_overrides_apply_and_are_recorded(load):
    loaded = load(MINIMAL, ["runs=500", "horizon=4h", "units.0.crew.on_leave=6", "alert_levels.0.deployed=true"])
    s = loaded.scenario
    assert s.runs == 500 and s.horizon == 4 * 3600.0 and s.units[0].crew.on_leave == 6
    assert s.alert_levels[0].deployed is True
    assert loaded.overrides == {
        "runs": 500,
        "horizon": "4h",
        "units.0.crew.on_leave": 6,
        "alert_levels.0.deployed": True,
    }


def test_override_with_a_distribution(load):
    s = load(MINIMAL, ["units.0.crew.notify=lognormal(median=30min, p90=2h)"]).scenario
    assert s.units[0].crew.notify.quantile(0.5) == pytest.approx(1800.0)
    assert s.units[0].crew.notify.quantile(0.9) == pytest.approx(7200.0)


def test_override_with_a_yaml_mapping(load):
    s = load(MINIMAL, ["units.0.depot={interceptors: 12, trucks: 2}"]).scenario
    assert s.units[0].depot.interceptors == 12 and s.units[0].depot.trucks == 2


def test_override_adds_a_key_the_file_leaves_out(load):
    s = load(MINIMAL + "tracking:\n  track_time: 80s\n", ["tracking.engage_probability=0.9"]).scenario
    assert s.tracking.engage_probability == 0.9 and s.tracking.track_time.value == 80.0


THREAT = (
    MINIMAL
    + """\
threats:
  - name: m
    launch: {site: sinpo, at: 0s}
    azimuth: 62
    range: 470km
"""
)


@pytest.mark.parametrize("flag", ["threats.0.failure.guidance_fault=0.3", "tracking.engage_probability=0.9"])
def test_override_inside_a_part_left_to_its_defaults(load, flag):
    s = load(THREAT, [flag]).scenario
    assert s.threats[0].failure.guidance_fault == 0.3 or s.tracking.engage_probability == 0.9


def test_later_override_wins(load):
    assert load(MINIMAL, ["runs=5", "runs=6"]).scenario.runs == 6


def test_the_file_is_not_changed(load, tmp_path):
    f = tmp_path / "s.yaml"
    f.write_text(MINIMAL)
    from sim.scenario.loader import load_scenario

    load_scenario(f, ["runs=5"])
    assert f.read_text() == MINIMAL


def test_bad_path_with_did_you_mean():
    assert problems_of(MINIMAL, ["rns=500"]) == ["--set rns=500: rns: unknown key 'rns' (did you mean 'runs'?)"]


def test_bad_intermediate_path_with_did_you_mean():
    (only,) = problems_of(MINIMAL, ["units.0.crews.on_station=5"])
    # Today: "...: units.0.crews.on_station: no such place in the scenario: 'units.0.crews' (did you mean 'crew'?)"
    assert only.startswith("--set units.0.crews.on_station=5: units.0.crews")
    assert "crews" in only.split(": ", 2)[2] and "(did you mean 'crew'?)" in only


def test_unknown_nested_key_lists_the_allowed_ones():
    assert problems_of(MINIMAL, ["units.0.crew.bogus=1"]) == [
        "--set units.0.crew.bogus=1: units.0.crew.bogus: unknown key 'bogus'; allowed here: on_station, on_leave, notify, travel"
    ]


@pytest.mark.parametrize(
    "flag, expected",
    [
        ("runs=many", "--set runs=many: runs: expected a whole number"),
        (
            "horizon=20",
            f"--set horizon=20: horizon: a bare number needs a unit: write a duration like {DURATION_EXAMPLE}",
        ),
        (
            "horizon=1:30",
            f"--set horizon=1:30: horizon: '1:30' is ambiguous (YAML 1.1 reads it as base-60); write a duration like {DURATION_EXAMPLE}",
        ),
        (
            "alert_levels.0.deployed=no",
            "--set alert_levels.0.deployed=no: alert_levels.0.deployed: expected true or false",
        ),
        ("horizon=-1h", "--set horizon=-1h: horizon: must not be negative (got -1h)"),
        (
            "units.0.crew={on_station: 3, bogus: 1}",
            "--set units.0.crew={on_station: 3, bogus: 1}: units.0.crew.bogus: unknown key 'bogus'; "
            "allowed here: on_station, on_leave, notify, travel",
        ),
    ],
)
def test_bad_value_names_the_flag(flag, expected):
    assert problems_of(MINIMAL, [flag]) == [expected]


def test_bad_reference_in_an_override_names_the_flag():
    assert problems_of(MINIMAL, ["units.0.post=hqq"]) == [
        "--set units.0.post=hqq: units.0.post: unknown post 'hqq' (did you mean 'hq'?)"
    ]


def test_list_index_out_of_range_at_the_end_of_the_path():
    assert problems_of(MINIMAL, ["units.5={name: u6}"]) == [
        "--set units.5={name: u6}: units.5: index 5 is outside the list (it has 1 item)"
    ]


def test_list_index_out_of_range_inside_the_path():
    assert problems_of(MINIMAL, ["units.5.name=x"]) == [
        "--set units.5.name=x: units.5.name: no such place in the scenario: 'units.5'"
    ]


def test_index_one_past_the_end_appends(load):
    s = load(MINIMAL, ["alert_levels.1={name: heightened, authority: hq}"]).scenario
    assert [lv.name for lv in s.alert_levels] == ["constant", "heightened"]


def test_path_through_a_single_value():
    assert problems_of(MINIMAL, ["name.x=1"]) == ["--set name.x=1: name.x: 'name' is a single value, not a mapping"]


@pytest.mark.parametrize(
    "flag, expected",
    [
        ("runs", "--set runs: expected PATH=VALUE, e.g. --set runs=500"),
        ("=5", "--set =5: expected a dotted path such as threats.0.launch.at"),
        ("units..name=x", "--set units..name=x: expected a dotted path such as threats.0.launch.at"),
    ],
)
def test_malformed_flag(flag, expected):
    with pytest.raises(ScenarioError) as info:
        parse_override(flag)
    assert [str(p) for p in info.value.problems] == [expected]


def test_value_is_yaml_12():
    assert parse_override("name=no").value == "no"
    assert parse_override("horizon=1:30").value == "1:30"
    assert parse_override("runs=500").value == 500
    assert parse_override("a.b=[1, 2]").value == [1, 2]
    assert parse_override("a=").value is None


def test_yaml_syntax_error_in_a_value_names_the_flag():
    assert problems_of(MINIMAL, ["sources=[a, b"]) == [
        "--set sources=[a, b:1:6: yaml: a '[' list that is not closed with ']'"
    ]


def test_tag_in_a_value_is_refused(tmp_path):
    marker = tmp_path / "ran"
    flag = f'name=!!python/object/apply:os.system ["touch {marker}"]'
    assert problems_of(MINIMAL, [flag]) == [
        f"--set {flag}:1:1: YAML tag tag:yaml.org,2002:python/object/apply:os.system is not allowed in a scenario"
    ]
    assert not marker.exists()


def test_file_problems_come_before_flag_problems():
    text = MINIMAL + "horizon: 20\n"
    assert problems_of(text, ["runs=many"]) == [
        f"s.yaml:16:10: horizon: a bare number needs a unit: write a duration like {DURATION_EXAMPLE}",
        "--set runs=many: runs: expected a whole number",
    ]


def test_an_override_fixes_a_bad_value_in_the_file(load):
    assert load(MINIMAL + "horizon: 20\n", ["horizon=20min"]).scenario.horizon == 1200.0
