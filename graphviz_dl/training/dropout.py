"""Dropout as input leaves of the per-sample graph, so it needs no special op.

Each hidden unit's output ``h`` is multiplied by a mask leaf ``m[l,j]``. The
mask is an *input* of the compiled program, with one value per sample:

* training: ``m = 0`` with probability ``p`` (the unit is dropped for that
  sample), else ``m = 1/(1 − p)``, so the expected value of ``h·m`` is ``h``
  and nothing needs rescaling at test time ("inverted dropout", PyTorch's);
* evaluation: ``m = 1``: every unit is kept, the network is deterministic.

The mask leaves are built with data 1.0, and any program that does not take
them as inputs reads them as that constant: evaluation programs therefore run
the very same graph with dropout off. Output units are never dropped.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from ..engine import Value
from ..numfmt import format_number


def check_rate(p: float) -> float:
    """``p`` as a float in [0, 1), else a ValueError saying why."""
    p = float(p)
    if not 0.0 <= p < 1.0:
        raise ValueError(
            f"the dropout rate is a probability in [0, 1), got {format_number(p)} "
            "(at 1 every unit would be dropped)"
        )
    return p


def mask_leaves(widths: Sequence[int]) -> list[list[Value]]:
    """One leaf ``m[l,j]`` (data 1.0: evaluation mode) per hidden unit."""
    return [
        [Value(1.0, label=f"m[{l},{j}]") for j in range(w)]
        for l, w in enumerate(widths)
    ]


def apply(outputs: Sequence[Value], masks: Sequence[Value]) -> list[Value]:
    """``h·m`` for each unit of a layer."""
    return [h * m for h, m in zip(outputs, masks)]


def sample(
    rng: np.random.Generator, p: float, n_units: int, n_samples: int
) -> np.ndarray:
    """Training masks ``[n_units, n_samples]``: 0 with probability p, else 1/(1 − p)."""
    keep = rng.random((n_units, n_samples)) >= p
    return keep * (1.0 / (1.0 - p))
