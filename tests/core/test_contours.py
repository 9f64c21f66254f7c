"""One contour routine for level sets and decision boundaries."""

import numpy as np

from graphviz_dl.contours import contour_lines, evenly_spaced_lines


def _grid(n=41):
    xs = np.linspace(-2, 2, n)
    ys = np.linspace(-2, 2, n)
    return xs, ys, xs[None, :] ** 2 + ys[:, None] ** 2


def test_a_circle_level_lies_on_the_circle():
    xs, ys, z = _grid()
    lines = contour_lines(xs, ys, z, [1.0])
    points = lines[np.isfinite(lines).all(axis=1)]
    assert len(points) > 20
    radii = np.hypot(points[:, 0], points[:, 1])
    assert np.allclose(radii, 1.0, atol=0.01)
    assert np.isnan(lines[-1]).all()  # lines end with a separating row


def test_evenly_spaced_levels_give_one_ring_each():
    xs, ys, z = _grid()
    lines = evenly_spaced_lines(xs, ys, z, 0.0, 4.0, 3)  # levels 1, 2, 3
    rings = np.split(lines, np.flatnonzero(np.isnan(lines[:, 0])))
    rings = [r[np.isfinite(r).all(axis=1)] for r in rings]
    radii = sorted(round(float(np.hypot(*r[0])) ** 2, 1) for r in rings if len(r))
    assert radii == [1.0, 2.0, 3.0]


def test_non_numbers_are_skipped_not_drawn_to_infinity():
    xs, ys, z = _grid()
    z = z.copy()
    z[:, :5] = np.nan
    z[0, 10] = np.inf
    lines = contour_lines(xs, ys, z, [1.0, 3.0])
    finite = lines[np.isfinite(lines).all(axis=1)]
    assert len(finite) and np.abs(finite).max() <= 2.0


def test_no_levels_or_flat_range_gives_nothing():
    xs, ys, z = _grid()
    assert contour_lines(xs, ys, z, []).shape == (0, 2)
    assert evenly_spaced_lines(xs, ys, z, 1.0, 1.0, 5).shape == (0, 2)
