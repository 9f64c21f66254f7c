"""The lab's network: an MLP traced as ONE sample's graph, compiled for batches.

The graph of one sample is what a person can open and step through; the
same graph, compiled (:mod:`graphviz_dl.compiled`), runs for a whole batch,
a 100×100 grid of the input plane or a loss landscape. Its leaves:

* inputs ``x0, x1`` (one column of the batch each);
* targets ``y`` (or one-hot ``y0, y1, y2`` for cross-entropy);
* dropout masks ``m[l,j]`` when the dropout rate is above 0
  (:mod:`.dropout`);
* the parameters ``w[l,j,i]`` and ``b[l,j]`` of :class:`graphviz_dl.nn.MLP`,
  in its order (layer by layer, neuron by neuron, weights then bias). They
  are *constants* of every program: the current weights are written into the
  program before each call, so one compiled program serves the whole run.

Nodes carry readable labels: ``z[l,j]`` a hidden unit's weighted sum,
``h[l,j]`` its output, ``z`` (or ``z[k]``) the output scores, ``ŷ`` the
regression output, ``p`` the sigmoid's probability in plain BCE and ``L`` the
sample's loss.

Several nodes are read at once with *taps*: the root ``Σ cₖ·nodeₖ`` with tap
leaves ``cₖ`` as inputs has ``∂root/∂cₖ = nodeₖ``, so one forward pass plus a
backward pass over the taps alone (a sum and a product per tap) gives every
wanted node for every sample, exactly.
"""

from __future__ import annotations

import threading
from collections.abc import Sequence
from dataclasses import dataclass
from itertools import pairwise

import numpy as np

from .. import losses, nn
from ..compiled import GraphInputError, compile_graph
from ..engine import Value
from ..groups import Group, current, put_in_group
from ..losses import per_sample_loss
from . import dropout
from .features import check_features, feature_values

LOSSES_BY_TASK: dict[str, tuple[str, ...]] = {
    "binary": ("bce_with_logits", "bce", "hinge"),
    "multiclass": ("cross_entropy",),
    "regression": ("mse", "l1"),
}
"""The losses that fit each task; the first is the default."""

LOSS_TITLES = {
    "bce_with_logits": "sigmoid + binary cross-entropy (stable form, on the score z)",
    "bce": "sigmoid, then binary cross-entropy of p (the notes' form: log p can be log 0)",
    "hinge": "hinge loss max(0, 1 − y·z) with y = ±1",
    "cross_entropy": "softmax + cross-entropy",
    "mse": "mean squared error",
    "l1": "mean absolute error (L1)",
}

INITS = ("small", *nn.INITS)
"""Weight initializations: ``small`` is U(−0.1, 0.1), the notes' "small random
weights" (micrograd's U(−1, 1) draws scaled by :data:`SMALL_INIT_SCALE`);
the others are :data:`graphviz_dl.nn.INITS`. Biases start at 0."""
SMALL_INIT_SCALE = 0.1

LayerParams = list[list[tuple[list[Value], Value]]]
"""Per layer, per neuron: its weights and its bias."""


def layer_parameters(mlp: nn.MLP) -> LayerParams:
    """The MLP's parameters arranged per layer and neuron."""
    return [[(list(n.w), n.b) for n in layer.neurons] for layer in mlp.layers]


def nested(params: Sequence[Value], sizes: Sequence[int]) -> LayerParams:
    """Flat parameters in ``nn.MLP`` order, arranged per layer and neuron."""
    out: LayerParams = []
    k = 0
    for fan_in, width in pairwise(sizes):
        layer = []
        for _ in range(width):
            layer.append((list(params[k : k + fan_in]), params[k + fan_in]))
            k += fan_in + 1
        out.append(layer)
    return out


@dataclass(eq=False)
class SampleGraph:
    """One sample's graph and its named parts (the root is :attr:`loss`)."""

    inputs: list[Value]
    targets: list[Value]
    masks: list[list[Value]]
    pre: list[list[Value]]
    hidden: list[list[Value]]
    outputs: list[Value]
    prediction: Value | None
    loss: Value


