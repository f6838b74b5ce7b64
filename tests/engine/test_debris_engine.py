"""The engine's debris lands where the drag model (sim.world.debris.fall) and the Tokchon calibration say."""

from __future__ import annotations

import numpy as np
import pytest

from sim.engine.draws import BlockDraws
from sim.engine.flights import BlockFlights
from sim.engine.plan import compile_plan
from sim.scenario.loader import load_scenario, load_text
from sim.world import debris_calibration as dc
from sim.world.geo import great_circle_km
from sim.world.sites import parse_place

SCENARIO = "scenarios/failed_launch_debris.yaml"


def _flights(changes: dict[str, object], size: int = 20) -> BlockFlights:
    import yaml

    data = yaml.safe_load(open(SCENARIO, encoding="utf-8"))
    for path, value in changes.items():
        keys = [int(k) if k.isdigit() else k for k in path.split(".")]
        node = data
        for k in keys[:-1]:
            node = node[k]
        node[keys[-1]] = value
    plan = compile_plan(load_text(yaml.safe_dump(data), "<debris>").scenario)
    return BlockFlights(plan, BlockDraws(plan.sites, 5, 0, size))


def test_without_wind_the_heaviest_fragment_lands_where_the_drag_model_says():
    """One break-up at 60 s, fragments of fixed beta, no wind: the engine's impact equals
    debris_calibration's landing for the reported arc (an independent path through world.debris)."""
    fl = _flights(
        {
            "threats.0.failure.explosion_time": "60s",
            "threats.0.failure.wind_speed": "0m/s",
            "threats.0.failure.fragment_beta": 3000,
        },
        size=5,
    )
    pad = parse_place("pukchang")
    got = great_circle_km(*pad, fl.impact_lat[:, 0], fl.impact_lon[:, 0])
    expected = dc.landings_from_pad_km(dc.reported_arc(), [3000.0], 60.0)[0, 0]
    assert np.allclose(got, expected, atol=0.05)
    assert np.allclose(fl.debris_spread_km[:, 0], 0.0, atol=1e-6)  # equal fragments: one point


@pytest.mark.slow
def test_the_shipped_scenario_puts_the_debris_near_tokchon():
    """With its drawn betas, break-up times and winds, the heaviest fragment lands within a few km of the
    reported 39 km (P-27): the calibration's 4 km for beta >= ~160 plus the wind's drift below 20 km."""
    fl = _flights({}, size=200)
    pad = parse_place("pukchang")
    d = great_circle_km(*pad, fl.impact_lat[:, 0], fl.impact_lon[:, 0])
    assert abs(np.median(d) - dc.TOKCHON_FROM_PAD_KM) < 3.0
    assert (np.abs(d - dc.TOKCHON_FROM_PAD_KM) < 10.0).mean() > 0.95
    assert (fl.debris_spread_km[:, 0] > 0).all()  # different betas: a footprint of some length


def test_loaded_scenario_still_validates():
    assert load_scenario(SCENARIO).scenario.threats[0].failure.fragments == 4


@pytest.mark.slow
def test_the_outcome_records_carry_the_footprint_of_each_break_up():
    """The stacked outcomes hold the fragments' footprint length (was NaN in every record): equal to the
    block's flights for the same seed, positive where four fragments of drawn betas fell, NaN without a
    break-up or without fragments (the old straight-down fall has no footprint)."""
    from sim.executors import Serial
    from sim.runner import BLOCK_SIZE, run

    runs = 30
    result = run(load_scenario(SCENARIO), runs=runs, seed=7, executor=Serial())
    spread = result.outcomes.threats["debris_spread_km"]
    plan = compile_plan(load_scenario(SCENARIO).scenario)
    flights = BlockFlights(plan, BlockDraws(plan.sites, 7, 0, BLOCK_SIZE))  # the runner draws whole blocks
    assert np.array_equal(spread, flights.debris_spread_km[:runs], equal_nan=True)
    assert (spread > 0).all()  # both threats always break up, four fragments each
    no_fragments = _flights({"threats.0.failure.fragments": 0, "threats.1.failure.early_explosion": 0.0}, size=5)
    assert np.isnan(no_fragments.debris_spread_km).all()
