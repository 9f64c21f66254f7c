"""The items that draw paths on the surface: one set per racing configuration,
and the training run's path that the training lab sends with a loss plane."""

from __future__ import annotations

import weakref

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import Qt

from graphviz_dl.labs.optimizer.describe import training_point_summary
from graphviz_dl.labs.optimizer.geometry import Pixel, label_anchor, nearest
from graphviz_dl.surfaces import Surface
from ui.common.plotting import Trail

HOVER_RADIUS = 12.0  # pixels


class RunItems:
    """The fixed items that draw one configuration: its path and two arrows."""

    def __init__(self, plot: pg.PlotItem, index: int) -> None:
        self.path = Trail(plot, 10, chunk=48 + 8 * (index % 8))  # spread re-renders
        self.step_arrow = pg.PlotCurveItem(connect="pairs")
        self.grad_arrow = pg.PlotCurveItem(connect="pairs")
        for z, item in enumerate((self.step_arrow, self.grad_arrow)):
            item.setZValue(11 + z)
            plot.addItem(item)
        self.colour = ""

    def set_colour(self, colour: str) -> None:
        if colour == self.colour:
            return
        self.colour = colour
        self.path.set_pen(pg.mkPen(colour, width=2))
        self.step_arrow.setPen(pg.mkPen(colour, width=2.5))
        self.grad_arrow.setPen(pg.mkPen(colour, width=1.6, style=Qt.PenStyle.DashLine))

    def set_arrows(self, step=None, grad=None) -> None:
        """Draw the arrows given as (x, y) segment arrays; None hides one."""
        for item, data in ((self.step_arrow, step), (self.grad_arrow, grad)):
            item.setData(*(data if data is not None else ([], [])))

    def remove(self, plot: pg.PlotItem) -> None:
        for item in (*self.path.items(), self.step_arrow, self.grad_arrow):
            plot.removeItem(item)

    def clear(self) -> None:
        self.path.clear()
        self.set_arrows()


class TrainingPathItems:
    """Light grey on a black outline with dots at the snapshots, and a grey
    diamond at the run's latest weights: legible on every colour of the map,
    and unlike the race's coloured paths. Paths are kept by surface object, so
    undoing back to a surface brings its path back with it."""

    def __init__(self, plot: pg.PlotItem) -> None:
        self._paths: weakref.WeakKeyDictionary[Surface, np.ndarray] = (
            weakref.WeakKeyDictionary()
        )
        self.line = pg.PlotDataItem(
            connect="finite",
            pen=pg.mkPen("#d8d8d8", width=2),
            shadowPen=pg.mkPen("k", width=4.5),
            symbol="o",
            symbolSize=6,
            symbolPen=pg.mkPen("k", width=1),
            symbolBrush=pg.mkBrush("#d8d8d8"),
        )
        self.now = pg.ScatterPlotItem(
            symbol="d", size=24, pen=pg.mkPen("k", width=1.5), brush="#d8d8d8"
        )
        self.label = pg.TextItem(
            "training path", color="#f0f0f0", fill=pg.mkBrush(0, 0, 0, 170)
        )
        for z, item in enumerate((self.label, self.line, self.now)):
            item.setZValue(5 + z)  # under the race (10 and up), over its label
            item.setVisible(False)
            plot.addItem(item, ignoreBounds=item is self.label)

    def set_path(self, surface: Surface, path: np.ndarray | None) -> None:
        if path is None:
            self._paths.pop(surface, None)
        else:
            self._paths[surface] = np.array(path, dtype=np.float64).reshape(-1, 2)

    def show_for(self, surface: Surface) -> None:
        """Show the path kept for ``surface`` (or nothing)."""
        path = self._paths.get(surface)
        shown = path is not None and bool(np.isfinite(path).all(axis=1).any())
        for item in (self.line, self.now, self.label):
            item.setVisible(shown)
        if not shown:
            self.line.setData([], [])
            self.now.setData([], [])
            return
        self.line.setData(path[:, 0], path[:, 1])
        self.now.setData(pos=path[-1:])
        place = label_anchor(path, surface.domain)
        if place is not None:
            self.label.setAnchor(place[1])
            self.label.setPos(*place[0])

    def drawn(self) -> np.ndarray:
        """The path drawn now ([T, 2]; empty when none is shown)."""
        if not self.line.isVisible():
            return np.empty((0, 2))
        x, y = self.line.getData()
        return np.column_stack([x, y]) if x is not None else np.empty((0, 2))

    def describe(
        self, surface: Surface, x: float, y: float, pixel: Pixel
    ) -> tuple[str, tuple[float, float]] | None:
        """What a training-path point under (x, y) is, if there is one."""
        path = self._paths.get(surface)
        if path is None or not len(path) or not self.line.isVisible():
            return None
        k, d2 = nearest(path, x, y, pixel)
        if not d2 < HOVER_RADIUS**2:
            return None
        point = path[k]
        return training_point_summary(surface, path, k), (
            float(point[0]),
            float(point[1]),
        )
