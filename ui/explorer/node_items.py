"""The nodes of a drawn graph: value cards and op bubbles.

Each item holds only what it shows and repaints itself only when that changes,
so a step touches a handful of items however big the graph is.
"""

from __future__ import annotations

import math

from PySide6.QtCore import QRectF, Qt
from PySide6.QtGui import QColor, QPainter, QPainterPath, QPen
from PySide6.QtWidgets import QGraphicsItem, QStyleOptionGraphicsItem

from graphviz_dl.numfmt import format_number, precise_number
from ui.explorer import semantic_zoom
from ui.explorer.fixed_bounds import FixedBoundsItem
from ui.explorer.palette import (
    BACKWARD_SOURCE,
    BACKWARD_TARGET,
    CARD_H,
    CARD_W,
    FORWARD_INPUT,
    FORWARD_TARGET,
    OP_H,
    PALETTE,
    Fonts,
    grad_color,
    level_of_detail,
)


class ValueCard(FixedBoundsItem):
    """A value node: its name, its value (or "?") and its gradient."""

    def __init__(self, node_id: str, name: str, leaf: bool, output: bool) -> None:
        # centred on pos(), with room for the caption below
        super().__init__(
            QRectF(-CARD_W / 2 - 6, -CARD_H / 2 - 6, CARD_W + 12, CARD_H + 30)
        )
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
        self.check: tuple[str, float, str] | None = None
        """(mark ✓/✗/kink, the finite difference, why) of a gradient check."""
        self.axis: str | None = None  # "x" or "y": an axis of the loss surface
        self.nonfinite: str | None = None
        """"first": numbers stop here; "downstream": computed from that node."""
        self.nonfinite_why = ""
        self.nonfinite_caption = ""
        self.setAcceptHoverEvents(False)
        # Painting a card runs Python; a cached card is a cheap copy until it changes.
        self.setCacheMode(QGraphicsItem.CacheMode.DeviceCoordinateCache)

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
        check: tuple[str, float, str] | None | type = ...,
        axis: str | None | type = ...,
        nonfinite: tuple[str | None, str, str] | type = ...,
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
        now = (self.nonfinite, self.nonfinite_why, self.nonfinite_caption)
        if nonfinite is not ... and nonfinite != now:
            self.nonfinite, self.nonfinite_why, self.nonfinite_caption = nonfinite
            changed = True
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
            f"value = {precise_number(self.value)}"
            if self.known
            else "value not computed yet"
        )
        lines.append(
            f"grad = {precise_number(self.grad)}"
            if self.has_grad
            else "no gradient yet"
        )
        if self.check is not None:
            mark, numeric, why = self.check
            verdict = {"✓": "matches", "kink": "a kink"}.get(mark, "does NOT match")
            lines.append(f"finite difference = {precise_number(numeric)} ({verdict})")
            if why:
                lines.append(why)
        if self.axis is not None:
            lines.append(f"the loss surface's {self.axis} axis")
        if self.nonfinite_why:
            lines.append(self.nonfinite_why)
        return "\n".join(lines)

    def paint(
        self, painter: QPainter, option: QStyleOptionGraphicsItem, widget=None
    ) -> None:
        rect = self.card_rect()
        band = grad_color(self.grad, self.scale, self.has_grad)
        level = semantic_zoom.zoom_level(level_of_detail(painter, option))
        if level == "shapes":
            self._paint_box(painter, rect, band)
            return
        painter.setRenderHint(QPainter.RenderHint.Antialiasing, True)
        self._paint_frame(painter, rect, band)
        if level == "labels":  # no captions, no small text: name and value
            semantic_zoom.paint_labels(self, painter, rect)
        else:
            self._paint_text(painter, rect)
        if self.selected:
            pen = QPen(PALETTE.selected, 2.5, Qt.PenStyle.DashLine)
            painter.setPen(pen)
            painter.setBrush(Qt.BrushStyle.NoBrush)
            painter.drawRoundedRect(rect.adjusted(-3, -3, 3, 3), 10, 10)
        if self.nonfinite is not None and self.known:
            self._paint_nonfinite(painter, rect)
        if level == "labels":
            return
        if self.axis is not None:
            self._axis_badge(painter, rect)
        if self.check is not None:
            self._paint_check(painter, rect)
        if level == "close":
            semantic_zoom.paint_locals(self, painter, rect)

    def _paint_nonfinite(self, painter: QPainter, rect: QRectF) -> None:
        """A magenta frame: solid with a "!" tag where numbers stop, dashed on
        every card computed from there."""
        first = self.nonfinite == "first"
        pen = QPen(PALETTE.non_finite, 3.0 if first else 1.8)
        if not first:
            pen.setStyle(Qt.PenStyle.DashLine)
        painter.setPen(pen)
        painter.setBrush(Qt.BrushStyle.NoBrush)
        painter.drawRoundedRect(rect.adjusted(-2, -2, 2, 2), 9, 9)
        if first:
            badge = QRectF(rect.left() - 6, rect.top() - 6, 17, 17)  # in bounds
            _badge(painter, badge, PALETTE.non_finite, "!")
            if self.check is None:  # the why, where a check's verdict would go
                painter.setPen(PALETTE.non_finite)
                painter.drawText(
                    QRectF(rect.left() - 5, rect.bottom() + 2, rect.width() + 10, 20),
                    Qt.AlignmentFlag.AlignCenter,
                    self.nonfinite_caption,
                )

    def _paint_box(self, painter: QPainter, rect: QRectF, band: QColor | None) -> None:
        """Far out: a plain box, coloured by what the card would say."""
        painter.setPen(Qt.PenStyle.NoPen)
        color = self._role_color()
        if color is None and band is not None:
            color = QColor(band)
            color.setAlphaF(min(1.0, color.alphaF() + 0.3))
        if color is None:
            color = PALETTE.box_known if self.known else PALETTE.box_unknown
        painter.setBrush(color)
        painter.drawRect(rect)

    def _paint_frame(
        self, painter: QPainter, rect: QRectF, band: QColor | None
    ) -> None:
        """The card, its glow in the current step, its gradient band, its leaf stripe."""
        role_color = self._role_color()
        if role_color is not None:
            glow = QColor(role_color)
            glow.setAlphaF(0.28)
            painter.setPen(Qt.PenStyle.NoPen)
            painter.setBrush(glow)
            painter.drawRoundedRect(rect.adjusted(-6, -6, 6, 6), 12, 12)
        painter.setBrush(PALETTE.card if self.known else PALETTE.card_dim)
        if role_color is not None:
            width = 3.5 if self.role in (FORWARD_TARGET, BACKWARD_TARGET) else 2.5
            painter.setPen(QPen(role_color, width))
        else:
            painter.setPen(QPen(PALETTE.border, 2.4 if self.output else 1.2))
        painter.drawRoundedRect(rect, 8, 8)
        painter.setPen(Qt.PenStyle.NoPen)
        if band is not None:
            painter.setBrush(band)
            painter.drawRect(
                QRectF(rect.left() + 2, rect.top() + 46, rect.width() - 4, 22)
            )
        if self.leaf:
            painter.setBrush(PALETTE.leaf_stripe)
            painter.drawRoundedRect(
                QRectF(rect.left() + 2, rect.top() + 6, 4, 58), 2, 2
            )

    def _paint_text(self, painter: QPainter, rect: QRectF) -> None:
        dim = not self.known
        painter.setFont(Fonts.get().name)
        painter.setPen(PALETTE.text_dim if dim else PALETTE.text)
        painter.drawText(
            QRectF(rect.left() + 11, rect.top() + 3, rect.width() - 18, 22),
            Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter,
            self.name,
        )
        self._row(painter, rect, 25, "value", self.value_text(), dim)
        self._row(painter, rect, 46, "grad", self.grad_text(), not self.has_grad)

    def _paint_check(self, painter: QPainter, rect: QRectF) -> None:
        """Under the card: the gradient check's mark and finite difference
        (for a kink, which op's kink: the whole story is in the tooltip)."""
        mark, numeric, why = self.check
        fonts = Fonts.get()
        painter.setFont(fonts.small)
        color = {"✓": PALETTE.ok, "kink": PALETTE.kink}.get(mark, PALETTE.fail)
        painter.setPen(color)
        room = QRectF(rect.left() - 5, rect.bottom() + 2, rect.width() + 10, 20)
        if mark == "kink":
            text = "kink: " + why.split(":")[0].split(" (")[0]
        else:
            text = f"{mark} numeric {format_number(numeric)}"
            if fonts.small_metrics.horizontalAdvance(text) > room.width():
                text = f"{mark} {format_number(numeric)}"
        painter.drawText(room, Qt.AlignmentFlag.AlignCenter, text)

    def _row(
        self,
        painter: QPainter,
        rect: QRectF,
        top: float,
        label: str,
        text: str,
        dim: bool,
    ) -> None:
        fonts = Fonts.get()
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
        _badge(painter, badge, PALETTE.axis, self.axis)

    def _role_color(self) -> QColor | None:
        if self.role in (FORWARD_TARGET, FORWARD_INPUT):
            return PALETTE.forward
        if self.role in (BACKWARD_TARGET, BACKWARD_SOURCE):
            return PALETTE.backward
        return None


