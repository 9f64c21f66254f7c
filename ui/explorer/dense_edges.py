"""Every edge of a dense graph as one item, drawn in one call per repaint.

A dense graph has long edges: a shared weight's fan crosses a whole chain, and
an MLP's weights reach across their layer. Seen from afar, a repaint of the
view crosses a thousand of them. Stroked one item and one curve at a time,
they took most of a step's redraw (half of it calls from Qt into Python). This
item finds the edges crossing the exposed area with numpy, cuts each curve to
the part inside it, keeps each distinct curve once (hundreds of a fan's curves
fall on the same pixels) and strokes them all in one call.
"""

from __future__ import annotations

import numpy as np
from PySide6.QtCore import QByteArray, QDataStream, QRectF, Qt
from PySide6.QtGui import QColor, QPainter, QPainterPath, QPen
from PySide6.QtWidgets import QStyleOptionGraphicsItem

from ui.explorer.edge_items import EdgeGroup
from ui.explorer.palette import LOD_TEXT, level_of_detail

_RECORD = np.dtype([("kind", ">i4"), ("x", ">f8"), ("y", ">f8")])
"""One element of a ``QPainterPath`` as ``QDataStream`` writes it."""
MOVE, LINE, CURVE, CURVE_DATA = 0, 1, 2, 3
ODD_EVEN, WINDING = 0, 1
SNAP = 8.0
"""Curves whose ends and controls agree to 1/SNAP of a device pixel are one."""
DEDUPE_FROM = 64
"""Fewer curves than this are drawn as they are: sorting out the ones that
coincide would cost more than stroking them twice."""


def path_from_elements(
    kinds: np.ndarray, points: np.ndarray, fill: int = ODD_EVEN
) -> QPainterPath:
    """A path from its elements (``QPainterPath.ElementType`` codes and
    ``(x, y)`` rows) in one C++ call, not one Python call per element."""
    records = np.empty(len(kinds), dtype=_RECORD)
    records["kind"] = kinds
    records["x"] = points[:, 0]
    records["y"] = points[:, 1]
    data = (
        np.array([len(kinds)], ">i4").tobytes()
        + records.tobytes()
        + np.array([0, fill], ">i4").tobytes()  # the last subpath's start; fill
    )
    path = QPainterPath()
    stream = QDataStream(QByteArray(data))
    stream >> path
    return path


def curve_path(controls: np.ndarray) -> QPainterPath:
    """Cubic curves, rows of four ``(x, y)`` control points, as one path."""
    kinds = np.tile(np.array([MOVE, CURVE, CURVE_DATA, CURVE_DATA]), len(controls))
    return path_from_elements(kinds, controls.reshape(-1, 2))


def _invert_spread(f: np.ndarray) -> np.ndarray:
    """``t`` with ``1.5 t (1 - t) + t³ = f``: where an edge's curve (control x
    at its start, twice at its middle, at its end) has gone ``f`` of the way
    across. The left side rises steadily (slope ≥ 0.75): Newton converges."""
    t = f.copy()
    for _ in range(6):
        value = 1.5 * t * (1 - t) + t**3
        slope = 1.5 - 3 * t + 3 * t * t
        t = np.clip(t - (value - f) / slope, 0.0, 1.0)
    return t


def _inside_y(
    controls: np.ndarray, top: float, bottom: float
) -> tuple[np.ndarray, np.ndarray]:
    """Where along each edge's curve (``t0..t1``) its y is in ``top..bottom``.

    An edge's controls' y are start, start, end, end, so its y goes from start
    to end along ``3t² - 2t³``, steadily; an empty range has ``t0 >= t1``.
    """
    sy, ey = controls[:, 0, 1], controls[:, 3, 1]
    rise = ey - sy
    level = rise == 0
    with np.errstate(divide="ignore", invalid="ignore"):
        fa, fb = (top - sy) / rise, (bottom - sy) / rise
    low = np.clip(np.minimum(fa, fb), 0.0, 1.0)
    high = np.clip(np.maximum(fa, fb), 0.0, 1.0)
    t0, t1 = _invert_smoothstep(low), _invert_smoothstep(high)
    # A level edge is inside all along, or nowhere.
    within = (sy >= top) & (sy <= bottom)
    t0[level] = np.where(within[level], 0.0, 1.0)
    t1[level] = np.where(within[level], 1.0, 0.0)
    return t0, t1


