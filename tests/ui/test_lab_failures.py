"""Optimizer lab: a run that fails leaves the others readable and says why."""

from __future__ import annotations

import re

import numpy as np
import pytest

from graphviz_dl.labs.optimizer.presets import PRESETS


@pytest.fixture
def lab(open_lab):
    return open_lab(1280, 800)


def test_a_diverging_racer_leaves_the_loss_plot_readable(lab, race):
    model = race(
        "rosenbrock",
        (("sgd", {"lr": 0.01}), ("sgd", {"lr": 1e-3}), ("adam", {"lr": 0.05})),
    )
    lab.advance(100)
    blown = model.run(0)
    assert blown.diverged_at is not None and np.nanmax(blown.losses) > 1e30
    plot = lab.loss_plot
    (_, _), (y0, y1) = plot.getPlotItem().getViewBox().viewRange()
    healthy = np.log10(np.concatenate([model.run(1).losses, model.run(2).losses]))
    assert y0 >= healthy.min() - 3 and y1 <= healthy.max() + 3
    # the diverged curve is drawn up to the edge, with ✕ where it stopped
    _, drawn = plot.trails[0].data()
    assert np.nanmax(drawn) <= y1
    marker = plot.diverged.data[0]
    assert marker["x"] == blown.diverged_at
    assert blown.reason in marker["data"]
    assert plot.legend_text(0).endswith(f"✕ step {blown.diverged_at}")
    # its log axis names 1, 2 and 5 of each decade, not every minor tick
    axis = plot.getPlotItem().getAxis("left")
    ticks = [value for level in axis.tickValues(y0, y1, 300) for value in level[1]]
    names = [text for text in axis.tickStrings(ticks, 1.0, 1.0) if text]
    assert names and len(names) < len(ticks)
    assert all(text.lstrip("0.")[:1] in "125" for text in names)  # 0.2, 5·10¹


def test_an_svg_of_a_diverged_race_is_not_stretched(lab, race, tmp_path):
    race("rosenbrock", (("sgd", {"lr": 0.01}), ("adam", {"lr": 0.05})))
    lab.advance(50)
    xs, ys = lab.surface_view.drawn_path(0)
    assert np.nanmax(np.abs(xs)) <= 6 and np.nanmax(np.abs(ys)) <= 7
    svg = tmp_path / "race.svg"
    lab.export_image(str(svg))
    paths = re.findall(r' d="([^"]*)"', svg.read_text())
    numbers = [abs(float(v)) for d in paths for v in re.findall(r"[-+.\deE]+", d)]
    assert numbers and max(numbers) < 1e5


def _choose_preset(lab, title: str):
    chooser = lab.preset_chooser
    chooser.activated.emit(chooser.findText(title))
    assert lab.story.text().startswith(
        next(p.story[:20] for p in PRESETS if p.title == title)
    )
    return lab.model


def _hover_head(lab, index: int) -> str:
    x, y = lab.model.run(index).positions[-1]
    return lab.surface_view.hover_at(x, y)


def test_the_oscillation_preset_says_lr_times_curvature(lab, qtbot):
    model = _choose_preset(lab, "Oscillation: lr × curvature past 2")
    lab.advance(40)
    row = lab.optimizer_list.row(model.configs[1].label)
    qtbot.waitUntil(lambda: row.status.text() == "⚠ oscillating along y")
    assert "lr × curvature ≈ 2.1 > 2" in row.status.toolTip()
    assert "⚠ oscillating along y: the step flips sign" in _hover_head(lab, 1)
    healthy = lab.optimizer_list.row(model.configs[0].label)
    assert healthy.status.text().startswith("f = ")


def test_adam_with_lr_100_is_explained_as_swinging(lab, qtbot):
    model = _choose_preset(lab, "Adam with lr = 100")
    lab.advance(30)
    row = lab.optimizer_list.row(model.configs[1].label)
    qtbot.waitUntil(lambda: row.status.text() == "⚠ swinging across the minimum")
    assert "lr = 100.0 long whatever the slope" in row.status.toolTip()
    assert "swinging across the minimum along" in _hover_head(lab, 1)


