"""The `sim` command as users and scripts meet it: output, exit codes, one line per problem."""

from __future__ import annotations

import json
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from sim.cli import main
from sim.world.geo import great_circle_km
from sim.world.sites import parse_place

ROOT = Path(__file__).resolve().parents[1]
STRAY = str(ROOT / "scenarios" / "stray_missile.yaml")


def sim(capsys, *args) -> tuple[int, str, str]:
    with pytest.raises(SystemExit) as done:
        main(list(args))
    out, err = capsys.readouterr()
    return done.value.code, out, err


def test_validate_reports_three_problems_with_their_places(tmp_path, capsys):
    text = Path(STRAY).read_text()
    text = text.replace("    fire_channels: 2 ", "    fire_chanels: 2 ", 1)
    text = text.replace("notify: lognormal(median=20min, p90=1h)", "notify: -20min", 1)
    text = text.replace("\nhorizon: ", "\nhorizon: 3d\nhorizon: ", 1)
    bad = tmp_path / "copy.yaml"
    bad.write_text(text)
    lines = text.splitlines()
    code, out, err = sim(capsys, "validate", str(bad))
    assert code == 2
    problems = err.splitlines()
    assert len(problems) == 3
    dup = next(i for i, line in enumerate(lines) if line.startswith("horizon: ") and line != "horizon: 3d") + 1
    typo = next(i for i, line in enumerate(lines) if "fire_chanels" in line) + 1
    neg = next(i for i, line in enumerate(lines) if "notify: -20min" in line) + 1
    assert problems[0] == f"{bad}:{dup}:1: horizon: duplicate key 'horizon' (first given on line {dup - 1})"
    assert lines[dup - 2] == "horizon: 3d"
    assert (
        problems[1]
        == f"{bad}:{typo}:5: units.0.fire_chanels: unknown key 'fire_chanels' (did you mean 'fire_channels'?)"
    )
    assert problems[2] == f"{bad}:{neg}:15: units.0.crew.notify: value must not be negative (got -20min)"
    assert "Traceback" not in err


def test_validate_accepts_every_shipped_scenario(capsys):
    files = sorted(str(p) for p in (ROOT / "scenarios").glob("*.yaml"))
    code, out, err = sim(capsys, "validate", *files)
    assert code == 0, err
    assert out.count("ok ") == len(files)


@pytest.mark.parametrize(
    "args, message",
    [
        (["run", STRAY, "--runs", "abc"], "sim run: Invalid value for '--runs'"),
        (["run", STRAY, "--runs", "0"], "sim run: Invalid value for '--runs'"),
        (["run", STRAY, "--executor", "cloud"], "sim run: Invalid value for '--executor'"),
        (
            ["run", STRAY, "--json", "/no/such/folder/out.json"],
            "--json /no/such/folder/out.json: folder '/no/such/folder' does not exist",
        ),
        (
            ["run", STRAY, "--set", "threats.1.rnge=3km"],
            "--set threats.1.rnge=3km: threats.1.rnge: unknown key 'rnge' (did you mean 'range'?)",
        ),
        (["run", STRAY, "--set", "runs"], "--set runs: expected PATH=VALUE"),
        (["run", "no_such.yaml"], "no_such.yaml: no such file"),
        (["frobnicate"], "sim: No such command 'frobnicate'"),
    ],
)
def test_bad_input_is_one_line_and_exit_2(capsys, tmp_path, args, message):
    code, out, err = sim(capsys, *args)
    assert code == 2
    assert len(err.strip().splitlines()) == 1 and err.startswith(message), err
    assert "Traceback" not in err


def test_nothing_is_written_when_the_input_is_bad(capsys, tmp_path):
    target = tmp_path / "out.json"
    code, _, _ = sim(capsys, "run", STRAY, "--set", "runs=-1", "--json", str(target), "--no-store")
    assert code == 2
    assert list(tmp_path.iterdir()) == []


