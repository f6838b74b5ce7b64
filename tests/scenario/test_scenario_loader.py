"""The loader: one test per kind of bad input, each asserting the exact ``FILE:LINE:COL: path: message``.

Most documents are the 15-line MINIMAL scenario of scenario_texts.py with lines appended from line 16 on,
so the expected line numbers can be read off the test.
"""

from __future__ import annotations

import hashlib
import signal
import subprocess
import sys
from contextlib import contextmanager
from pathlib import Path

import pytest
from scenario_texts import MINIMAL, problems_of

from sim.scenario.loader import MAX_FILE_BYTES, MAX_NODES, Problem, ScenarioError, load_scenario, load_text, parse_yaml

REPO = Path(__file__).resolve().parents[2]
DURATION_EXAMPLE = "90s, 20min, 4h or 1h30min"


def with_lines(*lines: str) -> str:
    """MINIMAL plus these lines, the first of them being line 16."""
    return MINIMAL + "".join(line + "\n" for line in lines)


@contextmanager
def time_limit(seconds: float):
    """Fail instead of hanging when the code under test does not stop (SIGALRM, main thread only)."""

    def stop(signum, frame):
        raise TimeoutError(f"still running after {seconds}s")

    old = signal.signal(signal.SIGALRM, stop)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, old)


# ---------------------------------------------------------------- the good case


def test_minimal_scenario_loads(load):
    loaded = load(MINIMAL)
    s = loaded.scenario
    assert s.name == "t" and s.units[0].crew.on_station == 10
    assert s.horizon == 3 * 86400.0
    assert loaded.file == "s.yaml" and loaded.overrides == {}
    assert loaded.sha256 == hashlib.sha256(MINIMAL.encode()).hexdigest()


def test_problem_line_format():
    assert str(Problem("a.yaml", 3, 7, "units.0.crew", "bad")) == "a.yaml:3:7: units.0.crew: bad"
    assert str(Problem("a.yaml", None, None, "", "no such file")) == "a.yaml: no such file"
    assert str(Problem("--set runs=x", None, None, "runs", "bad")) == "--set runs=x: runs: bad"
    err = ScenarioError([Problem("a.yaml", 1, 1, "x", "one"), Problem("a.yaml", 2, 1, "y", "two")])
    assert str(err) == "a.yaml:1:1: x: one\na.yaml:2:1: y: two"


# ---------------------------------------------------------------- YAML itself


def test_syntax_error():
    text = with_lines("tracking:", "  track_time: 20s", " classify_time: 20s")
    assert problems_of(text) == [
        "s.yaml:18:2: yaml: this line is indented deeper than the key above it allows; line it up with its neighbours"
    ]


def test_unclosed_flow_sequence():
    assert problems_of(with_lines("sources: [a, b")) == ["s.yaml:17:1: yaml: a '[' list that is not closed with ']'"]


def test_two_documents_are_refused():
    assert problems_of(with_lines("---", "name: u")) == [
        "s.yaml:16:1: yaml: more than one document ('---'): a scenario file holds exactly one"
    ]


def test_duplicate_key_names_both_lines():
    text = with_lines("tracking:", "  track_time: 20s", "  classify_time: 20s", "  track_time: 30s")
    assert problems_of(text) == [
        "s.yaml:19:3: tracking.track_time: duplicate key 'track_time' (first given on line 17)"
    ]


def test_duplicate_top_level_key():
    assert problems_of(with_lines("name: again")) == ["s.yaml:16:1: name: duplicate key 'name' (first given on line 1)"]


@pytest.mark.parametrize(
    "text",
    ["", "# only a comment\n", "- a list\n", "just text\n"],
)
def test_a_scenario_is_a_mapping(text):
    lines = problems_of(text)
    assert len(lines) == 1
    assert lines[0].endswith("a scenario is a mapping of keys such as name, units, threats")
    assert lines[0].startswith("s.yaml")


# ---------------------------------------------------------------- the model


def test_unknown_key_with_did_you_mean():
    assert problems_of(with_lines("horizn: 2d")) == [
        "s.yaml:16:1: horizn: unknown key 'horizn' (did you mean 'horizon'?)"
    ]


