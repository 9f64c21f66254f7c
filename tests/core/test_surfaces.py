"""Surfaces: one definition, the same numbers through the engine and through numpy."""

import math

import numpy as np
import pytest

from graphviz_dl.engine import Value
from graphviz_dl.expr import ExpressionError
from graphviz_dl.optim import SGD
from graphviz_dl.surfaces import (
    SURFACES,
    Surface,
    elongated_bowl,
    get_surface,
    least_squares,
    logistic_minimum,
    surface_from_expression,
)

NAMES = list(SURFACES)


def sample_points(surface, n=5):
    (x0, x1), (y0, y1) = surface.domain
    xs = np.linspace(x0, x1, n + 2)[1:-1]
    ys = np.linspace(y0, y1, n + 2)[1:-1]
    return [(float(x), float(y)) for x in xs for y in ys]


def test_the_menu_has_every_required_surface_in_order():
    assert NAMES == [
        "quadratic-bowl",
        "elongated-bowl",
        "rosenbrock",
        "beale",
        "himmelblau",
        "saddle",
        "monkey-saddle",
        "six-hump-camel",
        "rastrigin",
        "goldstein-price",
        "linear-regression-mse",
        "logistic-regression-bce",
    ]
    for name, surface in SURFACES.items():
        assert surface.name == name and surface.title and surface.formula
        (x0, x1), (y0, y1) = surface.domain
        assert x0 < surface.start[0] < x1 and y0 < surface.start[1] < y1
        for x, y in surface.minima:
            assert x0 < x < x1 and y0 < y < y1


def test_get_surface_names_the_known_ones():
    assert get_surface("beale") is SURFACES["beale"]
    with pytest.raises(
        KeyError, match="known surfaces: quadratic-bowl, elongated-bowl"
    ):
        get_surface("banana")


@pytest.mark.parametrize("name", NAMES)
def test_grid_equals_pointwise_engine_evaluation(name):
    surface = SURFACES[name]
    xs, ys, z = surface.grid(7, 5)
    assert xs.shape == (7,) and ys.shape == (5,) and z.shape == (5, 7)
    for i, y in enumerate(ys):
        for j, x in enumerate(xs):
            engine, _ = surface.value_and_grad(x, y)
            assert z[i, j] == pytest.approx(engine, rel=1e-12, abs=1e-12)
            assert surface.value(x, y) == z[i, j]


@pytest.mark.parametrize("name", NAMES)
def test_engine_gradient_matches_central_differences(name):
    surface = SURFACES[name]
    for x, y in sample_points(surface, 3):
        _, (gx, gy) = surface.value_and_grad(x, y)
        h = 1e-6
        fx = (surface.value(x + h, y) - surface.value(x - h, y)) / (2 * h)
        fy = (surface.value(x, y + h) - surface.value(x, y - h)) / (2 * h)
        scale = 1 + abs(gx) + abs(gy)
        assert gx == pytest.approx(fx, abs=1e-5 * scale)
        assert gy == pytest.approx(fy, abs=1e-5 * scale)


@pytest.mark.parametrize("name", [n for n in NAMES if SURFACES[n].minima])
def test_known_minima_are_flat_and_curve_upward(name):
    surface = SURFACES[name]
    for x, y in surface.minima:
        value, (gx, gy) = surface.value_and_grad(x, y)
        assert abs(gx) < 1e-10 and abs(gy) < 1e-10
        assert np.all(np.linalg.eigvalsh(surface.hessian(x, y)) > 0)
        assert value == pytest.approx(surface.min_value(), abs=1e-12)


def test_minimum_values_by_hand():
    assert SURFACES["rosenbrock"].min_value() == 0.0
    assert SURFACES["goldstein-price"].min_value() == 3.0
    assert SURFACES["six-hump-camel"].min_value() == pytest.approx(-1.0316284535)
    assert SURFACES["saddle"].min_value() is None


