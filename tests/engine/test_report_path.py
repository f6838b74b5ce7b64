"""A track report starts at the post that owns the radar tracking the threat and crosses the command network
from there: a battery radar's from its battery's post, an early-warning sensor's from the sensor's own post."""

from __future__ import annotations

import numpy as np
import pytest

from sim.executors import Serial
from sim.runner import run

# The base's posts: top <- middle (link 40 s) <- bottom (link 15 s); the battery reports to bottom.
SENSOR = {
    "name": "ew",
    "post": "top",
    "site": "sinpo",  # over the pad, far-reaching, no latency: it always reports first and tracks
    "range": "6000km",
    "scan_period": "5s",
    "latency": "0s",
    "measurement_error": "1km",
}


@pytest.mark.parametrize(
    "authority, sensor, hops_s",
    [
        ("top", False, 15.0 + 40.0),  # bottom -> middle -> top
        ("top", True, 0.0),  # the sensor's post decides: no hop
        ("middle", False, 15.0),  # bottom -> middle
        ("middle", True, 40.0),  # top -> middle: down the one link between them
    ],
)
@pytest.mark.slow
def test_the_report_crosses_the_links_from_the_tracking_radars_post(make, authority, sensor, hops_s):
    changes: dict[str, object] = {"alert_levels.0.authority": authority}
    if sensor:
        changes["sensors"] = [SENSOR]
    rows = run(make(changes), runs=30, seed=3, executor=Serial()).outcomes.threats.reshape(-1)
    reported = ~np.isnan(rows["report"])
    assert reported.sum() >= 25
    assert rows["report"][reported] - rows["pip"][reported] == pytest.approx(hops_s, abs=1e-9)


def test_route_climbs_to_the_common_post_then_descends(make):
    import simpy

    from sim.engine.command import Network
    from sim.engine.draws import BlockDraws
    from sim.engine.plan import compile_plan
    from sim.engine.trace import Trace

    changes = {"command.posts": _posts_with_a_sibling()}
    plan = compile_plan(make(changes).scenario)
    net = Network(simpy.Environment(), plan, BlockDraws(plan.sites, 1, 0, 1), 0, Trace(False))
    assert net.route("bottom", "top") == (["bottom", "middle"], [])
    assert net.route("top", "bottom") == ([], ["middle", "bottom"])
    assert net.route("bottom", "side") == (["bottom"], ["side"])
    assert net.route("bottom", "island") is None


def _posts_with_a_sibling() -> list[dict[str, object]]:
    from tools.engine_checks_scenario import BASE

    posts = [dict(p) for p in BASE["command"]["posts"]]
    posts.append({"name": "side", "parent": "middle", "link_delay": "5s", "decision_time": "10s"})
    posts.append({"name": "island", "decision_time": "10s"})
    return posts
