"""The optimizer lab's texts and screen geometry, without Qt."""

import numpy as np
import pytest

from graphviz_dl.labs.optimizer import LabModel, LabState, make_configs
from graphviz_dl.labs.optimizer.describe import (
    minimum_summary,
    point_summary,
    run_status,
    surface_title,
)
from graphviz_dl.labs.optimizer.geometry import (
    arrow,
    label_anchor,
    last_finite,
    nearest,
    pixel_thin,
)
from graphviz_dl.labs.optimizer.hyper_fields import LogScale, parse_number
from graphviz_dl.labs.optimizer.loss_axis import axis_range, nice_ceiling
from graphviz_dl.labs.optimizer.surface_choice import resolve_surface
from graphviz_dl.surfaces import get_surface


def _model(racers) -> LabModel:
    model = LabModel()
    surface = get_surface("elongated-bowl")
    model.restore(LabState(surface, (-4.5, 2.0), make_configs(racers)))
    return model


def test_the_hover_text_names_step_position_loss_gradient_and_state():
    model = _model((("momentum", {"lr": 0.01}),))
    model.step(3)
    _, config, run = model.active()[0]
    text = point_summary(config, run, 2)
    assert f"color:{config.colour}" in text and "step 2" in text
    assert "f = " in text and "∇f = " in text and "lr = 0.01" in text
    assert text.split("<br>")[-1].startswith("velocity = (")


def test_a_stopped_run_says_why():
    model = _model((("sgd", {"lr": 0.25}),))
    model.step(200)
    _, config, run = model.active()[0]
    assert run.diverged_at is not None
    text, tip, kind = run_status(run)
    assert kind == "stopped" and text == f"✕ stopped at step {run.diverged_at}"
    assert "lr·curvature" in tip
    assert run.reason in point_summary(config, run, run.diverged_at).replace(
        "&gt;", ">"
    )
    assert run_status(None) == ("off", "off", "off")


def test_titles_and_minima_are_escaped_and_named():
    surface = get_surface("rosenbrock")
    assert surface_title(surface).startswith("Rosenbrock: f(x, y) = ")
    assert "known minimum" in minimum_summary(surface, (1.0, 1.0))


def test_resolve_surface_suggests_the_closest_name():
    assert resolve_surface("beale") == (get_surface("beale"), "")
    with pytest.raises(ValueError, match="did you mean 'beale'"):
        resolve_surface("beal")
    surface, formula = resolve_surface("f(x, y) = x^2 + y^2")
    assert surface.value(1.0, 2.0) == 5.0 and formula == "f(x, y) = x^2 + y^2"


def test_pixel_thin_keeps_one_point_per_pixel_and_the_ends():
    x = np.array([0.0, 0.1, 0.2, 1.5, 1.6, np.nan, 3.2, 3.3, 3.35])
    tx, ty = pixel_thin(x, np.zeros_like(x), (1.0, 1.0))
    np.testing.assert_array_equal(tx, [0.0, 1.5, np.nan, 3.2, 3.35])
    assert len(ty) == len(tx)


def test_nearest_point_and_last_finite_head():
    points = np.array([[0.0, 0.0], [1.0, 1.0], [np.nan, np.nan]])
    assert last_finite(points) == 1
    assert nearest(points, 0.9, 1.2, (0.1, 0.1)) == (1, pytest.approx(5.0))
    assert nearest([], 0, 0, (1, 1))[0] == -1


def test_an_arrow_has_a_shaft_and_two_barbs_of_the_asked_length():
    x, y = arrow(np.array([1.0, 2.0]), np.array([3.0, 4.0]), 50.0, (0.5, 0.25))
    assert len(x) == 6  # three segments
    assert (x[1] - 1.0) / 0.5 == pytest.approx(30.0) and (
        y[1] - 2.0
    ) / 0.25 == pytest.approx(40.0)
    assert arrow(np.zeros(2), np.zeros(2), 50.0, (1, 1))[0].size == 0


def test_a_path_label_sits_at_the_start_away_from_the_path():
    path = np.array([[2.0, 1.0], [1.0, 0.0], [0.0, -1.0]])
    (pos, corner) = label_anchor(path, ((-3.0, 3.0), (-3.0, 3.0)))
    assert pos == (2.0, 1.0) and corner == (1.0, 1.0)


def test_the_loss_axis_moves_in_whole_steps():
    assert [nice_ceiling(n) for n in (1, 10, 11, 21, 51, 999)] == [
        10,
        10,
        20,
        50,
        100,
        1000,
    ]
    assert axis_range(30, [np.array([-3.2, 0.4])], log=True) == (50, -4, 1)
    steps, lo, hi = axis_range(5, [np.array([-2.0, 3.0])], log=False)
    assert steps == 10 and lo <= -2.25 and hi >= 3.25


def test_numbers_typed_by_people_and_the_log_slider():
    assert parse_number(" −1,5 ") == -1.5
    scale = LogScale(1e-5, 10.0, 1000)
    assert scale.value(0) == 1e-5 and scale.value(1000) == 10.0
    assert scale.position(1e-3) == pytest.approx(333, abs=1)
    assert scale.position(0.0) == 0 and scale.position(1e9) == 1000
