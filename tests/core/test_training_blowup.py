"""A loss that stops being finite pauses training and is explained from the numbers."""

import numpy as np

from graphviz_dl import datasets
from graphviz_dl.training import Trainer, TrainingConfig


def test_too_large_a_learning_rate_is_named_with_the_curvature():
    data = datasets.line(60, seed=0)
    config = TrainingConfig(
        hidden=(8,), optimizer="sgd", hyper={"lr": 3.0}, batch_size=None
    )
    trainer = Trainer(data, config)
    trainer.train(300)
    stop = trainer.stop
    assert stop is not None and stop.kind == "blowup"
    blowup = stop.blowup
    assert blowup.kinds[0] == "learning_rate"
    assert {"exploding_weights", "exploding_activations"} <= set(blowup.kinds)
    assert 3.0 * blowup.curvature > 2.0  # past gradient descent's stability limit
    assert "too large for the curvature" in stop.message
    assert "nan" not in stop.message.split("became")[1]  # the causes carry numbers
    assert np.isfinite(trainer.weights).all()  # paused at the last finite weights
    step = trainer.step
    trainer.step_batch()
    assert trainer.step == step


def test_the_same_run_with_a_small_learning_rate_does_not_blow_up():
    data = datasets.line(60, seed=0)
    config = TrainingConfig(
        hidden=(8,), optimizer="sgd", hyper={"lr": 0.3}, batch_size=None
    )
    trainer = Trainer(data, config)
    trainer.train(100)
    assert trainer.stop is None


def test_log_of_zero_in_plain_bce_is_explained():
    data = datasets.moons(100, seed=0)
    config = TrainingConfig(
        hidden=(8,),
        activation="relu",
        loss="bce",
        optimizer="sgd",
        hyper={"lr": 50.0},
        batch_size=None,
    )
    trainer = Trainer(data, config)
    trainer.train(50)
    blowup = trainer.stop.blowup
    assert "log_zero" in blowup.kinds
    assert "log 0" in trainer.stop.message and "bce_with_logits" in blowup.advice
    z = trainer.predict(trainer.X).outputs[:, 0]
    assert np.abs(z).max() > 36  # σ(z) really rounds to 0 or 1 there


def test_the_stable_loss_does_not_take_log_zero():
    data = datasets.moons(100, seed=0)
    config = TrainingConfig(
        hidden=(8,),
        activation="relu",
        optimizer="sgd",
        hyper={"lr": 50.0},
        batch_size=None,
    )
    trainer = Trainer(data, config)
    trainer.train(50)
    assert trainer.stop is None or "log_zero" not in trainer.stop.blowup.kinds
