"""The live screen, driven through a pseudo-terminal as a player would: keys in, frames out."""

from __future__ import annotations

import os
import sys
from pathlib import Path

import pytest

pexpect = pytest.importorskip("pexpect")

ROOT = Path(__file__).resolve().parents[2]
TRUTH = ("guidance fault", "early explosion", "thrust shortfall", "nominal flight", "truly", "comes down at")


@pytest.mark.slow
def test_a_player_answers_on_the_live_screen_and_gets_the_debrief(tmp_path):
    log = tmp_path / "session.json"
    args = ["-m", "sim", "exercise", str(ROOT / "scenarios" / "stray_missile.yaml"), "--seed", "20170429"]
    args += ["--post", "district_hq", "--pace", "20", "--skip-after", "0.3", "--runs", "10", "--log", str(log)]
    env = dict(os.environ, PYTHONPATH=str(ROOT), COLUMNS="140", LINES="50")
    child = pexpect.spawn(sys.executable, args, env=env, cwd=str(ROOT), dimensions=(50, 140), encoding="utf-8")
    try:
        child.expect("DECIDE engage stray", timeout=120)
        before_answer = child.before
        child.send("1")  # [1] engage
        child.expect("Debrief", timeout=180)
        shown = before_answer + child.before
        child.expect(pexpect.EOF, timeout=60)
        debrief = child.before
    finally:
        child.close()
    assert child.exitstatus == 0
    assert "new track" in shown and not [w for w in TRUTH if w in shown]  # the fog held until the debrief
    assert "guidance fault" in debrief  # ... and the debrief tells it
    assert '"answer": "engage"' in log.read_text()
