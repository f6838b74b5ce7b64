"""Erlang C against the model brief's worked example and the textbook special cases."""

import math

import numpy as np
import pytest

from sim.world.queueing import erlang_c


def test_model_brief_worked_example():
    p_wait, wait = erlang_c(0.5, 3.0, 2)  # per minute, minutes
    assert p_wait == pytest.approx(9 / 14, rel=1e-12)
    assert wait == pytest.approx(27 / 7, rel=1e-12)  # 3.857 min


def test_one_server_is_m_m_1():
    rho = np.array([0.1, 0.5, 0.9])
    p_wait, wait = erlang_c(rho, 1.0, 1)
    assert p_wait == pytest.approx(rho, rel=1e-12)
    assert wait == pytest.approx(rho / (1 - rho), rel=1e-12)


@pytest.mark.parametrize("lam, s, c", [(1.0, 2.0, 3), (0.3, 10.0, 5), (5.0, 3.0, 20), (0.01, 1.0, 4)])
def test_agrees_with_the_factorial_form(lam, s, c):
    a = lam * s
    top = a**c / math.factorial(c) / (1 - a / c)
    p = top / (sum(a**k / math.factorial(k) for k in range(c)) + top)
    p_wait, wait = erlang_c(lam, s, c)
    assert p_wait == pytest.approx(p, rel=1e-12)
    assert wait == pytest.approx(p * s / (c - a), rel=1e-12)


def test_vectorised_over_servers_and_overload():
    p_wait, wait = erlang_c(0.5, 3.0, np.array([1, 2, 3]))
    assert p_wait.shape == (3,) and p_wait[0] == 1.0 and math.isinf(wait[0])  # a = 1.5 > 1 server
    assert p_wait[1] == pytest.approx(9 / 14)
    with pytest.raises(ValueError):
        erlang_c(0.5, 3.0, 0)
