"""The surface grid: colours, contour lines, ticks, coarser sampling, cancel."""

import numpy as np
import pytest

from graphviz_dl.surfaces import Surface, get_surface
from graphviz_dl.surfaces import grid as grid_module
from graphviz_dl.surfaces.grid import (
    MIN_GRID,
    GridCancelled,
    compute_grid,
    decade_label,
    sample_grid,
)


def test_a_log_scale_surface_gets_log_colours_and_ticks_naming_f():
    rosenbrock = get_surface("rosenbrock")
    result = compute_grid(rosenbrock, rosenbrock.domain, 60, 50, generation=7)
    assert result.generation == 7 and result.shape == (50, 60)
    assert result.log_scale
    _, _, z = rosenbrock.grid(60, 50)
    zmin, span = np.nanmin(z), np.nanmax(z) - np.nanmin(z)
    expected = np.log10(z[10, 20] - zmin + span * 1e-6)
    assert result.display[10, 20] == pytest.approx(expected)
    labels = [text for _, text in result.ticks]
    assert "1" in labels and "100" in labels
    lo, hi = result.levels
    assert hi - lo <= 6.0 + 1e-9  # at most six decades of colour
    assert np.isnan(result.contour_xy[:, 0]).any()  # several separate lines


def test_a_linear_surface_leaves_its_ticks_to_the_axis():
    bowl = Surface(
        name="bowl",
        title="Bowl",
        formula="x² + y²",
        domain=((-1.0, 1.0), (-1.0, 1.0)),
        minima=((0.0, 0.0),),
        start=(0.5, 0.5),
        log_scale=False,
        definition=get_surface("quadratic-bowl").definition,
    )
    result = compute_grid(bowl, bowl.domain, 21, 21)
    assert not result.log_scale and result.ticks == []
    assert result.levels == (
        pytest.approx(np.nanmin(result.display)),
        pytest.approx(np.nanmax(result.display)),
    )
    left, _, width, _ = result.pixel_rect()
    assert left == pytest.approx(-1.05) and width == pytest.approx(2.1)


def test_an_undefined_surface_gives_an_empty_picture_not_an_error():
    surface = get_surface("rosenbrock").with_changes(domain=((np.nan, np.nan), (0, 1)))
    result = compute_grid(surface, ((np.nan, np.nan), (0.0, 1.0)), 10, 10)
    assert np.isnan(result.display).all() and len(result.contour_xy) == 0


def test_decade_labels_read_as_numbers_near_one_and_powers_beyond():
    assert [decade_label(k) for k in (-3, -2, 0, 3, 4)] == [
        "10⁻³",
        "0.01",
        "1",
        "1000",
        "10⁴",
    ]


class _Costly:
    """A definition that advances a fake clock by a cost per point evaluated."""

    def __init__(self, clock: list[float], seconds_per_point: float) -> None:
        self.clock = clock
        self.cost = seconds_per_point
        self.calls = 0

    def value_and_grad(self, x, y):
        return x * y, (y, x)

    def evaluate(self, X, Y):
        self.calls += 1
        Z = X * Y
        self.clock[0] += self.cost * Z.size
        return Z


def _surface(definition) -> Surface:
    return Surface(
        name="costly",
        title="Costly",
        formula="x·y",
        domain=((-1.0, 1.0), (-1.0, 1.0)),
        minima=(),
        start=(0.5, 0.5),
        log_scale=False,
        definition=definition,
    )


def test_an_expensive_surface_is_sampled_coarser_with_progress(monkeypatch):
    clock = [0.0]
    monkeypatch.setattr(grid_module.time, "perf_counter", lambda: clock[0])
    slow = _surface(_Costly(clock, 1e-3))  # 90 s for 300×300 points
    reports: list[float] = []
    xs, ys, z = sample_grid(
        slow, slow.domain, 300, 300, budget=1.5, progress=reports.append
    )
    assert z.shape == (MIN_GRID, MIN_GRID) == (len(ys), len(xs))
    np.testing.assert_array_equal(z, xs[None, :] * ys[:, None])
    assert reports == sorted(reports) and reports[-1] == 1.0 and len(reports) > 3
    cheap_definition = _Costly(clock, 1e-8)
    cheap = _surface(cheap_definition)
    xs, ys, z = sample_grid(cheap, cheap.domain, 300, 300, budget=1.5)
    assert z.shape == (300, 300) and cheap_definition.calls <= 3


def test_a_cancelled_grid_stops_at_its_next_block():
    surface = _surface(_Costly([0.0], 0.0))
    with pytest.raises(GridCancelled):
        sample_grid(surface, surface.domain, 50, 50, cancelled=lambda: True)
    with pytest.raises(GridCancelled):
        compute_grid(surface, surface.domain, 50, 50, cancelled=lambda: True)
