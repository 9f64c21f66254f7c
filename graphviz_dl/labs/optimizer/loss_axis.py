"""What the loss plot shows: f − f* (on a log axis when it can), and axis ranges
that move in whole steps rather than creeping every frame.

A run that blew up must not decide the scale: its last finite losses can reach
1e38 and would flatten every other curve into a line at zero. The range comes
from the healthy runs, and a diverged curve is clipped to it (the marker at its
head says where and why it stopped)."""

from __future__ import annotations

import math

import numpy as np

FLOOR = 1e-16  # relative: values of f − f* below this are drawn at the floor


def nice_ceiling(n: float) -> float:
    """The smallest of 10, 20, 50, 100, 200, … that is at least ``n``."""
    value = 10.0
    while value < n:
        for factor in (2.0, 2.5, 2.0):  # 10 → 20 → 50 → 100
            value *= factor
            if value >= n:
                break
    return value


def round_down(v: float) -> float:
    step = 10.0 ** math.floor(math.log10(abs(v))) if v else 1.0
    return math.floor(v / step) * step


def round_up(v: float) -> float:
    step = 10.0 ** math.floor(math.log10(abs(v))) if v else 1.0
    return math.ceil(v / step) * step


def offset_for(min_value: float | None) -> float:
    """f*, subtracted from every loss: the surface's known minimum, else 0."""
    if min_value is None or not math.isfinite(min_value):
        return 0.0
    return float(min_value)


def floor_for(offset: float) -> float:
    """The smallest f − f* drawn on a log axis (f* to machine precision)."""
    return FLOOR * max(1.0, abs(offset))


def needs_linear(values: np.ndarray, offset: float) -> bool:
    """Whether f − f* goes clearly negative: then no log axis."""
    finite = values[np.isfinite(values)]
    return bool(np.any(finite < -floor_for(offset)))


def log_values(values: np.ndarray, offset: float) -> np.ndarray:
    """log₁₀ of f − f*, with values at or below the floor drawn at the floor."""
    with np.errstate(all="ignore"):
        return np.log10(np.maximum(values, floor_for(offset)))


def axis_range(
    steps: int,
    shown: list[np.ndarray],
    log: bool,
    healthy: list[bool] | None = None,
) -> tuple[float, float, float]:
    """(last step shown, lowest, highest value shown): the step axis to a 1-2-5
    ceiling, the value axis to whole decades (log) or rounded with a margin.

    ``healthy`` marks the curves whose values choose the value axis (the runs
    that did not diverge); when none is healthy every curve counts.
    """
    if healthy is not None and any(healthy):
        shown = [v for v, ok in zip(shown, healthy) if ok]
    finite = [v[np.isfinite(v)] for v in shown]
    finite = [v for v in finite if len(v)]
    if finite:
        lo = min(float(v.min()) for v in finite)
        hi = max(float(v.max()) for v in finite)
    else:
        lo, hi = 0.0, 1.0
    if log:
        lo, hi = math.floor(lo), math.ceil(hi)
        if hi <= lo:
            hi = lo + 1
    else:
        pad = (hi - lo) * 0.05 or 1.0
        lo, hi = round_down(lo - pad), round_up(hi + pad)
    return nice_ceiling(max(steps, 1)), lo, hi


def clip_to_axis(values: np.ndarray, lo: float, hi: float) -> np.ndarray:
    """A diverged curve kept inside the value axis: it runs along the edge
    instead of stretching the axis (nan stays nan, ±inf lands on the edge)."""
    with np.errstate(invalid="ignore"):
        return np.clip(values, lo, hi)
