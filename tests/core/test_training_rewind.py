"""Snapshots and rewinding: going back and training again repeats the run exactly."""

import numpy as np
import pytest

from graphviz_dl import datasets
from graphviz_dl.training import Trainer, TrainingConfig

DATA = datasets.moons(40, seed=0)


@pytest.mark.parametrize(
    "settings",
    [
        {"optimizer": "adam"},
        {
            "optimizer": "momentum",
            "hyper": {"lr": 0.05, "momentum": 0.9},
            "dropout": 0.3,
        },
        {"optimizer": "rmsprop", "schedule": "cosine:T_max=3", "batch_size": 7},
    ],
)
def test_restoring_a_snapshot_and_training_again_repeats_the_run(settings):
    config = TrainingConfig(
        **{"hidden": (5,), "snapshot_every": 4, "batch_size": 8, **settings}
    )
    trainer = Trainer(DATA, config)
    for _ in range(30):
        trainer.step_batch()
    weights, history, steps = (
        trainer.weights,
        trainer.history.as_dict(),
        trainer.steps.as_dict(),
    )
    lr = trainer.optimizer.lr

    index = trainer.snapshot_index(13)
    snap = trainer.snapshots[index]
    assert snap.step == 12
    trainer.restore(index)
    assert trainer.step == 12 and len(trainer.snapshots) == index + 1
    np.testing.assert_array_equal(trainer.weights, snap.weights)
    assert len(trainer.steps) == 12

    for _ in range(18):
        trainer.step_batch()
    np.testing.assert_array_equal(trainer.weights, weights)
    assert trainer.optimizer.lr == lr
    for name, column in history.items():
        np.testing.assert_array_equal(trainer.history.column(name), column)
    for name, column in steps.items():
        np.testing.assert_array_equal(trainer.steps.column(name), column)


def test_snapshots_every_k_steps_start_at_step_zero():
    trainer = Trainer(DATA, TrainingConfig(snapshot_every=3, batch_size=4))
    for _ in range(10):
        trainer.step_batch()
    assert [s.step for s in trainer.snapshots] == [0, 3, 6, 9]
    first = trainer.snapshots[0]
    assert first.epoch == 0 and first.epoch_rows == 1 and first.step_rows == 0


def test_too_many_snapshots_thin_out_and_the_interval_doubles():
    trainer = Trainer(
        DATA, TrainingConfig(snapshot_every=1, max_snapshots=4, batch_size=4)
    )
    for _ in range(20):
        trainer.step_batch()
    steps = [s.step for s in trainer.snapshots]
    assert len(steps) <= 5 and steps[0] == 0
    gaps = np.diff(steps)
    assert (gaps == gaps[0]).all() and gaps[0] >= 4


def test_restoring_undoes_a_stop_and_the_snapshot_keeps_earlier_weights():
    data = datasets.line(40, seed=0)
    config = TrainingConfig(
        hidden=(8,),
        optimizer="sgd",
        hyper={"lr": 3.0},
        batch_size=None,
        snapshot_every=2,
    )
    trainer = Trainer(data, config)
    trainer.train(200)
    assert trainer.stop is not None and trainer.stop.kind == "blowup"
    trainer.restore(1)
    assert trainer.stop is None and trainer.step == 2
    np.testing.assert_array_equal(trainer.weights, trainer.snapshots[1].weights)
    trainer.set_learning_rate(0.05)
    trainer.train(20)
    assert trainer.stop is None and np.isfinite(trainer.history.train_loss).all()
