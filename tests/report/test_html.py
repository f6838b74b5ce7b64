"""The HTML report: one file, nothing fetched from outside, every section with its pictures."""

from __future__ import annotations

import dataclasses
import os
import re
from html import escape, unescape

import numpy as np
import pytest
from synthetic import synthetic_outcomes, synthetic_result

from sim.analysis import summarize
from sim.report import mapdata
from sim.report.html import write_html
from sim.world.geo import great_circle_km


@pytest.fixture(scope="module")
def page(tmp_path_factory, summary, result):
    folder = tmp_path_factory.mktemp("html")
    write_html(summary, result, folder / "report.html")
    assert os.listdir(folder) == ["report.html"]
    return (folder / "report.html").read_text(encoding="utf-8")


OUTSIDE = re.compile(r"https?://|url\((?!#)|@import|<link|<script|<iframe|<object", re.IGNORECASE)


def markup_only(page: str) -> str:
    """The page's tags and attributes, without the text between them (a scenario may say "http://" in a name)."""
    return " ".join(re.findall(r"<[^>]*>", page))


def test_one_file_with_nothing_from_outside(page):
    assert page.startswith("<!DOCTYPE html>") and page.rstrip().endswith("</html>")
    assert not re.search(r"""(?:src|href)\s*=\s*["'](?!data:|#)""", page, re.IGNORECASE)
    assert not OUTSIDE.search(markup_only(page))
    assert "http://" not in page and "https://" not in page


def test_figures_are_inline_svg_at_page_width(page):
    alts = [unescape(a) for a in re.findall(r'<svg role="img" aria-label="([^"]+)"', page)]
    assert alts == [
        "Leak causes: where each threatened threat's chain ended",
        "Waterfall of the interception chain",
        "Histograms of the time to decision and of the margin",
        "Readiness over time: probability each level is reached by t, per unit",
        "Map of units, radars, launch sites and impact points",
    ]
    assert "figure svg { width: 100%; height: auto;" in page
    assert "@media print" in page and "break-inside: avoid" in page
    assert "<img" not in page


def test_top_down_question_answer_then_tables(page, summary):
    order = [
        'class="answer"',
        "<h2>Where the chains ended</h2>",
        "<h2>Interception chain</h2>",
        "<h2>Decision time against the window&#39;s closing</h2>",
        "<h2>Readiness over time</h2>",
        "<h2>Map</h2>",
        "<h2>Outcomes</h2>",
        "<h2>Times</h2>",
        "<h2>Readiness</h2>",
        "<h2>Reproduce</h2>",
    ]
    where = [page.find(x) for x in order]
    assert -1 not in where and where == sorted(where), dict(zip(order, where))
    answer = page[page.index('class="answer"') : page.index("</div>", page.index('class="answer"'))]
    p = summary.pooled.outcomes[summary.main_outcome]
    assert f"{p.count} of {p.n}" in answer
    assert escape(summary.why_it_leaked) in answer
    assert "sim run tests/synthetic.yaml --runs 200 --seed 7" in page
    assert "PARTIAL" not in page


def test_the_undecided_name_the_post_that_held_authority(page, summary):
    held = {post: p for post, p in summary.pooled.undecided_at.items() if p.count}
    assert held, "the synthetic run has threatened threats that landed before the decision"
    assert "never decided: who held authority" in page
    for post, p in held.items():
        assert f"authority at {post}" in page and f"{p.count}/{p.n}" in page.replace(" ", "")


def test_no_row_of_dashes(page):
    """Per-threat tables leave out measures no threat has: no row is all '-'."""
    for row in re.findall(r"<tr>(.*?)</tr>", page, re.DOTALL):
        cells = re.findall(r"<td>(.*?)</td>", row, re.DOTALL)
        if len(cells) > 1:
            assert any(c.strip() not in ("-", "") for c in cells[1:]), row


def test_histogram_counts_are_whole_numbers_and_legend_is_off_the_bars():
    from matplotlib.figure import Figure

    from sim.report.plots import histogram

    fig = Figure()
    ax = fig.add_subplot()
    histogram(ax, np.array([-5.0, 1.0, 2.0, 2.5, 3.0, 40.0, 41.0]), "Margin", "x", mark_zero=True)
    fig.canvas.draw()
    ticks = [t for t in ax.get_yticks() if ax.get_ylim()[0] <= t <= ax.get_ylim()[1]]
    assert ticks and all(float(t).is_integer() for t in ticks)  # 7 rows in ~5 bins: without the locator, 0.5 steps
    legend = ax.get_legend().get_window_extent()
    assert legend.y1 <= ax.get_window_extent().y0  # entirely below the axes


def test_readiness_curve_is_the_ecdf_over_all_replications():
    from sim.report.plots import readiness_curves

    t, share = readiness_curves(np.array([30.0, np.nan, 10.0, 20.0]))
    assert list(t) == [0.0, 10.0, 20.0, 30.0]
    assert list(share) == [0.0, 0.25, 0.5, 0.75]  # 1 of 4 never reached it: the curve tops out at 3/4


