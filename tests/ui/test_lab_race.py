"""Optimizer lab: racing — start point, play, live hyperparameters, divergence."""

from __future__ import annotations

import numpy as np
import pyqtgraph as pg
import pytest
from PySide6.QtCore import Qt

from graphviz_dl.numfmt import format_number
from graphviz_dl.race import Race, RunConfig
from graphviz_dl.surfaces import get_surface


@pytest.fixture
def lab(open_lab):
    return open_lab(1100, 700)


def _points(curve) -> int:
    x = curve.getData()[0]
    return 0 if x is None else len(x)


def _click_at(view, qtbot, x, y):
    vb = view.plot.getViewBox()
    scene_pos = vb.mapViewToScene(pg.Point(x, y))
    widget_pos = view.mapFromScene(scene_pos)
    qtbot.mouseClick(view.viewport(), Qt.MouseButton.LeftButton, pos=widget_pos)


def test_clicking_the_surface_moves_the_start_and_restarts_every_run(lab, qtbot, race):
    model = race("rosenbrock", (("sgd", {"lr": 1e-3}), ("adam", {"lr": 0.05})))
    lab.advance(5)
    assert all(run.steps == 5 for _, _, run in model.active())
    _click_at(lab.surface_view, qtbot, 0.5, 1.5)
    x, y = model.start
    assert x == pytest.approx(0.5, abs=0.05) and y == pytest.approx(1.5, abs=0.05)
    for _, _, run in model.active():
        assert run.steps == 0
        assert tuple(run.positions[0]) == (x, y)
    marker = lab.surface_view.start_marker.pos()
    assert (marker.x(), marker.y()) == (x, y)
    lab.undo_stack.undo()
    assert model.start == tuple(get_surface("rosenbrock").start)


def test_dragging_the_start_marker_restarts_from_there(lab, qtbot, race):
    model = race("rosenbrock", (("momentum", {"lr": 1e-3}),))
    lab.advance(3)
    marker = lab.surface_view.start_marker
    marker.moving = True  # what a drag in progress looks like to the view
    marker.setPos(pg.Point(0.0, 0.5))
    marker.setPos(pg.Point(0.2, 0.6))
    marker.moving = False
    marker.sigPositionChangeFinished.emit(marker)
    assert model.start == (0.2, 0.6)
    assert model.run(0).steps == 0
    assert lab.undo_stack.count() == 1  # one drag, one undo step


def test_playing_grows_every_enabled_path_and_the_loss_plot(lab, qtbot, race):
    racers = (("sgd", {"lr": 1e-3}), ("momentum", {"lr": 1e-3}), ("adam", {"lr": 0.05}))
    model = race("rosenbrock", racers)
    model.set_speed(200)
    qtbot.mouseClick(lab.play, Qt.MouseButton.LeftButton)
    assert model.playing and lab.timer.isActive()
    qtbot.waitUntil(lambda: model.steps >= 6, timeout=5000)
    qtbot.mouseClick(lab.play, Qt.MouseButton.LeftButton)
    assert not model.playing
    steps = model.steps
    for i, _, run in model.active():
        assert run.steps == steps
        x, y = lab.surface_view.drawn_path(i)
        drawn = np.column_stack([x, y])
        # the whole path, thinned to one point per pixel once it is long enough
        assert 2 <= len(drawn) <= steps + 1
        np.testing.assert_array_equal(drawn[0], run.positions[0])
        np.testing.assert_array_equal(drawn[-1], run.positions[-1])
        assert all((run.positions == point).all(axis=1).any() for point in drawn)
        steps_shown, losses_shown = lab.loss_plot.curve_data(i)
        np.testing.assert_array_equal(steps_shown, np.arange(steps + 1))
        np.testing.assert_allclose(losses_shown, run.losses - lab.loss_plot.offset)
        drawn_steps, drawn_log = lab.loss_plot.trails[i].data()
        assert drawn_steps[0] == 0 and drawn_steps[-1] == steps
        expected = np.log10(run.losses - lab.loss_plot.offset)
        np.testing.assert_allclose(drawn_log, expected[drawn_steps.astype(int)])
    assert lab.step_count.text() == f"step {steps}"


