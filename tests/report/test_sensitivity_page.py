"""The sensitivity page: the look of the run page (shared templates), top down, self-contained, and opened in
headless chromium like every other page.

The study is the engine check's chain (tools.engine_checks_sensitivity.SENSITIVITY_CHAIN): fixed delays, so the ranking is
known in advance (tests/test_sensitivity.py derives it); here only the page is under test.
"""

from __future__ import annotations

import re
from html import unescape

import pytest

pytest.importorskip("SALib")

from test_browser import CHROMIUM, browse, console_errors, not_blank  # noqa: E402

from sim.executors import Serial  # noqa: E402
from sim.report.sensitivity_page import QUESTION, sensitivity_page  # noqa: E402
from sim.report.sensitivity_report import rankings  # noqa: E402
from sim.study.sensitivity import plan_sensitivity, run_sensitivity  # noqa: E402
from tools.engine_checks_scenario import variant  # noqa: E402
from tools.engine_checks_sensitivity import SENSITIVITY_CHAIN  # noqa: E402

pytestmark = pytest.mark.slow  # a study of a dozen points or more, each a small run
OUTSIDE = re.compile(r"https?://|url\((?!#)|@import|<link|<script|<iframe|<object", re.IGNORECASE)


def study(method: str, points: int):
    plan = plan_sensitivity(variant(SENSITIVITY_CHAIN), method, points, runs=2, seed=3)
    result = run_sensitivity(plan, None, executor=Serial(), measures=("time_to_decision_s", "intercepted"))
    return result, rankings(result)


@pytest.fixture(scope="module")
def morris():
    result, ranks = study("morris", 2)
    return result, ranks, sensitivity_page(result, ranks)


def text_of(page: str) -> str:
    return unescape(re.sub(r"<[^>]+>", " ", page))


def test_one_file_nothing_from_outside_the_run_pages_look(morris):
    _, _, page = morris
    assert not OUTSIDE.search(" ".join(re.findall(r"<[^>]*>", page)))
    assert page.count("<svg") == 2  # one chart per measure, inline
    assert '<div class="answer">' in page and "@media print" in page  # the shared stylesheet of every page


def test_top_down_answer_then_a_chart_and_table_per_measure_then_how_to_rerun(morris):
    result, ranks, page = morris
    text = text_of(page)
    order = [QUESTION, ranks[0].sentence(), "What launch to decision (mean) rests on", "What intercepted rests on"]
    order += ["The assumptions in doubt", "Study", "Reproduce", "sim sensitivity"]
    where = [text.find(x) for x in order]
    assert -1 not in where and where == sorted(where), list(zip(order, where))
    for a in result.plan.assumptions:  # every declared assumption: in both rankings and the list
        assert text.count(a.path) >= 3
    # words, not the JSON's column names
    assert "mu_star" not in text and "mean change over the range (mu*)" in text and "beyond the dice?" in text


def test_the_ranked_table_puts_the_widest_step_first(morris):
    _, ranks, page = morris
    first = ranks[0].indices.ranked()[0].name
    assert first == "command.posts.1.decision_time"  # the widest range, 40 s; the delays add up to the measure
    table = page[page.find("What launch to decision (mean) rests on") :]
    assert table.find(f"<td>{first}</td>") < min(
        table.find(f"<td>{i.name}</td>") for i in ranks[0].indices.ranked()[1:]
    )


def test_sobol_names_both_shares():
    result, ranks = study("sobol", 2)
    text = text_of(sensitivity_page(result, ranks))
    assert "share with interactions (ST)" in text and "share alone (S1)" in text and "--method sobol" in text


@pytest.mark.skipif(CHROMIUM is None, reason="no chromium binary found (apt-get install chromium)")
def test_the_page_opens_in_chromium_without_errors(morris, tmp_path):
    page = tmp_path / "sensitivity.html"
    page.write_text(morris[2], encoding="utf-8")
    log = browse(page, tmp_path / "sensitivity.png")
    assert not console_errors(log), log
    assert not_blank(tmp_path / "sensitivity.png") > 0.05