@pytest.mark.slow
@pytest.mark.parametrize("name", ["<script>alert(1)</script>", "$x^{$", "<b>Drill & test</b>"])
def test_scenario_text_is_escaped_everywhere(tmp_path, name):
    result = synthetic_result(runs=60, partial=True, requested=100)
    s = summarize(result)
    s = dataclasses.replace(
        s,
        scenario=dataclasses.replace(s.scenario, name=name),
        names=dataclasses.replace(s.names, units=(name,) + s.names.units[1:]),
    )
    write_html(s, result, tmp_path / "r.html")
    page = (tmp_path / "r.html").read_text()
    assert escape(name) in page
    if "<" in name:
        assert name not in page
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


def test_map_frames_sites_and_most_impacts():
    from sim.report.mapplot import frame

    rng = np.random.default_rng(3)
    lat = np.append(43.5 + 0.05 * rng.standard_normal(999), 35.0)  # one far-flung impact of a thousand
    lon = np.append(132.0 + 0.05 * rng.standard_normal(999), 120.0)
    lat0, lat1, lon0, lon1 = frame([43.1], [131.9], lat, lon)
    assert lat0 < 43.1 < lat1 and lon0 < 131.9 < lon1
    assert lat0 > 40 and lon0 > 129  # the outlier does not zoom the map out
    assert lat1 - lat0 >= 2.0 and lon1 - lon0 >= 2.0  # never narrower than the minimum span
    assert frame([], [], [], []) == (30.0, 56.0, 115.0, 150.0)


def test_debris_footprints_only_where_a_break_up_left_one():
    o = synthetic_outcomes(50, seed=2)
    spread = np.full(o.threats.shape, np.nan)
    spread[:5, 0] = [1.0, 2.0, 0.0, np.nan, 4.0]
    o.threats["debris_spread_km"] = spread
    *_, km = mapdata.debris(o)
    assert sorted(km) == [1.0, 2.0, 4.0]


@pytest.mark.slow
def test_the_map_draws_a_footprint_where_the_engine_left_a_spread():
    from sim.report.mapplot import map_svg

    result = synthetic_result(40, seed=2)
    spread = np.full(result.outcomes.threats.shape, np.nan)
    spread[:3, 0] = [20.0, 35.0, 50.0]  # three break-ups of the failed test, 20-50 km of debris
    result.outcomes.threats["debris_spread_km"] = spread
    svg = map_svg(result)
    assert "debris footprint (3 break-ups drawn)" in svg
    result.outcomes.threats["debris_spread_km"] = np.nan  # the engine left none: no footprint, no legend entry
    assert "debris footprint" not in map_svg(result)


def _on_great_circle(lat0, lon0, lat1, lon1, lat, lon) -> np.ndarray:
    """Distance (km) of points from the plane through the Earth's centre, (lat0, lon0) and (lat1, lon1)."""

    def unit(la, lo):
        la, lo = np.radians(la), np.radians(lo)
        return np.stack([np.cos(la) * np.cos(lo), np.cos(la) * np.sin(lo), np.sin(la)], axis=-1)

    normal = np.cross(unit(lat0, lon0), unit(lat1, lon1))
    normal /= np.linalg.norm(normal)
    return np.abs(unit(lat, lon) @ normal) * 6371.0


def test_sample_ground_tracks_run_from_the_pad_to_the_impact_on_the_flight_s_great_circle():
    from sim.scenario.crossrefs import resolve_place
    from sim.world.ballistics import Trajectory

    result = synthetic_result(60, seed=3)
    s = result.scenario.scenario
    tracks = mapdata.sample_tracks(result.scenario, result.outcomes, per_class=2)
    lat, lon = result.outcomes.threats["impact_lat"], result.outcomes.threats["impact_lon"]
    ends = {(round(float(a), 9), round(float(b), 9)) for a, b in zip(lat.ravel(), lon.ravel())}
    pads = {resolve_place(t.launch.site, s.sites) for t in s.threats}
    assert 0 < len(tracks) <= 2 * 3 * len(s.threats)
    for t in tracks:
        assert (round(float(t.lat[-1]), 9), round(float(t.lon[-1]), 9)) in ends
        pad = next(p for p in pads if abs(p[0] - t.lat[0]) < 1e-9 and abs(p[1] - t.lon[0]) < 1e-9)
        assert _on_great_circle(*pad, t.lat[-1], t.lon[-1], t.lat, t.lon).max() < 1e-6
    # ... and that is where the flight goes: a conic flight's positions lie on its great circle
    flight = Trajectory.from_range(40.0, 128.6, 55.0, 800.0, burn_time_s=60.0)
    times = np.linspace(0.0, float(flight.flight_time_s), 25)
    f_lat, f_lon, _ = flight.position(times)
    land_lat, land_lon = flight.impact()
    assert _on_great_circle(40.0, 128.6, land_lat, land_lon, f_lat, f_lon).max() < 1e-6


@pytest.mark.slow
def test_the_map_draws_the_sample_tracks_with_a_legend_entry():
    from sim.report.mapplot import map_svg

    assert "sample ground tracks (" in map_svg(synthetic_result(40, seed=2))
