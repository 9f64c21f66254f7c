"""The graph view: the computational graph laid out left to right, lit step by step.

It draws the core's layout (value nodes as cards, op nodes as pills, edges as
arrows) and follows the :class:`~graphviz_dl.labs.explorer.model.ExplorerModel`:
a new program rebuilds the scene; a step only touches the cards whose value,
gradient or role changed. Clicking a node selects it; double-clicking a leaf
opens a small editor for its value. Wheel and keys zoom, dragging pans.
"""

from __future__ import annotations

import math
from collections.abc import Callable

import numpy as np
from PySide6.QtCore import QPointF, Qt, Signal
from PySide6.QtGui import QColor, QPainter
from PySide6.QtWidgets import QGraphicsScene, QGraphicsView, QLineEdit, QMenu, QWidget

from graphviz_dl.labs.explorer.model import ExplorerModel
from ui.explorer.edge_items import EdgeGroup, Overview
from ui.explorer.graph_geometry import SceneGeometry, Segment
from ui.explorer.graph_items import GraphItemsMixin
from ui.explorer.lazy_items import EMPTY, LazyItems
from ui.explorer.leaf_tools import LeafEditor, SurfaceAxes
from ui.explorer.node_items import OpBubble, ValueCard, check_state
from ui.explorer.palette import (
    BACKWARD_SOURCE,
    BACKWARD_TARGET,
    FORWARD_INPUT,
    FORWARD_TARGET,
    PALETTE,
)
from ui.explorer.view_zoom import ZoomMixin


