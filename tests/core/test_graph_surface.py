"""The loss surface of a person's own graph, through one compiled program."""

import math

import numpy as np
import pytest

from graphviz_dl.compiled import GraphInputError
from graphviz_dl.engine import Value
from graphviz_dl.expr import parse
from graphviz_dl.gallery import get_example
from graphviz_dl.nn import MLP
from graphviz_dl.race import Race, RunConfig
from graphviz_dl.surfaces import graph_surface
from graphviz_dl.surfaces.directions import filter_normalize
from graphviz_dl.surfaces.graph_surface import linear_filters


def chain_rule():
    values = parse(get_example("chain-rule").source)
    return values, values["L"]


def loss_by_hand(t1, t2, x=2.0, y=0.25):
    return (t1 * t2 * x - y) ** 2


def test_the_surface_is_the_graph_over_two_leaves_with_the_others_fixed():
    values, root = chain_rule()
    surface = graph_surface(root, values["t1"], values["t2"])
    assert surface.axes == ("t1", "t2")
    assert surface.start == (0.5, -1.5)
    assert surface.formula == "L(t1, t2) with x = 2.0, y = 0.25"
    (x0, x1), (y0, y1) = surface.domain
    assert x0 < 0.5 < x1 and y0 < -1.5 < y1
    xs, ys, Z = surface.grid(7, 5)
    assert Z.shape == (5, 7)
    for i, t2 in enumerate(ys):
        for j, t1 in enumerate(xs):
            assert Z[i, j] == pytest.approx(loss_by_hand(t1, t2), rel=1e-13)
    # (0.5·(−1.5)·2 − 0.25)² = (−1.75)² = 3.0625, the graph's own output
    assert surface.value(*surface.start) == root.data == 3.0625


def test_the_race_gradient_is_the_programs_and_matches_backpropagation():
    values, root = chain_rule()
    surface = graph_surface(root, values["t1"], values["t2"])
    root.backward()
    value, (g1, g2) = surface.value_and_grad(0.5, -1.5)
    # ∂L/∂t1 = 2c·x·t2 = 2(−1.75)(2)(−1.5) = 10.5; ∂L/∂t2 = 2c·x·t1 = −3.5
    assert (value, g1, g2) == (3.0625, 10.5, -3.5)
    assert (values["t1"].grad, values["t2"].grad) == (10.5, -3.5)
    program = surface.definition.program
    assert program.inputs == (values["t1"], values["t2"])
    h = 1e-6
    for point in [(-1.0, 0.7), (1.3, 0.2)]:
        _, grad = surface.value_and_grad(*point)
        for k in range(2):
            step = np.eye(2)[k] * h
            up = surface.value(*(np.array(point) + step))
            down = surface.value(*(np.array(point) - step))
            assert grad[k] == pytest.approx((up - down) / (2 * h), rel=1e-6)


def test_making_and_using_the_surface_leaves_the_graph_alone():
    values, root = chain_rule()
    surface = graph_surface(root, values["t1"], values["t2"])
    race = Race(surface, surface.start, [RunConfig(kind="adam", hyper={"lr": 0.05})])
    race.step(40)
    run = race.runs[0]
    assert run.losses[-1] < run.losses[0] == 3.0625
    assert values["t1"].data == 0.5 and values["t2"].data == -1.5
    assert root.data == 3.0625
    # an edit made afterwards does not reach a surface already made
    values["x"].data = 10.0
    assert surface.value(0.5, -1.5) == 3.0625


def test_constants_inside_expressions_and_a_deep_graph():
    values = parse("a = 1.5\nb = -0.5\nk = 3.0\nf = tanh(a * b + 0.3) * k + exp(b)")
    surface = graph_surface(values["f"], values["a"], values["b"])
    for a, b in [(0.1, 0.2), (-1.0, 2.0)]:
        expected = math.tanh(a * b + 0.3) * 3.0 + math.exp(b)
        assert surface.value(a, b) == pytest.approx(expected, rel=1e-14)