def _badge(painter: QPainter, badge: QRectF, color: QColor, text: str) -> None:
    """A round tag in ``color`` with a short white text."""
    painter.setPen(QPen(PALETTE.card, 1.5))
    painter.setBrush(color)
    painter.drawEllipse(badge)
    painter.setFont(Fonts.get().small)
    painter.setPen(PALETTE.card)
    painter.drawText(badge, Qt.AlignmentFlag.AlignCenter, text)


def check_state(check) -> tuple[str, float, str] | None:
    """What a card shows of a node's gradient check (None: not run)."""
    if check is None:
        return None
    return (check.mark, check.numeric, check.reason())


class OpBubble(FixedBoundsItem):
    """An op node: a small pill with the op's symbol (×, +, tanh, …)."""

    def __init__(self, node_id: str, symbol: str, op_name: str) -> None:
        super().__init__()
        self.node_id = node_id  # the value node this op computes
        self.symbol = symbol
        self.op_name = op_name
        self.known = False
        self.role: str | None = None
        self.width = pill_width(symbol)
        self.set_bounds(
            QRectF(-self.width / 2 - 5, -OP_H / 2 - 5, self.width + 10, OP_H + 10)
        )
        self.setCacheMode(QGraphicsItem.CacheMode.DeviceCoordinateCache)
        self.setToolTip(f"{op_name} — computes {node_id}")

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
        lod = level_of_detail(painter, option)
        if semantic_zoom.zoom_level(lod) == "shapes":
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
        painter.setFont(Fonts.get().op)
        painter.setPen(PALETTE.text if self.known else PALETTE.text_soft)
        painter.drawText(body, Qt.AlignmentFlag.AlignCenter, self.symbol)


_PILL_WIDTHS: dict[str, float] = {}


def pill_width(symbol: str) -> float:
    """How wide an op's pill is (measured once per symbol: a graph has few)."""
    width = _PILL_WIDTHS.get(symbol)
    if width is None:
        metrics = Fonts.get().op_metrics
        width = max(OP_H, metrics.horizontalAdvance(symbol) + 20.0)
        _PILL_WIDTHS[symbol] = width
    return width


def _same(a: float, b: float) -> bool:
    return a == b or (math.isnan(a) and math.isnan(b))
