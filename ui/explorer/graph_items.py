"""The pieces of a drawn graph: value cards, op bubbles, batched edges, highlights.

Each item holds only what it shows and repaints itself only when that changes,
so a step touches a handful of items however big the graph is. Edges are drawn
in batches (one path per layout column) because thousands of separate edge
items would make building the scene slow; the few edges a step lights up are
drawn on top by :class:`EdgeHighlight`.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

from PySide6.QtCore import QPointF, QRectF, Qt
from PySide6.QtGui import (
    QBrush,
    QColor,
    QFont,
    QFontMetricsF,
    QPainter,
    QPainterPath,
    QPen,
    QPolygonF,
)
from PySide6.QtWidgets import QGraphicsItem, QStyleOptionGraphicsItem

from graphviz_dl.numfmt import format_number

CARD_W = 138.0
CARD_H = 70.0
OP_H = 40.0
ROW_H = 104.0
VALUE_GAP = 44.0
OP_GAP = 30.0
LOD_TEXT = 0.38
"""Below this zoom, cards are drawn as plain boxes (no text): fast and uncluttered."""

# Roles a node can play in the current step.
FORWARD_TARGET = "forward-target"
FORWARD_INPUT = "forward-input"
BACKWARD_TARGET = "backward-target"
BACKWARD_SOURCE = "backward-source"


@dataclass(frozen=True)
class Palette:
    """The explorer's colours; forward is amber, backward is violet."""

    card = QColor("#ffffff")
    card_dim = QColor("#eef1f5")
    border = QColor("#94a3b8")
    leaf_stripe = QColor("#0d9488")
    text = QColor("#0f172a")
    text_dim = QColor("#9aa5b4")
    text_soft = QColor("#475569")
    forward = QColor("#f59e0b")
    backward = QColor("#7c3aed")
    selected = QColor("#0ea5e9")
    positive = QColor("#2563eb")
    negative = QColor("#dc2626")
    bad = QColor("#a21caf")
    box_known = QColor("#94a3b8")
    box_unknown = QColor("#dde3ea")
    op_fill = QColor("#e2e8f0")
    op_fill_dim = QColor("#f1f5f9")
    edge = QColor("#a3adbb")
    ok = QColor("#15803d")
    fail = QColor("#b91c1c")
    axis = QColor("#0f766e")  # a leaf chosen as an axis of the loss surface


PALETTE = Palette()


def grad_color(grad: float, scale: float, arrived: bool = True) -> QColor | None:
    """Blue for a positive gradient, red for a negative one, stronger when larger.

    ``scale`` is the largest finite |gradient| in the graph; None means no
    gradient has arrived yet, purple marks inf/nan gradients.
    """
    if not arrived:
        return None
    if not math.isfinite(grad):
        color = QColor(PALETTE.bad)
        color.setAlphaF(0.35)
        return color
    if grad == 0.0:
        return QColor("#e5e7eb")
    share = min(1.0, abs(grad) / scale) if scale > 0 else 1.0
    color = QColor(PALETTE.positive if grad > 0 else PALETTE.negative)
    color.setAlphaF(0.14 + 0.56 * math.sqrt(share))
    return color


class _Fonts:
    """Fonts sized in scene pixels, made once (a QGuiApplication must exist)."""

    _made = False

    @classmethod
    def get(cls) -> type[_Fonts]:
        if not cls._made:
            cls.name = QFont()
            cls.name.setPixelSize(17)
            cls.name.setBold(True)
            cls.number = QFont()
            cls.number.setPixelSize(16)
            cls.number_metrics = QFontMetricsF(cls.number)
            cls.number_small = QFont()
            cls.number_small.setPixelSize(13)
            cls.small = QFont()
            cls.small.setPixelSize(13)
            cls.small_metrics = QFontMetricsF(cls.small)
            cls.op = QFont()
            cls.op.setPixelSize(17)
            cls.op.setBold(True)
            cls.op_metrics = QFontMetricsF(cls.op)
            cls._made = True
        return cls


def _lod(painter: QPainter, option: QStyleOptionGraphicsItem) -> float:
    return option.levelOfDetailFromTransform(painter.worldTransform())