def test_unknown_nested_key_points_at_the_key():
    text = MINIMAL.replace("      on_station: 10\n", "      on_station: 10\n      on_leav: 3\n")
    assert problems_of(text) == ["s.yaml:16:7: units.0.crew.on_leav: unknown key 'on_leav' (did you mean 'on_leave'?)"]


def test_unknown_key_without_near_match_lists_the_allowed_ones():
    assert problems_of(with_lines("transport:", "  ships: 3")) == [
        "s.yaml:17:3: transport.ships: unknown key 'ships'; allowed here: trains"
    ]


def test_missing_required_key():
    text = MINIMAL.replace("    authority: hq\n", "")
    assert problems_of(text) == ["s.yaml:3:5: alert_levels.0.authority: required key is missing"]


def test_missing_top_level_key():
    text = MINIMAL.replace("name: t\n", "description: x\n")
    assert problems_of(text) == ["s.yaml:1:1: name: required key is missing"]


@pytest.mark.parametrize(
    "line, expected",
    [
        ("runs: many", "s.yaml:16:7: runs: expected a whole number"),
        ("runs: 10.5", "s.yaml:16:7: runs: expected a whole number"),
        ("runs: true", "s.yaml:16:7: runs: expected a whole number"),
        ("runs: 0", "s.yaml:16:7: runs: must be at least 1 (got 0)"),
        ("description: [a, b]", "s.yaml:16:14: description: expected text"),
        ("sources: a.md", "s.yaml:16:10: sources: expected a list"),
        ("tracking: fast", "s.yaml:16:11: tracking: expected a mapping of keys"),
        (
            "rules_of_engagement: {doctrine: volley}",
            "s.yaml:16:33: rules_of_engagement.doctrine: must be 'salvo' or 'shoot_look_shoot'",
        ),
    ],
)
def test_wrong_type(line, expected):
    assert problems_of(with_lines(line)) == [expected]


def test_text_where_a_name_is_expected():
    assert problems_of(MINIMAL.replace("name: t", "name: 2017")) == ["s.yaml:1:7: name: expected text"]


def test_negative_duration():
    assert problems_of(with_lines("horizon: -5min")) == ["s.yaml:16:10: horizon: must not be negative (got -5min)"]


def test_negative_duration_in_a_distribution():
    assert problems_of(with_lines("tracking:", "  track_time: uniform(-10s, 20s)")) == [
        "s.yaml:17:15: tracking.track_time: low must not be negative (got -10s)"
    ]


def test_bare_number_shows_an_example():
    assert problems_of(with_lines("horizon: 20")) == [
        f"s.yaml:16:10: horizon: a bare number needs a unit: write a duration like {DURATION_EXAMPLE}"
    ]


def test_bare_number_for_a_distance():
    assert problems_of(with_lines("threats: []", "sensors:", "  - {name: ew, post: hq, site: sinpo, range: 80}")) == [
        "s.yaml:18:46: sensors.0.range: a bare number needs a unit: write a distance like 460km or 30m"
    ]


def test_bare_number_for_a_drawn_duration_suggests_a_distribution():
    assert problems_of(with_lines("tracking:", "  track_time: 20")) == [
        f"s.yaml:17:15: tracking.track_time: a bare number needs a unit: write a duration like {DURATION_EXAMPLE}; "
        "or a distribution such as lognormal(median=20min, p90=1h)"
    ]


def test_no_for_a_bool():
    text = MINIMAL.replace("    authority: hq\n", "    authority: hq\n    deployed: no\n")
    assert problems_of(text) == ["s.yaml:5:15: alert_levels.0.deployed: expected true or false"]


@pytest.mark.parametrize("word", ["yes", "on", "off", "True1", "n"])
def test_yaml11_booleans_are_not_bools(word):
    text = MINIMAL.replace("    authority: hq\n", f"    authority: hq\n    deployed: {word}\n")
    assert problems_of(text) == ["s.yaml:5:15: alert_levels.0.deployed: expected true or false"]


def test_no_for_a_fraction():
    text = MINIMAL.replace("    authority: hq\n", "    authority: hq\n    crew_on_station: no\n")
    assert problems_of(text) == [
        "s.yaml:5:22: alert_levels.0.crew_on_station: cannot read 'no' as a fraction; write it like 0.3 or 30%"
    ]


