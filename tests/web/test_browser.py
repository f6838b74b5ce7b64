"""The exercise in real browser tabs (Playwright driving Debian's headless chromium): a facilitator and two
player stations play stray_missile to its debrief while the projector shows the track.

Skipped, saying why, only where no chromium binary or no playwright package is installed. With
``SIM_WEB_SHOTS=DIR`` the projector's and a station's screenshots are kept there (docs/img for the README).
"""

from __future__ import annotations

import io
import json
import os
import shutil
import time
from pathlib import Path

import numpy as np
import pytest

from sim.report.timeline import trace_clock

from .conftest import SEED

CHROMIUM = next((p for p in (shutil.which(n) for n in ("chromium", "chromium-browser", "google-chrome")) if p), None)
pytestmark = [
    pytest.mark.slow,  # a real browser per page: CI runs them, the quick loop does not
    pytest.mark.skipif(CHROMIUM is None, reason="no chromium binary found (apt-get install chromium)"),
]
INJECT = '<b id="x">drill</b> & <script>window.hacked = 1</script>'


def spread(png: bytes) -> float:
    """Spread of the screenshot's pixel values: 0 for a single-coloured (blank) picture."""
    import matplotlib.image

    pixels = np.asarray(matplotlib.image.imread(io.BytesIO(png), format="png"), dtype=float)[..., :3]
    return float(pixels.reshape(-1, 3).std(axis=0).max())


@pytest.fixture(scope="module")
def browser():
    sync = pytest.importorskip(
        "playwright.sync_api", reason="playwright is not installed: pip install -e '.[web-test]'"
    )
    with sync.sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox", "--disable-gpu"])
        yield b
        b.close()


def test_three_tabs_play_stray_missile_to_a_debrief(serve, browser, tmp_path):
    s = serve("--post", "general_staff", "--post", "district_hq", "--seed", SEED, "--pace", "20", "--skip-after", "0.3")
    ctx = browser.new_context(viewport={"width": 1400, "height": 900})
    errors: list[str] = []
    tabs, load_s = {}, {}
    for role in ("facilitator", "post general_staff", "post district_hq", "projector"):
        page = ctx.new_page()
        page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
        page.on("pageerror", lambda e: errors.append(str(e)))
        t0 = time.perf_counter()
        page.goto(s.links[role])
        page.locator("body[data-version]").wait_for(state="attached")  # the first push arrived
        load_s[role] = time.perf_counter() - t0
        tabs[role] = page
    fac, gs, dhq, proj = (tabs[r] for r in ("facilitator", "post general_staff", "post district_hq", "projector"))

    fac.click("#start")
    fac.select_option("#inject select[name=kind]", "message")
    fac.select_option("#inject select[name=target]", "general_staff")
    fac.fill("#inject input[name=text]", INJECT)
    fac.click("#inject button[type=submit]")
    gs.locator("button[data-answer=issue]").wait_for()
    t0 = time.perf_counter()
    gs.click("button[data-answer=issue]")
    fac.locator("#decisions td", has_text="issue").wait_for()
    latency = time.perf_counter() - t0
    gs.locator("#feed li", has_text="drill").first.wait_for()  # the inject, as text: no markup, no script
    assert INJECT in gs.locator("#feed").inner_text() and "drill" not in dhq.locator("#feed").inner_text()
    assert gs.locator("#feed b#x, #feed script").count() == 0 and gs.evaluate("() => window.hacked") is None

    dhq.locator("button[data-answer=engage]").wait_for(timeout=120_000)
    proj.locator("#live polyline.trail").wait_for()
    proj.locator("#live circle.sigma1").wait_for()
    assert "stray" in proj.locator("#tracks").inner_text() and "engage stray" in proj.locator("#prompts").inner_text()
    shots = {name: page.screenshot(full_page=True) for name, page in (("projector", proj), ("player_station", dhq))}
    dhq.click("button[data-answer=engage]")

    fac.locator("#debrief-link").wait_for(timeout=120_000)
    shots["facilitator"] = fac.screenshot(full_page=True)
    fac.click("#debrief-link")
    fac.wait_for_load_state()
    text = fac.locator("body").inner_text()
    doc = json.loads(s.log.read_text())
    engage = next(a for a in doc["actions"] if a["type"] == "decision" and a["answer"] == "engage")
    assert "Your decisions" in text and "engage stray" in text and trace_clock(engage["t"]) in text
    shots["debrief"] = fac.screenshot(full_page=True)
    assert s.links["facilitator"].split("?")[0] not in fac.url  # the debrief page itself

    assert errors == []
    for name, png in shots.items():
        assert spread(png) > 0.05, name
    keep = os.environ.get("SIM_WEB_SHOTS")
    if keep:
        for name in ("projector", "player_station"):
            (Path(keep) / f"exercise_{name}.png").write_bytes(shots[name])
    print(f"\npage load to first push: {load_s}; a decision on the facilitator's page after {latency:.3f} s")
    ctx.close()


def test_a_wrong_join_code_is_refused_in_the_browser(serve, browser):
    s = serve()
    page = browser.new_page()
    assert page.goto(s.base + "/facilitator?code=wrong").status == 403
    assert page.goto(s.links["facilitator"].replace("/facilitator", "/projector")).status == 403
    assert "wrong or missing join code" in page.locator("body").inner_text()
    assert page.goto(s.links["projector"]).status == 200
    page.close()
