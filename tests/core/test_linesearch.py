"""Exact line search: the ideal step along −∇L, and what it costs."""

import itertools
import math

import pytest

from graphviz_dl.engine import Value
from graphviz_dl.linesearch import ExactLineSearch
from graphviz_dl.surfaces import elongated_bowl, get_surface


def searcher(surface, start, **options):
    params = [Value(start[0]), Value(start[1])]
    opt = ExactLineSearch(params, lambda p: surface.value(p[0], p[1]), **options)
    return params, opt


def step(surface, params, opt):
    loss, grad = surface.value_and_grad(params[0].data, params[1].data)
    params[0].grad, params[1].grad = grad
    opt.step(loss)
    return loss


def test_on_a_round_bowl_one_step_lands_on_the_minimum():
    bowl = get_surface("quadratic-bowl")
    params, opt = searcher(bowl, (-4.0, 3.0), max_step=10.0, xtol=1e-10)
    step(bowl, params, opt)
    assert params[0].data == pytest.approx(0.0, abs=1e-9)
    assert params[1].data == pytest.approx(0.0, abs=1e-9)
    # the ideal lr for x² + y² is 1/2: half the gradient's length takes you home
    assert opt.lr == pytest.approx(0.5, rel=1e-9)
    assert opt.evaluations > 5  # the price: many function evaluations per step


def test_successive_directions_are_orthogonal_on_an_elongated_bowl():
    bowl = elongated_bowl(10.0)
    params, opt = searcher(bowl, (-4.5, 2.0), max_step=10.0, xtol=1e-12)
    directions = []
    for _ in range(6):
        step(bowl, params, opt)
        directions.append(
            (opt.state[params[0]]["direction"], opt.state[params[1]]["direction"])
        )
    for (ax, ay), (bx, by) in itertools.pairwise(directions):
        assert ax * bx + ay * by == pytest.approx(0.0, abs=1e-5)


def test_the_loss_never_increases_and_steps_stay_within_max_step():
    rosenbrock = get_surface("rosenbrock")
    params, opt = searcher(rosenbrock, (-1.5, 2.0), max_step=0.3)
    losses = []
    for _ in range(40):
        before = (params[0].data, params[1].data)
        losses.append(step(rosenbrock, params, opt))
        moved = math.dist(before, (params[0].data, params[1].data))
        assert moved <= 0.3 + 1e-12
        assert opt.state[params[0]]["step_length"] == pytest.approx(moved, abs=1e-12)
    assert all(b <= a for a, b in itertools.pairwise(losses))
    assert losses[-1] < losses[0] / 2  # progress, slowly: it zig-zags down the valley


def test_a_zero_gradient_means_no_step_and_no_cost():
    bowl = get_surface("quadratic-bowl")
    params, opt = searcher(bowl, (0.0, 0.0))
    step(bowl, params, opt)
    assert (params[0].data, params[1].data) == (0.0, 0.0)
    assert opt.evaluations == 0
    assert opt.lr == 0.0


def test_without_the_current_loss_it_evaluates_it_once_more():
    bowl = get_surface("quadratic-bowl")
    params, opt = searcher(bowl, (1.0, 1.0))
    params[0].grad, params[1].grad = 2.0, 2.0
    opt.step()
    counted = opt.evaluations
    params, opt = searcher(bowl, (1.0, 1.0))
    params[0].grad, params[1].grad = 2.0, 2.0
    opt.step(2.0)
    assert counted == opt.evaluations + 1


def test_lr_is_nan_before_the_first_step_and_settings_are_checked():
    bowl = get_surface("quadratic-bowl")
    _, opt = searcher(bowl, (1.0, 1.0))
    assert math.isnan(opt.lr)
    with pytest.raises(ValueError, match="max_step must be ≥ 0, got −1"):
        searcher(bowl, (1.0, 1.0), max_step=-1.0)
    with pytest.raises(ValueError, match="max_step must be > 0"):
        searcher(bowl, (1.0, 1.0), max_step=0.0)
    with pytest.raises(ValueError, match="xtol must be > 0"):
        searcher(bowl, (1.0, 1.0), xtol=0.0)
