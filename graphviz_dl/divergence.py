"""Why an optimizer's run stopped being finite, explained from the curvature.

Shared by the optimizer races (a 2-D surface, whose Hessian is exact) and the
training lab's diagnosis (:mod:`graphviz_dl.training.blowup`, which finds a
network's sharpest curvature by power iteration): gradient descent is stable
on a quadratic only while lr·λ stays below a limit that depends on the
momentum; past it every step overshoots the valley.
"""

from __future__ import annotations

import math
from collections.abc import Callable

import numpy as np

from .numfmt import format_number

POWER_ITERATIONS = 20


def stability_limit(kind: str, momentum: float) -> float | None:
    """lr·λ must stay below this for gradient descent to converge on a quadratic
    whose sharpest curvature is λ: 2, 2(1 + μ) with momentum μ, 2(1 + μ)/(1 + 2μ)
    with Nesterov.

    ``kind`` is a menu entry. None for adaptive optimizers, whose step is
    rescaled per weight.
    """
    if kind == "sgd":
        return 2.0
    if kind == "momentum":
        return 2.0 * (1.0 + momentum)
    if kind == "nesterov":
        return 2.0 * (1.0 + momentum) / (1.0 + 2.0 * momentum)
    return None


def top_curvature(
    gradient: Callable[[np.ndarray], np.ndarray],
    theta: np.ndarray,
    iterations: int = POWER_ITERATIONS,
    seed: int = 0,
) -> float:
    """The Hessian's dominant eigenvalue at ``theta`` (Rayleigh quotient), or nan.

    Power iteration on ``Hv ≈ (∇(θ + εv) − ∇(θ − εv)) / 2ε``.
    """
    v = np.random.default_rng(seed).standard_normal(theta.size)
    v /= np.linalg.norm(v)
    eps = 1e-5 * max(1.0, float(np.linalg.norm(theta)))
    estimate = math.nan
    with np.errstate(all="ignore"):
        for _ in range(iterations):
            hv = (gradient(theta + eps * v) - gradient(theta - eps * v)) / (2 * eps)
            estimate = float(v @ hv)
            size = float(np.linalg.norm(hv))
            if not math.isfinite(size) or size == 0.0:
                return estimate if math.isfinite(estimate) else math.nan
            v = hv / size
    return estimate


def stability_formula(kind: str, momentum: float) -> str:
    """:func:`stability_limit` as a formula in β (the momentum), or "" for a
    plain 2 (or no limit)."""
    if kind == "nesterov":
        return "2(1 + β)/(1 + 2β)"
    if kind == "momentum" and momentum > 0.0:
        return "2(1 + β)"
    return ""


def explain_surface_divergence(
    surface,
    positions: np.ndarray,
    losses: np.ndarray,
    lr: float,
    kind: str,
    momentum: float,
) -> str:
    """Why a race on ``surface`` blew up, as a clause to append (``"; …"``), or
    "" when the curvature says nothing.

    ``positions`` and ``losses`` run from the start to the last finite point;
    ``lr`` is the learning rate of the step that failed and ``kind`` the menu
    entry of the optimizer (with its ``momentum``).
    """
    x, y = (float(v) for v in positions[-1])
    try:
        hessian = surface.hessian(x, y)
    except (ArithmeticError, ValueError):
        return ""
    if not np.all(np.isfinite(hessian)):
        return ""
    eigenvalues, eigenvectors = np.linalg.eigh(hessian)
    lowest, highest = float(eigenvalues[0]), float(eigenvalues[1])
    if surface.min_value() is None and losses[-1] < losses[0]:
        fallen = format_number(losses[-1], digits=3)
        text = f"; the loss kept falling (to {fallen}): no minimum this way"
        if lowest < 0.0:
            vx, vy = eigenvectors[:, 0]
            text += (
                f", it curves downward (curvature {format_number(lowest, digits=2)}"
                f" along ({format_number(vx, digits=2)}, "
                f"{format_number(vy, digits=2)}))"
            )
        return text
    limit = stability_limit(kind, momentum)
    if limit is not None and highest > 0.0:
        product = lr * highest
        if product > limit:
            shown = format_number(limit, digits=3)
            formula = stability_formula(kind, momentum)
            bound = f"{formula} = {shown}" if formula else shown
            return (
                f"; lr·curvature ≈ {format_number(product, digits=2)} > {bound} "
                "along the steepest direction"
            )
    if highest > 0.0:
        step = float(np.hypot(*(positions[-1] - positions[max(len(positions) - 2, 0)])))
        return (
            f"; the largest curvature at the last finite point is ≈ "
            f"{format_number(highest, digits=2)}, so steps longer than about "
            f"{format_number(2.0 / highest, digits=2)} overshoot (the last one "
            f"was {format_number(step, digits=2)})"
        )
    return ""
