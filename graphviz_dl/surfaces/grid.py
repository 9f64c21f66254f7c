"""A surface sampled over a region, ready to draw: colours, contour lines, ticks.

The optimizer lab asks for a grid whenever the surface changes or the view is
zoomed or panned; this module does the work (numpy and the one contour
routine), so it runs in a worker and is tested without Qt. A surface that is
expensive to evaluate (a network's loss over every sample at each point) is
sampled on a coarser grid rather than taking minutes.
"""

from __future__ import annotations

import math
import time
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

from ..contours import evenly_spaced_lines
from ..numfmt import format_number
from .core import Surface

Domain = tuple[tuple[float, float], tuple[float, float]]

GRID_SIZE = 300  # samples per axis for the visible region
GRID_BUDGET = 1.5
"""Seconds of evaluation a grid may take before it is sampled more coarsely."""
MIN_GRID = 41  # samples per axis, however expensive the surface
CHUNK_SECONDS = 0.1  # evaluation between two progress reports (and cancel checks)
CONTOUR_LEVELS = 18
MAX_DECADES = 6.0
"""Log colours show at most this many decades below the top: finer is noise."""


class GridCancelled(Exception):
    """The person (or a newer request) cancelled a grid before it was done."""


@dataclass(frozen=True)
class GridResult:
    """A computed grid, ready to draw: colours, contour lines and colour-bar ticks."""

    generation: int
    domain: Domain
    shape: tuple[int, int]
    display: np.ndarray  # (ny, nx) values the colours stand for; nan where undefined
    levels: tuple[float, float]
    contour_xy: np.ndarray  # (n, 2), lines separated by rows of nan
    ticks: list[tuple[float, str]]  # colour-bar ticks: (display value, f as text)
    log_scale: bool
    seconds: float  # time spent computing

    def pixel_rect(self) -> tuple[float, float, float, float]:
        """(left, bottom, width, height) of the image: each sample is the centre
        of its own pixel, so the picture reaches half a step past the domain."""
        (x0, x1), (y0, y1) = self.domain
        ny, nx = self.shape
        dx, dy = sample_step(self.domain, nx, ny)
        return x0 - dx / 2, y0 - dy / 2, x1 - x0 + dx, y1 - y0 + dy


def sample_step(domain: Domain, nx: int, ny: int) -> tuple[float, float]:
    """The distance between neighbouring samples in x and in y."""
    (x0, x1), (y0, y1) = domain
    return (x1 - x0) / max(nx - 1, 1), (y1 - y0) / max(ny - 1, 1)


