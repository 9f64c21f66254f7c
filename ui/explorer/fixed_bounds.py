"""Items whose bounds Qt reads without calling into Python.

Qt asks every item near a repainted area for its bounding rectangle, several
times per repaint: on a 10,000-node graph seen from afar, about 1,400 times to
draw 230 items. A Python ``boundingRect`` makes each of those a call from C++
into Python; a :class:`QGraphicsRectItem` with no pen answers from C++ with
the rectangle it was given, and its subclasses only override ``paint``.
"""

from __future__ import annotations

from PySide6.QtCore import QRectF, Qt
from PySide6.QtWidgets import QGraphicsRectItem


class FixedBoundsItem(QGraphicsRectItem):
    """A graphics item whose bounds are set, not computed (see the module)."""

    def __init__(self, bounds: QRectF | None = None) -> None:
        super().__init__(bounds if bounds is not None else QRectF())
        self.setPen(Qt.PenStyle.NoPen)

    def set_bounds(self, bounds: QRectF) -> None:
        """New bounds (Qt is told before they change, as it must be)."""
        self.setRect(bounds)
