"""Every page (run, compare, sweep) from the real command line, with a scenario out to break it:
a unit named ``<script>alert(1)</script>`` and a scenario named ``$x^{$``. Everything is escaped,
nothing is fetched, each page has its charts.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
from html import escape
from pathlib import Path

import pytest

pytestmark = pytest.mark.slow  # one module fixture runs, compares and sweeps a hostile scenario (about 5 s)

ROOT = Path(__file__).resolve().parents[2]
UNIT = "<script>alert(1)</script>"
NAME = "$x^{$ & <b>drill</b>"


def sim(*args: str) -> None:
    env = dict(os.environ, PYTHONPATH=str(ROOT) + os.pathsep + os.environ.get("PYTHONPATH", ""))
    done = subprocess.run(
        [sys.executable, "-m", "sim", *args, "--quiet"],
        check=False,
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert done.returncode == 0, done.stderr


@pytest.fixture(scope="module")
def pages(tmp_path_factory) -> dict[str, str]:
    out = tmp_path_factory.mktemp("hostile")
    text = (ROOT / "scenarios/stray_missile.yaml").read_text(encoding="utf-8")
    text = text.replace("s400_vladivostok", f"'{UNIT}'")
    text = re.sub(r"^name: .*$", f"name: '{NAME}'", text, count=1, flags=re.MULTILINE)
    scenario = out / "hostile.yaml"
    scenario.write_text(text, encoding="utf-8")
    sim("run", str(scenario), "--runs", "20", "--html", str(out / "run.html"))
    sim(
        "compare",
        str(scenario),
        str(scenario),
        "--set-b",
        "units.0.envelope.max_range=100km",
        "--runs",
        "20",
        "--html",
        str(out / "compare.html"),
    )
    sim(
        "sweep",
        str(scenario),
        "--vary",
        "units.0.envelope.max_range=40km,100km",
        "--runs",
        "20",
        "--store",
        str(out / "h.db"),
        "--html",
        str(out / "sweep.html"),
    )
    return {p.stem: p.read_text(encoding="utf-8") for p in out.glob("*.html")}


def test_the_hostile_scenario_took(pages):
    assert escape(UNIT) in pages["run"]  # the unit's name is on the page (readiness table), escaped


@pytest.mark.parametrize("name", ["run", "compare", "sweep"])
def test_escaped_and_offline(pages, name):
    page = pages[name]
    assert UNIT not in page and "<b>drill" not in page
    assert escape(NAME) in page
    assert "<script" not in page.lower()
    assert "http://" not in page and "https://" not in page
    assert not re.search(r"""(?:src|href)\s*=\s*["'](?!data:|#)""", page, re.IGNORECASE)


@pytest.mark.parametrize(
    ("name", "charts"),
    [
        ("run", 5),
        ("compare", 2),  # outcomes and times: B - A with intervals
        ("sweep", 2),  # range per parameter and each value's main effect (one parameter: no interaction)
    ],
)
def test_each_page_has_its_charts(pages, name, charts):
    # a chart of what never happened is left out (20 runs of the hostile scenario may decide nothing)
    assert charts - 1 <= pages[name].count("<svg") <= charts
    assert "@media print" in pages[name]
