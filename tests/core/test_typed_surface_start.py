"""A typed surface starts where it is finite, and may be as plain as ``f = x``."""

from __future__ import annotations

import math

import pytest

from graphviz_dl.surfaces import surface_from_expression


@pytest.mark.parametrize(("text", "value"), [("f = x", -1.8), ("x", -1.8), ("y", 1.8)])
def test_a_surface_may_be_one_variable(text, value):
    surface = surface_from_expression(text)
    assert surface.formula == text
    assert surface.value(*surface.start) == value
    assert surface.value_and_grad(0.5, 0.25)[1] == (
        (1.0, 0.0) if "y" != text else (0.0, 1.0)
    )


def test_log_of_x_starts_where_it_is_finite_and_says_where():
    surface = surface_from_expression("f = log(x) + y*y")
    x, y = surface.start
    assert x > 0 and y == pytest.approx(1.8)
    assert math.isfinite(surface.value(x, y))
    assert f"starts at ({x:.3g}, {y:.3g})" in surface.description
    assert "not finite at (-1.8, 1.8)" in surface.description


def test_a_start_given_by_the_program_is_kept():
    surface = surface_from_expression("x = -1.0\ny = 0.5\nf = log(x) + y")
    assert surface.start == (-1.0, 0.5)
