"""The edges of a drawn graph, batched, and the far-out overview of a big one.

A small graph's edges are drawn one item per op node (a dense graph's are one
:class:`~ui.explorer.dense_edges.DenseEdges`); the few edges a step lights up
are drawn on top by another :class:`EdgeGroup`.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
from PySide6.QtCore import QPointF, QRectF, Qt
from PySide6.QtGui import QBrush, QColor, QPainter, QPainterPath, QPen, QPolygonF
from PySide6.QtWidgets import QGraphicsItem, QStyleOptionGraphicsItem

from ui.explorer.fixed_bounds import FixedBoundsItem
from ui.explorer.palette import CARD_H, CARD_W, LOD_TEXT, PALETTE, level_of_detail


def edge_path(start: QPointF, end: QPointF) -> QPainterPath:
    """A smooth left-to-right curve from ``start`` to ``end``."""
    path = QPainterPath(start)
    dx = max(24.0, (end.x() - start.x()) * 0.5)
    path.cubicTo(start.x() + dx, start.y(), end.x() - dx, end.y(), end.x(), end.y())
    return path


def arrow_head(tip: QPointF, size: float = 9.0) -> QPolygonF:
    """A small triangle pointing right, its tip at ``tip``."""
    return QPolygonF(
        [
            tip,
            QPointF(tip.x() - size, tip.y() - size * 0.55),
            QPointF(tip.x() - size, tip.y() + size * 0.55),
        ]
    )


class EdgeGroup(FixedBoundsItem):
    """Several edges (curve + arrow head) drawn by one item.

    Only the edges that cross the exposed area are stroked, so repainting a
    small region never pays for a long path elsewhere. An edge is kept as
    four numbers and its box; its curve is made the first time it is painted,
    so building a scene never pays for edges nobody looks at.
    """

    def __init__(
        self,
        segments: Sequence[tuple[QPointF, QPointF]] = (),
        color: QColor | None = None,
        width: float = 1.6,
        head: float = 9.0,
    ) -> None:
        super().__init__()
        self.setFlag(QGraphicsItem.GraphicsItemFlag.ItemUsesExtendedStyleOption, True)
        self._width = width
        self._head = head
        self._ends = np.zeros((0, 4))
        self._boxes = np.zeros((0, 4))
        self._drawn: dict[int, tuple[QPainterPath, QPolygonF]] = {}
        self._pen = QPen()
        self._brush = QBrush()
        self.set_edges(segments, color or PALETTE.edge)

    def set_edges(
        self, segments: Sequence[tuple[QPointF, QPointF]], color: QColor
    ) -> None:
        """Replace the edges (and their colour)."""
        ends = np.array(
            [(a.x(), a.y(), b.x(), b.y()) for a, b in segments], dtype=float
        )
        self.set_ends(ends.reshape(-1, 4), color)

    def set_ends(self, ends: np.ndarray, color: QColor) -> None:
        """Replace the edges by their ends, rows of ``(x0, y0, x1, y1)``."""
        margin = self._width + self._head
        sx, sy, ex, ey = ends.T
        dx = np.maximum(24.0, (ex - sx) * 0.5)
        # edge_path's control points bound its curve.
        boxes = np.column_stack(
            (
                np.minimum(sx, ex - dx) - margin,
                np.minimum(sy, ey) - margin,
                np.maximum(sx + dx, ex) + margin,
                np.maximum(sy, ey) + margin,
            )
        )
        # Kept as one array: a list per edge would be 20,000 objects for the
        # cycle collector to scan on every rebuild of a big graph's scene.
        self._ends, self._boxes, self._drawn = ends, boxes, {}
        if len(boxes):
            left, top = boxes[:, 0].min(), boxes[:, 1].min()
            right, bottom = boxes[:, 2].max(), boxes[:, 3].max()
            self.set_bounds(QRectF(left, top, right - left, bottom - top))
        else:
            self.set_bounds(QRectF())
        self._pen = QPen(color, self._width)
        self._pen.setCapStyle(Qt.PenCapStyle.RoundCap)
        self._brush = QBrush(color)
        self.update()

    def edge_count(self) -> int:
        return len(self._ends)

    def _shown(self, exposed: QRectF) -> list[tuple[QPainterPath, QPolygonF]]:
        """The curves and heads of the edges crossing ``exposed`` (made once)."""
        boxes = self._boxes
        if not len(boxes):
            return []
        crossing = np.flatnonzero(
            (boxes[:, 2] >= exposed.left())
            & (boxes[:, 0] <= exposed.right())
            & (boxes[:, 3] >= exposed.top())
            & (boxes[:, 1] <= exposed.bottom())
        )
        shown = []
        for i in crossing.tolist():
            drawn = self._drawn.get(i)
            if drawn is None:
                sx, sy, ex, ey = self._ends[i].tolist()
                tip = QPointF(ex, ey)
                drawn = (edge_path(QPointF(sx, sy), tip), arrow_head(tip, self._head))
                self._drawn[i] = drawn
            shown.append(drawn)
        return shown

    def paint(
        self, painter: QPainter, option: QStyleOptionGraphicsItem, widget=None
    ) -> None:
        shown = self._shown(option.exposedRect)
        if not shown:
            return
        near = level_of_detail(painter, option) >= LOD_TEXT
        # Smooth curves cost several times more: only a few, seen close up.
        painter.setRenderHint(
            QPainter.RenderHint.Antialiasing, near and len(shown) <= 24
        )
        painter.setPen(self._pen)
        painter.setBrush(Qt.BrushStyle.NoBrush)
        for path, _head in shown:
            painter.drawPath(path)
        painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(self._brush)
        for _path, head in shown:
            painter.drawPolygon(head)


class Overview(QGraphicsItem):
    """The whole graph far zoomed out: one dot per value node, coloured by its state.

    Drawing thousands of sub-pixel cards one by one wastes time on detail no
    one can see; this item draws every node with a few C++ calls (one per
    colour) and the edges as one hairline path, and a step repaints only the
    dots it changed.
    """

    STATES = ("unknown", "known", "positive", "negative", "zero", "forward", "backward")

    def __init__(
        self, centres: Sequence[QPointF], edges: Sequence[tuple[int, int]]
    ) -> None:
        super().__init__()
        self.setFlag(QGraphicsItem.GraphicsItemFlag.ItemUsesExtendedStyleOption, True)
        self._rects = [
            QRectF(c.x() - CARD_W / 2, c.y() - CARD_H / 2, CARD_W, CARD_H)
            for c in centres
        ]
        self._state = ["unknown"] * len(self._rects)
        self._bounds = QRectF()
        for rect in self._rects:
            self._bounds = self._bounds.united(rect)
        # Edges in chunks, so a small repaint strokes only the chunks nearby.
        self._edge_chunks: list[tuple[QRectF, QPainterPath]] = []
        edges = sorted(
            edges, key=lambda edge: (centres[edge[1]].x(), centres[edge[1]].y())
        )
        for first in range(0, len(edges), 48):
            path = QPainterPath()
            for parent, child in edges[first : first + 48]:
                path.moveTo(centres[parent])
                path.lineTo(centres[child])
            self._edge_chunks.append((path.controlPointRect(), path))
        # Opaque: slate-400 at 35 % over the background. A translucent one-pixel
        # pen leaves Qt's fast path: a 10,000-node MLP's overview took 120-355 ms
        # to repaint instead of about 10 (its edges cross the view by thousands).
        self._edge_pen = QPen(QColor(213, 219, 228), 1.0)
        self._edge_pen.setCosmetic(True)
        colors = {
            "unknown": QColor("#cbd5e1"),
            "known": QColor("#64748b"),
            "positive": PALETTE.positive,
            "negative": PALETTE.negative,
            "zero": QColor("#94a3b8"),
            "forward": PALETTE.forward,
            "backward": PALETTE.backward,
        }
        self._pens = {}
        for name, color in colors.items():
            pen = QPen(color, 3.0 if name in ("forward", "backward") else 2.0)
            pen.setCosmetic(True)
            self._pens[name] = pen
        self._brushes = {name: QBrush(color) for name, color in colors.items()}

    def set_states(self, states: dict[int, str]) -> None:
        """New states for some nodes (by index); repaints only what changed."""
        dirty = QRectF()
        for index, state in states.items():
            if state != self._state[index]:
                self._state[index] = state
                dirty = dirty.united(self._rects[index])
        if not dirty.isEmpty():
            self.update(dirty.adjusted(-CARD_W, -CARD_H, CARD_W, CARD_H))

    def state(self, index: int) -> str:
        return self._state[index]

    def boundingRect(self) -> QRectF:
        return self._bounds.adjusted(-CARD_W, -CARD_H, CARD_W, CARD_H)

    def paint(
        self, painter: QPainter, option: QStyleOptionGraphicsItem, widget=None
    ) -> None:
        exposed = option.exposedRect
        painter.setRenderHint(QPainter.RenderHint.Antialiasing, False)
        painter.setPen(self._edge_pen)
        painter.setBrush(Qt.BrushStyle.NoBrush)
        for rect, path in self._edge_chunks:
            if rect.intersects(exposed):
                painter.drawPath(path)
        groups: dict[str, list[QRectF]] = {}
        for rect, state in zip(self._rects, self._state):
            if rect.intersects(exposed):
                groups.setdefault(state, []).append(rect)
        for state in self.STATES:  # the active step's colours are drawn last, on top
            rects = groups.get(state)
            if rects:
                painter.setPen(self._pens[state])
                painter.setBrush(self._brushes[state])
                painter.drawRects(rects)
