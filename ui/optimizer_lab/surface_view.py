"""The loss surface as a colour map with contour lines, and the racing paths on it.

The grid and its contours are computed for the visible region in the background
(:mod:`ui.optimizer_lab.grid_layer`) whenever the surface changes or the view is
zoomed or panned. Paths, heads and arrows are a fixed set of items per
configuration, updated with ``setData`` on every frame. A surface sent with a
training run's path (a network's loss plane) shows that path too, in grey and
black, apart from the race.
"""

from __future__ import annotations

import html
import math

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import QTimer, Signal
from PySide6.QtGui import QUndoStack
from PySide6.QtWidgets import QWidget

from graphviz_dl.labs.optimizer import LabModel
from graphviz_dl.labs.optimizer.describe import stop_note, surface_title
from graphviz_dl.labs.optimizer.geometry import (
    Pixel,
    arrow,
    clip_to_box,
    downhill_pixels,
    last_finite,
    last_step_pixels,
)
from graphviz_dl.race import Run
from graphviz_dl.surfaces import Surface
from ui.common.plotting import cache_static_parts
from ui.optimizer_lab.grid_layer import GridLayer, colour_map
from ui.optimizer_lab.internals_layer import InternalsLayer, key_html
from ui.optimizer_lab.path_items import RunItems, TrainingPathItems
from ui.optimizer_lab.surface_input import SurfaceInput
from ui.optimizer_lab.surface_title import set_title, widen_colour_bar

__all__ = ["SurfaceView"]

ARROW_PX = 55.0  # length of the longest arrow, in pixels
RANGE_SETTLE_MS = 30  # a zoom or pan asks for a new grid once it has settled


