"""The surface's colour map and contour lines, computed in the background.

A grid is asked for whenever the surface changes or the view is zoomed or
panned; it is computed by :func:`graphviz_dl.surfaces.grid.compute_grid` on the
lab's :class:`~ui.common.jobs.JobRunner`, so a newer request supersedes an older
one and a late result for a region the person has left is dropped. A grid that
takes a while shows a small progress box with a Cancel button.
"""

from __future__ import annotations

import time

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import QObject, QRectF, QTimer, Signal
from PySide6.QtWidgets import (
    QFrame,
    QGraphicsItem,
    QHBoxLayout,
    QLabel,
    QProgressBar,
    QToolButton,
    QWidget,
)

from graphviz_dl.surfaces import Surface
from graphviz_dl.surfaces.grid import GRID_BUDGET, Domain, GridResult, compute_grid
from ui.common.jobs import JobRunner

PROGRESS_DELAY_MS = 300  # a grid faster than this never shows its progress box


def colour_map() -> pg.ColorMap:
    """Viridis without its brightest yellows, so bright paths stand out everywhere."""
    lut = pg.colormap.get("viridis").getLookupTable(0.0, 0.8, nPts=64, alpha=False)
    return pg.ColorMap(np.linspace(0.0, 1.0, len(lut)), lut)


class GridProgress(QFrame):
    """A small box over the picture's corner: progress and a Cancel button."""

    def __init__(self, parent: QWidget) -> None:
        super().__init__(parent)
        self.setObjectName("gridProgressBox")
        self.setStyleSheet(
            "#gridProgressBox { background: rgba(20, 20, 30, 210); border-radius: 4px; }"
            " QLabel { color: #f0f0f0; }"
        )
        row = QHBoxLayout(self)
        row.setContentsMargins(8, 4, 4, 4)
        label = QLabel("Drawing the surface…", self)
        self.bar = QProgressBar(self)
        self.bar.setObjectName("gridProgress")
        self.bar.setRange(0, 100)
        self.bar.setFixedWidth(120)
        self.bar.setAccessibleName("Progress of the surface drawing")
        self.cancel = QToolButton(self)
        self.cancel.setObjectName("gridCancel")
        self.cancel.setText("Cancel")
        self.cancel.setToolTip("Stop drawing; zoom or pan to draw again")
        for widget in (label, self.bar, self.cancel):
            row.addWidget(widget)
        self.adjustSize()
        self.hide()

    def appear(self) -> None:
        self.move(8, 8)
        self.raise_()
        self.show()

    def vanish(self) -> None:
        self.hide()
        self.bar.setValue(0)


class GridLayer(QObject):
    """Image, contour lines and colour bar of a plot, kept up to date off the GUI
    thread; one grid job at a time."""

    shown = Signal(float)  # seconds from request to the new grid on screen
    failed = Signal(str)  # a message about a grid that is not shown
    progressed = Signal(float)  # fraction of the grid under way that is done

    def __init__(self, plot: pg.PlotItem, colour_bar: pg.ColorBarItem, host: QWidget):
        super().__init__(host)
        self.colour_bar = colour_bar
        # image and contours change only with the grid: keep them as cached pictures
        self.image = pg.ImageItem()
        self.image.setCacheMode(QGraphicsItem.CacheMode.DeviceCoordinateCache)
        self.image.setZValue(-20)
        plot.addItem(self.image)
        self.contours = pg.PlotCurveItem(
            connect="finite",
            pen=pg.mkPen((255, 255, 255, 90), width=1),
            antialias=False,  # thin faint lines: no visible loss, much faster to draw
        )
        self.contours.setCacheMode(QGraphicsItem.CacheMode.DeviceCoordinateCache)
        self.contours.setZValue(-10)
        plot.addItem(self.contours)
        colour_bar.setImageItem(self.image)

        self.jobs = JobRunner(self)
        self.jobs.progressed.connect(self._on_progress)
        self.jobs.busyChanged.connect(self._on_busy)
        self.box = GridProgress(host)
        self.box.cancel.clicked.connect(self.cancel)
        self._box_timer = QTimer(self)
        self._box_timer.setSingleShot(True)
        self._box_timer.setInterval(PROGRESS_DELAY_MS)
        self._box_timer.timeout.connect(self._show_box)

        self.requested: Domain | None = None
        self._requested_at = 0.0
        self._generation = 0  # one per request: the latest is the one to show
        self.last_grid: GridResult | None = None

    # --- asking --------------------------------------------------------------------
    def request(self, surface: Surface, domain: Domain) -> None:
        """Compute the grid of ``surface`` over ``domain`` in the background."""
        domain = tuple((float(a), float(b)) for a, b in domain)
        if domain == self.requested:
            return
        self.requested = domain
        self._requested_at = time.perf_counter()
        self._generation += 1
        generation = self._generation

        def work(job):
            return compute_grid(
                surface,
                domain,
                generation=generation,
                budget=GRID_BUDGET,
                progress=job.progress,
                cancelled=job.cancelled,
            )

        self.jobs.submit(work, self._show, self._fail)
        self._box_timer.start()

    def forget(self) -> None:
        """The next request is computed even for the same region (new surface)."""
        self.requested = None

    def ensure(self, surface: Surface) -> None:
        """Have the latest requested grid on screen now, computing it here if the
        worker has not delivered it (screenshots and exports need it at once)."""
        if self.last_grid is not None and self.last_grid.generation == self._generation:
            return
        self._generation += 1  # whatever the worker returns now is stale
        self.jobs.cancel()
        result = compute_grid(
            surface, self.requested, generation=self._generation, budget=GRID_BUDGET
        )
        self._show(result)

    def busy(self) -> bool:
        """Whether a grid is being computed for the latest request."""
        return self.jobs.busy

    def cancel(self) -> bool:
        """Stop the grid under way (the picture keeps the last grid drawn);
        returns whether there was one. Zooming or panning asks for a new one."""
        if not self.jobs.busy:
            return False
        self._generation += 1
        self.jobs.cancel()
        self.failed.emit(
            "Drawing the surface was cancelled: zoom or pan to draw it again"
        )
        return True

    def shutdown(self) -> None:
        """Cancel the grid under way and join its thread; take no more jobs."""
        self._box_timer.stop()
        self.box.vanish()
        self.jobs.shutdown()

    # --- results (GUI thread) ------------------------------------------------------
    def _show(self, result: GridResult) -> None:
        if result.generation != self._generation:
            return
        self.image.setImage(result.display, autoLevels=False, levels=result.levels)
        self.image.setRect(QRectF(*result.pixel_rect()))
        self.colour_bar.setLevels(result.levels)
        self.colour_bar.axis.setTicks([result.ticks, []] if result.ticks else None)
        xy = result.contour_xy
        if len(xy):
            self.contours.setData(xy[:, 0], xy[:, 1])
        else:
            self.contours.setData([], [])
        self.last_grid = result
        self.shown.emit(time.perf_counter() - self._requested_at)

    def _fail(self, error: BaseException) -> None:
        self.failed.emit(f"could not evaluate the surface: {error}")

    def _on_busy(self, busy: bool) -> None:
        if not busy:
            self._box_timer.stop()
            self.box.vanish()

    def _show_box(self) -> None:
        if self.jobs.busy:
            self.box.appear()

    def _on_progress(self, fraction: float) -> None:
        self.box.bar.setValue(round(100 * fraction))
        self.progressed.emit(fraction)
