"""The graph view with folds: a folded group is one box, and unfolding it
re-lays out the graph and slides every card to its new place.

:class:`FoldingGraphView` is the explorer's :class:`~ui.explorer.graph_view.
GraphView` when the model has folds (a graph without groups draws exactly as
the plain view does). It draws the model's
:meth:`~graphviz_dl.labs.explorer.folds.FoldsMixin.folded_graph`: nodes as
cards and pills, folded groups as :class:`~ui.explorer.group_items.GroupBox`,
edges unit to unit with a count where several node edges merge. It never
decides what is folded: a click asks through :attr:`foldRequested`.
"""

from __future__ import annotations

from collections.abc import Mapping
from types import MappingProxyType

import numpy as np
from PySide6.QtCore import QPointF, Qt, Signal
from PySide6.QtGui import QColor

from graphviz_dl.folding import fold_level
from ui.explorer.fold_anim import FoldAnimator
from ui.explorer.fold_geometry import folded_geometry, unit_left
from ui.explorer.fold_items import group_frames, unit_edge_items
from ui.explorer.graph_geometry import Segment
from ui.explorer.graph_view import GraphView
from ui.explorer.group_items import (
    GroupBox,
    GroupFrame,
    group_key,
    numbers_text,
)
from ui.explorer.lazy_items import LazyItems
from ui.explorer.palette import (
    BACKWARD_SOURCE,
    BACKWARD_TARGET,
    CARD_W,
    FORWARD_INPUT,
    FORWARD_TARGET,
    OP_GAP,
    OP_H,
    PALETTE,
    ROW_H,
    VALUE_GAP,
)
from ui.explorer.view_zoom import FIT_MIN_SCALE


