"""The training lab's model without Qt: jobs through a hand-run queue."""

from __future__ import annotations

import numpy as np
import pytest

from graphviz_dl.labs.training import DataSpec, SerialQueue, TrainingModel
from graphviz_dl.training import TrainingConfig


@pytest.fixture
def queue() -> SerialQueue:
    return SerialQueue()


@pytest.fixture
def model(queue) -> TrainingModel:
    return TrainingModel(DataSpec("moons", n_points=80), runner=queue)


def _record(signal) -> list:
    seen: list = []
    signal.connect(lambda *args: seen.append(args))
    return seen


def test_playing_is_a_chain_of_slices_each_showing_a_frame(model, queue):
    frames = _record(model.frameShown)
    playing = _record(model.playingChanged)
    model.set_playing(True)
    assert playing == [(True,)] and queue.pending == 1
    for _ in range(5):
        assert queue.run_next()
    assert len(frames) == 5 and queue.pending == 1  # the next slice waits
    assert model.frame.step == model.trainer.step > 0
    model.set_playing(False)
    queue.wait()
    assert playing == [(True,), (False,)]
    step = model.trainer.step
    assert not queue.busy and not model.busy
    queue.wait()
    assert model.trainer.step == step  # paused: nothing trains


def test_a_step_is_one_job_then_a_frame(model, queue):
    model.step_batch()
    assert model.frame.step == 0  # not run yet
    queue.wait()
    assert model.frame.step == model.trainer.step == 1
    model.step_epoch()
    queue.wait()
    assert model.frame.epoch == 1


def test_reset_cancels_the_old_runs_jobs_and_drops_its_frames(model, queue):
    model.step_epoch()
    old = model.trainer
    generation = model.generation
    model.reset()
    assert model.generation == generation + 1
    assert queue.pending == 0  # the queued epoch was cancelled
    queue.wait()
    assert old.step == 0 and model.trainer is not old
    assert model.frame.step == 0


def test_a_late_frame_of_an_old_run_is_not_shown(model, queue):
    """A job already running when the run is replaced delivers a stale frame."""
    model.step_batch()
    job, work, done, _ = queue._queue.popleft()
    result = work(job)
    model.reset()
    frames = _record(model.frameShown)
    done(result)
    assert frames == [] and model.frame.step == 0


def test_a_new_shape_starts_a_new_run_and_emits_once(model):
    changed = _record(model.configChanged)
    resets = _record(model.runReset)
    config = model.config.with_changes(activation="relu")
    model.set_config(config)
    model.set_config(config)  # the same again: nothing happens
    assert len(changed) == 1 and len(resets) == 1
    assert model.trainer.config.activation == "relu"
    with pytest.raises(ValueError, match="parameters"):
        model.set_config(model.config.with_changes(hidden=(256, 256, 256)))


def test_rewinding_to_a_snapshot_and_continuing(model, queue):
    model.train_epochs(3)
    snapshot = model.trainer.snapshots[1]
    model.view_snapshot(1)
    assert model.viewed == 1
    np.testing.assert_array_equal(model.frame.weights, snapshot.weights)
    model.continue_from_view()
    queue.wait()
    assert model.viewed is None and model.trainer.step == snapshot.step
    np.testing.assert_array_equal(model.frame.weights, snapshot.weights)


def test_edited_points_reach_the_running_trainer(model, queue):
    data = model.dataset.copy()
    data.add_point([0.5, 0.5], 1)
    model.replace_points(data)
    queue.wait()
    assert model.trainer.X.shape[0] == 81 and model.trainer.step == 0


def test_kept_runs_are_labelled_and_capped(model):
    for _ in range(8):
        model.keep_run()
    assert len(model.kept) == 6
    assert model.kept[0].label.startswith("Moons: Adam lr=0.03")


def test_a_failing_job_pauses_and_says_what_went_wrong(model, queue):
    failures = _record(model.failed)

    def broken(trainer, job):
        raise RuntimeError("no more memory")

    model._submit(broken)
    queue.wait()
    assert failures == [("RuntimeError: no more memory",)]


def test_shutdown_cancels_everything(model, queue):
    model.set_playing(True)
    model.step_batch()
    model.shutdown()
    assert not model.playing and queue.pending == 0


def test_a_config_that_does_not_fit_falls_back_to_the_defaults():
    model = TrainingModel(
        DataSpec("line"), TrainingConfig(loss="hinge"), runner=SerialQueue()
    )
    assert model.config.loss == "auto"