def _invert_smoothstep(f: np.ndarray) -> np.ndarray:
    """``t`` in ``0..1`` with ``3t² - 2t³ = f`` (closed form)."""
    return 0.5 - np.sin(np.arcsin(np.clip(1.0 - 2.0 * f, -1.0, 1.0)) / 3.0)


def _mixed(color: QColor, background: QColor, share: float) -> QColor:
    """``color`` at opacity ``share`` over ``background``, as one opaque colour."""
    return QColor.fromRgbF(
        *(
            share * c + (1.0 - share) * b
            for c, b in zip(color.getRgbF()[:3], background.getRgbF()[:3], strict=True)
        )
    )


def _lerp(a: np.ndarray, b: np.ndarray, t: np.ndarray) -> np.ndarray:
    return a + (b - a) * t[:, None]


def sub_curves(controls: np.ndarray, t0: np.ndarray, t1: np.ndarray) -> np.ndarray:
    """The pieces ``t0..t1`` of cubic curves (rows of four control points)."""
    p0, p1, p2, p3 = (controls[:, k] for k in range(4))
    a, b, c = _lerp(p0, p1, t0), _lerp(p1, p2, t0), _lerp(p2, p3, t0)
    d, e = _lerp(a, b, t0), _lerp(b, c, t0)
    start = _lerp(d, e, t0)  # the right part from t0 is start, e, c, p3
    u = np.where(t0 < 1, (t1 - t0) / np.maximum(1e-12, 1 - t0), 0.0)
    a, b, c = _lerp(start, e, u), _lerp(e, c, u), _lerp(c, p3, u)
    d, e = _lerp(a, b, u), _lerp(b, c, u)
    return np.stack((start, a, d, _lerp(d, e, u)), axis=1)


