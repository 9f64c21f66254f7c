"""Loss surfaces of two tiny models over their two parameters (w, b).

Linear regression ``ŷ = w·x + b`` with the mean squared error is convex with a
closed-form optimum, ``θ = (XᵀX)⁻¹Xᵀy`` with a column of ones in X for b:
gradient descent should land exactly there. Logistic regression
``p = σ(w·x + b)`` with binary cross-entropy is convex too but has no closed
form; its minimum is found here by Newton's method, to the last digit.
"""

from __future__ import annotations

import math

import numpy as np

from .core import Surface, formula_surface

_AXES = ("w", "b")


def regression_data(
    n: int = 20,
    slope: float = 2.0,
    intercept: float = -1.0,
    noise: float = 0.5,
    seed: int = 0,
) -> tuple[np.ndarray, np.ndarray]:
    """``n`` points near the line ``y = slope·x + intercept``, x in [−1, 3].

    Rounded to two decimals, so the data can be read and typed in by hand.
    """
    rng = np.random.default_rng(seed)
    x = np.round(rng.uniform(-1.0, 3.0, n), 2)
    y = np.round(slope * x + intercept + rng.normal(0.0, noise, n), 2)
    return x, y


def least_squares(x: np.ndarray, y: np.ndarray) -> tuple[float, float]:
    """The notes' closed form ``θ = (XᵀX)⁻¹Xᵀy`` for ``ŷ = w·x + b``.

    Solved as the linear system ``(XᵀX)θ = Xᵀy`` (the same θ, without
    forming the inverse, which only loses digits).
    """
    design = np.column_stack([x, np.ones_like(x)])
    w, b = np.linalg.solve(design.T @ design, design.T @ y)
    return float(w), float(b)


def linear_regression_mse(
    n: int = 20,
    slope: float = 2.0,
    intercept: float = -1.0,
    noise: float = 0.5,
    seed: int = 0,
) -> Surface:
    """Mean squared error of ``ŷ = w·x + b`` over (w, b), optimum marked."""
    x, y = regression_data(n, slope, intercept, noise, seed)
    pairs = list(zip(x.tolist(), y.tolist()))

    def mse(w, b, m):
        return m.mean((w * xi + b - yi) ** 2 for xi, yi in pairs)

    w_star, b_star = least_squares(x, y)
    return formula_surface(
        "linear-regression-mse",
        "Linear regression (MSE)",
        "(1/n)·Σ (w·xᵢ + b − yᵢ)²",
        mse,
        domain=(
            (math.floor(w_star) - 3.0, math.floor(w_star) + 4.0),
            (math.floor(b_star) - 3.0, math.floor(b_star) + 4.0),
        ),
        minima=[(w_star, b_star)],
        start=(math.floor(w_star) - 2.0, math.floor(b_star) + 3.0),
        log_scale=True,
        axes=_AXES,
        description=f"Fitting a line to {n} points. The loss is a tilted bowl "
        "(w and b pull against each other because the x values are not centred); "
        "its bottom is the least-squares solution θ = (XᵀX)⁻¹Xᵀy.",
        data={"x": x, "y": y},
    )


def classification_data(
    n: int = 30, slope: float = 1.5, intercept: float = -0.5, seed: int = 1
) -> tuple[np.ndarray, np.ndarray]:
    """``n`` labelled 1-D points: ``y = 1`` with probability ``σ(slope·x + intercept)``.

    The two classes overlap, so the best (w, b) is finite.
    """
    rng = np.random.default_rng(seed)
    x = np.round(rng.normal(0.0, 1.5, n), 2)
    p = 1.0 / (1.0 + np.exp(-(slope * x + intercept)))
    y = (rng.uniform(0.0, 1.0, n) < p).astype(np.float64)
    return x, y


def logistic_minimum(x: np.ndarray, y: np.ndarray) -> tuple[float, float]:
    """The (w, b) minimizing the mean binary cross-entropy: Newton's method.

    The loss is strictly convex when the classes overlap, so Newton converges
    quadratically from (0, 0); iterations stop when a step no longer moves θ.
    """
    design = np.column_stack([x, np.ones_like(x)])
    theta = np.zeros(2)
    for _ in range(100):
        p = 1.0 / (1.0 + np.exp(-(design @ theta)))
        gradient = design.T @ (p - y) / len(x)
        hessian = (design * (p * (1 - p))[:, None]).T @ design / len(x)
        step = np.linalg.solve(hessian, gradient)
        theta = theta - step
        if np.all(np.abs(step) <= 1e-15 * np.maximum(1.0, np.abs(theta))):
            break
    return float(theta[0]), float(theta[1])


def logistic_regression_bce(
    n: int = 30, slope: float = 1.5, intercept: float = -0.5, seed: int = 1
) -> Surface:
    """Binary cross-entropy of ``p = σ(w·x + b)`` over (w, b).

    Each term is written as the notes write it, with ``1 − σ(z)`` as ``σ(−z)``
    (the same number, without the cancellation), so only the log of the
    probability given to the true label appears.
    """
    x, y = classification_data(n, slope, intercept, seed)
    pairs = list(zip(x.tolist(), y.tolist()))

    def bce(w, b, m):
        return m.mean(
            -m.log(m.sigmoid(w * xi + b))
            if yi == 1.0
            else -m.log(m.sigmoid(-(w * xi + b)))
            for xi, yi in pairs
        )

    w_star, b_star = logistic_minimum(x, y)
    return formula_surface(
        "logistic-regression-bce",
        "Logistic regression (BCE)",
        "−(1/n)·Σ [yᵢ·log σ(w·xᵢ + b) + (1 − yᵢ)·log(1 − σ(w·xᵢ + b))]",
        bce,
        domain=(
            (math.floor(w_star) - 3.0, math.floor(w_star) + 4.0),
            (math.floor(b_star) - 3.0, math.floor(b_star) + 4.0),
        ),
        minima=[(w_star, b_star)],
        start=(math.floor(w_star) - 2.5, math.floor(b_star) + 3.0),
        log_scale=False,
        axes=_AXES,
        description=f"Classifying {n} points on a line with a sigmoid. Convex but "
        "with no closed form: the minimum is where the gradient descent runs end.",
        data={"x": x, "y": y},
    )