def test_fraction_over_one():
    text = MINIMAL.replace("    authority: hq\n", "    authority: hq\n    crew_on_station: 150%\n")
    assert problems_of(text) == ["s.yaml:5:22: alert_levels.0.crew_on_station: must be at most 1 (got 150%)"]


def test_sexagesimal_duration():
    assert problems_of(with_lines("horizon: 1:30")) == [
        f"s.yaml:16:10: horizon: '1:30' is ambiguous (YAML 1.1 reads it as base-60); write a duration like {DURATION_EXAMPLE}"
    ]


def test_unknown_distribution_with_did_you_mean():
    assert problems_of(with_lines("tracking:", "  track_time: lognorml(median=15s, p90=40s)")) == [
        "s.yaml:17:15: tracking.track_time: unknown distribution 'lognorml' (did you mean lognormal?); "
        "use one of fixed, uniform, triangular, normal, lognormal, exponential, choice, empirical"
    ]


def test_median_above_p90():
    assert problems_of(with_lines("tracking:", "  track_time: lognormal(median=1min, p90=30s)")) == [
        "s.yaml:17:15: tracking.track_time: lognormal needs 0 < median < p90"
    ]


def test_distribution_as_a_mapping(load):
    s = load(with_lines("tracking:", "  track_time: {dist: lognormal, median: 15s, p90: 40s}")).scenario
    assert s.tracking.track_time.quantile(0.5) == pytest.approx(15.0)
    assert s.tracking.track_time.quantile(0.9) == pytest.approx(40.0)


def test_alert_order_with_both_triggers():
    text = with_lines("alert_orders:", "  - level: constant", "    issued_by: hq", "    at: 1h", "    trigger: launch")
    assert problems_of(text) == [
        "s.yaml:17:5: alert_orders.0: give exactly one of 'at' (a time) or 'trigger' (an event: launch or launch_detected)"
    ]


def test_alert_order_with_no_trigger():
    text = with_lines("alert_orders:", "  - level: constant", "    issued_by: hq")
    (only,) = problems_of(text)
    assert only.startswith("s.yaml:17:") and "alert_orders.0" in only and "'at'" in only and "'trigger'" in only


def test_nan_fraction_is_refused():
    text = MINIMAL.replace("    authority: hq\n", "    authority: hq\n    crew_on_station: .nan\n")
    assert len(problems_of(text)) == 1


# ---------------------------------------------------------------- references between parts


def test_unknown_post():
    text = MINIMAL.replace("    post: hq\n", "    post: hqq\n")
    assert problems_of(text) == ["s.yaml:10:11: units.0.post: unknown post 'hqq' (did you mean 'hq'?)"]


def test_unknown_post_without_near_match_lists_the_posts():
    text = MINIMAL.replace("    authority: hq\n", "    authority: moscow\n")
    assert problems_of(text) == ["s.yaml:4:16: alert_levels.0.authority: unknown post 'moscow'; known: hq"]


def test_unknown_level():
    text = with_lines("alert_orders:", "  - level: heightend", "    issued_by: hq", "    trigger: launch")
    assert problems_of(text) == ["s.yaml:17:12: alert_orders.0.level: unknown alert level 'heightend'; known: constant"]


def test_unknown_initial_level_with_did_you_mean():
    text = MINIMAL.replace("    post: hq\n", "    post: hq\n    initial_level: constnt\n")
    assert problems_of(text) == [
        "s.yaml:11:20: units.0.initial_level: unknown alert level 'constnt' (did you mean 'constant'?)"
    ]


def test_unknown_site():
    text = MINIMAL.replace("site: vladivostok", "site: vladivostk")
    assert problems_of(text) == [
        "s.yaml:11:11: units.0.site: unknown place 'vladivostk' (a site name or 'LAT,LON'): did you mean vladivostok?"
    ]


def test_site_named_in_the_scenario(load):
    s = load(MINIMAL.replace("site: vladivostok", "site: my_hill") + "sites:\n  my_hill: '43.2,131.9'\n").scenario
    assert s.units[0].site == "my_hill"


def test_unknown_parent_post():
    text = MINIMAL.replace("    - name: hq\n", "    - name: hq\n      parent: generl_staff\n")
    assert problems_of(text) == ["s.yaml:8:15: command.posts.0.parent: unknown post 'generl_staff'; known: hq"]


