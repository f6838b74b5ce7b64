"""`sim serve` over HTTP: join codes, who may do what, a killed server resumed from its log, the CLI's edges."""

from __future__ import annotations

import json
import math
import os
import subprocess
import sys
import urllib.error
import urllib.request

import pytest

from sim.report.timeline import trace_clock
from sim.web.live import inject_of

from .conftest import ROOT, SEED, STRAY

ENV = dict(os.environ, PYTHONPATH=str(ROOT) + os.pathsep + os.environ.get("PYTHONPATH", ""))
PLAYERS = ("--post", "general_staff", "--post", "district_hq", "--seed", SEED)


def status(url: str) -> int:
    try:
        with urllib.request.urlopen(url, timeout=10) as r:
            return r.status
    except urllib.error.HTTPError as exc:
        return exc.code


@pytest.mark.slow
def test_a_wrong_code_is_refused_and_each_code_opens_only_its_role(serve):
    s = serve(*PLAYERS)
    assert set(s.links) == {"facilitator", "projector", "post general_staff", "post district_hq"}
    assert all(status(u) == 200 for u in s.links.values())
    player = s.code("post district_hq")
    for path in ("/facilitator", "/projector", "/post/district_hq", "/debrief", "/api/state", "/api/events"):
        assert status(f"{s.base}{path}?code=wrong") == 403, path
        assert status(f"{s.base}{path}") == 403, path
    assert status(f"{s.base}/facilitator?code={player}") == 403  # a player's link is not the console
    assert status(f"{s.base}/post/general_staff?code={player}") == 403  # nor another post's station
    assert s.act("post district_hq", action="start")[0] == 403  # only the facilitator runs the clock
    assert s.state("facilitator")["state"] == "paused"


@pytest.mark.slow
def test_only_the_post_asked_may_answer_and_bad_injects_say_why(serve):
    s = serve(*PLAYERS, "--pace", "50")
    assert s.act("facilitator", action="start") == (200, {"ok": True, "version": 1})
    st = s.until("post general_staff", lambda st: st["prompts"])
    pid = st["prompts"][0]["id"]
    assert s.act("post district_hq", action="decide", prompt=pid, answer="issue")[0] == 403
    assert s.act("facilitator", action="decide", prompt=pid, answer="issue")[0] == 403
    code, body = s.act("post general_staff", action="decide", prompt=pid, answer="fire at will")
    assert code == 400 and body["error"] == "answer one of issue, withhold (not 'fire at will')"
    assert s.act("post general_staff", action="decide", prompt=pid, answer="issue")[0] == 200
    code, body = s.act("facilitator", action="inject", kind="link_down", target="nowhere")
    assert code == 400 and "unknown post 'nowhere'" in body["error"] and "\n" not in body["error"]
    assert s.act("facilitator", action="pace", pace="-1")[0] == 400
    assert s.act("facilitator", action="inject", kind="message", text="expect more launches")[0] == 200
    fac = s.state("facilitator")
    assert fac["injects"][0]["inject"].startswith("message: expect more launches")
    assert [d["answer"] for d in fac["decisions"]] == ["issue"] and fac["decisions"][0]["by"] == "player"


def test_the_inject_form_makes_the_scenarios_injects():
    assert inject_of({"kind": "message", "text": "hi", "target": ""}) == {"message": "hi"}
    assert inject_of({"kind": "message", "text": "hi", "target": "district_hq"}) == {
        "message": "hi",
        "to": "district_hq",
    }
    assert inject_of({"kind": "post_out", "target": "district_hq", "lasting": "5min"}) == {
        "post_out": "district_hq",
        "lasting": "5min",
    }
    assert inject_of({"kind": "false_track", "target": "division_cp", "text": "ghost"}) == {
        "false_track": "ghost",
        "post": "division_cp",
    }
    assert inject_of({"kind": "link_up", "target": "division_cp", "lasting": "5min"}) == {"link_up": "division_cp"}
    with pytest.raises(ValueError, match="needs a post"):
        inject_of({"kind": "link_down", "target": ""})
    with pytest.raises(ValueError, match="an inject is one of"):
        inject_of({"kind": "launch", "target": "stray"})


