"""Feature inputs (x₀², x₁², x₀x₁, sin …) are computed from the raw inputs
inside the network's graph, so training, the boundary and one point's graph
agree."""

from __future__ import annotations

import dataclasses

import numpy as np
import pytest

from graphviz_dl.datasets import make_dataset
from graphviz_dl.labs.training import DataSpec, SerialQueue, TrainingModel
from graphviz_dl.labs.training.runs import fitted_config
from graphviz_dl.training import Trainer, TrainingConfig, probe
from graphviz_dl.training.features import FEATURES, feature_array

SQUARES = ("x0^2", "x1^2")


def _circles():
    return make_dataset("circles", n_points=300, noise=0.05, test_fraction=0.2)


def test_circles_need_no_hidden_layer_with_squared_inputs():
    config = TrainingConfig(hidden=(), features=SQUARES, hyper={"lr": 0.1})
    trainer = Trainer(_circles(), config)
    trainer.train(60)
    assert trainer.network.sizes == [2, 1]
    assert trainer.evaluate().test_accuracy >= 0.95
    raw = Trainer(_circles(), dataclasses.replace(config, features=()))
    raw.train(60)
    assert raw.evaluate().test_accuracy < 0.8  # a line cannot draw a circle


def test_boundary_point_graph_and_training_read_the_same_features():
    names = tuple(FEATURES)
    trainer = Trainer(_circles(), TrainingConfig(hidden=(3,), features=names))
    trainer.train(2)
    assert trainer.network.sizes[0] == len(names)
    # the boundary grid's answer at a data point equals the network's answer
    x0, x1, y0, y1 = trainer.extent
    grid = probe.boundary(trainer, 5, extent=(x0, x1, y0, y1))
    point = np.array([[grid.xs[1], grid.ys[3]]])
    direct = trainer.predict(point).outputs[0, 0]
    assert grid.outputs[3, 1] == pytest.approx(direct, rel=1e-12)
    # one point's scalar graph computes the same loss as the trainer
    root = probe.sample_graph(trainer, 7)
    assert root.data == pytest.approx(trainer.sample_losses()[7], rel=1e-12)
    # and the first layer's inputs are the features of that point
    first = feature_array(names, trainer.X[7:8])[0]
    z = trainer.network.unpack(trainer.weights)[0]
    W, b = z
    pre, _, _ = trainer.network.activations(trainer.weights, trainer.X[7:8])
    np.testing.assert_allclose(pre[0][:, 0], W @ first + b, rtol=1e-12)


def test_unknown_or_unfit_features_are_refused_in_words():
    with pytest.raises(ValueError, match="unknown feature"):
        TrainingConfig(features=("x3",))
    line = make_dataset("line", n_points=40)
    with pytest.raises(ValueError, match="x₁"):
        TrainingConfig(features=("x0", "x1^2")).check(line)
    fitted = fitted_config(TrainingConfig(features=("x0", "x1^2")), line)
    assert fitted.features == ("x0",)


def test_choosing_features_starts_a_new_run_in_the_lab():
    queue = SerialQueue()
    model = TrainingModel(DataSpec("circles", n_points=80), runner=queue)
    model.train_epochs(1)
    old = model.trainer
    model.set_config(model.config.with_changes(features=SQUARES))
    assert model.trainer is not old and model.trainer.network.features == SQUARES
    assert len(model.kept) == 1
