"""The JSON Schema editors use: draft-07, every shipped scenario valid, mistakes flagged."""

from __future__ import annotations

import copy
import json
from pathlib import Path

import jsonschema
import pytest
from scenario_texts import MINIMAL

from sim.scenario.loader import parse_yaml
from sim.scenario.quantities import parse
from sim.scenario.schema import LATER_DRAFT_KEYWORDS, field_kind, json_schema, models, schema_text, yaml_default

REPO = Path(__file__).resolve().parents[2]
SHIPPED = sorted((REPO / "scenarios").glob("*.yaml"))


@pytest.fixture(scope="module")
def schema():
    return json_schema()


@pytest.fixture(scope="module")
def validator(schema):
    return jsonschema.Draft7Validator(schema)


def keywords(node, inside_properties=False):
    """Every schema keyword used, skipping the names under properties/definitions."""
    if isinstance(node, dict):
        for key, value in node.items():
            if not inside_properties:
                yield key
            yield from keywords(value, inside_properties=key in ("properties", "definitions") and not inside_properties)
    elif isinstance(node, list):
        for item in node:
            yield from keywords(item)


def refs(node):
    if isinstance(node, dict):
        for key, value in node.items():
            if key == "$ref":
                yield value
            else:
                yield from refs(value)
    elif isinstance(node, list):
        for item in node:
            yield from refs(item)


def test_schema_is_draft07(schema):
    assert schema["$schema"] == "http://json-schema.org/draft-07/schema#"
    assert schema["title"] and schema["description"]
    jsonschema.Draft7Validator.check_schema(schema)
    used = set(keywords(schema))
    assert not used & LATER_DRAFT_KEYWORDS, used & LATER_DRAFT_KEYWORDS
    assert "$defs" not in json.dumps(schema)


def test_every_ref_resolves_to_a_definition(schema):
    found = set(refs(schema))
    assert found
    for ref in found:
        assert ref.startswith("#/definitions/")
        assert ref.removeprefix("#/definitions/") in schema["definitions"]


def test_no_keyword_sits_next_to_a_ref(schema):
    """Draft-07 ignores siblings of $ref, so descriptions there would be lost in the editor."""

    def walk(node):
        if isinstance(node, dict):
            if "$ref" in node:
                assert set(node) == {"$ref"}, node
            for value in node.values():
                walk(value)
        elif isinstance(node, list):
            for item in node:
                walk(item)

    walk(schema)


def test_every_part_has_a_definition(schema):
    names = {m.__name__ for m in models()} - {"Scenario"}
    assert names == set(schema["definitions"])
    assert schema["additionalProperties"] is False
    assert all(d["additionalProperties"] is False for d in schema["definitions"].values())


@pytest.mark.parametrize("path", SHIPPED, ids=[p.name for p in SHIPPED])
def test_shipped_scenarios_are_valid(validator, path):
    data, _ = parse_yaml(path.read_text(encoding="utf-8"), str(path))
    errors = [f"{'.'.join(map(str, e.absolute_path))}: {e.message}" for e in validator.iter_errors(data)]
    assert errors == []


def test_minimal_scenario_is_valid(validator):
    data, _ = parse_yaml(MINIMAL, "s.yaml")
    assert validator.is_valid(data)


@pytest.mark.parametrize(
    "change, message",
    [
        (lambda d: d.__setitem__("horizn", "2d"), "Additional properties are not allowed ('horizn' was unexpected)"),
        (
            lambda d: d["units"][0]["crew"].__setitem__("on_leav", 3),
            "Additional properties are not allowed ('on_leav' was unexpected)",
        ),
        (lambda d: d["units"][0].pop("crew"), "'crew' is a required property"),
        (lambda d: d["alert_levels"][0].__setitem__("monitoring", "Mass"), "'Mass' is not one of ['routine', 'mass']"),
        (lambda d: d.__setitem__("runs", 0), "0 is less than the minimum of 1"),
        (
            lambda d: d["alert_levels"][0].__setitem__("detection_latency", {"median": "1min"}),
            "{'median': '1min'} is not valid under any of the given schemas",
        ),
    ],
)
def test_mistakes_fail_schema_validation(validator, change, message):
    data, _ = parse_yaml(MINIMAL, "s.yaml")
    data = copy.deepcopy(data)
    change(data)
    messages = [e.message for e in validator.iter_errors(data)]
    assert message in messages


def test_unknown_key_in_a_shipped_scenario_fails(validator):
    data, _ = parse_yaml(SHIPPED[0].read_text(encoding="utf-8"), "x")
    data["units"][0]["crews"] = data["units"][0].pop("crew")
    assert not validator.is_valid(data)


def _property(schema, model_name, field):
    part = schema if model_name == "Scenario" else schema["definitions"][model_name]
    return part["properties"][field]


