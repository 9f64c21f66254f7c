"""Training lab: live training, pause, rewind, blow-ups, settings and undo."""

from __future__ import annotations

import json
import threading

import numpy as np
import pyqtgraph as pg
import pytest
from PySide6.QtCore import QSettings, Qt
from PySide6.QtWidgets import QApplication

from graphviz_dl.labs.training.frames import boundary_rgba
from graphviz_dl.training import probe
from ui.training_lab.lab import TrainingLab


def _make_lab(qtbot, path) -> TrainingLab:
    pg.setConfigOptions(imageAxisOrder="row-major")
    settings = QSettings(str(path), QSettings.Format.IniFormat)
    lab = TrainingLab(settings=settings)
    qtbot.addWidget(lab)
    lab.resize(1280, 800)
    lab.show()
    qtbot.waitExposed(lab)
    return lab


@pytest.fixture
def lab(qtbot, tmp_path):
    widget = _make_lab(qtbot, tmp_path / "training.ini")
    yield widget
    widget.model.shutdown()


def _choose(combo, data) -> None:
    """Pick an entry of a combo box as a person would (activated fires)."""
    index = combo.findData(data)
    assert index >= 0, data
    combo.setCurrentIndex(index)
    combo.activated.emit(index)


def test_playing_grows_the_curves_and_redraws_the_boundary(lab, qtbot):
    model = lab.model
    before_image = lab.boundary_view.image_data()
    before_epochs = len(lab.curves.train_curve()[0])
    redraws = lab.boundary_view.redraws
    qtbot.mouseClick(lab.play, Qt.MouseButton.LeftButton)
    assert model.playing and lab.play.text().endswith("Pause")
    qtbot.waitUntil(
        lambda: model.frame.epoch >= 3 and lab.boundary_view.redraws > redraws + 2,
        timeout=10000,
    )
    qtbot.mouseClick(lab.play, Qt.MouseButton.LeftButton)
    assert not model.playing
    model.wait_idle(5)
    lab.curves._update_curves()
    assert len(lab.curves.train_curve()[0]) > before_epochs
    assert not np.array_equal(lab.boundary_view.image_data(), before_image)
    # the image is the colouring of the boundary at the weights shown
    boundary = probe.boundary(model.trainer, 100, params=model.frame.weights)
    assert np.array_equal(lab.boundary_view.image_data(), boundary_rgba(boundary))


def test_paused_nothing_changes(lab, qtbot):
    model = lab.model
    model.set_playing(True)
    qtbot.waitUntil(lambda: model.frame.step >= 30, timeout=10000)
    model.set_playing(False)
    model.wait_idle(5)
    step, weights = model.trainer.step, model.trainer.weights.copy()
    image = lab.boundary_view.image_data()
    rows = len(model.trainer.steps)
    for _ in range(20):
        QApplication.processEvents()
    assert not model.busy
    assert model.trainer.step == step == model.frame.step
    assert np.array_equal(model.trainer.weights, weights)
    assert np.array_equal(lab.boundary_view.image_data(), image)
    assert len(model.trainer.steps) == rows


def test_step_buttons_take_one_batch_and_one_epoch(lab, qtbot):
    model = lab.model
    qtbot.mouseClick(lab.step_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: model.frame.step == 1, timeout=5000)
    qtbot.mouseClick(lab.epoch_button, Qt.MouseButton.LeftButton)
    per_epoch = model.trainer.steps_per_epoch
    qtbot.waitUntil(lambda: model.frame.step == per_epoch, timeout=5000)
    assert model.frame.epoch == 1
    qtbot.mouseClick(lab.reset_button, Qt.MouseButton.LeftButton)
    assert model.frame.step == 0 and model.trainer.step == 0


def test_scrubbing_the_timeline_back_restores_the_weights(lab, qtbot):
    model = lab.model
    lab.train_epochs(4)
    snapshots = model.trainer.snapshots
    assert len(snapshots) >= 3
    target = snapshots[1]
    lab.timeline.slider.setValue(1)
    assert model.viewed == 1
    assert np.array_equal(model.frame.weights, target.weights)
    assert lab.timeline.continue_button.isEnabled()
    expected = boundary_rgba(probe.boundary(model.trainer, 100, params=target.weights))
    assert np.array_equal(lab.boundary_view.image_data(), expected)
    assert lab.curves.markers[0].isVisible()
    # back to live, then rewind the run itself
    lab.timeline.slider.setValue(lab.timeline.slider.maximum())
    assert model.viewed is None
    assert not np.array_equal(model.frame.weights, target.weights)
    lab.timeline.slider.setValue(1)
    qtbot.mouseClick(lab.timeline.continue_button, Qt.MouseButton.LeftButton)
    model.wait_idle(5)
    assert model.trainer.step == target.step
    assert np.array_equal(model.trainer.weights, target.weights)
    assert np.array_equal(model.frame.weights, target.weights)


