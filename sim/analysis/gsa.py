"""Global sensitivity with SALib: where to sample, and which inputs the output rests on.

Two methods. Morris screening (the default) walks ``points`` one-at-a-time trajectories across the
whole box of inputs; ``mu*`` is the mean absolute change of the output when an input crosses its
whole range (SALib scales each step by its share of the range), ``sigma`` the spread of that change
(interactions or curvature). Sobol (Saltelli sampling) splits the output's variance: ``S1`` an input's
share on its own, ``ST`` its share with every interaction; both with bootstrap 95% intervals, at a
cost of ``points x (k + 2)`` evaluations, so for a few inputs.

``indices`` takes any model callable over the sample matrix: the simulation and the Ishigami
function go through the same code, so the latter's known indices check it.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

METHODS = ("morris", "sobol")
MORRIS_LEVELS = 4
CONF_LEVEL = 0.95
RESAMPLES = 1000


class MissingSALib(RuntimeError):
    """SALib is an optional extra; the message says how to install it."""


def _salib() -> Any:
    try:
        import SALib
    except ImportError:
        raise MissingSALib(
            "sim sensitivity needs SALib: pip install 'tabletop-sim[sensitivity]' (or pip install salib)"
        ) from None
    import SALib.analyze.morris
    import SALib.analyze.sobol
    import SALib.sample.morris
    import SALib.sample.sobol

    return SALib


@dataclass(frozen=True)
class Index:
    """One input's indices; for Morris ``a`` is mu* and ``b`` sigma, for Sobol ``a`` is ST and ``b`` S1."""

    name: str
    a: float
    a_conf: float
    b: float
    b_conf: float


@dataclass(frozen=True)
class Indices:
    method: str
    indices: tuple[Index, ...]  # in the order of the inputs

    def ranked(self) -> list[Index]:
        """Most influential first (by mu* or ST); NaN last."""
        return sorted(self.indices, key=lambda i: -i.a if math.isfinite(i.a) else math.inf)


def problem(names: Sequence[str], bounds: Sequence[tuple[float, float]]) -> dict[str, Any]:
    return {"num_vars": len(names), "names": list(names), "bounds": [list(b) for b in bounds]}


def sample(method: str, prob: dict[str, Any], points: int, seed: int) -> np.ndarray:
    """The input matrix, one row per evaluation: ``points x (k + 1)`` rows for Morris, ``points x (k + 2)`` for Sobol."""
    salib = _salib()
    if method == "morris":
        return np.asarray(salib.sample.morris.sample(prob, points, num_levels=MORRIS_LEVELS, seed=seed))
    if method == "sobol":
        return np.asarray(salib.sample.sobol.sample(prob, points, calc_second_order=False, scramble=True, seed=seed))
    raise ValueError(f"method must be one of {METHODS}")


def analyze(method: str, prob: dict[str, Any], x: np.ndarray, y: np.ndarray, seed: int) -> Indices:
    """The indices of the outputs ``y`` at the inputs ``x`` (as ``sample`` made them)."""
    salib = _salib()
    y = np.asarray(y, dtype=float)
    if method == "morris":
        r = salib.analyze.morris.analyze(
            prob, x, y, num_resamples=RESAMPLES, conf_level=CONF_LEVEL, num_levels=MORRIS_LEVELS, seed=seed
        )
        rows = zip(prob["names"], r["mu_star"], r["mu_star_conf"], r["sigma"])
        return Indices(method, tuple(Index(n, float(m), float(c), float(s), math.nan) for n, m, c, s in rows))
    r = salib.analyze.sobol.analyze(
        prob, y, calc_second_order=False, num_resamples=RESAMPLES, conf_level=CONF_LEVEL, seed=seed
    )
    sobol = zip(prob["names"], r["ST"], r["ST_conf"], r["S1"], r["S1_conf"])
    return Indices(method, tuple(Index(n, float(t), float(tc), float(s), float(sc)) for n, t, tc, s, sc in sobol))


def indices(
    method: str, prob: dict[str, Any], model: Callable[[np.ndarray], np.ndarray], points: int, seed: int
) -> Indices:
    """Sample, evaluate ``model`` on the whole matrix at once, analyse: the path every study takes."""
    x = sample(method, prob, points, seed)
    return analyze(method, prob, x, model(x), seed)


def ishigami(x: np.ndarray, a: float = 7.0, b: float = 0.1) -> np.ndarray:
    """The Ishigami function on [-pi, pi]^3, the usual check of a variance-based method."""
    return np.sin(x[:, 0]) + a * np.sin(x[:, 1]) ** 2 + b * x[:, 2] ** 4 * np.sin(x[:, 0])


def ishigami_indices(a: float = 7.0, b: float = 0.1) -> tuple[tuple[float, float, float], tuple[float, float, float]]:
    """(S1, ST) of the Ishigami function in closed form (Sobol' and Levitan 1999; Saltelli et al. 2008, 4.2)."""
    v1 = 0.5 * (1 + b * math.pi**4 / 5) ** 2
    v2 = a**2 / 8
    v13 = b**2 * math.pi**8 * (1 / 18 - 1 / 50)
    v = v1 + v2 + v13
    return (v1 / v, v2 / v, 0.0), ((v1 + v13) / v, v2 / v, v13 / v)
