"""Every HTML page of the project from one set of templates: one look for run, compare and sweep.

Jinja2 with autoescape on: every text from a scenario is escaped where it is put into the page;
figures (already-built inline SVG from :mod:`sim.report.style`) are the only markup marked safe.
The pages are self-contained: inline CSS, inline SVG, no script, nothing fetched.
"""

from __future__ import annotations

import functools
from typing import Any

from jinja2 import DictLoader, Environment, StrictUndefined, select_autoescape
from markupsafe import Markup

CSS = """
:root { --ink: #222; --muted: #666; --rule: #d6d6d6; --accent: #1f5fa8; --bad: #c62828; --good: #2e8b57; }
html { font-size: 17px; }
body { font-family: system-ui, "Segoe UI", Roboto, "DejaVu Sans", sans-serif; color: var(--ink);
       max-width: 1180px; margin: 1.5rem auto; padding: 0 1.5rem; line-height: 1.4; }
h1 { font-size: 2rem; margin: 0 0 .2rem; }
h2 { font-size: 1.35rem; margin: 2rem 0 .6rem; border-bottom: 2px solid var(--rule); padding-bottom: .2rem; }
h3 { font-size: 1.1rem; margin: 1.2rem 0 .4rem; }
.subtitle { color: var(--muted); margin: 0 0 1rem; }
.answer { border-left: 6px solid var(--accent); background: #f4f7fb; padding: .8rem 1.2rem; margin: 1rem 0; }
.answer .question { color: var(--muted); margin: 0; }
.answer .big { font-size: 2.4rem; font-weight: 700; margin: .1rem 0; }
.answer .big small { font-size: 1rem; font-weight: 400; color: var(--muted); }
.answer .why { font-size: 1.15rem; margin: .3rem 0 0; }
.partial { border: 3px solid var(--bad); padding: .6rem 1rem; font-weight: bold; margin: 1rem 0; }
figure { margin: .6rem 0 1.2rem; }
figure svg { width: 100%; height: auto; display: block; }
figcaption { color: var(--muted); font-size: .9rem; }
table { border-collapse: collapse; margin: .5rem 0 1rem; font-variant-numeric: tabular-nums; width: 100%; }
th, td { padding: .25rem .7rem; text-align: right; border-bottom: 1px solid #eee; vertical-align: top; }
th { border-bottom: 2px solid var(--rule); }
th:first-child, td:first-child { text-align: left; }
tr.section td { font-style: italic; color: var(--muted); text-align: left; padding-top: .6rem; }
.muted { color: var(--muted); font-size: .9em; }
.sig { font-weight: 700; }
dl.header { display: grid; grid-template-columns: max-content 1fr; gap: .1rem 1rem; margin: 0; }
dl.header dt { font-weight: 600; } dl.header dd { margin: 0; }
code { background: #f4f4f4; padding: .3rem .5rem; display: inline-block; white-space: pre-wrap; word-break: break-all; }
section { break-inside: avoid-page; }
@media print {
  @page { size: A4; margin: 10mm; }
  html { font-size: 9.5pt; }
  body { max-width: none; margin: 0; padding: 0; }
  h1 { font-size: 1.6rem; } h2 { margin: 1rem 0 .3rem; }
  h2, h3 { break-after: avoid-page; page-break-after: avoid; }
  figure, table, tr, .answer, section.keep, code { break-inside: avoid; page-break-inside: avoid; }
  figure { margin: .3rem 0 .6rem; }
  figure svg { max-height: 80mm; width: auto; max-width: 100%; }
  th, td { padding: .1rem .5rem; }
  .answer { background: none; padding: .4rem .8rem; }
}
"""

BASE = """<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{{ title }} - tabletop-sim</title>
<style>{{ css }}</style>
</head>
<body>
<header>
<h1>{{ title }}</h1>
{% if subtitle %}<p class="subtitle">{{ subtitle }}</p>{% endif %}
</header>
{% block body %}{% endblock %}
</body>
</html>
"""

MACROS = """
{% macro table(head, rows) -%}
<table>
<tr>{% for h in head %}<th>{{ h }}</th>{% endfor %}</tr>
{% for row in rows %}{% if row is string %}<tr class="section"><td colspan="{{ head|length }}">{{ row }}</td></tr>
{% else %}<tr>{% for c in row %}<td>{{ c }}</td>{% endfor %}</tr>
{% endif %}{% endfor %}
</table>
{%- endmacro %}
{% macro figure(svg, caption="") -%}
<figure>{{ svg }}{% if caption %}<figcaption>{{ caption }}</figcaption>{% endif %}</figure>
{%- endmacro %}
{% macro header(items) -%}
<dl class="header">{% for k, v in items %}<dt>{{ k }}</dt><dd>{{ v }}</dd>{% endfor %}</dl>
{%- endmacro %}
"""

SECTIONS = """{% extends "base.html" %}{% import "macros.html" as m %}
{% block body %}
{% if lead %}{{ lead }}{% endif %}
{% for s in sections %}
<section{% if s.keep %} class="keep"{% endif %}>
<h2>{{ s.title }}</h2>
{% if s.text %}<p>{{ s.text }}</p>{% endif %}
{% for part in s.parts %}{{ part }}
{% endfor %}
</section>
{% endfor %}
{% endblock %}
"""


@functools.cache
def environment() -> Environment:
    env = Environment(
        loader=DictLoader({"base.html": BASE, "macros.html": MACROS, "sections.html": SECTIONS}),
        autoescape=select_autoescape(default=True, default_for_string=True),
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    return env


def render(template: str, **context: Any) -> str:
    return environment().get_template(template).render(css=Markup(CSS), **context)


def macro(name: str, *args: Any) -> Markup:
    """One of the shared macros (table, figure, header) rendered to safe markup, its arguments escaped."""
    module = environment().get_template("macros.html").module
    return Markup(getattr(module, name)(*args))


def safe(svg: str) -> Markup:
    """Markup we built ourselves (a figure): never pass scenario text through here unescaped."""
    return Markup(svg)


def section(title: str, *parts: Any, text: str = "", keep: bool = False) -> dict[str, Any]:
    return {"title": title, "parts": [p for p in parts if p], "text": text, "keep": keep}


def page(title: str, subtitle: str, sections: list[dict[str, Any]], lead: Any = "") -> str:
    return render("sections.html", title=title, subtitle=subtitle, sections=sections, lead=lead)
