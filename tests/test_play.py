"""Tabletop mode replays exactly the replication `sim run` made, and walks it on the trainer's keys."""

from __future__ import annotations

import io
import re

import numpy as np
from rich.console import Console

from sim.engine.outcome import THREAT_FIELDS
from sim.executors import Serial
from sim.play import play
from sim.runner import run
from sim.scenario.loader import load_scenario
from sim.study import Study, story

STRAY = "scenarios/stray_missile.yaml"
TIME = re.compile(r"^\s*(\d+d )?\d\d:\d\d:\d\d  ")


def test_story_is_the_same_replication_as_the_run():
    loaded = load_scenario(STRAY)
    result = run(loaded, runs=160, seed=11, executor=Serial(), trace=True)
    events, _ = story(Study(loaded, 160, 11), 0)
    assert [(e.t, e.actor, e.event) for e in events] == [(e.t, e.actor, e.event) for e in result.trace]
    for replication in (0, 57, 159):  # across the first and second block
        _, records = story(Study(loaded, 160, 11), replication)
        for k, rec in enumerate(records):
            for f in THREAT_FIELDS:
                np.testing.assert_array_equal(getattr(rec, f), result.outcomes.threats[f][replication, k], err_msg=f)


def test_play_reveals_on_enter_and_stops_on_q():
    loaded = load_scenario(STRAY)
    out = io.StringIO()
    answers = iter(["", "", "q"])
    shown = play(loaded, 3, first=2, console=Console(file=out, width=120), ask=lambda prompt: next(answers))
    text = out.getvalue()
    assert shown == 1
    assert "replication 2" in text
    assert len([line for line in text.splitlines() if TIME.match(line)]) == 3  # three events, then quit


def test_without_a_terminal_it_tells_one_replication_whole():
    loaded = load_scenario(STRAY)
    out = io.StringIO()
    assert play(loaded, 3, first=0, console=Console(file=out, width=120), ask=None) == 1
    events, _ = story(Study(loaded, 1, 3), 0)
    text = out.getvalue()
    assert len([line for line in text.splitlines() if TIME.match(line)]) == len(events)
    assert text.count("=> ") == len(loaded.scenario.threats)
