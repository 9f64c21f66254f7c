"""Drawing helpers the labs' plots share: cached axes and growing polylines."""

from __future__ import annotations

import numpy as np
import pyqtgraph as pg
from PySide6.QtWidgets import QGraphicsItem

from graphviz_dl.labs.optimizer.geometry import last_finite, pixel_thin

__all__ = ["Trail", "cache_static_parts", "last_finite"]


def cache_static_parts(plot: pg.PlotItem, *others) -> None:
    """Keep axes (with their grid lines) and other rarely changing items as cached
    pictures: without this every animation frame re-renders all tick labels."""
    mode = QGraphicsItem.CacheMode.DeviceCoordinateCache
    for name in ("left", "bottom", "top", "right"):
        axis = plot.getAxis(name)
        axis.setCacheMode(mode)
        # "×1e+09" next to a label confuses more than it saves
        axis.enableAutoSIPrefix(False)
    for item in others:
        item.setCacheMode(mode)


class Trail:
    """A growing polyline: a settled part kept as a cached picture, and a live tail.

    Redrawing thousands of antialiased segments every frame is what makes a
    race stutter; here each frame redraws only the last few dozen points, and
    the settled part is re-rendered once per ``chunk`` steps (thinned to one
    point per pixel) or when the view's scale changes.
    """

    def __init__(self, plot: pg.PlotItem, z: float, chunk: int = 64) -> None:
        self.settled = pg.PlotCurveItem(connect="finite")
        self.settled.setCacheMode(QGraphicsItem.CacheMode.DeviceCoordinateCache)
        self.tail = pg.PlotCurveItem(connect="finite")
        for item in (self.settled, self.tail):
            item.setZValue(z)
            plot.addItem(item)
        self.chunk = chunk
        self._settled_n = 0  # index of the last settled point (0: nothing settled)
        self._pixel: tuple[float, float] | None = None

    def set_pen(self, pen) -> None:
        self.settled.setPen(pen)
        self.tail.setPen(pen)

    def show(self, x: np.ndarray, y: np.ndarray, pixel: tuple[float, float]) -> None:
        """Draw the polyline ``(x, y)``; ``pixel`` is the current data size of a pixel."""
        n = len(x)
        if n - 1 < self._settled_n or pixel != self._pixel:
            self._settled_n = 0
            self._pixel = pixel
        if n - 1 - self._settled_n > self.chunk:
            self._settled_n = n - 1
            sx, sy = pixel_thin(x, y, pixel) if pixel[0] > 0 < pixel[1] else (x, y)
            self.settled.setData(sx, sy)
        elif self._settled_n == 0:
            self.settled.setData([], [])
        start = self._settled_n
        self.tail.setData(x[start:], y[start:])

    def data(self) -> tuple[np.ndarray, np.ndarray]:
        """Everything drawn, settled points then the tail, as two arrays."""
        parts = [item.getData() for item in (self.settled, self.tail)]
        xs = [np.asarray(p[0]) for p in parts if p[0] is not None and len(p[0])]
        ys = [np.asarray(p[1]) for p in parts if p[1] is not None and len(p[1])]
        if len(xs) == 2:  # the tail starts at the last settled point
            xs[1], ys[1] = xs[1][1:], ys[1][1:]
        if not xs:
            return np.empty(0), np.empty(0)
        return np.concatenate(xs), np.concatenate(ys)

    def items(self) -> tuple[pg.PlotCurveItem, pg.PlotCurveItem]:
        return self.settled, self.tail

    def clear(self) -> None:
        self._settled_n = 0
        self.settled.setData([], [])
        self.tail.setData([], [])


class SparseLogAxis(pg.AxisItem):
    """A log axis that names only the 1, 2 and 5 of each decade.

    pyqtgraph names every minor tick (2·10¹, 3·10¹ … 9·10¹) once the range is
    a decade or two, which stacks into an unreadable column; the unnamed ticks
    keep their marks, so the scale still reads as logarithmic.
    """

    def logTickStrings(self, values, scale, spacing) -> list[str]:
        strings = super().logTickStrings(values, scale, spacing)
        shown = []
        for value, text in zip(values, strings):
            mantissa = 10 ** (value - np.floor(value + 1e-9))
            named = any(abs(mantissa - k) < 1e-6 * k for k in (1, 2, 5))
            shown.append(text if named else "")
        return shown
