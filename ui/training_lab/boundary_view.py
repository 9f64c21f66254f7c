"""The data points over the network's answer: a decision boundary or a regression curve.

Classification: each grid cell of the input plane is tinted with the class
the network predicts, the paler the less sure it is, with the boundary
itself (score 0, probability ½) drawn as a line. Regression: the curve ŷ(x)
through the points. Training points are filled, test points hollow.

The image, the line, the curve and the points are fixed items updated with
``setData``/``setImage`` on every frame; the grid, its colours and the
boundary line come computed with each frame
(:mod:`graphviz_dl.labs.training.frames`). Clicking a point asks for its
graph; clicking elsewhere adds a point (left button class 0, right button class 1,
Shift or the middle button class 2).
"""

from __future__ import annotations

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import QRectF, Qt, Signal
from PySide6.QtWidgets import QGraphicsItem, QWidget

from graphviz_dl.labs.training import TrainingModel
from graphviz_dl.labs.training.curves import class_indices, nearest_point, point_xy
from graphviz_dl.labs.training.frames import CLASS_COLOURS
from graphviz_dl.numfmt import format_number
from ui.common.plotting import cache_static_parts

PICK_PX = 9.0  # a click this close to a point picks the point


class BoundaryView(pg.GraphicsLayoutWidget):
    """The input plane: tint, boundary line or regression curve, and the points."""

    pointClicked = Signal(int)  # a data point's index
    planeClicked = Signal(float, float, int)  # x, y and the class the button means
    redrawn = Signal()

    def __init__(self, model: TrainingModel, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("boundaryView")
        self.setBackground("w")
        self._model = model
        self.redraws = 0
        self.text_scale = 1.0
        self.plot = self.addPlot(row=0, col=0)
        self.plot.setMenuEnabled(False)
        self.plot.hideButtons()
        self.plot.setAspectLocked(False)
        vb = self.plot.getViewBox()
        vb.setDefaultPadding(0.0)
        vb.setMouseEnabled(False, False)
        for name in ("left", "bottom"):
            axis = self.plot.getAxis(name)
            axis.setPen(pg.mkPen("#888"))
            axis.setTextPen(pg.mkPen("#333"))
        cache_static_parts(self.plot)

        self.image = pg.ImageItem()
        self.image.setZValue(-20)
        self.plot.addItem(self.image)
        self.line = pg.PlotCurveItem(connect="finite", pen=pg.mkPen("#333", width=1.6))
        self.line.setZValue(-10)
        self.plot.addItem(self.line)
        self.curve = pg.PlotCurveItem(pen=pg.mkPen(CLASS_COLOURS[1], width=2.5))
        self.curve.setZValue(-5)
        self.plot.addItem(self.curve)
        self.train_points = pg.ScatterPlotItem(size=8, pen=pg.mkPen("w", width=1))
        self.test_points = pg.ScatterPlotItem(size=8, brush=pg.mkBrush(None))
        for z, item in ((10, self.train_points), (11, self.test_points)):
            item.setZValue(z)
            self.plot.addItem(item)
        self.hover = pg.TextItem(
            anchor=(0, 1),
            color="#111",
            fill=pg.mkBrush(255, 255, 255, 225),
            border=pg.mkPen("#999"),
        )
        self.hover.setZValue(100)
        self.hover.setVisible(False)
        self.plot.addItem(self.hover, ignoreBounds=True)
        self.key = pg.TextItem(
            anchor=(0, 0), color="#222", fill=pg.mkBrush(255, 255, 255, 200)
        )
        self.key.setParentItem(vb)
        self.key.setPos(4, 2)
        self.key.setZValue(90)
        self.key.setCacheMode(QGraphicsItem.CacheMode.DeviceCoordinateCache)

        self.scene().sigMouseClicked.connect(self._on_click)
        self.scene().sigMouseMoved.connect(self._on_mouse_moved)
        model.dataChanged.connect(self._update_points)
        model.runReset.connect(self._update_points)
        model.frameShown.connect(self._update_boundary)
        self._update_points()
        self._update_boundary()

    # --- reading (tests, the bench) ---------------------------------------------------------
    def image_data(self) -> np.ndarray | None:
        return None if self.image.image is None else np.array(self.image.image)

    def view_point(self, x: float, y: float):
        """Where the data point (x, y) is on this widget (for clicks)."""
        scene = self.plot.getViewBox().mapViewToScene(pg.Point(x, y))
        return self.mapFromScene(scene)

    def point_xy(self) -> np.ndarray:
        """Each data point as drawn: (x0, x1), or (x, y) for regression."""
        return point_xy(self._model.dataset)

    # --- model → view ---------------------------------------------------------------------------
    def _update_points(self) -> None:
        data = self._model.dataset
        xy = self.point_xy()
        test = data.is_test()
        colours = class_indices(data, len(CLASS_COLOURS))
        brushes = [pg.mkBrush(c) for c in CLASS_COLOURS]
        pens = [pg.mkPen(c, width=2) for c in CLASS_COLOURS]
        self.train_points.setData(
            pos=xy[~test], brush=[brushes[c] for c in colours[~test]]
        )
        self.test_points.setData(pos=xy[test], pen=[pens[c] for c in colours[test]])
        x0, x1, y0, y1 = self._model.trainer.extent
        self.plot.getViewBox().setRange(xRange=(x0, x1), yRange=(y0, y1), padding=0)
        regression = data.task == "regression"
        self.plot.setLabel("bottom", "x" if regression else "x₀")
        self.plot.setLabel("left", "y" if regression else "x₁")
        if regression:
            key = "● train  ○ test · click to add a point"
        elif data.n_classes == 2:
            key = (
                f"<span style='color:{CLASS_COLOURS[0]}'>●</span> class 0 (left click) "
                f"<span style='color:{CLASS_COLOURS[1]}'>●</span> class 1 (right click)"
                " · ○ test"
            )
        else:
            key = (
                f"<span style='color:{CLASS_COLOURS[0]}'>●</span> 0 (left) "
                f"<span style='color:{CLASS_COLOURS[1]}'>●</span> 1 (right) "
                f"<span style='color:{CLASS_COLOURS[2]}'>●</span> 2 (shift) · ○ test"
            )
        self.key.setHtml(f"<span style='font-size:{self._text_pt()}pt'>{key}</span>")

    def set_text_scale(self, scale: float) -> None:
        """Point key, hover text and markers ``scale`` times their size
        (presenter mode)."""
        self.text_scale = scale
        size = 8 * scale
        self.train_points.setSize(size)
        self.test_points.setSize(size)
        self._update_points()

    def _text_pt(self) -> str:
        return f"{8 * self.text_scale:.1f}"

    def _update_boundary(self) -> None:
        frame = self._model.frame
        boundary = frame.boundary if frame is not None else None
        if boundary is None:
            self.image.setVisible(False)
            self.line.setData([], [])
            self.curve.setData([], [])
            return
        if boundary.ys is None:  # regression: a curve over x
            self.image.setVisible(False)
            self.line.setData([], [])
            self.curve.setData(boundary.xs, boundary.outputs, connect="finite")
        else:
            self.curve.setData([], [])
            rgba = frame.tint
            x0, x1, y0, y1 = boundary.extent
            nx, ny = len(boundary.xs), len(boundary.ys)
            dx, dy = (x1 - x0) / (nx - 1), (y1 - y0) / (ny - 1)
            self.image.setImage(rgba, autoLevels=False)
            self.image.setRect(QRectF(x0 - dx / 2, y0 - dy / 2, dx * nx, dy * ny))
            self.image.setVisible(True)
            lines = frame.lines
            self.line.setData(lines[:, 0], lines[:, 1])
        self.redraws += 1
        self.redrawn.emit()

    # --- clicks and hover ------------------------------------------------------------------------
    def point_at(self, x: float, y: float) -> int | None:
        """The data point drawn within :data:`PICK_PX` pixels of (x, y), if any."""
        pixel = self.plot.getViewBox().viewPixelSize()
        return nearest_point(self.point_xy(), x, y, pixel, PICK_PX)

    def _on_click(self, ev) -> None:
        if ev.double():  # (the scatter items accept clicks on points: not a "no")
            return
        vb = self.plot.getViewBox()
        if not vb.sceneBoundingRect().contains(ev.scenePos()):
            return
        p = vb.mapSceneToView(ev.scenePos())
        index = self.point_at(p.x(), p.y())
        if index is not None and ev.button() == Qt.MouseButton.LeftButton:
            self.pointClicked.emit(index)
            return
        button = ev.button()
        shift = bool(ev.modifiers() & Qt.KeyboardModifier.ShiftModifier)
        if button == Qt.MouseButton.MiddleButton or shift:
            label = 2
        elif button == Qt.MouseButton.RightButton:
            label = 1
        else:
            label = 0
        self.planeClicked.emit(p.x(), p.y(), label)

    def _on_mouse_moved(self, scene_pos) -> None:
        vb = self.plot.getViewBox()
        if not vb.sceneBoundingRect().contains(scene_pos):
            self.hover.setVisible(False)
            return
        p = vb.mapSceneToView(scene_pos)
        index = self.point_at(p.x(), p.y())
        if index is None:
            self.hover.setVisible(False)
            return
        self.hover.setHtml(self.describe(index))
        self.hover.setPos(*self.point_xy()[index])
        self.hover.setVisible(True)

    def describe(self, index: int) -> str:
        """HTML about point ``index``: where, its target, the network's answer."""
        model = self._model
        data = model.dataset
        split = "test" if data.is_test()[index] else "train"
        coords = ", ".join(format_number(v, 3) for v in data.X[index])
        target = data.y[index]
        lines = [f"<b>point {index}</b> ({split}) · x = ({coords})"]
        try:
            pred = model.trainer.predict(data.X[index], model.frame.weights)
        except (ValueError, IndexError):
            pred = None
        if data.task == "regression":
            lines.append(f"y = {format_number(float(target), 4)}")
            if pred is not None:
                lines.append(f"ŷ = {format_number(float(pred.outputs[0, 0]), 4)}")
        else:
            lines.append(f"class {int(target)}")
            if pred is not None and pred.probabilities is not None:
                probs = ", ".join(format_number(p, 3) for p in pred.probabilities[0])
                lines.append(f"p = ({probs})")
            elif pred is not None:
                lines.append(f"score z = {format_number(float(pred.outputs[0, 0]), 4)}")
        lines.append("<i>click: open its graph</i>")
        size = self._text_pt()
        return f"<span style='font-size:{size}pt'>" + "<br>".join(lines) + "</span>"
