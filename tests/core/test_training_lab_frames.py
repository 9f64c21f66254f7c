"""What the training lab draws, computed in the core: boundary, tint, curves."""

from __future__ import annotations

import math

import numpy as np

from graphviz_dl.contours import contour_lines
from graphviz_dl.labs.training import DataSpec, RenderOptions, render_frame
from graphviz_dl.labs.training import curves as lab_curves
from graphviz_dl.labs.training.frames import (
    boundary_lines,
    boundary_rgba,
    class_colours,
)
from graphviz_dl.training import Trainer, TrainingConfig, probe


def _trainer(kind: str = "moons") -> Trainer:
    return Trainer(DataSpec(kind, n_points=60).make(), TrainingConfig())


def test_the_boundary_is_the_zero_line_of_the_one_contour_routine():
    boundary = probe.boundary(_trainer(), 40)
    expected = contour_lines(boundary.xs, boundary.ys, boundary.outputs, [0.0])
    lines = boundary_lines(boundary)
    assert len(lines) > 2
    np.testing.assert_array_equal(lines, expected)


def test_three_classes_draw_a_line_where_each_class_meets_the_best_other():
    boundary = probe.boundary(_trainer("blobs3"), 30)
    assert boundary.outputs.ndim == 3
    assert np.isnan(boundary_lines(boundary)[:, 0]).any()  # several pieces


def test_the_tint_follows_the_predicted_class_and_greys_non_numbers():
    boundary = probe.boundary(_trainer(), 20)
    rgba = boundary_rgba(boundary)
    assert rgba.shape == (20, 20, 4) and rgba.dtype == np.uint8
    outputs = boundary.outputs.copy()
    outputs[0, 0] = np.nan
    probabilities = boundary.probabilities.copy()
    probabilities[0, 0] = np.nan
    broken = probe.Boundary(
        boundary.xs, boundary.ys, outputs, probabilities, boundary.classes,
        boundary.extent,
    )  # fmt: skip
    assert tuple(boundary_rgba(broken)[0, 0, :3]) == (150, 150, 150)
    assert class_colours(5).shape == (5, 3)


def test_a_frame_holds_the_tint_and_the_line():
    trainer = _trainer()
    frame = render_frame(trainer, 7, RenderOptions(resolution=25))
    assert frame.generation == 7 and frame.step == 0
    np.testing.assert_array_equal(frame.tint, boundary_rgba(frame.boundary))
    assert frame.units is not None and frame.lines.shape[1] == 2


def test_regression_frames_have_a_curve_and_no_tint():
    frame = render_frame(_trainer("line"), 1, RenderOptions(resolution=25))
    assert frame.boundary.ys is None and frame.tint is None
    assert len(frame.lines) == 0


def test_log_scale_ticks_thinning_and_picking():
    logged = lab_curves.log10_floored(np.array([100.0, 0.0, np.inf, np.nan]))
    assert logged[0] == 2.0 and logged[1] == -12.0 and np.isnan(logged[2:]).all()
    major, minor = lab_curves.log_ticks(-1.0, 1.0)
    assert [label for _, label in major] == ["0.1", "1.0", "10.0"]
    assert len(minor) == 16  # 2…9 in each of the two decades
    major, _ = lab_curves.log_ticks(0.0, 1.0)  # a short range: 2 and 5 labelled
    assert [label for _, label in major] == ["1.0", "2.0", "5.0", "10.0"]
    assert lab_curves.log_ticks(math.nan, 1.0) == [[], []]
    x, _ = lab_curves.thinned(np.arange(10000.0), np.arange(10000.0), 100)
    assert len(x) == 100 and x[0] == 0 and x[-1] == 9999
    xy = np.array([[0.0, 0.0], [1.0, 1.0]])
    assert lab_curves.nearest_point(xy, 0.9, 1.05, (0.1, 0.1), 9.0) == 1
    assert lab_curves.nearest_point(xy, 5.0, 5.0, (0.1, 0.1), 9.0) is None
    assert lab_curves.nearest_row(np.array([0.0, 1.0, 2.0]), 1.4) == 1


def test_a_loss_within_one_decade_still_gets_labelled_ticks():
    def labels(a: float, b: float) -> list[str]:
        major, _ = lab_curves.log_ticks(math.log10(a), math.log10(b))
        return [label for _, label in major]

    assert labels(0.62, 0.71) == ["0.62", "0.64", "0.66", "0.68", "0.7"]
    assert labels(1.002, 1.009) == ["1.002", "1.004", "1.006", "1.008"]
    assert labels(0.55, 0.85) == ["0.6", "0.7", "0.8"]
    assert labels(0.01, 100.0) == ["0.01", "0.1", "1.0", "10.0", "100.0"]


def test_the_lr_staircase_turns_at_the_step_the_rate_changed():
    lr_staircase = lab_curves.lr_staircase
    step_epochs = np.arange(1, 7) / 2  # two steps an epoch: 0.5, 1.0, … 3.0
    step_lrs = np.array([0.1, 0.1, 0.1, 0.5, 0.5, 0.5])  # changed for step 4
    xs, ys = lr_staircase(step_epochs, step_lrs, last_epoch=3.0)
    assert xs.tolist() == [0.0, 1.5, 1.5, 3.0]  # step 4 began at epoch 1.5
    assert ys.tolist() == [0.1, 0.1, 0.5, 0.5]
    xs, ys = lr_staircase(step_epochs[:1], step_lrs[:1], last_epoch=1.0)
    assert xs.tolist() == [0.0, 1.0] and ys.tolist() == [0.1, 0.1]
    assert lr_staircase(np.zeros(0), np.zeros(0), 0.0)[0].size == 0
