"""Training lab: feature inputs chosen with check boxes in the model form."""

from __future__ import annotations

import pytest


@pytest.fixture
def lab(training_lab):
    """The training lab at 1280×800 on its own settings file."""
    return training_lab


def test_squared_inputs_learn_circles_without_a_hidden_layer(lab):
    model = lab.model
    boxes = lab.panel.model_box.feature_boxes
    lab.select_dataset("circles")
    assert boxes["x0"].isChecked() and boxes["x1"].isChecked()
    assert not boxes["x0^2"].isChecked()
    lab.hidden.setText("")
    lab.hidden.editingFinished.emit()
    for name, on in (("x0^2", True), ("x1^2", True), ("x0", False), ("x1", False)):
        boxes[name].setChecked(on)
    assert model.config.features == ("x0^2", "x1^2")
    assert model.trainer.network.sizes == [2, 1]
    assert "features changed" in lab.status.text()
    names = [item.toolTip() for item in lab.diagram.units[0]]
    assert names == ["x₀²", "x₁²"]
    lab.train_epochs(40)
    assert model.trainer.history.last("test_accuracy") >= 0.95
    # the feature clicks are one undo step back to the raw inputs
    lab.undo_stack.undo()
    assert model.config.features == ()
    assert boxes["x0"].isChecked() and not boxes["x0^2"].isChecked()


def test_a_one_input_set_offers_only_features_of_x0(lab):
    lab.select_dataset("line")
    boxes = lab.panel.model_box.feature_boxes
    assert boxes["x0"].isChecked() and boxes["x0"].isEnabled()
    assert not boxes["x1"].isEnabled() and not boxes["sin_x1"].isEnabled()
    boxes["sin_x0"].setChecked(True)
    assert lab.model.config.features == ("x0", "sin_x0")
    assert lab.model.trainer.network.sizes[0] == 2