def test_space_toggles_play(lab, qtbot):
    lab.activateWindow()
    lab.surface_view.setFocus()
    qtbot.keyClick(lab.surface_view, Qt.Key.Key_Space)
    assert lab.model.playing
    qtbot.keyClick(lab.surface_view, Qt.Key.Key_Space)
    assert not lab.model.playing


def test_step_and_reset_buttons(lab, qtbot, race):
    model = race("beale", (("adam", {"lr": 0.01}),))
    qtbot.mouseClick(lab.step_button, Qt.MouseButton.LeftButton)
    qtbot.mouseClick(lab.step_button, Qt.MouseButton.LeftButton)
    assert model.run(0).steps == 2
    qtbot.mouseClick(lab.reset_button, Qt.MouseButton.LeftButton)
    assert model.run(0).steps == 0 and model.steps == 0
    assert len(lab.surface_view.drawn_path(0)[0]) == 1


def test_changing_adams_lr_mid_run_is_used_from_the_next_step(lab, qtbot, race):
    model = race("rosenbrock", (("adam", {"lr": 0.01}), ("sgd", {"lr": 1e-3})))
    lab.advance(20)
    row = lab.optimizer_list.row("Adam")
    field = row.fields["lr"]
    field.setText("0.1")
    field.editingFinished.emit()
    assert model.configs[0].hyper["lr"] == 0.1
    lab.advance(30)

    surface = get_surface("rosenbrock")
    reference = Race(
        surface,
        surface.start,
        [RunConfig("adam", dict(model.configs[0].hyper) | {"lr": 0.01})],
    )
    run = reference.runs[0]
    run.step(20)
    run.set_hyper("lr", 0.1)
    run.step(30)
    np.testing.assert_array_equal(model.run(0).positions, run.positions)
    assert model.run(0).lrs[-1] == 0.1
    # the slider followed the field
    assert row.slider.to_value(row.slider.value()) == pytest.approx(0.1, rel=0.02)
    # undo brings the old rate back for the steps that follow
    lab.undo_stack.undo()
    assert model.configs[0].hyper["lr"] == 0.01
    lab.advance(1)
    assert model.run(0).lrs[-1] == 0.01


def test_dragging_the_lr_slider_is_one_undo_step(lab, qtbot, race):
    model = race("rosenbrock", (("momentum", {"lr": 1e-3}),))
    slider = lab.optimizer_list.row("Momentum").slider
    slider.sliderPressed.emit()
    for position in (slider.value() + 50, slider.value() + 100, slider.value() + 150):
        slider.setValue(position)
    slider.sliderReleased.emit()
    assert model.configs[0].hyper["lr"] == pytest.approx(
        slider.to_value(slider.value()), rel=1e-3
    )
    assert model.run(0).config.label == "Momentum"
    assert lab.undo_stack.count() == 1
    lab.undo_stack.undo()
    assert model.configs[0].hyper["lr"] == 1e-3


def test_too_large_a_learning_rate_diverges_with_the_cores_reason(lab, qtbot, race):
    model = race("rosenbrock", (("sgd", {"lr": 10.0}), ("adam", {"lr": 0.01})))
    lab.advance(50)
    blown = model.run(0)
    assert blown.diverged_at is not None
    assert blown.reason
    row = lab.optimizer_list.row("SGD")
    assert row.status.text() == f"✕ stopped at step {blown.diverged_at}"
    assert row.status.toolTip() == blown.reason
    assert lab.surface_view.diverged.getData()[0].size == 1
    notes = lab.surface_view.notes
    assert notes.isVisible() and blown.reason in notes.textItem.toPlainText()
    assert "lr·curvature" in blown.reason
    # the other run carries on, and the app keeps drawing
    assert model.run(1).steps == 50
    lab.advance(5)
    assert model.run(1).steps == 55
    lab.grab()


