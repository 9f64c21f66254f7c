"""What an optimizer's memory does to the next step, read from its state.

The race draws these per racer: momentum's velocity, the per-coordinate step
size that Adagrad, RMSprop, Adam and Adadelta make of one unit of gradient
(the reason they stretch along a flat valley floor and creep across its
walls), and Adam's bias-correction factors, large in the first steps because
both moments start at zero. Everything is computed from the state as it
stands after the last step; nothing here changes an optimizer.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

from ..engine import Value
from .adam import Adam
from .adaptive import Adadelta, Adagrad, RMSprop
from .base import Optimizer
from .sgd import SGD

Pair = tuple[float, float]


@dataclass(frozen=True)
class Internals:
    """One racer's internals over its two coordinates (None: does not apply).

    ``effective_step[i]``: the step per unit of gradient along coordinate i,
    e.g. ``lr/(√v̂ + eps)`` for Adam (which multiplies it by m̂, not by g);
    ``velocity``: ``−lr·buffer``, what momentum carries into the next step;
    ``bias``: Adam's ``(1/(1 − β₁ᵗ), 1/(1 − β₂ᵗ))``, by which ``m`` and ``v``
    are multiplied to give ``m̂`` and ``v̂``; ``step``: t, steps taken.
    """

    step: int = 0
    effective_step: Pair | None = None
    velocity: Pair | None = None
    bias: Pair | None = None


def read_internals(optimizer: Optimizer, params: Sequence[Value]) -> Internals:
    """The internals of ``optimizer`` over ``params`` (the race's x and y)."""
    rows = [optimizer.state.get(p) for p in params]
    if any(row is None for row in rows):
        return Internals()  # no step taken: nothing remembered yet
    step = int(rows[0]["step"])
    per = [_per_coordinate(optimizer, row, step) for row in rows]
    effective = _pair(e for e, _ in per)
    velocity = _pair(v for _, v in per)
    bias = None
    if isinstance(optimizer, Adam):
        beta1, beta2 = optimizer.betas
        bias = (1.0 / (1.0 - beta1**step), 1.0 / (1.0 - beta2**step))
    return Internals(step, effective, velocity, bias)


def _pair(values) -> Pair | None:
    values = list(values)
    return None if any(v is None for v in values) else (values[0], values[1])


def _per_coordinate(
    optimizer: Optimizer, row, step: int
) -> tuple[float | None, float | None]:
    """(effective step, velocity) of one coordinate's state ``row``."""
    lr = optimizer.lr
    if isinstance(optimizer, SGD):
        buf = row.get("momentum_buffer")
        return None, (None if buf is None else -lr * buf)
    if isinstance(optimizer, Adam):
        v = row.get("max_exp_avg_sq", row["exp_avg_sq"])
        v_hat = v / (1.0 - optimizer.betas[1] ** step)
        return lr / (math.sqrt(v_hat) + optimizer.eps), None
    if isinstance(optimizer, Adagrad):
        clr = lr / (1 + (step - 1) * optimizer.lr_decay)
        return clr / (math.sqrt(row["sum"]) + optimizer.eps), None
    if isinstance(optimizer, RMSprop):
        square = row["square_avg"] - row.get("grad_avg", 0.0) ** 2
        effective = lr / (math.sqrt(max(square, 0.0)) + optimizer.eps)
        buf = row.get("momentum_buffer")
        return effective, (None if buf is None else -lr * buf)
    if isinstance(optimizer, Adadelta):
        eps = optimizer.eps
        ratio = math.sqrt(row["acc_delta"] + eps) / math.sqrt(row["square_avg"] + eps)
        return lr * ratio, None
    return None, None
