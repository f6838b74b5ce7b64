"""The scenario reference for trainers, generated from the model so it cannot drift from the code.

``python -m tools.gen_docs`` rewrites ``docs/scenario-reference.md`` and
``docs/scenario.schema.json``; ``tests/test_docs_current.py`` fails when either is stale.
Descriptions come from the ``Field(description=...)`` of ``sim/scenario/model.py``; to change the
text of a key, change it there and regenerate.
"""

from __future__ import annotations

import inspect
import typing
from pathlib import Path
from typing import Any, Literal

import annotated_types
from pydantic import BaseModel

from sim.scenario import distributions as d
from sim.scenario.model import Scenario
from sim.scenario.quantities import DURATION, FRACTION, KINDS
from sim.scenario.schema import _NO_DEFAULT, _strip_optional, field_hint, field_kind, models, yaml_default

REFERENCE_FILE = Path(__file__).resolve().parents[1] / "docs" / "scenario-reference.md"
REGENERATE = "python -m tools.gen_docs"

_KIND_LABEL = {
    "duration": "duration",
    "distance": "distance",
    "speed": "speed",
    "angle": "angle (degrees)",
    "cross-section": "radar cross-section (square metres)",
    "fraction": "fraction (0..1)",
    "ballistic coefficient": "ballistic coefficient (kg/m^2)",
}


def _anchor(model: type[BaseModel]) -> str:
    return model.__name__.lower()


def _link(model: type[BaseModel]) -> str:
    return f"[{model.__name__}](#{_anchor(model)})"


def _cell(text: str) -> str:
    return " ".join(str(text).split()).replace("|", "\\|")


def _yaml(value: Any) -> str:
    if value is None:
        return "none"
    if isinstance(value, bool):
        return "`true`" if value else "`false`"
    if isinstance(value, str):
        return f"`{value}`" if value else '`""`'
    if isinstance(value, list) and not value:
        return "`[]`"
    if isinstance(value, dict) and not value:
        return "`{}`"
    return f"`{value}`"


def _bounds(model: type[BaseModel], name: str) -> str:
    parts = []
    for m in model.model_fields[name].metadata:
        if isinstance(m, annotated_types.Ge):
            parts.append(f">= {m.ge}")
        elif isinstance(m, annotated_types.Gt):
            parts.append(f"> {m.gt}")
        elif isinstance(m, annotated_types.Le):
            parts.append(f"<= {m.le:,}".replace(",", " "))
        elif isinstance(m, annotated_types.Lt):
            parts.append(f"< {m.lt}")
        elif isinstance(m, annotated_types.MinLen):
            parts.append(f"at least {m.min_length}")
    return ", ".join(parts)


def _type_text(hint: Any) -> str:
    hint, _ = _strip_optional(hint)
    origin, args = typing.get_origin(hint), typing.get_args(hint)
    if isinstance(hint, type) and issubclass(hint, BaseModel):
        return _link(hint)
    if origin is Literal:
        return "one of " + ", ".join(f"`{a}`" for a in args)
    if origin is list:
        return f"list of {_type_text(args[0])}"
    if origin is dict:
        return f"mapping of {_type_text(args[0])} to {_type_text(args[1])}"
    if hint is str:
        return "text"
    if origin is typing.Annotated and args[0] is str:
        return "name"
    if origin is typing.Annotated and getattr(args[0], "__name__", "") == "Spread":
        return "range: `[low, high]` or `x0.5..x2`"
    if hint is bool:
        return "`true` / `false`"
    if hint is int:
        return "whole number"
    if hint is float:
        return "number"
    return str(hint)


def type_text(model: type[BaseModel], name: str) -> str:
    """How a trainer writes the field: ``duration or distribution``, ``list of [Unit](#unit)``, ..."""
    what, kind, _ = field_kind(model, name)
    if what == "quantity":
        text = _KIND_LABEL[kind.name]
    elif what == "distribution":
        text = f"{_KIND_LABEL[kind.name]} or distribution"
    else:
        text = _type_text(field_hint(model, name))
    bounds = _bounds(model, name)
    return f"{text} ({bounds})" if bounds else text


def default_text(model: type[BaseModel], name: str) -> str:
    info = model.model_fields[name]
    if info.is_required():
        return "**required**"
    value = yaml_default(model, name)
    if value is _NO_DEFAULT:
        nested = [m for m in _models_of(field_hint(model, name))]
        return f"see {_link(nested[0])}" if nested else "-"
    return _yaml(value)


