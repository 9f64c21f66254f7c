"""The loss around the current weights, on a plane through weight space.

The network has hundreds of weights; a picture has two axes. A
:class:`LossPlane` fixes a centre θ₀ (the current weights) and two
directions d₁, d₂, and shows ``L(θ₀ + α·d₁ + β·d₂)`` over (α, β):

* :func:`weight_directions`: two chosen weights (α and β are then simply how
  far those two weights move; every other weight stays put);
* :func:`random_directions`: two random directions, *filter-normalized* as
  in Li et al. 2018 ("Visualizing the Loss Landscape of Neural Nets"): each
  neuron's incoming weights in the direction are rescaled to the norm of that
  neuron's weights in θ₀, so α = 1 is a step as large as the weights
  themselves, whatever their scale; biases get no component;
* :func:`pca_directions`: the two directions along which the run's
  snapshots moved most (principal components of θₜ − θ₀), so the training
  trajectory, projected onto the plane, keeps most of its shape.

The loss is the training objective over a split: the mean data loss
(dropout off) plus the L1/L2 penalty. It is computed by ONE compiled program
of the per-sample graph in which every parameter that moves is the node
``θᵢ = θ₀ᵢ + d₁ᵢ·α + d₂ᵢ·β`` and α, β are input leaves: the grid of (α, β)
and the samples broadcast against each other, so a whole 41×41 plane is one
call. The same program gives the exact gradient by (α, β), so
:meth:`LossPlane.as_surface` hands the plane to the optimizer lab as an
ordinary :class:`~graphviz_dl.surfaces.Surface` to race optimizers on.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from itertools import pairwise

import numpy as np

from ..compiled import compile_graph
from ..engine import Value
from ..surfaces import Surface, directions
from .network import build_sample_graph, nested, target_leaves

CHUNK_POINTS = 4096
"""Grid points per call when evaluating big planes (bounds working memory)."""


def _param_index(trainer, which: int | str) -> int:
    labels = trainer.network.labels
    if isinstance(which, str):
        if which not in labels:
            raise ValueError(f"no parameter is labelled {which!r} (e.g. {labels[0]!r})")
        return labels.index(which)
    if (
        isinstance(which, bool)
        or not isinstance(which, int)
        or not (0 <= which < len(labels))
    ):
        raise ValueError(
            f"parameter index {which!r} is out of range 0…{len(labels) - 1}"
        )
    return which


def weight_directions(
    trainer, first: int | str, second: int | str
) -> tuple[np.ndarray, np.ndarray]:
    """Unit directions along two parameters, by index or label (``"w[0,1,0]"``)."""
    i, j = _param_index(trainer, first), _param_index(trainer, second)
    if i == j:
        raise ValueError("choose two different weights for the two axes")
    n = trainer.network.n_params
    d1, d2 = np.zeros(n), np.zeros(n)
    d1[i] = 1.0
    d2[j] = 1.0
    return d1, d2


def neuron_filters(trainer) -> list[slice]:
    """Each neuron's incoming weights as one filter (its bias left out)."""
    filters = []
    k = 0
    for fan_in, width in pairwise(trainer.network.sizes):
        for _ in range(width):
            filters.append(slice(k, k + fan_in))
            k += fan_in + 1
    return filters


def filter_normalize(direction: np.ndarray, trainer, center: np.ndarray) -> np.ndarray:
    """Rescale each neuron's incoming weights in ``direction`` to the norm of
    the same neuron's weights in ``center``; biases set to 0 (Li et al.)."""
    return directions.filter_normalize(direction, center, neuron_filters(trainer))


def random_directions(
    trainer, seed: int = 0, *, center: np.ndarray | None = None
) -> tuple[np.ndarray, np.ndarray]:
    """Two filter-normalized Gaussian directions (reproducible from ``seed``)."""
    center = trainer.weights if center is None else np.asarray(center, dtype=np.float64)
    return directions.random_directions(center, neuron_filters(trainer), seed)


def trajectory_weights(trainer) -> np.ndarray:
    """The snapshots' weights then the current ones, ``[T, n_params]``."""
    rows = [s.weights for s in trainer.snapshots]
    if not rows or rows[-1] is not trainer.weights:
        rows.append(trainer.weights)
    return np.array(rows)


