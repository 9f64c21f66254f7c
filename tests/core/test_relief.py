"""The 3-D relief: heights in a fixed box, paths lifted onto it."""

from __future__ import annotations

import math

import numpy as np
import pytest

from graphviz_dl.labs.optimizer.relief import HEIGHT, LIFT, compute_relief
from graphviz_dl.surfaces import get_surface


@pytest.mark.parametrize("name", ["rosenbrock", "beale", "quadratic-bowl"])
def test_heights_fill_the_box_and_the_minimum_is_at_the_bottom(name):
    surface = get_surface(name)
    relief = compute_relief(surface, 41)
    assert relief.heights.shape == (41, 41)
    assert relief.heights.min() == pytest.approx(0.0, abs=1e-9)
    assert relief.heights.max() == pytest.approx(1.0)
    assert relief.xs[0] == -1.0 and relief.xs[-1] == 1.0
    minimum = np.array(surface.minima[:1], dtype=float)
    point = relief.lift(minimum, np.array([surface.value(*minimum[0])]))
    # on the drawn mesh, which between samples may sit above the true floor
    floor = relief.mesh_at(point[:, 0], point[:, 1])[0]
    assert point[0, 2] == pytest.approx(floor * HEIGHT + LIFT)
    assert floor < 0.1


def test_the_mesh_height_is_the_sample_at_a_sample_and_bilinear_between():
    relief = compute_relief(get_surface("rosenbrock"), 21)
    h, xs, ys = relief.heights, relief.xs, relief.ys
    assert relief.mesh_at(xs[3], ys[5]) == pytest.approx(h[3, 5])
    mid = relief.mesh_at((xs[3] + xs[4]) / 2, (ys[5] + ys[6]) / 2)
    assert mid == pytest.approx((h[3, 5] + h[4, 5] + h[3, 6] + h[4, 6]) / 4)


def test_a_path_along_the_valley_floor_never_sinks_under_the_surface():
    surface = get_surface("rosenbrock")
    relief = compute_relief(surface, 41)
    x = np.linspace(-1.5, 1.5, 200)
    path = np.column_stack([x, x**2])  # f = (1 − x)²: the floor itself
    points = relief.lift(path, (1 - x) ** 2)
    under = relief.mesh_at(points[:, 0], points[:, 1]) * HEIGHT
    assert (points[:, 2] >= under + LIFT - 1e-12).all()


def test_rosenbrock_is_log_scaled_so_its_valley_is_not_a_flat_plain():
    relief = compute_relief(get_surface("rosenbrock"), 41)
    assert relief.log_scale
    # f = 1 (the start's neighbourhood) sits well off the floor: 1/6 of the
    # way up per decade above the six-decade floor
    assert 0.3 < relief.level(np.array([1.0]))[0] < 0.9


def test_a_path_keeps_finite_points_clamped_to_the_domain():
    surface = get_surface("quadratic-bowl")
    relief = compute_relief(surface, 21)
    (x0, x1), (y0, _) = surface.domain
    positions = np.array([[x0, y0], [x1 * 50, 0.0], [math.nan, math.inf]])
    losses = np.array([surface.value(x0, y0), 1e30, math.nan])
    points = relief.lift(positions, losses)
    assert points.shape == (2, 3)  # the blown-up step is left out
    assert points[0, :2] == pytest.approx([-1.0, -1.0])
    assert points[1, 0] == pytest.approx(1.0)  # clamped to the edge
    assert points[1, 2] == pytest.approx(HEIGHT + LIFT)  # clipped at the top


def test_a_linear_relief_clips_a_spike_instead_of_flattening_the_rest():
    relief = compute_relief(get_surface("quadratic-bowl"), 41)
    assert not relief.log_scale
    assert np.median(relief.heights) > 0.2


def test_step_size_ellipse_keeps_the_ratio_of_the_two_coordinates():
    from graphviz_dl.labs.optimizer.geometry import ellipse, ellipse_axes

    assert ellipse_axes((0.5, 0.05), 30.0) == pytest.approx((30.0, 3.0))
    assert ellipse_axes((0.1, 0.2), 30.0) == pytest.approx((15.0, 30.0))
    assert ellipse_axes((1.0, 1e-6), 30.0) == (30.0, 3.0)  # never vanishes
    assert ellipse_axes((0.0, 0.0), 30.0) == (0.0, 0.0)
    x, y = ellipse((1.0, 2.0), (10.0, 5.0), (0.01, 0.1), points=4)
    assert x == pytest.approx([1.1, 1.0, 0.9, 1.0, 1.1])
    assert y == pytest.approx([2.0, 2.5, 2.0, 1.5, 2.0])


def test_a_blown_up_path_is_kept_up_to_where_it_left_the_domain():
    relief = compute_relief(get_surface("quadratic-bowl"), 11)
    (x0, x1), (y0, y1) = relief.domain
    path = np.array([[x0, y0], [x1, y1], [x1 * 3, 0.0], [0.0, 0.0], [math.nan, 0]])
    assert relief.until_outside(path) == 2
    assert relief.until_outside(path[:2]) == 2
    assert relief.until_outside(path[4:]) == 0
