"""A small drawing of the network: weights as coloured edges, units as heat maps.

Each edge's colour says its weight's sign (blue +, orange −) and its
thickness the weight's size, relative to the largest weight of the network.
Each unit is a tiny picture of its output over the input plane (blue
positive, orange negative, white 0, scaled per unit), so one sees the
hidden units carve the plane into the pieces the output combines.

Items are built once per network shape; every frame only changes pens and
pictures. Wide layers show their first :data:`MAX_SHOWN` units. The drawing
is fitted to the view, but its labels keep the application's font size (a
small panel or a projector would otherwise shrink them past reading).
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
    QGraphicsItem,
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
GAP = 4.0  # pixels between a label and what it names
MARGIN = 6.0  # pixels around everything
MIN_SCALE = 0.05
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
        self._frames: list[list[QGraphicsRectItem]] = []
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
        self.units, self.edges, self._frames = [], [], []
        self._tallest = min(max(sizes), MAX_SHOWN)
        shown = [min(size, MAX_SHOWN) for size in sizes]
        self._tops = [(self._tallest - n) * ROW / 2 for n in shown]
        for l in range(len(sizes) - 1):
            for j in range(shown[l + 1]):
                for i in range(shown[l]):
                    line = QGraphicsLineItem()
                    line.setZValue(-1)
                    scene.addItem(line)
                    self.edges.append((l, j, i, line))
        for l, count in enumerate(shown):
            frames, items = [], []
            for _ in range(count):
                frame = QGraphicsRectItem()
                frame.setPen(QPen(QColor("#777"), 1))
                scene.addItem(frame)
                pixmap = QGraphicsPixmapItem()
                pixmap.setTransformationMode(Qt.TransformationMode.SmoothTransformation)
                scene.addItem(pixmap)
                frames.append(frame)
                items.append(pixmap)
            self._frames.append(frames)
            self.units.append(items)
        for item, name in zip(self.units[0], self._input_names(network)):
            item.setToolTip(name)
        hidden = range(1, len(sizes) - 1)
        self._names = ["input", *(f"hidden {k}" for k in hidden), "output"]
        self._short_names = ["in", *(f"h{k}" for k in hidden), "out"]
        self._titles = [self._label(name, "#333") for name in self._names]
        self._mores = {
            l: self._label(f"+{size - n}\nmore", "#555", below=GAP)
            for l, (size, n) in enumerate(zip(sizes, shown))
            if size > n
        }
        # The key goes under the "+N more" labels; it may be wider than the
        # drawing (it is centred) and is not counted in the room beside it.
        more = max(
            (m.boundingRect().height() + GAP for m in self._mores.values()), default=0
        )
        self._key = self._label(
            "edges: blue w > 0, orange w < 0, thickness |w|", "#555", below=GAP + more
        )
        self._input_maps = None
        self._fit()
        self._update_frame()

    def _place(self, column: float) -> None:
        """Put the items in place with layers ``column`` scene units apart."""
        for l, frames in enumerate(self._frames):
            for j, (frame, unit) in enumerate(zip(frames, self.units[l])):
                x, y = l * column, self._tops[l] + j * ROW
                frame.setRect(QRectF(x - 1, y - 1, BOX + 2, BOX + 2))
                unit.setPos(x, y)
        for l, j, i, line in self.edges:
            y0, y1 = self._tops[l] + i * ROW, self._tops[l + 1] + j * ROW
            line.setLine(
                QLineF(l * column + BOX, y0 + BOX / 2, (l + 1) * column, y1 + BOX / 2)
            )
        for l, title in enumerate(self._titles):
            title.setPos(l * column + BOX / 2, -1)
        for l, more in self._mores.items():
            bottom = self._tops[l] + (len(self.units[l]) - 1) * ROW + BOX
            more.setPos(l * column + BOX / 2, bottom)
        drawing = self._drawing(column)
        self._key.setPos(drawing.center().x(), drawing.bottom())

    def _drawing(self, column: float) -> QRectF:
        """The units' frames' bounds (the edges run between them)."""
        width = (len(self._frames) - 1) * column + BOX + 3
        return QRectF(-1.5, -1.5, width, (self._tallest - 1) * ROW + BOX + 3)

    def set_text_scale(self, scale: float) -> None:
        """Layer names and the key ``scale`` times their size (presenter mode)."""
        self.text_scale = scale
        self._sizes = []  # rebuilt with the new text
        self._rebuild()

    def _label(self, text: str, colour: str, below: float | None = None) -> _Label:
        """A label at the application's font size times :attr:`text_scale`."""
        font = QFont()  # the application's, whatever the lab's is
        font.setPointSizeF(font.pointSizeF() * self.text_scale)
        label = _Label(text, QColor(colour), font, below)
        self._scene.addItem(label)
        return label

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
        """Scale the drawing to the view and spread its layers over the width,
        leaving room for the labels (whose size in pixels does not change)
        around it and between the layers; short layer names when the full
        ones do not fit side by side."""
        if not self._frames:
            return
        layers = len(self._frames)
        for names in (self._names, self._short_names):
            for title, name in zip(self._titles, names, strict=True):
                title.set_text(name)
            beside = max(
                label.boundingRect().width() / 2
                for label in [*self._titles, *self._mores.values()]
            )
            side = MARGIN + beside  # half a label beside an end layer
            width = self.viewport().width() - 2 * side
            apart = 2 * beside + 3 * GAP  # between layers' centres, at least
            if (layers - 1) * apart + BOX / 2 <= width:
                break
        above = max(title.boundingRect().height() for title in self._titles) + GAP
        below = self._key.below + self._key.boundingRect().height()
        top, bottom = MARGIN + above, MARGIN + below
        height = self.viewport().height() - top - bottom
        scale = height / self._drawing(COLUMN).height()
        if (layers - 1) * max(COLUMN * scale, apart) + (BOX + 3) * scale > width:
            # Too wide at that height: as large as the width allows.
            scale = min(
                width / self._drawing(COLUMN).width(),
                (width - (layers - 1) * apart) / (BOX + 3),
            )
        scale = max(MIN_SCALE, scale)
        # Layers spread over the width there is, up to twice as far apart.
        spread = (width / scale - BOX - 3) / max(1, layers - 1)
        column = max(COLUMN, apart / scale, min(spread, 2 * COLUMN))
        self._place(column)
        self.setTransform(QTransform.fromScale(scale, scale))
        room = self._drawing(column).adjusted(
            -side / scale, -top / scale, side / scale, bottom / scale
        )
        self._scene.setSceneRect(room)
        self.centerOn(room.center())

    def resizeEvent(self, event) -> None:
        super().resizeEvent(event)
        self._fit()


class _Label(QGraphicsSimpleTextItem):
    """Text that keeps its size in pixels however small the drawing is fitted,
    centred above the point it is placed at, or ``below`` pixels under it."""

    def __init__(
        self, text: str, colour: QColor, font: QFont, below: float | None
    ) -> None:
        super().__init__()
        self.below = below
        self.setBrush(colour)
        self.setFont(font)
        self.setFlag(QGraphicsItem.GraphicsItemFlag.ItemIgnoresTransformations)
        self.set_text(text)

    def set_text(self, text: str) -> None:
        self.setText(text)
        rect = self.boundingRect()
        top = -rect.height() - GAP if self.below is None else self.below
        self.setTransform(QTransform.fromTranslate(-rect.width() / 2, top))