def _models_of(hint: Any) -> list[type[BaseModel]]:
    if isinstance(hint, type) and issubclass(hint, BaseModel):
        return [hint]
    return [m for a in typing.get_args(hint) for m in _models_of(a)]


def _where(root: type[BaseModel] = Scenario) -> dict[type[BaseModel], str]:
    """The YAML path where each part is first written: ``units[].crew``."""
    where: dict[type[BaseModel], str] = {root: ""}
    queue = [root]
    while queue:
        m = queue.pop(0)
        for name in m.model_fields:
            hint, _ = _strip_optional(field_hint(m, name))
            is_list = typing.get_origin(hint) is list
            for sub in _models_of(hint):
                if sub not in where:
                    prefix = where[m]
                    where[sub] = f"{prefix}.{name}" if prefix else name
                    if is_list:
                        where[sub] += "[]"
                    queue.append(sub)
    return where


def _doc(model: type[BaseModel]) -> str:
    doc = model.__dict__.get("__doc__")
    return inspect.cleandoc(doc) if doc else ""


# ---------------------------------------------------------------- the text


_INTRO = f"""\
# Scenario reference

<!-- Generated from sim/scenario/model.py by `{REGENERATE}`; do not edit by hand. -->

A scenario is one YAML file. Start it with

```yaml
# yaml-language-server: $schema=../docs/scenario.schema.json
```

so that an editor with the YAML language server (VS Code's *YAML* extension, for example)
completes keys, shows these descriptions and underlines unknown keys as you type. `sim validate
FILE` checks a scenario without running it; `sim schema` prints the JSON Schema.

Every problem is reported on one line, all problems at once, in line order:

```
scenarios/mine.yaml:41:17: units.0.crew.notify: a bare number needs a unit: write a duration like 90s, 20min, 4h or 1h30min
```

`FILE:LINE:COL`, the dotted path of the key (lists counted from 0, as in `--set`), and what to write.
"""


def _quantities_section() -> str:
    rows = ["| Kind | Stored in | Units | Example | Bare number |", "|---|---|---|---|---|"]
    for kind in KINDS.values():
        units = ", ".join(f"`{u}`" for u in kind.units)
        base = f"`{kind.base}`" if kind.base else "plain number"
        bare = "allowed" if kind.unitless else "refused"
        rows.append(f"| {kind.name} | {base} | {units} | {kind.example} | {bare} |")
    return "\n".join(
        [
            "## Writing values",
            "",
            "### Quantities",
            "",
            "Durations, distances and speeds carry their unit, written right after the number "
            "(`90s`, `20min`, `460km`, `4.8km/s`; a space is allowed). A bare number where a unit "
            "is needed is an error, because `20` could be seconds or minutes; the message shows an "
            "example. Durations may be compound: `1h30min`, `2d 6h`. Angles are degrees, with or "
            "without `deg`; fractions are plain numbers or percentages (`0.3`, `30%`) between 0 and 1.",
            "",
            *rows,
            "",
            "`1:30` is refused: YAML 1.1 tools read it as 90 (base 60), so it never means what it seems; "
            "write `1h30min` or `90s`. Durations, distances and speeds are never negative.",
            "",
        ]
    )


def _distribution_rows() -> list[str]:
    rows = ["| Family | Parameters | Duration example | Fraction example |", "|---|---|---|---|"]
    for family in d.FAMILIES:
        if family == "empirical":
            rows.append(
                '| empirical | another name for choice | `"empirical(10min: 1, 30min: 3)"` | `"empirical(0.5: 1, 0.9: 1)"` |'
            )
            continue
        if family == "choice":
            rows.append(
                '| choice | value: weight, ... (weights optional) | `"choice(10min: 1, 30min: 3)"` | `"choice(0.5: 1, 0.9: 1)"` |'
            )
            continue
        params = ", ".join(d._POSITIONAL[family])
        if family == "lognormal":
            params += " (or mean, sd)"
        dur = f"`{d._family_example(family, DURATION)}`"
        frac = "-" if family in ("lognormal", "exponential") else f"`{d._family_example(family, FRACTION)}`"
        rows.append(f"| {family} | {params} | {dur} | {frac} |")
    return rows