class ValueCard(QGraphicsItem):
    """A value node: its name, its value (or "?") and its gradient."""

    def __init__(self, node_id: str, name: str, leaf: bool, output: bool) -> None:
        super().__init__()
        self.node_id = node_id
        self.name = name
        self.leaf = leaf
        self.output = output
        self.value = math.nan
        self.known = False
        self.grad = math.nan
        self.has_grad = False
        self.scale = 1.0
        self.role: str | None = None
        self.selected = False
        self.check: tuple[bool, float] | None = None
        self.axis: str | None = None  # "x" or "y": an axis of the loss surface
        self.setAcceptHoverEvents(False)
        # Painting a card runs Python; a cached card is a cheap copy until it changes.
        self.setCacheMode(QGraphicsItem.CacheMode.DeviceCoordinateCache)

    # geometry: centred on pos()
    def boundingRect(self) -> QRectF:
        return QRectF(-CARD_W / 2 - 6, -CARD_H / 2 - 6, CARD_W + 12, CARD_H + 30)

    def card_rect(self) -> QRectF:
        return QRectF(-CARD_W / 2, -CARD_H / 2, CARD_W, CARD_H)

    def shape(self) -> QPainterPath:
        path = QPainterPath()
        path.addRect(self.card_rect())
        return path

    def set_state(
        self,
        *,
        value: float | None = None,
        known: bool | None = None,
        grad: float | None = None,
        has_grad: bool | None = None,
        scale: float | None = None,
        role: str | None | type = ...,
        selected: bool | None = None,
        check: tuple[bool, float] | None | type = ...,
        axis: str | None | type = ...,
    ) -> bool:
        """Change what the card shows; repaints (and returns True) only on a change."""
        changed = False
        if value is not None and not _same(value, self.value):
            self.value, changed = value, True
        if known is not None and known != self.known:
            self.known, changed = known, True
        if grad is not None and not _same(grad, self.grad):
            self.grad, changed = grad, True
        if has_grad is not None and has_grad != self.has_grad:
            self.has_grad, changed = has_grad, True
        if scale is not None and scale != self.scale:
            self.scale, changed = scale, True
        if role is not ... and role != self.role:
            self.role, changed = role, True
        if selected is not None and selected != self.selected:
            self.selected, changed = selected, True
        if check is not ... and check != self.check:
            self.check, changed = check, True
        if axis is not ... and axis != self.axis:
            self.axis, changed = axis, True
        if changed:
            self.setToolTip(self.tooltip_text())
            self.update()
        return changed

    def value_text(self) -> str:
        """The value as the card shows it: the number, or "?" before it is computed."""
        return format_number(self.value) if self.known else "?"

    def grad_text(self) -> str:
        """The gradient as the card shows it: the number, or "?" before it arrives."""
        return format_number(self.grad) if self.has_grad else "?"

    def tooltip_text(self) -> str:
        """Full precision, for the curious."""
        lines = [f"{self.name} ({self.node_id})"]
        lines.append(
            f"value = {self.value!r}" if self.known else "value not computed yet"
        )
        lines.append(f"grad = {self.grad!r}" if self.has_grad else "no gradient yet")
        if self.check is not None:
            ok, numeric = self.check
            verdict = "matches" if ok else "does NOT match"
            lines.append(f"finite difference = {numeric!r} ({verdict})")
        if self.axis is not None:
            lines.append(f"the loss surface's {self.axis} axis")
        return "\n".join(lines)

    def paint(
        self, painter: QPainter, option: QStyleOptionGraphicsItem, widget=None
    ) -> None:
        rect = self.card_rect()
        lod = _lod(painter, option)
        band = grad_color(self.grad, self.scale, self.has_grad)
        fill = PALETTE.card if self.known else PALETTE.card_dim
        if lod < LOD_TEXT:
            # Far out: a plain box, coloured by what the card would say.
            painter.setPen(Qt.PenStyle.NoPen)
            color = self._role_color()
            if color is None and band is not None:
                color = QColor(band)
                color.setAlphaF(min(1.0, color.alphaF() + 0.3))
            if color is None:
                color = PALETTE.box_known if self.known else PALETTE.box_unknown
            painter.setBrush(color)
            painter.drawRect(rect)
            return
        painter.setRenderHint(QPainter.RenderHint.Antialiasing, True)
        role_color = self._role_color()
        if role_color is not None:
            glow = QColor(role_color)
            glow.setAlphaF(0.28)
            painter.setPen(Qt.PenStyle.NoPen)
            painter.setBrush(glow)
            painter.drawRoundedRect(rect.adjusted(-6, -6, 6, 6), 12, 12)
        painter.setBrush(fill)
        if role_color is not None:
            width = 3.5 if self.role in (FORWARD_TARGET, BACKWARD_TARGET) else 2.5
            painter.setPen(QPen(role_color, width))
        else:
            painter.setPen(QPen(PALETTE.border, 2.4 if self.output else 1.2))
        painter.drawRoundedRect(rect, 8, 8)
        if band is not None:
            painter.setPen(Qt.PenStyle.NoPen)
            painter.setBrush(band)
            painter.drawRect(
                QRectF(rect.left() + 2, rect.top() + 46, rect.width() - 4, 22)
            )
        if self.leaf:
            painter.setPen(Qt.PenStyle.NoPen)
            painter.setBrush(PALETTE.leaf_stripe)
            painter.drawRoundedRect(
                QRectF(rect.left() + 2, rect.top() + 6, 4, 58), 2, 2
            )
        fonts = _Fonts.get()
        dim = not self.known
        left = rect.left() + 11
        inner = rect.width() - 18
        painter.setFont(fonts.name)
        painter.setPen(PALETTE.text_dim if dim else PALETTE.text)
        painter.drawText(
            QRectF(left, rect.top() + 3, inner, 22),
            Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter,
            self.name,
        )
        self._row(painter, rect, 25, "value", self.value_text(), dim)
        self._row(painter, rect, 46, "grad", self.grad_text(), not self.has_grad)
        if self.selected:
            pen = QPen(PALETTE.selected, 2.5, Qt.PenStyle.DashLine)
            painter.setPen(pen)
            painter.setBrush(Qt.BrushStyle.NoBrush)
            painter.drawRoundedRect(rect.adjusted(-3, -3, 3, 3), 10, 10)
        if self.axis is not None:
            self._axis_badge(painter, rect)
        if self.check is not None:
            ok, numeric = self.check
            painter.setFont(fonts.small)
            painter.setPen(PALETTE.ok if ok else PALETTE.fail)
            mark = "✓" if ok else "✗"
            painter.drawText(
                QRectF(rect.left(), rect.bottom() + 2, rect.width(), 20),
                Qt.AlignmentFlag.AlignCenter,
                f"{mark} numeric {format_number(numeric)}",
            )

    def _row(
        self,
        painter: QPainter,
        rect: QRectF,
        top: float,
        label: str,
        text: str,
        dim: bool,
    ) -> None:
        fonts = _Fonts.get()
        row = QRectF(rect.left() + 11, rect.top() + top, rect.width() - 18, 22)
        wide = fonts.number_metrics.horizontalAdvance(text)
        # A long number wins over its caption (the row's colour still says which).
        if fonts.small_metrics.horizontalAdvance(label) + 6 + wide <= row.width():
            painter.setFont(fonts.small)
            painter.setPen(PALETTE.text_dim if dim else PALETTE.text_soft)
            painter.drawText(
                row, Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter, label
            )
        painter.setFont(fonts.number if wide <= row.width() else fonts.number_small)
        painter.setPen(PALETTE.text_dim if dim else PALETTE.text)
        painter.drawText(
            row, Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter, text
        )

    def _axis_badge(self, painter: QPainter, rect: QRectF) -> None:
        """A round "x"/"y" tag on the top-right corner: this leaf is an axis."""
        badge = QRectF(rect.right() - 16, rect.top() - 6, 20, 20)  # in bounds
        painter.setPen(QPen(PALETTE.card, 1.5))
        painter.setBrush(PALETTE.axis)
        painter.drawEllipse(badge)
        painter.setFont(_Fonts.get().small)
        painter.setPen(PALETTE.card)
        painter.drawText(badge, Qt.AlignmentFlag.AlignCenter, self.axis)

    def _role_color(self) -> QColor | None:
        if self.role in (FORWARD_TARGET, FORWARD_INPUT):
            return PALETTE.forward
        if self.role in (BACKWARD_TARGET, BACKWARD_SOURCE):
            return PALETTE.backward
        return None


