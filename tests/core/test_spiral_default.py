"""The spiral, chosen from the menu with its suggested settings, is learnt in
30 epochs; the settings of the other sets come back when one leaves it."""

from __future__ import annotations

import pytest

from graphviz_dl.labs.training import DataSpec
from graphviz_dl.labs.training.runs import SUGGESTED, fitted_config, suggested_config
from graphviz_dl.training import TrainingConfig
from graphviz_dl.training.trainer import Trainer


def _test_accuracy(config: TrainingConfig, epochs: int = 30, data_seed: int = 0):
    data = DataSpec("spiral", seed=data_seed).make()
    trainer = Trainer(data, fitted_config(config, data))
    for _ in range(epochs):
        trainer.step_epoch()
    return trainer.history.last("test_accuracy")


@pytest.mark.parametrize(("data_seed", "seed"), [(0, 0), (1, 2), (3, 1)])
def test_the_spiral_is_learnt_in_30_epochs_with_its_suggested_settings(data_seed, seed):
    config = suggested_config(TrainingConfig(seed=seed), "moons", "spiral")
    assert _test_accuracy(config, data_seed=data_seed) >= 0.9


def test_raw_inputs_alone_sit_on_a_plateau_for_30_epochs():
    """Why the suggestion gives x₀², x₁², x₀x₁: without them the same network
    (same init) stays far from the spiral in the same time."""
    config = suggested_config(TrainingConfig(), "moons", "spiral")
    assert _test_accuracy(config.with_changes(features=())) < 0.85


def test_leaving_the_spiral_puts_back_what_only_it_had_changed():
    config = suggested_config(TrainingConfig(l2=0.001), "moons", "spiral")
    assert config.features == SUGGESTED["spiral"]["features"] and config.l2 == 0.001
    moons = suggested_config(config, "spiral", "moons")
    assert (moons.hidden, moons.init, moons.features) == ((8, 8), "xavier", ())
    assert moons.l2 == 0.001  # what the person set stays
    circles = suggested_config(config, "spiral", "circles")
    assert circles.hidden == SUGGESTED["circles"]["hidden"]
