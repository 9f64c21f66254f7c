"""Tracing a node: keep it and its ancestors (or descendants) bright, dim the rest.

"What does this value depend on?" and "where does its gradient come from?"
are answered in the core (:mod:`graphviz_dl.labs.explorer.navigation`); here
the answer is drawn: every other card and pill fades, every edge fades, and
the edges inside the trace are drawn again on top in the traced colour. Items
made later (the view makes cards as they come into sight) are dimmed as they
are made. Esc on the graph, or "Clear trace", ends it.
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, Qt
from PySide6.QtGui import QColor
from PySide6.QtWidgets import QMenu

from graphviz_dl.labs.explorer.navigation import Navigator
from ui.explorer.edge_items import EdgeGroup

DIMMED = 0.15
"""The opacity of what a trace leaves out: still there, clearly not it."""
TRACE_COLOR = QColor("#0ea5e9")


class Tracer(QObject):
    """Draws the navigator's trace on a :class:`~ui.explorer.graph_view.GraphView`."""

    def __init__(self, view, navigator: Navigator) -> None:
        super().__init__(view)
        self.view = view
        self.navigator = navigator
        self._overlay: EdgeGroup | None = None
        self._dimmed = False
        navigator.traceChanged.connect(self._apply)
        view.item_hooks.append(self._item_made)
        view.menu_extenders.append(self.extend_menu)
        view.installEventFilter(self)

    # --- asking -------------------------------------------------------------------------
    def trace(self, node_id: str | None, kind: str) -> bool:
        """Trace ``node_id`` (default: the selected node); False if there is none."""
        model = self.view.model
        node_id = node_id or model.selected
        if model.program is None or node_id is None:
            self.view.message.emit("Select a node first (click it), then trace it")
            return False
        self.navigator.set_trace(model.position_of(node_id), kind)
        self.view.message.emit(self.navigator.trace_text())
        return True

    def clear(self) -> bool:
        return self.navigator.clear_trace()

    def extend_menu(self, menu: QMenu, node_id: str) -> None:
        """The right-click menu's trace entries for ``node_id``."""
        if not menu.isEmpty():
            menu.addSeparator()
        menu.addAction(
            "Show what it depends on (ancestors)",
            lambda: self.trace(node_id, "ancestors"),
        ).setObjectName("traceAncestorsMenu")
        menu.addAction(
            "Show where its gradient comes from (descendants)",
            lambda: self.trace(node_id, "descendants"),
        ).setObjectName("traceDescendantsMenu")
        if self.navigator.trace_kind is not None:
            menu.addAction("Clear trace (Esc)", self.clear)

    def eventFilter(self, watched, event) -> bool:
        """Esc on the graph ends the trace (and nothing else is done with it)."""
        if (
            event.type() == QEvent.Type.KeyPress
            and event.key() == Qt.Key.Key_Escape
            and self.navigator.trace_kind is not None
        ):
            self.clear()
            self.view.message.emit("")
            return True
        return False

    # --- drawing ------------------------------------------------------------------------
    def opacity(self, node_id: str) -> float:
        """What a card or pill of ``node_id`` is drawn at under the current trace."""
        if self.navigator.trace_kind is None:
            return 1.0
        position = self.view.model.position_of(node_id)
        return 1.0 if position in self.navigator.trace else DIMMED

    def _item_made(self, node_id: str, item) -> None:
        if self._dimmed:
            item.setOpacity(self.opacity(node_id))

    def _apply(self) -> None:
        view = self.view
        on = self.navigator.trace_kind is not None
        if on or self._dimmed:
            for items in (view.cards.made(), view.bubbles.made()):
                for node_id, item in items.items():
                    item.setOpacity(self.opacity(node_id))
            for edges in view._edge_items:
                edges.setOpacity(DIMMED if on else 1.0)
        self._dimmed = on
        self._set_overlay(self._segments() if on else [])

    def _segments(self) -> list:
        """The edges between traced nodes: operand edges and op-to-card edges."""
        program = self.view.model.program
        geometry = self.view.geometry_
        if program is None or geometry is None:
            return []
        index, trace = program.index, self.navigator.trace
        ids, segments = index.ids, []
        for i in sorted(trace):
            parents = index.parents[i]
            if not parents:
                continue
            inside = [k for k, p in enumerate(parents) if p in trace]
            if not inside:
                continue
            for k in inside:
                segments.append(
                    geometry.operand_segment(ids[parents[k]], ids[i], k, len(parents))
                )
            segments.append(geometry.output_segment(ids[i]))
        return segments

    def _set_overlay(self, segments: list) -> None:
        overlay = self._overlay
        if overlay is not None:
            try:
                if overlay.scene() is not None:
                    overlay.scene().removeItem(overlay)
            except RuntimeError:  # the scene was cleared for a new graph
                pass
            self._overlay = None
        if segments:
            overlay = EdgeGroup(segments, TRACE_COLOR, width=2.6, head=10.0)
            overlay.setZValue(-0.5)
            self.view.scene().addItem(overlay)
            self._overlay = overlay
