"""The tabletop exercise: players' answers change the outcome, the fog hides the truth, a log replays, injects act."""

from __future__ import annotations

import json
import math
from pathlib import Path

import numpy as np
import pytest

from sim.engine.deciders import FixedTiming
from sim.engine.draws import BlockDraws
from sim.engine.flights import BlockFlights
from sim.engine.outcome import ChainEnd
from sim.engine.plan import compile_plan
from sim.engine.replication import Replication
from sim.engine.trace import Trace
from sim.executors import BLOCK_SIZE, Serial
from sim.exercise import log
from sim.exercise.debrief import make_debrief, timing_overrides
from sim.exercise.desk import ExerciseError
from sim.exercise.script import Answer, load_answers, play_script
from sim.exercise.session import Session
from sim.scenario.loader import load_scenario, load_text
from sim.scenario.problems import ScenarioError
from sim.study import Study, execute

ROOT = Path(__file__).resolve().parents[2]
STRAY = ROOT / "scenarios" / "stray_missile.yaml"
SEED = 20170429  # replication 0: the alert is up before the stray launch, so district_hq decides on it
TRUTH = ("guidance fault", "early explosion", "thrust shortfall", "nominal flight", "truly", "comes down at")


def played(after_s: float, log_path: Path | None = None) -> Session:
    s = Session(load_scenario(STRAY), seed=SEED, posts=("district_hq",), log=log_path)
    play_script(s, [Answer("engage", after_s, kind="engage")])
    return s


def test_a_fast_answer_engages_and_a_slow_one_is_too_late():
    fast = played(5.0)
    stray_fast = fast.r.records[1]
    assert stray_fast.engaged and not stray_fast.too_late
    assert stray_fast.decision - fast.decisions[0].opened == pytest.approx(5.0)  # pace 1: 5 real s = 5 sim s
    # the latest answer that still fires, as the engine worked it out for the fast session (same draws)
    slack = stray_fast.latest_decision - fast.decisions[0].opened
    until_impact = stray_fast.impact - fast.decisions[0].opened
    assert 5.0 < slack < until_impact - 30.0  # room for an answer that comes after it and before the impact
    slow = played(slack + 15.0)
    stray_slow = slow.r.records[1]
    assert stray_slow.decided and stray_slow.too_late and not stray_slow.engaged
    assert stray_slow.latest_decision - stray_slow.decision == pytest.approx(-15.0)  # the margin: 15 s short
    assert stray_fast.launch == stray_slow.launch and stray_fast.impact == stray_slow.impact  # the same replication


def test_an_answer_that_never_comes_before_the_impact_leaves_the_threat_undecided():
    never = played(600.0)  # 10 min: longer than a 470 km flight lasts from launch to impact
    stray = never.r.records[1]
    assert not stray.decided and not stray.engaged and stray.end == ChainEnd.DECISION_LATE
    assert never.decisions[0].answer == "late"


def test_the_session_is_the_replication_sim_run_makes_when_the_model_decides():
    loaded = load_scenario(STRAY)
    auto = Session(loaded, seed=SEED, replication=3, auto=True)
    while not auto.finished:
        auto.skip()
    plan = compile_plan(loaded.scenario)
    draws = BlockDraws(plan.sites, SEED, 0, BLOCK_SIZE)
    records, _ = Replication(plan, draws, BlockFlights(plan, draws), 3, Trace(False)).run()
    assert [(r.end, r.decision, r.intercepted) for r in auto.r.records] == [
        (r.end, r.decision, r.intercepted) for r in records
    ]


@pytest.mark.parametrize("replication", range(4))
def test_no_line_a_player_sees_holds_the_ground_truth(replication):
    s = Session(load_scenario(STRAY), seed=SEED, replication=replication, posts=("general_staff", "district_hq"))
    play_script(s, [Answer("engage", 3.0), Answer("issue", 30.0)] * 3)
    shown = [f"{f.line.actor} {f.line.what} {f.line.detail}" for f in s.events_since(0)]
    assert shown and not [line for line in shown if any(word in line for word in TRUTH)]
    truth = " ".join(f"{e.event} {e.detail}" for e in s.story())
    assert any(word in truth for word in TRUTH)  # the scan can fail: the truth is in the story


@pytest.mark.slow
def test_a_log_replays_to_the_same_debrief(tmp_path):
    path = tmp_path / "session.json"
    s = played(20.0, path)
    doc = log.read(path)
    assert doc["finished"] and doc["actions"][0]["type"] == "decision"
    again = log.replay(doc)
    ex = Serial()
    assert make_debrief(again, runs=20, executor=ex) == make_debrief(s, runs=20, executor=ex)


def test_a_log_cut_short_resumes_where_it_stopped(tmp_path):
    path = tmp_path / "session.json"
    s = Session(load_scenario(STRAY), seed=SEED, posts=("district_hq",), log=path)
    while not s.prompts():
        s.skip()
    s.advance(7.0)
    s.pause()  # a change the log keeps: it is written as the session goes
    doc = log.read(path)
    resumed = log.replay(doc, to_end=False)
    assert resumed.now == doc["now"] == s.now and resumed.wall == s.wall
    assert [p.id for p in resumed.prompts()] == [p.id for p in s.prompts()] == [0]


