"""A folded group drawn as one box: its name, its size, and the numbers that
matter at this step (its outputs' values after its forward, the gradients it
hands back to its inputs during backward).

The box sits where a value card and the op pill before it would sit, so a
folded graph is laid out on the same grid as an unfolded one. Its ▸ toggle
(or a click anywhere on it) unfolds it; far out, only the name is drawn, in
letters large enough to read at that zoom.
"""

from __future__ import annotations

from PySide6.QtCore import QRectF, Qt
from PySide6.QtGui import QColor, QFont, QPainter, QPen
from PySide6.QtWidgets import QGraphicsItem, QStyleOptionGraphicsItem

from graphviz_dl.numfmt import format_number
from ui.explorer.palette import (
    CARD_W,
    LOD_TEXT,
    OP_GAP,
    OP_H,
    PALETTE,
    Fonts,
    level_of_detail,
)

GROUP_W = CARD_W + OP_GAP + OP_H
"""A box covers a card's column and the pill column before it."""
GROUP_H = 88.0
SHOWN_NUMBERS = 2
"""How many numbers a box lists before "… (n)"."""

FILL = QColor("#eef2ff")
FILL_DIM = QColor("#f4f5fb")
FRAME = QColor("#6366f1")


_LINE_FONT: list[QFont] = []


def _line_font() -> QFont:
    """The box's number lines: as large as a card's numbers, so they read at
    the zoom a fitted graph opens with."""
    if not _LINE_FONT:
        font = QFont()
        font.setPixelSize(14)
        _LINE_FONT.append(font)
    return _LINE_FONT[0]


def group_key(span) -> str:
    """The scene key of a folded group, as the core's folded layout names it
    (unique among the units drawn: only the outermost folded span is one)."""
    return f"g{span.start}"


def numbers_text(values, limit: int = SHOWN_NUMBERS) -> str:
    """``0.41, −0.07, … (16)``: the first few numbers and how many there are."""
    values = list(values)
    shown = ", ".join(format_number(v, 3) for v in values[:limit])
    return shown + (f", … ({len(values)})" if len(values) > limit else "")


def count_text(span) -> str:
    """What the box says under its name: ``16 neurons · 528 nodes``."""
    parts = [part for part in span.summary.split(" · ") if part != span.name]
    return " · ".join(parts) or f"{len(span)} nodes"


class GroupBox(QGraphicsItem):
    """A folded group; ``pos()`` is the centre of the card column it ends in."""

    def __init__(self, span) -> None:
        super().__init__()
        self.span = span
        self.name = span.name
        self.counts = count_text(span)
        self.outputs = ""
        self.grads = ""
        self.known = False
        self.role: str | None = None  # "forward" | "backward" | "input"
        self.setCacheMode(QGraphicsItem.CacheMode.DeviceCoordinateCache)
        self.setCursor(Qt.CursorShape.PointingHandCursor)
        self.setToolTip(f"{span.summary}\nClick to unfold · double-click to step in")

    def box(self) -> QRectF:
        """The box, right-aligned with the card column it stands in."""
        return QRectF(CARD_W / 2 - GROUP_W, -GROUP_H / 2, GROUP_W, GROUP_H)

    def toggle_rect(self) -> QRectF:
        box = self.box()
        return QRectF(box.left() + 4, box.top() + 4, 22, 22)

    def boundingRect(self) -> QRectF:
        return self.box().adjusted(-8, -8, 8, 8)

    def set_state(
        self,
        *,
        outputs: str | None = None,
        grads: str | None = None,
        known: bool | None = None,
        role: str | None | type = ...,
    ) -> bool:
        """Change what the box shows; repaints only on a change."""
        new = {"outputs": outputs, "grads": grads, "known": known}
        changed = False
        for name, value in new.items():
            if value is not None and value != getattr(self, name):
                setattr(self, name, value)
                changed = True
        if role is not ... and role != self.role:
            self.role, changed = role, True
        if changed:
            self.update()
        return changed

    def lines(self) -> list[str]:
        """The box's text, top to bottom (what a test reads)."""
        lines = [f"▸ {self.name}", self.counts]
        lines.append(f"out {self.outputs}" if self.outputs else "out ?")
        if self.grads:
            lines.append(f"∂in {self.grads}")
        return lines

    def paint(
        self, painter: QPainter, option: QStyleOptionGraphicsItem, widget=None
    ) -> None:
        box = self.box()
        lod = level_of_detail(painter, option)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing, True)
        self._paint_frame(painter, box)
        if lod < LOD_TEXT:
            self._paint_far_name(painter, box, lod)
            return
        fonts = Fonts.get()
        lines = self.lines()
        painter.setFont(fonts.name)
        painter.setPen(PALETTE.text)
        row = QRectF(box.left() + 8, box.top() + 3, box.width() - 14, 21)
        flags = Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter
        painter.drawText(row, flags, lines[0])
        painter.setFont(_line_font())
        for text in lines[1:]:
            row.translate(0, 20)
            dim = text.endswith("?")
            painter.setPen(PALETTE.text_dim if dim else PALETTE.text_soft)
            if text.startswith("∂"):
                painter.setPen(PALETTE.backward)
            painter.drawText(row, flags, self._elided(painter, text, row.width()))

    @staticmethod
    def _elided(painter: QPainter, text: str, width: float) -> str:
        return painter.fontMetrics().elidedText(
            text, Qt.TextElideMode.ElideRight, int(width)
        )

    def _paint_frame(self, painter: QPainter, box: QRectF) -> None:
        """A stacked card (a box with a second edge behind it) in the step's colour."""
        color = {
            "forward": PALETTE.forward,
            "backward": PALETTE.backward,
            "input": PALETTE.forward,
        }.get(self.role)
        if color is not None:
            glow = QColor(color)
            glow.setAlphaF(0.28)
            painter.setPen(Qt.PenStyle.NoPen)
            painter.setBrush(glow)
            painter.drawRoundedRect(box.adjusted(-7, -7, 7, 7), 12, 12)
        painter.setPen(QPen(FRAME, 1.0))
        painter.setBrush(FILL_DIM)
        painter.drawRoundedRect(box.translated(4, 4).adjusted(0, 0, -4, -4), 8, 8)
        painter.setBrush(FILL if self.known else FILL_DIM)
        width = 3.5 if self.role in ("forward", "backward") else 1.6
        painter.setPen(QPen(color or FRAME, width))
        painter.drawRoundedRect(box.adjusted(0, 0, -4, -4), 8, 8)

    def _paint_far_name(self, painter: QPainter, box: QRectF, lod: float) -> None:
        """Far out, the name alone, grown so it stays about 11 pixels on screen."""
        font = QFont(Fonts.get().name)
        font.setPixelSize(max(17, min(int(11 / max(lod, 1e-3)), 60)))
        painter.setFont(font)
        painter.setPen(PALETTE.text)
        painter.drawText(
            box.adjusted(4, 2, -6, -4),
            Qt.AlignmentFlag.AlignCenter | Qt.TextFlag.TextWordWrap,
            self.name,
        )


