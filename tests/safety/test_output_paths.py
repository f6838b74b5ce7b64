"""Output flags never destroy what they point at (issue 21, docs/contracts.md 'Output paths')."""

from __future__ import annotations

import errno
import json
import os
import signal
import stat
import threading
from pathlib import Path

import pytest
from safety_setup import QUICK, sim

from sim.store import Store


def history_count(path: Path = Path(".sim/runs.db")) -> int:
    return Store(path).count()


def test_an_output_never_overwrites_the_scenario(capsys, scenario):
    before = scenario.read_bytes()
    code, out, err = sim(capsys, "run", scenario, *QUICK, "--json", scenario)
    assert code == 2
    assert err.strip() == f"--json {scenario}: is the scenario being run; it would be overwritten (choose another file)"
    assert scenario.read_bytes() == before
    assert history_count() == 0  # refused before any work


def test_an_output_never_overwrites_the_scenario_through_another_name(capsys, scenario, tmp_path):
    alias = tmp_path / "alias.yaml"
    alias.symlink_to(scenario)
    code, _, err = sim(capsys, "run", scenario, *QUICK, "--csv", alias)
    assert code == 2 and "is the scenario being run" in err


def test_an_output_never_overwrites_the_history(capsys, scenario):
    assert sim(capsys, "run", scenario, *QUICK)[0] == 0
    history = Path(".sim/runs.db")
    before = history.read_bytes()
    code, _, err = sim(capsys, "run", scenario, *QUICK, "--json", ".sim/runs.db")
    assert code == 2 and "is the run history" in err
    assert history.read_bytes() == before
    code, _, err = sim(capsys, "show", "1", "--json", ".sim/runs.db")
    assert code == 2 and history.read_bytes() == before


def test_two_outputs_to_one_path_are_refused(capsys, scenario):
    code, _, err = sim(capsys, "run", scenario, *QUICK, "--json", "x", "--csv", "x")
    assert code == 2
    assert err.strip() == "--csv x: --json already writes to the same file; give each output its own"
    assert not Path("x").exists()
    code, _, err = sim(capsys, "run", scenario, *QUICK, "--json", "-", "--csv", "-")
    assert code == 2 and "standard output" in err


def test_dash_is_standard_output(capsys, scenario):
    code, out, err = sim(capsys, "run", scenario, "--runs", "100", "--workers", "1", "--json", "-")
    assert code == 0, err
    assert json.loads(out)["schema"].startswith("sim.result/")  # the report itself stays off stdout
    assert not Path("-").exists()


def test_dev_stdout_is_standard_output_never_reopened(capsys, scenario):
    code, out, err = sim(capsys, "run", scenario, "--runs", "100", "--workers", "1", "--json", "/dev/stdout")
    assert code == 0, err
    assert json.loads(out)["schema"].startswith("sim.result/")  # whole: no report mixed in, nothing truncated
    code, _, err = sim(capsys, "run", scenario, *QUICK, "--json", "/dev/stdout", "--csv", "-")
    assert code == 2 and "standard output" in err


@pytest.mark.slow
def test_a_symlink_is_written_through(capsys, scenario, tmp_path):
    target = tmp_path / "real.json"
    target.write_text("old")
    link = tmp_path / "link.json"
    link.symlink_to(target)
    code, _, err = sim(capsys, "run", scenario, *QUICK, "--json", link)
    assert code == 0, err
    assert link.is_symlink() and os.readlink(link) == str(target)
    assert json.loads(target.read_text())["schema"].startswith("sim.result/")


def test_an_existing_file_keeps_its_mode(capsys, scenario, tmp_path):
    target = tmp_path / "private.json"
    target.write_text("old")
    target.chmod(0o600)
    assert sim(capsys, "run", scenario, *QUICK, "--json", target)[0] == 0
    assert stat.S_IMODE(target.stat().st_mode) == 0o600
    assert target.read_text() != "old"


@pytest.mark.parametrize("mask", [0o077, 0o022, 0o002])
def test_a_new_file_follows_the_umask(capsys, scenario, tmp_path, mask):
    old = os.umask(mask)
    try:
        assert sim(capsys, "run", scenario, *QUICK, "--csv", tmp_path / "new.csv")[0] == 0
    finally:
        os.umask(old)
    assert stat.S_IMODE((tmp_path / "new.csv").stat().st_mode) == 0o666 & ~mask  # what open(2) would make


@pytest.mark.slow
def test_a_fifo_is_written_directly_and_stays_a_fifo(capsys, scenario, tmp_path):
    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    got: list[bytes] = []
    reader = threading.Thread(target=lambda: got.append(fifo.read_bytes()), daemon=True)
    reader.start()
    code, _, err = sim(capsys, "run", scenario, *QUICK, "--csv", fifo)
    reader.join(timeout=30)
    assert code == 0, err
    assert stat.S_ISFIFO(fifo.lstat().st_mode)
    assert got and got[0].startswith(b"replication,threat,")


def test_a_device_is_written_in_place_never_replaced(capsys, scenario):
    before = os.stat("/dev/null")
    code, _, err = sim(capsys, "run", scenario, *QUICK, "--json", "/dev/null", "--csv", "/dev/null")
    assert code == 2 and "same file" in err  # one device named twice is still twice
    code, _, err = sim(capsys, "run", scenario, *QUICK, "--json", "/dev/null")
    assert code == 0, err
    after = os.stat("/dev/null")
    assert stat.S_ISCHR(after.st_mode) and (after.st_ino, after.st_rdev) == (before.st_ino, before.st_rdev)


