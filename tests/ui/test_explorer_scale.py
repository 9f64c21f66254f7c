"""Big graphs stay cheap: items are made as they are needed, edges in batches."""

from __future__ import annotations

import numpy as np
from PySide6.QtWidgets import QApplication

from graphviz_dl.labs.explorer.program import prepare_program
from ui.explorer.edge_layout import edge_ends
from ui.explorer.graph_geometry import SceneGeometry
from ui.explorer.node_items import pill_width

CHAIN = "\n".join(
    ["x0 = 0.5", "w = 1.01"]
    + [f"x{i} = tanh(x{i - 1} * w + 0.1)" for i in range(1, 300)]
)


def test_edge_ends_in_one_pass_match_the_geometry_edge_by_edge(qapp):
    program = prepare_program("a = 2\nb = -3\nc = a * b + a\nd = max(c, a) ** 2")
    index = program.index
    widths = {
        index.ids[i]: pill_width(node.op.label)
        for i, node in enumerate(index.nodes)
        if node.op is not None
    }
    geometry = SceneGeometry(program.layout.positions, widths)
    centres = geometry.centres
    value_xy = np.array([(centres[n].x(), centres[n].y()) for n in index.ids])
    op_xy = np.array(
        [
            (centres[f"{n}:op"].x(), centres[f"{n}:op"].y())
            if f"{n}:op" in centres
            else (0.0, 0.0)
            for n in index.ids
        ]
    )
    op_widths = np.array([widths.get(n, 0.0) for n in index.ids])
    ends, op_of = edge_ends(index, value_xy, op_xy, op_widths)
    expected = []
    for i, parents in enumerate(index.parents):
        if index.nodes[i].op is None:
            continue
        node_id = index.ids[i]
        for k, p in enumerate(parents):
            expected.append(
                geometry.operand_segment(index.ids[p], node_id, k, len(parents))
            )
    expected += [
        geometry.output_segment(index.ids[i])
        for i, node in enumerate(index.nodes)
        if node.op is not None
    ]
    flat = [(a.x(), a.y(), b.x(), b.y()) for a, b in expected]
    assert np.allclose(ends, np.array(flat))
    assert len(op_of) == len(flat)


def test_a_big_graph_makes_only_the_cards_it_shows_and_the_rest_on_demand(window):
    window.model.set_program(prepare_program(CHAIN))
    view = window.graph_view
    window.grab()
    size = window.model.program.size
    made = len(view.cards.made())
    assert 0 < made < size, "only the cards near the view are made"
    assert len(view.cards) == size
    last = window.model.program.index.ids[-1]
    window.model.go_last()
    QApplication.processEvents()
    card = view.cards[last]  # made when asked for, showing the current state
    assert card.known and card.has_grad and card.grad == 1.0
    first_leaf = window.model.find("x0")
    assert view.cards[first_leaf].has_grad
    assert first_leaf not in view.bubbles, "a leaf has no op pill"
    assert len(view.bubbles.made()) < len(view.bubbles)
