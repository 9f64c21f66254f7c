"""A whole batch's training step for an ``nn.MLP``, through its compiled graph:
the compiled tier the ``compile`` benchmark measures.

The MLP is traced once on one sample (input leaves ``x0, x1, …``, target
leaves ``y0, …``) with its per-sample loss, then the same graph runs for every
sample of a batch at once. The parameters are shared by all samples, so they
stay single numbers and their gradients are summed over the batch as they
are computed: a layer of neurons becomes one matrix product each way.

The result equals building the batch's graph with Values and calling
``backward()``, at a small fraction of the cost: the loss is the mean of the
per-sample losses (as in :mod:`graphviz_dl.losses`; or their sum, with
``reduction="sum"``), the gradients likewise, in ``mlp.parameters()`` order.
"""

from __future__ import annotations

from array import array

import numpy as np

from ..compiled import GraphInputError, compile_graph
from ..compiled.program import CompiledGraph
from ..engine import Value
from ..losses import per_sample_loss
from ..nn import MLP

LOSSES = ("mse", "l1", "bce_with_logits", "hinge", "cross_entropy")
"""Per-sample losses the batch step can use (the names of :mod:`losses`)."""


class MLPBatchStep:
    """Loss and gradients of an MLP over a batch ``X [n, nin]``, ``y`` targets.

    ``y`` is ``[n]`` (or ``[n, nout]``) numbers for ``mse``/``l1``, 0/1 labels
    for ``bce_with_logits``, −1/+1 labels for ``hinge``, class indices for
    ``cross_entropy``. The parameters' current ``data`` is read at every call,
    so an optimizer can step them in between.
    """

    def __init__(self, mlp: MLP, loss: str = "mse", *, reduction: str = "mean") -> None:
        if loss not in LOSSES:
            raise ValueError(
                f"unknown loss {loss!r}; choose one of: {', '.join(LOSSES)}"
            )
        if reduction not in ("mean", "sum"):
            raise ValueError(f"reduction is 'mean' or 'sum', not {reduction!r}")
        self.mlp = mlp
        self.loss = loss
        self.reduction = reduction
        self.nin = len(mlp.layers[0].neurons[0].w)
        self.nout = len(mlp.layers[-1].neurons)
        if loss == "cross_entropy" and self.nout < 2:
            raise ValueError(
                "cross_entropy needs an MLP with one output per class (≥ 2)"
            )
        if loss in ("bce_with_logits", "hinge") and self.nout != 1:
            raise ValueError(f"{loss} needs an MLP with one output, not {self.nout}")
        self.inputs = [Value(0.0, label=f"x{i}") for i in range(self.nin)]
        self.targets = [Value(0.0, label=f"y{k}") for k in range(self.nout)]
        out = mlp(self.inputs)
        self.outputs = out if isinstance(out, list) else [out]
        self.sample_loss = per_sample_loss(loss, self.outputs, self.targets)
        self.parameters = mlp.parameters()
        self.program = compile_graph(self.sample_loss, [*self.inputs, *self.targets])
        program = self.program
        self._param_pos = np.array(
            [program.leaf_index(p) for p in self.parameters], dtype=np.intp
        )
        self._gradient = program.summed_gradient(self.parameters)
        self._predictors: list[CompiledGraph] | None = None

    # --- the batch ---------------------------------------------------------------------
    def _columns(self, X, y) -> tuple[list[np.ndarray], int]:
        X = np.asarray(X, dtype=np.float64)
        if X.ndim != 2 or X.shape[1] != self.nin:
            raise GraphInputError(
                f"X must be [samples, {self.nin}] (one column per input), "
                f"not of shape {X.shape}"
            )
        n = X.shape[0]
        if n == 0:
            raise GraphInputError("the batch is empty: X has no rows")
        return [*X.T, *self._target_columns(y, n)], n

    def _target_columns(self, y, n: int) -> list[np.ndarray]:
        y = np.asarray(y)
        if y.dtype.kind not in "biuf":
            raise GraphInputError(f"y must be numbers, not an array of {y.dtype}")
        if self.loss == "cross_entropy":
            if y.shape != (n,) or not np.array_equal(y, np.round(y)):
                raise GraphInputError(
                    f"y must be {n} class indices (whole numbers), one per row of X"
                )
            labels = y.astype(np.intp)
            if labels.min() < 0 or labels.max() >= self.nout:
                raise GraphInputError(
                    f"class indices run from 0 to {self.nout - 1}; "
                    f"got {labels.min()} to {labels.max()}"
                )
            return list(np.eye(self.nout)[labels].T)
        y = y.astype(np.float64, copy=False)
        if self.nout == 1 and y.shape == (n,):
            columns = [y]
        elif y.shape == (n, self.nout):
            columns = list(y.T)
        else:
            raise GraphInputError(
                f"y must be of shape ({n},) or ({n}, {self.nout}), not {y.shape}"
            )
        if self.loss == "hinge" and not np.isin(y, (-1.0, 1.0)).all():
            raise GraphInputError(
                "hinge labels are −1 or +1 (use 2·y − 1 for 0/1 labels)"
            )
        return columns

    # --- the step --------------------------------------------------------------------
    def loss_and_grads(
        self, X, y, params: np.ndarray | None = None
    ) -> tuple[float, np.ndarray]:
        """The batch loss and its gradient, one entry per parameter (flat).

        ``params``, one number per parameter in ``parameters()`` order, is used
        instead of each parameter's ``data`` when given: a loop that keeps the
        weights in one array (as the training lab does) saves reading hundreds
        of Values per step, which costs about as much as the step's numpy work.
        """
        columns, n = self._columns(X, y)
        program = self.program
        leaf_values = program.leaf_values
        if params is not None:
            leaf_values[self._param_pos] = params
        else:  # array('d') turns the list of floats into doubles fastest.
            leaf_values[self._param_pos] = np.frombuffer(
                array("d", [p.data for p in self.parameters])
            )
        scale = 1.0 / n if self.reduction == "mean" else 1.0
        out, grads = self._gradient(columns, cotangent=scale)
        total = float(out.sum()) * scale
        return total, grads

    def write_grads(self, grads: np.ndarray, *, accumulate: bool = False) -> None:
        """Put the gradients in the parameters' ``.grad`` (where optimizers read)."""
        if accumulate:
            for p, g in zip(self.parameters, grads.tolist()):
                p.grad += g
        else:
            for p, g in zip(self.parameters, grads.tolist()):
                p.grad = g

    def __call__(self, X, y) -> float:
        """Loss and backward for a batch: the gradients land in ``.grad``; the loss
        is returned. Gradients replace (not add to) what was there, like a
        ``zero_grad()`` then ``backward()``."""
        loss, grads = self.loss_and_grads(X, y)
        self.write_grads(grads)
        return loss

    def predict(self, X) -> np.ndarray:
        """The MLP's raw outputs for every row of X: ``[n]``, or ``[n, nout]``."""
        X = np.asarray(X, dtype=np.float64)
        if X.ndim != 2 or X.shape[1] != self.nin:
            raise GraphInputError(
                f"X must be [samples, {self.nin}], not of shape {X.shape}"
            )
        if self._predictors is None:
            self._predictors = [compile_graph(o, self.inputs) for o in self.outputs]
        columns = list(X.T)
        results = []
        for program in self._predictors:
            program.refresh_constants()  # the weights as they are now
            results.append(program.forward(*columns))
        out = np.stack(results, axis=-1)
        return out[:, 0] if self.nout == 1 else out