def test_grid_is_row_major_and_broadcasting_works():
    surface = get_surface("rosenbrock")
    xs, ys, z = surface.grid(3, 2, domain=((0.0, 2.0), (-1.0, 1.0)))
    assert xs.tolist() == [0.0, 1.0, 2.0] and ys.tolist() == [-1.0, 1.0]
    assert z[0, 2] == (1 - 2.0) ** 2 + 100 * (-1.0 - 4.0) ** 2  # x = 2, y = −1
    assert z[1, 1] == 0.0  # x = 1, y = 1
    line = surface.evaluate(np.array([0.0, 1.0]), 1.0)
    assert line.tolist() == [101.0, 0.0]
    assert get_surface("saddle").evaluate(np.zeros((2, 3)), 0.0).shape == (2, 3)


def test_hand_computed_values_and_gradients():
    value, grad = get_surface("rosenbrock").value_and_grad(-1.5, 2.0)
    assert value == 2.5**2 + 100 * (2.0 - 2.25) ** 2
    assert grad == (-2 * 2.5 - 400 * -1.5 * -0.25, 200 * -0.25)
    value, grad = get_surface("saddle").value_and_grad(1.0, 2.0)
    assert (value, grad) == (-3.0, (2.0, -4.0))
    assert get_surface("rastrigin").value(0.0, 0.0) == 0.0


def test_elongated_bowl_condition_number_is_adjustable():
    bowl = elongated_bowl(100.0)
    eigenvalues = np.linalg.eigvalsh(bowl.hessian(1.0, 1.0))
    assert eigenvalues[1] / eigenvalues[0] == pytest.approx(100.0, rel=1e-6)
    again = SURFACES["elongated-bowl"].with_parameter(25.0)
    assert again.parameter_value == 25.0 and "25" in again.formula
    assert again.value(0.0, 2.0) == 50.0
    with pytest.raises(ValueError, match="condition must be ≥ 1"):
        elongated_bowl(0.5)
    with pytest.raises(ValueError, match="no parameter"):
        SURFACES["rosenbrock"].with_parameter(2.0)


# --- the surfaces from the notes: linear and logistic regression ----------------------


def test_closed_form_least_squares_matches_lstsq():
    surface = get_surface("linear-regression-mse")
    x, y = surface.data["x"], surface.data["y"]
    design = np.column_stack([x, np.ones_like(x)])
    expected, *_ = np.linalg.lstsq(design, y, rcond=None)
    w, b = least_squares(x, y)
    assert (w, b) == pytest.approx(tuple(expected), rel=1e-12)
    assert surface.minima == ((w, b),)
    assert surface.axes == ("w", "b")


def test_mse_surface_is_the_mean_of_squared_residuals():
    surface = get_surface("linear-regression-mse")
    x, y = surface.data["x"], surface.data["y"]
    for w, b in [(0.0, 0.0), (2.0, -1.0), (-1.5, 3.0)]:
        assert surface.value(w, b) == pytest.approx(
            np.mean((w * x + b - y) ** 2), rel=1e-13
        )


def test_gradient_descent_converges_to_the_closed_form():
    surface = get_surface("linear-regression-mse")
    w, b = Value(surface.start[0]), Value(surface.start[1])
    opt = SGD([w, b], lr=0.25)  # curvatures ≈ 1.0 and 6.5: stable below 2/6.5
    for _ in range(300):
        _, (gw, gb) = surface.value_and_grad(w.data, b.data)
        w.grad, b.grad = gw, gb
        opt.step()
    w_star, b_star = surface.minima[0]
    assert w.data == pytest.approx(w_star, abs=1e-9)
    assert b.data == pytest.approx(b_star, abs=1e-9)


