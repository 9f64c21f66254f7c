"""The loss surface in 3-D with the racing paths on it, live as the race runs.

pyqtgraph's OpenGL items draw it: the relief (:mod:`graphviz_dl.labs.optimizer.
relief`, computed in a job) coloured as the 2-D map, one line per racer in
its colour a little above the surface, and a dot at each head. OpenGL is not
everywhere (the offscreen platform, a remote display without GL): then
:func:`gl_problem` says so and the lab stays in 2-D with that note, never a
crash. Nothing here is built until the 3-D view is first asked for.
"""

from __future__ import annotations

import html

import numpy as np
from PySide6.QtGui import (
    QColor,
    QGuiApplication,
    QOffscreenSurface,
    QOpenGLContext,
    QVector3D,
)
from PySide6.QtWidgets import QLabel, QVBoxLayout, QWidget

from graphviz_dl.labs.optimizer import LabModel
from graphviz_dl.labs.optimizer.relief import HEIGHT, Relief, compute_relief
from ui.common.jobs import JobRunner
from ui.optimizer_lab.grid_layer import colour_map

NO_GL = "3-D needs OpenGL, which this display does not offer; showing 2-D"
NO_PYOPENGL = "3-D needs the PyOpenGL package, which is not installed; showing 2-D"
HEAD_SIZE = 14.0  # pixels
_checked: dict[str, str | None] = {}


def gl_problem() -> str | None:
    """Why no 3-D view can be drawn here (None: it can). Asked once per run."""
    if "answer" not in _checked:
        _checked["answer"] = _find_gl_problem()
    return _checked["answer"]


def _find_gl_problem() -> str | None:
    if QGuiApplication.platformName() in ("offscreen", "minimal", "vnc"):
        return NO_GL  # these platforms have no OpenGL widgets at all
    try:
        import OpenGL.GL  # noqa: F401
        import pyqtgraph.opengl  # noqa: F401
    except ImportError:
        return NO_PYOPENGL
    context, surface = QOpenGLContext(), QOffscreenSurface()
    surface.create()
    if not (context.create() and context.makeCurrent(surface)):
        return NO_GL
    context.doneCurrent()
    return None