def build_sample_graph(
    layers: LayerParams,
    inputs: list[Value],
    targets: list[Value],
    activation: str,
    loss: str,
    masks: list[list[Value]] | None = None,
    task: str = "binary",
    features: Sequence[str] = (),
) -> SampleGraph:
    """The forward pass and loss of one sample, labelled.

    ``features`` (:mod:`.features`) are computed from the raw ``inputs``
    first and fed to the first layer. Hidden layers use ``activation``; the
    output layer is linear (raw scores; the loss applies its own sigmoid or
    softmax). With ``masks``, every hidden unit's output is multiplied by its
    mask leaf (dropout).
    """
    activate = nn.ACTIVATIONS[activation]
    last = len(layers) - 1
    h: list[Value] = feature_values(features, inputs)
    pre: list[list[Value]] = []
    hidden: list[list[Value]] = []
    outputs: list[Value] = []
    network = Group("MLP", "network", current())
    for l, layer in enumerate(layers):
        zs = [Value.linear(w, h, b) for w, b in layer]
        if l == last:
            outputs = zs
            _put_in_groups(network, l, layer, [zs])
            break
        hs = zs if activate is None else [activate(z) for z in zs]
        for j, (z, a) in enumerate(zip(zs, hs)):
            z.label = f"z[{l},{j}]"
            a.label = f"h[{l},{j}]"
        pre.append(zs)
        hidden.append(hs)
        h = dropout.apply(hs, masks[l]) if masks else hs
        _put_in_groups(network, l, layer, [zs, hs, h, *([masks[l]] if masks else [])])
    if len(outputs) == 1:
        outputs[0].label = "ŷ" if task == "regression" else "z"
    else:
        for k, z in enumerate(outputs):
            z.label = f"z[{k}]"
    prediction = None
    if loss == "bce":
        prediction = outputs[0].sigmoid()
        prediction.label = "p"
        root = losses.bce(prediction, targets[0])
    else:
        root = per_sample_loss(loss, outputs, targets)
    root.label = "L"
    return SampleGraph(
        inputs, targets, masks or [], pre, hidden, outputs, prediction, root
    )


def _put_in_groups(
    network: Group,
    l: int,
    layer: Sequence[tuple[list[Value], Value]],
    per_unit: list[list[Value]],
) -> None:
    """Layer ``l``'s neurons as groups (MLP ▸ layer ▸ neuron, counted from 1),
    each with its weights, bias and the nodes in ``per_unit``, so the explorer
    can fold a sample's graph by layer."""
    group = Group(f"layer {l + 1}", "layer", network)
    for j, (w, b) in enumerate(layer):
        members = [*w, b, *(nodes[j] for nodes in per_unit)]
        put_in_group(members, Group(f"neuron {j + 1}", "neuron", group))


def target_leaves(loss: str, n_outputs: int) -> list[Value]:
    if loss == "cross_entropy":
        return [Value(0.0, label=f"y{k}") for k in range(n_outputs)]
    return [Value(0.0, label="y")]


def encode_targets(loss: str, y: np.ndarray, n_outputs: int) -> np.ndarray:
    """Targets as the graph reads them: ``[n_target_leaves, n]``.

    Hinge takes ±1 (from labels 0/1), cross-entropy one-hot columns, the
    others the label or value itself.
    """
    y = np.asarray(y)
    if loss == "cross_entropy":
        return np.eye(n_outputs)[y.astype(np.intp)].T.copy()
    if loss == "hinge":
        return (2.0 * y - 1.0)[None, :].astype(np.float64)
    return y.astype(np.float64)[None, :]


