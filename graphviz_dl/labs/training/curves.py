"""The numbers behind the lab's curves and clicks: log scales, ticks,
thinning, the nearest epoch and the nearest point.

The views draw these arrays as they come; each function here is pure.
"""

from __future__ import annotations

import math

import numpy as np

from ...datasets import Dataset
from ...numfmt import format_number

FLOOR = 1e-12
"""Losses below this are drawn at it on a log axis."""
MAX_BATCH_POINTS = 3000
"""Batch losses drawn at most (evenly thinned beyond)."""


def log10_floored(values: np.ndarray) -> np.ndarray:
    """log₁₀ of ``values`` (at least :data:`FLOOR`); nan where not finite."""
    with np.errstate(all="ignore"):
        values = np.asarray(values, dtype=np.float64)
        out = np.log10(np.maximum(values, FLOOR))
    out[~np.isfinite(values)] = np.nan
    return out


MIN_LABELS = 3
"""Labelled ticks an axis shows at least (fewer leave it unreadable)."""


def log_ticks(lo: float, hi: float) -> list[list[tuple[float, str]]]:
    """Ticks for an axis showing log₁₀ values from ``lo`` to ``hi``: labelled
    decades (and 2, 5 between them when the range is short), unlabelled 2…9.

    When decades label fewer than :data:`MIN_LABELS` ticks, 2 and 5 are
    labelled too; when even that is too few (a loss that moves within one
    decade, 0.62 to 0.71 say), evenly spaced round values are labelled
    instead, so the axis always reads.
    """
    major: list[tuple[float, str]] = []
    minor: list[tuple[float, str]] = []
    if not (math.isfinite(lo) and math.isfinite(hi)) or hi <= lo:
        return [major, minor]
    span = hi - lo
    every = max(1, math.ceil(span / 6))  # at most about six decade labels
    decades = sum(1 for k in range(math.ceil(lo), math.floor(hi) + 1) if k % every == 0)
    between = span < 1.5 or (decades < MIN_LABELS and span < 4)
    for k in range(math.floor(lo), math.ceil(hi) + 1):
        for m in range(1, 10):
            v = k + math.log10(m)
            if not lo <= v <= hi:
                continue
            if (m == 1 and k % every == 0) or (between and m in (2, 5)):
                major.append((v, format_number(m * 10.0**k, 3)))
            elif span < 4:
                minor.append((v, ""))
    if len(major) < MIN_LABELS and span < 1:
        labelled = _even_ticks(10.0**lo, 10.0**hi)
        if len(labelled) > len(major):
            return [labelled, []]
    return [major, minor]


def _even_ticks(a: float, b: float) -> list[tuple[float, str]]:
    """Round values evenly spaced from ``a`` to ``b`` (> 0), at their log₁₀,
    each labelled with the digits its spacing needs."""
    with np.errstate(all="ignore"):
        raw = (b - a) / MIN_LABELS
        if not (math.isfinite(raw) and raw > 0):
            return []
        scale = 10.0 ** math.floor(math.log10(raw))
        step = max((m * scale for m in (1, 2, 5) if m * scale <= raw), default=scale)
        first = math.ceil(a / step)
        values = [k * step for k in range(first, math.floor(b / step) + 1)]
    values = [v for v in values if v > 0]
    ticks = []
    for v in values:
        digits = max(3, math.floor(math.log10(v)) - math.floor(math.log10(step)) + 1)
        ticks.append((math.log10(v), format_number(v, digits)))
    return ticks


def thinned(
    x: np.ndarray, y: np.ndarray, most: int = MAX_BATCH_POINTS
) -> tuple[np.ndarray, np.ndarray]:
    """At most ``most`` points of a curve, evenly spaced (ends kept)."""
    if len(x) <= most:
        return x, y
    keep = np.linspace(0, len(x) - 1, most).astype(np.intp)
    return x[keep], y[keep]


def lr_staircase(
    step_epochs: np.ndarray, step_lrs: np.ndarray, last_epoch: float
) -> tuple[np.ndarray, np.ndarray]:
    """The learning rate as it was used, step by step: flat while it holds,
    rising or falling at the step where it changed (a live change at step 120
    shows at epoch 12, as the change marks do), held on to ``last_epoch``.

    ``step_epochs[i]`` is the (fractional) epoch after step i + 1 and
    ``step_lrs[i]`` the rate that step used; only the corners are returned."""
    if not len(step_lrs):
        return np.zeros(0), np.zeros(0)
    starts = np.concatenate([[0.0], step_epochs[:-1]])  # where each step began
    changed = np.flatnonzero(step_lrs[1:] != step_lrs[:-1]) + 1
    xs, ys = [starts[0]], [step_lrs[0]]
    for i in changed:
        xs += [starts[i], starts[i]]
        ys += [step_lrs[i - 1], step_lrs[i]]
    xs.append(max(float(step_epochs[-1]), float(last_epoch)))
    ys.append(step_lrs[-1])
    return np.asarray(xs, dtype=np.float64), np.asarray(ys, dtype=np.float64)


def nearest_row(column: np.ndarray, value: float) -> int:
    """The row of ``column`` closest to ``value``."""
    return int(np.argmin(np.abs(np.asarray(column) - value)))


def point_xy(dataset: Dataset) -> np.ndarray:
    """Each data point where it is drawn: (x₀, x₁), or (x, y) for regression."""
    if dataset.n_inputs == 1:
        return np.column_stack([dataset.X[:, 0], dataset.y.astype(np.float64)])
    return dataset.X[:, :2]


def nearest_point(
    xy: np.ndarray, x: float, y: float, pixel: tuple[float, float], radius: float
) -> int | None:
    """The point of ``xy`` within ``radius`` pixels of (x, y), if any;
    ``pixel`` is the size of a pixel in data units along each axis."""
    if not len(xy):
        return None
    px, py = pixel
    with np.errstate(all="ignore"):
        d2 = ((xy[:, 0] - x) / px) ** 2 + ((xy[:, 1] - y) / py) ** 2
    best = int(np.argmin(d2))
    return best if d2[best] <= radius**2 else None


def class_indices(dataset: Dataset, n_colours: int) -> np.ndarray:
    """Which colour each point is drawn in (its class; 0 for regression)."""
    if dataset.task == "regression":
        return np.zeros(dataset.n_points, dtype=np.intp)
    return np.minimum(dataset.y.astype(np.intp), n_colours - 1)


def kept_curve(epochs: dict[str, np.ndarray]) -> tuple[np.ndarray, np.ndarray]:
    """A kept run's curve: its test loss per epoch (log₁₀), or its training
    loss when it had no test points."""
    losses = log10_floored(epochs["test_loss"])
    if np.isnan(losses).all():
        losses = log10_floored(epochs["train_loss"])
    return epochs["epoch"], losses
