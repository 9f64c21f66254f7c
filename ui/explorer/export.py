"""File ▸ Export: the graph as DOT, PNG or SVG, never a half-written file.

Every export goes through :mod:`graphviz_dl.atomic`: written beside the
target and renamed only when complete, so a failure keeps the old file and
says why, and an export that wrote nothing is never called a success.

A picture of a big graph is capped (:data:`MAX_SIDE` pixels on the long
side, :data:`MAX_PIXELS` in all): the whole graph, scaled to fit, with its
size in the message. The scene is painted in the GUI thread (a
QGraphicsScene may only be drawn there; at the capped size that is quick),
and a big image is encoded and written as a background job with progress.
"""

from __future__ import annotations

import math
from pathlib import Path

from PySide6.QtCore import QObject, QRectF, QSize, Qt, Signal
from PySide6.QtGui import QImage, QPainter
from PySide6.QtWidgets import QGraphicsScene

from graphviz_dl.atomic import atomic_path, atomic_write_text
from graphviz_dl.dot import to_dot
from graphviz_dl.labs.explorer.program import Program
from ui.common.jobs import JobRunner

ZOOM = 2.0
"""A small graph's PNG is drawn at twice the scene's size (sharp on slides)."""
MAX_SIDE = 8192
MAX_PIXELS = 40_000_000
BACKGROUND_PIXELS = 4_000_000
"""Images larger than this are encoded and written in the background."""


def image_size(width: float, height: float) -> tuple[int, int, float]:
    """(pixel width, pixel height, zoom) for a scene of ``width × height``:
    :data:`ZOOM`, or less so the image stays within the caps."""
    width, height = max(width, 1.0), max(height, 1.0)
    zoom = min(
        ZOOM,
        MAX_SIDE / max(width, height),
        math.sqrt(MAX_PIXELS / (width * height)),
    )
    return max(1, int(width * zoom)), max(1, int(height * zoom)), zoom


def render_image(scene: QGraphicsScene) -> tuple[QImage, float]:
    """The whole scene as an image within the caps, and the zoom used."""
    rect = scene.sceneRect()
    width, height, zoom = image_size(rect.width(), rect.height())
    image = QImage(QSize(width, height), QImage.Format.Format_ARGB32)
    if image.isNull():
        raise OSError(f"no memory for a {width}×{height} image")
    image.fill(Qt.GlobalColor.white)
    painter = QPainter(image)
    painter.setRenderHints(
        QPainter.RenderHint.Antialiasing | QPainter.RenderHint.TextAntialiasing
    )
    scene.render(painter, QRectF(image.rect()), rect)
    painter.end()
    return image, zoom


def write_png(image: QImage, path: Path) -> None:
    """Encode and write ``image`` atomically (safe in a worker thread)."""
    with atomic_path(path) as temporary:
        if not image.save(str(temporary), "PNG"):
            raise OSError("the PNG encoder could not write the image")


def write_svg(scene: QGraphicsScene, path: Path) -> None:
    """The scene as an SVG drawing, written atomically."""
    from PySide6.QtSvg import QSvgGenerator

    rect = scene.sceneRect()
    with atomic_path(path) as temporary:
        generator = QSvgGenerator()
        generator.setFileName(str(temporary))
        generator.setSize(rect.size().toSize())
        generator.setViewBox(QRectF(0, 0, rect.width(), rect.height()))
        generator.setTitle("Computational graph")
        painter = QPainter()
        if not painter.begin(generator):
            raise OSError("the SVG writer could not start")
        scene.render(painter, QRectF(0, 0, rect.width(), rect.height()), rect)
        painter.end()


def write_dot(program: Program, path: Path) -> None:
    """DOT text with every node's value and its gradient after the backward
    pass (the walkthrough's: the nodes' own ``grad`` fields are never set)."""
    atomic_write_text(path, to_dot(program.index, program.final_grads()))


class GraphExporter(QObject):
    """Writes the explorer's graph to a file; big pictures as a job."""

    message = Signal(str, int)
    """(text, timeout ms) for the status bar."""
    busyChanged = Signal(bool)
    progressed = Signal(float)

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.runner = JobRunner(self)
        self.runner.busyChanged.connect(self.busyChanged)
        self.runner.progressed.connect(self.progressed)

    def export(self, program: Program | None, scene: QGraphicsScene, path) -> bool:
        """Write the graph as DOT, PNG or SVG, chosen by the file's suffix.

        True when written (or, for a big picture, when its writing started:
        the message says when it is done); False with a message saying why.
        """
        path = Path(path)
        if program is None:
            self.message.emit("Nothing to export: build a program first", 0)
            return False
        suffix = path.suffix.lower()
        try:
            if suffix in (".dot", ".gv"):
                write_dot(program, path)
            elif suffix == ".svg":
                write_svg(scene, path)
            else:
                return self._export_png(scene, path)
        except OSError as exc:
            self._failed(path, exc)
            return False
        self.message.emit(f"Exported {path.name}", 6000)
        return True

    def _export_png(self, scene: QGraphicsScene, path: Path) -> bool:
        image, zoom = render_image(scene)
        size = f"{image.width()}×{image.height()} px"
        note = "" if zoom >= ZOOM else ", the whole graph scaled to fit"
        done = f"Exported {path.name} ({size}{note})"
        if image.width() * image.height() <= BACKGROUND_PIXELS:
            write_png(image, path)
            self.message.emit(done, 6000)
            return True

        def work(job) -> None:
            job.progress(0.1)
            write_png(image, path)
            job.progress(1.0)

        self.message.emit(f"Writing {path.name} ({size})…", 0)
        self.runner.submit(
            work,
            lambda _result: self.message.emit(done, 6000),
            lambda exc: self._failed(path, exc),
        )
        return True

    def _failed(self, path: Path, exc: BaseException) -> None:
        reason = getattr(exc, "strerror", None) or str(exc)
        self.message.emit(f"Could not export {path.name}: {reason}", 0)

    def cancel(self) -> bool:
        return self.runner.cancel()

    def shutdown(self) -> None:
        self.runner.shutdown()