def test_run_writes_the_result_file_of_the_contract(capsys, tmp_path):
    target = tmp_path / "out.json"
    code, out, err = sim(capsys, "run", STRAY, "--runs", "150", "--seed", "4", "--json", str(target), "--no-store")
    assert code == 0, err
    assert "Outcomes" in out and "Readiness" in out and "reproduce" in out
    result = json.loads(target.read_text())
    assert result["schema"] == "sim.result/2"
    assert set(result) >= {"scenario", "run", "names", "outcomes", "metrics", "readiness", "chain", "threats"}
    assert result["run"]["runs"] == 150 and result["run"]["seed"] == 4
    assert [p.name for p in tmp_path.iterdir()] == ["out.json"]  # no temporary files left


@pytest.mark.slow
def test_quiet_prints_nothing(capsys):
    code, out, err = sim(capsys, "run", STRAY, "--runs", "100", "--quiet", "--no-store")
    assert (code, out, err) == (0, "", "")


def test_trace_tells_the_story(capsys):
    code, out, err = sim(capsys, "run", STRAY, "--runs", "100", "--trace", "--no-store")
    assert code == 0
    for event in ("launch", "orders the alert raised", "reached heightened"):
        assert event in out


def test_trajectory_lands_at_vladivostok(capsys):
    code, out, err = sim(
        capsys, "trajectory", "--from", "sinpo", "--toward", "vladivostok", "--range", "460km", "--json"
    )
    assert code == 0
    t = json.loads(out)
    assert t["impact"]["territory"] == "RUS"
    assert great_circle_km(t["impact"]["lat"], t["impact"]["lon"], *parse_place("vladivostok")) < 5.0


def test_trajectory_json_carries_the_boost_and_the_missile_class(capsys):
    """The 14 May 2017 profile with --missile: about 30 minutes (P-16) with the class's 140 s burn."""
    code, out, err = sim(
        capsys,
        "trajectory",
        *("--from", "kusong", "--azimuth", "101", "--range", "787km", "--apogee", "2111.5km"),
        *("--missile", "hwasong12", "--json"),
    )
    assert code == 0
    t = json.loads(out)
    assert t["boost"]["burn_time_s"] == t["missile"]["burn_time_s"] == 140.0
    assert t["boost"]["burnout_altitude_km"] > 0 and t["boost"]["boost_range_km"] > 0
    assert abs(t["flight_time_s"] / 60.0 - 30.0) < 1.5


@pytest.mark.slow
def test_ctrl_c_keeps_the_finished_blocks_and_exits_130(tmp_path):
    target = tmp_path / "partial.json"
    # a signal before the first super-block is back keeps none (also right); wait longer then, on a busy box
    for delay in (4.0, 10.0, 25.0):
        proc = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "sim",
                "run",
                STRAY,
                "--runs",
                "200000",
                "--workers",
                "1",
                "--json",
                str(target),
                "--quiet",
                "--no-store",
            ],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            cwd=tmp_path,
        )
        time.sleep(delay)
        proc.send_signal(signal.SIGINT)
        out, err = proc.communicate(timeout=60)
        assert proc.returncode == 130, err.decode()
        result = json.loads(target.read_text())
        assert result["run"]["partial"] is True
        assert result["run"]["runs"] % 100 == 0  # whole blocks only
        if result["run"]["runs"]:
            break
    assert 0 < result["run"]["runs"] < 200000


def test_play_points_to_the_exercise(capsys):
    code, out, err = sim(capsys, "play", STRAY, "--replication", "3")
    assert code == 2 and "sim exercise" in err and out == ""


@pytest.mark.slow
def test_a_closed_pipe_is_not_an_error():
    script = (
        f"'{sys.executable}' -m sim exercise '{STRAY}' --auto --runs 0 < /dev/null | head -1 > /dev/null;"
        " echo ${PIPESTATUS[0]}"
    )
    done = subprocess.run(["bash", "-c", script], capture_output=True, text=True)
    assert (done.stdout.strip(), done.stderr) == ("0", "")
