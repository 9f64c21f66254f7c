"""Presenter mode (F5) on every tab: each lab's text grows, measured in
pixels, and comes back; the Step menu shows only where it steps."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QFontInfo


def _text_pixels(window, name: str) -> tuple[int, int]:
    """(a label's, a plot's or the step text's) font height in pixels on tab ``name``."""
    lab = window.lab(name)
    if name == "explorer":
        label = lab.step_panel.explanation
        other = lab.graph_panel
    elif name == "optimizers":
        label = lab.status
        other = None
        axis = lab.loss_plot.getPlotItem().getAxis("left")
    else:
        label = lab.run_status
        other = None
        axis = lab.curves.loss_plot.getAxis("left")
    first = QFontInfo(label.font()).pixelSize()
    if other is not None:
        return first, QFontInfo(other.font()).pixelSize()
    tick = axis.style["tickFont"]
    return first, 0 if tick is None else QFontInfo(tick).pixelSize()


@pytest.mark.parametrize("name", ["explorer", "optimizers", "training"])
def test_f5_on_each_tab_enlarges_the_text_and_f5_again_restores_it(
    qtbot, window, explorer, name
):
    explorer.load_example()
    window.select_lab(name)
    window.activateWindow()
    label, plot = _text_pixels(window, name)
    qtbot.keyClick(window.tabs.currentWidget(), Qt.Key.Key_F5)
    assert window.presenting and window.presenter_action.isChecked()
    big_label, big_plot = _text_pixels(window, name)
    assert big_label >= 1.4 * label
    assert big_plot >= 1.3 * (plot or label)  # a plot's ticks: default is the label's
    qtbot.keyClick(window.tabs.currentWidget(), Qt.Key.Key_F5)
    assert not window.presenting
    assert _text_pixels(window, name) == (label, plot)


def test_presenter_mode_follows_to_other_tabs_and_hides_the_settings(window):
    training = window.lab("training")
    window.set_presenter_mode(True)
    window.select_lab("training")
    assert training.presenting and not training.panel.isVisible()
    assert training.curves.lr_plot.scene() is None  # its room goes to the others
    assert window.lab("optimizers").presenting and window.lab("explorer").presenting
    window.set_presenter_mode(False)
    assert training.panel.isVisible() and training.curves.lr_plot.isVisible()
    assert training.curves.lr_plot.scene() is training.curves.scene()


def test_the_step_menu_shows_only_on_the_explorers_tab(window, explorer):
    explorer.load_example()
    step = window.menus["&Step"].menuAction()
    check = explorer.action("checkGradients")
    assert step.isVisible() and check.isVisible()
    for name in ("optimizers", "training"):
        window.select_lab(name)
        assert not step.isVisible() and not check.isVisible()
        assert window.presenter_action.isVisible()  # F5 works here too
    window.select_lab("explorer")
    assert step.isVisible() and check.isVisible()


def test_presenter_mode_enlarges_the_surface_title_and_it_stays_large(window):
    lab = window.lab("optimizers")
    title = lab.surface_view.plot.titleLabel

    def title_height() -> float:
        return title.item.boundingRect().height()  # the rendered text's

    plain = title_height()
    window.set_presenter_mode(True)
    big = title_height()
    assert big >= 1.25 * plain  # the line box: text 1.6× and fixed margins
    lab.select_surface("beale")  # a new title, written at the presenter's size
    assert "Beale" in title.text
    assert title_height() == big
    window.set_presenter_mode(False)
    assert title_height() == plain


def test_presenter_mode_keeps_the_colour_bar_and_speed_in_view_at_1280(window, qtbot):
    """At a 1280-wide projector the larger text must not push the colour bar's
    numbers past the view's edge nor clip "steps/s"."""
    window.select_lab("optimizers")
    lab = window.lab("optimizers")
    lab.select_surface("beale")  # the longest title
    window.set_presenter_mode(True)
    view = lab.surface_view

    numbers = view.colour_bar.axis

    def fits() -> bool:
        bar = view.colour_bar.mapRectToScene(view.colour_bar.boundingRect())
        grown = numbers.width() >= 1.5 * 45  # pyqtgraph's 45 px, with the text
        return grown and bar.right() <= view.width() + 0.5

    qtbot.waitUntil(fits, timeout=2000)
    assert window.width() <= 1280
    label = lab.speed_label
    assert label.fontMetrics().horizontalAdvance(label.text()) <= label.width()
    assert label.text().endswith("steps/s")
