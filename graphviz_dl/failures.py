"""Why a race that is still finite is getting nowhere: oscillation and stalling.

Overflow stops a run and :mod:`graphviz_dl.divergence` says why. Two failures
never overflow and are easy to miss while watching: a run that bounces across
a valley with steps that do not shrink (SGD with lr·curvature past 2, Adam with
lr = 100), and a run whose gradient vanished somewhere that is no minimum (a
saddle point, a plateau). Both are read from the last :data:`WINDOW` steps of
a :class:`~graphviz_dl.race.Run`, so the verdict follows the run: a run that
escapes the saddle loses its warning.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np

from .divergence import stability_formula, stability_limit
from .numfmt import format_number
from .optimizer_menu import optimizer_spec

if TYPE_CHECKING:  # pragma: no cover
    from .race import Run

WINDOW = 12
"""Steps looked at: enough to tell a pattern from one odd step."""
FLIPS = 0.8
"""Fraction of consecutive steps along a coordinate that must change sign."""
SWING_WINDOW = 20
"""Steps looked at for slow swings (Adam's momentum swings with a period of ~10)."""
SWING_GAP = 2.0
"""Swinging counts as failing while f − f* stays this many times the start's."""
GRAD_TINY = 1e-4
"""‖∇f‖ below this (times the start's gradient scale, at least 1) is no push."""


@dataclass(frozen=True)
class Failure:
    """A failure in words: ``kind`` (``oscillation`` or ``stall``), a short
    status, and the explanation with its numbers."""

    kind: str
    status: str
    text: str


def diagnose(run: Run) -> Failure | None:
    """What is going wrong with ``run`` now, or None (racing fine, converged,
    or stopped: a stopped run already says why)."""
    if run.diverged_at is not None or run.steps < WINDOW:
        return None
    return _oscillation(run) or _swinging(run) or _stall(run)


def _extent(run: Run) -> float:
    (x0, x1), (y0, y1) = run.surface.domain
    return max(x1 - x0, y1 - y0, 1e-12)


def _num(v: float) -> str:
    return format_number(float(v), digits=2)


def _oscillation(run: Run) -> Failure | None:
    pos = run.positions[-(WINDOW + 1) :]
    steps = np.diff(pos, axis=0)
    losses = run.losses[-(WINDOW + 1) :]
    half = WINDOW // 2
    if not np.all(np.isfinite(losses)):
        return None
    if losses[half:].min() < losses[: half + 1].min():
        return None  # still making progress, bouncing or not
    known = run.surface.min_value()
    if known is not None and np.median(losses) - known < 0.1 * (
        float(run.losses[0]) - known
    ):
        return None  # jitter close to the minimum (RMSprop's limit cycle): done
    for axis in (0, 1):
        along = steps[:, axis]
        flips = int(np.sum(along[1:] * along[:-1] < 0))
        size = np.abs(along)
        early, late = float(size[:half].mean()), float(size[half:].mean())
        if flips < FLIPS * (WINDOW - 1) or late < 0.9 * early:
            continue
        if late < 1e-2 * _extent(run):
            continue  # jitter too small to see (in a well, or at a minimum)
        return _explain_oscillation(run, axis, early, late)
    return None


def _swinging(run: Run) -> Failure | None:
    """Back and forth across the minimum in wide swings, the loss far above
    where it started (Adam with lr = 100: period ~10 steps, not every step)."""
    known = run.surface.min_value()
    if known is None or run.steps < SWING_WINDOW:
        return None
    gaps = run.losses[-SWING_WINDOW:] - known
    start_gap = float(run.losses[0]) - known
    if not start_gap > 0 or not np.median(gaps) > SWING_GAP * start_gap:
        return None
    steps = np.diff(run.positions[-(SWING_WINDOW + 1) :], axis=0)
    for axis in (0, 1):
        along = steps[:, axis]
        turns = int(np.sum(along[1:] * along[:-1] < 0))
        if turns < 3:
            continue
        name = run.surface.axes[axis]
        track = run.positions[-SWING_WINDOW:, axis]
        width = float(track.max() - track.min())
        ratio = float(np.median(gaps)) / start_gap
        head = (
            f"swinging across the minimum along {name}: the path turned back "
            f"{turns} times in the last {SWING_WINDOW} steps, in swings "
            f"≈ {_num(width)} wide, and f − f* is ≈ {_num(ratio)}× what it was "
            "at the start"
        )
        return _advice(run, axis, head, "⚠ swinging across the minimum")
    return None


def _curvature(run: Run, axis: int) -> float:
    x, y = (float(v) for v in run.positions[-1])
    try:
        hessian = np.asarray(run.surface.hessian(x, y), dtype=float)
    except (ArithmeticError, ValueError):
        return math.nan
    return float(hessian[axis, axis])


def _explain_oscillation(run: Run, axis: int, early: float, late: float) -> Failure:
    name = run.surface.axes[axis]
    growth = "grow" if late > 1.1 * early else "do not shrink"
    head = (
        f"oscillating along {name}: the step flips sign every time and its size "
        f"does not settle ({_num(early)} → {_num(late)}); the swings {growth}"
    )
    return _advice(run, axis, head, f"⚠ oscillating along {name}")


def _advice(run: Run, axis: int, head: str, status: str) -> Failure:
    """``head`` followed by why, from lr and the curvature along ``axis``."""
    name = run.surface.axes[axis]
    curvature = _curvature(run, axis)
    lr = float(run.lrs[-1])
    momentum = float(getattr(run.optimizer, "momentum", 0.0) or 0.0)
    limit = stability_limit(run.config.kind, momentum)
    if limit is not None and math.isfinite(curvature) and curvature > 0:
        product = lr * curvature
        formula = stability_formula(run.config.kind, momentum)
        bound = _num(limit) if not formula else f"{formula} = {_num(limit)}"
        relation = ">" if product > limit else "≈"
        text = (
            f"{head}; lr × curvature ≈ {format_number(product, digits=3)} "
            f"{relation} {bound} along {name} (curvature {_num(curvature)}), so "
            "every step overshoots the valley's floor: lr below "
            f"{format_number(limit / curvature, digits=3)} would settle"
        )
        return Failure("oscillation", status, text)
    title = optimizer_spec(run.config.kind).title
    text = (
        f"{head}; {title} rescales each coordinate, so its steps stay about "
        f"lr = {format_number(lr)} long whatever the slope"
    )
    if math.isfinite(curvature) and curvature > 0:
        text += (
            f", far longer than this valley (curvature {_num(curvature)} along "
            f"{name}) can take: it jumps across the minimum instead of settling"
        )
    return Failure("oscillation", status, text + "; a smaller lr would settle")


def _stall(run: Run) -> Failure | None:
    grad = float(np.hypot(*run.grads[-1]))
    scale = max(1.0, float(np.hypot(*run.grads[0])))
    pos = run.positions
    moved = float(np.hypot(*(pos[-1] - pos[-(WINDOW + 1)])))
    if not grad < GRAD_TINY * scale or moved > 1e-3 * _extent(run):
        return None
    x, y = (float(v) for v in pos[-1])
    try:
        hessian = np.asarray(run.surface.hessian(x, y), dtype=float)
    except (ArithmeticError, ValueError):
        return None
    if not np.all(np.isfinite(hessian)):
        return None
    values, vectors = np.linalg.eigh(hessian)
    where = f"({_num(x)}, {_num(y)})"
    size = max(1.0, float(np.abs(values).max()))
    if values[0] < -1e-6 * size:
        vx, vy = vectors[:, 0]
        text = (
            f"stalled at a saddle point: ‖∇f‖ ≈ {_num(grad)} at {where}, yet this "
            f"is no minimum: the surface curves downward along ({_num(vx)}, "
            f"{_num(vy)}) (curvature {_num(values[0])}). No gradient step leaves "
            "a point where the gradient along that direction is 0, momentum or "
            "Adam included: only a start off the ridge (or noise) escapes"
        )
        return Failure("stall", "⚠ stalled at a saddle", text)
    known = run.surface.min_value()
    gap = float(run.losses[-1]) - known if known is not None else math.nan
    if np.abs(values).max() < 1e-3 and gap > 1e-6 * max(1.0, abs(known or 0.0)):
        text = (
            f"stalled on a plateau: ‖∇f‖ ≈ {_num(grad)} at {where} and the surface "
            f"is flat around it, but f − f* = {_num(gap)} is still to go"
        )
        return Failure("stall", "⚠ stalled on a plateau", text)
    return None