class GraphView(GraphItemsMixin, ZoomMixin, QGraphicsView):
    """Draws the model's graph and lights up the current step."""

    leafValueEntered = Signal(str, float)
    """A person typed a new value for a leaf (node id, value): make it a command."""
    message = Signal(str)
    """Something to tell the person (shown in the status bar)."""
    surfaceLeavesChanged = Signal()
    """The leaves chosen as the loss surface's axes changed."""
    surfaceRequested = Signal(str, str)
    """Show the loss surface over these two leaves (x's node id, y's)."""

    def __init__(self, model: ExplorerModel, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("graphView")
        self.model = model
        # The view does not own its scene: parent it, or it is collected.
        self._scene = QGraphicsScene(self)
        self._scene.setBackgroundBrush(QColor("#f8fafc"))
        self.setScene(self._scene)
        self._set_up_view()
        self.cards: LazyItems = EMPTY
        self.bubbles: LazyItems = EMPTY
        self._far = False
        self._scale = 1.0
        self.geometry_: SceneGeometry | None = None
        self._highlight = EdgeGroup()
        self._edge_items: list[EdgeGroup] = []
        self._overview: Overview | None = None
        self._roles: dict[str, str] = {}
        self._bubble_roles: dict[str, str] = {}
        self.item_hooks: list[Callable[[str, object], None]] = []
        """Called with (node id, item) as each card or pill is made."""
        self.menu_extenders: list[Callable[[QMenu, str], None]] = []
        """Called with (menu, node id) to add entries to a node's right-click menu."""
        self._clear_numbers(0)
        self.leaf_editor = LeafEditor(self)
        self.leaf_editor.committed.connect(self.leafValueEntered)
        self.leaf_editor.message.connect(self.message)
        self.axes = SurfaceAxes(model, self)
        self.axes.changed.connect(self._update_axes)
        self.axes.message.connect(self.message)
        self.axes.requested.connect(self.surfaceRequested)
        model.programChanged.connect(self._rebuild)
        model.valuesChanged.connect(self._update_values)
        model.valuesChanged.connect(self._update_non_finite)
        model.positionChanged.connect(self._update_position)
        model.selectionChanged.connect(self._update_selection)
        model.gradChecksChanged.connect(self._update_checks)
        self._rebuild()

    def _set_up_view(self) -> None:
        self.setRenderHints(
            QPainter.RenderHint.Antialiasing | QPainter.RenderHint.TextAntialiasing
        )
        self.setDragMode(QGraphicsView.DragMode.ScrollHandDrag)
        self.setTransformationAnchor(QGraphicsView.ViewportAnchor.AnchorUnderMouse)
        self.setResizeAnchor(QGraphicsView.ViewportAnchor.AnchorViewCenter)
        self.setViewportUpdateMode(
            QGraphicsView.ViewportUpdateMode.MinimalViewportUpdate
        )
        self.setOptimizationFlag(
            QGraphicsView.OptimizationFlag.DontSavePainterState, True
        )
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self.setAccessibleName("Computational graph")
        self._init_zoom()

    def _clear_numbers(self, count: int) -> None:
        self._known = np.zeros(count, dtype=bool)
        self._grads = np.full(count, math.nan)
        self._arrived = np.zeros(count, dtype=bool)

    @property
    def centres(self) -> dict[str, QPointF]:
        """Each node's (and op node's) centre in the scene."""
        return {} if self.geometry_ is None else self.geometry_.centres

    # --- building ----------------------------------------------------------------
    def _rebuild(self) -> None:
        """A new program: make one item per node, batch the edges, fit the view."""
        self.leaf_editor.close()
        self.axes.set([])
        self._scene.clear()
        self._overview = None
        self._far = False
        self._highlight = EdgeGroup(width=4.5, head=13.0)
        self._highlight.setZValue(-1)
        self._scene.addItem(self._highlight)
        self.cards = self.bubbles = EMPTY
        self._roles.clear()
        self._bubble_roles.clear()
        self.geometry_ = None
        program = self.model.program
        if program is None:
            self._clear_numbers(0)
            return
        self._make_items(program)
        self._scene.setSceneRect(self.geometry_.bounds())
        self._clear_numbers(program.size)
        self._apply_numbers(force=True)
        self._apply_roles()
        self._update_selection(self.model.selected)
        self._update_checks()
        self.fit(readable=True)

    # --- following the model ---------------------------------------------------------
    def _update_position(self, old: int = 0, new: int = 0) -> None:
        self._apply_numbers()
        self._apply_roles()
        self._follow_step()

    def _follow_step(self) -> None:
        """Scroll (never zoom) so the node the current step changes is on screen."""
        step = self.model.current_step()
        card = None if step is None else self.cards.get(step.node)
        if card is not None and not self.showing_overview():
            self.ensureVisible(card.sceneBoundingRect(), 40, 40)

    def _update_values(self) -> None:
        self._apply_numbers(force=True)
        self._apply_roles()

    def _apply_numbers(self, force: bool = False) -> None:
        """Push known-ness, values and gradients into the cards that changed."""
        program = self.model.program
        if program is None:
            return
        known = self.model.known()
        grads = self.model.grads()
        arrived = self.model.grad_known()
        if force:
            finals = np.abs(np.asarray(program.final_grads(), dtype=float))
            finite = finals[np.isfinite(finals)]
            scale = float(finite.max()) if finite.size else 1.0
            changed = range(program.size)
        else:
            scale = None
            same_grad = (grads == self._grads) | (
                np.isnan(grads) & np.isnan(self._grads)
            )
            differs = (known != self._known) | (arrived != self._arrived) | ~same_grad
            changed = np.flatnonzero(differs).tolist()
        if scale is not None:
            self._scale = scale
        nodes, ids = program.index.nodes, program.index.ids
        cards, bubbles = self.cards.made(), self.bubbles.made()
        if force or len(changed) > len(cards):
            # Items not made yet take their state when they are made.
            where = program.index.position_of
            changed_made = sorted(where(node_id) for node_id in cards)
        else:
            changed_made = changed
        for i in changed_made:
            card = cards.get(ids[i])
            if card is not None:
                card.set_state(
                    value=nodes[i].data,
                    known=bool(known[i]),
                    grad=float(grads[i]),
                    has_grad=bool(arrived[i]),
                    scale=scale,
                )
            bubble = bubbles.get(ids[i])
            if bubble is not None:
                bubble.set_state(known=bool(known[i]))
        self._known, self._grads, self._arrived = (
            known.copy(),
            grads.copy(),
            arrived.copy(),
        )
        self._refresh_overview(changed)

    def _step_roles(self) -> tuple[dict, dict, list[Segment], QColor | None]:
        """Which cards and pills the current step uses, and its edges."""
        step = self.model.current_step()
        roles: dict[str, str] = {}
        bubble_roles: dict[str, str] = {}
        segments: list[Segment] = []
        if step is None:
            return roles, bubble_roles, segments, None
        geometry = self.geometry_
        if step.phase == "forward":
            for operand, parent_id in enumerate(step.inputs):
                roles[parent_id] = FORWARD_INPUT
                segments.append(
                    geometry.operand_segment(
                        parent_id, step.node, operand, len(step.inputs)
                    )
                )
            roles[step.node] = bubble_roles[step.node] = FORWARD_TARGET
            segments.append(geometry.output_segment(step.node))
            return roles, bubble_roles, segments, PALETTE.forward
        roles[step.node] = BACKWARD_TARGET
        if step.phase == "seed":
            return roles, bubble_roles, segments, None
        child = step.inputs[0]
        roles[child] = bubble_roles[child] = BACKWARD_SOURCE
        index = self.model.program.index
        count = len(index.parents[index.position_of(child)])
        operand = step.operand if step.operand is not None else 0
        segments.append(geometry.operand_segment(step.node, child, operand, count))
        segments.append(geometry.output_segment(child))
        return roles, bubble_roles, segments, PALETTE.backward

    def _apply_roles(self) -> None:
        """Light the nodes and edges the current step uses; unlight the last ones."""
        roles, bubble_roles, segments, color = self._step_roles()
        for node_id in self._roles.keys() - roles.keys():
            self.cards[node_id].set_state(role=None)
        for node_id, role in roles.items():
            self.cards[node_id].set_state(role=role)
        for node_id in self._bubble_roles.keys() - bubble_roles.keys():
            self.bubbles[node_id].set_state(role=None)
        for node_id, role in bubble_roles.items():
            self.bubbles[node_id].set_state(role=role)
        touched = self._roles.keys() | roles.keys()
        self._roles = roles
        self._bubble_roles = bubble_roles
        if self._overview is not None:
            position_of = self.model.position_of
            self._refresh_overview([position_of(node_id) for node_id in touched])
        self._highlight.set_edges(segments, color or PALETTE.edge)

    def _update_selection(self, node_id: str | None = None) -> None:
        for card_id, card in self.cards.made().items():
            card.set_state(selected=card_id == node_id)

    def _update_checks(self) -> None:
        checks = self.model.grad_checks
        for node_id, card in self.cards.made().items():
            check = checks.get(node_id)
            card.set_state(check=check_state(check))

    def _update_axes(self) -> None:
        for node_id, card in self.cards.made().items():
            card.set_state(axis=self.axes.axis_of(node_id))
        self.surfaceLeavesChanged.emit()

    # --- pointing ------------------------------------------------------------------------
    def node_at(self, point) -> str | None:
        """The node id under a viewport point, if any."""
        for item in self.items(point):
            if isinstance(item, (ValueCard, OpBubble)):
                return item.node_id
        return None

    def mousePressEvent(self, event) -> None:
        node_id = self.node_at(event.position().toPoint())
        if event.button() == Qt.MouseButton.LeftButton:
            control = event.modifiers() & Qt.KeyboardModifier.ControlModifier
            if control and node_id is not None and self.model.is_leaf(node_id):
                self.axes.toggle(node_id)
            self.model.select(node_id)
            if node_id is not None:
                event.accept()
                return
            self._auto_fit = False
        super().mousePressEvent(event)

    def mouseDoubleClickEvent(self, event) -> None:
        node_id = self.node_at(event.position().toPoint())
        if node_id is not None and self.model.is_leaf(node_id):
            self.edit_leaf(node_id)
            event.accept()
            return
        super().mouseDoubleClickEvent(event)

    def contextMenuEvent(self, event) -> None:
        node_id = self.node_at(event.pos())
        if node_id is None:
            super().contextMenuEvent(event)
            return
        self.model.select(node_id)
        menu = self.node_menu(node_id)
        if menu.isEmpty():
            menu.deleteLater()
            super().contextMenuEvent(event)
            return
        menu.exec(event.globalPos())
        menu.deleteLater()
        event.accept()

    # --- leaves: editing, and the loss surface's axes -------------------------------------
    def edit_leaf(self, node_id: str) -> QLineEdit:
        """Open the inline editor over a leaf's card (Enter applies, Esc cancels)."""
        return self.leaf_editor.open(node_id, self.cards[node_id])

    def surface_leaves(self) -> tuple[str, ...]:
        """The leaves chosen as the surface's axes (x first), at most two."""
        return tuple(self.axes.chosen)

    def set_surface_leaves(self, node_ids) -> None:
        """Choose the axes' leaves (the last two given count)."""
        self.axes.set(node_ids)

    def toggle_surface_leaf(self, node_id: str) -> None:
        self.axes.toggle(node_id)

    def node_menu(self, node_id: str) -> QMenu:
        """A node's right-click menu: a leaf's own entries, then the extenders'."""
        menu = self.leaf_menu(node_id) if self.model.is_leaf(node_id) else QMenu(self)
        for extend in self.menu_extenders:
            extend(menu, node_id)
        return menu

    def leaf_menu(self, node_id: str) -> QMenu:
        """The right-click menu of a leaf: its loss surface over it and another."""
        return self.axes.menu(node_id, self, lambda: self.edit_leaf(node_id))
