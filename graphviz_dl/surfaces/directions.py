"""Filter-normalized random directions (Li et al. 2018, "Visualizing the Loss
Landscape of Neural Nets"), for slicing a loss over many parameters.

A random direction through weight space says nothing about the loss unless
its size matches the weights': a network whose weights are 100 times larger
looks 100 times flatter along the same direction. Li et al. rescale the
direction *filter by filter* — a filter is the group of weights one neuron
multiplies its inputs by — to the norm of the same filter in the centre θ₀,
so α = 1 is a step as large as the weights themselves. Biases get no
component. Here a filter is any group of parameter indices: the training
network's neurons, or the weights of one ``linear`` node of a graph.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

Filters = Sequence[Sequence[int] | np.ndarray | slice]
"""Groups of parameter indices normalized together; indices in no group get 0."""


def filter_normalize(
    direction: np.ndarray, center: np.ndarray, filters: Filters
) -> np.ndarray:
    """``direction`` with each filter rescaled to the norm of the same filter in
    ``center``; every index outside the filters set to 0 (biases stay put)."""
    direction = np.asarray(direction, dtype=np.float64)
    center = np.asarray(center, dtype=np.float64)
    out = np.zeros_like(direction)
    for members in filters:
        d = direction[members]
        size = np.linalg.norm(d)
        if size > 0:
            out[members] = d * (np.linalg.norm(center[members]) / size)
    return out


def random_directions(
    center: np.ndarray, filters: Filters, seed: int = 0
) -> tuple[np.ndarray, np.ndarray]:
    """Two filter-normalized Gaussian directions around ``center`` (reproducible
    from ``seed``)."""
    center = np.asarray(center, dtype=np.float64)
    rng = np.random.default_rng(seed)
    n = center.shape[0]
    return (
        filter_normalize(rng.standard_normal(n), center, filters),
        filter_normalize(rng.standard_normal(n), center, filters),
    )