class GroupFrame(QGraphicsItem):
    """An open group: a dashed frame around its units, and a ▾ tab that folds it."""

    TAB_H = 24.0

    def __init__(self, span, rect: QRectF) -> None:
        super().__init__()
        self.span = span
        self.rect = QRectF(rect)
        self.setZValue(-3)
        self.setToolTip(f"{span.summary}\nClick ▾ to fold it into one box")

    def tab_rect(self) -> QRectF:
        metrics = Fonts.get().small_metrics
        width = metrics.horizontalAdvance(f"▾ {self.span.name}") + 16
        return QRectF(self.rect.left(), self.rect.top() - self.TAB_H, width, self.TAB_H)

    def boundingRect(self) -> QRectF:
        return self.rect.united(self.tab_rect()).adjusted(-2, -2, 2, 2)

    def shape(self):
        from PySide6.QtGui import QPainterPath

        path = QPainterPath()
        path.addRect(self.tab_rect())  # only the tab takes clicks
        return path

    def paint(
        self, painter: QPainter, option: QStyleOptionGraphicsItem, widget=None
    ) -> None:
        # Plain rectangles, no antialiasing: the frame is big and sits under
        # every card of its group, so it repaints whenever one of them does.
        pen = QPen(FRAME, 1.0, Qt.PenStyle.DashLine)
        pen.setCosmetic(True)
        painter.setPen(pen)
        painter.setBrush(Qt.BrushStyle.NoBrush)
        painter.drawRect(self.rect)
        tab = self.tab_rect()
        painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(FILL)
        painter.drawRect(tab)
        if level_of_detail(painter, option) < LOD_TEXT:
            return
        painter.setFont(Fonts.get().small)
        painter.setPen(FRAME)
        painter.drawText(
            tab.adjusted(8, 0, 0, 0),
            Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter,
            f"▾ {self.span.name}",
        )


class CountBadge(QGraphicsItem):
    """ "×256" on an edge that merges that many node edges: a small white tag
    drawn over whatever it touches, so it stays readable between close boxes."""

    def __init__(self, count: int) -> None:
        super().__init__()
        self.text = f"×{count:,}"
        width = Fonts.get().small_metrics.horizontalAdvance(self.text) + 8
        self.rect = QRectF(-width / 2, 0.0, width, 17.0)
        self.setZValue(2)
        self.setToolTip(f"{count:,} node edges cross here")

    def boundingRect(self) -> QRectF:
        return self.rect.adjusted(-1, -1, 1, 1)

    def paint(
        self, painter: QPainter, option: QStyleOptionGraphicsItem, widget=None
    ) -> None:
        if level_of_detail(painter, option) < LOD_TEXT:
            return
        painter.setRenderHint(QPainter.RenderHint.Antialiasing, True)
        painter.setPen(QPen(PALETTE.edge, 1.0))
        painter.setBrush(PALETTE.card)
        painter.drawRoundedRect(self.rect, 6, 6)
        painter.setFont(Fonts.get().small)
        painter.setPen(PALETTE.text_soft)
        painter.drawText(self.rect, Qt.AlignmentFlag.AlignCenter, self.text)