@pytest.mark.skipif(not os.path.exists("/dev/full"), reason="needs /dev/full")
def test_a_full_device_loses_neither_the_run_nor_the_other_outputs(capsys, scenario, tmp_path):
    code, _, err = sim(capsys, "run", scenario, *QUICK, "--json", "/dev/full", "--csv", tmp_path / "ok.csv")
    assert code == 2
    assert err.strip() == "--json /dev/full: not written: No space left on device"
    assert (tmp_path / "ok.csv").read_text().startswith("replication,")
    assert history_count() == 1
    assert stat.S_ISCHR(os.stat("/dev/full").st_mode)


def test_a_full_disk_keeps_the_old_file_the_other_outputs_and_the_run(capsys, scenario, tmp_path, monkeypatch):
    import sim.report.export as export

    old = tmp_path / "o.json"
    old.write_text("the previous result")

    def full(*args, **kwargs):
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))

    real_open = export.atomic_open

    def failing_open(path, *args, **kwargs):  # the JSON fails while written; the CSV does not
        if str(path).endswith(".json"):
            monkeypatch.setattr("sim.files.os.fsync", full)
        else:
            monkeypatch.setattr("sim.files.os.fsync", lambda fd: None)
        return real_open(path, *args, **kwargs)

    monkeypatch.setattr(export, "atomic_open", failing_open)
    code, _, err = sim(capsys, "run", scenario, *QUICK, "--json", old, "--csv", tmp_path / "o.csv")
    assert code == 2
    assert err.strip() == f"--json {old}: not written: No space left on device"
    assert old.read_text() == "the previous result"
    assert (tmp_path / "o.csv").read_text().startswith("replication,")
    assert history_count() == 1
    assert not [p for p in os.listdir(tmp_path) if p.endswith(".tmp")]


def test_an_unwritable_folder_is_bad_input_before_any_work(capsys, scenario, tmp_path, monkeypatch):
    import tempfile

    def read_only(*args, **kwargs):
        raise OSError(errno.EROFS, os.strerror(errno.EROFS))

    monkeypatch.setattr(tempfile, "mkstemp", read_only)  # what a read-only disk does, as root too
    code, _, err = sim(capsys, "run", scenario, *QUICK, "--html", tmp_path / "r.html")
    assert code == 2
    assert err.strip() == f"--html {tmp_path / 'r.html'}: cannot write in folder '{tmp_path}': Read-only file system"
    assert history_count() == 0


@pytest.mark.skipif(os.geteuid() == 0, reason="root writes into a 0555 folder")
def test_a_read_only_folder_is_bad_input_before_any_work(capsys, scenario, tmp_path):
    folder = tmp_path / "ro"
    folder.mkdir()
    folder.chmod(0o555)
    try:
        code, _, err = sim(capsys, "run", scenario, *QUICK, "--json", folder / "o.json")
    finally:
        folder.chmod(0o755)
    assert code == 2 and "cannot write in folder" in err
    assert history_count() == 0


def test_stale_temporary_files_of_dead_writers_are_cleaned(capsys, scenario, tmp_path):
    dead = tmp_path / ".o.json.999999999.abcd.tmp"  # pids never reach 10**9 on Linux (pid_max <= 2**22)
    old = tmp_path / ".o.json.k2j3h4.tmp"  # made by an older version: no pid, a day old
    live = tmp_path / f".o.json.{os.getppid()}.efgh.tmp"  # its writer is alive: left alone
    for p in (dead, old, live):
        p.write_text("half")
    os.utime(old, (0, 0))
    assert sim(capsys, "run", scenario, *QUICK, "--json", tmp_path / "o.json")[0] == 0
    assert not dead.exists() and not old.exists() and live.exists()


@pytest.mark.slow
def test_ctrl_c_while_writing_still_writes_every_output(capsys, scenario, tmp_path, monkeypatch):
    import sim.report.export as export

    real = export.write_csv

    def interrupted_csv(result, path):
        os.kill(os.getpid(), signal.SIGINT)  # Ctrl-C just as the CSV starts
        return real(result, path)

    monkeypatch.setattr(export, "write_csv", interrupted_csv)
    names = [tmp_path / n for n in ("o.json", "o.csv", "o.html")]
    code, _, err = sim(capsys, "run", scenario, *QUICK, "--json", names[0], "--csv", names[1], "--html", names[2])
    assert code == 130
    assert "interrupted" in err
    assert all(p.stat().st_size > 0 for p in names)
    assert history_count() == 1


def test_other_commands_check_their_outputs_first(capsys, scenario, tmp_path):
    code, _, err = sim(capsys, "sweep", scenario, "--vary", "runs=100", "--json", scenario, "--workers", "1")
    assert code == 2 and "is the scenario being run" in err
    code, _, err = sim(capsys, "compare", scenario, scenario, "--runs", "100", "--workers", "1", "--json", scenario)
    assert code == 2 and "the input" in err
    code, out, _ = sim(capsys, "schema", "-o", "-")
    assert code == 0 and json.loads(out)["$schema"]
    assert history_count() == 0


def test_a_history_that_fails_after_the_run_still_gets_the_files_written(capsys, scenario, tmp_path, monkeypatch):
    from sim.store import StoreError

    def broken(*args, **kwargs):
        raise StoreError("disk I/O error")

    monkeypatch.setattr(Store, "keep", broken)
    code, _, err = sim(capsys, "run", scenario, *QUICK, "--json", tmp_path / "o.json")
    assert code == 2
    assert err.strip() == "--store .sim/runs.db: not kept in the history: disk I/O error"
    assert json.loads((tmp_path / "o.json").read_text())["run"]["runs"] == 100