def test_hover_shows_step_position_loss_gradient_and_internals(lab, qtbot, race):
    model = race("rosenbrock", (("adam", {"lr": 0.05}),))
    lab.advance(10)
    run = model.run(0)
    x, y = run.positions[4]
    text = lab.surface_view.hover_at(x, y)
    assert "Adam</b> · step 4" in text
    assert f"(x, y) = ({format_number(x, 4)}, {format_number(y, 4)})" in text
    assert f"f = {format_number(run.losses[4])}" in text
    gx, gy = run.grads[4]
    assert f"∇f = ({format_number(gx, 4)}, {format_number(gy, 4)})" in text
    m = run.states[4]["m"]
    assert f"m = ({format_number(m[0], 4)}, {format_number(m[1], 4)})" in text
    assert "v = (" in text and "lr = 0.05" in text
    assert lab.surface_view.hover.isVisible()
    far = lab.surface_view.hover_at(1e6, 1e6)
    assert far == "" and not lab.surface_view.hover.isVisible()


def test_arrows_toggle_draws_step_and_gradient_at_each_head(lab, qtbot, race):
    model = race("beale", (("momentum", {"lr": 1e-3}), ("adam", {"lr": 0.05})))
    lab.advance(10)
    items = lab.surface_view._items
    assert all(_points(i.step_arrow) == 0 for i in items)
    lab.arrows.setChecked(True)
    for i, _, run in model.active():
        x, y = items[i].grad_arrow.getData()
        head = run.positions[-1]
        assert (x[0], y[0]) == tuple(head)
        # the gradient arrow points downhill: along −∇f
        g = run.grads[-1]
        assert np.dot([x[1] - x[0], y[1] - y[0]], -g) > 0
        sx, sy = items[i].step_arrow.getData()
        step = run.positions[-1] - run.positions[-2]
        assert np.dot([sx[1] - sx[0], sy[1] - sy[0]], step) > 0
    lab.arrows.setChecked(False)
    assert all(_points(i.grad_arrow) == 0 for i in items)


def test_disabled_configurations_do_not_race_and_rejoin_in_step(lab, qtbot, race):
    model = race("beale", (("sgd", {"lr": 1e-3}), ("adam", {"lr": 0.05})))
    row = lab.optimizer_list.row("SGD")
    row.enable.click()
    assert model.run(0) is None
    lab.advance(7)
    assert lab.surface_view.drawn_path(0)[0].size == 0
    row.enable.click()
    assert model.run(0).steps == 7 == model.run(1).steps


def test_a_second_adam_races_alongside(lab, qtbot, race):
    model = race("beale", (("adam", {"lr": 0.05}),))
    actions = lab.optimizer_list.add_button.menu().actions()
    next(a for a in actions if a.data() == "adam").trigger()
    assert [c.label for c in model.configs] == ["Adam", "Adam #2"]
    assert model.configs[0].colour != model.configs[1].colour
    row = lab.optimizer_list.row("Adam #2")
    row.fields["lr"].setText("0.002")
    row.fields["lr"].editingFinished.emit()
    lab.advance(10)
    a, b = model.run(0), model.run(1)
    assert not np.array_equal(a.positions, b.positions)
    row.remove.click()
    assert len(model.configs) == 1 and len(model.race.runs) == 1
    lab.undo_stack.undo()
    assert [c.label for c in model.configs] == ["Adam", "Adam #2"]
    assert model.run(1).steps == 10


def test_bad_number_in_a_field_is_flagged_not_applied(lab, qtbot, race):
    model = race("beale", (("adam", {"lr": 0.05}),))
    row = lab.optimizer_list.row("Adam")
    for name, text in (("lr", "abc"), ("lr", "-1"), ("beta1", "1.5")):
        field = row.fields[name]
        field.setText(text)
        field.editingFinished.emit()
        assert field.property("invalid") is True
        assert field.toolTip().startswith("Not applied:")
        assert model.configs[0].hyper["lr"] == 0.05
        assert model.configs[0].hyper["beta1"] == 0.9
    assert lab.undo_stack.count() == 0
    # the slider's range is only a suggestion: the core accepts a larger rate
    field = row.fields["lr"]
    field.setText("20")
    field.editingFinished.emit()
    assert field.property("invalid") is False
    assert model.configs[0].hyper["lr"] == 20.0
    assert row.slider.value() == row.slider.maximum()