class SurfaceView(pg.GraphicsLayoutWidget):
    """Colour map + contours of the model's surface, with the race drawn on top."""

    gridShown = Signal(float)  # seconds from request to the new grid on screen
    gridFailed = Signal(str)  # a message about a grid that is not shown
    gridProgress = Signal(float)  # fraction of the grid under way that is done

    def __init__(
        self, model: LabModel, undo_stack: QUndoStack, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.setObjectName("surfaceView")
        self._model = model
        self._undo = undo_stack
        self._arrows = False
        self._internals = False
        self._syncing = False
        self._items: list[RunItems] = []
        self._brushes: dict[str, object] = {}
        self._make_plot()
        self._make_markers()
        self._make_overlays()
        self.internals = InternalsLayer(self.plot)
        self.training = TrainingPathItems(self.plot)
        self.training_line = self.training.line
        self.training_now = self.training.now
        self.training_label = self.training.label
        self._make_grid()
        self.input = SurfaceInput(self, model, undo_stack)

        model.surfaceChanged.connect(self._update_surface)
        model.startChanged.connect(self._update_start)
        model.configsChanged.connect(self._update_items)
        model.raceReset.connect(self._update_paths)
        model.raceAdvanced.connect(self._update_paths)
        for signal in (model.surfaceChanged, model.configsChanged, model.raceReset):
            signal.connect(self.clear_hover)  # what it described is gone
        self._update_surface()
        self._update_items()

    # --- building ------------------------------------------------------------------
    def _make_plot(self) -> None:
        self.plot = self.addPlot(row=0, col=0)
        self.plot.setLabel("bottom", "x")
        self.plot.setLabel("left", "y")
        self.plot.showGrid(x=False, y=False)
        self.plot.setMenuEnabled(False)
        self.plot.hideButtons()
        self.plot.getViewBox().setDefaultPadding(0.0)
        self.colour_bar = pg.ColorBarItem(
            colorMap=colour_map(), interactive=False, width=14, colorMapMenu=False
        )
        self.addItem(self.colour_bar, row=0, col=1)
        cache_static_parts(self.plot, self.colour_bar)
        self.colour_bar.axis.enableAutoSIPrefix(False)

    def _make_markers(self) -> None:
        """Known minima, the start ring, the runs' heads and where runs stopped."""
        self.minima = pg.ScatterPlotItem(
            symbol="star", size=17, pen=pg.mkPen("k", width=1), brush=pg.mkBrush("w")
        )
        self.start_marker = pg.TargetItem(
            pos=self._model.start,
            size=16,
            symbol="o",
            pen=pg.mkPen("w", width=2),
            brush=pg.mkBrush(255, 255, 255, 60),
            hoverPen=pg.mkPen("y", width=2),
        )
        self.heads = pg.ScatterPlotItem(size=11, pen=pg.mkPen("k", width=1.2))
        self.diverged = pg.ScatterPlotItem(
            symbol="x", size=18, pen=pg.mkPen("w", width=1), brush=pg.mkBrush("#ff3b3b")
        )
        for z, item in (
            (15, self.minima),
            (40, self.start_marker),
            (20, self.heads),
            (25, self.diverged),
        ):
            item.setZValue(z)
            self.plot.addItem(item)

    def _make_overlays(self) -> None:
        """Texts over the picture: hover box, arrow key, stop notes, export legend."""
        vb = self.plot.getViewBox()
        self.hover = pg.TextItem(anchor=(0, 0), fill=pg.mkBrush(20, 20, 30, 225))
        self.hover.setZValue(100)
        self.hover.setVisible(False)
        self.plot.addItem(self.hover, ignoreBounds=True)
        self.hover_text = ""
        self.arrow_key = pg.TextItem(
            anchor=(0, 0), color="w", fill=pg.mkBrush(0, 0, 0, 140)
        )
        self.notes = pg.TextItem(anchor=(0, 1), fill=pg.mkBrush(0, 0, 0, 170))
        self.notes_html = ""
        for item in (self.arrow_key, self.notes):
            item.setZValue(90)
            item.setParentItem(vb)
            item.setVisible(False)
        self.arrow_key.setPos(6, 4)
        vb.sigResized.connect(lambda *_: self._place_notes())
        # a legend for exported pictures; on screen the optimizer list names colours
        self.legend = pg.LegendItem(
            offset=(-8, 8), labelTextSize="9pt", labelTextColor="#f0f0f0"
        )
        self.legend.setParentItem(vb)
        self.legend.setBrush(pg.mkBrush(0, 0, 0, 160))
        self.legend.setVisible(False)

    def _make_grid(self) -> None:
        self.grid = GridLayer(self.plot, self.colour_bar, self)
        self.image, self.contours = self.grid.image, self.grid.contours
        self.jobs = self.grid.jobs
        self.progress_box = self.grid.box
        self.progress_bar = self.grid.box.bar
        self.cancel_button = self.grid.box.cancel
        self.grid.shown.connect(self.gridShown)
        self.grid.failed.connect(self.gridFailed)
        self.grid.progressed.connect(self.gridProgress)
        self._range_timer = QTimer(self)
        self._range_timer.setSingleShot(True)
        self._range_timer.setInterval(RANGE_SETTLE_MS)
        self._range_timer.timeout.connect(self.request_grid)
        self.plot.getViewBox().sigRangeChanged.connect(self._on_range_changed)

    # --- public ------------------------------------------------------------------
    @property
    def last_grid(self):
        """The grid on screen (a :class:`~graphviz_dl.surfaces.grid.GridResult`)."""
        return self.grid.last_grid

    def set_arrows_visible(self, visible: bool) -> None:
        self._arrows = bool(visible)
        self._update_key()
        self._update_paths()

    def set_internals_visible(self, visible: bool) -> None:
        """Draw each racer's step-size ellipse and velocity arrow at its head."""
        self.internals.visible = self._internals = bool(visible)
        self._update_key()
        self._update_paths()

    def internals_visible(self) -> bool:
        return self._internals

    def _update_key(self) -> None:
        """The key to the arrows and the internals, whichever are shown."""
        self.arrow_key.setHtml(key_html(self._arrows, self._internals))
        self.arrow_key.setVisible(self._arrows or self._internals)

    def arrows_visible(self) -> bool:
        return self._arrows

    def request_grid(self, domain=None) -> None:
        """Recompute the grid for ``domain`` (default: the visible region)."""
        if domain is None:
            (x0, x1), (y0, y1) = self.plot.getViewBox().viewRange()
            domain = ((x0, x1), (y0, y1))
        self.grid.request(self._model.surface, domain)

    def ensure_grid(self) -> None:
        """Make sure the latest requested grid is on screen, computing it here if
        the worker has not delivered it yet (screenshots and exports need it now)."""
        if self._range_timer.isActive():
            self._range_timer.stop()
            self.request_grid()
        self.grid.ensure(self._model.surface)

    def cancel_grid(self) -> bool:
        """Stop the grid under way; returns whether there was one."""
        return self.grid.cancel()

    def grid_busy(self) -> bool:
        """Whether a grid is being computed for the latest request."""
        return self.grid.busy()

    def shutdown(self) -> None:
        """Stop the zoom timer, cancel the grid under way and join its thread."""
        self._range_timer.stop()
        self.grid.shutdown()

    stop_grid_work = shutdown  # the main window's name for it

    def set_view_range(self, domain) -> None:
        """Zoom/pan to ``domain`` (the grid follows in the worker)."""
        (x0, x1), (y0, y1) = domain
        self.plot.getViewBox().setRange(xRange=(x0, x1), yRange=(y0, y1), padding=0)

    def hover_at(self, x: float, y: float) -> str:
        """Show (and return) what is under the point ``(x, y)`` in data coordinates."""
        return self.input.hover_at(x, y)

    def clear_hover(self) -> None:
        """Hide the hover box (the pointer left, or the race it described changed)."""
        self.hover.setVisible(False)
        self.hover_text = ""

    def leaveEvent(self, event) -> None:
        self.clear_hover()
        super().leaveEvent(event)

    def resizeEvent(self, event) -> None:
        super().resizeEvent(event)
        if hasattr(self, "minima"):  # built: the model's surface is shown
            self.update_title()

    def set_presenting(self, on: bool) -> None:
        """After presenter mode changed the fonts: a wider colour bar axis,
        and the title elided anew."""
        if on:
            widen_colour_bar(self.colour_bar, self.font())
        self.update_title()

    def update_title(self) -> None:
        """The surface's name and formula, elided to the room left."""
        full = html.unescape(surface_title(self._model.surface))
        self.title_text = set_title(
            self.plot, self.colour_bar, full, self.width(), self.font()
        )

    def drawn_path(self, index: int) -> tuple[np.ndarray, np.ndarray]:
        """The x and y data currently drawn for configuration ``index``."""
        return self._items[index].path.data()

    def set_training_path(self, surface: Surface, path: np.ndarray | None) -> None:
        """Draw ``path`` ([T, 2]: snapshots, then the current weights) whenever
        ``surface`` is shown."""
        self.training.set_path(surface, path)
        if surface is self._model.surface:
            self._update_training_path()

    def training_path(self) -> np.ndarray:
        """The training path drawn now ([T, 2]; empty when none is shown)."""
        return self.training.drawn()

    # --- model → view ------------------------------------------------------------
    def _update_surface(self) -> None:
        surface = self._model.surface
        x_name, y_name = surface.axes
        self.update_title()
        self.plot.setLabel("bottom", x_name)
        self.plot.setLabel("left", y_name)
        self.colour_bar.axis.setLabel(
            "f (log colour scale)" if surface.log_scale else "f"
        )
        self.minima.setData(pos=np.array(surface.minima, dtype=float).reshape(-1, 2))
        self.grid.forget()
        self._range_timer.stop()
        self.request_grid(surface.domain)  # first, so the worker starts at once
        self._syncing = True
        try:
            self.set_view_range(surface.domain)
        finally:
            self._syncing = False
        self._update_start()
        self._update_training_path()

    def _update_start(self) -> None:
        self._syncing = True
        try:
            self.start_marker.setPos(pg.Point(*self._model.start))
        finally:
            self._syncing = False

    def _update_items(self) -> None:
        configs = self._model.configs
        while len(self._items) > len(configs):
            self._items.pop().remove(self.plot)
        while len(self._items) < len(configs):
            self._items.append(RunItems(self.plot, len(self._items)))
        self.legend.clear()
        for items, config in zip(self._items, configs):
            items.set_colour(config.colour)
            if config.enabled:
                self.legend.addItem(items.path.tail, config.label)
        if self.training_line.isVisible():
            self.legend.addItem(self.training_line, "training path")
        self._update_paths()

    def _update_training_path(self) -> None:
        self.training.show_for(self._model.surface)
        self._update_items()  # the exported legend names the path

    def _brush(self, colour: str):
        brush = self._brushes.get(colour)
        if brush is None:
            brush = self._brushes[colour] = pg.mkBrush(colour)
        return brush

    def _update_paths(self) -> None:
        heads, brushes, blown, notes = [], [], [], []
        pixel = tuple(self.plot.getViewBox().viewPixelSize())
        longest = self._longest_step(pixel) if self._arrows else None
        for i, (items, config) in enumerate(zip(self._items, self._model.configs)):
            run = self._model.run(i)
            if run is None:
                items.clear()
                continue
            pos = run.positions
            if run.diverged_at is not None:  # the step that left stretches nothing
                pos = clip_to_box(pos, self._model.surface.domain)
            items.path.show(pos[:, 0], pos[:, 1], pixel)
            head = pos[last_finite(pos)]
            if np.all(np.isfinite(head)):
                heads.append(head)
                brushes.append(self._brush(config.colour))
            if run.diverged_at is not None:
                if np.all(np.isfinite(head)):
                    blown.append(head)
                notes.append(stop_note(config, run))
            if longest is not None and run.diverged_at is None:
                self._draw_arrows(items, run, pixel, longest)
            else:
                items.set_arrows()
        if heads:
            self.heads.setData(pos=np.array(heads), brush=brushes)
        else:
            self.heads.setData([], [])
        self.diverged.setData(pos=np.array(blown).reshape(-1, 2))
        self.internals.draw(self._model, pixel)
        self._show_notes(notes)

    def _show_notes(self, notes: list[str]) -> None:
        """The reasons runs stopped, listed along the bottom of the view."""
        text = "<br>".join(notes)
        if text == self.notes_html:
            return
        self.notes_html = text
        self.notes.setVisible(bool(notes))
        if notes:
            self.notes.setHtml(f"<div style='font-size:9pt;color:#f0f0f0'>{text}</div>")
            self._place_notes()

    def _place_notes(self) -> None:
        vb = self.plot.getViewBox()
        self.notes.setTextWidth(max(200.0, vb.width() - 12))
        self.notes.setPos(6, vb.height() - 4)

    # --- arrows --------------------------------------------------------------------
    def _longest_step(self, pixel: Pixel) -> float | None:
        """The longest last step of any run, in pixels (None: no scale yet)."""
        if not (pixel[0] > 0 and pixel[1] > 0):
            return None
        steps = (
            last_step_pixels(r.positions, pixel) for _, _, r in self._model.active()
        )
        return max((math.hypot(*s) for s in steps if s is not None), default=0.0)

    def _draw_arrows(
        self, items: RunItems, run: Run, pixel: Pixel, longest: float
    ) -> None:
        """The last step scaled against the longest (velocity), and −∇f."""
        pos = run.positions
        head = last_finite(pos)
        p = pos[head]
        step, px = None, last_step_pixels(pos, pixel)
        if px is not None and longest > 0:
            step = arrow(p, px, ARROW_PX * math.hypot(*px) / longest, pixel)
        downhill = downhill_pixels(run.grads[head], pixel)
        items.set_arrows(step, arrow(p, downhill, ARROW_PX * 0.8, pixel))

    # --- zoom and pan --------------------------------------------------------------
    def _on_range_changed(self, *_args) -> None:
        if not self._syncing:
            self._range_timer.start()
        self._update_paths()  # new pixel size: re-thin paths, re-scale arrows
