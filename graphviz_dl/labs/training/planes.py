"""The loss around a run's weights on a plane, for the optimizer lab to show."""

from __future__ import annotations

import numpy as np

from ...training import Trainer, landscape


def loss_plane(
    trainer: Trainer,
    center: np.ndarray,
    mode: str = "random",
    first: str | None = None,
    second: str | None = None,
) -> landscape.LossPlane:
    """The loss around ``center`` on a plane: ``random`` (filter-normalized
    directions), ``weights`` (the weights named ``first`` and ``second``) or
    ``pca`` (the run's two main directions)."""
    axes = ("α", "β")
    if mode == "weights":
        d1, d2 = landscape.weight_directions(trainer, first, second)
        axes = landscape.axes_for(trainer, first, second)
    elif mode == "pca":
        d1, d2 = landscape.pca_directions(trainer, center=center)
    elif mode == "random":
        d1, d2 = landscape.random_directions(trainer, center=center)
    else:
        raise ValueError(f"unknown plane {mode!r}: random, weights or pca")
    return landscape.LossPlane(trainer, d1, d2, center=center, axes=axes)
