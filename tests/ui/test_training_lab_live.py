"""Training lab: a learning rate changed mid-run reaches the running network."""

from __future__ import annotations

import re

import numpy as np
import pytest
from PySide6.QtCore import Qt


@pytest.fixture
def lab(training_lab):
    """The training lab at 1280×800 on its own settings file."""
    return training_lab


def _shown_step(lab) -> int:
    return int(re.search(r"step (\d+)", lab.run_status.text()).group(1))


def test_changing_lr_mid_run_goes_on_from_the_same_step_and_weights(lab, qtbot):
    model = lab.model
    lab.train_epochs(3)
    step, trainer = model.trainer.step, model.trainer
    assert _shown_step(lab) == step > 0
    before = model.frame.weights.copy()
    lab.learning_rate.setValue(0.3)
    qtbot.waitUntil(lambda: len(model.frame.changes) == 1, timeout=5000)
    assert model.trainer is trainer and model.kept == ()
    assert _shown_step(lab) == step
    np.testing.assert_array_equal(model.frame.weights, before)
    assert "from step" in lab.status.text() and "goes on" in lab.status.text()
    # one more step: the counter goes on, the weights move from where they were
    qtbot.mouseClick(lab.step_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: model.frame.step == step + 1, timeout=5000)
    assert _shown_step(lab) == step + 1
    assert trainer.optimizer.lr == pytest.approx(0.3)
    moved = model.frame.weights - before
    assert 0 < np.abs(moved).max() < 1.0
    # the timeline marks the moment, with what changed
    marks = lab.timeline.marks
    assert [c.text for c in marks.changes] == ["lr 0.03 → 0.3"]
    assert marks.tooltip_at(marks.mark_x(0)) == f"step {step}: lr 0.03 → 0.3"
    assert marks.tooltip_at(marks.mark_x(0) + 40) == ""
    # and so do the curves: a dashed line at its epoch, labelled on the loss plot
    shown = [line for line in lab.curves.change_lines if line.isVisible()]
    assert len(shown) == 2
    assert all(
        line.value() == pytest.approx(step / trainer.steps_per_epoch) for line in shown
    )
    assert shown[0].label.format == "lr 0.03 → 0.3" and shown[1].label.format == ""
    # undo is another live change back
    lab.undo_stack.undo()
    qtbot.waitUntil(lambda: len(model.frame.changes) == 2, timeout=5000)
    assert model.trainer is trainer and model.config.lr == pytest.approx(0.03)


def test_a_new_activation_starts_a_new_run_and_keeps_the_old(lab, qtbot):
    model = lab.model
    lab.train_epochs(2)
    index = lab.activation.findData("relu")
    lab.activation.setCurrentIndex(index)
    lab.activation.activated.emit(index)
    assert model.trainer.step == 0 and len(model.kept) == 1
    assert len(lab.curves.kept_curves) == 1
    assert "kept for comparison" in lab.status.text()


def test_changing_lr_while_playing_never_resets_the_run(lab, qtbot):
    model = lab.model
    shown = []
    model.frameShown.connect(lambda: shown.append(model.frame.step))
    qtbot.mouseClick(lab.play, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: model.frame.step >= 20, timeout=10000)
    trainer = model.trainer
    lab.learning_rate.setValue(0.1)
    qtbot.waitUntil(lambda: len(model.frame.changes) == 1, timeout=10000)
    at = model.frame.changes[0].step
    qtbot.waitUntil(lambda: model.frame.step >= at + 20, timeout=10000)
    qtbot.mouseClick(lab.play, Qt.MouseButton.LeftButton)
    assert not model.playing
    assert model.trainer is trainer and at >= 20
    assert shown == sorted(shown)  # the step on screen only ever went up
    assert model.trainer.steps.as_dict()["lr"][-1] == pytest.approx(0.1)
