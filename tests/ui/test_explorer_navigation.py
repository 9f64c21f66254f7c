"""Finding, tracing, the minimap, semantic zoom and presenter mode, driven as a
person would: keys, clicks, the right-click menu; and what the screen shows."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QPoint, Qt
from PySide6.QtGui import QAction, QKeySequence, QTransform
from PySide6.QtWidgets import QLabel, QLineEdit, QStyleOptionGraphicsItem

from ui.explorer import semantic_zoom
from ui.explorer.trace import DIMMED

CHAIN = "\n".join(
    ["x0 = 0.5", "w = 1.01"]
    + [
        f"h{i} = tanh(h{i - 1} * w + 0.1)" if i > 1 else "h1 = tanh(x0 * w)"
        for i in range(1, 120)
    ]
)


def build(qtbot, window, source: str) -> None:
    window.editor.setPlainText(source)
    window.build_program()
    qtbot.waitUntil(lambda: window.model.program is not None, timeout=20000)


class TextRecorder:
    """Stands in for a QPainter: records every text drawn, with its font's
    height in screen pixels (pixel size × the painter's scale)."""

    def __init__(self, transform: QTransform) -> None:
        self.transform = transform
        self.font = None
        self.heights: list[float] = []

    def worldTransform(self) -> QTransform:
        return self.transform

    def setFont(self, font) -> None:
        self.font = font

    def drawText(self, *args) -> None:
        self.heights.append(self.font.pixelSize() * self.transform.m11())

    def __getattr__(self, name):
        return lambda *args, **kwargs: None


def text_heights(item, transform: QTransform) -> list[float]:
    """The screen heights of the texts ``item`` paints under ``transform``."""
    recorder = TextRecorder(transform)
    item.paint(recorder, QStyleOptionGraphicsItem())
    return recorder.heights


def on_screen(view, item) -> QTransform:
    """The transform that takes ``item``'s own coordinates to the screen."""
    return item.deviceTransform(view.viewportTransform())


# --- Ctrl+F ----------------------------------------------------------------------------
def test_ctrl_f_is_bound_once(window):
    find = QKeySequence(QKeySequence.StandardKey.Find)
    bound = [
        action
        for action in window.findChildren(QAction)
        if any(
            key.matches(find) == QKeySequence.SequenceMatch.ExactMatch
            for key in action.shortcuts()
        )
    ]
    assert [action.objectName() for action in bound] == ["findNode"]
    from PySide6.QtGui import QShortcut

    assert not [s for s in window.findChildren(QShortcut) if s.key() == find]


def test_ctrl_f_finds_by_name_op_and_value_and_walks_the_hits(qtbot, window, explorer):
    explorer.load_example()  # chain-rule: a = t1 * t2, b = a * x, …
    window.graph_view.setFocus()
    qtbot.keyClick(window.graph_view, Qt.Key.Key_F, Qt.KeyboardModifier.ControlModifier)
    search = window.findChild(QLineEdit, "nodeSearch")
    assert search.hasFocus()
    count = window.findChild(QLabel, "findCount")
    qtbot.keyClicks(search, "×")
    hits = window.graph_panel.navigator.hits
    assert count.text() == f"{len(hits)} found" and len(hits) >= 2
    qtbot.keyClick(search, Qt.Key.Key_Return)
    assert count.text() == f"1 of {len(hits)}"
    first = window.model.selected
    assert window.graph_view.cards[first].selected
    qtbot.keyClick(search, Qt.Key.Key_Return)
    assert count.text() == f"2 of {len(hits)}" and window.model.selected != first
    qtbot.keyClick(search, Qt.Key.Key_Return, Qt.KeyboardModifier.ShiftModifier)
    assert count.text() == f"1 of {len(hits)}" and window.model.selected == first
    search.clear()
    qtbot.keyClicks(search, "-1.5")  # t2's value, shown from the start
    qtbot.keyClick(search, Qt.Key.Key_Return)
    assert window.model.name(window.model.selected) == "t2"
    qtbot.keyClick(search, Qt.Key.Key_Escape)
    assert search.text() == "" and count.text() == ""


def test_ctrl_f_centres_a_hit_deep_in_a_big_graph(qtbot, window):
    build(qtbot, window, CHAIN)
    search = window.findChild(QLineEdit, "nodeSearch")
    qtbot.keyClicks(search, "h100")
    qtbot.keyClick(search, Qt.Key.Key_Return)
    view = window.graph_view
    node_id = window.model.selected
    assert window.model.name(node_id) == "h100"
    assert window.findChild(QLabel, "findCount").text() == "1 of 1"
    centre = view.mapFromScene(view.centres[node_id])
    assert view.viewport().rect().adjusted(100, 50, -100, -50).contains(centre)


def test_the_reveal_hook_runs_before_a_hit_is_shown(qtbot, window, explorer):
    explorer.load_example()
    asked = []
    window.graph_panel.revealers.append(asked.append)
    search = window.findChild(QLineEdit, "nodeSearch")
    qtbot.keyClicks(search, "b")
    qtbot.keyClick(search, Qt.Key.Key_Return)
    assert asked == [window.model.position_of(window.model.find("b"))]


# --- trace ----------------------------------------------------------------------------
def test_ancestors_dim_the_rest_and_esc_clears(qtbot, window, explorer):
    explorer.load_example()
    view = window.graph_view
    explorer.click_card("b")  # b = a * x
    explorer.action("traceAncestors").trigger()
    for name in ("a", "x", "t1", "t2", "b"):
        assert explorer.card(name).opacity() == 1.0, name
    assert explorer.card("y").opacity() == pytest.approx(DIMMED)
    assert explorer.card("L").opacity() == pytest.approx(DIMMED)
    assert "depends on" in window.statusBar().currentMessage()
    view.setFocus()
    qtbot.keyClick(view, Qt.Key.Key_Escape)
    assert explorer.card("y").opacity() == 1.0


def test_descendants_from_the_right_click_menu(qtbot, window, explorer):
    explorer.load_example()
    view = window.graph_view
    node_id = window.model.find("a")
    menu = view.node_menu(node_id)
    entry = menu.findChild(QAction, "traceDescendantsMenu")
    assert entry is not None
    entry.trigger()
    assert explorer.card("L").opacity() == 1.0 and explorer.card("b").opacity() == 1.0
    assert explorer.card("t1").opacity() == pytest.approx(DIMMED)
    assert "gradient comes back" in window.statusBar().currentMessage()


# --- minimap -------------------------------------------------------------------------
def test_minimap_click_pans_the_view(qtbot, window):
    build(qtbot, window, CHAIN)
    view = window.graph_view
    minimap = window.graph_panel.minimap
    qtbot.waitUntil(minimap.isVisible)
    before = view.mapToScene(view.viewport().rect().center())
    target = QPoint(minimap.width() - 4, minimap.height() // 2)
    qtbot.mouseClick(minimap, Qt.MouseButton.LeftButton, pos=target)
    after = view.mapToScene(view.viewport().rect().center())
    assert after.x() > before.x() + 500
    seen = minimap.visible_rect()
    assert seen.right() >= minimap.width() - 6  # the outline moved there too
    toggle = window.findChild(QAction, "showMinimap")
    toggle.trigger()
    assert not minimap.isVisible()
    toggle.trigger()
    qtbot.waitUntil(minimap.isVisible)


def test_minimap_follows_a_new_graph_and_the_zoom(qtbot, window, explorer):
    build(qtbot, window, CHAIN)
    minimap = window.graph_panel.minimap
    qtbot.waitUntil(minimap.isVisible)
    long_chain = minimap.size()
    explorer.load_example()  # chain-rule fits the view: nothing to navigate
    qtbot.waitUntil(lambda: not minimap.isVisible())
    view = window.graph_view
    view.zoom_by(3.0)
    qtbot.waitUntil(minimap.isVisible)
    assert minimap.size() != long_chain
    small = minimap.visible_rect()
    view.zoom_by(1.5)
    smaller = minimap.visible_rect()
    assert smaller.width() < small.width() and smaller.height() < small.height()


# --- semantic zoom -------------------------------------------------------------------
@pytest.mark.parametrize("zoom", [0.3, 0.45, 0.5, 0.55, 0.8, 1.0, 1.5, 3.0])
def test_no_text_is_smaller_than_seven_pixels(window, explorer, zoom):
    explorer.load_example()
    window.model.go_last()
    view = window.graph_view
    view.zoom_by(zoom / view.scale_factor())
    level = semantic_zoom.zoom_level(zoom)
    items = [*view.cards.made().values(), *view.bubbles.made().values()]
    heights = [h for item in items for h in text_heights(item, on_screen(view, item))]
    if level == "shapes":
        assert heights == []
    else:
        assert min(heights) >= semantic_zoom.MIN_TEXT_PX - 1e-9
    if level == "close":  # local derivatives: t1 * t2's are t2 and t1
        card = explorer.card("a")
        assert card.local_text == "∂/∂t1 −1.5 · ∂/∂t2 0.5"


# --- presenter -------------------------------------------------------------------------
@pytest.mark.parametrize("size", [(1280, 800), (1920, 1080)])
def test_presenter_mode_enlarges_the_current_node(qtbot, window, explorer, size):
    window.window().resize(*size)
    explorer.load_example()
    window.model.set_position(9)
    view = window.graph_view
    node_id = window.model.current_step().node
    card = view.cards[node_id]
    normal = max(text_heights(card, on_screen(view, card)))
    explorer.action("presenterMode").trigger()
    presented = max(text_heights(card, on_screen(view, card)))
    assert presented >= 1.5 * normal - 1e-9
    centre = view.mapFromScene(view.centres[node_id])
    assert view.viewport().rect().contains(centre)
    window.model.step_forward()  # it follows the step
    following = view.cards[window.model.current_step().node]
    point = view.mapFromScene(following.scenePos())
    assert view.viewport().rect().contains(point)
    assert max(text_heights(following, on_screen(view, following))) >= presented - 1e-9
    explorer.action("presenterMode").trigger()  # back: fitted again, as before
    after = max(text_heights(card, on_screen(view, card)))
    assert after == pytest.approx(normal, rel=0.1) and after < presented / 1.4
