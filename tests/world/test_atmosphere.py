"""Air density: the brief's exponential, and the 1976 standard atmosphere against its own table."""

import math

import numpy as np
import pytest

from sim.world.atmosphere import exponential_density, us76_density, us76_temperature_pressure


def test_exponential_closed_form():
    assert exponential_density(0.0) == pytest.approx(1.225, rel=1e-15)
    assert exponential_density(7200.0) == pytest.approx(1.225 / math.e, rel=1e-12)
    assert exponential_density([0.0, 14400.0]) == pytest.approx([1.225, 1.225 / math.e**2], rel=1e-12)


@pytest.mark.parametrize(
    "alt_km, rho",
    [
        # U.S. Standard Atmosphere 1976 (NOAA-S/T 76-1562), Table I, geometric altitude: density, kg/m^3
        (0.0, 1.2250),
        (10.0, 0.41351),
        (20.0, 0.088910),
        (30.0, 0.018410),
        (50.0, 1.0269e-3),
        (70.0, 8.2829e-5),
        (86.0, 6.958e-6),
    ],
)
def test_us76_against_its_table(alt_km, rho):
    assert us76_density(alt_km * 1000.0) == pytest.approx(rho, rel=2e-4)


def test_us76_tropopause_and_stratopause_temperatures():
    t, _ = us76_temperature_pressure(np.array([11019.1, 47350.1]))  # 11 and 47 km geopotential
    assert t == pytest.approx([216.65, 270.65], abs=0.01)


def test_density_falls_with_height_everywhere():
    z = np.linspace(0.0, 120e3, 2000)
    assert np.all(np.diff(us76_density(z)) < 0)
    assert np.all(np.diff(exponential_density(z)) < 0)