def pca_directions(
    trainer, *, center: np.ndarray | None = None
) -> tuple[np.ndarray, np.ndarray]:
    """The two principal directions of the trajectory around ``center``.

    Unit vectors; needs a trajectory that moved in two independent directions
    (at least three distinct snapshots).
    """
    center = trainer.weights if center is None else np.asarray(center, dtype=np.float64)
    moves = trajectory_weights(trainer) - center
    _, singular, vt = np.linalg.svd(moves, full_matrices=False)
    if singular.size < 2 or not singular[1] > 1e-12 * max(singular[0], 1e-300):
        raise ValueError(
            "the run has not moved in two directions yet: train a few more steps "
            "(the trajectory needs at least three distinct snapshots)"
        )
    return vt[0].copy(), vt[1].copy()


def project(
    weights: np.ndarray, center: np.ndarray, d1: np.ndarray, d2: np.ndarray
) -> np.ndarray:
    """Coordinates (α, β) of each row of ``weights`` on the plane (least squares:
    the closest point of the plane, exact when the weights lie in it)."""
    basis = np.column_stack([d1, d2])
    moves = np.atleast_2d(weights) - center
    coords, *_ = np.linalg.lstsq(basis, moves.T, rcond=None)
    return coords.T


class LossPlane:
    """``L(θ₀ + α·d₁ + β·d₂)`` over (α, β), through one compiled program.

    ``split`` is ``"train"`` (default) or ``"test"``; ``center`` defaults to
    the trainer's current weights; ``axes`` name α and β (for two chosen
    weights, their labels are a good choice). The plane keeps its own copy of
    everything it needs: the run may go on while it is drawn.
    """

    def __init__(
        self,
        trainer,
        d1: np.ndarray,
        d2: np.ndarray,
        *,
        center: np.ndarray | None = None,
        split: str = "train",
        axes: tuple[str, str] = ("α", "β"),
    ) -> None:
        network = trainer.network
        n = network.n_params
        self.center = np.array(
            trainer.weights if center is None else center, dtype=float
        )
        self.d1 = np.asarray(d1, dtype=np.float64).copy()
        self.d2 = np.asarray(d2, dtype=np.float64).copy()
        for name, array in (("center", self.center), ("d1", self.d1), ("d2", self.d2)):
            if array.shape != (n,):
                raise ValueError(f"{name} must have one entry per parameter ({n})")
        if split not in ("train", "test"):
            raise ValueError(f"split is 'train' or 'test', not {split!r}")
        rows = trainer.train_index if split == "train" else trainer.test_index
        if rows.size == 0:
            raise ValueError(f"the {split} split has no points to measure a loss on")
        self.split = split
        self.axes = axes
        self.l1, self.l2 = trainer.config.l1, trainer.config.l2
        self.is_weight = network.is_weight.copy()
        self.X = trainer.X[rows].copy()
        self.targets = trainer.targets[:, rows].copy()
        self.dataset = trainer.dataset_name
        self.trajectory = project(
            trajectory_weights(trainer), self.center, self.d1, self.d2
        )

        self.alpha, self.beta = Value(0.0, axes[0]), Value(0.0, axes[1])
        params = []
        for i, label in enumerate(network.labels):
            a, b, c = float(self.d1[i]), float(self.d2[i]), float(self.center[i])
            if a == 0.0 and b == 0.0:
                params.append(Value(c, label))
            else:
                node = Value.linear([a, b], [self.alpha, self.beta], c)
                node.label = label
                params.append(node)
        inputs = [Value(0.0, f"x{i}") for i in range(network.n_inputs)]
        targets = target_leaves(network.loss, network.n_outputs)
        graph = build_sample_graph(
            nested(params, network.sizes),
            inputs,
            targets,
            network.activation,
            network.loss,
            None,
            network.task,
            network.features,
        )
        self.graph = graph
        self.program = compile_graph(
            graph.loss, [self.alpha, self.beta, *inputs, *targets]
        )

    # --- values -----------------------------------------------------------------------------
    def _sample_columns(self) -> list[np.ndarray]:
        return [column[None, :] for column in (*self.X.T, *self.targets)]

    def _penalty(self, A: np.ndarray, B: np.ndarray) -> np.ndarray:
        if self.l1 == 0.0 and self.l2 == 0.0:
            return np.zeros(A.shape)
        w = self.is_weight
        W = self.center[w] + A[:, None] * self.d1[w] + B[:, None] * self.d2[w]
        return self.l1 * np.abs(W).sum(axis=1) + self.l2 * (W * W).sum(axis=1)

    def evaluate(self, A, B) -> np.ndarray:
        """The loss at every (α, β) of two arrays that broadcast together."""
        A, B = np.broadcast_arrays(
            np.asarray(A, dtype=np.float64), np.asarray(B, dtype=np.float64)
        )
        shape = A.shape
        a, b = A.reshape(-1), B.reshape(-1)
        out = np.empty(a.size)
        columns = self._sample_columns()
        for start in range(0, a.size, CHUNK_POINTS):
            stop = min(a.size, start + CHUNK_POINTS)
            per_sample = self.program.forward(
                a[start:stop, None], b[start:stop, None], *columns
            )
            out[start:stop] = per_sample.mean(axis=1)
        with np.errstate(all="ignore"):
            out += self._penalty(a, b)
        return out.reshape(shape)

    def value_and_grad(
        self, alpha: float, beta: float
    ) -> tuple[float, tuple[float, float]]:
        """The loss and its exact gradient by (α, β) at one point."""
        n = self.X.shape[0]
        value, (ga, gb) = self.program.value_and_grad(
            np.array([[alpha]]),
            np.array([[beta]]),
            *self._sample_columns(),
            wrt=[self.alpha, self.beta],
            cotangent=1.0 / n,
            sum_over_batch=True,
        )
        loss = float(value.mean())
        ga, gb = float(ga), float(gb)
        if self.l1 or self.l2:
            w = self.is_weight
            W = self.center[w] + alpha * self.d1[w] + beta * self.d2[w]
            slope = self.l1 * np.sign(W) + 2.0 * self.l2 * W
            loss += float(self._penalty(np.array([alpha]), np.array([beta]))[0])
            ga += float(slope @ self.d1[w])
            gb += float(slope @ self.d2[w])
        return loss, (ga, gb)

    def grid(
        self, resolution: int = 41, span: float | None = None
    ) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """``alphas``, ``betas`` and the loss ``Z[i, j]`` at ``(alphas[j], betas[i])``
        over ``[−span, span]²`` (default: :meth:`default_span`)."""
        span = self.default_span() if span is None else float(span)
        alphas = np.linspace(-span, span, resolution)
        betas = np.linspace(-span, span, resolution)
        return alphas, betas, self.evaluate(alphas[None, :], betas[:, None])

    def default_span(self) -> float:
        """1 (a step as large as the weights, for filter-normalized directions),
        widened to hold the projected trajectory with a margin."""
        reach = float(np.abs(self.trajectory).max()) if self.trajectory.size else 0.0
        return max(1.0, 1.2 * reach) if math.isfinite(reach) else 1.0

    # --- for the optimizer lab ------------------------------------------------------------
    def as_surface(self, span: float | None = None) -> Surface:
        """This plane as a :class:`~graphviz_dl.surfaces.Surface` (start at the
        centre, (0, 0)), so the optimizer lab can draw it and race on it.

        Every point of a grid costs a forward pass over every sample (about
        0.3 s for 41×41 points over 160 samples): draw it on a coarse grid
        (41 to 81 a side), in a worker; a race's single points are cheap.
        """
        span = self.default_span() if span is None else float(span)
        return Surface(
            name="network-loss",
            title=f"Network loss on {self.dataset} ({self.split})",
            formula=f"L(θ₀ + {self.axes[0]}·d₁ + {self.axes[1]}·d₂)",
            domain=((-span, span), (-span, span)),
            minima=(),
            start=(0.0, 0.0),
            log_scale=False,
            definition=self,
            axes=self.axes,
            description=(
                "The training network's loss on a plane through its current weights; "
                "the marked path is the run's trajectory projected onto the plane."
            ),
        )


def trajectory_losses(plane: LossPlane) -> np.ndarray:
    """The plane's loss at each projected trajectory point (off-plane moves
    are dropped by the projection, so this is not the run's recorded loss)."""
    t = plane.trajectory
    return plane.evaluate(t[:, 0], t[:, 1]) if t.size else np.zeros(0)


def axes_for(trainer, first: int | str, second: int | str) -> tuple[str, str]:
    """The labels of two chosen weights, for :class:`LossPlane`'s ``axes``."""
    labels: Sequence[str] = trainer.network.labels
    return labels[_param_index(trainer, first)], labels[_param_index(trainer, second)]
