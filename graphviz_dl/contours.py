"""Contour lines of a sampled field, as one array a plot draws in a single call.

The optimizer lab's level sets and the training lab's decision boundary are
both contour lines of a grid of numbers: one routine (contourpy) serves both.
"""

from __future__ import annotations

from collections.abc import Iterable

import contourpy
import numpy as np

_GAP = np.full((1, 2), np.nan)


def contour_lines(
    xs: np.ndarray, ys: np.ndarray, z: np.ndarray, levels: Iterable[float]
) -> np.ndarray:
    """Every line of ``z`` (sampled at ``z[i, j] = f(xs[j], ys[i])``) at each of
    ``levels``, as one ``(n, 2)`` array with lines separated by rows of nan.

    Cells that are not numbers (nan, ±inf) are left out: a line stops at them
    rather than running off to infinity.
    """
    z = np.asarray(z, dtype=np.float64)
    masked = np.ma.masked_invalid(z) if not np.isfinite(z).all() else z
    generator = contourpy.contour_generator(
        xs, ys, masked, line_type=contourpy.LineType.ChunkCombinedNan
    )
    pieces = []
    for level in levels:
        (chunks,) = generator.lines(float(level))
        for points in chunks:
            if points is not None and len(points):
                pieces += [points, _GAP]
    return np.concatenate(pieces) if pieces else np.empty((0, 2))


def evenly_spaced_lines(
    xs: np.ndarray, ys: np.ndarray, z: np.ndarray, lo: float, hi: float, n: int
) -> np.ndarray:
    """``n`` lines at levels spread evenly strictly between ``lo`` and ``hi``."""
    if not hi > lo or n < 1:
        return np.empty((0, 2))
    return contour_lines(xs, ys, z, np.linspace(lo, hi, n + 2)[1:-1])
