"""The training run's path on the loss surface it sends to the optimizer lab."""

from __future__ import annotations

import numpy as np
import pytest
from PySide6.QtWidgets import QApplication

from graphviz_dl.training import landscape


@pytest.fixture
def training(window, qtbot):
    lab = window.lab("training")
    assert lab is not None, "the main window has a training lab tab"
    window.select_lab("training")
    qtbot.waitUntil(lambda: lab.isVisible() and lab.boundary_view.width() > 300)
    QApplication.processEvents()
    yield lab
    lab.model.shutdown()


def _loss_surface_here(training) -> None:
    """Click "Loss surface here ▸ Two random directions" as a person would."""
    (action,) = [
        a
        for a in training.surface_button.menu().actions()
        if a.text().startswith("Two random directions")
    ]
    action.trigger()


def test_the_training_path_is_drawn_on_the_plane_and_follows_undo(
    window, training, qtbot
):
    training.train_epochs(4)
    _loss_surface_here(training)
    optimizers = window.lab("optimizers")
    assert window.tabs.currentWidget() is optimizers
    view = optimizers.surface_view
    plane = training.last_plane
    assert optimizers.model.surface.definition is plane

    # the snapshots' weights (then the run's latest), projected on the plane
    trainer = training.model.trainer
    rows = [s.weights for s in trainer.snapshots]
    if rows[-1] is not trainer.weights:
        rows.append(trainer.weights)
    expected = landscape.project(np.array(rows), plane.center, plane.d1, plane.d2)
    assert len(expected) >= 4  # several epochs: a path, not a dot
    np.testing.assert_array_equal(plane.trajectory, expected)

    drawn = view.training_path()
    np.testing.assert_array_equal(drawn, plane.trajectory)
    np.testing.assert_allclose(drawn[-1], (0.0, 0.0), atol=1e-12)  # weights shown
    assert np.ptp(drawn, axis=0).max() > 0.01  # the run moved on this plane
    for item in (view.training_line, view.training_now, view.training_label):
        assert item.isVisible()
    np.testing.assert_allclose(view.training_now.data["x"], [drawn[-1, 0]])
    assert view.training_label.textItem.toPlainText() == "training path"
    assert "training path" in [label.text for _, label in view.legend.items]
    # a race path is a separate item in its own colour
    assert all(item.path.tail is not view.training_line for item in view._items)

    # hovering a snapshot names it
    x, y = drawn[1]
    text = view.hover_at(x, y)
    assert "training path" in text and f"point 2 of {len(drawn)}" in text

    # another surface: no training path; undo brings it back, redo hides it
    chooser = optimizers.surface_chooser
    index = chooser.findData("rosenbrock")
    chooser.setCurrentIndex(index)
    chooser.activated.emit(index)
    assert optimizers.model.surface.name == "rosenbrock"
    assert len(view.training_path()) == 0
    assert not view.training_line.isVisible() and not view.training_now.isVisible()
    assert "training path" not in [label.text for _, label in view.legend.items]

    window.undo_action.trigger()
    assert optimizers.model.surface.definition is plane
    np.testing.assert_array_equal(view.training_path(), plane.trajectory)

    window.redo_action.trigger()
    assert optimizers.model.surface.name == "rosenbrock"
    assert len(view.training_path()) == 0


def test_a_surface_sent_without_a_path_shows_none(window, training):
    training.train_epochs(2)
    _loss_surface_here(training)
    optimizers = window.lab("optimizers")
    assert len(optimizers.surface_view.training_path()) > 0
    other = training.last_plane.as_surface()
    window.open_surface(other, (0.0, 0.0))  # e.g. a graph's loss: no run behind it
    assert optimizers.model.surface is other
    assert len(optimizers.surface_view.training_path()) == 0