def test_unknown_unit_in_an_order():
    text = with_lines(
        "alert_orders:", "  - level: constant", "    issued_by: hq", "    trigger: launch", "    units: [u2]"
    )
    assert problems_of(text) == ["s.yaml:20:13: alert_orders.0.units.0: unknown unit 'u2'; known: u1"]


def test_more_loaded_than_launchers_hold():
    text = MINIMAL.replace("loaded: 4", "loaded: 40")
    assert problems_of(text) == [
        "s.yaml:13:15: units.0.interceptors.loaded: 40 loaded but only 8 launchers x 4 = 32 places"
    ]


# ---------------------------------------------------------------- several problems at once


def test_several_problems_reported_in_line_order():
    text = (
        "name: t\n"
        "horizon: 20\n"  # 2: bare number
        "alert_levels:\n"
        "  - name: constant\n"
        "    authority: hq\n"
        "    deployed: no\n"  # 6: no for a bool
        "command:\n"
        "  posts:\n"
        "    - name: hq\n"
        "units:\n"
        "  - name: u1\n"
        "    post: hq\n"
        "    site: vladivostok\n"
        "    interceptors:\n"
        "      loaded: 4\n"
        "    crews:\n"  # 16: unknown key (and so crew is missing, reported at the unit, line 11)
        "      on_station: 10\n"
        "runs: many\n"  # 18: wrong type
        "name: again\n"  # 19: duplicate
    )
    assert problems_of(text) == [
        f"s.yaml:2:10: horizon: a bare number needs a unit: write a duration like {DURATION_EXAMPLE}",
        "s.yaml:6:15: alert_levels.0.deployed: expected true or false",
        "s.yaml:11:5: units.0.crew: required key is missing",
        "s.yaml:16:5: units.0.crews: unknown key 'crews' (did you mean 'crew'?)",
        "s.yaml:18:7: runs: expected a whole number",
        "s.yaml:19:1: name: duplicate key 'name' (first given on line 1)",
    ]


def test_several_reference_problems_in_line_order():
    text = MINIMAL.replace("    authority: hq\n", "    authority: hqq\n").replace("    post: hq\n", "    post: h\n")
    assert problems_of(text) == [
        "s.yaml:4:16: alert_levels.0.authority: unknown post 'hqq' (did you mean 'hq'?)",
        "s.yaml:10:11: units.0.post: unknown post 'h' (did you mean 'hq'?)",
    ]


# ---------------------------------------------------------------- nothing runs, nothing is written


@pytest.mark.parametrize(
    "template",
    [
        'evil: !!python/object/apply:os.system ["touch {marker}"]',
        'evil: !!python/object/new:os.system ["touch {marker}"]',
        "evil: !!python/name:os.system",
        'evil: !!python/object/apply:subprocess.call [["touch", "{marker}"]]',
    ],
)
def test_python_tags_are_refused_without_running(tmp_path, template):
    marker = tmp_path / "ran"
    line = template.format(marker=marker)
    tag = line.split("!!", 1)[1].split(" ", 1)[0].split("[", 1)[0].strip()
    assert problems_of(with_lines(line)) == [
        f"s.yaml:16:7: evil: YAML tag tag:yaml.org,2002:{tag} is not allowed in a scenario"
    ]
    assert not marker.exists()


def test_python_tag_in_a_nested_value_is_refused(tmp_path):
    marker = tmp_path / "ran"
    text = MINIMAL.replace("name: t\n", f'name: !!python/object/apply:os.system ["touch {marker}"]\n')
    assert problems_of(text) == [
        "s.yaml:1:7: name: YAML tag tag:yaml.org,2002:python/object/apply:os.system is not allowed in a scenario"
    ]
    assert not marker.exists()


def test_python_tag_as_a_key_is_refused(tmp_path):
    marker = tmp_path / "ran"
    text = with_lines(f'? !!python/object/apply:os.system ["touch {marker}"]', ": x")
    assert problems_of(text) == ["s.yaml:16:3: mapping keys must be plain words"]
    assert not marker.exists()


@pytest.mark.parametrize(
    "line", ["evil: !custom 5", "evil: !!binary aGVsbG8=", "evil: !!set {a, b}", "evil: !!timestamp 2017-04-29"]
)
def test_other_tags_are_refused(line):
    (only,) = problems_of(with_lines(line))
    assert only.startswith("s.yaml:16:7: evil: YAML tag ") and only.endswith(" is not allowed in a scenario")


