"""What the mouse does on the surface view: a click or a drag of the ring moves
the start point (undoable, one drag one step), and hovering names what is under
the pointer (a run's step, a training-path point, a known minimum)."""

from __future__ import annotations

from itertools import count

from PySide6.QtCore import QObject, Qt
from PySide6.QtGui import QUndoStack

from graphviz_dl.labs.optimizer import LabModel
from graphviz_dl.labs.optimizer.describe import minimum_summary, point_summary
from graphviz_dl.labs.optimizer.geometry import nearest
from ui.optimizer_lab.commands import SetStart
from ui.optimizer_lab.path_items import HOVER_RADIUS


class SurfaceInput(QObject):
    """Mouse handling of a :class:`~ui.optimizer_lab.surface_view.SurfaceView`."""

    def __init__(self, view, model: LabModel, undo: QUndoStack) -> None:
        super().__init__(view)
        self._view = view
        self._model = model
        self._undo = undo
        self._drag_ids = count(1)
        self._drag_key: object = None
        view.scene().sigMouseClicked.connect(self._on_click)
        view.scene().sigMouseMoved.connect(self._on_mouse_moved)
        view.start_marker.sigPositionChanged.connect(self._on_marker_moved)
        view.start_marker.sigPositionChangeFinished.connect(self._on_marker_released)

    # --- the start point -----------------------------------------------------------
    def _on_click(self, ev) -> None:
        if ev.button() != Qt.MouseButton.LeftButton or ev.double() or ev.isAccepted():
            return
        vb = self._view.plot.getViewBox()
        if not vb.sceneBoundingRect().contains(ev.scenePos()):
            return
        if self._view.start_marker.mouseHovering:
            return
        p = vb.mapSceneToView(ev.scenePos())
        self._undo.push(SetStart(self._model, (p.x(), p.y())))

    def _on_marker_moved(self, *_args) -> None:
        marker = self._view.start_marker
        if self._view._syncing or not marker.moving:
            return
        if self._drag_key is None:
            self._drag_key = next(self._drag_ids)
        p = marker.pos()
        self._undo.push(SetStart(self._model, (p.x(), p.y()), merge_key=self._drag_key))

    def _on_marker_released(self, *_args) -> None:
        self._drag_key = None
        p = self._view.start_marker.pos()
        if (p.x(), p.y()) != self._model.start:
            self._undo.push(SetStart(self._model, (p.x(), p.y())))

    # --- hovering ------------------------------------------------------------------
    def _on_mouse_moved(self, scene_pos) -> None:
        vb = self._view.plot.getViewBox()
        if not vb.sceneBoundingRect().contains(scene_pos):
            self._view.hover.setVisible(False)
            return
        p = vb.mapSceneToView(scene_pos)
        self.hover_at(p.x(), p.y())

    def hover_at(self, x: float, y: float) -> str:
        """Show (and return) what is under the point ``(x, y)`` in data coordinates."""
        view = self._view
        text, anchor = self._describe(x, y)
        view.hover_text = text
        if text:
            view.hover.setHtml(f"<div style='color:#f0f0f0;font-size:9pt'>{text}</div>")
            self._place_hover(anchor)
            view.hover.setPos(*anchor)
            view.hover.setVisible(True)
        else:
            view.hover.setVisible(False)
        return text

    def _describe(self, x: float, y: float) -> tuple[str, tuple[float, float]]:
        pixel = tuple(self._view.plot.getViewBox().viewPixelSize())
        if not (pixel[0] > 0 and pixel[1] > 0):
            return "", (x, y)
        best = (HOVER_RADIUS**2, None, None)
        for i, _, run in self._model.active():
            k, d2 = nearest(run.positions, x, y, pixel)
            if d2 < best[0]:
                best = (d2, i, k)
        surface = self._model.surface
        training = self._view.training.describe(surface, x, y, pixel)
        if training is not None:  # the nearer of a racer's point and a snapshot
            (tx, ty) = training[1]
            if ((tx - x) / pixel[0]) ** 2 + ((ty - y) / pixel[1]) ** 2 <= best[0]:
                return training
        _, i, step = best
        if i is not None:
            run = self._model.run(i)
            pos = run.positions[step]
            text = point_summary(self._model.configs[i], run, step)
            return text, (float(pos[0]), float(pos[1]))
        k, d2 = nearest(surface.minima, x, y, pixel)
        if d2 < HOVER_RADIUS**2:
            m = surface.minima[k]
            return minimum_summary(surface, m), (m[0], m[1])
        return "", (x, y)

    def _place_hover(self, anchor: tuple[float, float]) -> None:
        """Keep the hover box inside the view: it opens away from the nearest edges."""
        (x0, x1), (y0, y1) = self._view.plot.getViewBox().viewRange()
        fx = 1.0 if anchor[0] > (x0 + x1) / 2 else 0.0
        fy = 1.0 if anchor[1] < (y0 + y1) / 2 else 0.0
        self._view.hover.setAnchor((fx, fy))