class Readout:
    """Several nodes of one graph, read for whole arrays of inputs at once.

    ``read(theta, arrays)`` returns ``[len(nodes), *shape]``: each node's
    value for every element of the broadcast input arrays, at the weights
    ``theta`` (flat, ``nn.MLP`` order). One node is read with a plain forward
    pass; several through taps (see the module docstring).
    """

    def __init__(
        self, nodes: Sequence[Value], inputs: Sequence[Value], params: Sequence[Value]
    ) -> None:
        self.nodes = list(nodes)
        if len(self.nodes) == 1:
            self.taps: list[Value] = []
            root = self.nodes[0]
        else:
            self.taps = [Value(0.0, label=f"tap{k}") for k in range(len(self.nodes))]
            root = Value.sum([c * node for c, node in zip(self.taps, self.nodes)])
        self.program = compile_graph(root, [*inputs, *self.taps])
        self._where, self._which = _parameter_slots(self.program, params)

    def read(
        self,
        theta: np.ndarray,
        arrays: Sequence[np.ndarray | float],
        which: Sequence[int] | None = None,
    ) -> np.ndarray:
        """The nodes ``which`` (default all) at weights ``theta``."""
        program = self.program
        program.leaf_values[self._where] = theta[self._which]
        if not self.taps:
            return program.forward(*arrays)[None]
        wanted = self.taps if which is None else [self.taps[k] for k in which]
        zeros = [0.0] * len(self.taps)
        _, grads = program.value_and_grad(*arrays, *zeros, wrt=wanted, stacked=True)
        return grads


def _parameter_slots(program, params: Sequence[Value]) -> tuple[np.ndarray, np.ndarray]:
    """Where each parameter the program uses sits in its leaf values."""
    where, which = [], []
    for k, p in enumerate(params):
        try:
            where.append(program.leaf_index(p))
        except GraphInputError:
            continue  # this program does not depend on that parameter
        which.append(k)
    return np.array(where, dtype=np.intp), np.array(which, dtype=np.intp)