class FoldingGraphView(GraphView):
    """A :class:`GraphView` that draws folded groups as boxes."""

    foldRequested = Signal(object, object)
    """(new folded spans, the span the eye is on or None): please refold."""
    budgetChanged = Signal(object)
    """(unit columns, rows) that fit the viewport legibly."""
    stepIntoRequested = Signal(object)
    """A group to open completely and step into (double-click, Enter)."""

    boxes: Mapping = MappingProxyType({})
    frames: tuple = ()
    _holding = False
    _animator = None

    def __init__(self, model, parent=None) -> None:
        super().__init__(model, parent)
        self._animator = FoldAnimator(self)
        self._clicked_span = None
        self._just_opened = None
        model.foldedChanged.connect(self._refold)

    # --- building ------------------------------------------------------------------
    def _make_items(self, program) -> None:
        if self._animator is not None:
            self._animator.cancel()
        self.boxes = {}
        folded = self.model.folded_graph()
        if folded is None:
            super()._make_items(program)
            return
        index = program.index
        self.geometry_, keys = folded_geometry(
            folded, self.model.folded_layout(), index
        )
        centres = self.geometry_.centres
        nodes = [unit for unit in folded.units if isinstance(unit, int)]
        shown = np.zeros(len(index), dtype=bool)
        shown[nodes] = True
        ids = index.ids
        points = np.zeros((len(index), 2))
        points[nodes] = centres.xy([ids[i] for i in nodes])
        op_points = np.zeros((len(index), 2))
        with_op = [i for i in nodes if index.nodes[i].op is not None]
        op_points[with_op] = centres.xy([f"{ids[i]}:op" for i in with_op])
        self.cards = LazyItems(ids, points, self._make_card, lambda i: shown[i])
        self.bubbles = LazyItems(
            ids,
            op_points,
            self._make_bubble,
            lambda i: shown[i] and index.nodes[i].op is not None,
        )
        for unit, key in zip(folded.units, keys, strict=True):
            if not isinstance(unit, int):
                box = GroupBox(unit)
                box.setPos(centres[key])
                self._scene.addItem(box)
                self.boxes[unit] = box
        self._edge_items = unit_edge_items(folded, self.geometry_, keys)
        self.frames = group_frames(self.model, folded, self.geometry_, keys)
        for item in (*self._edge_items, *self.frames):
            self._scene.addItem(item)

    def _rebuild(self) -> None:
        """As the plain view, with the scene grown to hold the groups' frames."""
        held, self._holding = self._holding, True
        self.frames, self.boxes = [], {}  # their items go with the scene
        try:
            super()._rebuild()
        finally:
            self._holding = held
        if self.frames:
            rect = self._scene.sceneRect()
            for frame in self.frames:
                rect = rect.united(frame.sceneBoundingRect().adjusted(-8, -8, 8, 8))
            self._scene.setSceneRect(rect)
        if not held:
            self.fit(readable=True)

    def _big(self) -> bool:
        """A folded drawing is small: no far-out dots for it."""
        return not self.boxes and super()._big()

    # --- numbers and roles ---------------------------------------------------------
    def _apply_numbers(self, force: bool = False) -> None:
        super()._apply_numbers(force)
        if not self.boxes:
            return
        known, grads = self.model.known(), self.model.grads()
        arrived = self.model.grad_known()
        nodes = self.model.program.index.nodes
        for span, box in self.boxes.items():
            outputs = list(span.outputs)
            done = bool(known[outputs].all()) if outputs else False
            inputs = [i for i in span.inputs if arrived[i]]
            began = bool(arrived[span.start : span.stop].any())
            box.set_state(
                known=done,
                outputs=numbers_text(nodes[i].data for i in outputs) if done else "",
                grads=numbers_text(grads[inputs]) if began and inputs else "",
            )

    def _step_roles(self) -> tuple[dict, dict, list[Segment], QColor | None]:
        if not self.boxes:
            return super()._step_roles()
        model = self.model
        step = model.current_step()
        cursor = model.cursor()
        covered = None if step is None else cursor.move_at(model.position)
        box_roles: dict = {}
        result: tuple = ({}, {}, [], None)
        if covered is not None:
            box_roles[covered] = "forward" if step.phase == "forward" else "backward"
        elif step is not None:
            result = self._node_step_roles(step, box_roles)
        for span, box in self.boxes.items():
            box.set_state(role=box_roles.get(span))
        return result

    def _node_step_roles(self, step, box_roles: dict) -> tuple:
        """Roles of a one-node step; an end hidden in a box lights the box."""
        centres, geometry = self.geometry_.centres, self.geometry_
        where = self.model.position_of
        roles: dict[str, str] = {}
        bubbles: dict[str, str] = {}
        segments: list[Segment] = []

        def shown(node_id: str, role: str, box_role: str) -> bool:
            if node_id in centres:
                roles[node_id] = role
                return True
            span = self.model.shown_span(where(node_id))
            if span is not None:
                box_roles[span] = box_role
            return False

        if step.phase == "forward":
            target = shown(step.node, FORWARD_TARGET, "forward")
            for parent_id in step.inputs:
                if shown(parent_id, FORWARD_INPUT, "input") and target:
                    count = len(step.inputs)
                    segments.append(
                        geometry.operand_segment(
                            parent_id, step.node, step.inputs.index(parent_id), count
                        )
                    )
                elif target:
                    span = self.model.shown_span(where(parent_id))
                    if span is not None:
                        start = centres[group_key(span)] + QPointF(CARD_W / 2, 0)
                        end = unit_left(geometry, step.node, False)
                        segments.append((start, end))
            if target:
                bubbles[step.node] = FORWARD_TARGET
                segments.append(geometry.output_segment(step.node))
            return roles, bubbles, segments, PALETTE.forward
        shown(step.node, BACKWARD_TARGET, "backward")
        if step.phase != "seed" and shown(step.inputs[0], BACKWARD_SOURCE, "backward"):
            bubbles[step.inputs[0]] = BACKWARD_SOURCE
        return roles, bubbles, segments, PALETTE.backward

    def _follow_step(self) -> None:
        if not self.boxes:
            super()._follow_step()
            return
        step = self.model.current_step()
        if step is None or self.showing_overview():
            return
        span = self.model.cursor().move_at(self.model.position)
        if span is None:
            span = self.model.shown_span(self.model.position_of(step.node))
        item = self.boxes.get(span) if span is not None else self.cards.get(step.node)
        if item is not None:
            self.ensureVisible(item.sceneBoundingRect(), 40, 40)

    def center_on_node(self, node_id: str) -> None:
        """Bring a node to the middle, unfolding what hides it first."""
        if self.boxes and node_id not in self.centres:
            self.model.reveal(self.model.position_of(node_id))
        super().center_on_node(node_id)

    # --- refolding -----------------------------------------------------------------
    def fit(self, readable: bool = False) -> None:
        """Fit the graph; asked by a person (not a load), first fold to the
        level that fits, so fitting never draws unreadable boxes."""
        if self._holding:
            return
        model = self.model
        if not readable and model.group_tree is not None:
            self._update_budget()
            level = model.level_that_fits()
            self.foldRequested.emit(fold_level(model.group_tree, level), None)
            readable = True
        super().fit(readable)

    def resizeEvent(self, event) -> None:
        self._update_budget()
        super().resizeEvent(event)

    def _update_budget(self) -> None:
        """How many unit columns and rows the viewport holds at a readable zoom."""
        viewport = self.viewport().size()
        pitch = self.geometry_pitch()
        columns = max(2, int(viewport.width() / FIT_MIN_SCALE / pitch[0]))
        rows = max(2, int(viewport.height() / FIT_MIN_SCALE / pitch[1]))
        if self.model.fold_budget != (columns, rows):
            self.model.fold_budget = (columns, rows)
            self.budgetChanged.emit((columns, rows))

    @staticmethod
    def geometry_pitch() -> tuple[float, float]:
        """A unit column's width (card, op slot, gaps) and a row's height."""
        return CARD_W + OP_GAP + OP_H + max(OP_GAP, VALUE_GAP), ROW_H

    def _refold(self) -> None:
        """New folds: rebuild, keep the zoom and the eye's place, animate."""
        before = self._animator.snapshot()
        anchor = self._clicked_span
        self._clicked_span = None
        scale, centre = (
            self.scale_factor(),
            self.mapToScene(self.viewport().rect().center()),
        )
        self._holding = True
        try:
            self._rebuild()
        finally:
            self._holding = False
        delta = self._animator.shift(before, anchor)  # zero without an anchor
        if anchor is None:
            super().fit(readable=True)
        else:
            self._set_scale(scale)
            self.centerOn(centre + delta)
            self._auto_fit = False
        self._animator.start(before, anchor, delta)

    # --- pointing ------------------------------------------------------------------
    def box_at(self, point) -> GroupBox | None:
        for item in self.items(point):
            if isinstance(item, GroupBox):
                return item
        return None

    def mousePressEvent(self, event) -> None:
        self._just_opened = None
        point = event.position().toPoint()
        frame = next(
            (item for item in self.items(point) if isinstance(item, GroupFrame)), None
        )
        if frame is not None and event.button() == Qt.MouseButton.LeftButton:
            self._clicked_span = frame.span
            self.foldRequested.emit(self.model.folded | {frame.span}, frame.span)
            event.accept()
            return
        box = self.box_at(point)
        if box is None or event.button() != Qt.MouseButton.LeftButton:
            super().mousePressEvent(event)
            return
        self._clicked_span = box.span
        self.foldRequested.emit(self.model.opened(box.span), box.span)
        self._just_opened = box.span
        event.accept()

    def mouseDoubleClickEvent(self, event) -> None:
        span = self._just_opened
        box = self.box_at(event.position().toPoint())
        if box is not None:
            span = box.span
        if span is not None:
            self._just_opened = None
            self.stepIntoRequested.emit(span)
            event.accept()
            return
        super().mouseDoubleClickEvent(event)

    def contextMenuEvent(self, event) -> None:
        """Fold or unfold what is under the pointer (a leaf keeps its own menu)."""
        point = event.pos()
        box = self.box_at(point)
        node_id = None if box is not None else self.node_at(point)
        maker = getattr(self, "fold_menu", None)
        leaf = node_id is not None and self.model.is_leaf(node_id)
        menu = None
        if maker is not None and not leaf:
            where = None if node_id is None else self.model.position_of(node_id)
            menu = maker(None if box is None else box.span, where)
        if menu is None:
            super().contextMenuEvent(event)
            return
        if node_id is not None:  # a node's own entries too (trace it)
            self.model.select(node_id)
            for extend in self.menu_extenders:
                extend(menu, node_id)
        menu.exec(event.globalPos())
        menu.deleteLater()
        event.accept()

    def keyPressEvent(self, event) -> None:
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            span = self.group_ahead()
            if span is not None:
                self.stepIntoRequested.emit(span)
                event.accept()
                return
        super().keyPressEvent(event)

    def group_ahead(self):
        """The folded group the current move covered, or the next move covers."""
        cursor, position = self.model.cursor(), self.model.position
        if cursor is None:
            return None
        span = cursor.move_at(position) if position else None
        return span if span is not None else cursor.move_at(cursor.next(position))