class Surface3D(QWidget):
    """A caption over a GL view of the relief and the paths (built on first use)."""

    def __init__(self, model: LabModel, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("surface3d")
        self._model = model
        self.view = None  # the GLViewWidget, once made
        self.surface_item = None
        self.paths: list = []  # one GLLinePlotItem per configuration
        self.heads = None  # a dot per racer's head
        self.minima = None  # white dots at the surface's known minima
        self.relief: Relief | None = None
        self._relief_of = None  # the surface the relief (or its job) is for
        self.jobs = JobRunner(self)
        self.caption = QLabel()
        self.caption.setObjectName("surface3dCaption")
        self.caption.setWordWrap(True)
        self._layout = QVBoxLayout(self)
        self._layout.setContentsMargins(0, 0, 0, 0)
        self._layout.setSpacing(2)
        self._layout.addWidget(self.caption)
        for signal in (model.raceAdvanced, model.raceReset, model.configsChanged):
            signal.connect(self.update_paths)
        model.surfaceChanged.connect(self.update_surface)

    # --- public ----------------------------------------------------------------------
    def activate(self) -> str | None:
        """Build the GL view if need be and show the current race; returns why
        it cannot be shown (then nothing was built)."""
        problem = gl_problem()
        if problem is not None:
            return problem
        if self.view is None:
            self._build()
        self.update_surface()
        self.update_paths()
        return None

    def ensure_relief(self) -> None:
        """Have the current surface's relief on screen now (screenshots, tests)."""
        if self.view is not None and self._relief_of is not self._model.surface:
            self.update_surface()
        if self.view is not None and (self.relief is None or self.jobs.busy):
            self.jobs.cancel()
            self._show_relief(
                (self._model.surface, compute_relief(self._model.surface))
            )

    def shutdown(self) -> None:
        self.jobs.shutdown()

    def showEvent(self, event) -> None:
        super().showEvent(event)
        self.update_paths()

    # --- building --------------------------------------------------------------------
    def _build(self) -> None:
        import pyqtgraph.opengl as gl

        self.view = gl.GLViewWidget()
        self.view.setObjectName("surface3dView")
        self.view.setBackgroundColor(QColor("#202028"))
        self.view.setCameraPosition(distance=3.1, elevation=38, azimuth=-120)
        self.view.opts["center"] = QVector3D(0.0, 0.0, HEIGHT / 3)
        self._layout.addWidget(self.view, 1)
        self.surface_item = gl.GLSurfacePlotItem(
            shader=None, smooth=False, computeNormals=False, glOptions="opaque"
        )
        self.view.addItem(self.surface_item)
        floor = gl.GLGridItem()
        floor.setSize(2, 2)
        floor.setSpacing(0.25, 0.25)
        floor.setColor((255, 255, 255, 40))
        self.view.addItem(floor)
        self.heads = gl.GLScatterPlotItem(size=HEAD_SIZE, pxMode=True)
        self.minima = gl.GLScatterPlotItem(size=HEAD_SIZE, pxMode=True, color=(1,) * 4)
        for item in (self.heads, self.minima):
            item.setGLOptions("translucent")
            self.view.addItem(item)

    # --- model → view ----------------------------------------------------------------
    def update_surface(self) -> None:
        """Compute the relief of a new surface in the background."""
        surface = self._model.surface
        if self.view is None or surface is self._relief_of:
            return
        self._relief_of = surface
        self.relief = None
        self.caption.setText(f"{surface.title}: computing the relief…")
        self.jobs.submit(
            lambda job: (
                surface,
                compute_relief(surface, progress=job.progress, cancelled=job.cancelled),
            ),
            self._show_relief,
            lambda error: self.caption.setText(f"No relief: {error}"),
        )
        self.update_paths()

    def _show_relief(self, result: tuple) -> None:
        surface, relief = result
        if surface is not self._model.surface:
            return
        self.relief = relief
        colours = colour_map().map(relief.heights.ravel(), mode="float")
        self.surface_item.setData(
            x=relief.xs,
            y=relief.ys,
            z=relief.heights * HEIGHT,
            colors=colours.reshape(-1, 4),  # per vertex, in the heights' order
        )
        scale = "log₁₀(f − min), six decades" if relief.log_scale else "f"
        self.caption.setText(
            f"<b>{html.escape(surface.title)}</b> in 3-D · height: {scale}, clipped at the top"
            " · white: the minima · drag to turn, wheel to zoom"
        )
        minima = np.array(surface.minima, dtype=float).reshape(-1, 2)
        values = np.array([surface.value(x, y) for x, y in minima], dtype=float)
        self.minima.setData(pos=relief.lift(minima, values))
        self.update_paths()

    def update_paths(self) -> None:
        """One line per configuration (hidden while it rests), a dot per head;
        nothing while the 3-D view is out of sight (it catches up when shown)."""
        if self.view is None or not self.isVisible():
            return
        import pyqtgraph.opengl as gl

        configs = self._model.configs
        while len(self.paths) > len(configs):
            self.view.removeItem(self.paths.pop())
        while len(self.paths) < len(configs):
            line = gl.GLLinePlotItem(width=3.0, antialias=True, mode="line_strip")
            line.setGLOptions("translucent")
            self.view.addItem(line)
            self.paths.append(line)
        heads, colours = [], []
        for i, (line, config) in enumerate(zip(self.paths, configs)):
            run = self._model.run(i)
            points = self._lifted(run)
            colour = QColor(config.colour).getRgbF()
            line.setData(pos=points, color=colour)
            line.setVisible(len(points) > 1)
            if len(points):
                heads.append(points[-1])
                colours.append(colour)
        self.heads.setData(
            pos=np.array(heads).reshape(-1, 3), color=np.array(colours).reshape(-1, 4)
        )

    def _lifted(self, run) -> np.ndarray:
        if run is None or self.relief is None:
            return np.empty((0, 3))
        positions, losses = run.positions, run.losses
        if run.diverged_at is not None:
            n = self.relief.until_outside(positions)
            positions, losses = positions[:n], losses[:n]
        return self.relief.lift(positions, losses)
