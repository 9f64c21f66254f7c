"""The graph view's items: made when first needed, and the far-out overview.

Split from :mod:`ui.explorer.graph_view` (which mixes this in): a 10,000-node
graph must not pay for 23,000 Python-made items before its first paint, so
each card and pill is made when it comes into view or is asked for (see
:class:`~ui.explorer.lazy_items.LazyItems`), and the overview only when the
graph is first seen far out.
"""

from __future__ import annotations

import numpy as np

from graphviz_dl.graph_index import op_node_id
from ui.explorer.edge_items import Overview
from ui.explorer.edge_layout import edge_items
from ui.explorer.graph_geometry import SceneGeometry
from ui.explorer.lazy_items import LazyItems
from ui.explorer.node_items import OpBubble, ValueCard, check_state, pill_width
from ui.explorer.palette import (
    BACKWARD_SOURCE,
    BACKWARD_TARGET,
    CARD_H,
    CARD_W,
    FORWARD_INPUT,
    FORWARD_TARGET,
    OP_H,
)

DENSE_GRAPH = 150
"""Above this many nodes, edges are drawn as fast one-pixel lines, by one item."""


class GraphItemsMixin:
    """Making the scene's items for :class:`~ui.explorer.graph_view.GraphView`
    (uses its model, scene, geometry, numbers and roles)."""

    def _make_items(self, program) -> None:
        """Place every node; its card and pill are made when first needed."""
        index = program.index
        widths = {
            index.ids[i]: pill_width(node.op.label)
            for i, node in enumerate(index.nodes)
            if node.op is not None
        }
        self.geometry_ = SceneGeometry(program.layout.positions, widths)
        centres = self.geometry_.centres
        value_points = centres.xy(index.ids)
        op_points = centres.xy([op_node_id(n) for n in index.ids])
        self.cards = LazyItems(index.ids, value_points, self._make_card)
        self.bubbles = LazyItems(
            index.ids,
            op_points,
            self._make_bubble,
            lambda i: index.nodes[i].op is not None,
        )
        op_widths = np.array(
            [widths.get(node_id, OP_H) for node_id in index.ids], dtype=float
        )
        self._edge_items = edge_items(
            index, value_points, op_points, op_widths, len(index) > DENSE_GRAPH
        )
        for item in self._edge_items:
            self._scene.addItem(item)

    def _make_card(self, i: int) -> ValueCard:
        """The card of the ``i``-th node, showing the state of this moment."""
        program = self.model.program
        index = program.index
        node_id = index.ids[i]
        card = ValueCard(
            node_id,
            program.walk.name(node_id),
            index.nodes[i].op is None,
            node_id == index.root_id,
        )
        card.setPos(self.geometry_.centres[node_id])
        card.setVisible(not self._far)
        check = self.model.grad_checks.get(node_id)
        card.set_state(
            value=index.nodes[i].data,
            known=bool(self._known[i]),
            grad=float(self._grads[i]),
            has_grad=bool(self._arrived[i]),
            scale=self._scale,
            role=self._roles.get(node_id),
            selected=node_id == self.model.selected,
            check=check_state(check),
            axis=self.axes.axis_of(node_id),
            nonfinite=self._nonfinite_state(node_id),
        )
        self._scene.addItem(card)
        for hook in self.item_hooks:
            hook(node_id, card)
        return card

    def _nonfinite_state(self, node_id: str) -> tuple[str | None, str, str]:
        """(mark, words, caption) of a node where numbers stop or after it."""
        mark = self.model.non_finite_mark(node_id)
        if mark is None:
            return (None, "", "")
        origin = self.model.non_finite
        where = f" (line {origin.line})" if origin.line else ""
        if mark == "first":
            why = f"not a number from here: {origin.why}{where}"
            return (mark, why, f"{origin.why}{where}")
        why = f"not a number downstream of {origin.name} ({origin.why}{where})"
        return (mark, why, "")

    def _update_non_finite(self) -> None:
        for node_id, card in self.cards.made().items():
            card.set_state(nonfinite=self._nonfinite_state(node_id))

    def _make_bubble(self, i: int) -> OpBubble:
        """The op pill that computes the ``i``-th node."""
        index = self.model.program.index
        node_id, op = index.ids[i], index.nodes[i].op
        bubble = OpBubble(node_id, op.label, op.name)
        bubble.setPos(self.geometry_.centres[op_node_id(node_id)])
        bubble.setVisible(not self._far)
        bubble.set_state(
            known=bool(self._known[i]), role=self._bubble_roles.get(node_id)
        )
        self._scene.addItem(bubble)
        for hook in self.item_hooks:
            hook(node_id, bubble)
        return bubble

    def paintEvent(self, event) -> None:
        """Make the cards and pills about to be seen, then paint."""
        if self.geometry_ is not None and not self._far:
            seen = self.mapToScene(self.viewport().rect()).boundingRect()
            seen.adjust(-CARD_W, -CARD_H, CARD_W, CARD_H)
            self.cards.make_in(seen)
            self.bubbles.make_in(seen)
        super().paintEvent(event)

    def _overview_state(self, index: int, node_id: str) -> str:
        role = self._roles.get(node_id)
        if role in (FORWARD_TARGET, FORWARD_INPUT):
            return "forward"
        if role in (BACKWARD_TARGET, BACKWARD_SOURCE):
            return "backward"
        if self._arrived[index]:
            grad = self._grads[index]
            return "positive" if grad > 0 else "negative" if grad < 0 else "zero"
        return "known" if self._known[index] else "unknown"

    def _refresh_overview(self, indices) -> None:
        if self._overview is not None:
            ids = self.model.program.index.ids
            self._overview.set_states(
                {i: self._overview_state(i, ids[i]) for i in indices}
            )

    def _big(self) -> bool:
        program = self.model.program
        return program is not None and program.size > DENSE_GRAPH

    def _make_overview(self) -> Overview:
        """The far-out drawing, made the first time a big graph is seen far out."""
        index = self.model.program.index
        centres = self.geometry_.centres
        edges = {(p, i) for i, parents in enumerate(index.parents) for p in parents}
        overview = Overview([centres[n] for n in index.ids], list(edges))
        overview.setVisible(self._far)
        self._scene.addItem(overview)
        self._overview = overview
        self._refresh_overview(range(len(index)))
        return overview

    def _update_lod(self) -> None:
        """Far out on a big graph, swap the cards for the overview's dots."""
        if not self._big():
            return
        far = self.scale_factor() < self.OVERVIEW_SCALE
        if far == self._far:
            return
        self._far = far
        if far and self._overview is None:
            self._make_overview()
        if self._overview is not None:
            self._overview.setVisible(far)
        # Top-level items keep the scene's spatial index useful (children of one
        # parent would all be visited on every repaint), so each is toggled.
        for items in (
            self.cards.made().values(),
            self.bubbles.made().values(),
            self._edge_items,
        ):
            for item in items:
                item.setVisible(not far)
        self._highlight.setVisible(not far)

    @property
    def overview(self) -> Overview | None:
        """The far-out drawing of a big graph (None for a small one)."""
        if self._overview is None and self._big() and self.geometry_ is not None:
            self._make_overview()
        return self._overview

    def showing_overview(self) -> bool:
        return self._far
