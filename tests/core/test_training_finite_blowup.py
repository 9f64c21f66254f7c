"""A loss or weights that explode while still finite pause training too, explained."""

from __future__ import annotations

import numpy as np
import pytest

from graphviz_dl.labs.training import SUGGESTED, DataSpec
from graphviz_dl.training import Trainer, TrainingConfig
from graphviz_dl.training import trainer as trainer_module


def test_a_learning_rate_of_1e10_pauses_at_the_first_step_with_numbers():
    data = DataSpec("moons").make()
    trainer = Trainer(data, TrainingConfig(hyper={"lr": 1e10}))
    start = trainer.weights.copy()
    trainer.train(5)
    stop = trainer.stop
    assert stop is not None and stop.kind == "blowup"
    assert trainer.step == 0  # the exploding step was not taken
    np.testing.assert_array_equal(trainer.weights, start)
    text = stop.message
    assert text.startswith("Training paused at step 1 (epoch 0)")
    assert "the largest weight after the step became 1e+10" in text
    assert "learning rate lr = 1e+10" in text and "a smaller learning rate" in text
    assert "exploding_weights" in stop.blowup.kinds
    trainer.step_batch()
    assert trainer.step == 0  # paused until reset or rewound


def test_a_loss_growing_a_millionfold_pauses_though_still_finite(monkeypatch):
    monkeypatch.setattr(trainer_module, "EXPLODED_WEIGHT", np.inf)  # loss rule only
    data = DataSpec("line").make()
    config = TrainingConfig(hidden=(4,), optimizer="sgd", hyper={"lr": 1.0})
    trainer = Trainer(data, config)
    trainer.train(100)
    stop = trainer.stop
    assert stop is not None and stop.kind == "blowup"
    losses = trainer.steps.column("loss")
    assert np.isfinite(losses).all() and losses.max() < 1e100  # long before inf
    text = stop.message
    assert "the batch loss became" in text and "still a number" in text
    assert "times the untrained network's loss" in text
    assert "for 3 steps in a row, with the learning rate lr = 1.0" in text
    assert "learning rate is too large for the curvature" in text
    trainer.restore(0)
    assert trainer.stop is None


@pytest.mark.parametrize("kind", ["moons", "xor", "spiral", "circles", "line"])
def test_healthy_default_runs_never_pause(kind):
    config = TrainingConfig().with_changes(**SUGGESTED.get(kind, {}))
    trainer = Trainer(DataSpec(kind).make(), config)
    trainer.train(100)
    assert trainer.stop is None
    assert trainer.steps.column("loss").max() < 100 * trainer.history.train_loss[0]