@pytest.mark.slow
def test_a_killed_server_resumes_the_session_from_its_log(serve, tmp_path):
    log = tmp_path / "session.json"
    first = serve(*PLAYERS, "--pace", "50", "--skip-after", "0.2", "--runs", "10", log=log)
    first.act("facilitator", action="start")
    pid = first.until("post general_staff", lambda st: st["prompts"])["prompts"][0]["id"]
    first.act("post general_staff", action="decide", prompt=pid, answer="issue")
    first.skip_until("post district_hq", lambda st: len(st["feed"]) >= 3)
    first.proc.kill()  # SIGKILL: no chance to write anything more
    first.proc.wait()
    doc = json.loads(log.read_text())
    assert [a["answer"] for a in doc["actions"] if a["type"] == "decision"] == ["issue"]

    again = serve("--resume", log=log)
    assert again.links == {k: v.replace(first.base, again.base) for k, v in first.links.items()}  # same codes
    fac = again.state("facilitator")
    assert fac["state"] == "paused" and fac["clock"] == trace_clock(doc["now"])
    decision = doc["actions"][0]
    assert [(d["post"], d["answer"], d["t"]) for d in fac["decisions"]] == [
        ("general_staff", "issue", trace_clock(decision["t"]))
    ]
    for post in ("general_staff", "district_hq"):
        logged = [f for f in doc["feed"] if f["post"] == post]
        shown = again.state(f"post {post}")["feed"][::-1]  # the station lists the newest first
        assert shown == [
            {"t": trace_clock(f["t"]), "actor": f["actor"], "what": f["what"], "detail": f["detail"]}
            for f in logged[-len(shown) :]
        ]
        assert len(shown) == min(40, len(logged))
    # ... and it plays on to its debrief
    again.act("facilitator", action="start")
    st = again.skip_until("post district_hq", lambda st: st["prompts"])
    assert again.act("post district_hq", action="decide", prompt=st["prompts"][0]["id"], answer="engage")[0] == 200
    again.until("facilitator", lambda st: st["debrief"] == "ready", timeout=120)
    with urllib.request.urlopen(f"{again.base}/debrief?code={again.code('post district_hq')}", timeout=10) as r:
        page = r.read().decode()
    assert "Your decisions" in page and "engage stray" in page and "alert heightened" in page
    final = json.loads(log.read_text())
    assert final["finished"] and [a["answer"] for a in final["actions"] if a["type"] == "decision"] == [
        "issue",
        "engage",
    ]
    assert not math.isnan(final["now"])


@pytest.mark.slow
def test_resume_needs_a_log_of_this_scenario(tmp_path):
    env_args = [sys.executable, "-m", "sim", "serve", str(STRAY), "--port", "0"]
    missing = tmp_path / "none.json"
    done = subprocess.run(
        [*env_args, "--log", str(missing), "--resume"], capture_output=True, text=True, cwd=ROOT, timeout=60, env=ENV
    )
    assert done.returncode == 2 and done.stderr.strip().endswith("none.json: no session log to resume")
    (tmp_path / "taken.json").write_text("{}")
    done = subprocess.run(
        [*env_args, "--log", str(tmp_path / "taken.json")],
        capture_output=True,
        text=True,
        cwd=ROOT,
        timeout=60,
        env=ENV,
    )
    assert done.returncode == 2 and "a session log is already there" in done.stderr
    assert len(done.stderr.strip().splitlines()) == 1


def test_without_the_web_extra_it_says_how_to_install_it(capsys, monkeypatch):
    from sim.cli import main

    monkeypatch.setitem(sys.modules, "starlette", None)  # import starlette now raises ImportError
    with pytest.raises(SystemExit) as done:
        main(["serve", str(STRAY)])
    err = capsys.readouterr().err
    assert (
        done.value.code == 2
        and err == "sim serve needs the web extra: pip install 'tabletop-sim[web]' (starlette and uvicorn)\n"
    )


def test_sim_help_does_not_import_the_web_stack():
    code = (
        "import sys\nfrom sim.cli import main\ntry:\n    main(['--help'])\nexcept SystemExit:\n    pass\n"
        "print(sorted(m for m in ('starlette', 'uvicorn', 'sim.web') if m in sys.modules))"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT, timeout=60, env=ENV)
    assert done.stdout.strip().splitlines()[-1] == "[]"
