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

    def until_outside(self, positions: np.ndarray) -> int:
        """How many leading points of a path lie on the domain: a run that blew
        up is drawn up to where it left, not along the box's edge after it."""
        (x0, x1), (y0, y1) = self.domain
        positions = np.asarray(positions, dtype=np.float64).reshape(-1, 2)
        with np.errstate(invalid="ignore"):
            x, y = positions[:, 0], positions[:, 1]
            outside = ~((x >= x0) & (x <= x1) & (y >= y0) & (y <= y1))
        return int(np.argmax(outside)) if outside.any() else len(positions)

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
        # never under the drawn mesh: between samples it cuts across a narrow
        # valley above the true floor, where the path runs
        level = np.fmax(self.level(np.asarray(losses)[keep]), self.mesh_at(bx, by))
        return np.column_stack([bx, by, level * HEIGHT + LIFT])

    def mesh_at(self, bx: np.ndarray, by: np.ndarray) -> np.ndarray:
        """The drawn surface's height in [0, 1] at box points (bilinear between
        the samples, as the mesh's flat triangles nearly are)."""
        nx, ny = self.heights.shape
        fx = np.clip((np.asarray(bx) + 1.0) / 2.0 * (nx - 1), 0, nx - 1)
        fy = np.clip((np.asarray(by) + 1.0) / 2.0 * (ny - 1), 0, ny - 1)
        i = np.minimum(fx.astype(int), nx - 2) if nx > 1 else np.zeros_like(fx, int)
        j = np.minimum(fy.astype(int), ny - 2) if ny > 1 else np.zeros_like(fy, int)
        tx, ty = fx - i, fy - j
        h = self.heights
        i1, j1 = np.minimum(i + 1, nx - 1), np.minimum(j + 1, ny - 1)
        return (
            h[i, j] * (1 - tx) * (1 - ty)
            + h[i1, j] * tx * (1 - ty)
            + h[i, j1] * (1 - tx) * ty
            + h[i1, j1] * tx * ty
        )


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
