"""Folding in the explorer, driven as a person would: View ▸ Fold to layers, a
click on a layer's box, Next over a folded layer, Enter to step inside.

The graph is an MLP(2, [3, 3, 1]) on one sample and its squared error; the
core groups it MLP ▸ layer ▸ neuron. A graph without groups (the chain-rule
example) must look and step exactly as before.
"""

from __future__ import annotations

import numpy as np
import pytest
from PySide6.QtCore import Qt

from graphviz_dl.numfmt import format_number
from ui.explorer.group_items import GroupBox
from ui.explorer.node_items import ValueCard


def mlp_values():
    from graphviz_dl.engine import Value
    from graphviz_dl.nn import MLP

    model = MLP(2, [3, 3, 1], activation="tanh", seed=3)
    loss = (model([Value(0.5, label="x0"), Value(-1.0, label="x1")]) - 0.25) ** 2
    loss.label = "L"
    return {"L": loss}


@pytest.fixture
def grouped(qtbot, explorer):
    """The window showing the MLP's graph, folded to layers."""
    window = explorer.window
    window.explorer.load_values(mlp_values(), "MLP")
    qtbot.waitUntil(lambda: window.model.program is not None)
    explorer.action("foldLayers").trigger()
    qtbot.waitUntil(lambda: window.model.folding)
    return explorer


def boxes(window) -> dict:
    return {box.name: box for box in window.graph_view.boxes.values()}


def cards_on_screen(window) -> int:
    """How many value cards the view draws (made now or when scrolled to)."""
    return len(window.graph_view.cards)


def click_box(qtbot, window, name: str) -> None:
    view = window.graph_view
    box = boxes(window)[name]
    point = view.mapFromScene(box.scenePos())
    qtbot.mouseClick(view.viewport(), Qt.MouseButton.LeftButton, pos=point)


def test_folding_to_layers_draws_one_box_per_layer_with_its_count(grouped):
    window = grouped.window
    tree = window.model.program.index.groups
    layers = tree.of_kind("layer")
    shown = boxes(window)
    assert sorted(shown) == sorted(span.name for span in layers)
    size = window.model.program.size
    hidden = sum(len(span) for span in layers)
    assert cards_on_screen(window) == size - hidden
    for span in layers:
        assert f"{len(span):,} nodes" in shown[span.name].lines()[1]
    items = window.graph_view.scene().items()
    assert sum(isinstance(item, GroupBox) for item in items) == len(layers)


def test_clicking_a_layer_unfolds_it_and_fold_to_layers_folds_it_back(qtbot, grouped):
    window = grouped.window
    first = window.model.program.index.groups.of_kind("layer")[0]
    before = cards_on_screen(window)
    click_box(qtbot, window, first.name)
    qtbot.waitUntil(lambda: first.name not in boxes(window))
    # Its neurons show folded; the layer's own nodes outside them are drawn.
    neurons = [span.name for span in first.children]
    assert set(neurons) <= set(boxes(window))
    in_neurons = sum(len(child) for child in first.children)
    assert cards_on_screen(window) == before + len(first) - in_neurons
    grouped.action("foldLayers").trigger()
    qtbot.waitUntil(lambda: first.name in boxes(window))
    assert cards_on_screen(window) == before
    grouped.action("unfoldAll").trigger()
    qtbot.waitUntil(lambda: not boxes(window))
    assert cards_on_screen(window) == window.model.program.size


def test_next_steps_over_a_folded_layer_in_one_move_with_the_same_gradients(
    qtbot, grouped
):
    window = grouped.window
    model = window.model
    walk = model.walk
    cursor = model.cursor()
    layer = model.program.index.groups.of_kind("layer")[-1]
    next_button = window.explorer.step_panel.next_button
    landed = []
    while model.position < model.length:
        old = model.position
        qtbot.mouseClick(next_button, Qt.MouseButton.LeftButton)
        assert model.position == cursor.next(old)
        if cursor.move_at(model.position) == layer:
            landed.append(model.position)
            text = window.explorer.step_panel.explanation.text()
            assert text == cursor.describe(model.position)
            assert layer.name in text
            # What the screen shows after the move equals the unfolded walk's.
            assert np.array_equal(
                model.grads(), walk.grads(model.position), equal_nan=True
            )
            for node_id, card in window.graph_view.cards.made().items():
                i = model.position_of(node_id)
                if card.has_grad:
                    assert card.grad_text() == format_number(
                        walk.grads(model.position)[i]
                    )
    assert len(landed) == 2  # its forward, then its backward: one move each
    assert len(cursor.stops) < model.length
    final = np.asarray(walk.grads(model.length))
    assert np.allclose(model.grads(), final, equal_nan=True)


