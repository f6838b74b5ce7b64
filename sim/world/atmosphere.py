"""Air density with height: what slows a falling fragment.

Two models, both functions of geometric altitude in metres returning kg/m^3:

- `exponential_density`: rho(h) = 1.225 exp(-h / 7.2 km), the model brief's one-line atmosphere.
  Within a factor of about 1.5 of the standard atmosphere up to 70 km: good enough for a footprint.
- `us76_density`: the U.S. Standard Atmosphere 1976 below 86 km (seven layers of constant lapse
  rate in geopotential height, hydrostatic pressure, ideal gas), continued above 86 km by an
  exponential of 6 km scale height from its 86 km value (the real upper air is some 10 % off that,
  and a fragment hardly feels it).

Below the ground (h < 0) both keep their formulas: a fragment is stopped at the ground anyway.
"""

from __future__ import annotations

import numpy as np

RHO0_KG_M3 = 1.225
SCALE_HEIGHT_M = 7200.0

# U.S. Standard Atmosphere 1976 (NOAA-S/T 76-1562), layers by geopotential height.
_R_AIR = 287.05287  # J/(kg K), R* / M0
_G0 = 9.80665
_EARTH_R_US76_M = 6356766.0  # radius used for geopotential height
_BASE_H_M = np.array([0.0, 11000.0, 20000.0, 32000.0, 47000.0, 51000.0, 71000.0, 84852.0])
_LAPSE_K_M = np.array([-0.0065, 0.0, 0.001, 0.0028, 0.0, -0.0028, -0.002])
_ABOVE_86_KM_SCALE_M = 6000.0


def exponential_density(alt_m) -> np.ndarray:
    """rho(h) = 1.225 exp(-h / 7200 m), kg/m^3 (model brief)."""
    return RHO0_KG_M3 * np.exp(-np.asarray(alt_m, dtype=float) / SCALE_HEIGHT_M)


def _layer_bases():
    """Temperature and pressure at the base of each layer, carried up from sea level."""
    temps, pressures = [288.15], [101325.0]
    for k, lapse in enumerate(_LAPSE_K_M[:-1]):
        dh = _BASE_H_M[k + 1] - _BASE_H_M[k]
        t0, p0 = temps[-1], pressures[-1]
        t1 = t0 + lapse * dh
        p1 = p0 * np.exp(-_G0 * dh / (_R_AIR * t0)) if lapse == 0 else p0 * (t1 / t0) ** (-_G0 / (_R_AIR * lapse))
        temps.append(t1)
        pressures.append(p1)
    return np.array(temps), np.array(pressures)


_BASE_T_K, _BASE_P_PA = _layer_bases()


def us76_temperature_pressure(alt_m) -> tuple[np.ndarray, np.ndarray]:
    """(temperature K, pressure Pa) of the 1976 standard atmosphere at geometric altitudes 0..86 km."""
    z = np.asarray(alt_m, dtype=float)
    h = _EARTH_R_US76_M * z / (_EARTH_R_US76_M + z)  # geopotential height
    k = np.clip(np.searchsorted(_BASE_H_M, h, side="right") - 1, 0, len(_LAPSE_K_M) - 1)
    lapse, t0, p0 = _LAPSE_K_M[k], _BASE_T_K[k], _BASE_P_PA[k]
    dh = h - _BASE_H_M[k]
    t = t0 + lapse * dh
    with np.errstate(divide="ignore", invalid="ignore"):
        ratio = np.where(lapse == 0, 1.0, t / t0)
        power = np.where(lapse == 0, 0.0, -_G0 / (_R_AIR * np.where(lapse == 0, 1.0, lapse)))
        p = np.where(lapse == 0, p0 * np.exp(-_G0 * dh / (_R_AIR * t0)), p0 * ratio**power)
    return t, p


_TOP_M = 86000.0


def us76_density(alt_m) -> np.ndarray:
    """Density of the 1976 standard atmosphere, kg/m^3 (exponential continuation above 86 km)."""
    z = np.asarray(alt_m, dtype=float)
    t, p = us76_temperature_pressure(np.minimum(z, _TOP_M))
    rho = p / (_R_AIR * t)
    return np.where(z > _TOP_M, rho * np.exp(-(z - _TOP_M) / _ABOVE_86_KM_SCALE_M), rho)
