"""Dead ReLUs and training stuck at chance: found, explained with numbers."""

from __future__ import annotations

import re

from graphviz_dl.labs.training import DataSpec, SerialQueue, TrainingModel
from graphviz_dl.training import Trainer, TrainingConfig, health

#: Adam at lr = 1 kills most of a ReLU layer on the moons within 10 epochs.
DEAD = TrainingConfig(
    hidden=(16,), activation="relu", optimizer="adam", hyper={"lr": 1.0}
)
#: No hidden layer cannot separate two rings: it stays at chance.
LINE = TrainingConfig(hidden=(), optimizer="adam", hyper={"lr": 0.03})


def test_a_too_large_lr_kills_relus_and_says_how_many():
    trainer = Trainer(DataSpec("moons").make(), DEAD)
    assert health.dead_relu_text(trainer) == ""  # alive at the start
    trainer.train(10)
    (layer,) = health.dead_relus(trainer)
    assert layer.width == 16 and layer.dead >= 8
    text = health.advice(trainer)
    assert text.startswith(f"{layer.dead} of 16 ReLU units in layer 1 never fire")
    assert "smaller learning rate (lr = 1.0 now), leaky ReLU or He init" in text


def test_a_healthy_relu_run_says_nothing():
    config = DEAD.with_changes(lr=0.01)
    trainer = Trainer(DataSpec("moons").make(), config)
    trainer.train(25)
    assert health.advice(trainer) == ""


def test_a_straight_boundary_on_circles_stays_at_chance_and_is_told():
    trainer = Trainer(DataSpec("circles").make(), LINE)
    trainer.train(health.CHANCE_EPOCHS - 1)
    assert health.chance_text(trainer) == ""  # too early to say
    trainer.train(1)
    text = health.advice(trainer)
    prior = 100 * health.chance_accuracy(trainer)
    accuracy = 100 * trainer.history.last("train_accuracy")
    assert text.startswith(f"Still at chance after {health.CHANCE_EPOCHS} epochs")
    numbers = [float(n) for n in re.findall(r"(\d+(?:\.\d+)?) %", text)]
    assert numbers == [round(accuracy, 1), round(prior, 1)]
    assert "features such as x₀², x₁²" in text


def test_features_lift_the_same_network_off_chance():
    config = LINE.with_changes(features=("x0^2", "x1^2"))
    trainer = Trainer(DataSpec("circles").make(), config)
    trainer.train(health.CHANCE_EPOCHS)
    assert health.advice(trainer) == ""


def test_the_lab_model_shows_the_advice_as_its_message():
    queue = SerialQueue()
    model = TrainingModel(DataSpec("moons"), DEAD, runner=queue)
    messages = []
    model.messageChanged.connect(messages.append)
    model.train_epochs(10)
    assert "ReLU units in layer 1 never fire" in model.message
    assert len(messages) == 1