def test_leaves_that_do_not_fit_are_refused_with_a_reason():
    values, root = chain_rule()
    with pytest.raises(GraphInputError, match="listed twice"):
        graph_surface(root, values["t1"], values["t1"])
    with pytest.raises(GraphInputError, match="must be a leaf"):
        graph_surface(root, values["a"], values["t2"])
    with pytest.raises(GraphInputError, match="not in this graph"):
        graph_surface(root, Value(1.0, "elsewhere"), values["t2"])
    with pytest.raises(ValueError, match="two leaves"):
        graph_surface(root, values["t1"])
    values["t2"].data = math.nan
    with pytest.raises(ValueError, match="t2 is nan"):
        graph_surface(root, values["t1"], values["t2"])


def test_an_undefined_region_is_nan_or_inf_never_an_error():
    values = parse("p = 1.0\nq = 2.0\nf = log(p) + q")
    surface = graph_surface(values["f"], values["p"], values["q"])
    z = surface.evaluate(np.array([-1.0, 0.0, 1.0]), 0.0)
    assert math.isnan(z[0]) and z[1] == -math.inf and z[2] == 0.0


# --- the random-direction slice ------------------------------------------------------------
def small_network():
    model = MLP(3, [4, 2, 1], activation="tanh")
    inputs = [Value(v, f"x{i}") for i, v in enumerate((0.5, -1.0, 2.0))]
    loss = (model(inputs) - Value(0.7, "target")) ** 2
    return model, loss


def test_linear_filters_are_neurons_and_biases_do_not_move():
    model, loss = small_network()
    params = model.parameters()
    filters = linear_filters(loss, params)
    # micrograd's order: per neuron its weights then its bias
    expected, k = [], 0
    for fan_in, width in ((3, 4), (4, 2), (2, 1)):
        for _ in range(width):
            expected.append(list(range(k, k + fan_in)))
            k += fan_in + 1
    assert sorted(filters) == expected
    center = np.array([p.data for p in params])
    d = filter_normalize(np.arange(1.0, len(params) + 1), center, filters)
    for members in expected:
        assert np.linalg.norm(d[members]) == pytest.approx(
            np.linalg.norm(center[members])
        )
        assert d[members[-1] + 1] == 0.0  # the neuron's bias


def test_random_slice_is_the_loss_along_theta_plus_alpha_d1_plus_beta_d2():
    model, loss = small_network()
    params = model.parameters()
    surface = graph_surface(loss, random_directions=True, parameters=params, seed=3)
    assert surface.axes == ("α", "β") and surface.start == (0.0, 0.0)
    assert surface.domain == ((-1.0, 1.0), (-1.0, 1.0))
    assert surface.value(0.0, 0.0) == pytest.approx(loss.data, rel=1e-14)
    again = graph_surface(loss, random_directions=True, parameters=params, seed=3)
    other = graph_surface(loss, random_directions=True, parameters=params, seed=4)
    assert again.value(0.4, -0.3) == surface.value(0.4, -0.3)
    assert other.value(0.4, -0.3) != surface.value(0.4, -0.3)
    # the same slice by moving the weights by hand
    center = np.array([p.data for p in params])
    h = 1e-6
    directions = []
    for k in range(2):
        offset = np.eye(2)[k] * h
        up, down = surface.value(*offset), surface.value(*-offset)
        directions.append((up - down) / (2 * h))
    loss.backward()
    grad = np.array([p.grad for p in params])
    value, (ga, gb) = surface.value_and_grad(0.0, 0.0)
    assert value == pytest.approx(loss.data, rel=1e-14)
    assert ga == pytest.approx(directions[0], rel=1e-6)
    assert gb == pytest.approx(directions[1], rel=1e-6)
    # ∂/∂α = ∇θ · d₁, so it cannot exceed |∇θ|·|θ| (|d₁| ≤ |θ₀|)
    assert abs(ga) <= np.linalg.norm(grad) * np.linalg.norm(center) + 1e-12
    assert [p.data for p in params] == list(center)  # the graph is untouched


def test_random_slice_default_parameters_are_the_labelled_leaves():
    values, root = chain_rule()
    surface = graph_surface(root, random_directions=True)
    assert "4 parameters" in surface.description
    assert surface.value(0.0, 0.0) == 3.0625
    with pytest.raises(ValueError, match="do not choose two leaves"):
        graph_surface(root, values["t1"], values["t2"], random_directions=True)
    zeros = parse("u = 0.0\nv = 0.0\nw = u * v + 1")
    with pytest.raises(ValueError, match="every parameter is 0"):
        graph_surface(zeros["w"], random_directions=True)