def test_a_huge_learning_rate_pauses_with_an_explanation(lab, qtbot):
    model = lab.model
    lab.select_dataset("line")
    _choose(lab.activation, "relu")
    _choose(lab.optimizer, "sgd")
    lab.learning_rate.setValue(10.0)
    assert model.config.optimizer == "sgd" and model.config.lr == 10.0
    qtbot.mouseClick(lab.play, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: lab.message.isVisible(), timeout=10000)
    assert not model.playing and not lab.play.isChecked()
    assert model.trainer.stop.kind == "blowup"
    text = lab.message.text()
    assert "learning rate" in text and "Try" in text
    assert "nan" not in lab.run_status.text()
    # the app is alive: pressing Play again explains again; Reset starts over
    lab.play.click()
    assert not model.playing and lab.message.isVisible()
    lab.reset_button.click()
    assert not lab.message.isVisible() and model.trainer.stop is None


def test_settings_changes_are_undoable_and_remembered(lab, qtbot, tmp_path):
    model = lab.model
    _choose(lab.activation, "relu")
    lab.hidden.setText("5, 3")
    lab.hidden.editingFinished.emit()
    lab.batch_size.setValue(0)
    assert model.config.activation == "relu"
    assert model.config.hidden == (5, 3)
    assert model.config.batch_size is None
    assert model.trainer.network.sizes == [2, 5, 3, 1]
    lab.undo_stack.undo()
    assert model.config.batch_size == 16
    lab.undo_stack.undo()
    assert model.config.hidden == (8, 8) and lab.hidden.text() == "8, 8"
    lab.undo_stack.redo()
    lab.hidden.setText("3, x")
    lab.hidden.editingFinished.emit()
    assert lab.config_error.isVisible() and model.config.hidden == (5, 3)
    lab.save_settings()
    again = _make_lab(qtbot, tmp_path / "training.ini")
    try:
        assert again.model.config == model.config
        assert again.hidden.text() == "5, 3"
    finally:
        again.model.shutdown()


def test_clicking_the_plane_adds_a_point_and_undo_removes_it(lab, qtbot):
    model = lab.model
    n = model.dataset.n_points
    x0, x1, y0, y1 = model.trainer.extent
    spot = (x0 + 0.03 * (x1 - x0), y0 + 0.03 * (y1 - y0))  # a corner, no point there
    assert lab.boundary_view.point_at(*spot) is None
    pos = lab.boundary_view.view_point(*spot)
    qtbot.mouseClick(lab.boundary_view.viewport(), Qt.MouseButton.RightButton, pos=pos)
    assert model.dataset.n_points == n + 1
    assert model.dataset.y[-1] == 1
    assert model.dataset.X[-1] == pytest.approx(spot, abs=0.05)
    model.wait_idle(5)
    assert model.trainer.X.shape[0] == n + 1  # the run goes on with the point
    lab.undo_stack.undo()
    assert model.dataset.n_points == n


def test_kept_runs_are_overlaid(lab):
    lab.train_epochs(2)
    lab.timeline.keep_button.click()
    assert len(lab.model.kept) == 1
    assert len(lab.curves.kept_curves) == 1
    x, _ = lab.curves.kept_curves[0].getData()
    assert len(x) == 3  # epochs 0, 1, 2
    lab.timeline.clear_button.click()
    assert not lab.curves.kept_curves


def test_loss_surface_here_sends_a_plane_around_the_weights(lab):
    lab.train_epochs(3)
    received = []
    lab.openSurfaceRequested.connect(received.append)
    lab.open_loss_surface("random")
    ((surface, start, path),) = received
    assert start == (0.0, 0.0)
    np.testing.assert_array_equal(path, lab.last_plane.trajectory)
    loss = lab.model.trainer.evaluate(lab.model.frame.weights)
    objective = loss.train_loss + loss.penalty
    assert surface.value(0.0, 0.0) == pytest.approx(objective, rel=1e-9)


