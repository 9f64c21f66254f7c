"""Small marks under the timeline's slider where settings changed mid-run.

Each mark sits at the step where the change took effect, placed along the
slider as the snapshots are (a change between two snapshots sits between
them); hovering one shows what changed, "lr 0.03 → 0.3".
"""

from __future__ import annotations

import numpy as np
from PySide6.QtCore import QPointF, Qt
from PySide6.QtGui import QColor, QPainter, QPolygonF
from PySide6.QtWidgets import QSlider, QStyle, QStyleOptionSlider, QToolTip, QWidget

from graphviz_dl.training.live import LiveChange

MARK_COLOUR = QColor("#c0392b")
HEIGHT = 8
HALF_WIDTH = 4.0


def positions(
    changes: tuple[LiveChange, ...], snapshot_steps: list[int], live_step: int
) -> np.ndarray:
    """Each change's place on the slider (0 … number of snapshots, fractional)."""
    steps = [
        *snapshot_steps,
        max(live_step, snapshot_steps[-1] if snapshot_steps else 0),
    ]
    ticks = np.arange(len(steps), dtype=np.float64)
    at = np.array([c.step for c in changes], dtype=np.float64)
    return np.interp(at, np.asarray(steps, dtype=np.float64), ticks)


class ChangeMarks(QWidget):
    """A strip of marks aligned with ``slider``'s groove (laid out right
    under it, with the same left edge and width)."""

    def __init__(self, slider: QSlider, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("changeMarks")
        self._slider = slider
        self._changes: tuple[LiveChange, ...] = ()
        self._places = np.zeros(0)
        self.setFixedHeight(HEIGHT)
        self.setMouseTracking(True)

    @property
    def changes(self) -> tuple[LiveChange, ...]:
        return self._changes

    def set_changes(
        self, changes: tuple[LiveChange, ...], snapshot_steps: list[int], step: int
    ) -> None:
        places = positions(changes, snapshot_steps, step)
        if changes == self._changes and np.array_equal(places, self._places):
            return
        self._changes, self._places = changes, places
        self.update()

    def mark_x(self, index: int) -> float:
        """Where mark ``index`` is drawn, in this widget's pixels."""
        slider = self._slider
        option = QStyleOptionSlider()
        slider.initStyleOption(option)
        style = slider.style()
        groove = style.subControlRect(
            QStyle.ComplexControl.CC_Slider,
            option,
            QStyle.SubControl.SC_SliderGroove,
            slider,
        )
        handle = style.subControlRect(
            QStyle.ComplexControl.CC_Slider,
            option,
            QStyle.SubControl.SC_SliderHandle,
            slider,
        )
        span = max(1, slider.maximum() - slider.minimum())
        left = groove.left() + handle.width() / 2
        width = groove.width() - handle.width()
        return left + width * (self._places[index] - slider.minimum()) / span

    def tooltip_at(self, x: float) -> str:
        """What changed at the marks near ``x`` (within a few pixels), or ""."""
        return "\n".join(
            f"step {change.step}: {change.text}"
            for i, change in enumerate(self._changes)
            if abs(self.mark_x(i) - x) <= HALF_WIDTH + 2
        )

    def mouseMoveEvent(self, event) -> None:
        text = self.tooltip_at(event.position().x())
        if text:
            QToolTip.showText(event.globalPosition().toPoint(), text, self)
        else:
            QToolTip.hideText()
        super().mouseMoveEvent(event)

    def paintEvent(self, event) -> None:
        if not self._changes:
            return
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(MARK_COLOUR)
        for i in range(len(self._changes)):
            x = self.mark_x(i)
            painter.drawPolygon(
                QPolygonF(
                    [
                        QPointF(x, 0.0),
                        QPointF(x - HALF_WIDTH, float(HEIGHT)),
                        QPointF(x + HALF_WIDTH, float(HEIGHT)),
                    ]
                )
            )
        painter.end()
