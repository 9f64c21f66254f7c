"""A small drawing of the network: weights as coloured edges, units as heat maps.

Each edge's colour says its weight's sign (blue +, orange −) and its
thickness the weight's size, relative to the largest weight of the network.
Each unit is a tiny picture of its output over the input plane (blue
positive, orange negative, white 0, scaled per unit), so one sees the
hidden units carve the plane into the pieces the output combines.

Items are built once per network shape; every frame only changes pens and
pictures. Wide layers show their first :data:`MAX_SHOWN` units.
"""

from __future__ import annotations

import time

import numpy as np
from PySide6.QtCore import QLineF, QRectF, Qt, QTimer
from PySide6.QtGui import (
    QBrush,
    QColor,
    QFont,
    QImage,
    QPainter,
    QPen,
    QPixmap,
    QTransform,
)
from PySide6.QtWidgets import (
    QGraphicsLineItem,
    QGraphicsPixmapItem,
    QGraphicsRectItem,
    QGraphicsScene,
    QGraphicsSimpleTextItem,
    QGraphicsView,
    QWidget,
)

from graphviz_dl.labs.training import TrainingModel
from graphviz_dl.labs.training.frames import input_maps
from graphviz_dl.numfmt import format_number
from graphviz_dl.training.features import title as feature_title

MAX_SHOWN = 8
MAX_RATE = 12.0  # redraws per second while training plays
BOX = 30.0  # a unit's picture, in scene units
ROW = 40.0
COLUMN = 95.0
MAX_EDGE_WIDTH = 5.0
POSITIVE = np.array([8.0, 119.0, 189.0])
NEGATIVE = np.array([245.0, 147.0, 34.0])


def diverging_rgba(values: np.ndarray) -> np.ndarray:
    """Orange (negative) – white – blue (positive), scaled by the largest |value|."""
    values = np.asarray(values, dtype=np.float64)
    if values.ndim == 1:
        values = np.tile(values, (4, 1))
    with np.errstate(all="ignore"):
        finite = np.isfinite(values)
        top = float(np.abs(values[finite]).max()) if finite.any() else 0.0
        t = values / top if top > 0 else np.zeros_like(values)
        t = np.clip(np.nan_to_num(t), -1.0, 1.0)
    colour = np.where((t >= 0)[..., None], POSITIVE, NEGATIVE)
    rgb = 255.0 + (colour - 255.0) * np.abs(t)[..., None]
    rgb[~finite] = 150.0
    out = np.empty((*values.shape, 4), dtype=np.uint8)
    out[..., :3] = rgb.astype(np.uint8)
    out[..., 3] = 255
    return np.ascontiguousarray(out[::-1])  # row 0 at the top of a picture


def _pixmap(rgba: np.ndarray) -> QPixmap:
    h, w = rgba.shape[:2]
    image = QImage(rgba.data, w, h, 4 * w, QImage.Format.Format_RGBA8888)
    return QPixmap.fromImage(image.copy())


