"""The surface view's title and colour bar: sized so that neither a long
formula nor presenter mode's larger text pushes the colour bar out of view."""

from __future__ import annotations

import html

import pyqtgraph as pg
from PySide6.QtCore import Qt
from PySide6.QtGui import QFont, QFontMetrics


def set_title(
    plot: pg.PlotItem, colour_bar: pg.ColorBarItem, full: str, width: int, font: QFont
) -> str:
    """Show ``full`` above ``plot``, elided to the room a view ``width`` wide
    leaves beside the y axis and the colour bar (the whole text in the
    tooltip); returns what is shown."""
    # 10 pt, or what presenter mode made of it (it scales the label's size)
    size = plot.titleLabel.opts.get("size") or "10pt"
    font = QFont(font)
    font.setPointSizeF(float(size.removesuffix("pt")))
    minimum = Qt.SizeHint.MinimumSize
    beside = (
        colour_bar.effectiveSizeHint(minimum).width()
        + plot.getAxis("left").effectiveSizeHint(minimum).width()
    )
    room = max(120, int(width - beside - 40))  # 40: the margins
    shown = QFontMetrics(font).elidedText(full, Qt.TextElideMode.ElideRight, room)
    plot.setTitle(html.escape(shown), size=size)
    plot.titleLabel.setToolTip(full if shown != full else "")
    return shown


def widen_colour_bar(colour_bar: pg.ColorBarItem, font: QFont) -> None:
    """The colour bar's axis as wide as its numbers and name need in their
    current fonts (pyqtgraph fixes a width for its normal size)."""
    axis = colour_bar.axis
    numbers = QFontMetrics(axis.style["tickFont"] or font)
    name = QFontMetrics(axis.label.font())
    widest = numbers.horizontalAdvance("1000")  # as wide as "10⁻³"
    axis.setWidth(widest + name.height() + 2 * axis.style["tickTextOffset"][0])