def test_the_saddle_preset_says_stalled_at_a_saddle(lab, qtbot):
    model = _choose_preset(lab, "Stalled at a saddle")
    lab.advance(250)
    for i, config in enumerate(model.configs):
        row = lab.optimizer_list.row(config.label)
        qtbot.waitUntil(lambda row=row: row.status.text() == "⚠ stalled at a saddle")
        assert "curvature −2.0" in row.status.toolTip()
        assert "stalled at a saddle point: ‖∇f‖ ≈" in _hover_head(lab, i)


def test_choosing_cosine_for_a_racer_plots_a_falling_lr(lab, qtbot, race):
    model = race("quadratic-bowl", (("sgd", {"lr": 0.1}), ("adam", {"lr": 0.05})))
    row = lab.optimizer_list.row(model.configs[0].label)
    chooser = row.schedule
    chooser.setCurrentIndex(chooser.findText("cosine"))
    chooser.activated.emit(chooser.findText("cosine"))
    assert model.configs[0].schedule.startswith("cosine:")
    lab.advance(300)
    _, lrs = lab.lr_plot.curve_data(0)
    assert lrs[0] == 0.1 and np.all(np.diff(lrs) <= 0) and lrs[-1] < 0.05
    _, drawn = lab.lr_plot.curves[0].getData()
    assert drawn[-1] < drawn[0]  # what a person sees falls too
    _, constant = lab.lr_plot.curve_data(1)
    assert np.all(constant == 0.05)
    # the lr plot shares the loss plot's step axis; undo puts the constant lr back
    assert (
        lab.lr_plot.getPlotItem().getViewBox().viewRange()[0]
        == (lab.loss_plot.getPlotItem().getViewBox().viewRange()[0])
    )
    lab.undo_stack.undo()
    assert model.configs[0].schedule == "" and row.schedule.currentText() == "constant"


def test_the_line_search_offers_no_schedule(lab, race):
    model = race("quadratic-bowl", (("linesearch", {}),))
    row = lab.optimizer_list.row(model.configs[0].label)
    assert not row.schedule.isEnabled()


def test_a_long_typed_formula_is_elided_with_the_whole_text_in_a_tooltip(lab):
    formula = "f = " + " + ".join(f"{k}*x*y*sin({k}*x)" for k in range(1, 30))
    lab.select_surface(formula)
    view = lab.surface_view
    assert view.title_text.endswith("…") and len(view.title_text) < len(formula)
    assert formula in view.plot.titleLabel.toolTip()
    # the picture keeps its width: the plot is not squeezed by the title
    assert view.plot.getViewBox().width() > 0.6 * view.width()


def test_hover_text_goes_away_on_reset_and_when_the_pointer_leaves(lab, race, qtbot):
    from PySide6.QtCore import QEvent
    from PySide6.QtWidgets import QApplication

    model = race("quadratic-bowl", (("sgd", {"lr": 0.1}),))
    lab.advance(5)
    x, y = model.run(0).positions[2]
    assert lab.surface_view.hover_at(x, y)
    lab.reset_button.click()
    assert not lab.surface_view.hover.isVisible() and lab.surface_view.hover_text == ""
    lab.advance(5)
    assert lab.surface_view.hover.isVisible() is False
    assert lab.surface_view.hover_at(x, y)
    QApplication.sendEvent(lab.surface_view, QEvent(QEvent.Type.Leave))
    assert not lab.surface_view.hover.isVisible()


def test_play_shows_a_standard_icon_and_a_word(lab, qtbot):
    assert lab.play.text() == "Play" and not lab.play.icon().isNull()
    lab.play.click()
    assert lab.play.text() == "Pause" and not lab.play.icon().isNull()
    lab.play.click()
    assert lab.play.text() == "Play"
