"""Looking around the graph: fit, zoom (buttons, keys, wheel), centre on a node."""

from __future__ import annotations

from PySide6.QtCore import QPointF, Qt

MIN_SCALE = 0.0005
MAX_SCALE = 6.0
FIT_MAX_SCALE = 1.5
FIT_MIN_SCALE = 0.55
"""A graph opens no smaller than this (a card's text is still legible); whatever
does not fit is a scroll away, and stepping scrolls to the node that changes."""
OVERVIEW_SCALE = 0.16
"""Below this zoom a big graph is drawn as the overview's dots."""


class ZoomMixin:
    """Zooming for :class:`~ui.explorer.graph_view.GraphView` (a QGraphicsView
    with ``centres``, ``_follow_step`` and ``_update_lod``)."""

    OVERVIEW_SCALE = OVERVIEW_SCALE

    def _init_zoom(self) -> None:
        self._auto_fit = True
        self._fit_readable = False

    def fit(self, readable: bool = False) -> None:
        """Show the whole graph (never blown up past a comfortable size).

        With ``readable`` (a graph just loaded), a graph too big for that is
        shown from its inputs at a zoom where its text can still be read.
        """
        rect = self.scene().sceneRect()
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
