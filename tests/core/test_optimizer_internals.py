"""Internals read from an optimizer's state, against values worked by hand."""

from __future__ import annotations

import math

import pytest

from graphviz_dl.engine import Value
from graphviz_dl.labs.optimizer.describe import internals_text
from graphviz_dl.optim import SGD, Adadelta, Adagrad, Adam, RMSprop
from graphviz_dl.optim.internals import Internals, read_internals
from graphviz_dl.race import Run, RunConfig
from graphviz_dl.surfaces import get_surface


def _stepped(make, grads):
    """An optimizer over (x, y) after one step per gradient pair in ``grads``."""
    params = [Value(0.0), Value(0.0)]
    opt = make(params)
    for gx, gy in grads:
        params[0].grad, params[1].grad = gx, gy
        opt.step()
    return read_internals(opt, params)


def test_nothing_is_remembered_before_the_first_step():
    assert _stepped(lambda p: Adam(p, lr=0.1), []) == Internals()


def test_adam_first_step_divides_by_the_gradient_and_shows_bias_factors():
    # t = 1: v = 0.001·g², v̂ = v/(1 − 0.999) = g², so lr/(√v̂ + eps) = 0.1/|g|
    got = _stepped(lambda p: Adam(p, lr=0.1), [(2.0, -0.5)])
    assert got.step == 1
    assert got.effective_step == pytest.approx((0.05, 0.2), rel=1e-6)
    assert got.bias == pytest.approx((10.0, 1000.0))
    assert got.velocity is None


def test_adam_bias_factors_fade_towards_one():
    got = _stepped(lambda p: Adam(p, lr=0.1), [(2.0, -0.5)] * 2)
    # a constant gradient keeps v̂ = g²: v = 0.001999·g², 1 − 0.999² = 0.001999
    assert got.effective_step == pytest.approx((0.05, 0.2), rel=1e-6)
    assert got.bias == pytest.approx((1 / 0.19, 1 / 0.001999))
    late = _stepped(lambda p: Adam(p, lr=0.1), [(1.0, 1.0)] * 3000)
    assert late.bias == pytest.approx((1.0, 1 / (1 - 0.999**3000)))
    assert late.bias[1] < 1.06


def test_adagrad_divides_by_the_root_of_the_summed_squares():
    got = _stepped(lambda p: Adagrad(p, lr=0.5), [(3.0, 4.0), (4.0, 3.0)])
    assert got.effective_step == pytest.approx((0.1, 0.1))  # 0.5/√25
    one = _stepped(lambda p: Adagrad(p, lr=0.5), [(3.0, 4.0)])
    assert one.effective_step == pytest.approx((0.5 / 3, 0.5 / 4))


def test_rmsprop_divides_by_the_root_mean_square():
    got = _stepped(lambda p: RMSprop(p, lr=0.01, alpha=0.9), [(2.0, 0.0)])
    # s = 0.1·4 = 0.4 along x; s = 0 along y leaves lr/eps
    assert got.effective_step == pytest.approx((0.01 / math.sqrt(0.4), 0.01 / 1e-8))


def test_rmsprop_with_momentum_also_has_a_velocity():
    got = _stepped(lambda p: RMSprop(p, lr=0.01, alpha=0.9, momentum=0.5), [(2, 2)])
    # buffer = g/avg = 2/(√0.4 + 1e-8); velocity = −lr·buffer
    assert got.velocity == pytest.approx((-0.02 / math.sqrt(0.4),) * 2)


def test_adadelta_ratio_of_running_step_to_running_gradient():
    got = _stepped(lambda p: Adadelta(p, lr=1.0, rho=0.9), [(1.0, 1.0)])
    s = 0.1  # 0.1·1²
    delta = math.sqrt(1e-6) / math.sqrt(s + 1e-6)
    u = 0.1 * delta**2
    expected = math.sqrt(u + 1e-6) / math.sqrt(s + 1e-6)
    assert got.effective_step == pytest.approx((expected, expected))


def test_momentum_velocity_is_minus_lr_times_the_buffer():
    got = _stepped(lambda p: SGD(p, lr=0.1, momentum=0.9), [(1.0, -2.0)] * 2)
    # buffer = g, then 0.9·g + g = 1.9·g
    assert got.velocity == pytest.approx((-0.19, 0.38))
    assert got.effective_step is None and got.bias is None
    plain = _stepped(lambda p: SGD(p, lr=0.1), [(1.0, 1.0)])
    assert plain == Internals(step=1)


def test_a_race_run_reports_its_internals_and_a_line_of_text():
    surface = get_surface("rosenbrock")
    run = Run(surface, surface.start, RunConfig("adam", {"lr": 0.05}))
    assert internals_text(run.internals()) == ""
    run.step(1)
    text = internals_text(run.internals(), surface.axes)
    assert text.startswith("t = 1 · step per unit ∇: x ")
    assert "bias correction m\u00a0×10.0, v\u00a0×1000.0" in text
    search = Run(surface, surface.start, RunConfig("linesearch"))
    search.step(1)
    assert internals_text(search.internals()) == ""
