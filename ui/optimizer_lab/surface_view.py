"""The loss surface as a colour map with contour lines, and the racing paths on it.

The grid and its contours are computed for the visible region in a worker thread
whenever the surface changes or the view is zoomed or panned; a late result for a
region the user has already left is dropped. Paths, heads and arrows are a fixed
set of items per configuration, updated with ``setData`` on every frame. A
surface sent with a training run's path (a network's loss plane) shows that
path too, in grey and black, apart from the race.
"""

from __future__ import annotations

import atexit
import html
import math
import threading
import time
import weakref
from collections.abc import Callable
from dataclasses import dataclass
from itertools import count

import contourpy
import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import (
    QObject,
    QPointF,
    QRectF,
    QRunnable,
    Qt,
    QThreadPool,
    QTimer,
    Signal,
)
from PySide6.QtGui import QUndoStack
from PySide6.QtWidgets import (
    QFrame,
    QGraphicsItem,
    QHBoxLayout,
    QLabel,
    QProgressBar,
    QToolButton,
    QWidget,
)

from graphviz_dl.numfmt import format_number
from graphviz_dl.race import Run
from graphviz_dl.surfaces import Surface

from ui.optimizer_lab.commands import SetStart
from ui.optimizer_lab.lab_model import LabConfig, LabModel

GRID_SIZE = 300  # samples per axis for the visible region
GRID_BUDGET = 1.5
"""Seconds of evaluation a grid may take: an expensive surface (a network's loss
over every sample at each point) is drawn on a coarser grid instead."""
MIN_GRID = 41  # samples per axis, however expensive the surface
CHUNK_SECONDS = 0.1  # evaluation between two progress reports (and cancel checks)
PROGRESS_DELAY_MS = 300  # a grid faster than this never shows its progress bar
CONTOUR_LEVELS = 18
HOVER_RADIUS = 12.0  # pixels
ARROW_PX = 55.0  # length of the longest arrow, in pixels


def colour_map() -> pg.ColorMap:
    """Viridis without its brightest yellows, so bright paths stand out everywhere."""
    lut = pg.colormap.get("viridis").getLookupTable(0.0, 0.8, nPts=64, alpha=False)
    return pg.ColorMap(np.linspace(0.0, 1.0, len(lut)), lut)


# --- the grid: pure numpy + contourpy, safe to run in a worker -----------------
@dataclass(frozen=True)
class GridResult:
    """A computed grid, ready to draw: colours, contour lines and colour-bar ticks."""

    generation: int
    domain: tuple[tuple[float, float], tuple[float, float]]
    shape: tuple[int, int]
    display: np.ndarray  # (ny, nx) values the colours stand for; nan where undefined
    levels: tuple[float, float]
    contour_xy: np.ndarray  # (n, 2), lines separated by rows of nan
    ticks: list[tuple[float, str]]  # colour-bar ticks: (display value, f as text)
    log_scale: bool
    seconds: float  # time spent computing


def _sample_step(domain: tuple, nx: int, ny: int) -> tuple[float, float]:
    (x0, x1), (y0, y1) = domain
    return (x1 - x0) / max(nx - 1, 1), (y1 - y0) / max(ny - 1, 1)


def compute_grid(
    surface: Surface,
    domain: tuple[tuple[float, float], tuple[float, float]],
    nx: int = GRID_SIZE,
    ny: int = GRID_SIZE,
    levels: int = CONTOUR_LEVELS,
    generation: int = 0,
    *,
    budget: float | None = None,
    progress: Callable[[float], None] | None = None,
    cancelled: Callable[[], bool] | None = None,
) -> GridResult:
    """Sample ``surface`` over ``domain`` and derive what the view draws.

    Where the values span many decades (``surface.log_scale``) colours and
    contours follow log₁₀(f − min + ε), so the valley floor is not one flat
    colour; the colour bar's ticks still name values of f. ``budget``,
    ``progress`` and ``cancelled`` are as in :func:`sample_grid`.
    """
    t0 = time.perf_counter()
    xs, ys, z = sample_grid(
        surface, domain, nx, ny, budget=budget, progress=progress, cancelled=cancelled
    )
    z = np.asarray(z, dtype=np.float64)
    finite = np.isfinite(z)
    if not finite.any():
        empty = np.full(z.shape, np.nan)
        return GridResult(
            generation,
            domain,
            z.shape,
            empty,
            (0.0, 1.0),
            np.empty((0, 2)),
            [],
            surface.log_scale,
            time.perf_counter() - t0,
        )
    zmin = float(z[finite].min())
    zmax = float(z[finite].max())
    span = zmax - zmin
    if surface.log_scale and span > 0:
        eps = max(span * 1e-6, 1e-300)
        with np.errstate(all="ignore"):
            display = np.log10(np.where(finite, z - zmin, np.nan) + eps)
        lo, hi = math.log10(eps), math.log10(span + eps)
        # show at most ~6 decades below the top: finer detail is noise on screen
        lo = max(lo, hi - 6.0)
        ticks = _decade_ticks(zmin, eps, lo, hi)
    else:
        display = np.where(finite, z, np.nan)
        lo, hi = zmin, zmax if span > 0 else zmin + 1.0
        ticks = []  # a linear colour bar: the axis picks round numbers itself
    contour_xy = _contour_lines(xs, ys, display, lo, hi, levels)
    return GridResult(
        generation,
        domain,
        z.shape,
        display,
        (float(lo), float(hi)),
        contour_xy,
        ticks,
        bool(surface.log_scale and span > 0),
        time.perf_counter() - t0,
    )


