"""The HTML report: one file, nothing fetched from outside, every section with its pictures."""

from __future__ import annotations

import base64
import dataclasses
import os
import re

import numpy as np
import pytest
from synthetic import synthetic_outcomes, synthetic_result

from sim.analysis import summarize
from sim.report import mapdata
from sim.report.html import write_html
from sim.world.geo import great_circle_km

PNG = b"\x89PNG\r\n\x1a\n"


@pytest.fixture(scope="module")
def page(tmp_path_factory, summary, result):
    folder = tmp_path_factory.mktemp("html")
    write_html(summary, result, folder / "report.html")
    assert os.listdir(folder) == ["report.html"]
    return (folder / "report.html").read_text(encoding="utf-8")


def test_one_file_with_nothing_from_outside(page):
    assert page.startswith("<!DOCTYPE html>") and page.rstrip().endswith("</html>")
    assert "<script" not in page.lower()
    assert not re.search(r"""(?:src|href)\s*=\s*["'](?!data:)""", page, re.I)
    assert not re.search(r"https?://|url\(|@import|<link", page, re.I)


def test_pictures_are_inline_pngs(page):
    images = re.findall(r'<img alt="([^"]+)" src="data:image/png;base64,([A-Za-z0-9+/=]+)"', page)
    alts = [alt for alt, _ in images]
    assert alts == ["Waterfall of the interception chain", "Histogram of time to decision", "Histogram of the margin",
                    "Map of units, launch sites and impact points"]
    for _, data in images:
        assert base64.b64decode(data).startswith(PNG)


def test_sections_and_numbers(page, summary):
    for heading in ("Outcomes", "Times", "Readiness", "Interception chain", "Time to decision and margin", "Map",
                    "Reproduce"):
        assert f"<h2>{heading}</h2>" in page
    p = summary.pooled.outcomes["intercepted_given_threatened"]
    assert f"{p.count}/{p.n}" in page
    assert "sim run tests/synthetic.yaml --runs 200 --seed 7" in page
    assert "PARTIAL" not in page


def test_scenario_text_is_escaped_and_partial_is_flagged(tmp_path):
    result = synthetic_result(runs=60, partial=True, requested=100)
    s = summarize(result)
    s = dataclasses.replace(s, scenario=dataclasses.replace(s.scenario, name="<b>Drill & test</b>"))
    write_html(s, result, tmp_path / "r.html")
    page = (tmp_path / "r.html").read_text()
    assert "&lt;b&gt;Drill &amp; test&lt;/b&gt;" in page and "<b>Drill" not in page
    assert "PARTIAL RUN: interrupted after 60 of 100 replications" in page


# ---------------------------------------------------------------- what goes on the map


def test_countries_come_from_the_package_data():
    codes = [code for code, _ in mapdata.country_rings()]
    assert {"RUS", "PRK", "JPN", "CHN", "KOR"} <= set(codes)
    rings = dict(mapdata.country_rings())["RUS"]
    assert all(r.shape[1] == 2 and np.allclose(r[0], r[-1]) for r in rings)


def test_sites_and_envelope_circles(result):
    places = {p.name: p for p in mapdata.sites(result.scenario)}
    assert places["s400_vladivostok"].kind == "unit" and places["s400_vladivostok"].range_km == 60.0
    assert (places["s400_east"].lat, places["s400_east"].lon, places["s400_east"].range_km) == (43.3, 132.2, 40.0)
    assert places["sinpo"].kind == "launch" and places["pukchang"].kind == "launch"
    lat, lon = mapdata.circle(43.115, 131.8853, 60.0)
    assert great_circle_km(43.115, 131.8853, lat, lon) == pytest.approx(np.full(lat.size, 60.0))
    assert (lat[0], lon[0]) == pytest.approx((lat[-1], lon[-1]))


def test_impacts_are_classified_and_thinned_keeping_rare_ones():
    o = synthetic_outcomes(3000, seed=5)
    classes = mapdata.impact_classes(o)
    assert sum(m.sum() for m in classes.values()) == o.runs * 2  # every threat row in exactly one class
    assert not (classes["intercepted"] & classes["leaked"]).any()
    hits = mapdata.impacts(o, max_points=1000)
    assert sum(h.lat.size for h in hits.values()) == 1000
    assert {c: h.total for c, h in hits.items()} == {c: int(m.sum()) for c, m in classes.items()}
    assert hits["intercepted"].lat.size == hits["intercepted"].total  # rare: drawn in full
    assert hits["not threatening"].lat.size < hits["not threatening"].total
    all_lat = np.asarray(o.threats["impact_lat"]).reshape(-1)
    assert np.isin(hits["leaked"].lat, all_lat[classes["leaked"]]).all()
