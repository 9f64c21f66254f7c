"""Looking inside a run: one sample's graph, the boundary, each unit's map.

Every function takes the trainer and optional ``params`` (flat weights, e.g.
``trainer.snapshots[i].weights`` while scrubbing the timeline); without
them, the current weights. Nothing here changes the trainer, and the
compiled programs used are the calling thread's own, so a view may call
these while a worker trains.

Grids are row-major, as images are drawn: ``values[i, j]`` is at
``x = xs[j]``, ``y = ys[i]``. ``extent`` is ``(x_min, x_max, y_min, y_max)``,
by default the data's (``trainer.extent``, from
:meth:`graphviz_dl.datasets.Dataset.extent`).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from .. import losses
from ..engine import Value
from .network import build_sample_graph, nested, predictions, target_leaves

Extent = tuple[float, float, float, float]


def _theta(trainer, params) -> np.ndarray:
    return trainer.weights if params is None else np.asarray(params, dtype=np.float64)


def sample_graph(
    trainer,
    index: int,
    *,
    params: np.ndarray | None = None,
    include_penalty: bool = False,
) -> Value:
    """The full scalar graph of data point ``index`` at the given weights.

    Inputs ``x0, x1``, the target ``y`` (``y0…`` one-hot for cross-entropy,
    ±1 for hinge), every weight ``w[l,j,i]`` and bias ``b[l,j]`` as labelled
    leaves; hidden units ``z[l,j]`` → ``h[l,j]``; outputs ``z``/``z[k]``/``ŷ``
    (and ``p`` for plain BCE); the root ``L`` is the point's loss, equal to the
    loss the trainer computes for it (dropout off, as in evaluation). With
    ``include_penalty`` the root is ``J = L + λ₁Σ|w| + λ₂Σw²``: one sample's
    share of the training objective. The graph is new: calling
    ``backward()`` on it touches nothing of the trainer.
    """
    n = trainer.X.shape[0]
    if not 0 <= index < n:
        raise IndexError(f"there is no point {index} (the data has {n} points)")
    network = trainer.network
    theta = _theta(trainer, params)
    leaves = [Value(v, label) for v, label in zip(theta.tolist(), network.labels)]
    inputs = [Value(v, f"x{i}") for i, v in enumerate(trainer.X[index].tolist())]
    targets = target_leaves(network.loss, network.n_outputs)
    for leaf, value in zip(targets, trainer.targets[:, index].tolist()):
        leaf.data = value
    graph = build_sample_graph(
        nested(leaves, network.sizes),
        inputs,
        targets,
        network.activation,
        network.loss,
        None,
        network.task,
        network.features,
    )
    root = graph.loss
    l1, l2 = trainer.config.l1, trainer.config.l2
    if include_penalty and (l1 or l2):
        weights = [w for w, is_w in zip(leaves, network.is_weight) if is_w]
        terms = [root]
        if l1:
            terms.append(l1 * losses.l1_penalty(weights))
        if l2:
            terms.append(l2 * losses.l2_penalty(weights))
        root = Value.sum(terms)
        root.label = "J"
    return root


@dataclass(frozen=True)
class Boundary:
    """The network's answer over the input plane (or the input line).

    2-D inputs: ``outputs`` ``[ny, nx]`` (one output) or ``[ny, nx, K]``;
    ``probabilities`` ``[ny, nx, classes]`` (sigmoid or softmax; None for
    hinge and regression) and ``classes`` ``[ny, nx]`` (None for regression).
    1-D inputs (regression): ``ys`` is None and ``outputs`` is ``[nx]``, the
    curve ŷ(x).
    """

    xs: np.ndarray
    ys: np.ndarray | None
    outputs: np.ndarray
    probabilities: np.ndarray | None
    classes: np.ndarray | None
    extent: Extent


def _axes(trainer, resolution: int, extent: Extent | None):
    if (
        isinstance(resolution, bool)
        or not isinstance(resolution, int)
        or resolution < 2
    ):
        raise ValueError(
            f"the resolution must be a whole number ≥ 2, got {resolution!r}"
        )
    extent = trainer.extent if extent is None else tuple(map(float, extent))
    xs = np.linspace(extent[0], extent[1], resolution)
    n_inputs = trainer.X.shape[1]
    if n_inputs == 1:
        return extent, xs, None, [xs]
    if n_inputs != 2:
        raise ValueError(
            f"the input plane needs 1 or 2 inputs; this data has {n_inputs}"
        )
    ys = np.linspace(extent[2], extent[3], resolution)
    return extent, xs, ys, [xs[None, :], ys[:, None]]


def boundary(
    trainer,
    resolution: int = 100,
    extent: Extent | None = None,
    *,
    params: np.ndarray | None = None,
) -> Boundary:
    """The decision boundary (or regression curve) on a ``resolution``² grid,
    computed by the compiled program in one call over the whole grid."""
    extent, xs, ys, arrays = _axes(trainer, resolution, extent)
    network = trainer.network
    rows = network.readout("outputs").read(_theta(trainer, params), arrays)
    outputs = np.moveaxis(rows, 0, -1)
    probabilities, classes = predictions(network.loss, outputs)
    if rows.shape[0] == 1:
        outputs = outputs[..., 0]
    return Boundary(xs, ys, outputs, probabilities, classes, extent)


@dataclass(frozen=True)
class UnitMaps:
    """Each hidden unit's output over the plane: ``layers[l][j]`` is ``[ny, nx]``
    (``[nx]`` for 1-D inputs); ``outputs[k]`` the same for the output scores."""

    xs: np.ndarray
    ys: np.ndarray | None
    layers: list[np.ndarray]
    outputs: np.ndarray
    extent: Extent


def unit_maps(
    trainer,
    resolution: int = 24,
    extent: Extent | None = None,
    *,
    params: np.ndarray | None = None,
) -> UnitMaps:
    """Every unit's output on a small grid: the network diagram's heat maps."""
    extent, xs, ys, arrays = _axes(trainer, resolution, extent)
    hidden, outputs = trainer.network.unit_outputs(_theta(trainer, params), arrays)
    return UnitMaps(xs, ys, hidden, outputs, extent)