class Network:
    """An MLP of the lab: its parameters, its traced sample graph, its programs.

    ``sizes`` is ``[n_inputs, *hidden, n_outputs]``. The parameters' current
    values live in their Values' ``data`` (where :mod:`graphviz_dl.optim`
    steps them); :meth:`weights` copies them into a flat array.

    The training program belongs to the thread that trains; the read-out
    programs (evaluation, grids, unit maps) are compiled once per thread, so
    a view may draw from another thread at weights it passes explicitly.
    """

    def __init__(
        self,
        sizes: Sequence[int],
        *,
        activation: str,
        init: str,
        loss: str,
        task: str,
        dropout_rate: float = 0.0,
        seed: int = 0,
        features: Sequence[str] = (),
        n_inputs: int | None = None,
    ) -> None:
        """``sizes[0]`` is the first layer's fan-in: the number of
        ``features``, or of raw inputs when there are none (``n_inputs``
        raw inputs, by default ``sizes[0]``)."""
        self.sizes = [int(s) for s in sizes]
        self.features = check_features(features)
        self.activation = activation
        self.init = init
        self.loss = loss
        self.task = task
        self.dropout_rate = dropout.check_rate(dropout_rate)
        self.n_inputs = self.sizes[0] if n_inputs is None else int(n_inputs)
        self.n_outputs = self.sizes[-1]
        self.widths = self.sizes[1:-1]
        self.mlp = nn.MLP(
            self.sizes[0],
            self.sizes[1:],
            activation,
            seed=seed,
            init="uniform" if init == "small" else init,
        )
        self.params: list[Value] = self.mlp.parameters()
        self.labels = [p.label for p in self.params]
        self.is_weight = np.array([lab.startswith("w") for lab in self.labels])
        if init == "small":
            for p, is_weight in zip(self.params, self.is_weight):
                if is_weight:
                    p.data *= SMALL_INIT_SCALE
        inputs = [Value(0.0, label=f"x{i}") for i in range(self.n_inputs)]
        targets = target_leaves(loss, self.n_outputs)
        masks = dropout.mask_leaves(self.widths) if self.dropout_rate > 0 else None
        self.graph = build_sample_graph(
            layer_parameters(self.mlp),
            inputs,
            targets,
            activation,
            loss,
            masks,
            task,
            self.features,
        )
        self.n_units = sum(self.widths)
        flat_masks = [m for layer in self.graph.masks for m in layer]
        self._train = compile_graph(self.graph.loss, [*inputs, *targets, *flat_masks])
        self._train_where, _ = _parameter_slots(self._train, self.params)
        self._masked: tuple | None = None  # built when dropout is turned on later
        self._programs: dict[int, dict] = {}  # thread id → its read-out programs

    # --- parameters -------------------------------------------------------------------
    @property
    def n_params(self) -> int:
        return len(self.params)

    def weights(self) -> np.ndarray:
        """The current parameters as a new flat array (``nn.MLP`` order)."""
        return np.array([p.data for p in self.params])

    def set_weights(self, theta: np.ndarray) -> None:
        for p, value in zip(self.params, np.asarray(theta, dtype=np.float64).tolist()):
            p.data = value

    def unpack(self, theta: np.ndarray) -> list[tuple[np.ndarray, np.ndarray]]:
        """``[(W, b)]`` per layer, ``W`` of shape ``[width, fan_in]`` (for drawing)."""
        out, k = [], 0
        for fan_in, width in pairwise(self.sizes):
            block = np.asarray(theta[k : k + width * (fan_in + 1)]).reshape(
                width, fan_in + 1
            )
            out.append((block[:, :fan_in].copy(), block[:, fan_in].copy()))
            k += width * (fan_in + 1)
        return out

    # --- training -----------------------------------------------------------------------
    def loss_and_grads(
        self,
        theta: np.ndarray,
        X: np.ndarray,
        targets: np.ndarray,
        masks: np.ndarray | None = None,
    ) -> tuple[float, np.ndarray]:
        """Mean data loss over the rows of ``X`` and its gradient (flat).

        ``targets`` as :func:`encode_targets` gives them; ``masks``
        ``[n_units, n]`` for dropout (None: every mask 1, evaluation mode).
        """
        n = X.shape[0]
        program, where, has_masks = self._train, self._train_where, self.graph.masks
        if masks is not None and not has_masks and self.n_units:
            program, where = self._masked_program()
            has_masks = True
        program.leaf_values[where] = theta
        arrays = [*X.T, *targets]
        if has_masks:
            arrays += list(masks) if masks is not None else [1.0] * self.n_units
        out, grads = program.value_and_grad(
            *arrays,
            wrt=self.params,
            cotangent=1.0 / n,
            sum_over_batch=True,
            stacked=True,
        )
        return float(out.sum() / n), grads

    def _masked_program(self) -> tuple:
        """The training program with dropout masks, for a run that started
        without dropout and had it turned on while training (built once)."""
        if self._masked is None:
            inputs = [Value(0.0, label=f"x{i}") for i in range(self.n_inputs)]
            targets = target_leaves(self.loss, self.n_outputs)
            masks = dropout.mask_leaves(self.widths)
            graph = build_sample_graph(
                layer_parameters(self.mlp),
                inputs,
                targets,
                self.activation,
                self.loss,
                masks,
                self.task,
                self.features,
            )
            flat = [m for layer in graph.masks for m in layer]
            program = compile_graph(graph.loss, [*inputs, *targets, *flat])
            self._masked = (program, _parameter_slots(program, self.params)[0])
        return self._masked

    def penalty(
        self, theta: np.ndarray, l1: float, l2: float
    ) -> tuple[float, np.ndarray]:
        """``l1·Σ|w| + l2·Σw²`` over the weights (not the biases) and its gradient."""
        grad = np.zeros_like(theta)
        if l1 == 0.0 and l2 == 0.0:
            return 0.0, grad
        w = theta[self.is_weight]
        with np.errstate(all="ignore"):
            value = l1 * float(np.abs(w).sum()) + l2 * float((w * w).sum())
            grad[self.is_weight] = l1 * np.sign(w) + 2.0 * l2 * w
        return value, grad

    # --- reading the network out ----------------------------------------------------------
    def _readouts(self):
        # keyed by the OS thread, not threading.local: a job runner's pool thread
        # gets a new Python thread state (and empty locals) for every job
        return self._programs.setdefault(threading.get_ident(), {})

    def readout(self, kind: str) -> Readout:
        """This thread's read-out program of ``kind``:

        * ``"eval"``: the outputs and the loss (inputs x…, targets…);
        * ``"outputs"``: the outputs only (inputs x…);
        * ``"units"``: every hidden unit's ``z`` then ``h``, layer by layer,
          then the outputs (inputs x…).
        """
        programs = self._readouts()
        program = programs.get(kind)
        if program is None:
            g = self.graph
            if kind == "eval":
                program = Readout(
                    [*g.outputs, g.loss], [*g.inputs, *g.targets], self.params
                )
            elif kind == "outputs":
                program = Readout(g.outputs, g.inputs, self.params)
            elif kind == "units":
                nodes = [n for zs, hs in zip(g.pre, g.hidden) for n in (*zs, *hs)]
                program = Readout([*nodes, *g.outputs], g.inputs, self.params)
            else:
                raise ValueError(f"unknown read-out {kind!r}")
            programs[kind] = program
        return program

    def outputs(self, theta: np.ndarray, X: np.ndarray) -> np.ndarray:
        """Raw outputs ``[n, n_outputs]`` for the rows of X (evaluation mode)."""
        return self.readout("outputs").read(theta, list(X.T)).T

    def outputs_and_losses(
        self, theta: np.ndarray, X: np.ndarray, targets: np.ndarray
    ) -> tuple[np.ndarray, np.ndarray]:
        """Raw outputs ``[n, n_outputs]`` and per-sample losses ``[n]``."""
        rows = self.readout("eval").read(theta, [*X.T, *targets])
        return rows[:-1].T, rows[-1]

    def activations(
        self, theta: np.ndarray, X: np.ndarray
    ) -> tuple[list[np.ndarray], list[np.ndarray], np.ndarray]:
        """Per hidden layer ``z`` and ``h`` as ``[width, n]``, and the outputs."""
        rows = self.readout("units").read(theta, list(X.T))
        pre, post, k = [], [], 0
        for width in self.widths:
            pre.append(rows[k : k + width])
            post.append(rows[k + width : k + 2 * width])
            k += 2 * width
        return pre, post, rows[k:]

    def unit_outputs(
        self, theta: np.ndarray, arrays: Sequence
    ) -> tuple[list[np.ndarray], np.ndarray]:
        """Every hidden unit's output ``h`` (``[width, *shape]`` per layer) and
        the outputs (``[n_outputs, *shape]``) on broadcast input arrays (a grid)."""
        which, k = [], 0
        for width in self.widths:
            which.extend(range(k + width, k + 2 * width))
            k += 2 * width
        which.extend(range(k, k + self.n_outputs))
        rows = self.readout("units").read(theta, arrays, which)
        hidden, k = [], 0
        for width in self.widths:
            hidden.append(rows[k : k + width])
            k += width
        return hidden, rows[k:]


def predictions(
    loss: str, outputs: np.ndarray
) -> tuple[np.ndarray | None, np.ndarray | None]:
    """Probabilities and predicted classes from raw outputs ``[..., n_outputs]``.

    Sigmoid for the BCE losses (``[..., 2]``: P(class 0), P(class 1)), softmax
    for cross-entropy; hinge gives classes without probabilities (a score is
    not a probability) and regression neither.
    """
    if loss == "cross_entropy":
        shifted = outputs - outputs.max(axis=-1, keepdims=True)
        e = np.exp(shifted)
        probs = e / e.sum(axis=-1, keepdims=True)
        return probs, np.argmax(outputs, axis=-1)
    if loss in ("bce", "bce_with_logits"):
        from scipy.special import expit  # imported when first needed (~0.2 s)

        p1 = expit(outputs[..., 0])
        return np.stack([1.0 - p1, p1], axis=-1), (outputs[..., 0] > 0).astype(np.int64)
    if loss == "hinge":
        return None, (outputs[..., 0] > 0).astype(np.int64)
    return None, None