def test_enter_on_a_folded_layer_opens_it_and_steps_in_node_by_node(qtbot, grouped):
    window = grouped.window
    model = window.model
    view = window.graph_view
    cursor = model.cursor()
    while cursor.move_at(cursor.next(model.position)) is None:
        model.step_forward()
    span = cursor.move_at(cursor.next(model.position))
    start = model.position
    view.setFocus()
    qtbot.keyClick(view, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: span.name not in boxes(window))
    assert model.position == start + 1
    step = model.walk.steps[start]
    assert window.explorer.step_panel.explanation.text() == step.text
    qtbot.mouseClick(window.explorer.step_panel.next_button, Qt.MouseButton.LeftButton)
    assert model.position == start + 2  # node by node inside it


def test_a_graph_without_groups_is_drawn_and_stepped_as_before(qtbot, explorer):
    window = explorer.window
    explorer.load_example("chain-rule")
    model = window.model
    assert model.group_tree is None and not model.folding
    assert not window.graph_view.boxes
    assert cards_on_screen(window) == model.program.size == 8
    for name in ("foldLayers", "foldNeurons", "unfoldAll"):
        assert not explorer.action(name).isEnabled()
    scene = window.graph_view.scene()

    def drawn(kind) -> int:
        return sum(isinstance(item, kind) for item in scene.items())

    qtbot.waitUntil(lambda: drawn(ValueCard) == 8)  # made as they are painted
    assert drawn(GroupBox) == 0
    explorer.click("zoomFit")
    for expected in range(1, model.length + 1):
        model.step_forward()
        assert model.position == expected
    assert not model.folding


def test_ctrl_f_to_a_weight_inside_a_folded_layer_unfolds_just_around_it(grouped):
    from PySide6.QtWidgets import QLineEdit

    window, qtbot = grouped.window, grouped.qtbot
    model = window.model
    target = model.find("w[1,2,0]")  # layer 2, neuron 3's first weight
    assert target not in window.graph_view.cards  # hidden in the folded layer
    window.graph_view.setFocus()
    qtbot.keyClick(window.graph_view, Qt.Key.Key_F, Qt.KeyboardModifier.ControlModifier)
    search = window.findChild(QLineEdit, "nodeSearch")
    qtbot.keyClicks(search, "w[1,2,0]")
    qtbot.keyClick(search, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: target in window.graph_view.cards, timeout=10000)
    assert model.selected == target
    card = window.graph_view.cards[target]
    assert card.isVisible() and card.selected
    names = set(boxes(window))
    assert "layer 1" in names and "layer 3" in names  # the other layers stay folded
    assert "neuron 1" in names  # and so do the found one's sister neurons


def test_clicking_an_open_layers_tab_folds_it_back_into_one_box(qtbot, grouped):
    window = grouped.window
    view = window.graph_view
    first = window.model.program.index.groups.of_kind("layer")[0]
    before = cards_on_screen(window)
    click_box(qtbot, window, first.name)
    qtbot.waitUntil(lambda: first.name not in boxes(window))
    qtbot.waitUntil(lambda: any(frame.span is first for frame in view.frames))
    frame = next(frame for frame in view.frames if frame.span is first)
    tab = frame.tab_rect()
    view.centerOn(tab.center())
    # The layer's tab sits inside the MLP's frame, apart from the MLP's own tab.
    point = view.mapFromScene(tab.center())
    frames_here = [item for item in view.items(point) if item in view.frames]
    assert [item.span for item in frames_here] == [first]
    qtbot.mouseClick(view.viewport(), Qt.MouseButton.LeftButton, pos=point)
    qtbot.waitUntil(lambda: first.name in boxes(window))
    assert cards_on_screen(window) == before
    assert all(frame.span is not first for frame in view.frames)