def _distributions_section() -> str:
    return "\n".join(
        [
            "### Distributions",
            "",
            "Wherever the type says *or distribution*, a value is drawn afresh in every replication. "
            "Write a plain quantity (`5min`) for a fixed value, or a distribution inline or as a mapping; "
            "the two lines below are the same:",
            "",
            "```yaml",
            "notify: lognormal(median=20min, p90=1h)",
            "notify: {dist: lognormal, median: 20min, p90: 1h}",
            "```",
            "",
            *_distribution_rows(),
            "",
            "- Parameters are positional in the order of the table, or named (`uniform(low=10min, high=30min)`); "
            "`uniform` also takes `min`/`max` and `triangular` also `low`/`high`, and `std` or `sigma` may stand for `sd`.",
            "- `normal` is truncated to where the value can lie (a duration at zero, a fraction to 0..1): "
            "values outside are redrawn, not clipped, so the mean is the truncated mean.",
            "- `lognormal` is given by its median and 90th percentile (`lognormal(median=20min, p90=1h)`: half "
            "the draws under 20 minutes, one in ten over an hour) or by its mean and standard deviation "
            "(`lognormal(mean=30min, sd=10min)`). Median must be below p90.",
            "- `exponential(mean=20min)`: memoryless waiting time with that mean.",
            "- `choice` draws one of a few values, equally likely unless weights are given. Inline, quote it "
            'when it has weights, because `: ` starts a YAML mapping: `"choice(10min: 1, 30min: 3)"` '
            "(or write `choice(10min:1, 30min:3)`). As a mapping: "
            "`{dist: choice, values: [10min, 30min], weights: [1, 3]}`.",
            "- A fraction (a probability) may be fixed, `uniform`, `triangular`, `normal` or `choice`; "
            "`lognormal` and `exponential` are refused there because they are unbounded.",
            "",
        ]
    )


_YAML_RULES = """\
### YAML rules

- YAML 1.2 core: only `true`/`false` are booleans. `no`, `yes`, `on`, `off` stay text (YAML 1.1
  would read `no` as false), so `deployed: no` is an error asking for `true` or `false`. `1:30`
  stays text (YAML 1.1 would read 90) and is refused where a duration is expected.
- A key given twice in the same mapping is an error naming both lines.
- Anchors, aliases and merge keys work: `- &heightened {...}` then `- <<: *heightened` with the keys
  that differ. Alias expansion is capped, and so is the file size (1 MB).
- Tags (`!!python/...`, `!custom`) are refused: nothing in a scenario can run code or write a file.
- `sim run FILE --set PATH=VALUE` changes one value for one run: PATH is the dotted path of the YAML
  (`threats.0.failure.guidance_fault=0.3`, `units.0.crew.notify="lognormal(median=30min, p90=2h)"`),
  VALUE is read as YAML and checked like the file; a problem names the flag instead of a line.

### Names that refer to other parts

Checked once the whole file is read, each with a *did you mean* for a near miss: a post's `parent`,
a unit's or sensor's `post`, a level's `authority` (which must be above every unit, or no report
reaches it), an outage's `post`, an order's `level`, `issued_by` and `units` (which must be under the
issuing post), a unit's `initial_level`. Sites (`site`, `launch.site`, `toward`) are built-in names
(`vladivostok`, `sinpo`, ...), names from the scenario's `sites`, or `LAT,LON` in decimal degrees.
Names of posts, levels, units and threats must be unique. A threat gives `toward` or `azimuth`, and
`range` (optionally `apogee`) or `speed` with `angle`.
"""


def _part_section(model: type[BaseModel], where: str) -> str:
    lines = [f"### {model.__name__}", ""]
    doc = _doc(model)
    if doc:
        lines += [doc, ""]
    lines += [f"Written at: `{where}`" if where else "Written at: the top level of the file.", ""]
    lines += ["| Key | Type | Default | Description |", "|---|---|---|---|"]
    for name, info in model.model_fields.items():
        lines.append(
            f"| `{name}` | {_cell(type_text(model, name))} | {_cell(default_text(model, name))} | {_cell(info.description or '')} |"
        )
    lines.append("")
    return "\n".join(lines)


def reference_markdown() -> str:
    """The whole reference, as committed in ``docs/scenario-reference.md``."""
    parts = models()
    where = _where()
    toc = ["## Parts", ""] + [f"- {_link(m)}" + (f" (`{where[m]}`)" if where[m] else "") for m in parts] + [""]
    sections = [_part_section(m, where[m]) for m in parts]
    text = "\n".join([_INTRO, _quantities_section(), _distributions_section(), _YAML_RULES, *toc, *sections])
    return text.rstrip("\n") + "\n"
