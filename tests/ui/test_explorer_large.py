"""Big graphs: the far-out overview, zooming with the wheel, finding a node."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QPoint, QPointF, Qt
from PySide6.QtGui import QWheelEvent
from PySide6.QtWidgets import QApplication, QLineEdit

from ui.explorer.view_zoom import FIT_MIN_SCALE

# 1 leaf + 200 tanh nodes in a chain: 400 columns, far too wide to read at "fit".
CHAIN = "\n".join(["h0 = 0.3"] + [f"h{i} = tanh(h{i - 1})" for i in range(1, 201)])


def wheel(view, steps: int) -> None:
    centre = view.viewport().rect().center()
    event = QWheelEvent(
        QPointF(centre),
        QPointF(view.viewport().mapToGlobal(centre)),
        QPoint(0, 0),
        QPoint(0, 120 * steps),
        Qt.MouseButton.NoButton,
        Qt.KeyboardModifier.NoModifier,
        Qt.ScrollPhase.NoScrollPhase,
        False,
    )
    QApplication.sendEvent(view.viewport(), event)


def build(window, text: str) -> None:
    window.editor.setPlainText(text)
    assert window.build_program()


def test_far_out_a_big_graph_is_an_overview_and_zooming_in_brings_cards_back(window):
    build(window, CHAIN)
    view = window.graph_view
    assert view.scale_factor() == pytest.approx(FIT_MIN_SCALE), "opens legible"
    assert not view.showing_overview()
    view.fit()
    assert view.showing_overview(), (
        "fitted, 201 cards are specks: the overview draws them"
    )
    assert not next(iter(view.cards.values())).isVisible()
    view.center_on_node(window.model.find("h100"))
    assert view.scale_factor() >= 0.8
    assert not view.showing_overview()
    assert view.cards[window.model.find("h100")].isVisible()
    view.fit()
    assert view.showing_overview()


def test_the_overview_follows_the_steps(window):
    build(window, CHAIN)
    overview = window.graph_view.overview
    assert overview.state(5) == "unknown"
    window.model.set_position(5)  # h1..h5 computed: h5 is node 5
    assert overview.state(5) == "forward"
    assert overview.state(4) == "forward"  # its input is lit too
    assert overview.state(3) == "known"
    window.model.go_last()
    assert overview.state(0) == "backward"
    assert overview.state(200) in ("positive", "negative")


def test_wheel_zooms_in_and_out(window, explorer):
    explorer.load_example()
    view = window.graph_view
    before = view.scale_factor()
    wheel(view, 2)
    assert view.scale_factor() > before * 1.3
    wheel(view, -4)
    assert view.scale_factor() < before


def test_search_centres_a_node_in_a_big_graph(qtbot, window):
    build(window, CHAIN)
    search = window.findChild(QLineEdit, "nodeSearch")
    qtbot.keyClicks(search, "h150")
    qtbot.keyClick(search, Qt.Key.Key_Return)
    view = window.graph_view
    node_id = window.model.find("h150")
    assert window.model.selected == node_id
    centre = view.mapFromScene(view.centres[node_id])
    assert view.viewport().rect().adjusted(100, 50, -100, -50).contains(centre)
    assert view.cards[node_id].selected and view.cards[node_id].isVisible()


def test_stepping_scrolls_to_the_node_that_changes(window):
    build(window, CHAIN)
    view = window.graph_view

    def on_screen(node_id: str) -> bool:
        visible = view.mapToScene(view.viewport().rect()).boundingRect()
        return visible.contains(view.cards[node_id].sceneBoundingRect())

    window.model.go_last()  # the last backward step reaches the first input
    assert on_screen(window.model.current_step().node)
    window.model.set_position(len(window.model.program.walk.steps) // 4)
    assert on_screen(window.model.current_step().node)