def compute_grid(
    surface: Surface,
    domain: Domain,
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
        return GridResult(
            generation,
            domain,
            z.shape,
            np.full(z.shape, np.nan),
            (0.0, 1.0),
            np.empty((0, 2)),
            [],
            surface.log_scale,
            time.perf_counter() - t0,
        )
    display, lo, hi, ticks, log_scale = colour_scale(z, finite, surface.log_scale)
    contour_xy = evenly_spaced_lines(xs, ys, display, lo, hi, levels)
    return GridResult(
        generation,
        domain,
        z.shape,
        display,
        (float(lo), float(hi)),
        contour_xy,
        ticks,
        log_scale,
        time.perf_counter() - t0,
    )


def colour_scale(
    z: np.ndarray, finite: np.ndarray, log_scale: bool
) -> tuple[np.ndarray, float, float, list[tuple[float, str]], bool]:
    """What the colours stand for (z, or its log above the minimum), the range
    they span, the colour bar's ticks, and whether the scale is logarithmic."""
    zmin = float(z[finite].min())
    zmax = float(z[finite].max())
    span = zmax - zmin
    if log_scale and span > 0:
        eps = max(span * 1e-6, 1e-300)
        with np.errstate(all="ignore"):
            display = np.log10(np.where(finite, z - zmin, np.nan) + eps)
        hi = math.log10(span + eps)
        lo = max(math.log10(eps), hi - MAX_DECADES)
        return display, lo, hi, decade_ticks(zmin, eps, lo, hi), True
    display = np.where(finite, z, np.nan)
    hi = zmax if span > 0 else zmin + 1.0
    return display, zmin, hi, [], False  # linear: the axis picks round numbers


def sample_grid(
    surface: Surface,
    domain: Domain,
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
    sampler = _Sampler(surface, domain, int(nx), int(ny), cancelled)
    if budget is None and progress is None and cancelled is None:
        return sampler.xs, sampler.ys, sampler.rows(0, sampler.ny)
    sampler.probe(budget)
    if progress is not None:
        progress(sampler.done / sampler.ny)
    while sampler.done < sampler.ny:
        sampler.next_block()
        if progress is not None:
            progress(sampler.done / sampler.ny)
    return sampler.xs, sampler.ys, sampler.z


class _Sampler:
    """The state of one grid being sampled, block by block."""

    def __init__(
        self,
        surface: Surface,
        domain: Domain,
        nx: int,
        ny: int,
        cancelled: Callable[[], bool] | None,
    ) -> None:
        self.surface = surface
        self.domain = domain
        self.cancelled = cancelled
        self.resize(nx, ny)
        self.per_row = 0.0

    def resize(self, nx: int, ny: int) -> None:
        (x0, x1), (y0, y1) = self.domain
        self.nx, self.ny = nx, ny
        self.xs = np.linspace(float(x0), float(x1), nx)
        self.ys = np.linspace(float(y0), float(y1), ny)
        self.z = np.empty((ny, nx))
        self.done = 0

    def rows(self, start: int, stop: int) -> np.ndarray:
        if self.cancelled is not None and self.cancelled():
            raise GridCancelled
        return self.surface.evaluate(
            self.xs[np.newaxis, :], self.ys[start:stop, np.newaxis]
        )

    def fill(self, block: int) -> None:
        """Evaluate the next ``block`` rows and time them."""
        stop = min(self.ny, self.done + block)
        t0 = time.perf_counter()
        self.z[self.done : stop] = self.rows(self.done, stop)
        self.per_row = (time.perf_counter() - t0) / (stop - self.done)
        self.done = stop

    def probe(self, budget: float | None) -> None:
        """Time the first rows; start again coarser if the whole is over budget."""
        for rows in (1, 8):  # a second, longer probe: past warm-ups and per-call costs
            self.fill(rows)
            if self.done == self.ny or budget is None:
                return
            if self.per_row * self.ny <= budget:
                return
        per_point = self.per_row / self.nx
        scale = math.sqrt(budget / (per_point * self.nx * self.ny))
        nx = max(MIN_GRID, min(self.nx, int(self.nx * scale)))
        ny = max(MIN_GRID, min(self.ny, int(self.ny * scale)))
        self.resize(nx, ny)
        self.per_row = per_point * nx

    def next_block(self) -> None:
        left = self.ny - self.done
        if self.per_row * left <= 2.5 * CHUNK_SECONDS:
            self.fill(left)
        else:
            self.fill(max(1, min(left, int(CHUNK_SECONDS / max(self.per_row, 1e-9)))))


_SUPERSCRIPT = str.maketrans("-0123456789", "⁻⁰¹²³⁴⁵⁶⁷⁸⁹")


def decade_ticks(zmin: float, eps: float, lo: float, hi: float) -> list:
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
        ticks.append((d, decade_label(k)))
    if not ticks or ticks[-1][0] - lo >= gap:  # name the bottom of the scale too
        ticks.append((lo, format_number(zmin + 10.0**lo - eps, 3)))
    return ticks


def decade_label(k: int) -> str:
    """10ᵏ as a reader expects it: plain digits near 1, a power beyond."""
    if -2 <= k <= 3:
        return f"{10.0**k:.{max(0, -k)}f}"
    return "10" + str(k).translate(_SUPERSCRIPT)