class OpBubble(QGraphicsItem):
    """An op node: a small pill with the op's symbol (×, +, tanh, …)."""

    def __init__(self, node_id: str, symbol: str, op_name: str) -> None:
        super().__init__()
        self.node_id = node_id  # the value node this op computes
        self.symbol = symbol
        self.op_name = op_name
        self.known = False
        self.role: str | None = None
        metrics = _Fonts.get().op_metrics
        self.width = max(OP_H, metrics.horizontalAdvance(symbol) + 20.0)
        self.setCacheMode(QGraphicsItem.CacheMode.DeviceCoordinateCache)
        self.setToolTip(f"{op_name} — computes {node_id}")

    def boundingRect(self) -> QRectF:
        return QRectF(-self.width / 2 - 5, -OP_H / 2 - 5, self.width + 10, OP_H + 10)

    def shape(self) -> QPainterPath:
        path = QPainterPath()
        path.addRoundedRect(self.body(), OP_H / 2, OP_H / 2)
        return path

    def body(self) -> QRectF:
        return QRectF(-self.width / 2, -OP_H / 2, self.width, OP_H)

    def set_state(
        self, *, known: bool | None = None, role: str | None | type = ...
    ) -> bool:
        changed = False
        if known is not None and known != self.known:
            self.known, changed = known, True
        if role is not ... and role != self.role:
            self.role, changed = role, True
        if changed:
            self.update()
        return changed

    def paint(
        self, painter: QPainter, option: QStyleOptionGraphicsItem, widget=None
    ) -> None:
        body = self.body()
        color = None
        if self.role == FORWARD_TARGET:
            color = PALETTE.forward
        elif self.role == BACKWARD_SOURCE:
            color = PALETTE.backward
        lod = _lod(painter, option)
        if lod < LOD_TEXT:
            painter.setPen(Qt.PenStyle.NoPen)
            painter.setBrush(color or PALETTE.op_fill)
            painter.drawEllipse(body)
            return
        painter.setRenderHint(QPainter.RenderHint.Antialiasing, True)
        painter.setBrush(PALETTE.op_fill if self.known else PALETTE.op_fill_dim)
        painter.setPen(
            QPen(color, 3.0) if color is not None else QPen(PALETTE.border, 1.2)
        )
        painter.drawRoundedRect(body, OP_H / 2, OP_H / 2)
        painter.setFont(_Fonts.get().op)
        painter.setPen(PALETTE.text if self.known else PALETTE.text_soft)
        painter.drawText(body, Qt.AlignmentFlag.AlignCenter, self.symbol)


