"""The terminal report: every section there, numbers formatted as a trainer reads them, 100 columns, no colour."""

from __future__ import annotations

import dataclasses
import shlex

import pytest
from rich.console import Console
from synthetic import counted_result, synthetic_result

from sim.analysis import summarize
from sim.executors import Serial
from sim.report.formats import format_interval, format_percent, reproduce_command
from sim.report.terminal import render
from sim.report.timeline import render_trace, trace_clock
from sim.results import TraceEvent
from sim.scenario.loader import parse_override
from sim.scenario.quantities import format_duration


def text_of(renderable, width: int = 100) -> str:
    console = Console(width=width, record=True, no_color=True, file=open("/dev/null", "w"))
    console.print(renderable)
    return console.export_text()


@pytest.fixture(scope="module")
def report(summary) -> str:
    return text_of(render(summary))


def test_every_section_is_there(report, summary):
    for heading in (
        "Synthetic stray missile",
        "Outcomes (95% Wilson intervals)",
        "Times (min and max in the JSON)",
        "Readiness: alert level reached",
        "Interception chain",
        "reproduce:",
    ):
        assert heading in report
    assert summary.scenario.sha256[:12] in report and summary.scenario.sha256[:13] not in report
    assert "tests/synthetic.yaml" in report
    assert "200 runs, seed 7, version 0.1.0" in report
    assert "2 workers (local), blocks of 50, 3.2s wall time" in report
    assert "threats.1.failure.guidance_fault = 0.3" in report
    for step in summary.chain:
        assert step in report
    assert summary.why_it_leaked[:60] in " ".join(report.split())
    assert "Why threats got through" in report
    assert "PARTIAL" not in report


@pytest.mark.parametrize("width", [80, 100])
def test_fits_the_terminal_without_cutting_a_number(summary, width):
    lines = text_of(render(summary), width).splitlines()
    assert max(len(line) for line in lines) <= width
    assert not any("…" in line for line in lines)


def test_a_known_proportion_is_printed_with_its_interval():
    text = text_of(render(summarize(counted_result())))
    section = text[text.index("if threatened") :]
    row = next(line for line in section.splitlines() if line.split()[:1] == ["intercepted"])
    assert row.split() == ["intercepted", "30.8%", "25.5–36.6%", "81", "/", "263"]


def test_several_threats_get_a_column_each(report):
    header = next(line for line in report.splitlines() if "all threats" in line)
    assert header.split() == ["outcome", "all", "threats", "failed_test", "stray"]


def test_readiness_rows_use_human_units(report, summary):
    readiness = report[report.index("Readiness") :].splitlines()
    row = next(line for line in readiness if "heightened" in line)  # the first unit's
    x = summary.readiness["s400_vladivostok"]["heightened"]
    assert f"{x.p50_s / 3600:.1f}h" in row and f"{x.p90_s / 3600:.1f}h" in row


def test_waterfall_bars_follow_each_other(report):
    lines = {line.split("  ")[0].strip(): line for line in report.splitlines() if "█" in line or "▒" in line}
    start = {
        name: min(line.find("█") if "█" in line else 10**6, line.find("▒") if "▒" in line else 10**6)
        for name, line in lines.items()
    }
    assert (
        start["until visible"]
        < start["detection latency"]
        < start["report up"]
        < start["decision"]
        < start["order down"]
        < start["flyout"]
    )
    assert "▒" in lines["flyout"] and "█" not in lines["flyout"]


def test_partial_runs_say_so_at_the_top():
    s = summarize(synthetic_result(runs=100, partial=True, requested=400))
    text = text_of(render(s))
    assert "PARTIAL RUN: interrupted after 100 of 400 replications" in text
    assert text.index("PARTIAL") < text.index("Outcomes")
    assert "100 of 400 requested runs" in text