class DenseEdges(EdgeGroup):
    """Edges drawn one pixel wide, all in one path per repaint (see the module).

    Each edge is drawn where an :class:`EdgeGroup` would draw it, with its
    arrow head when close enough to read; only the work differs.
    """

    def __init__(self, ends: np.ndarray, color: QColor) -> None:
        super().__init__(color=color)
        self.set_ends(ends, color)

    def set_ends(self, ends: np.ndarray, color: QColor) -> None:
        super().set_ends(ends, color)
        ends = np.asarray(ends, dtype=float).reshape(-1, 4)
        sx, sy, ex, ey = ends.T
        dx = np.maximum(24.0, (ex - sx) * 0.5)  # as edge_path bends it
        self._controls = np.stack(
            (
                np.column_stack((sx, sy)),
                np.column_stack((sx + dx, sy)),
                np.column_stack((ex - dx, ey)),
                np.column_stack((ex, ey)),
            ),
            axis=1,
        )
        # Where the controls' x are start, middle, middle, end, a curve can be
        # cut at any x by _invert_spread; a short edge is drawn whole.
        self._cuttable = (ex - sx) >= 48.0

    def _crossing(self, exposed: QRectF) -> np.ndarray:
        """The edges whose boxes (arrow heads included) cross ``exposed``."""
        boxes = self._boxes
        return np.flatnonzero(
            (boxes[:, 2] >= exposed.left())
            & (boxes[:, 0] <= exposed.right())
            & (boxes[:, 3] >= exposed.top())
            & (boxes[:, 1] <= exposed.bottom())
        )

    def _visible_curves(
        self, crossing: np.ndarray, exposed: QRectF, scale: float
    ) -> np.ndarray:
        """The pieces of the ``crossing`` edges inside ``exposed``, each
        distinct one once.

        A curve whose box crosses the area may still pass beside it (an
        S-curve between far corners): only where it is inside the area in
        both x and y is drawn, and a curve never inside is not drawn at all.
        """
        controls = self._controls[crossing]
        if not len(controls):
            return controls
        pad = 2.0 / max(scale, 1e-9)  # a cut end never shows inside the area
        area = exposed.adjusted(-pad, -pad, pad, pad)
        t0, t1 = _inside_y(controls, area.top(), area.bottom())
        # x rises steadily along a long edge; a short one is cut in y only.
        cuttable = self._cuttable[crossing]
        start, end = controls[cuttable, 0, 0], controls[cuttable, 3, 0]
        span = end - start
        t0[cuttable] = np.maximum(
            t0[cuttable], _invert_spread(np.clip((area.left() - start) / span, 0, 1))
        )
        t1[cuttable] = np.minimum(
            t1[cuttable], _invert_spread(np.clip((area.right() - start) / span, 0, 1))
        )
        inside = np.flatnonzero(t0 < t1)
        pieces = sub_curves(controls[inside], t0[inside], t1[inside])
        if len(pieces) < DEDUPE_FROM:
            return pieces
        snapped = np.round(pieces.reshape(len(pieces), 8) * (scale * SNAP))
        _, first = np.unique(snapped, axis=0, return_index=True)
        return pieces[np.sort(first)]

    def _visible_heads(self, crossing: np.ndarray, exposed: QRectF) -> np.ndarray:
        """The arrow heads' three corners for the ``crossing`` edges' tips
        near ``exposed``."""
        tips = self._controls[crossing, 3]
        size = self._head
        near = np.flatnonzero(
            (tips[:, 0] >= exposed.left())
            & (tips[:, 0] - size <= exposed.right())
            & (tips[:, 1] + size >= exposed.top())
            & (tips[:, 1] - size <= exposed.bottom())
        )
        tips = tips[near]
        back = tips[:, 0] - size
        return np.stack(
            (
                tips,
                np.column_stack((back, tips[:, 1] - size * 0.55)),
                np.column_stack((back, tips[:, 1] + size * 0.55)),
            ),
            axis=1,
        )

    def paint(
        self, painter: QPainter, option: QStyleOptionGraphicsItem, widget=None
    ) -> None:
        exposed = option.exposedRect
        scale = painter.worldTransform().m11()
        crossing = self._crossing(exposed)
        curves = self._visible_curves(crossing, exposed, scale)
        if not len(curves):
            return
        color = self._pen.color()
        opacity = painter.opacity()
        if opacity < 1.0:
            # Dimmed (a trace): a translucent one-pixel pen leaves Qt's fast
            # path (a repaint 13× slower); the colour mixed with the background
            # is opaque.
            color = _mixed(color, self._background(), opacity)
            painter.setOpacity(1.0)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing, False)
        pen = QPen(color, 1.0)  # one pixel, cosmetic: ~20× faster than a wide one
        pen.setCosmetic(True)
        painter.setPen(pen)
        painter.setBrush(Qt.BrushStyle.NoBrush)
        painter.drawPath(curve_path(curves))
        heads = (
            self._visible_heads(crossing, exposed)
            if level_of_detail(painter, option) >= LOD_TEXT
            else ()  # arrow heads are specks this far out
        )
        if len(heads):
            kinds = np.tile(np.array([MOVE, LINE, LINE]), len(heads))
            painter.setPen(Qt.PenStyle.NoPen)
            painter.setBrush(color)
            # Winding: heads that overlap (a node used twice by one op) stay filled.
            painter.drawPath(path_from_elements(kinds, heads.reshape(-1, 2), WINDING))
        painter.setOpacity(opacity)  # the view does not save painter state

    def _background(self) -> QColor:
        scene = self.scene()
        return scene.backgroundBrush().color() if scene is not None else QColor("white")