def billion_laughs(levels: int = 9) -> str:
    doc = 'a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]\n'
    names = "abcdefghijklmnop"
    for prev, cur in zip(names[: levels - 1], names[1:levels]):
        doc += f"{cur}: &{cur} [" + ",".join([f"*{prev}"] * 9) + "]\n"
    return doc


def test_alias_bomb_is_refused_quickly():
    # a guard against a hang only: the 2 s target of sim validate is measured in bench/bench_validate.py
    with time_limit(20):
        lines = problems_of(billion_laughs())
    assert len(lines) == 1
    assert lines[0].startswith("s.yaml:")
    assert lines[0].endswith(f"document expands to more than {MAX_NODES} values (alias bomb?)")


def merge_bomb(levels: int) -> str:
    """Like billion laughs, but through merge keys of empty mappings, which carry no value to count."""
    doc = "l0: &l0 {}\n"
    for i in range(1, levels + 1):
        doc += f"l{i}: &l{i} {{<<: [" + ", ".join([f"*l{i - 1}"] * 9) + "]}\n"
    return doc


def test_merge_key_bomb_is_refused_quickly():
    with time_limit(1.0):
        with pytest.raises(ScenarioError, match="alias bomb"):
            parse_yaml(merge_bomb(10), "s.yaml")


def test_file_over_the_size_cap(tmp_path):
    big = tmp_path / "big.yaml"
    big.write_text(MINIMAL + "#" * MAX_FILE_BYTES + "\n")
    with pytest.raises(ScenarioError) as info:
        load_scenario(big)
    assert [str(p) for p in info.value.problems] == [f"{big}: file is larger than {MAX_FILE_BYTES // 1000} kB"]


def test_text_over_the_size_cap():
    assert problems_of(MINIMAL + "#" * MAX_FILE_BYTES + "\n") == [
        f"s.yaml: file is larger than {MAX_FILE_BYTES // 1000} kB; a scenario is a page or two of YAML"
    ]


def test_endless_file_is_refused_by_the_size_cap():
    code = (
        "import resource, sys\n"
        "resource.setrlimit(resource.RLIMIT_AS, (1 << 28, 1 << 28))\n"
        "from sim.scenario.loader import load_scenario, ScenarioError\n"
        "try:\n"
        "    load_scenario('/dev/zero')\n"
        "except ScenarioError as exc:\n"
        "    print(exc)\n"
        "    sys.exit(2)\n"
    )
    try:
        run = subprocess.run([sys.executable, "-c", code], cwd=REPO, capture_output=True, text=True, timeout=20)
    except subprocess.TimeoutExpired:
        pytest.fail("reading /dev/zero did not stop")
    assert run.returncode == 2, run.stderr[-500:]
    assert run.stdout.strip() == f"/dev/zero: file is larger than {MAX_FILE_BYTES // 1000} kB"


def test_missing_file(tmp_path):
    missing = tmp_path / "nope.yaml"
    with pytest.raises(ScenarioError) as info:
        load_scenario(missing)
    assert [str(p) for p in info.value.problems] == [f"{missing}: no such file"]


def test_directory_instead_of_a_file(tmp_path):
    with pytest.raises(ScenarioError) as info:
        load_scenario(tmp_path)
    assert [str(p) for p in info.value.problems] == [f"{tmp_path}: is a directory, not a scenario file"]


def test_not_utf8(tmp_path):
    latin = tmp_path / "latin.yaml"
    latin.write_bytes(MINIMAL.replace("name: t", "name: caf\xe9").encode("latin-1"))
    with pytest.raises(ScenarioError) as info:
        load_scenario(latin)
    assert [str(p) for p in info.value.problems] == [f"{latin}: not UTF-8 text (invalid continuation byte)"]


def test_load_scenario_from_a_file(tmp_path):
    f = tmp_path / "ok.yaml"
    f.write_text(MINIMAL)
    loaded = load_scenario(f, ["runs=7"])
    assert loaded.file == str(f) and loaded.scenario.runs == 7
    assert loaded.sha256 == hashlib.sha256(MINIMAL.encode()).hexdigest()


