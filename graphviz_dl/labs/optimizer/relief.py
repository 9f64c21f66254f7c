"""The loss surface as a relief for the 3-D view, and the race's paths lifted onto it.

Heights follow the 2-D view's colours: log₁₀(f − min + ε) on surfaces whose
values span decades (Rosenbrock's valley floor would otherwise be a flat plain
under a wall), f itself elsewhere, clipped to the colour range, so a wall or a
pole does not flatten the rest. Everything is scaled into a box (x and y in
[−1, 1], height in [0, HEIGHT]) whatever the surface's units, so the camera
never needs to move when the surface changes. Qt-free: the job computes it.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

from ...surfaces import Surface
from ...surfaces.grid import MAX_DECADES, Domain, sample_grid

RELIEF_SIZE = 81  # samples per axis: smooth enough to read, cheap to draw
RELIEF_BUDGET = 1.0  # seconds of evaluation before a coarser grid is taken
HEIGHT = 0.9  # the top of the box, in the units where x and y span 2
LIFT = 0.015  # paths float this far above the surface, so it never hides them
LINEAR_TOP = 99.0  # a linear relief is clipped at this percentile of f


@dataclass(frozen=True)
class Relief:
    """A sampled surface ready for the 3-D view, and the scale to place paths."""

    domain: Domain
    xs: np.ndarray  # (nx,) box coordinates
    ys: np.ndarray  # (ny,)
    heights: np.ndarray  # (nx, ny) in [0, 1]; an undefined value stands at the top
    log_scale: bool
    offset: float  # f's minimum over the grid (log scale)
    eps: float  # added under the logarithm (log scale)
    low: float  # the display value drawn at height 0
    high: float  # the display value drawn at the top

    def level(self, f: np.ndarray) -> np.ndarray:
        """Height in [0, 1] of loss values ``f`` (nan where f is not finite)."""
        f = np.asarray(f, dtype=np.float64)
        with np.errstate(all="ignore"):
            shown = np.log10(np.maximum(f - self.offset, 0.0) + self.eps)
            if not self.log_scale:
                shown = f
            out = (np.clip(shown, self.low, self.high) - self.low) / (
                self.high - self.low
            )
        return np.where(np.isfinite(f), out, np.nan)

    def box(self, x: np.ndarray, y: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """Surface coordinates → box coordinates ([−1, 1] across the domain)."""
        (x0, x1), (y0, y1) = self.domain
        return (
            2.0 * (np.asarray(x) - x0) / (x1 - x0) - 1.0,
            2.0 * (np.asarray(y) - y0) / (y1 - y0) - 1.0,
        )

    def lift(self, positions: np.ndarray, losses: np.ndarray) -> np.ndarray:
        """A path ([T, 2] positions, [T] losses) as [n, 3] box points a little
        above the surface; points off the domain are clamped to its edge and
        points that are not numbers (a blown-up step) are left out."""
        positions = np.asarray(positions, dtype=np.float64).reshape(-1, 2)
        keep = np.isfinite(positions).all(axis=1) & np.isfinite(losses)
        (x0, x1), (y0, y1) = self.domain
        x = np.clip(positions[keep, 0], x0, x1)
        y = np.clip(positions[keep, 1], y0, y1)
        bx, by = self.box(x, y)
        z = self.level(np.asarray(losses)[keep]) * HEIGHT + LIFT
        return np.column_stack([bx, by, z])


def compute_relief(
    surface: Surface,
    n: int = RELIEF_SIZE,
    *,
    progress: Callable[[float], None] | None = None,
    cancelled: Callable[[], bool] | None = None,
) -> Relief:
    """Sample ``surface`` over its domain (coarser if it is slow to evaluate)."""
    domain = surface.domain
    xs, ys, z = sample_grid(
        surface,
        domain,
        n,
        n,
        budget=RELIEF_BUDGET,
        progress=progress,
        cancelled=cancelled,
    )
    z = np.asarray(z, dtype=np.float64)  # (ny, nx)
    finite = np.isfinite(z)
    offset, eps, low, high = _scale(z[finite], surface.log_scale)
    blank = Relief(domain, xs, ys, z, surface.log_scale, offset, eps, low, high)
    heights = np.nan_to_num(blank.level(z), nan=1.0).T
    bx, by = blank.box(xs, ys)
    return Relief(domain, bx, by, heights, surface.log_scale, offset, eps, low, high)


def _scale(values: np.ndarray, log_scale: bool) -> tuple[float, float, float, float]:
    """(offset, eps, low, high) of the display scale, as the 2-D colours use."""
    if not len(values):
        return 0.0, 1.0, 0.0, 1.0
    zmin, zmax = float(values.min()), float(values.max())
    span = zmax - zmin
    if log_scale and span > 0:
        eps = max(span * 1e-6, 1e-300)
        high = math.log10(span + eps)
        return zmin, eps, max(math.log10(eps), high - MAX_DECADES), high
    top = float(np.percentile(values, LINEAR_TOP))
    return zmin, 1.0, zmin, top if top > zmin else zmin + 1.0
