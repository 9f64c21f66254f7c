"""The minimap: the whole graph beside the view, with the part on screen outlined.

It is a picture, not a second scene: the nodes are stamped into an image once
per graph (with numpy, so 20,000 nodes cost a few milliseconds) and the edges
drawn on it when there are few enough to mean something; each repaint only
copies that picture and draws the visible rectangle and the current step's
node. Click or drag in it to move the view there. It hides itself while the
whole graph is on screen (nothing to navigate) and follows View ▸ Minimap.
"""

from __future__ import annotations

import numpy as np
from PySide6.QtCore import QEvent, QMargins, QPointF, QRect, QRectF, Qt, QTimer
from PySide6.QtGui import QColor, QImage, QPainter, QPalette, QPen, QPixmap
from PySide6.QtWidgets import QWidget

from ui.explorer.palette import CARD_H, CARD_W, PALETTE

MAX_W, MAX_H = 220, 160
"""The minimap's largest size in pixels; the graph's shape sets the rest."""
MIN_SIDE = 72
"""A long thin graph is stretched across at least this many pixels (a strip
two pixels wide is no map)."""
MARGIN = 6
MAX_EDGES = 6000
"""More edges than this are a grey blur at minimap size: drawn as nodes only."""


class Minimap(QWidget):
    """A small overview in a strip at the bottom-right of a graph view."""

    def __init__(self, view) -> None:
        super().__init__(view)
        self.setObjectName("minimap")
        self.setToolTip("The whole graph: click or drag to move the view")
        self.setAccessibleName("Minimap of the whole graph")
        self.setCursor(Qt.CursorShape.PointingHandCursor)
        self.view = view
        self.enabled_ = True
        self._pixmap: QPixmap | None = None
        self._scene_rect = QRectF()
        self._margins = QMargins()
        self._placing = False
        self._place_pending = False
        self._painted: tuple | None = None
        view.model.programChanged.connect(self.rebuild)
        view.model.positionChanged.connect(self._repaint_if_moved)
        for bar in (view.horizontalScrollBar(), view.verticalScrollBar()):
            bar.valueChanged.connect(self._view_moved)
            bar.rangeChanged.connect(self._view_moved)
        view.viewport().installEventFilter(self)
        # The strip the minimap sits in has the graph's background, not a
        # window's grey: it reads as part of the graph area.
        palette = view.palette()
        palette.setColor(QPalette.ColorRole.Window, QColor("#f8fafc"))
        view.setPalette(palette)
        view.setAutoFillBackground(True)
        self.rebuild()

    # --- showing ----------------------------------------------------------------------
    def set_enabled(self, on: bool) -> None:
        """View ▸ Minimap: allow the minimap (shown when the graph needs it)."""
        self.enabled_ = bool(on)
        self._place()

    def needed(self) -> bool:
        """True when part of the graph is off screen (judged over the view's
        whole area, the minimap's strip included, so showing it never makes it
        unneeded)."""
        if self._pixmap is None:
            return False
        view = self.view
        area = view.viewport().rect().marginsAdded(self._margins)
        area.moveTopLeft(view.viewport().rect().topLeft())
        seen = view.mapToScene(area).boundingRect()
        return not seen.contains(self._scene_rect.adjusted(2, 2, -2, -2))

    def _place(self) -> None:
        """Show the minimap in a strip beside the graph (below a wide one, right
        of a tall one), never over it: a widget over the view would stop Qt from
        scrolling the view's pixels, and every step that scrolls would repaint
        the whole graph."""
        if self._placing:  # the margins' own resize comes back here
            return
        show = self.enabled_ and self.needed()
        view = self.view
        margins = QMargins()
        if show:
            size = self._pixmap.deviceIndependentSize().toSize()
            if size.width() >= 1.6 * size.height():
                margins.setBottom(size.height() + 2 * MARGIN)
            else:
                margins.setRight(size.width() + 2 * MARGIN)
        if self._margins != margins:
            self._margins = margins
            self._placing = True
            try:
                view.setViewportMargins(margins)
            finally:
                self._placing = False
        if show:
            frame = view.frameWidth()
            where = QRect(
                view.width() - frame - size.width() - MARGIN,
                view.height() - frame - size.height() - MARGIN,
                size.width(),
                size.height(),
            )
            if where != self.geometry():
                self.setGeometry(where)
            if not self.isVisible():
                self.raise_()
        if show != self.isVisible():
            self.setVisible(show)

    def _view_moved(self, *_args) -> None:
        """The view scrolled or zoomed: redraw the outline now; decide whether
        the minimap is needed once the view has settled (a fit scrolls on its
        way, and would show and hide it in between)."""
        self._repaint_if_moved()
        if not self._place_pending:
            self._place_pending = True
            QTimer.singleShot(0, self._place_later)

    def _repaint_if_moved(self, *_args) -> None:
        """Repaint only when the outline or the step's dot moved by a pixel:
        on a big graph a step scrolls the view by less than that."""
        if not self.isVisible() or self._pixmap is None:
            return
        key = (self.visible_rect().toAlignedRect(), self._dot())
        if key != self._painted:
            self._painted = key
            self.update()

    def _dot(self) -> tuple[QPointF, QColor] | None:
        """Where (in minimap pixels) and in which colour the step's node is."""
        step = self.view.model.current_step()
        centres = self.view.centres
        if step is None or step.node not in centres:
            return None
        colour = PALETTE.forward if step.phase == "forward" else PALETTE.backward
        centre = centres[step.node]
        point = self.to_map(QRectF(centre, centre)).topLeft()
        return QPointF(round(point.x()), round(point.y())), colour

    def _place_later(self) -> None:
        self._place_pending = False
        self._place()

    def eventFilter(self, watched, event) -> bool:
        if event.type() == QEvent.Type.Resize:
            self._place()
        return False

    # --- the picture -------------------------------------------------------------------
    def rebuild(self) -> None:
        """A new graph: stamp its nodes (and edges) into the picture."""
        geometry = self.view.geometry_
        program = self.view.model.program
        if geometry is None or program is None:
            self._pixmap = None
            self._place()
            return
        self._scene_rect = geometry.bounds()
        rect = self._scene_rect
        ratio = min(MAX_W / rect.width(), MAX_H / rect.height())
        width = max(MIN_SIDE, round(rect.width() * ratio))
        height = max(MIN_SIDE // 2, round(rect.height() * ratio))
        ratio = (width / rect.width(), height / rect.height())
        ids = program.index.ids
        xy = geometry.centres.xy(ids)
        image = QImage(width, height, QImage.Format.Format_ARGB32)
        image.fill(QColor("#f8fafc"))
        painter = QPainter(image)
        _draw_edges(painter, program.index, xy, rect, ratio)
        painter.drawImage(0, 0, _stamp(xy, rect, ratio, width, height))
        painter.setPen(QPen(PALETTE.border, 1))
        painter.setBrush(Qt.BrushStyle.NoBrush)
        painter.drawRect(0, 0, width - 1, height - 1)
        painter.end()
        self._pixmap = QPixmap.fromImage(image)
        self._ratio = ratio  # (x, y): pixels per scene unit
        self._place()
        self.update()

    def to_scene(self, point: QPointF) -> QPointF:
        """The scene point under a point of the minimap."""
        rect, (rx, ry) = self._scene_rect, self._ratio
        return QPointF(rect.left() + point.x() / rx, rect.top() + point.y() / ry)

    def to_map(self, rect: QRectF) -> QRectF:
        """A scene rectangle in minimap pixels."""
        scene, (rx, ry) = self._scene_rect, self._ratio
        return QRectF(
            (rect.left() - scene.left()) * rx,
            (rect.top() - scene.top()) * ry,
            rect.width() * rx,
            rect.height() * ry,
        )

    def visible_rect(self) -> QRectF:
        """The part of the graph on screen, in minimap pixels."""
        view = self.view
        return self.to_map(view.mapToScene(view.viewport().rect()).boundingRect())

    def paintEvent(self, event) -> None:
        if self._pixmap is None:
            return
        painter = QPainter(self)
        painter.drawPixmap(0, 0, self._pixmap)
        dot = self._dot()
        if dot is not None:
            painter.setPen(Qt.PenStyle.NoPen)
            painter.setBrush(dot[1])
            painter.drawEllipse(dot[0], 3.5, 3.5)
        seen = self.visible_rect().intersected(QRectF(self.rect()))
        fill = QColor(PALETTE.selected)
        fill.setAlphaF(0.15)
        painter.setBrush(fill)
        painter.setPen(QPen(PALETTE.selected, 1.5))
        painter.drawRect(seen.adjusted(0.5, 0.5, -0.5, -0.5))
        painter.end()

    # --- panning ------------------------------------------------------------------------
    def mousePressEvent(self, event) -> None:
        self._pan_to(event.position())
        event.accept()

    def mouseMoveEvent(self, event) -> None:
        if event.buttons() & Qt.MouseButton.LeftButton:
            self._pan_to(event.position())
        event.accept()

    def _pan_to(self, point: QPointF) -> None:
        """Centre the view on the scene point under ``point``."""
        if self._pixmap is None:
            return
        self.view._auto_fit = False
        self.view.centerOn(self.to_scene(point))


def _stamp(xy: np.ndarray, rect: QRectF, ratio, width: int, height: int):
    """A transparent image with every node as a small box (at least a pixel)."""
    rx, ry = ratio
    pixels = np.zeros((height, width), dtype=np.uint32)
    half_w = max(0, round(CARD_W * rx / 2) - 1)
    half_h = max(0, round(CARD_H * ry / 2) - 1)
    cx = np.clip(((xy[:, 0] - rect.left()) * rx).astype(int), 0, width - 1)
    cy = np.clip(((xy[:, 1] - rect.top()) * ry).astype(int), 0, height - 1)
    colour = np.uint32(0xFF64748B)
    for dy in range(-half_h, half_h + 1):
        for dx in range(-half_w, half_w + 1):
            pixels[np.clip(cy + dy, 0, height - 1), np.clip(cx + dx, 0, width - 1)] = (
                colour
            )
    image = QImage(pixels.data, width, height, QImage.Format.Format_ARGB32)
    return image.copy()  # owns its pixels once the array is gone


def _draw_edges(painter: QPainter, index, xy: np.ndarray, rect: QRectF, ratio):
    if len(index) > MAX_EDGES:
        return
    left, top = rect.left(), rect.top()
    rx, ry = ratio
    lines = []
    for i, parents in enumerate(index.parents):
        for p in set(parents):
            lines.append(
                (
                    QPointF((xy[p, 0] - left) * rx, (xy[p, 1] - top) * ry),
                    QPointF((xy[i, 0] - left) * rx, (xy[i, 1] - top) * ry),
                )
            )
    pen = QPen(QColor("#dbe2ea"), 0.6)
    painter.setPen(pen)
    for a, b in lines:
        painter.drawLine(a, b)
