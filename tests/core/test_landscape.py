"""The loss on a plane through weight space, and the trajectory projected onto it."""

import numpy as np
import pytest

from graphviz_dl import datasets
from graphviz_dl.surfaces import Surface
from graphviz_dl.training import Trainer, TrainingConfig, landscape
from graphviz_dl.training.landscape import LossPlane


@pytest.fixture(scope="module")
def trainer():
    run = Trainer(
        datasets.moons(40, seed=0),
        TrainingConfig(hidden=(5, 4), l1=0.002, l2=0.01, snapshot_every=3),
    )
    run.train(4)
    return run


def objective(trainer, theta):
    evaluation = trainer.evaluate(params=theta)
    return evaluation.train_loss + evaluation.penalty


def test_two_chosen_weights_move_just_those_weights(trainer):
    d1, d2 = landscape.weight_directions(trainer, "w[0,1,0]", 7)
    plane = LossPlane(trainer, d1, d2, axes=landscape.axes_for(trainer, "w[0,1,0]", 7))
    assert plane.axes == ("w[0,1,0]", trainer.network.labels[7])
    A = np.array([[-0.5, 0.0, 0.3]])
    B = np.array([[0.2], [-0.4]])
    Z = plane.evaluate(A, B)
    assert Z.shape == (2, 3)
    i = trainer.network.labels.index("w[0,1,0]")
    for r, b in enumerate(B[:, 0]):
        for c, a in enumerate(A[0]):
            theta = trainer.weights.copy()
            theta[i] += a
            theta[7] += b
            assert Z[r, c] == pytest.approx(objective(trainer, theta), rel=1e-12)
    assert plane.evaluate(0.0, 0.0) == pytest.approx(
        objective(trainer, trainer.weights)
    )


def test_random_directions_are_filter_normalized_and_reproducible(trainer):
    d1, d2 = landscape.random_directions(trainer, seed=4)
    again, _ = landscape.random_directions(trainer, seed=4)
    other, _ = landscape.random_directions(trainer, seed=5)
    np.testing.assert_array_equal(d1, again)
    assert not np.allclose(d1, other)
    theta = trainer.weights
    k = 0
    for fan_in, width in zip(trainer.network.sizes[:-1], trainer.network.sizes[1:]):
        for _ in range(width):
            for d in (d1, d2):
                assert np.linalg.norm(d[k : k + fan_in]) == pytest.approx(
                    np.linalg.norm(theta[k : k + fan_in])
                )
                assert d[k + fan_in] == 0.0  # biases stay put
            k += fan_in + 1


def test_the_gradient_by_alpha_and_beta_is_exact(trainer):
    d1, d2 = landscape.random_directions(trainer, seed=1)
    plane = LossPlane(trainer, d1, d2)
    value, (ga, gb) = plane.value_and_grad(0.0, 0.0)
    assert value == pytest.approx(objective(trainer, trainer.weights), rel=1e-12)
    net = trainer.network
    rows = trainer.train_index
    _, grad = net.loss_and_grads(
        trainer.weights, trainer.X[rows], trainer.targets[:, rows]
    )
    grad = grad + net.penalty(trainer.weights, 0.002, 0.01)[1]
    assert ga == pytest.approx(grad @ d1, rel=1e-9)
    assert gb == pytest.approx(grad @ d2, rel=1e-9)
    h = 1e-6
    value, (ga, gb) = plane.value_and_grad(0.3, -0.2)
    fa = (plane.evaluate(0.3 + h, -0.2) - plane.evaluate(0.3 - h, -0.2)) / (2 * h)
    fb = (plane.evaluate(0.3, -0.2 + h) - plane.evaluate(0.3, -0.2 - h)) / (2 * h)
    assert (ga, gb) == pytest.approx((fa, fb), rel=1e-5)


def test_the_trajectory_projects_onto_the_plane(trainer):
    d1, d2 = landscape.random_directions(trainer, seed=2)
    plane = LossPlane(trainer, d1, d2)
    weights = landscape.trajectory_weights(trainer)
    assert plane.trajectory.shape == (len(weights), 2)
    assert plane.trajectory[-1] == pytest.approx([0.0, 0.0], abs=1e-12)
    inside = trainer.weights + 0.3 * d1 - 0.2 * d2
    assert landscape.project(inside, trainer.weights, d1, d2)[0] == pytest.approx(
        [0.3, -0.2]
    )
    on_path = landscape.trajectory_losses(plane)
    assert on_path.shape == (len(weights),) and np.isfinite(on_path).all()


def test_principal_directions_keep_the_trajectory(trainer):
    d1, d2 = landscape.pca_directions(trainer)
    assert d1 @ d1 == pytest.approx(1.0) and d2 @ d2 == pytest.approx(1.0)
    assert d1 @ d2 == pytest.approx(0.0, abs=1e-12)
    plane = LossPlane(trainer, d1, d2)
    moves = landscape.trajectory_weights(trainer) - trainer.weights
    kept = np.linalg.norm(plane.trajectory, axis=1) / np.maximum(
        np.linalg.norm(moves, axis=1), 1e-300
    )
    assert kept[:-1].mean() > 0.8  # most of each move lies in the plane
    fresh = Trainer(datasets.moons(40, seed=0), TrainingConfig())
    with pytest.raises(ValueError, match="two directions"):
        landscape.pca_directions(fresh)


def test_a_grid_and_a_surface_for_the_optimizer_lab(trainer):
    d1, d2 = landscape.weight_directions(trainer, 0, 1)
    plane = LossPlane(trainer, d1, d2, split="test")
    alphas, betas, Z = plane.grid(5, span=0.5)
    assert alphas.tolist() == np.linspace(-0.5, 0.5, 5).tolist() and Z.shape == (5, 5)
    assert Z[1, 3] == pytest.approx(plane.evaluate(alphas[3], betas[1]))
    surface = plane.as_surface(span=0.5)
    assert isinstance(surface, Surface) and surface.start == (0.0, 0.0)
    evaluation = trainer.evaluate()
    assert surface.value(0.0, 0.0) == pytest.approx(
        evaluation.test_loss + evaluation.penalty
    )
    value, grad = surface.value_and_grad(0.1, 0.2)
    assert value == pytest.approx(plane.evaluate(0.1, 0.2))
    assert grad == pytest.approx(plane.value_and_grad(0.1, 0.2)[1])
    _, _, grid = surface.grid(4, 3)
    assert grid.shape == (3, 4)


def test_bad_requests_are_refused(trainer):
    with pytest.raises(ValueError, match="two different weights"):
        landscape.weight_directions(trainer, 2, 2)
    with pytest.raises(ValueError, match="no parameter is labelled"):
        landscape.weight_directions(trainer, "w[9,9,9]", 0)
    with pytest.raises(ValueError, match="out of range"):
        landscape.weight_directions(trainer, 0, 10_000)
    d1, d2 = landscape.weight_directions(trainer, 0, 1)
    with pytest.raises(ValueError, match="one entry per parameter"):
        LossPlane(trainer, d1[:-1], d2)
    with pytest.raises(ValueError, match="split"):
        LossPlane(trainer, d1, d2, split="validation")
