"""Optimizer lab: long races, surface knobs, pausing when hidden."""

from __future__ import annotations

import numpy as np
import pytest

import graphviz_dl.labs.optimizer.model as lab_model
from ui.optimizer_lab.loss_plot import nice_ceiling


def test_long_paths_draw_every_pixel_they_visit(lab, race):
    model = race("beale", (("momentum", {"lr": 1e-3}), ("adam", {"lr": 0.05})))
    lab.advance(600)
    sx, sy = lab.surface_view.plot.getViewBox().viewPixelSize()
    for i, _, run in model.active():
        x, y = lab.surface_view.drawn_path(i)
        pos = run.positions
        assert (x[0], y[0]) == tuple(pos[0]) and (x[-1], y[-1]) == tuple(pos[-1])
        assert len(x) < len(pos)
        # every step lies within a pixel of a drawn point
        d = np.min(
            np.abs(pos[:, None, 0] - x[None, :]) / sx
            + np.abs(pos[:, None, 1] - y[None, :]) / sy,
            axis=1,
        )
        assert d.max() <= 2.0


def test_a_race_stops_at_the_step_limit_and_says_so(lab, qtbot, monkeypatch, race):
    monkeypatch.setattr(lab_model, "MAX_STEPS", 30)
    model = race("beale", (("adam", {"lr": 0.05}),))
    model.set_speed(2000)
    with qtbot.waitSignal(model.limitReached, timeout=5000):
        model.set_playing(True)
    assert model.steps == 30 and not model.playing
    assert "stopped at step 30" in lab.status.text()
    lab.advance(5)
    assert model.run(0).steps == 30
    model.set_playing(True)
    assert not model.playing  # nothing left to play until a reset
    lab.reset_button.click()
    assert model.steps == 0


def test_surface_knob_reshapes_the_bowl_and_keeps_the_start(lab, qtbot):
    lab.select_surface("elongated-bowl")
    lab.model.set_start(-3.0, 1.0)
    field = lab.parameter_field
    assert field.isVisibleTo(lab) and lab.parameter_label.text() == "condition"
    field.setText("50")
    field.editingFinished.emit()
    surface = lab.model.surface
    assert surface.parameter_value == 50.0
    assert surface.value(0.0, 1.0) == pytest.approx(25.0)
    assert lab.model.start == (-3.0, 1.0)
    assert lab.surface_chooser.currentData() == "elongated-bowl"
    field.setText("0.5")
    field.editingFinished.emit()
    assert lab.model.surface is surface
    assert "Not applied" in field.toolTip()
    lab.select_surface("rosenbrock")
    assert not lab.parameter_field.isVisibleTo(lab)


def test_hiding_the_lab_pauses_the_race(lab, qtbot):
    lab.model.set_playing(True)
    assert lab.timer.isActive()
    lab.hide()
    assert not lab.model.playing and not lab.timer.isActive()


def test_loss_axis_moves_in_whole_steps(lab, race):
    assert [nice_ceiling(n) for n in (1, 10, 11, 20, 21, 50, 51, 999)] == [
        10,
        10,
        20,
        20,
        50,
        50,
        100,
        1000,
    ]
    model = race("quadratic-bowl", (("sgd", {"lr": 0.1}),))
    lab.advance(30)
    (x0, x1), (y0, y1) = lab.loss_plot.getPlotItem().getViewBox().viewRange()
    assert x0 <= 0 and 50 <= x1 < 55
    shown = np.log10(np.maximum(model.run(0).losses, 1e-16))
    assert y0 <= np.floor(shown.min()) and y1 >= np.ceil(shown.max())


def test_a_saddle_has_no_log_axis(lab, race):
    race("saddle", (("adam", {"lr": 0.05}),))
    lab.advance(60)
    assert not lab.loss_plot.log_y
    lab.reset_button.click()
    assert lab.loss_plot.log_y