def test_problems_in_a_file_name_the_file(tmp_path):
    f = tmp_path / "bad.yaml"
    f.write_text(with_lines("horizon: 20"))
    with pytest.raises(ScenarioError) as info:
        load_scenario(f)
    assert (
        str(info.value) == f"{f}:16:10: horizon: a bare number needs a unit: write a duration like {DURATION_EXAMPLE}"
    )


# ---------------------------------------------------------------- YAML 1.2, anchors and merge keys


def test_yaml12_core_schema():
    data, _ = parse_yaml(
        "a: no\nb: 1:30\nc: yes\nd: on\ne: true\nf: 2017-04-29\ng: 1e3\nh: ~\ni: 0x1F\nj: 0o17\nk: 1_000\nl: .inf\n",
        "s.yaml",
    )
    assert data == {
        "a": "no",
        "b": "1:30",
        "c": "yes",
        "d": "on",
        "e": True,
        "f": "2017-04-29",
        "g": 1000.0,
        "h": None,
        "i": 31,
        "j": 15,
        "k": "1_000",
        "l": float("inf"),
    }


def test_leading_zero_is_decimal_in_yaml12():
    data, _ = parse_yaml("runs: 010\n", "s.yaml")
    assert data == {"runs": 10}


def test_marks_point_at_values_and_keys():
    _, marks = parse_yaml("a:\n  b: [1, 2]\n  c: x\n", "s.yaml")
    assert marks.at[("a", "b", 1)] == (2, 10)
    assert marks.at[("a", "c")] == (3, 6)
    assert marks.key_at[("a", "c")] == (3, 3)


MERGED = """\
name: t
alert_levels:
  - &constant
    name: constant
    authority: hq
    crew_on_station: 0.5
    detection_latency: 2min
  - <<: *constant
    name: heightened
    crew_on_station: 0.9
command:
  posts:
    - name: hq
units:
  - name: u1
    post: hq
    site: vladivostok
    interceptors: {loaded: 4}
    crew: {on_station: 10}
"""


def test_merge_keys_work(load):
    levels = load(MERGED).scenario.alert_levels
    assert [lv.name for lv in levels] == ["constant", "heightened"]
    assert [lv.crew_on_station for lv in levels] == [0.5, 0.9]
    assert [lv.authority for lv in levels] == ["hq", "hq"]
    assert levels[1].detection_latency.mean() == 120.0


def test_merge_of_a_list_of_mappings(load):
    text = MERGED.replace("  - <<: *constant\n", "  - <<: [{monitoring: mass}, *constant]\n")
    levels = load(text).scenario.alert_levels
    assert levels[1].monitoring == "mass" and levels[1].authority == "hq"


def test_merge_of_a_scalar_is_refused():
    text = MERGED.replace("    crew_on_station: 0.5\n", "    crew_on_station: &half 0.5\n").replace(
        "  - <<: *constant\n", "  - <<: *half\n"
    )
    assert problems_of(text) == ["s.yaml:6:22: alert_levels.1: '<<' merges mappings only"]


def test_error_in_a_merged_value_points_at_the_anchor():
    text = MERGED.replace("    detection_latency: 2min\n", "    detection_latency: 2\n")
    example = f"a bare number needs a unit: write a duration like {DURATION_EXAMPLE}; or a distribution such as lognormal(median=20min, p90=1h)"
    assert problems_of(text) == [
        f"s.yaml:7:24: alert_levels.0.detection_latency: {example}",
        f"s.yaml:7:24: alert_levels.1.detection_latency: {example}",
    ]


# ---------------------------------------------------------------- shipped scenarios


SHIPPED = sorted((REPO / "scenarios").glob("*.yaml"))


@pytest.mark.parametrize("path", SHIPPED, ids=[p.name for p in SHIPPED])
def test_shipped_scenarios_load(path):
    loaded = load_scenario(path)
    assert loaded.scenario.name
    assert path.read_text().splitlines()[0] == "# yaml-language-server: $schema=../docs/scenario.schema.json"


def test_load_text_source_is_used_verbatim():
    with pytest.raises(ScenarioError) as info:
        load_text(with_lines("horizon: 20"), "<stdin>")
    assert str(info.value).startswith("<stdin>:16:10: horizon: ")
