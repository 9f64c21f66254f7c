"""The loss surface of the explorer's graph in the optimizer lab, the surface
view's progress and cancel, and Undo following the tab shown."""

from __future__ import annotations

import json

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QComboBox, QLineEdit, QMenu, QToolButton

from graphviz_dl.surfaces.graph_surface import CompiledDefinition


@pytest.fixture
def win(window):
    yield window
    training = window.lab("training")
    if training is not None:
        training.model.shutdown()


def ctrl_click(qtbot, explorer, name: str) -> None:
    view = explorer.window.graph_view
    point = view.mapFromScene(explorer.card(name).scenePos())
    qtbot.mouseClick(
        view.viewport(),
        Qt.MouseButton.LeftButton,
        Qt.KeyboardModifier.ControlModifier,
        point,
    )


def test_two_ctrl_clicked_leaves_open_the_lab_on_their_surface(win, explorer, qtbot):
    explorer.load_example("chain-rule")
    ctrl_click(qtbot, explorer, "t1")
    ctrl_click(qtbot, explorer, "t2")
    assert [explorer.card(n).axis for n in ("t1", "t2", "x")] == ["x", "y", None]
    lab = win.lab("optimizers")
    with qtbot.waitSignal(lab.surface_view.gridShown, timeout=10000):
        win.graph_view.setFocus()
        qtbot.keyClick(win, Qt.Key.Key_L, Qt.KeyboardModifier.ControlModifier)
    assert win.tabs.currentWidget() is lab
    surface = lab.model.surface
    assert surface.axes == ("t1", "t2")
    assert isinstance(surface.definition, CompiledDefinition)
    # the current point, marked by the start ring, is where the graph is now
    assert lab.model.start == (0.5, -1.5)
    marker = lab.surface_view.start_marker.pos()
    assert (marker.x(), marker.y()) == (0.5, -1.5)
    assert surface.value(*lab.model.start) == win.model.program.root.data == 3.0625
    assert lab.surface_view.last_grid.domain == surface.domain
    # the race runs on the person's own function, with the program's gradients
    lab.advance(3)
    for _, _, run in lab.model.active():
        assert tuple(run.grads[0]) == (10.5, -3.5)  # 2c·x·t2, 2c·x·t1
        assert run.losses[0] == 3.0625
    title = lab.surface_view.plot.titleLabel.text
    assert "L(t1, t2) with x = 2.0, y = 0.25" in title
    # the chooser names the graph's surface; there is no formula to edit or save
    chooser = lab.findChild(QComboBox, "surfaceChooser")
    assert chooser.currentText() == surface.title
    assert lab.findChild(QLineEdit, "surfaceFormula").text() == ""
    # a graph's loss cannot be rebuilt from settings: its start point is not saved
    # to reappear on whatever surface the next session opens
    lab.save_settings()
    saved = lab._settings.value("start")
    assert saved is None or json.loads(saved) != [0.5, -1.5]


def test_right_click_menu_offers_the_surface_over_another_leaf(win, explorer, qtbot):
    explorer.load_example("chain-rule")
    view = win.graph_view
    menu = view.leaf_menu(win.model.find("x"))
    over = menu.findChild(QMenu, "surfaceOverMenu")
    assert over.title() == "Loss surface over x and …"
    names = [a.text() for a in over.actions()]
    assert names[:3] == ["t1", "t2", "y"]  # every other leaf, named ones first
    next(a for a in over.actions() if a.text() == "y").trigger()
    lab = win.lab("optimizers")
    assert win.tabs.currentWidget() is lab
    assert lab.model.surface.axes == ("x", "y")
    assert lab.model.start == (2.0, 0.25)
    assert [explorer.card(n).axis for n in ("x", "y")] == ["x", "y"]
    # Undo in the lab goes back to the surface it showed before
    lab.undo_stack.undo()
    assert lab.model.surface.name != "graph"


def test_without_two_chosen_leaves_the_action_says_what_to_do(win, explorer):
    explorer.load_example("chain-rule")
    assert not win.show_loss_surface()
    assert "Ctrl+click two" in win.statusBar().currentMessage()
    assert win.tabs.currentWidget() is win.lab("explorer")
    assert win.show_loss_surface(random_directions=True)
    surface = win.lab("optimizers").model.surface
    assert surface.axes == ("α", "β") and surface.value(0.0, 0.0) == 3.0625


# --- the surface view: progress and cancel ------------------
def test_a_slow_grid_shows_progress_and_cancel_stops_it(win, qtbot, gated_surface):
    lab = win.lab("optimizers")
    win.select_lab("optimizers")
    view = lab.surface_view
    gate, surface = gated_surface
    lab.show_surface(surface, (0.5, 0.5))
    assert gate.entered.wait(10)
    qtbot.waitUntil(view.progress_box.isVisible, timeout=5000)
    assert view.grid_busy()
    cancel = view.findChild(QToolButton, "gridCancel")
    qtbot.mouseClick(cancel, Qt.MouseButton.LeftButton)
    assert not view.progress_box.isVisible() and not view.grid_busy()
    assert "cancelled" in lab.status.text()
    gate.release.set()
    view.jobs.wait(10000)
    QApplication.processEvents()
    assert view.last_grid is None or view.last_grid.domain != ((-1.0, 1.0),) * 2


# (sampling a costly surface coarser: tests/core/test_surface_grid.py)


# --- Undo follows the tab shown ------------------------------------------------------------
def test_ctrl_z_undoes_the_last_change_of_the_tab_shown(win, explorer, qtbot):
    explorer.load_example("chain-rule")
    x = win.model.find("x")
    win.set_leaf_value(x, 3.0)
    optimizers = win.lab("optimizers")
    training = win.lab("training")
    before_surface = optimizers.model.surface
    optimizers.select_surface("saddle")
    assert optimizers.model.surface is not before_surface
    batch = training.model.config.batch_size
    training.batch_size.setValue(0)
    assert training.model.config.batch_size is None

    inside = {
        "explorer": win.graph_view,
        "optimizers": optimizers.surface_view,
        "training": training.boundary_view,
    }

    def undo_on(name: str) -> None:
        win.select_lab(name)
        inside[name].setFocus()  # a lab's own widget-wide keys would apply here
        qtbot.waitUntil(inside[name].hasFocus)
        qtbot.keyClick(win, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)

    undo_on("training")
    assert training.model.config.batch_size == batch
    assert optimizers.model.surface.name == "saddle"
    assert win.model.node(x).data == 3.0
    undo_on("optimizers")
    assert optimizers.model.surface is before_surface
    assert win.model.node(x).data == 3.0
    undo_on("explorer")
    assert win.model.node(x).data == 2.0
    assert (
        win.undo_action.text() == "&Undo Load example “Chain rule: L = (t1·t2·x − y)²”"
    )
    assert not win.redo_action.text().endswith("%1")
    # Ctrl+Shift+Z redoes on the tab shown
    qtbot.keyClick(
        win,
        Qt.Key.Key_Z,
        Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier,
    )
    assert win.model.node(x).data == 3.0
    assert training.model.config.batch_size == batch  # the other tabs untouched
