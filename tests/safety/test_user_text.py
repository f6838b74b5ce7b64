"""Every user string is printed as text: never rich markup, never mathtext, never raw control characters."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from safety_setup import QUICK, STRAY, sim

UNIT = "s400 [/] $x^{$"  # a closing tag with nothing open, and unbalanced mathtext
NAME = "[bold]Stray[/] \x1b[31mred"  # markup, and an escape sequence that would turn the terminal red


@pytest.fixture
def hostile(tmp_path) -> Path:
    """The stray-missile scenario with hostile names, in a file whose own name looks like markup."""
    text = STRAY.read_text(encoding="utf-8")
    assert "name: s400_vladivostok" in text and "name: Stray missile toward Primorye" in text
    text = text.replace("name: s400_vladivostok", f"name: {json.dumps(UNIT)}")
    text = text.replace("name: Stray missile toward Primorye", f"name: {json.dumps(NAME)}")
    path = tmp_path / "s[/b].yaml"  # the folder 's[' and the file 'b].yaml'
    path.parent.mkdir()
    path.write_text(text, encoding="utf-8")
    return path


@pytest.mark.slow
def test_hostile_names_pass_through_run_runs_show_and_html(capsys, hostile, tmp_path):
    html = tmp_path / "r.html"
    code, out, err = sim(
        capsys, "run", hostile, "--runs", "100", "--workers", "1", "--html", html, "--set", "description=see [/]"
    )
    assert code == 0, err
    assert "\x1b" not in out and "\\x1b[31mred" in out  # shown escaped, as typed
    assert "[bold]Stray[/]" in out
    page = html.read_text(encoding="utf-8")
    assert "s400 [/] $x^{$" in page  # the unit's name as typed
    code, out, err = sim(capsys, "runs")
    assert code == 0, err
    assert "description=see [/]" in out and "\\x1b" in out and "\x1b" not in out
    code, out, err = sim(capsys, "show", "1")
    assert code == 0, err
    assert "[bold]Stray[/]" in out and "\x1b" not in out


def test_a_path_that_looks_like_markup_is_printed_as_typed(capsys, hostile, tmp_path):
    target = tmp_path / "[/b]out.json"
    target.parent.mkdir()
    code, _, err = sim(capsys, "run", hostile, "--runs", "100", "--workers", "1", "--json", target)
    assert code == 0, err
    assert f"wrote {target}" in err


def test_bad_input_lines_show_control_characters_escaped(capsys, tmp_path):
    code, _, err = sim(capsys, "run", tmp_path / "no\x1b[2Jsuch.yaml", *QUICK)
    assert code == 2
    assert "\x1b" not in err and "\\x1b[2J" in err


def test_plots_draw_mathtext_like_names_as_text():
    from matplotlib.figure import Figure

    from sim.report.style import styled, to_svg

    @styled
    def drawing() -> str:
        fig = Figure()
        fig.add_subplot().annotate(UNIT, (0.5, 0.5))
        return to_svg(fig, UNIT)

    assert drawing().startswith("<svg")
    fig = Figure()  # the same text outside the house style is what crashed the report
    fig.add_subplot().annotate(UNIT, (0.5, 0.5))
    with pytest.raises(ValueError):
        to_svg(fig, UNIT)