class NetworkDiagram(QGraphicsView):
    """Layers left to right; redrawn from the model's frames."""

    def __init__(self, model: TrainingModel, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("networkDiagram")
        self._model = model
        self._scene = QGraphicsScene(self)  # parented: the view does not own it
        self.setScene(self._scene)
        self.setRenderHint(QPainter.RenderHint.Antialiasing)
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.setVerticalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.setBackgroundBrush(QBrush(QColor("white")))
        self._sizes: list[int] = []
        self._features: tuple[str, ...] = ()
        self._picture_size = None
        self._stretch = QTransform()
        self.units: list[list[QGraphicsPixmapItem]] = []
        self.edges: list[tuple[int, int, int, QGraphicsLineItem]] = []
        self._last_draw = 0.0
        self.text_scale = 1.0
        self._later = QTimer(self)
        self._later.setSingleShot(True)
        self._later.timeout.connect(self._update_frame)
        model.runReset.connect(self._rebuild)
        model.frameShown.connect(self._on_frame)
        self._rebuild()

    def _on_frame(self) -> None:
        """Redraw now, or (while playing) at most :data:`MAX_RATE` times a second."""
        wait = 1.0 / MAX_RATE - (time.perf_counter() - self._last_draw)
        if self._model.playing and wait > 0:
            if not self._later.isActive():
                self._later.start(int(wait * 1000) + 1)
            return
        self._update_frame()

    # --- building ---------------------------------------------------------------------------
    def _rebuild(self) -> None:
        network = self._model.trainer.network
        sizes = list(network.sizes)
        if sizes == self._sizes and network.features == self._features and self.units:
            return
        self._sizes, self._features = sizes, network.features
        scene = self._scene
        scene.clear()
        self.units, self.edges = [], []
        tallest = min(max(sizes), MAX_SHOWN)
        positions = []
        for l, size in enumerate(sizes):
            shown = min(size, MAX_SHOWN)
            top = (tallest - shown) * ROW / 2
            column = [(l * COLUMN, top + j * ROW) for j in range(shown)]
            positions.append(column)
            if size > shown:
                more = self._text(f"+{size - shown}\nmore", "#555")
                width = more.boundingRect().width()  # centred: neighbours never meet
                more.setPos(l * COLUMN + BOX / 2 - width / 2, top + shown * ROW - 6)
                scene.addItem(more)
        for l in range(len(sizes) - 1):
            for j, (x1, y1) in enumerate(positions[l + 1]):
                for i, (x0, y0) in enumerate(positions[l]):
                    line = QGraphicsLineItem(
                        QLineF(x0 + BOX, y0 + BOX / 2, x1, y1 + BOX / 2)
                    )
                    line.setZValue(-1)
                    scene.addItem(line)
                    self.edges.append((l, j, i, line))
        names = ["input", *(f"hidden {k + 1}" for k in range(len(sizes) - 2)), "output"]
        for l, column in enumerate(positions):
            items = []
            for x, y in column:
                frame = QGraphicsRectItem(QRectF(x - 1, y - 1, BOX + 2, BOX + 2))
                frame.setPen(QPen(QColor("#777"), 1))
                scene.addItem(frame)
                pixmap = QGraphicsPixmapItem()
                pixmap.setPos(x, y)
                pixmap.setTransformationMode(Qt.TransformationMode.SmoothTransformation)
                scene.addItem(pixmap)
                items.append(pixmap)
            self.units.append(items)
            if l == 0:
                for item, name in zip(items, self._input_names(network)):
                    item.setToolTip(name)
            title = self._text(names[l], "#333")
            width = title.boundingRect().width()
            title.setPos(
                l * COLUMN + BOX / 2 - width / 2, -title.boundingRect().height() - 6
            )
            scene.addItem(title)
        key = self._text("edges: blue w > 0, orange w < 0, thickness |w|", "#555")
        key.setPos(0, max(tallest * ROW + 16, scene.itemsBoundingRect().bottom() + 4))
        scene.addItem(key)
        self._input_maps = None
        self._fit()
        self._update_frame()

    def set_text_scale(self, scale: float) -> None:
        """Layer names and the key ``scale`` times their size (presenter mode)."""
        self.text_scale = scale
        self._sizes = []  # rebuilt with the new text
        self._rebuild()

    def _text(self, text: str, colour: str) -> QGraphicsSimpleTextItem:
        item = QGraphicsSimpleTextItem(text)
        item.setBrush(QColor(colour))
        font = QFont()  # the application's, whatever the lab's is
        font.setPointSizeF(font.pointSizeF() * self.text_scale)
        item.setFont(font)
        return item

    @staticmethod
    def _input_names(network) -> list[str]:
        if network.features:
            return [feature_title(name) for name in network.features]
        return [f"x{chr(0x2080 + i)}" for i in range(network.n_inputs)]

    # --- model → view -----------------------------------------------------------------------------
    def _update_frame(self) -> None:
        self._later.stop()
        self._last_draw = time.perf_counter()
        frame = self._model.frame
        trainer = self._model.trainer
        network = trainer.network
        if frame is None or list(network.sizes) != self._sizes:
            return
        if network.features != self._features:
            return
        blocks = trainer.network.unpack(frame.weights)
        with np.errstate(all="ignore"):
            largest = max(
                (float(np.nanmax(np.abs(W))) for W, _ in blocks if W.size), default=0.0
            )
        scale = MAX_EDGE_WIDTH / largest if largest > 0 and np.isfinite(largest) else 0
        for l, j, i, line in self.edges:
            w = float(blocks[l][0][j, i])
            colour = QColor(8, 119, 189) if w >= 0 else QColor(245, 147, 34)
            width = 0.3 + abs(w) * scale if np.isfinite(w) else 0.3
            pen = QPen(colour, width)
            pen.setCapStyle(Qt.PenCapStyle.FlatCap)
            line.setPen(pen)
            line.setToolTip(f"w[{l},{j},{i}] = {format_number(w, 4)}")
        units = frame.units
        if units is None:
            return
        if self._input_maps is None:
            self._input_maps = input_maps(units, network.features)
        maps = [self._input_maps, *units.layers, units.outputs]
        for items, layer in zip(self.units, maps):
            for item, values in zip(items, layer):
                pixmap = _pixmap(diverging_rgba(values))
                item.setPixmap(pixmap)
                if pixmap.size() != self._picture_size:
                    self._picture_size = pixmap.size()
                    self._stretch = QTransform.fromScale(
                        BOX / pixmap.width(), BOX / pixmap.height()
                    )
                item.setTransform(self._stretch)

    def _fit(self) -> None:
        rect = self._scene.itemsBoundingRect().adjusted(-8, -8, 8, 8)
        self._scene.setSceneRect(rect)
        self.fitInView(rect, Qt.AspectRatioMode.KeepAspectRatio)

    def resizeEvent(self, event) -> None:
        super().resizeEvent(event)
        self._fit()