def test_logistic_surface_is_the_notes_cross_entropy_and_its_minimum_is_flat():
    surface = get_surface("logistic-regression-bce")
    x, y = surface.data["x"], surface.data["y"]
    assert set(y.tolist()) == {0.0, 1.0}
    assert x[y == 0].max() > x[y == 1].min()  # the classes overlap: finite optimum
    for w, b in [(0.0, 0.0), (1.0, -0.5), (-2.0, 1.0)]:
        p = 1 / (1 + np.exp(-(w * x + b)))
        notes = -np.mean(y * np.log(p) + (1 - y) * np.log(1 - p))
        assert surface.value(w, b) == pytest.approx(notes, rel=1e-12)
    w_star, b_star = logistic_minimum(x, y)
    _, grad = surface.value_and_grad(w_star, b_star)
    assert max(abs(g) for g in grad) < 1e-14
    # at w = b = 0 every prediction is ½: loss log 2, gradient (mean x·(½ − y), …)
    value, (gw, gb) = surface.value_and_grad(0.0, 0.0)
    assert value == pytest.approx(math.log(2), rel=1e-15)
    assert gw == pytest.approx(np.mean(x * (0.5 - y)), rel=1e-12)
    assert gb == pytest.approx(np.mean(0.5 - y), rel=1e-12)


# --- typed surfaces -------------------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "f(x, y) = x^2 + 3*y^2",
        "L(x,y) = x**2 + 3*y**2",
        "x^2 + 3*y^2",
        "# a bowl\n\nx^2 + 3 * y^2",
        "a = x^2\nb = 3*y^2\nL = a + b",
    ],
)
def test_typed_surface_forms(text):
    surface = surface_from_expression(text)
    assert isinstance(surface, Surface)
    assert surface.value_and_grad(1.0, 2.0) == (13.0, (2.0, 12.0))
    xs, ys, z = surface.grid(6, 4)
    expected = xs[None, :] ** 2 + 3 * ys[:, None] ** 2
    np.testing.assert_allclose(z, expected, rtol=1e-15)
    assert surface.minima == ()


def test_a_typed_program_starts_where_its_leaves_are():
    surface = surface_from_expression("x = 1.5\ny = -0.5\na = x * y\nL = a^2 + sin(x)")
    assert surface.start == (1.5, -0.5)
    value, (gx, gy) = surface.value_and_grad(2.0, 3.0)
    assert value == pytest.approx(36 + math.sin(2.0))
    assert gx == pytest.approx(2 * 6 * 3 + math.cos(2.0))
    assert gy == pytest.approx(2 * 6 * 2)
    for x, y in [(0.3, -0.2), (2.5, 1.0)]:
        assert surface.value(x, y) == pytest.approx(surface.value_and_grad(x, y)[0])


def test_a_typed_surface_in_one_variable_has_zero_gradient_in_the_other():
    surface = surface_from_expression("x^2")
    assert surface.value_and_grad(3.0, 7.0) == (9.0, (6.0, 0.0))
    assert surface.grid(3, 2)[2].shape == (2, 3)


def test_typed_surfaces_show_bad_numbers_instead_of_raising():
    surface = surface_from_expression("log(x) + y")
    value, _ = surface.value_and_grad(-1.0, 0.0)
    assert math.isnan(value)
    assert surface.value(0.0, 1.0) == -math.inf


@pytest.mark.parametrize(
    "text, line, col, words",
    [
        ("x^2 + foo(y)", 1, 7, "unknown function 'foo'"),
        ("f(x, y) = x^2 + z", 1, 17, "unknown name 'z'"),
        ("x = 1.0\ny = 2.0\nL = x * q", 3, 9, "unknown name 'q'"),
        ("x = 1.0\ny = x * 2\nL = x + y * y", 2, 1, "give it a number"),
        ("x^2 + import", 1, 7, ""),
    ],
)
def test_typed_surface_errors_point_at_the_text_as_typed(text, line, col, words):
    with pytest.raises(ExpressionError) as error:
        surface_from_expression(text)
    assert (error.value.line, error.value.col) == (line, col)
    assert words in error.value.message