def test_reproduce_command_reads_back_the_overrides(summary):
    odd = {
        "threats.1.launch.at": "triangular(4h, 8h, 20h)",
        "runs": 5,
        "name": "1.5",
        "units.0.interceptors.loaded": 12,
        "sites": {"x": "43.1,131.9"},
    }
    s = dataclasses.replace(summary, scenario=dataclasses.replace(summary.scenario, overrides=odd))
    words = shlex.split(reproduce_command(s))
    assert words[:7] == ["sim", "run", "tests/synthetic.yaml", "--runs", "200", "--seed", "7"]
    sets = [w for i, w in enumerate(words) if i and words[i - 1] == "--set"]
    got = {parse_override(w).path: parse_override(w).value for w in sets}
    assert got == {tuple(int(p) if p.isdigit() else p for p in k.split(".")): v for k, v in odd.items()}


def test_percent_formatting_never_rounds_a_rare_event_away():
    assert format_percent(0.3080) == "30.8%"
    assert format_percent(0.0003) == "0.03%"
    assert format_percent(0.9996) == "99.96%"
    assert format_percent(0.0) == "0%" and format_percent(1.0) == "100%"
    assert format_percent(float("nan")) == "-"
    assert format_interval(0.2553, 0.3662) == "25.5–36.6%"


def test_trace_is_a_timeline():
    events = [
        TraceEvent(0.0, "stray", "launch", "from sinpo"),
        TraceEvent(95.0, "s400_vladivostok", "detected", "radar, mass monitoring"),
        TraceEvent(86400 + 3723.0, "district_hq", "decision", "engage"),
    ]
    text = text_of(render_trace(events))
    lines = [line for line in text.splitlines() if "stray" in line or "s400" in line or "district" in line]
    assert lines[0].split()[:3] == ["00:00:00", "stray", "launch"]
    assert lines[1].split()[:3] == ["00:01:35", "+95s", "s400_vladivostok"]
    assert lines[2].split()[:4] == ["1d", "01:02:03", "+25.0h", "district_hq"]
    assert trace_clock(float("nan")) == "-"


def test_the_printed_command_runs_as_printed(report, summary):
    block = report[report.index("reproduce:") + len("reproduce:") :]
    assert shlex.split(block.replace("\\\n", " ")) == shlex.split(reproduce_command(summary))


def test_per_threat_cells_carry_their_own_numbers(report, summary):
    row = next(line for line in report.splitlines() if line.split()[:1] == ["threatened"])
    expected = [
        summary.pooled.outcomes["threatened"],
        summary.threats["failed_test"].outcomes["threatened"],
        summary.threats["stray"].outcomes["threatened"],
    ]
    assert row.split()[1::2] == [format_percent(p.p) for p in expected]
    assert row.split()[2] == f"({format_interval(*expected[0].ci95).rstrip('%')})"


def test_times_show_a_threat_only_where_it_differs(report, summary):
    times = report[report.index("Times") : report.index("Readiness")].splitlines()
    row = next(line for line in times if line.startswith(" launch to decision"))
    m = summary.pooled.metrics["time_to_decision_s"]
    assert row.split()[3:] == [str(m.n), format_duration(m.mean), format_duration(m.p50), format_duration(m.p90)]
    # Only the stray is ever decided: its own row would repeat the line above.
    after = times[times.index(row) + 1].split()
    assert after[0] != "stray"


def test_a_scenario_without_threats_reports_readiness_alone():
    from sim.analysis import summarize
    from sim.runner import run
    from sim.scenario.loader import load_scenario

    summary = summarize(run(load_scenario("scenarios/alert_recall.yaml"), runs=100, executor=Serial()))
    report = text_of(render(summary))
    assert "No threats in this scenario" in report and "Readiness: alert level reached" in report
    assert "Outcomes" not in report and "Interception chain" not in report


def test_no_causes_table_when_nothing_came_down_on_own_territory():
    result = synthetic_result(runs=60, seed=4)
    result.outcomes.threats["threatened"] = False  # every missile fell elsewhere: no reason to give
    text = text_of(render(summarize(result)))
    assert "Outcomes (95% Wilson intervals)" in text and "Why threats got through" not in text