def test_a_finite_blow_up_pauses_and_says_why_in_numbers(lab, qtbot):
    model = lab.model
    # what the training form sends when a learning rate of 1e10 is entered
    lab.panel.training_box.edited.emit({"lr": 1e10})
    assert model.config.lr == 1e10
    qtbot.mouseClick(lab.play, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: lab.message.isVisible(), timeout=10000)
    assert not model.playing and not lab.play.isChecked()
    text = lab.message.text()
    assert text.startswith("Training paused at step 1 (epoch 0)")
    assert "became 1e+10, still a number but blowing up" in text
    assert "learning rate lr = 1e+10" in text and "Try a smaller learning rate" in text
    assert lab.run_status.text().startswith("epoch 0 · step 0 · train loss 0.564")
    lab.undo_stack.undo()  # back to lr = 0.03: a new run that trains
    assert model.config.lr == 0.03 and not lab.message.isVisible()


def test_closing_while_training_cancels_and_joins_the_jobs(qtbot, tmp_path):
    lab = _make_lab(qtbot, tmp_path / "t.ini")
    model = lab.model
    lab.n_points.setValue(2000)  # a bigger run: each job takes longer
    lab.play.click()
    qtbot.waitUntil(lambda: model.frame.step > 20, timeout=10000)
    assert model.playing and model.busy
    lab.close()
    assert not model.playing and not lab.play.isChecked()
    assert not model.busy and lab.runner.wait(0)  # joined: nothing runs
    assert lab.runner.submit(lambda job: None) is None  # and nothing starts
    step = model.trainer.step
    for _ in range(10):
        QApplication.processEvents()
    assert model.trainer.step == step
    assert not any(t.name == "training" for t in threading.enumerate())


def test_an_unbounded_remembered_value_falls_back_and_is_named(qtbot, tmp_path):
    path = tmp_path / "t.ini"
    settings = QSettings(str(path), QSettings.Format.IniFormat)
    data = {"kind": "xor", "n_points": 1e8, "noise": None, "test_fraction": 0.2}
    settings.setValue("data", json.dumps({**data, "seed": 0}))
    settings.sync()
    lab = _make_lab(qtbot, path)
    try:
        assert lab.model.spec.kind == "xor" and lab.model.dataset.n_points == 200
        assert lab.n_points.value() == 200
        text = lab.status.text()
        assert text.startswith("Settings repaired: ")  # as the other labs say it
        assert "'n_points'" in text and "t.ini" in text and "using 200" in text
    finally:
        lab.shutdown()


def test_loading_a_csv_runs_as_a_job_and_says_what_it_found(qtbot, tmp_path):
    lab = _make_lab(qtbot, tmp_path / "t.ini")
    try:
        signs = tmp_path / "signs.csv"
        signs.write_text("x0,x1,y\n0,0,1\n1,1,-1\n2,0,1\n0,2,-1\n1,2,1\n")
        asked = []
        lab.files.ask = lambda question: asked.append(question) or "regression"
        assert lab.load_csv(str(signs))
        qtbot.waitUntil(lambda: lab.model.dataset.name == "signs", timeout=10000)
        text = lab.status.text()
        assert text.startswith(f"Loaded 5 points from {signs}.")
        assert "Labels learnt as numbers (regression)" in text
        assert asked[0].text.startswith("signs.csv, line 3, field 'y'")
        assert lab.model.dataset.task == "regression"
        wide = tmp_path / "wide.csv"
        wide.write_text('x0,x1,y\n0,0,0\n1,"' + "1" * 5_000_000 + '",1\n')
        lab.load_csv(str(wide))
        qtbot.waitUntil(
            lambda: "wide.csv" in lab.status.text() and "line 3" in lab.status.text(),
            timeout=10000,
        )
        assert "a field is longer than 131,072 characters" in lab.status.text()
        assert lab.model.dataset.name == "signs"  # the points stay
    finally:
        lab.shutdown()


def test_the_loss_axis_reads_when_the_loss_moves_within_a_decade(lab):
    lab.select_dataset("spiral")
    lab.train_epochs(5)
    lab.paint_now()
    plot = lab.curves.loss_plot
    low, high = plot.getViewBox().viewRange()[1]
    assert high - low < 1  # the spiral's loss stays within one decade
    major = plot.getAxis("left")._tickLevels[0]  # the ticks the axis was given
    assert len(major) >= 3 and all(label for _, label in major)


def test_before_training_the_curves_show_the_first_epoch_not_negative_ones(lab):
    lab.paint_now()
    for plot in (lab.curves.loss_plot, lab.curves.lr_plot):
        left, right = plot.getViewBox().viewRange()[0]
        assert left >= 0 and right - left >= 1
    lab.train_epochs(3)
    lab.paint_now()
    left, right = lab.curves.loss_plot.getViewBox().viewRange()[0]
    assert left >= 0 and right >= 3
