"""The graph view: the computational graph laid out left to right, lit step by step.

It draws the core's layout (value nodes as cards, op nodes as pills, edges as
arrows) and follows the :class:`~ui.explorer.explorer_model.ExplorerModel`: a new program
rebuilds the scene; a step only touches the cards whose value, gradient or role
changed. Clicking a node selects it; double-clicking a leaf opens a small editor
for its value. Wheel and keys zoom, dragging pans.
"""

from __future__ import annotations

import math
import sys

import numpy as np
from PySide6.QtCore import QPointF, QRectF, Qt, QTimer, Signal
from PySide6.QtGui import QColor, QKeySequence, QPainter, QShortcut
from PySide6.QtWidgets import (
    QApplication,
    QCompleter,
    QGraphicsScene,
    QGraphicsView,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QMenu,
    QProgressBar,
    QSizePolicy,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from graphviz_dl.numfmt import format_number

from ui.explorer.explorer_model import ExplorerModel
from ui.explorer.graph_items import (
    BACKWARD_SOURCE,
    BACKWARD_TARGET,
    CARD_H,
    CARD_W,
    FORWARD_INPUT,
    FORWARD_TARGET,
    OP_GAP,
    OP_H,
    PALETTE,
    ROW_H,
    VALUE_GAP,
    EdgeGroup,
    OpBubble,
    Overview,
    ValueCard,
)

MIN_SCALE = 0.0005
MAX_SCALE = 6.0
FIT_MAX_SCALE = 1.5
FIT_MIN_SCALE = 0.55
"""A graph opens no smaller than this (a card's text is still legible); whatever
does not fit is a scroll away, and stepping scrolls to the node that changes."""
OVERVIEW_SCALE = 0.16
"""Below this zoom a big graph is drawn as the overview's dots."""
DENSE_GRAPH = 150
"""Above this many nodes, edges are drawn as fast one-pixel lines."""


def parse_number(text: str) -> float:
    """A number a person typed: ``2``, ``-0.5``, ``−0.5``, ``1e-3``, ``inf``, ``nan``."""
    cleaned = text.strip().replace("\u2212", "-").replace(",", ".")
    if not cleaned:
        raise ValueError("type a number")
    try:
        return float(cleaned)
    except ValueError:
        raise ValueError(f"{text.strip()!r} is not a number") from None


class GraphView(QGraphicsView):
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

        self.cards: dict[str, ValueCard] = {}
        self.bubbles: dict[str, OpBubble] = {}
        self.centres: dict[str, QPointF] = {}
        self._highlight = EdgeGroup()
        self._edge_items: list[EdgeGroup] = []
        self._overview: Overview | None = None
        self._roles: dict[str, str] = {}
        self._bubble_roles: dict[str, str] = {}
        self._known = np.zeros(0, dtype=bool)
        self._grads = np.zeros(0)
        self._arrived = np.zeros(0, dtype=bool)
        self._auto_fit = True
        self._fit_readable = False
        self._editor: QLineEdit | None = None
        self._editing: str | None = None
        self._surface_leaves: list[str] = []

        model.programChanged.connect(self._rebuild)
        model.valuesChanged.connect(self._update_values)
        model.positionChanged.connect(self._update_position)
        model.selectionChanged.connect(self._update_selection)
        model.gradChecksChanged.connect(self._update_checks)
        self._rebuild()

    # --- building ----------------------------------------------------------------
    def _rebuild(self) -> None:
        """A new program: make one item per node, batch the edges, fit the view."""
        self._close_editor()
        self._scene.clear()
        self._overview = None
        if self._surface_leaves:
            self._surface_leaves = []
            self.surfaceLeavesChanged.emit()
        self._highlight = EdgeGroup(width=4.5, head=13.0)
        self._highlight.setZValue(-1)
        self._scene.addItem(self._highlight)
        self.cards.clear()
        self.bubbles.clear()
        self.centres.clear()
        self._roles.clear()
        self._bubble_roles.clear()
        program = self.model.program
        if program is None:
            self._known = np.zeros(0, dtype=bool)
            self._grads = np.zeros(0)
            self._arrived = np.zeros(0, dtype=bool)
            return
        walk = program.walk
        nodes = walk.nodes
        root_id = f"n{len(nodes) - 1}"
        for index, node in enumerate(nodes):
            node_id = f"n{index}"
            card = ValueCard(
                node_id, walk.name(node_id), node.op is None, node_id == root_id
            )
            self.cards[node_id] = card
            if node.op is not None:
                self.bubbles[node_id] = OpBubble(node_id, node.op.label, node.op.name)
        self._place(program.layout.positions)
        for node_id, card in self.cards.items():
            card.setPos(self.centres[node_id])
            self._scene.addItem(card)
        for node_id, bubble in self.bubbles.items():
            bubble.setPos(self.centres[f"{node_id}:op"])
            self._scene.addItem(bubble)
        self._edge_items = self._edge_groups(nodes, walk.ids)
        for group in self._edge_items:
            self._scene.addItem(group)
        if len(nodes) > DENSE_GRAPH:
            edges = {
                (walk.ids[parent], index)
                for index, node in enumerate(nodes)
                for parent in node.parents
            }
            self._overview = Overview(
                [self.centres[f"n{i}"] for i in range(len(nodes))],
                [(int(parent[1:]), child) for parent, child in edges],
            )
            self._overview.setVisible(False)
            self._scene.addItem(self._overview)
        self._scene.setSceneRect(self._bounds())
        self._known = np.zeros(len(nodes), dtype=bool)
        self._grads = np.full(len(nodes), math.nan)
        self._arrived = np.zeros(len(nodes), dtype=bool)
        self._apply_numbers(force=True)
        self._apply_roles()
        self._update_selection(self.model.selected)
        self._update_checks()
        self._auto_fit = True
        self.fit(readable=True)

    def _bounds(self) -> QRectF:
        """The scene's extent from the node centres (cheaper than asking every item)."""
        if not self.centres:
            return QRectF()
        xs = [p.x() for p in self.centres.values()]
        ys = [p.y() for p in self.centres.values()]
        margin = 40.0
        return QRectF(
            min(xs) - CARD_W / 2 - margin,
            min(ys) - CARD_H / 2 - margin,
            max(xs) - min(xs) + CARD_W + 2 * margin,
            max(ys) - min(ys) + CARD_H + 2 * margin + 24,
        )

    def _place(self, positions: dict[str, tuple[float, float]]) -> None:
        """Layout units to scene pixels: value columns are wide, op columns narrow."""
        columns: dict[float, bool] = {}
        for key, (x, _y) in positions.items():
            column = round(float(x), 6)
            columns[column] = columns.get(column, False) or not key.endswith(":op")
        widths = {
            column: CARD_W if has_values else OP_H
            for column, has_values in columns.items()
        }
        for node_id, bubble in self.bubbles.items():
            column = round(float(positions[f"{node_id}:op"][0]), 6)
            widths[column] = max(widths[column], bubble.width)
        pixel: dict[float, float] = {}
        cursor = 0.0
        previous: float | None = None
        for column in sorted(columns):
            if previous is None:
                cursor = widths[column] / 2
            else:
                gap = VALUE_GAP if columns[column] and columns[previous] else OP_GAP
                cursor += widths[previous] / 2 + gap + widths[column] / 2
            pixel[column] = cursor
            previous = column
        for key, (x, y) in positions.items():
            self.centres[key] = QPointF(pixel[round(float(x), 6)], float(y) * ROW_H)

    def _edge_groups(self, nodes, ids) -> list[EdgeGroup]:
        """All edges, grouped by the op node they meet (its operands and its output)."""
        groups = []
        dense = len(nodes) > DENSE_GRAPH
        edge_color = PALETTE.edge.darker(130) if dense else PALETTE.edge
        for index, node in enumerate(nodes):
            if node.op is None:
                continue
            node_id = f"n{index}"
            parents = node.parents
            segments = [
                self._operand_segment(ids[parent], node_id, operand, len(parents))
                for operand, parent in enumerate(parents)
            ]
            segments.append(self._output_segment(node_id))
            group = EdgeGroup(segments, edge_color, hairline=dense)
            group.setZValue(-2)
            groups.append(group)
        return groups

    def _operand_segment(
        self, parent_id: str, node_id: str, operand: int, count: int
    ) -> tuple[QPointF, QPointF]:
        """From a parent card's right side into the op pill's left side."""
        start = self.centres[parent_id] + QPointF(CARD_W / 2, 0.0)
        bubble = self.bubbles[node_id]
        spread = min(9.0, (OP_H - 8) / max(1, count - 1)) if count > 1 else 0.0
        offset = (operand - (count - 1) / 2) * spread
        end = self.centres[f"{node_id}:op"] + QPointF(-bubble.width / 2, offset)
        return start, end

    def _output_segment(self, node_id: str) -> tuple[QPointF, QPointF]:
        bubble = self.bubbles[node_id]
        start = self.centres[f"{node_id}:op"] + QPointF(bubble.width / 2, 0.0)
        end = self.centres[node_id] + QPointF(-CARD_W / 2, 0.0)
        return start, end

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
        nodes = program.walk.nodes
        if force:
            finals = np.abs(
                np.asarray(program.walk.grads(len(program.walk)), dtype=float)
            )
            finite = finals[np.isfinite(finals)]
            scale = float(finite.max()) if finite.size else 1.0
            changed = range(len(nodes))
        else:
            scale = None
            differs = (
                (known != self._known)
                | (arrived != self._arrived)
                | ~((grads == self._grads) | (np.isnan(grads) & np.isnan(self._grads)))
            )
            changed = np.flatnonzero(differs).tolist()
        for index in changed:
            node_id = f"n{index}"
            card = self.cards[node_id]
            card.set_state(
                value=nodes[index].data,
                known=bool(known[index]),
                grad=float(grads[index]),
                has_grad=bool(arrived[index]),
                scale=scale,
            )
            bubble = self.bubbles.get(node_id)
            if bubble is not None:
                bubble.set_state(known=bool(known[index]))
        self._known = known.copy()
        self._grads = grads.copy()
        self._arrived = arrived.copy()
        self._refresh_overview(changed)

    def _apply_roles(self) -> None:
        """Light the nodes and edges the current step uses; unlight the last ones."""
        step = self.model.current_step()
        roles: dict[str, str] = {}
        bubble_roles: dict[str, str] = {}
        segments: list[tuple[QPointF, QPointF]] = []
        color: QColor | None = None
        if step is not None:
            nodes = self.model.program.walk.nodes
            ids = self.model.program.walk.ids
            if step.phase == "forward":
                color = PALETTE.forward
                node = nodes[int(step.node[1:])]
                parents = node.parents
                for operand, parent in enumerate(parents):
                    roles[ids[parent]] = FORWARD_INPUT
                    segments.append(
                        self._operand_segment(
                            ids[parent], step.node, operand, len(parents)
                        )
                    )
                roles[step.node] = FORWARD_TARGET
                bubble_roles[step.node] = FORWARD_TARGET
                segments.append(self._output_segment(step.node))
            elif step.phase == "seed":
                roles[step.node] = BACKWARD_TARGET
            else:
                color = PALETTE.backward
                child = step.inputs[0]
                roles[child] = BACKWARD_SOURCE
                roles[step.node] = BACKWARD_TARGET
                bubble_roles[child] = BACKWARD_SOURCE
                count = len(nodes[int(child[1:])].parents)
                operand = step.operand if step.operand is not None else 0
                segments.append(self._operand_segment(step.node, child, operand, count))
                segments.append(self._output_segment(child))
        for node_id in self._roles.keys() - roles.keys():
            self.cards[node_id].set_state(role=None)
        for node_id, role in roles.items():
            self.cards[node_id].set_state(role=role)
        for node_id in self._bubble_roles.keys() - bubble_roles.keys():
            self.bubbles[node_id].set_state(role=None)
        for node_id, role in bubble_roles.items():
            self.bubbles[node_id].set_state(role=role)
        touched = {int(node_id[1:]) for node_id in self._roles.keys() | roles.keys()}
        self._roles = roles
        self._bubble_roles = bubble_roles
        self._refresh_overview(touched)
        self._highlight.set_edges(segments, color or PALETTE.edge)

    def _overview_state(self, index: int) -> str:
        role = self._roles.get(f"n{index}")
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
            self._overview.set_states({i: self._overview_state(i) for i in indices})

    def _update_lod(self) -> None:
        """Far out on a big graph, swap the cards for the overview's dots."""
        if self._overview is None:
            return
        far = self.scale_factor() < OVERVIEW_SCALE
        if far == self._overview.isVisible():
            return
        # Top-level items keep the scene's spatial index useful (children of one
        # parent would all be visited on every repaint), so each is toggled.
        self._overview.setVisible(far)
        for items in (self.cards.values(), self.bubbles.values(), self._edge_items):
            for item in items:
                item.setVisible(not far)
        self._highlight.setVisible(not far)

    @property
    def overview(self) -> Overview | None:
        """The far-out drawing of a big graph (None for a small one)."""
        return self._overview

    def showing_overview(self) -> bool:
        return self._overview is not None and self._overview.isVisible()

    def _update_selection(self, node_id: str | None = None) -> None:
        for card_id, card in self.cards.items():
            card.set_state(selected=card_id == node_id)

    def _update_checks(self) -> None:
        checks = self.model.grad_checks
        for node_id, card in self.cards.items():
            check = checks.get(node_id)
            card.set_state(
                check=None if check is None else (bool(check.ok), check.numeric)
            )

    # --- looking around --------------------------------------------------------------
    def fit(self, readable: bool = False) -> None:
        """Show the whole graph (never blown up past a comfortable size).

        With ``readable`` (a graph just loaded), a graph too big for that is
        shown from its inputs at a zoom where its text can still be read.
        """
        rect = self._scene.sceneRect()
        if rect.isEmpty():
            return
        self.fitInView(rect, Qt.AspectRatioMode.KeepAspectRatio)
        scale = self.transform().m11()
        if scale > FIT_MAX_SCALE:
            self._set_scale(FIT_MAX_SCALE)
            self.centerOn(rect.center())
        elif readable and scale < FIT_MIN_SCALE:
            self._set_scale(FIT_MIN_SCALE)
            half_width = self.viewport().width() / 2 / FIT_MIN_SCALE
            self.centerOn(QPointF(rect.left() + half_width, rect.center().y()))
            self._follow_step()
        self._auto_fit = True
        self._fit_readable = readable
        self._update_lod()

    def zoom_by(self, factor: float) -> None:
        self._auto_fit = False
        self._set_scale(self.transform().m11() * factor)

    def zoom_in(self) -> None:
        self.zoom_by(1.25)

    def zoom_out(self) -> None:
        self.zoom_by(0.8)

    def scale_factor(self) -> float:
        return self.transform().m11()

    def _set_scale(self, scale: float) -> None:
        scale = max(MIN_SCALE, min(MAX_SCALE, scale))
        current = self.transform().m11()
        if current > 0:
            self.scale(scale / current, scale / current)
        self._update_lod()

    def center_on_node(self, node_id: str) -> None:
        """Bring a node to the middle, close enough to read it."""
        centre = self.centres.get(node_id)
        if centre is None:
            return
        self._auto_fit = False
        if self.scale_factor() < 0.8:
            self._set_scale(1.0)
        self.centerOn(centre)

    def node_at(self, point) -> str | None:
        """The node id under a viewport point, if any."""
        for item in self.items(point):
            if isinstance(item, (ValueCard, OpBubble)):
                return item.node_id
        return None

    def resizeEvent(self, event) -> None:
        super().resizeEvent(event)
        if self._auto_fit:
            self.fit(readable=self._fit_readable)

    def wheelEvent(self, event) -> None:
        delta = event.angleDelta().y()
        if delta:
            self.zoom_by(1.0015**delta)
            event.accept()
        else:
            super().wheelEvent(event)

    def keyPressEvent(self, event) -> None:
        key = event.key()
        if key in (Qt.Key.Key_Plus, Qt.Key.Key_Equal):
            self.zoom_in()
        elif key == Qt.Key.Key_Minus:
            self.zoom_out()
        elif key == Qt.Key.Key_0:
            self.fit()
        else:
            super().keyPressEvent(event)

    def mousePressEvent(self, event) -> None:
        node_id = self.node_at(event.position().toPoint())
        if event.button() == Qt.MouseButton.LeftButton:
            control = event.modifiers() & Qt.KeyboardModifier.ControlModifier
            if control and node_id is not None and self.model.is_leaf(node_id):
                self.toggle_surface_leaf(node_id)
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

    # --- choosing two leaves for a loss surface ------------------------------------------
    def surface_leaves(self) -> tuple[str, ...]:
        """The leaves chosen as the surface's axes (x first), at most two."""
        return tuple(self._surface_leaves)

    def set_surface_leaves(self, node_ids) -> None:
        """Choose the axes' leaves (the last two given count)."""
        chosen = [n for n in node_ids if self.model.is_leaf(n)]
        chosen = list(dict.fromkeys(chosen))[-2:]
        if chosen == self._surface_leaves:
            return
        self._surface_leaves = chosen
        for node_id, card in self.cards.items():
            axis = None
            if node_id in chosen:
                axis = "xy"[chosen.index(node_id)]
            card.set_state(axis=axis)
        self.surfaceLeavesChanged.emit()

    def toggle_surface_leaf(self, node_id: str) -> None:
        """Ctrl+click: add a leaf to the axes (a third replaces the first), or
        take it away again."""
        chosen = list(self._surface_leaves)
        if node_id in chosen:
            chosen.remove(node_id)
        else:
            chosen.append(node_id)
        self.set_surface_leaves(chosen)
        names = [self.model.name(n) for n in self._surface_leaves]
        if len(names) == 2:
            self.message.emit(
                f"Loss surface over ({names[0]}, {names[1]}): Step ▸ Show loss "
                "surface (Ctrl+L)"
            )
        elif names:
            self.message.emit(f"{names[0]} chosen: Ctrl+click a second input")

    def leaf_menu(self, node_id: str) -> QMenu:
        """The right-click menu of a leaf: its loss surface over it and another."""
        menu = QMenu(self)
        menu.setObjectName("leafMenu")
        walk = self.model.program.walk
        name = walk.name(node_id)
        others = [
            f"n{i}"
            for i, node in enumerate(walk.nodes)
            if node.op is None and f"n{i}" != node_id
        ]
        # named leaves first (the inputs a person wrote), numbers in formulas after
        others.sort(key=lambda n: (not walk.nodes[int(n[1:])].label, int(n[1:])))
        over = menu.addMenu(f"Loss surface over {name} and …")
        over.setObjectName("surfaceOverMenu")
        over.setEnabled(bool(others))
        for other in others:
            action = over.addAction(walk.name(other))
            action.setData(other)
            action.triggered.connect(
                lambda _checked=False, a=node_id, b=other: self.surfaceRequested.emit(
                    a, b
                )
            )
        chosen = node_id in self._surface_leaves
        toggle = menu.addAction(
            "Remove from the surface's axes" if chosen else "Use as a surface axis"
        )
        toggle.setObjectName("toggleSurfaceAxis")
        toggle.triggered.connect(lambda: self.toggle_surface_leaf(node_id))
        edit = menu.addAction("Edit value…")
        edit.triggered.connect(lambda: self.edit_leaf(node_id))
        return menu

    def contextMenuEvent(self, event) -> None:
        node_id = self.node_at(event.pos())
        if node_id is None or not self.model.is_leaf(node_id):
            super().contextMenuEvent(event)
            return
        self.model.select(node_id)
        menu = self.leaf_menu(node_id)
        menu.exec(event.globalPos())
        menu.deleteLater()
        event.accept()

    # --- editing a leaf ----------------------------------------------------------------
    def edit_leaf(self, node_id: str) -> QLineEdit:
        """Open the inline editor over a leaf's card (Enter applies, Esc cancels)."""
        self._close_editor()
        card = self.cards[node_id]
        editor = QLineEdit(self.viewport())
        editor.setObjectName("leafEditor")
        editor.setAccessibleName(f"New value for {card.name}")
        editor.setText(repr(card.value))
        editor.selectAll()
        rect = self.mapFromScene(card.mapRectToScene(card.card_rect())).boundingRect()
        height = max(30, editor.sizeHint().height())
        editor.setGeometry(
            rect.left(), rect.center().y() - height // 2, max(rect.width(), 140), height
        )
        editor.setToolTip(f"New value for {card.name}: Enter applies, Esc cancels")
        editor.returnPressed.connect(self._commit_editor)
        editor.editingFinished.connect(self._editor_left)
        editor.installEventFilter(self)
        self._editor = editor
        self._editing = node_id
        editor.show()
        editor.setFocus()
        return editor

    def eventFilter(self, watched, event) -> bool:
        if (
            watched is self._editor
            and event.type() == event.Type.KeyPress
            and event.key() == Qt.Key.Key_Escape
        ):
            QTimer.singleShot(0, self._close_editor)
            return True
        return super().eventFilter(watched, event)

    def _commit_editor(self) -> None:
        editor, node_id = self._editor, self._editing
        if editor is None or node_id is None:
            return
        try:
            value = parse_number(editor.text())
        except ValueError as exc:
            editor.setStyleSheet("border: 2px solid #dc2626;")
            self.message.emit(f"{self.model.name(node_id)}: {exc}")
            return
        self._close_editor()
        self.leafValueEntered.emit(node_id, value)
        self.setFocus()

    def _editor_left(self) -> None:
        if self._editor is not None and not self._editor.hasFocus():
            QTimer.singleShot(0, self._close_editor)

    def _close_editor(self) -> None:
        editor = self._editor
        self._editor = None
        self._editing = None
        if editor is not None:
            editor.removeEventFilter(self)
            editor.hide()
            editor.deleteLater()


class GraphPanel(QWidget):
    """The "Graph explorer" tab: a search box, zoom buttons, a legend and the view."""

    def __init__(self, model: ExplorerModel, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("graphPanel")
        self.model = model
        self.view = GraphView(model, self)
        self.search = QLineEdit(self)
        self.search.setObjectName("nodeSearch")
        self.search.setPlaceholderText("Find a node by name…")
        self.search.setClearButtonEnabled(True)
        self.search.setAccessibleName("Find a node")
        self.search.setMaximumWidth(260)
        self.search.returnPressed.connect(self.find)
        self._completer_names: list[str] = []
        self.progress = QProgressBar(self)
        self.progress.setObjectName("layoutProgress")
        self.progress.setRange(0, 0)
        self.progress.setMaximumWidth(160)
        self.progress.setFormat("laying out…")
        self.progress.setTextVisible(True)
        self.progress.hide()

        bar = QHBoxLayout()
        bar.setContentsMargins(6, 4, 6, 2)
        bar.addWidget(self.search)
        for name, text, tip, slot in (
            ("zoomOut", "−", "Zoom out (Ctrl+−)", self.view.zoom_out),
            ("zoomIn", "+", "Zoom in (Ctrl++)", self.view.zoom_in),
            ("zoomFit", "Fit", "Show the whole graph (Ctrl+0)", self.view.fit),
        ):
            button = QToolButton(self)
            button.setObjectName(name)
            button.setText(text)
            button.setToolTip(tip)
            button.setAccessibleName(tip)
            button.clicked.connect(slot)
            bar.addWidget(button)
        bar.addWidget(self.progress)
        bar.addStretch(1)
        legend = QLabel(self)
        legend.setObjectName("graphLegend")
        legend.setText(
            f"<span style='color:{PALETTE.forward.name()}'>■</span> forward step&nbsp;&nbsp;"
            f"<span style='color:{PALETTE.backward.name()}'>■</span> backward step&nbsp;&nbsp;"
            f"<span style='color:{PALETTE.positive.name()}'>■</span> grad &gt; 0&nbsp;&nbsp;"
            f"<span style='color:{PALETTE.negative.name()}'>■</span> grad &lt; 0"
            "&nbsp;&nbsp;(stronger = larger)"
        )
        legend.setToolTip(
            "Cards: a value node's name, value and gradient; '?' means not computed yet.\n"
            "Pills: the op that computes the next card. Double-click an input to edit it."
        )
        legend.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)
        legend.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        bar.addWidget(legend, 3)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(0)
        layout.addLayout(bar)
        layout.addWidget(self.view, 1)
        model.programChanged.connect(self._update_completer)
        self._update_completer()
        QShortcut(QKeySequence.StandardKey.Find, self, self.focus_search)

    def focus_search(self) -> None:
        self.search.setFocus()
        self.search.selectAll()

    def find(self) -> str | None:
        """Select and centre the node whose name matches the search text."""
        text = self.search.text()
        node_id = self.model.find(text)
        if node_id is None:
            if text.strip():
                self.view.message.emit(f"No node is called {text.strip()!r}")
            return None
        self.model.select(node_id)
        self.view.center_on_node(node_id)
        self.view.message.emit(f"Found {self.model.name(node_id)} ({node_id})")
        return node_id

    def set_busy(self, busy: bool) -> None:
        self.progress.setVisible(busy)

    def _update_completer(self) -> None:
        program = self.model.program
        names = (
            []
            if program is None
            else sorted(
                {program.walk.name(f"n{i}") for i in range(len(program.walk.nodes))}
            )
        )
        if names == self._completer_names:
            return
        self._completer_names = names
        completer = QCompleter(names, self.search)
        completer.setCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
        completer.setFilterMode(Qt.MatchFlag.MatchContains)
        completer.activated.connect(lambda _text: self.find())
        self.search.setCompleter(completer)


def _demo() -> int:  # python -m ui.explorer.graph_view: a quick look at one example
    from graphviz_dl.gallery import EXAMPLES

    from ui.explorer.explorer_model import prepare_program

    app = QApplication.instance() or QApplication(sys.argv)
    model = ExplorerModel()
    panel = GraphPanel(model)
    model.set_program(prepare_program(EXAMPLES[0].source))
    model.set_position(len(model.program.walk) // 2)
    panel.resize(1100, 640)
    panel.show()
    return app.exec()


if __name__ == "__main__":
    sys.exit(_demo())

__all__ = ["GraphPanel", "GraphView", "format_number", "parse_number"]
