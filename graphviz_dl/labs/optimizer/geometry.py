"""Screen geometry of a race: thinning long paths, finding the point under the
mouse, and arrows built in pixels. Pure numpy, so the views only hand arrays
to the plot."""

from __future__ import annotations

import math

import numpy as np

Pixel = tuple[float, float]  # the data size of one screen pixel in x and in y


def pixel_thin(
    x: np.ndarray, y: np.ndarray, pixel: Pixel
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


def last_finite(pos: np.ndarray) -> int:
    """Index of the last row of ``pos`` that is finite (the head to draw)."""
    i = len(pos) - 1
    while i > 0 and not np.all(np.isfinite(pos[i])):
        i -= 1
    return i


def nearest(points, x: float, y: float, pixel: Pixel) -> tuple[int, float]:
    """Index of the point of ``points`` ([n, 2]) nearest to (x, y) on screen,
    and its squared distance in pixels (inf when no point is finite)."""
    points = np.asarray(points, dtype=np.float64).reshape(-1, 2)
    if not len(points):
        return -1, math.inf
    with np.errstate(all="ignore"):
        d2 = ((points[:, 0] - x) / pixel[0]) ** 2 + ((points[:, 1] - y) / pixel[1]) ** 2
    if not np.isfinite(d2).any():
        return -1, math.inf
    k = int(np.nanargmin(d2))
    return k, float(d2[k])


def last_step_pixels(pos: np.ndarray, pixel: Pixel) -> np.ndarray | None:
    """The last finite step of a path, in pixels (None before the first step)."""
    head = last_finite(pos)
    if head == 0:
        return None
    d = pos[head] - pos[head - 1]
    return np.array([d[0] / pixel[0], d[1] / pixel[1]])


def downhill_pixels(grad, pixel: Pixel) -> np.ndarray:
    """−∇f as a direction on screen (pixels), where an arrow points downhill."""
    g = np.asarray(grad, dtype=np.float64)
    return np.array([-g[0] / pixel[0], -g[1] / pixel[1]])


def arrow(
    origin: np.ndarray, direction_px: np.ndarray, length_px: float, pixel: Pixel
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
    return origin[0] + pts[:, 0] * pixel[0], origin[1] + pts[:, 1] * pixel[1]


def label_anchor(
    path: np.ndarray, domain
) -> tuple[tuple[float, float], tuple[float, float]] | None:
    """Where to label a path ([n, 2]) and which corner of the label sits there:
    at its first finite point, toward the middle of ``domain`` and away from
    the rest of the path. None when no point is finite."""
    finite = path[np.isfinite(path).all(axis=1)]
    if not len(finite):
        return None
    first, away = finite[0], finite[0] - finite.mean(axis=0)
    (x0, x1), _ = domain
    corner = (1.0 if first[0] > (x0 + x1) / 2 else 0.0, 1.0 if away[1] >= 0 else 0.0)
    return (float(first[0]), float(first[1])), corner


def clip_to_box(
    pos: np.ndarray, domain: tuple[tuple[float, float], tuple[float, float]]
) -> np.ndarray:
    """A diverged path's points kept within the surface's domain widened by
    its own size on every side, so the picture (and an SVG of it) is not
    stretched to 1e9 by the step that left; nan rows stay nan."""
    (x0, x1), (y0, y1) = domain
    wx, wy = x1 - x0, y1 - y0
    lo = np.array([x0 - wx, y0 - wy])
    hi = np.array([x1 + wx, y1 + wy])
    with np.errstate(invalid="ignore"):
        return np.clip(pos, lo, hi)


def ellipse_axes(effective: tuple[float, float], longest_px: float) -> Pixel:
    """Semi-axes in pixels of the ellipse that draws per-coordinate step sizes:
    the larger is ``longest_px``, the other in proportion (at least 3 px, so a
    starved coordinate still shows as a flat ellipse, not nothing)."""
    ex, ey = (abs(float(v)) for v in effective)
    top = max(ex, ey)
    if not (top > 0 and math.isfinite(top)):
        return 0.0, 0.0
    return max(3.0, longest_px * ex / top), max(3.0, longest_px * ey / top)


def ellipse(
    origin, axes_px: Pixel, pixel: Pixel, points: int = 48
) -> tuple[np.ndarray, np.ndarray]:
    """An axis-aligned ellipse around ``origin`` with semi-axes ``axes_px``
    (pixels), as a closed line in data coordinates."""
    t = np.linspace(0.0, 2.0 * math.pi, points + 1)
    return (
        origin[0] + axes_px[0] * pixel[0] * np.cos(t),
        origin[1] + axes_px[1] * pixel[1] * np.sin(t),
    )
