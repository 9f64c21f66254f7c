"""Feature inputs, as in TensorFlow Playground: x₀, x₁, x₀², x₁², x₀x₁, sin x₀, sin x₁.

A run may feed its network chosen functions of the raw inputs instead of the
raw inputs themselves: with x₀² and x₁², a network without a hidden layer
draws a circle. The features are built as the first nodes of the sample
graph (:func:`feature_values`), so every program compiled from it (training,
evaluation, the boundary grid, the units' maps, one point's graph) reads the
raw inputs and computes the features the same way. ``()`` means the raw
inputs as they are.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

import numpy as np

from ..engine import Value

#: name → (title, raw inputs it reads, on Values, on arrays)
FEATURES: dict[str, tuple[str, int, Callable, Callable]] = {
    "x0": ("x₀", 1, lambda x: x[0], lambda x: x[0]),
    "x1": ("x₁", 2, lambda x: x[1], lambda x: x[1]),
    "x0^2": ("x₀²", 1, lambda x: x[0] * x[0], lambda x: x[0] * x[0]),
    "x1^2": ("x₁²", 2, lambda x: x[1] * x[1], lambda x: x[1] * x[1]),
    "x0x1": ("x₀x₁", 2, lambda x: x[0] * x[1], lambda x: x[0] * x[1]),
    "sin_x0": ("sin x₀", 1, lambda x: x[0].sin(), lambda x: np.sin(x[0])),
    "sin_x1": ("sin x₁", 2, lambda x: x[1].sin(), lambda x: np.sin(x[1])),
}


def title(name: str) -> str:
    return FEATURES[name][0]


def check_features(names: Sequence[str]) -> tuple[str, ...]:
    """``names`` in the menu's order, each known and once (ValueError in words)."""
    names = tuple(names)
    for name in names:
        if name not in FEATURES:
            raise ValueError(
                f"unknown feature {name!r}; choose from: {', '.join(FEATURES)}"
            )
    if len(set(names)) != len(names):
        raise ValueError("each feature may be chosen once")
    return tuple(name for name in FEATURES if name in names)


def inputs_needed(names: Sequence[str]) -> int:
    """How many raw inputs the features read (0 for the raw inputs)."""
    return max((FEATURES[name][1] for name in names), default=0)


def n_features(names: Sequence[str], n_inputs: int) -> int:
    """The network's fan-in: the features, or the raw inputs."""
    return len(names) if names else n_inputs


def raw_names(n_inputs: int) -> tuple[str, ...]:
    """The features that are the raw inputs themselves (x₀, or x₀ and x₁)."""
    return ("x0", "x1")[:n_inputs]


def feature_values(names: Sequence[str], inputs: list[Value]) -> list[Value]:
    """The features as graph nodes of the raw ``inputs`` (the inputs for ``()``)."""
    if not names:
        return list(inputs)
    out = []
    for name in names:
        node = FEATURES[name][2](inputs)
        if not any(node is x for x in inputs):  # x₀ itself stays an input leaf
            node.label = FEATURES[name][0]
        out.append(node)
    return out


def feature_array(names: Sequence[str], X: np.ndarray) -> np.ndarray:
    """The features of the rows of ``X`` ``[n, n_features]`` (for drawing)."""
    X = np.asarray(X, dtype=np.float64)
    if not names:
        return X.copy()
    columns = list(X.T)
    return np.column_stack([FEATURES[name][3](columns) for name in names])
