"""Settings changed while training reach the running network at its next step."""

from __future__ import annotations

import numpy as np
import pytest

from graphviz_dl import datasets
from graphviz_dl.datasets import make_dataset
from graphviz_dl.labs.training import DataSpec, SerialQueue, TrainingModel
from graphviz_dl.training import Trainer, TrainingConfig
from graphviz_dl.training.live import differences, needs_new_run

CONFIG = TrainingConfig(hidden=(6,), optimizer="adam", hyper={"lr": 0.03})


def _data():
    return datasets.moons(120, noise=0.1, seed=0)


def test_a_new_lr_mid_run_continues_the_weights_and_the_step_counter():
    trainer = Trainer(_data(), CONFIG)
    for _ in range(25):
        trainer.step_batch()
    before = trainer.weights.copy()
    change = trainer.apply_config(CONFIG.with_changes(lr=0.3))
    assert change is not None and change.text == "lr 0.03 → 0.3"
    assert change.step == 25 and trainer.step == 25
    np.testing.assert_array_equal(trainer.weights, before)
    trainer.step_batch()
    assert trainer.step == 26 and trainer.optimizer.lr == 0.3
    # The same as a run whose lr was set to 0.3 at step 25 by the optimizer itself.
    twin = Trainer(_data(), CONFIG)
    for _ in range(25):
        twin.step_batch()
    twin.optimizer.lr = 0.3
    twin.step_batch()
    np.testing.assert_array_equal(trainer.weights, twin.weights)


def test_rewinding_before_a_change_restores_the_old_settings():
    trainer = Trainer(_data(), CONFIG)
    for _ in range(25):
        trainer.step_batch()
    new = CONFIG.with_changes(lr=0.3, beta1=0.5, l2=1e-3, dropout=0.2, batch_size=8)
    trainer.apply_config(new)
    for _ in range(10):
        trainer.step_batch()
    assert trainer.optimizer.betas[0] == 0.5 and trainer.batch_size == 8
    trainer.restore(trainer.snapshot_index(20))
    assert trainer.step == 20 and trainer.changes == []
    assert trainer.config == CONFIG
    assert trainer.optimizer.lr == 0.03 and trainer.optimizer.betas[0] == 0.9
    assert trainer.batch_size == 16
    # and the run then repeats the first run's steps exactly
    plain = Trainer(_data(), CONFIG)
    for _ in range(30):
        plain.step_batch()
    for _ in range(10):
        trainer.step_batch()
    np.testing.assert_array_equal(trainer.weights, plain.weights)


def test_rewinding_after_a_change_keeps_it():
    trainer = Trainer(_data(), CONFIG)
    for _ in range(5):
        trainer.step_batch()
    trainer.apply_config(CONFIG.with_changes(lr=0.1))
    for _ in range(20):
        trainer.step_batch()
    trainer.restore(trainer.snapshot_index(20))
    assert trainer.optimizer.lr == 0.1 and len(trainer.changes) == 1


def test_set_hyper_is_a_recorded_live_change():
    trainer = Trainer(_data(), CONFIG)
    trainer.step_batch()
    trainer.set_hyper("beta2", 0.99)
    assert trainer.optimizer.betas == (0.9, 0.99)
    assert trainer.config.hyper_dict["beta2"] == 0.99
    assert trainer.changes[-1].text == "beta2 0.999 → 0.99"
    with pytest.raises(ValueError):
        trainer.set_hyper("beta2", 1.5)
    assert trainer.optimizer.betas == (0.9, 0.99)


def test_dropout_turned_on_mid_run_trains():
    trainer = Trainer(_data(), CONFIG)
    trainer.step_batch()
    trainer.apply_config(CONFIG.with_changes(dropout=0.3))
    trainer.train(3)
    assert trainer.stop is None and np.isfinite(trainer.weights).all()


def test_a_new_optimizer_or_schedule_is_live_and_a_new_shape_is_not():
    trainer = Trainer(_data(), CONFIG)
    trainer.step_batch()
    sgd = CONFIG.with_changes(optimizer="momentum", hyper={"lr": 0.1})
    assert not needs_new_run(CONFIG, sgd)
    trainer.apply_config(sgd.with_changes(schedule="exponential:gamma=0.9"))
    trainer.step_epoch()
    assert trainer.step > 1 and trainer.optimizer.lr == pytest.approx(0.09)
    for changed in ({"hidden": (3,)}, {"activation": "relu"}, {"init": "he"}):
        assert needs_new_run(CONFIG, CONFIG.with_changes(**changed))
        with pytest.raises(ValueError, match="new run"):
            trainer.apply_config(trainer.config.with_changes(**changed))
    assert differences(CONFIG, CONFIG) == ()


def test_the_lab_changes_lr_live_and_keeps_a_replaced_run():
    queue = SerialQueue()
    model = TrainingModel(DataSpec("moons", n_points=80), CONFIG, runner=queue)
    resets = []
    model.runReset.connect(lambda: resets.append(1))
    model.train_epochs(2)
    step, trainer = model.trainer.step, model.trainer
    model.set_config(model.config.with_changes(lr=0.3))
    queue.wait()
    assert model.trainer is trainer and resets == [] and trainer.step == step
    assert [c.text for c in model.frame.changes] == ["lr 0.03 → 0.3"]
    model.step_batch()
    queue.wait()
    assert model.frame.step == step + 1 and model.kept == ()
    model.set_config(model.config.with_changes(hidden=(4,)))
    assert resets == [1] and len(model.kept) == 1 and model.trainer.step == 0


def test_continuing_from_before_a_change_shows_the_old_settings():
    queue = SerialQueue()
    model = TrainingModel(DataSpec("moons", n_points=80), CONFIG, runner=queue)
    model.train_epochs(2)
    model.set_config(model.config.with_changes(lr=0.3))
    model.train_epochs(1)
    model.view_snapshot(0)  # step 0, before the change at step 8
    model.continue_from_view()
    queue.wait()
    assert model.config.lr == 0.03 and model.trainer.optimizer.lr == 0.03


def test_a_change_before_the_first_step_is_the_run_s_start():
    trainer = Trainer(_data(), CONFIG)
    assert trainer.apply_config(CONFIG.with_changes(lr=0.3)) is None
    assert trainer.changes == [] and trainer.history.last("lr") == 0.3
    trainer.step_batch()
    trainer.restore(0)
    assert trainer.optimizer.lr == 0.3 and trainer.config.lr == 0.3


def test_a_blown_up_run_goes_on_after_a_smaller_lr():
    config = CONFIG.with_changes(optimizer="sgd", hyper={"lr": 10.0})
    config = config.with_changes(activation="relu")
    trainer = Trainer(make_dataset("line", n_points=60), config)
    trainer.train(20)
    assert trainer.stop is not None and trainer.stop.kind == "blowup"
    step = trainer.step
    trainer.apply_config(config.with_changes(lr=1e-3))
    assert trainer.stop is None
    trainer.train(2)
    assert trainer.step > step and trainer.stop is None