@pytest.mark.slow
def test_an_inject_that_takes_a_link_down_changes_who_decides():
    base = ["command.posts.1.fallback=division_cp"]
    cut = base + ["injects=[{trigger: launch_detected, link_down: division_cp}]"]  # after the alert order is down
    names = ("general_staff", "district_hq", "division_cp")
    rows = {}
    for label, overrides in (("base", base), ("cut", cut)):
        done = execute(Study(load_scenario(STRAY, overrides), 200, SEED), Serial())
        r = done.result.outcomes.threats
        decided = r[r["decided"]]
        rows[label] = {n: int((decided["authority"] == i).sum()) for i, n in enumerate(names)}
    assert rows["base"]["district_hq"] > 0 and rows["base"]["division_cp"] == 0
    assert rows["cut"]["district_hq"] == 0 and rows["cut"]["division_cp"] > 0


def test_a_facilitator_inject_acts_at_once_and_a_bad_one_is_refused():
    s = Session(load_scenario(STRAY, ["command.posts.1.fallback=division_cp"]), seed=SEED, posts=("division_cp",))
    while not any(f.line.what == "new track" for f in s.events_since(0)):
        s.skip()
    s.inject({"link_down": "division_cp"})
    play_script(s, [Answer("engage", 5.0)])
    assert s.decisions and s.decisions[0].post == "division_cp"  # the fallback asked the players
    assert any(f.line.what == "takes authority" for f in s.events_since(0))
    with pytest.raises(ExerciseError, match="unknown post"):
        s.inject({"link_down": "nowhere"})


def test_inject_problems_point_at_the_line(tmp_path):
    text = STRAY.read_text() + "\ninjects:\n  - at: 1h\n    link_down: nowhere\n  - at: 1h\n"
    with pytest.raises(ScenarioError) as bad:
        load_text(text, "s.yaml")
    lines = str(bad.value).splitlines()
    n = text.count("\n")
    assert lines[0].startswith(f"s.yaml:{n - 1}:") and "injects.0.link_down: unknown post 'nowhere'" in lines[0]
    assert "injects.1: give exactly one of link_down" in lines[1]


@pytest.mark.slow
def test_the_counterfactual_replays_the_players_time_as_a_fixed_decision_time():
    """The two routes to 'your timing' agree: --set overrides through the pipeline, and the FixedTiming decider."""
    s = played(20.0)
    assert timing_overrides(s) == ['command.posts.1.decision_time="20.000s"']
    loaded = load_scenario(STRAY, ["command.posts.1.decision_time=20s"])
    plan, base = compile_plan(loaded.scenario), compile_plan(load_scenario(STRAY).scenario)
    draws, draws0 = BlockDraws(plan.sites, SEED, 0, BLOCK_SIZE), BlockDraws(base.sites, SEED, 0, BLOCK_SIZE)
    fixed = FixedTiming(engage_s={"district_hq": 20.0})
    for i in range(30):
        a, _ = Replication(plan, draws, BlockFlights(plan, draws), i, Trace(False)).run()
        b, _ = Replication(base, draws0, BlockFlights(base, draws0), i, Trace(False), fixed).run()
        assert [(x.end, x.decision) for x in a] == [(y.end, y.decision) for y in b]


@pytest.mark.slow
def test_the_debrief_percentile_matches_the_distribution():
    """district_hq decides in lognormal(median=90s, p90=4min): 90 s is its 50th percentile, 4 min its 90th."""
    for after, expected in ((90.0, 50.0), (240.0, 90.0)):
        review = make_debrief(played(after), runs=0).decisions[0]
        assert review.percentile == pytest.approx(expected, abs=100 * 3 * math.sqrt(0.25 / 20_000))
        assert review.model_median_s == pytest.approx(90.0, rel=0.02)


def test_answers_files_are_read_and_checked(tmp_path):
    good = tmp_path / "a.yaml"
    good.write_text("answers:\n  - kind: engage\n    answer: engage\n    after: 40s\n")
    assert load_answers(good) == [Answer("engage", 40.0, kind="engage")]
    bad = tmp_path / "b.yaml"
    bad.write_text("answers:\n  - answer: engage\n    after: soon\n")
    with pytest.raises(ScenarioError, match=r"b.yaml:3:\d+: answers.0.after"):
        load_answers(bad)


def test_the_log_is_json_with_every_decision(tmp_path):
    path = tmp_path / "s.json"
    played(5.0, path)
    doc = json.loads(path.read_text())
    d = doc["actions"][0]
    assert (d["answer"], d["wall_s"], d["post"]) == ("engage", 5.0, "district_hq") and not list(tmp_path.glob(".*"))
    assert np.all(np.diff([f["t"] for f in doc["feed"]]) >= 0)


@pytest.mark.slow
def test_a_log_cut_short_resumes_with_every_line_it_had_shown(tmp_path):
    """A skip lands on an event's time; the log written then is resumed with the lines shown at that very time
    (simpy's run(until=t) leaves the events at t: the replay settles them, as the live session had)."""
    path = tmp_path / "session.json"
    s = Session(load_scenario(STRAY), seed=SEED, posts=("general_staff", "district_hq"), log=path)
    s.advance(1.0)
    s.decide(s.prompts()[0].id, "issue")
    for _ in range(6):
        s.skip()
    at_now = [f for f in s.events_since(0) if f.line.t == s.now]
    assert at_now  # the case: lines shown at the very moment the log stops
    again = log.replay(log.read(path), to_end=False)
    assert again.now == s.now and again.events_since(0) == s.events_since(0)
    assert again.decisions == s.decisions
