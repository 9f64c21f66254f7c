"""Presenter mode's look, shared by the labs: bigger text everywhere in one
widget, in its Qt widgets and in its pyqtgraph plots (axis ticks and names,
legends, label items), and back exactly as it was.

The window owns presenter mode (F5 on every tab); each lab decides what it
means for it in ``set_presenting(on)``, usually a :class:`PresenterLook`
plus hiding what a room does not need to read.
"""

from __future__ import annotations

import pyqtgraph as pg
from PySide6.QtCore import Qt
from PySide6.QtGui import QFont
from PySide6.QtWidgets import QWidget

SCALE = 1.6
"""Text grows by this much: 9 pt reads as ~14 pt, legible from the back of a
lecture room on a 1280×800 projector."""


def scaled(font: QFont, scale: float) -> QFont:
    """A copy of ``font`` ``scale`` times as tall."""
    out = QFont(font)
    if font.pointSizeF() > 0:
        out.setPointSizeF(font.pointSizeF() * scale)
    else:
        out.setPixelSize(max(1, round(font.pixelSize() * scale)))
    return out


def _points(size: str | None, scale: float, default: float) -> str:
    """``'8pt'`` scaled, as the CSS size pyqtgraph's labels take."""
    try:
        value = float(str(size).removesuffix("pt")) if size else default
    except ValueError:
        value = default
    return f"{value * scale:.1f}pt"


class PresenterLook:
    """Bigger text for one widget and everything in it; ``set(False)`` puts
    back the fonts it found (widgets that set their own font keep it)."""

    def __init__(
        self, root: QWidget, scale: float = SCALE, keep: tuple[QWidget, ...] = ()
    ) -> None:
        self.root = root
        self.scale = scale
        self.keep = keep  # parts whose fixed-width rows would clip larger text
        self.on = False
        self._undo: list = []

    def set(self, on: bool) -> bool:
        """Enlarge or restore; True if that changed anything."""
        on = bool(on)
        if on == self.on:
            return False
        self.on = on
        if on:
            self._enlarge()
        else:
            for restore in reversed(self._undo):
                restore()
            self._undo.clear()
        return True

    def _enlarge(self) -> None:
        root = self.root
        own = root.testAttribute(Qt.WidgetAttribute.WA_SetFont)
        before = QFont(root.font())
        root.setFont(scaled(before, self.scale))
        self._undo.append(lambda: root.setFont(before if own else QFont()))
        for widget in self.keep:
            widget.setFont(scaled(before, 1.0))  # a size of its own, not inherited
            self._undo.append(lambda w=widget: w.setFont(QFont()))
        for view in root.findChildren(pg.GraphicsView):
            for item in view.scene().items():
                if isinstance(item, pg.AxisItem):
                    self._axis(item, before)
                elif isinstance(item, pg.LegendItem):
                    self._legend(item)
                elif isinstance(item, pg.LabelItem):
                    self._label(item)

    def _axis(self, axis: pg.AxisItem, base: QFont) -> None:
        """Ticks and name larger; a fixed width or height grows with them."""
        tick = axis.style.get("tickFont")
        label = QFont(axis.label.font())
        width, height = axis.fixedWidth, axis.fixedHeight
        axis.setTickFont(scaled(tick or base, self.scale))
        axis.label.setFont(scaled(label, self.scale))
        if width is not None:
            axis.setWidth(round(width * self.scale))
        if height is not None:
            axis.setHeight(round(height * self.scale))
        axis.showLabel(axis.label.isVisible())  # makes room for the new size

        def restore() -> None:
            axis.setTickFont(tick)
            axis.label.setFont(label)
            axis.setWidth(width)
            axis.setHeight(height)
            axis.showLabel(axis.label.isVisible())

        self._undo.append(restore)

    def _legend(self, legend: pg.LegendItem) -> None:
        size = legend.opts.get("labelTextSize")
        legend.setLabelTextSize(_points(size, self.scale, 9.0))
        self._undo.append(lambda: legend.setLabelTextSize(size or "9pt"))

    def _label(self, item: pg.LabelItem) -> None:
        size = item.opts.get("size")
        item.setText(item.text, size=_points(size, self.scale, 9.0))

        def restore() -> None:
            if size is None:
                item.opts.pop("size", None)
            else:
                item.opts["size"] = size
            item.setText(item.text)

        self._undo.append(restore)
