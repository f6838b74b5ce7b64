"""Property: whatever a careless or hostile edit does to a shipped scenario, loading it ends in a scenario
or in problem lines naming the file, never in another exception (exit 1) and never in a hang.

Hypothesis mutates every shipped scenario: values replaced by other kinds and units, keys renamed,
deleted or duplicated, lines dropped or repeated, tabs, a BOM, control bytes, YAML tags, anchors and
aliases, deep nesting and large sizes. The deadline per case stands for "never a hang".
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from sim.scenario.loader import ScenarioError, load_text
from sim.scenario.problems import printable

REPO = Path(__file__).resolve().parents[2]
SHIPPED = {p.name: p.read_text(encoding="utf-8") for p in sorted((REPO / "scenarios").glob("*.yaml"))}
SOURCE = "fuzz.yaml"

VALUES = [
    "0",
    "-1",
    "1e308",
    "-1e308",
    ".nan",
    ".inf",
    "-.inf",
    "1.7",
    "100000000",
    "0s",
    "-5min",
    "1e12s",
    "0km",
    "30000km",
    "1000000km",
    "12km/s",
    "0km/s",
    "5km",
    "5kmh",
    "2 days",
    "1:30",
    "yes",
    "no",
    "on",
    "null",
    "~",
    "''",
    "'  '",
    "[]",
    "{}",
    "[1, 2]",
    "{a: 1}",
    "true",
    "normal(mean=-22, sd=1e308)",
    "lognorml(median=1min, p90=2min)",
    "lognormal(median=2h, p90=1h)",
    "uniform(5min, 1min)",
    "'choice(1: nan, 2: 1)'",
    "{dist: choice, values: [1, 2], weights: [true, false]}",
    "{dist: choice, values: [1], weights: [1e308]}",
    "triangular(1h, 4h)",
    "exponential(mean=0s)",
    "!!python/object:os.system x",
    "!!binary aGVsbG8=",
    "!custom 5",
    "&a 5",
    "*a",
    "*nowhere",
    "&l [*l]",
    "[" * 80 + "]" * 80,
    "'\\udc80'",
    '"\\x00"',
    "sinpo",
    "vladivostok",
    "91,181",
    "nan,nan",
    "general_staff",
    "constant",
    "full",
    "launch",
    "a" * 5000,
]
KEYS = [
    "on",
    "true",
    "null",
    "",
    "trigger",
    "at",
    "name",
    "range",
    "apogee",
    "speed",
    "angle",
    "<<",
    "? [a]",
    "'1'",
    "1",
]
CHARS = [
    "\t",
    "\ufeff",
    "\x00",
    "\x07",
    "\x1b",
    "\x7f",
    "\x85",
    "\udc80",
    "\u2028",
    ":",
    "-",
    "'",
    '"',
    "{",
    "[",
    "#",
    "&",
    "*",
    "!",
    "|",
    ">",
    "%",
    "@",
    "`",
]

LINE_VALUE = re.compile(r"^(\s*(?:- )?[A-Za-z_]+:)( .*)?$")


def mutate(text: str, data: st.DataObject) -> str:
    lines = text.split("\n")
    for _ in range(data.draw(st.integers(1, 3), label="mutations")):
        kind = data.draw(
            st.sampled_from(
                [
                    "value",
                    "value",
                    "value",
                    "key",
                    "delete",
                    "duplicate",
                    "char",
                    "indent",
                    "truncate",
                    "nest",
                    "grow",
                    "bom",
                ]
            ),
            label="kind",
        )
        keyed = [j for j, text_line in enumerate(lines) if LINE_VALUE.match(text_line)]
        pool = keyed if kind in ("value", "key") and keyed else range(len(lines))
        i = data.draw(st.sampled_from(list(pool)), label="line")
        line = lines[i]
        m = LINE_VALUE.match(line)
        if kind == "value" and m:
            lines[i] = f"{m.group(1)} {data.draw(st.sampled_from(VALUES), label='value')}"
        elif kind == "key" and m:
            key = data.draw(
                st.one_of(st.sampled_from(KEYS), st.text("abcdefghijklmnopqrstuvwxyz_", min_size=1, max_size=12)),
                label="key",
            )
            indent = re.match(r"^\s*(?:- )?", line).group()
            lines[i] = f"{indent}{key}:{m.group(2) or ''}"
        elif kind == "delete":
            del lines[i]
            lines = lines or [""]
        elif kind == "duplicate":
            lines.insert(i, line)
        elif kind == "char":
            col = data.draw(st.integers(0, len(line)), label="column")
            lines[i] = line[:col] + data.draw(st.sampled_from(CHARS), label="char") + line[col:]
        elif kind == "indent":
            lines[i] = " " * data.draw(st.integers(0, 12), label="indent") + line.lstrip()
        elif kind == "truncate":
            lines = lines[: i + 1]
            lines[-1] = line[: data.draw(st.integers(0, len(line)), label="cut")]
        elif kind == "nest":
            depth = data.draw(st.sampled_from([10, 70, 300, 3000]), label="depth")
            lines.append("deep: " + "[" * depth + "]" * depth)
        elif kind == "grow":
            lines.extend(
                data.draw(
                    st.sampled_from(
                        [
                            ["sources:"] + ["  - x"] * 5000,
                            ["pad: " + "x" * 1_100_000],
                            ["a: &a [1, 2, 3, 4, 5, 6, 7, 8, 9]"]
                            + [
                                f"b{j}: &b{j} [" + ", ".join(["*a" if j == 0 else f"*b{j - 1}"] * 9) + "]"
                                for j in range(8)
                            ],
                        ]
                    ),
                    label="grow",
                )
            )
        elif kind == "bom":
            lines[0] = "\ufeff" + lines[0]
    return "\n".join(lines)


@settings(
    max_examples=350,
    deadline=3000,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
    derandomize=True,
    database=None,
)
@pytest.mark.slow  # hundreds of mutated files
@given(name=st.sampled_from(sorted(SHIPPED)), data=st.data())
def test_any_mutation_loads_or_names_the_file(name, data):
    text = mutate(SHIPPED[name], data)
    try:
        load_text(text, SOURCE)
    except ScenarioError as exc:
        assert exc.problems
        for p in exc.problems:
            line = str(p)
            assert line.startswith((f"{SOURCE}:", f"{SOURCE} ")), line
            assert "\n" not in line and line == printable(line)
            assert "Traceback" not in line and "Input should" not in line, line


@pytest.mark.parametrize("name", sorted(SHIPPED))
def test_the_shipped_scenarios_themselves_load(name):
    load_text(SHIPPED[name], SOURCE)