class GridCancelled(Exception):
    """The person (or a newer request) cancelled a grid before it was done."""


def sample_grid(
    surface: Surface,
    domain: tuple[tuple[float, float], tuple[float, float]],
    nx: int = GRID_SIZE,
    ny: int = GRID_SIZE,
    *,
    budget: float | None = None,
    progress: Callable[[float], None] | None = None,
    cancelled: Callable[[], bool] | None = None,
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """``xs``, ``ys`` and ``Z[i, j] = f(xs[j], ys[i])``, a block of rows at a time.

    With a ``budget`` (seconds) the first rows are timed, and a surface too
    expensive for ``nx × ny`` points in that time is sampled on a coarser grid
    (never below :data:`MIN_GRID` a side). Between blocks of about
    :data:`CHUNK_SECONDS` it reports the fraction done to ``progress`` and
    raises :class:`GridCancelled` once ``cancelled()`` is true. A cheap
    surface is still evaluated in one call (its compiled program is fastest
    on the whole grid).
    """
    (x0, x1), (y0, y1) = domain

    def axes(nx: int, ny: int) -> tuple[np.ndarray, np.ndarray]:
        return np.linspace(float(x0), float(x1), nx), np.linspace(
            float(y0), float(y1), ny
        )

    def rows(xs, ys, start: int, stop: int) -> np.ndarray:
        if cancelled is not None and cancelled():
            raise GridCancelled
        return surface.evaluate(xs[np.newaxis, :], ys[start:stop, np.newaxis])

    nx, ny = int(nx), int(ny)
    xs, ys = axes(nx, ny)
    if budget is None and progress is None and cancelled is None:
        return xs, ys, rows(xs, ys, 0, ny)
    z = np.empty((ny, nx))
    done = 0
    per_row = 0.0
    for probe in (1, 8):  # a second, longer probe: past warm-ups and per-call costs
        stop = min(ny, done + probe)
        t0 = time.perf_counter()
        z[done:stop] = rows(xs, ys, done, stop)
        per_row = (time.perf_counter() - t0) / (stop - done)
        done = stop
        if done == ny or budget is None or per_row * ny <= budget:
            break
    if budget is not None and per_row * ny > budget and done < ny:
        per_point = per_row / nx
        scale = math.sqrt(budget / (per_point * nx * ny))
        nx = max(MIN_GRID, min(nx, int(nx * scale)))
        ny = max(MIN_GRID, min(ny, int(ny * scale)))
        xs, ys = axes(nx, ny)
        z = np.empty((ny, nx))
        per_row = per_point * nx
        done = 0
    if progress is not None:
        progress(done / ny)
    while done < ny:
        left = ny - done
        if per_row * left <= 2.5 * CHUNK_SECONDS:
            block = left
        else:
            block = max(1, min(left, int(CHUNK_SECONDS / max(per_row, 1e-9))))
        t0 = time.perf_counter()
        z[done : done + block] = rows(xs, ys, done, done + block)
        per_row = (time.perf_counter() - t0) / block
        done += block
        if progress is not None:
            progress(done / ny)
    return xs, ys, z


_SUPERSCRIPT = str.maketrans("-0123456789", "⁻⁰¹²³⁴⁵⁶⁷⁸⁹")


def _decade_ticks(zmin: float, eps: float, lo: float, hi: float) -> list:
    """Colour-bar ticks at f = 10ᵏ, placed where log₁₀(f − zmin + ε) puts them."""
    ticks: list[tuple[float, str]] = []
    gap = (hi - lo) / 14  # keep labels apart where ε squeezes the low decades
    top = math.log10(max(zmin + 10.0**hi, 1e-300))
    for k in range(math.ceil(top), math.floor(top) - 14, -1):
        f = 10.0**k
        if f <= zmin:
            break
        d = math.log10(f - zmin + eps)
        if not lo <= d <= hi or (ticks and ticks[-1][0] - d < gap):
            continue
        if -2 <= k <= 3:
            text = f"{f:.{max(0, -k)}f}"
        else:
            text = "10" + str(k).translate(_SUPERSCRIPT)
        ticks.append((d, text))
    if not ticks or ticks[-1][0] - lo >= gap:  # name the bottom of the scale too
        ticks.append((lo, format_number(zmin + 10.0**lo - eps, 3)))
    return ticks


def _contour_lines(
    xs: np.ndarray, ys: np.ndarray, z: np.ndarray, lo: float, hi: float, n: int
) -> np.ndarray:
    """All contour lines of ``z`` as one (n, 2) array, lines separated by nan rows."""
    if not hi > lo:
        return np.empty((0, 2))
    gen = contourpy.contour_generator(
        xs, ys, z, line_type=contourpy.LineType.ChunkCombinedNan
    )
    gap = np.full((1, 2), np.nan)
    pieces = []
    for level in np.linspace(lo, hi, n + 2)[1:-1]:
        (chunks,) = gen.lines(level)
        for points in chunks:
            if points is not None and len(points):
                pieces += [points, gap]
    return np.concatenate(pieces) if pieces else np.empty((0, 2))


class _GridSignals(QObject):
    done = Signal(object)
    progress = Signal(int, float)  # generation, fraction done


class _GridJob(QRunnable):
    def __init__(
        self,
        view: SurfaceView,
        surface: Surface,
        domain,
        generation: int,
        cancel: threading.Event,
    ):
        super().__init__()
        self._signals = view._grid_signals
        self._view_generation = view._current_generation
        self._surface = surface
        self._domain = domain
        self._generation = generation
        self.cancel = cancel

    def run(self) -> None:
        if self._view_generation() != self._generation or self.cancel.is_set():
            return  # the user has moved on before this job started
        try:
            result = compute_grid(
                self._surface,
                self._domain,
                generation=self._generation,
                budget=GRID_BUDGET,
                progress=self._progress,
                cancelled=self.cancel.is_set,
            )
        except GridCancelled:
            return
        except Exception as exc:  # noqa: BLE001 - shown to the person, never fatal
            result = exc
        try:
            self._signals.done.emit((self._generation, result))
        except RuntimeError:
            pass  # the view is gone

    def _progress(self, fraction: float) -> None:
        try:
            self._signals.progress.emit(self._generation, fraction)
        except RuntimeError:
            self.cancel.set()  # the view is gone: nobody wants the rest


# --- what the hover shows -------------------------------------------------------
def _pair(v: tuple[float, float] | np.ndarray) -> str:
    return f"({format_number(v[0], 4)}, {format_number(v[1], 4)})"


def point_summary(config: LabConfig, run: Run, step: int) -> str:
    """HTML describing ``run`` at ``step``: position, loss, gradient, internals."""
    x_name, y_name = run.surface.axes
    name = html.escape(config.label)
    lines = [
        f"<b style='color:{config.colour}'>{name}</b> · step {step}",
        f"({x_name}, {y_name}) = {_pair(run.positions[step])}",
        f"f = {format_number(run.losses[step])}",
        f"∇f = {_pair(run.grads[step])}",
    ]
    lr = float(run.lrs[step])
    if not math.isnan(lr):
        lines.append(f"lr = {format_number(lr)}")
    evaluations = int(run.evaluations[step])
    if evaluations > 1:
        lines.append(f"{evaluations} function evaluations in this step")
    if step < len(run.states):
        for name, value in run.states[step].items():
            lines.append(f"{html.escape(name)} = {_pair(value)}")
    if run.diverged_at is not None and step >= run.diverged_at - 1:
        reason = html.escape(run.reason or "diverged")
        lines.append(f"<span style='color:#ff6b6b'>{reason}</span>")
    return "<br>".join(lines)


def pixel_thin(
    x: np.ndarray, y: np.ndarray, pixel: tuple[float, float]
) -> tuple[np.ndarray, np.ndarray]:
    """The points of a polyline that land on a new screen pixel (first and last kept).

    A converged run piles thousands of steps onto a few pixels; drawing them all
    costs time and shows nothing more. ``pixel`` is the data size of one pixel.
    """
    n = len(x)
    if n <= 2:
        return x, y
    with np.errstate(all="ignore"):
        qx = np.floor(x / pixel[0])
        qy = np.floor(y / pixel[1])
    keep = np.empty(n, dtype=bool)
    keep[0] = keep[-1] = True
    # a nan breaks the line: keep it and its neighbours so the gap stays a gap
    keep[1:-1] = (qx[1:-1] != qx[:-2]) | (qy[1:-1] != qy[:-2])
    return x[keep], y[keep]


def cache_static_parts(plot: pg.PlotItem, *others) -> None:
    """Keep axes (with their grid lines) and other rarely changing items as cached
    pictures: without this every animation frame re-renders all tick labels."""
    mode = QGraphicsItem.CacheMode.DeviceCoordinateCache
    for name in ("left", "bottom", "top", "right"):
        axis = plot.getAxis(name)
        axis.setCacheMode(mode)
        axis.enableAutoSIPrefix(
            False
        )  # "×1e+09" next to a label confuses more than it saves
    for item in others:
        item.setCacheMode(mode)


class Trail:
    """A growing polyline: a settled part kept as a cached picture, and a live tail.

    Redrawing thousands of antialiased segments every frame is what makes a
    race stutter; here each frame redraws only the last few dozen points, and
    the settled part is re-rendered once per ``chunk`` steps (thinned to one
    point per pixel) or when the view's scale changes.
    """

    def __init__(self, plot: pg.PlotItem, z: float, chunk: int = 64) -> None:
        self.settled = pg.PlotCurveItem(connect="finite")
        self.settled.setCacheMode(QGraphicsItem.CacheMode.DeviceCoordinateCache)
        self.tail = pg.PlotCurveItem(connect="finite")
        for item in (self.settled, self.tail):
            item.setZValue(z)
            plot.addItem(item)
        self.chunk = chunk
        self._settled_n = 0  # index of the last settled point (0: nothing settled)
        self._pixel: tuple[float, float] | None = None

    def set_pen(self, pen) -> None:
        self.settled.setPen(pen)
        self.tail.setPen(pen)

    def show(self, x: np.ndarray, y: np.ndarray, pixel: tuple[float, float]) -> None:
        """Draw the polyline ``(x, y)``; ``pixel`` is the current data size of a pixel."""
        n = len(x)
        if n - 1 < self._settled_n or pixel != self._pixel:
            self._settled_n = 0
            self._pixel = pixel
        if n - 1 - self._settled_n > self.chunk:
            self._settled_n = n - 1
            sx, sy = pixel_thin(x, y, pixel) if pixel[0] > 0 < pixel[1] else (x, y)
            self.settled.setData(sx, sy)
        elif self._settled_n == 0:
            self.settled.setData([], [])
        start = self._settled_n
        self.tail.setData(x[start:], y[start:])

    def data(self) -> tuple[np.ndarray, np.ndarray]:
        """Everything drawn, settled points then the tail, as two arrays."""
        parts = [item.getData() for item in (self.settled, self.tail)]
        xs = [np.asarray(p[0]) for p in parts if p[0] is not None and len(p[0])]
        ys = [np.asarray(p[1]) for p in parts if p[1] is not None and len(p[1])]
        if len(xs) == 2:  # the tail starts at the last settled point
            xs[1], ys[1] = xs[1][1:], ys[1][1:]
        if not xs:
            return np.empty(0), np.empty(0)
        return np.concatenate(xs), np.concatenate(ys)

    def items(self) -> tuple[pg.PlotCurveItem, pg.PlotCurveItem]:
        return self.settled, self.tail

    def clear(self) -> None:
        self._settled_n = 0
        self.settled.setData([], [])
        self.tail.setData([], [])


def last_finite(pos: np.ndarray) -> int:
    """Index of the last row of ``pos`` that is finite (the head to draw)."""
    i = len(pos) - 1
    while i > 0 and not np.all(np.isfinite(pos[i])):
        i -= 1
    return i


# --- the view ------------------------------------------------------------------
class _RunItems:
    """The fixed items that draw one configuration."""

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

    def remove(self, plot: pg.PlotItem) -> None:
        for item in (*self.path.items(), self.step_arrow, self.grad_arrow):
            plot.removeItem(item)

    def clear(self) -> None:
        self.path.clear()
        for item in (self.step_arrow, self.grad_arrow):
            item.setData([], [])


_LIVE_VIEWS: weakref.WeakSet = weakref.WeakSet()


@atexit.register
def _stop_all_grid_work() -> None:
    """The last resort when no window was closed: stop every view's grid job."""
    for view in list(_LIVE_VIEWS):
        try:
            view.stop_grid_work()
        except RuntimeError:
            pass  # its Qt side is already gone, and its pool with it


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
        self._generation = 0
        self._requested: tuple | None = None
        self._requested_at = 0.0
        self._drag_ids = count(1)
        self._drag_key: object = None
        self._syncing = False
        self.last_grid: GridResult | None = None

        self.plot = self.addPlot(row=0, col=0)
        self.plot.setLabel("bottom", "x")
        self.plot.setLabel("left", "y")
        self.plot.showGrid(x=False, y=False)
        self.plot.setMenuEnabled(False)
        self.plot.hideButtons()
        vb = self.plot.getViewBox()
        vb.setDefaultPadding(0.0)

        # image and contours change only with the grid: keep them as cached pictures
        self.image = pg.ImageItem()
        self.image.setCacheMode(QGraphicsItem.CacheMode.DeviceCoordinateCache)
        self.image.setZValue(-20)
        self.plot.addItem(self.image)
        self.contours = pg.PlotCurveItem(
            connect="finite",
            pen=pg.mkPen((255, 255, 255, 90), width=1),
            antialias=False,  # thin faint lines: no visible loss, much faster to draw
        )
        self.contours.setCacheMode(QGraphicsItem.CacheMode.DeviceCoordinateCache)
        self.contours.setZValue(-10)
        self.plot.addItem(self.contours)
        self.colour_bar = pg.ColorBarItem(
            colorMap=colour_map(), interactive=False, width=14, colorMapMenu=False
        )
        self.colour_bar.setImageItem(self.image)
        self.addItem(self.colour_bar, row=0, col=1)
        cache_static_parts(self.plot, self.colour_bar)
        self.colour_bar.axis.enableAutoSIPrefix(False)

        self.minima = pg.ScatterPlotItem(
            symbol="star", size=17, pen=pg.mkPen("k", width=1), brush=pg.mkBrush("w")
        )
        self.minima.setZValue(15)
        self.plot.addItem(self.minima)

        self.start_marker = pg.TargetItem(
            pos=model.start,
            size=16,
            symbol="o",
            pen=pg.mkPen("w", width=2),
            brush=pg.mkBrush(255, 255, 255, 60),
            hoverPen=pg.mkPen("y", width=2),
        )
        self.start_marker.setZValue(40)
        self.plot.addItem(self.start_marker)

        self.heads = pg.ScatterPlotItem(size=11, pen=pg.mkPen("k", width=1.2))
        self.heads.setZValue(20)
        self.plot.addItem(self.heads)
        self.diverged = pg.ScatterPlotItem(
            symbol="x", size=18, pen=pg.mkPen("w", width=1), brush=pg.mkBrush("#ff3b3b")
        )
        self.diverged.setZValue(25)
        self.plot.addItem(self.diverged)

        self.hover = pg.TextItem(anchor=(0, 0), fill=pg.mkBrush(20, 20, 30, 225))
        self.hover.setZValue(100)
        self.hover.setVisible(False)
        self.plot.addItem(self.hover, ignoreBounds=True)
        self.hover_text = ""

        self.arrow_key = pg.TextItem(
            anchor=(0, 0), color="w", fill=pg.mkBrush(0, 0, 0, 140)
        )
        self.arrow_key.setHtml(
            "<span style='font-size:9pt'>━ last step (velocity) &nbsp; ╍ −∇f (downhill)"
            "</span>"
        )
        self.arrow_key.setZValue(90)
        self.arrow_key.setParentItem(vb)
        self.arrow_key.setPos(6, 4)
        self.arrow_key.setVisible(False)

        self.notes = pg.TextItem(anchor=(0, 1), fill=pg.mkBrush(0, 0, 0, 170))
        self.notes.setZValue(90)
        self.notes.setParentItem(vb)
        self.notes.setVisible(False)
        self.notes_html = ""
        vb.sigResized.connect(lambda *_: self._place_notes())

        # a legend for exported pictures; on screen the optimizer list names colours
        self.legend = pg.LegendItem(
            offset=(-8, 8), labelTextSize="9pt", labelTextColor="#f0f0f0"
        )
        self.legend.setParentItem(vb)
        self.legend.setBrush(pg.mkBrush(0, 0, 0, 160))
        self.legend.setVisible(False)

        self._make_training_items()

        self._items: list[_RunItems] = []
        self._brushes: dict[str, object] = {}

        self._pool = QThreadPool(self)
        self._pool.setMaxThreadCount(1)
        _LIVE_VIEWS.add(self)
        self._grid_signals = _GridSignals(self)
        self._grid_signals.done.connect(self._on_grid)
        self._grid_signals.progress.connect(self._on_grid_progress)
        # the running job's stop flag and generation (the job belongs to the pool)
        self._job: tuple[threading.Event, int] | None = None
        self._make_grid_progress()
        self._range_timer = QTimer(self)
        self._range_timer.setSingleShot(True)
        self._range_timer.setInterval(30)
        self._range_timer.timeout.connect(self._request_visible_grid)

        vb.sigRangeChanged.connect(self._on_range_changed)
        self.scene().sigMouseClicked.connect(self._on_click)
        self.scene().sigMouseMoved.connect(self._on_mouse_moved)
        self.start_marker.sigPositionChanged.connect(self._on_marker_moved)
        self.start_marker.sigPositionChangeFinished.connect(self._on_marker_released)

        model.surfaceChanged.connect(self._update_surface)
        model.startChanged.connect(self._update_start)
        model.configsChanged.connect(self._update_items)
        model.raceReset.connect(self._update_paths)
        model.raceAdvanced.connect(self._update_paths)

        self._update_surface()
        self._update_items()

    # --- public ------------------------------------------------------------------
    def set_arrows_visible(self, visible: bool) -> None:
        self._arrows = bool(visible)
        self.arrow_key.setVisible(self._arrows)
        self._update_paths()

    def arrows_visible(self) -> bool:
        return self._arrows

    def request_grid(self, domain=None) -> None:
        """Recompute the grid for ``domain`` (default: the visible region)."""
        if domain is None:
            (x0, x1), (y0, y1) = self.plot.getViewBox().viewRange()
            domain = ((x0, x1), (y0, y1))
        domain = tuple((float(a), float(b)) for a, b in domain)
        if domain == self._requested:
            return
        self._requested = domain
        self._requested_at = time.perf_counter()
        self._generation += 1
        self._stop_job()
        cancel = threading.Event()
        self._job = (cancel, self._generation)
        self._pool.start(
            _GridJob(self, self._model.surface, domain, self._generation, cancel)
        )
        self._progress_timer.start()

    def ensure_grid(self) -> None:
        """Make sure the latest requested grid is on screen, computing it here if
        the worker has not delivered it yet (screenshots and exports need it now)."""
        if self._range_timer.isActive():
            self._range_timer.stop()
            self.request_grid()
        if self.last_grid is not None and self.last_grid.generation == self._generation:
            return
        self._generation += 1  # whatever the worker returns now is stale
        self._stop_job()
        result = compute_grid(
            self._model.surface,
            self._requested,
            generation=self._generation,
            budget=GRID_BUDGET,
        )
        self._on_grid((self._generation, result))

    def cancel_grid(self) -> bool:
        """Stop the grid under way (the picture keeps the last grid drawn);
        returns whether there was one. Zooming or panning asks for a new one."""
        if not self.grid_busy():
            return False
        self._generation += 1  # a result that still arrives is stale
        self._stop_job()
        self.gridFailed.emit(
            "Drawing the surface was cancelled: zoom or pan to draw it again"
        )
        return True

    def grid_busy(self) -> bool:
        """Whether a grid is being computed for the latest request."""
        return self._job is not None and self._job[1] == self._generation

    def _stop_job(self) -> None:
        """Drop a queued job and tell a running one to stop at its next block."""
        self._pool.clear()
        if self._job is not None:
            self._job[0].set()
            self._job = None
        self._progress_timer.stop()
        self.progress_box.hide()

    def stop_grid_work(self) -> None:
        """Stop any grid job and wait for its thread: before the window goes away
        (a job still running as Python shuts down makes Qt report a crash)."""
        self._stop_job()
        self._pool.waitForDone(5000)

    def _make_grid_progress(self) -> None:
        """A small box over the picture's corner: progress and a Cancel button,
        shown only for a grid that takes a while."""
        box = QFrame(self)
        box.setObjectName("gridProgressBox")
        box.setStyleSheet(
            "#gridProgressBox { background: rgba(20, 20, 30, 210); border-radius: 4px; }"
            " QLabel { color: #f0f0f0; }"
        )
        row = QHBoxLayout(box)
        row.setContentsMargins(8, 4, 4, 4)
        label = QLabel("Drawing the surface…", box)
        self.progress_bar = QProgressBar(box)
        self.progress_bar.setObjectName("gridProgress")
        self.progress_bar.setRange(0, 100)
        self.progress_bar.setFixedWidth(120)
        self.progress_bar.setAccessibleName("Progress of the surface drawing")
        self.cancel_button = QToolButton(box)
        self.cancel_button.setObjectName("gridCancel")
        self.cancel_button.setText("Cancel")
        self.cancel_button.setToolTip("Stop drawing; zoom or pan to draw again")
        self.cancel_button.clicked.connect(self.cancel_grid)
        for widget in (label, self.progress_bar, self.cancel_button):
            row.addWidget(widget)
        box.adjustSize()
        box.hide()
        self.progress_box = box
        self._progress_timer = QTimer(self)
        self._progress_timer.setSingleShot(True)
        self._progress_timer.setInterval(PROGRESS_DELAY_MS)
        self._progress_timer.timeout.connect(self._show_grid_progress)

    def _show_grid_progress(self) -> None:
        if self.grid_busy():
            self.progress_box.move(8, 8)
            self.progress_box.raise_()
            self.progress_box.show()

    def _on_grid_progress(self, generation: int, fraction: float) -> None:
        if generation != self._generation:
            return
        self.progress_bar.setValue(round(100 * fraction))
        self.gridProgress.emit(fraction)

    def set_view_range(self, domain) -> None:
        """Zoom/pan to ``domain`` (the grid follows in the worker)."""
        (x0, x1), (y0, y1) = domain
        self.plot.getViewBox().setRange(xRange=(x0, x1), yRange=(y0, y1), padding=0)

    def hover_at(self, x: float, y: float) -> str:
        """Show (and return) what is under the point ``(x, y)`` in data coordinates."""
        text, anchor = self._describe(x, y)
        self.hover_text = text
        if text:
            self.hover.setHtml(f"<div style='color:#f0f0f0;font-size:9pt'>{text}</div>")
            self._place_hover(anchor)
            self.hover.setPos(*anchor)
            self.hover.setVisible(True)
        else:
            self.hover.setVisible(False)
        return text

    def drawn_path(self, index: int) -> tuple[np.ndarray, np.ndarray]:
        """The x and y data currently drawn for configuration ``index``."""
        return self._items[index].path.data()

    def set_training_path(self, surface: Surface, path: np.ndarray | None) -> None:
        """Draw ``path`` ([T, 2]: snapshots, then the current weights) whenever
        ``surface`` is shown. Kept by surface object, so undoing back to that
        surface brings its path back with it."""
        if path is None:
            self._training_paths.pop(surface, None)
        else:
            points = np.array(path, dtype=np.float64).reshape(-1, 2)
            self._training_paths[surface] = points
        if surface is self._model.surface:
            self._update_training_path()

    def training_path(self) -> np.ndarray:
        """The training path drawn now ([T, 2]; empty when none is shown)."""
        if not self.training_line.isVisible():
            return np.empty((0, 2))
        x, y = self.training_line.getData()
        return np.column_stack([x, y]) if x is not None else np.empty((0, 2))

    # --- model → view ------------------------------------------------------------
    def _update_surface(self) -> None:
        surface = self._model.surface
        x_name, y_name = surface.axes
        formula = surface.formula
        if "=" not in formula:
            formula = f"f({x_name}, {y_name}) = {formula}"
        self.plot.setTitle(
            f"<span style='font-size:10pt'>{html.escape(surface.title)}: "
            f"{html.escape(formula)}</span>"
        )
        self.plot.setLabel("bottom", x_name)
        self.plot.setLabel("left", y_name)
        self.colour_bar.axis.setLabel(
            "f (log colour scale)" if surface.log_scale else "f"
        )
        minima = np.array(surface.minima, dtype=float).reshape(-1, 2)
        self.minima.setData(pos=minima)
        self._requested = None
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
            self.start_marker.setPos(QPointF(*self._model.start))
        finally:
            self._syncing = False

    def _update_items(self) -> None:
        configs = self._model.configs
        plot = self.plot
        while len(self._items) > len(configs):
            self._items.pop().remove(plot)
        while len(self._items) < len(configs):
            self._items.append(_RunItems(plot, len(self._items)))
        self.legend.clear()
        for items, config in zip(self._items, configs):
            items.set_colour(config.colour)
            if config.enabled:
                self.legend.addItem(items.path.tail, config.label)
        if self.training_line.isVisible():
            self.legend.addItem(self.training_line, "training path")
        self._update_paths()

    # --- the training run's path -----------------------------------------------------
    def _make_training_items(self) -> None:
        """Light grey on a black outline with dots at the snapshots, and a grey
        diamond at the run's latest weights: legible on every colour of the map,
        and unlike the race's coloured paths."""
        self._training_paths: weakref.WeakKeyDictionary[Surface, np.ndarray] = (
            weakref.WeakKeyDictionary()
        )
        self.training_line = pg.PlotDataItem(
            connect="finite",
            pen=pg.mkPen("#d8d8d8", width=2),
            shadowPen=pg.mkPen("k", width=4.5),
            symbol="o",
            symbolSize=6,
            symbolPen=pg.mkPen("k", width=1),
            symbolBrush=pg.mkBrush("#d8d8d8"),
        )
        self.training_now = pg.ScatterPlotItem(
            symbol="d", size=24, pen=pg.mkPen("k", width=1.5), brush="#d8d8d8"
        )
        self.training_label = pg.TextItem(
            "training path", color="#f0f0f0", fill=pg.mkBrush(0, 0, 0, 170)
        )
        for z, item in enumerate(
            (self.training_label, self.training_line, self.training_now)
        ):
            item.setZValue(5 + z)  # under the race (10 and up), over its label
            item.setVisible(False)
            self.plot.addItem(item, ignoreBounds=item is self.training_label)

    def _update_training_path(self) -> None:
        surface = self._model.surface
        path = self._training_paths.get(surface)
        shown = path is not None and bool(np.isfinite(path).all(axis=1).any())
        for item in (self.training_line, self.training_now, self.training_label):
            item.setVisible(shown)
        if not shown:
            self.training_line.setData([], [])
            self.training_now.setData([], [])
        else:
            self.training_line.setData(path[:, 0], path[:, 1])
            self.training_now.setData(pos=path[-1:])
            # the label at the run's start: towards the middle of the view, and
            # above or below the start, away from the rest of the path
            finite = path[np.isfinite(path).all(axis=1)]
            first, away = finite[0], finite[0] - finite.mean(axis=0)
            (x0, x1), _ = surface.domain
            self.training_label.setAnchor(
                (1.0 if first[0] > (x0 + x1) / 2 else 0.0, 1.0 if away[1] >= 0 else 0.0)
            )
            self.training_label.setPos(float(first[0]), float(first[1]))
        self._update_items()  # the exported legend names the path

    def _describe_training(
        self, x: float, y: float, sx: float, sy: float
    ) -> tuple[str, tuple[float, float]] | None:
        """What a training-path point under (x, y) is, if there is one."""
        path = self._training_paths.get(self._model.surface)
        if path is None or not len(path) or not self.training_line.isVisible():
            return None
        with np.errstate(all="ignore"):
            d2 = ((path[:, 0] - x) / sx) ** 2 + ((path[:, 1] - y) / sy) ** 2
        if not np.isfinite(d2).any():
            return None
        k = int(np.nanargmin(d2))
        if not d2[k] < HOVER_RADIUS**2:
            return None
        point = path[k]
        x_name, y_name = self._model.surface.axes
        what = f"point {k + 1} of {len(path)}"
        if k == len(path) - 1:
            what += ": the run's latest weights"
        text = (
            f"<b>training path</b> · {what}<br>"
            f"({x_name}, {y_name}) = {_pair(point)}<br>"
            f"f = {format_number(self._model.surface.value(*point))} on this plane"
        )
        return text, (float(point[0]), float(point[1]))

    def _brush(self, colour: str):
        brush = self._brushes.get(colour)
        if brush is None:
            brush = self._brushes[colour] = pg.mkBrush(colour)
        return brush

    def _update_paths(self) -> None:
        heads, brushes, blown, notes = [], [], [], []
        arrows = self._arrows and self._arrow_scale()
        pixel = tuple(self.plot.getViewBox().viewPixelSize())
        for i, (items, config) in enumerate(zip(self._items, self._model.configs)):
            run = self._model.run(i)
            if run is None:
                items.clear()
                continue
            pos = run.positions
            items.path.show(pos[:, 0], pos[:, 1], pixel)
            head = last_finite(pos)
            if np.all(np.isfinite(pos[head])):
                heads.append(pos[head])
                brushes.append(self._brush(config.colour))
            if run.diverged_at is not None:
                if np.all(np.isfinite(pos[head])):
                    blown.append(pos[head])
                notes.append(
                    f"<span style='color:{config.colour}'>✕ "
                    f"{html.escape(config.label)}</span> — "
                    f"{html.escape(run.reason or 'diverged')}"
                )
            if arrows:
                self._draw_arrows(items, run, pos, head, *arrows)
            else:
                items.step_arrow.setData([], [])
                items.grad_arrow.setData([], [])
        if heads:
            self.heads.setData(pos=np.array(heads), brush=brushes)
        else:
            self.heads.setData([], [])
        self.diverged.setData(pos=np.array(blown).reshape(-1, 2))
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
    def _arrow_scale(self) -> tuple[float, float, float] | None:
        """(data units per pixel in x, in y, longest step in pixels) for arrows."""
        sx, sy = self.plot.getViewBox().viewPixelSize()
        if not (sx > 0 and sy > 0):
            return None
        longest = 0.0
        for _, _, run in self._model.active():
            pos = run.positions
            head = last_finite(pos)
            if head > 0:
                d = pos[head] - pos[head - 1]
                longest = max(longest, math.hypot(d[0] / sx, d[1] / sy))
        return sx, sy, longest

    def _draw_arrows(
        self,
        items: _RunItems,
        run: Run,
        pos: np.ndarray,
        head: int,
        sx: float,
        sy: float,
        longest: float,
    ) -> None:
        p = pos[head]
        if head > 0 and longest > 0:
            d = pos[head] - pos[head - 1]
            px = np.array([d[0] / sx, d[1] / sy])
            length = ARROW_PX * math.hypot(*px) / longest
            items.step_arrow.setData(*_arrow(p, px, length, sx, sy))
        else:
            items.step_arrow.setData([], [])
        g = -np.asarray(run.grads[head], dtype=float)
        gpx = np.array([g[0] / sx, g[1] / sy])  # direction on screen
        if np.all(np.isfinite(gpx)) and np.any(gpx):
            items.grad_arrow.setData(*_arrow(p, gpx, ARROW_PX * 0.8, sx, sy))
        else:
            items.grad_arrow.setData([], [])

    # --- grid ----------------------------------------------------------------------
    def _current_generation(self) -> int:
        return self._generation

    def _on_range_changed(self, *_args) -> None:
        if not self._syncing:
            self._range_timer.start()
        self._update_paths()  # new pixel size: re-thin paths, re-scale arrows

    def _request_visible_grid(self) -> None:
        self.request_grid()

    def _on_grid(self, payload) -> None:
        generation, result = payload
        if generation != self._generation:
            return  # stale: the view or the surface changed meanwhile
        self._job = None
        self._progress_timer.stop()
        self.progress_box.hide()
        self.progress_bar.setValue(0)
        if isinstance(result, Exception):
            self.gridFailed.emit(f"could not evaluate the surface: {result}")
            return
        (x0, x1), (y0, y1) = result.domain
        ny, nx = result.shape
        dx, dy = _sample_step(result.domain, nx, ny)
        self.image.setImage(result.display, autoLevels=False, levels=result.levels)
        self.image.setRect(QRectF(x0 - dx / 2, y0 - dy / 2, x1 - x0 + dx, y1 - y0 + dy))
        self.colour_bar.setLevels(result.levels)
        self.colour_bar.axis.setTicks([result.ticks, []] if result.ticks else None)
        if len(result.contour_xy):
            self.contours.setData(result.contour_xy[:, 0], result.contour_xy[:, 1])
        else:
            self.contours.setData([], [])
        self.last_grid = result
        self.gridShown.emit(time.perf_counter() - self._requested_at)

    # --- mouse ---------------------------------------------------------------------
    def _on_click(self, ev) -> None:
        if ev.button() != Qt.MouseButton.LeftButton or ev.double() or ev.isAccepted():
            return
        vb = self.plot.getViewBox()
        if not vb.sceneBoundingRect().contains(ev.scenePos()):
            return
        if self.start_marker.mouseHovering:
            return
        p = vb.mapSceneToView(ev.scenePos())
        self._undo.push(SetStart(self._model, (p.x(), p.y())))

    def _on_marker_moved(self, *_args) -> None:
        if self._syncing or not self.start_marker.moving:
            return
        if self._drag_key is None:
            self._drag_key = next(self._drag_ids)
        p = self.start_marker.pos()
        self._undo.push(SetStart(self._model, (p.x(), p.y()), merge_key=self._drag_key))

    def _on_marker_released(self, *_args) -> None:
        self._drag_key = None
        p = self.start_marker.pos()
        if (p.x(), p.y()) != self._model.start:
            self._undo.push(SetStart(self._model, (p.x(), p.y())))

    def _on_mouse_moved(self, scene_pos) -> None:
        vb = self.plot.getViewBox()
        if not vb.sceneBoundingRect().contains(scene_pos):
            self.hover.setVisible(False)
            return
        p = vb.mapSceneToView(scene_pos)
        self.hover_at(p.x(), p.y())

    def _describe(self, x: float, y: float) -> tuple[str, tuple[float, float]]:
        sx, sy = self.plot.getViewBox().viewPixelSize()
        if not (sx > 0 and sy > 0):
            return "", (x, y)
        best = (HOVER_RADIUS**2, None, None)
        for i, _, run in self._model.active():
            pos = run.positions
            with np.errstate(all="ignore"):
                d2 = ((pos[:, 0] - x) / sx) ** 2 + ((pos[:, 1] - y) / sy) ** 2
            if not np.isfinite(d2).any():
                continue
            k = int(np.nanargmin(d2))
            if d2[k] < best[0]:
                best = (float(d2[k]), i, k)
        _, i, step = best
        if i is not None:
            run = self._model.run(i)
            pos = run.positions[step]
            return point_summary(self._model.configs[i], run, step), (pos[0], pos[1])
        training = self._describe_training(x, y, sx, sy)
        if training is not None:
            return training
        surface = self._model.surface
        for m in surface.minima:
            if ((m[0] - x) / sx) ** 2 + ((m[1] - y) / sy) ** 2 < HOVER_RADIUS**2:
                text = (
                    f"<b>known minimum</b> at {_pair(m)}<br>"
                    f"f = {format_number(surface.value(*m))}"
                )
                return text, (m[0], m[1])
        return "", (x, y)

    def _place_hover(self, anchor: tuple[float, float]) -> None:
        """Keep the hover box inside the view: it opens away from the nearest edges."""
        (x0, x1), (y0, y1) = self.plot.getViewBox().viewRange()
        fx = 1.0 if anchor[0] > (x0 + x1) / 2 else 0.0
        fy = 1.0 if anchor[1] < (y0 + y1) / 2 else 0.0
        self.hover.setAnchor((fx, fy))


def _arrow(
    origin: np.ndarray, direction_px: np.ndarray, length_px: float, sx: float, sy: float
) -> tuple[np.ndarray, np.ndarray]:
    """Segments (shaft + two barbs) of an arrow, built in pixels, returned in data."""
    norm = math.hypot(*direction_px)
    if not norm or not math.isfinite(norm) or length_px < 1:
        return np.empty(0), np.empty(0)
    u = direction_px / norm
    tip = u * length_px
    barb = min(9.0, length_px * 0.45)
    pts = [np.zeros(2), tip]
    for angle in (0.45, -0.45):
        c, s = math.cos(angle), math.sin(angle)
        back = -np.array([c * u[0] - s * u[1], s * u[0] + c * u[1]]) * barb
        pts += [tip, tip + back]
    pts = np.array(pts)
    return origin[0] + pts[:, 0] * sx, origin[1] + pts[:, 1] * sy