def _same(a: float, b: float) -> bool:
    return a == b or (math.isnan(a) and math.isnan(b))


# --- edges ----------------------------------------------------------------------


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


class EdgeGroup(QGraphicsItem):
    """Several edges (curve + arrow head) drawn by one item.

    Only the edges that cross the exposed area are stroked, so repainting a
    small region never pays for a long path elsewhere, and a scene of
    thousands of edges needs only a few hundred items.
    """

    def __init__(
        self,
        segments: Sequence[tuple[QPointF, QPointF]] = (),
        color: QColor | None = None,
        width: float = 1.6,
        head: float = 9.0,
        hairline: bool = False,
    ) -> None:
        super().__init__()
        self.setFlag(QGraphicsItem.GraphicsItemFlag.ItemUsesExtendedStyleOption, True)
        self._width = width
        self._hairline = hairline
        self._head = head
        self._edges: list[tuple[QRectF, QPainterPath, QPolygonF]] = []
        self._bounds = QRectF()
        self._pen = QPen()
        self._brush = QBrush()
        self.set_edges(segments, color or PALETTE.edge)

    def set_edges(
        self, segments: Sequence[tuple[QPointF, QPointF]], color: QColor
    ) -> None:
        """Replace the edges (and their colour)."""
        self.prepareGeometryChange()
        margin = self._width + self._head
        edges = []
        bounds = QRectF()
        for start, end in segments:
            path = edge_path(start, end)
            rect = path.controlPointRect().adjusted(-margin, -margin, margin, margin)
            edges.append((rect, path, arrow_head(end, self._head)))
            bounds = bounds.united(rect)
        self._edges = edges
        self._bounds = bounds
        if self._hairline:
            # A one-pixel cosmetic pen is stroked ~20× faster than a wide one:
            # what keeps repaints of dense graphs within a frame.
            self._pen = QPen(color, 1.0)
            self._pen.setCosmetic(True)
        else:
            self._pen = QPen(color, self._width)
            self._pen.setCapStyle(Qt.PenCapStyle.RoundCap)
        self._brush = QBrush(color)
        self.update()

    def edge_count(self) -> int:
        return len(self._edges)

    def boundingRect(self) -> QRectF:
        return self._bounds

    def paint(
        self, painter: QPainter, option: QStyleOptionGraphicsItem, widget=None
    ) -> None:
        exposed = option.exposedRect
        shown = [edge for edge in self._edges if edge[0].intersects(exposed)]
        if not shown:
            return
        near = _lod(painter, option) >= LOD_TEXT
        # Hairlines (dense graphs) are drawn plain: smooth curves cost several times
        # more, and a dense layer seen up close has hundreds of them in view.
        painter.setRenderHint(
            QPainter.RenderHint.Antialiasing,
            near and not self._hairline and len(shown) <= 24,
        )
        painter.setPen(self._pen)
        painter.setBrush(Qt.BrushStyle.NoBrush)
        for _rect, path, _head in shown:
            painter.drawPath(path)
        if not near and self._hairline:
            return  # arrow heads are specks this far out
        painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(self._brush)
        for _rect, _path, head in shown:
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
        self._edge_pen = QPen(QColor(148, 163, 184, 90), 1.0)
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
