"""Training lab: dead ReLUs and chance level are told in the message line."""

from __future__ import annotations

import pytest

from graphviz_dl.training import health


@pytest.fixture
def lab(training_lab):
    """The training lab at 1280×800 on its own settings file."""
    return training_lab


def _choose(combo, data) -> None:
    index = combo.findData(data)
    combo.setCurrentIndex(index)
    combo.activated.emit(index)


def test_dead_relus_are_counted_in_the_message_line(lab):
    lab.select_dataset("moons")
    lab.hidden.setText("16")
    lab.hidden.editingFinished.emit()
    _choose(lab.activation, "relu")
    lab.learning_rate.setValue(1.0)
    lab.train_epochs(10)
    dead = health.dead_relus(lab.model.trainer)[0].dead
    assert lab.message.isVisible()
    assert lab.message.text().startswith(
        f"{dead} of 16 ReLU units in layer 1 never fire"
    )
    assert "leaky ReLU or He init" in lab.message.text()


def test_a_run_at_chance_says_so_with_numbers(lab):
    lab.select_dataset("circles")
    lab.hidden.setText("")
    lab.hidden.editingFinished.emit()
    lab.train_epochs(health.CHANCE_EPOCHS - 1)
    assert not lab.message.isVisible()
    lab.train_epochs(1)
    text = lab.message.text()
    assert lab.message.isVisible() and text.startswith("Still at chance after 20")
    assert "always answering the largest class gets 50.6 %" in text
    # following the advice: a new run with squared inputs leaves chance behind
    boxes = lab.panel.model_box.feature_boxes
    boxes["x0^2"].setChecked(True)
    boxes["x1^2"].setChecked(True)
    assert not lab.message.isVisible()
    lab.train_epochs(health.CHANCE_EPOCHS)
    assert not lab.message.isVisible()