def test_defaults_are_written_with_units(schema):
    assert _property(schema, "Scenario", "horizon")["default"] == "3d"
    assert _property(schema, "Radar", "height")["default"] == "30m"
    assert _property(schema, "Failure", "wind_speed")["default"] == "15m/s"
    assert _property(schema, "Crew", "travel")["default"] == "4h"
    assert _property(schema, "Interceptors", "kill_probability")["default"] == 0.7


def test_every_default_is_valid_for_its_own_schema_and_reads_back(schema):
    """An editor may insert a default: it must pass the schema and load as the model's default."""
    from sim.scenario.distributions import parse_distribution

    checked = 0
    for model in models():
        for name, info in model.model_fields.items():
            default = yaml_default(model, name)
            prop = _property(schema, model.__name__, name)
            if "default" not in prop:
                continue
            local = {"definitions": schema["definitions"], **prop}
            assert jsonschema.Draft7Validator(local).is_valid(prop["default"]), (model.__name__, name, prop["default"])
            assert prop["default"] == default
            what, kind, _ = field_kind(model, name)
            if what == "quantity" and default is not None:
                assert parse(default, kind) == pytest.approx(info.get_default(call_default_factory=True)), (
                    model.__name__,
                    name,
                )
                checked += 1
            elif what == "distribution" and default is not None:
                assert parse_distribution(default, kind) == info.get_default(call_default_factory=True), (
                    model.__name__,
                    name,
                )
                checked += 1
    assert checked > 30


def test_schema_text_is_stable_json():
    text = schema_text()
    assert text.endswith("}\n") and json.loads(text) == json_schema()
    assert schema_text() == text


# ---------------------------------------------------------------- issue 18: what an editor flags on its line


@pytest.mark.parametrize(
    "change",
    [
        pytest.param(lambda d: d["units"][0]["interceptors"].__setitem__("speed", "1.5kms"), id="a wrong unit"),
        pytest.param(lambda d: d.__setitem__("horizon", "2 days"), id="a unit spelt out"),
        pytest.param(lambda d: d["alert_levels"][0].__setitem__("crew_on_station", 1.7), id="a probability of 1.7"),
        pytest.param(lambda d: d["alert_levels"][0].__setitem__("crew_on_station", -0.1), id="a negative probability"),
        pytest.param(
            lambda d: d["units"][0]["interceptors"].__setitem__("kill_probability", 1.7),
            id="a drawn probability of 1.7",
        ),
        pytest.param(
            lambda d: d["alert_levels"][0].__setitem__("reaction_time", "lognorml(median=1min, p90=2min)"),
            id="a misspelt distribution",
        ),
        pytest.param(lambda d: d["alert_levels"][0].__setitem__("reaction_time", "-5min"), id="a negative duration"),
        pytest.param(lambda d: d.__setitem__("horizon", "-1d"), id="a negative fixed duration"),
        pytest.param(
            lambda d: d["alert_levels"][0].__setitem__("reaction_time", "5km"), id="a distance where a duration belongs"
        ),
        pytest.param(lambda d: d["units"][0].__setitem__("launchers", 1000), id="a count over its bound"),
        pytest.param(lambda d: d["units"][0].__setitem__("name", ""), id="an empty name"),
        pytest.param(
            lambda d: (
                d["rules_of_engagement"].__setitem__("doctrine", "salvos")
                if "rules_of_engagement" in d
                else d.__setitem__("rules_of_engagement", {"doctrine": "salvos"})
            ),
            id="a misspelt choice",
        ),
    ],
)
def test_the_editor_flags_typical_mistakes(validator, change):
    data, _ = parse_yaml(MINIMAL, "s.yaml")
    data = copy.deepcopy(data)
    assert validator.is_valid(data)
    change(data)
    assert not validator.is_valid(data)


@pytest.mark.parametrize("text", ["90s", "1h30min", "1h 30min", " 20min ", "2d", "0.5sec", "1e3s"])
def test_the_duration_pattern_accepts_what_the_loader_reads(schema, text):
    prop = _property(schema, "Scenario", "horizon")
    assert jsonschema.Draft7Validator({"definitions": schema["definitions"], **prop}).is_valid(text)
    from sim.scenario.quantities import DURATION

    assert parse(text, DURATION) > 0


@pytest.mark.slow
def test_the_schema_ships_in_the_package_and_sim_schema_prints_it():
    import subprocess
    import sys

    from sim.scenario.schema import PACKAGED_SCHEMA_FILE

    assert PACKAGED_SCHEMA_FILE.read_text(encoding="utf-8") == schema_text()
    run = subprocess.run(
        [sys.executable, "-m", "sim", "schema"],
        check=False,
        capture_output=True,
        text=True,
        timeout=60,
        cwd="/",
        env={"PYTHONPATH": str(REPO), "PATH": "/usr/bin:/bin"},
    )
    assert run.returncode == 0 and run.stdout == schema_text()
    pyproject = (REPO / "pyproject.toml").read_text(encoding="utf-8")
    assert '"sim.scenario" = ["scenario.schema.json"]' in pyproject
