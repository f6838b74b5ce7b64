"""A run writes its named outputs and the history, nothing else: no cache in the home folder, no scratch in /tmp."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest
from safety_setup import ROOT


def files_under(folder) -> set[str]:
    """Every file and folder below ``folder``, relative to it (folders end in /)."""
    found = set()
    for d, subs, names in os.walk(folder):
        found |= {os.path.relpath(os.path.join(d, n), folder) for n in names}
        found |= {os.path.relpath(os.path.join(d, n), folder) + "/" for n in subs}
    return found


@pytest.mark.slow
def test_a_run_with_an_html_report_writes_nothing_outside_its_outputs(tmp_path, scenario):
    home, temp, work = tmp_path / "home", tmp_path / "temp", tmp_path / "work"
    for d in (home, temp, work):
        d.mkdir()
    env = {k: v for k, v in os.environ.items() if k not in ("MPLCONFIGDIR", "XDG_CACHE_HOME", "XDG_CONFIG_HOME")}
    env.update(HOME=str(home), TMPDIR=str(temp), PYTHONPATH=str(ROOT))
    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "sim",
            "run",
            str(scenario),
            "--runs",
            "200",
            "--workers",
            "2",
            "--quiet",
            "--html",
            "r.html",
        ],
        cwd=work,
        env=env,
        capture_output=True,
        timeout=300,
    )
    assert done.returncode == 0, done.stderr.decode()
    assert files_under(home) == set()
    assert files_under(temp) == set()
    assert files_under(work) == {"r.html", ".sim/", ".sim/runs.db"}
