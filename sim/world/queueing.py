"""Erlang C: how long a threat waits for a decision when a post's staff (or a battery's fire
channels) are all busy.

For Poisson arrivals at rate lambda, exponential service of mean S and c servers (M/M/c), with
offered load a = lambda S and utilisation rho = a / c < 1:

    P(wait) = [a^c / c! / (1 - rho)] / [sum_{k<c} a^k / k! + a^c / c! / (1 - rho)]
    mean wait = P(wait) S / (c - a)

The closed form the engine's queueing is tested against (model.md: lambda = 0.5/min, S = 3 min,
c = 2 -> P(wait) = 9/14, mean wait 27/7 = 3.857 min). Vectorised; an overloaded post (rho >= 1) waits
for ever: P = 1, mean wait infinite.
"""

from __future__ import annotations

import numpy as np


def erlang_c(arrival_rate, service_time, servers) -> tuple[np.ndarray, np.ndarray]:
    """(P(wait), mean wait) of M/M/c, in the time unit of the inputs; broadcasts over arrays.

    Computed through the Erlang B recursion B_k = a B_{k-1} / (k + a B_{k-1}), then
    C = c B_c / (c - a (1 - B_c)): stable for any number of servers, no factorials.
    """
    lam = np.asarray(arrival_rate, dtype=float)
    s = np.asarray(service_time, dtype=float)
    c = np.asarray(servers)
    if np.any(c < 1) or np.any(np.asarray(c) != np.floor(c)):
        raise ValueError("servers must be whole numbers >= 1")
    lam, s, c = np.broadcast_arrays(lam, s, c)
    a = lam * s
    b = np.ones(a.shape)
    for k in range(1, int(c.max()) + 1):
        b = np.where(k <= c, a * b / (k + a * b), b)
    stable = a < c
    with np.errstate(divide="ignore", invalid="ignore"):
        p_wait = np.where(stable, c * b / (c - a * (1.0 - b)), 1.0)
        wait = np.where(stable, p_wait * s / (c - a), np.inf)
    return p_wait[()], wait[()]
