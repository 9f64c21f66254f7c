"""Why a run blew up: the curvature limits shared by races and training."""

import math

import numpy as np
import pytest

from graphviz_dl.divergence import (
    explain_surface_divergence,
    stability_formula,
    stability_limit,
    top_curvature,
)
from graphviz_dl.race import Run, RunConfig
from graphviz_dl.surfaces import get_surface


def test_power_iteration_finds_the_top_eigenvalue_of_a_quadratic():
    H = np.diag([5.0, 2.0, -1.0, 0.5])
    rotation, _ = np.linalg.qr(np.random.default_rng(0).standard_normal((4, 4)))
    H = rotation @ H @ rotation.T
    value = top_curvature(lambda t: H @ t, np.ones(4), iterations=60)
    assert value == pytest.approx(5.0, rel=1e-6)


def test_stability_limits_of_gradient_descent():
    assert stability_limit("sgd", 0.0) == 2.0
    assert stability_limit("momentum", 0.9) == pytest.approx(3.8)
    assert stability_limit("nesterov", 0.5) == pytest.approx(1.5)
    assert stability_limit("adam", 0.9) is None
    # Gradient descent on f = λx²/2 converges exactly when lr·λ < 2.
    for lr, converges in ((1.9, True), (2.1, False)):
        x = 1.0
        for _ in range(200):
            x -= lr * 1.0 * x
        assert (abs(x) < 1e-3) == converges
    assert math.isfinite(stability_limit("momentum", 0.0))


def test_the_limits_read_as_formulas_in_beta():
    assert stability_formula("sgd", 0.0) == ""
    assert stability_formula("momentum", 0.0) == ""  # plain 2
    assert stability_formula("momentum", 0.5) == "2(1 + β)"
    assert stability_formula("nesterov", 0.5) == "2(1 + β)/(1 + 2β)"
    assert stability_formula("adam", 0.9) == ""


def test_a_nesterov_race_past_its_limit_says_so():
    # x² + y² has curvature 2; Nesterov with β = 0.5 is stable below lr·2 < 1.5
    bowl = get_surface("quadratic-bowl")
    run = Run(bowl, (1.0, 1.0), RunConfig("nesterov", {"lr": 1.0, "momentum": 0.5}))
    run.step(2000)
    assert run.diverged_at is not None
    assert "lr·curvature ≈ 2.0 > 2(1 + β)/(1 + 2β) = 1.5" in run.reason


def test_an_adaptive_optimizer_gets_the_step_length_reading():
    bowl = get_surface("quadratic-bowl")
    positions = np.array([[1.0, 1.0], [4.0, 5.0]])
    text = explain_surface_divergence(
        bowl, positions, np.array([2.0, 41.0]), 3.0, "adam", 0.0
    )
    assert text == (
        "; the largest curvature at the last finite point is ≈ 2.0, so steps "
        "longer than about 1.0 overshoot (the last one was 5.0)"
    )
