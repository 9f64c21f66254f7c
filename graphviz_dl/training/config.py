"""Every knob of a training run, in one frozen, validated dataclass.

A :class:`TrainingConfig` is a value: change a knob with
``dataclasses.replace(config, lr=…)`` (or :meth:`TrainingConfig.with_changes`)
and start a new :class:`~graphviz_dl.training.trainer.Trainer`. Building one
checks every field on its own and says what is wrong in words; whether it
fits a dataset (a loss for the task, enough points) is checked by
:meth:`TrainingConfig.check` when a trainer is made.

Optimizers and learning-rate schedules are the optimizer lab's
(:data:`graphviz_dl.optimizer_menu.OPTIMIZERS`, :data:`graphviz_dl.optimizer_menu.SCHEDULES`),
with the same hyperparameter names and slider ranges: ``optimizer="adam"``,
``hyper={"lr": 0.03, "beta1": 0.9}``, ``schedule="cosine:T_max=200"``.
The schedule steps once per epoch (``plateau`` watches the test loss).
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass, replace
from itertools import pairwise

from .. import nn
from ..engine import Value
from ..numfmt import format_number
from ..optimizer_menu import (
    OPTIMIZERS,
    SCHEDULES,
    check_hyperparameters,
    make_optimizer,
    parse_schedule,
)
from . import network
from .dropout import check_rate
from .features import FEATURES, check_features, inputs_needed, n_features, title
from .network import LOSSES_BY_TASK

ACTIVATIONS = tuple(nn.ACTIVATIONS)
"""relu, tanh, sigmoid, leaky_relu (slope 0.01), gelu, linear."""
INITS = network.INITS
"""small (U(−0.1, 0.1)), uniform (U(−1, 1)), xavier (Glorot uniform), he
(normal, variance 2/fan_in)."""
TRAINING_OPTIMIZERS = tuple(kind for kind in OPTIMIZERS if kind != "linesearch")
"""The optimizer lab's optimizers that fit a training loop (all but the line
search, which needs the whole loss at every trial step)."""

MAX_LAYERS = 8
MAX_WIDTH = 256
MAX_PARAMETERS = 10_000
"""Beyond this the per-parameter optimizer step (Python) makes a step take
more than about a tenth of a second, and the lab stops feeling live."""


def _whole(name: str, value: object, low: int, high: int | None = None) -> int:
    if isinstance(value, bool) or not isinstance(value, int):
        raise TypeError(f"{name} must be a whole number, got {value!r}")
    if value < low or (high is not None and value > high):
        bound = f"from {low} to {high}" if high is not None else f"≥ {low}"
        raise ValueError(f"{name} must be {bound}, got {value}")
    return value


def _real(name: str, value: object, low: float = 0.0) -> float:
    try:
        value = float(value)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        raise ValueError(f"{name} must be a number, got {value!r}") from None
    if not (math.isfinite(value) and value >= low):
        raise ValueError(
            f"{name} must be a finite number ≥ {format_number(low)}, "
            f"got {format_number(value)}"
        )
    return value


def _choice(kind: str, value: str, choices) -> str:
    if value not in choices:
        raise ValueError(
            f"unknown {kind} {value!r}; choose one of: {', '.join(choices)}"
        )
    return value


@dataclass(frozen=True)
class TrainingConfig:
    """A training run's settings (the defaults learn moons and XOR in seconds).

    * model: ``features`` fed to the network (:mod:`.features`; ``()``: the
      raw inputs), ``hidden`` widths (``()`` is a linear model), ``activation``,
      ``init``; the output layer is linear and ``loss`` (``"auto"``: the
      first of :data:`~.network.LOSSES_BY_TASK` for the task) applies its own
      sigmoid or softmax;
    * regularization: ``l1`` and ``l2`` penalty strengths (λ·Σ|w|, λ·Σw² on the
      weights, not the biases), ``dropout`` rate (training only);
    * loop: ``batch_size`` (1 = SGD, ``None`` = the full batch, or anything
      between), ``optimizer`` with ``hyper`` (its hyperparameters, ``lr``
      among them), ``schedule``;
    * ``early_stopping`` after ``patience`` epochs without the test loss
      improving by more than ``min_delta``, returning to the best weights
      when ``restore_best``;
    * ``snapshot_every`` steps a snapshot is kept for rewinding (at most
      ``max_snapshots``: beyond, every other one is dropped and the interval
      doubles);
    * ``seed``: the starting weights, the batch order and the dropout masks.
    """

    hidden: tuple[int, ...] = (8, 8)
    activation: str = "tanh"
    init: str = "xavier"
    loss: str = "auto"
    l1: float = 0.0
    l2: float = 0.0
    dropout: float = 0.0
    batch_size: int | None = 16
    optimizer: str = "adam"
    hyper: tuple[tuple[str, float], ...] | Mapping[str, float] = (("lr", 0.03),)
    schedule: str = ""
    early_stopping: bool = False
    patience: int = 20
    min_delta: float = 0.0
    restore_best: bool = True
    snapshot_every: int = 10
    max_snapshots: int = 500
    seed: int = 0
    features: tuple[str, ...] = ()

    def __post_init__(self) -> None:
        hidden = tuple(self.hidden)
        _whole("the number of hidden layers", len(hidden), 0, MAX_LAYERS)
        for i, width in enumerate(hidden):
            _whole(f"the width of hidden layer {i + 1}", width, 1, MAX_WIDTH)
        object.__setattr__(self, "hidden", hidden)
        _choice("activation", self.activation, ACTIVATIONS)
        _choice("initialization", self.init, INITS)
        losses = sorted({name for names in LOSSES_BY_TASK.values() for name in names})
        _choice("loss", self.loss, ["auto", *losses])
        object.__setattr__(self, "l1", _real("the L1 strength", self.l1))
        object.__setattr__(self, "l2", _real("the L2 strength", self.l2))
        object.__setattr__(self, "dropout", check_rate(self.dropout))
        if self.batch_size is not None:
            _whole("the batch size", self.batch_size, 1)
        _choice("optimizer", self.optimizer, TRAINING_OPTIMIZERS)
        hyper = dict(self.hyper)
        object.__setattr__(
            self, "hyper", tuple(sorted((k, float(v)) for k, v in hyper.items()))
        )
        check_hyperparameters(self.optimizer, dict(self.hyper))
        if self.schedule:
            kind, args = parse_schedule(self.schedule)
            # a schedule checks its settings against an optimizer's lr
            probe = make_optimizer(self.optimizer, dict(self.hyper), [Value(0.0)])
            SCHEDULES[kind][0](probe, **args)
        _whole("patience", self.patience, 1)
        object.__setattr__(self, "min_delta", _real("min_delta", self.min_delta))
        _whole("snapshot_every", self.snapshot_every, 1)
        _whole("max_snapshots", self.max_snapshots, 2)
        _whole("the seed", self.seed, 0)
        object.__setattr__(self, "features", check_features(self.features))

    # --- derived ----------------------------------------------------------------------
    @property
    def hyper_dict(self) -> dict[str, float]:
        """The optimizer's hyperparameters with its defaults filled in."""
        return {**OPTIMIZERS[self.optimizer].defaults(), **dict(self.hyper)}

    @property
    def lr(self) -> float:
        """The starting learning rate."""
        return self.hyper_dict["lr"]

    def with_changes(self, **changes) -> TrainingConfig:
        """A copy with some knobs changed; ``lr=`` and other optimizer
        hyperparameters may be given directly."""
        spec = OPTIMIZERS[changes.get("optimizer", self.optimizer)]
        names = {hp.name for hp in spec.hyperparams}
        hyper = {k: v for k, v in changes.items() if k in names}
        rest = {k: v for k, v in changes.items() if k not in names}
        if hyper or "optimizer" in rest:
            keep = {k: v for k, v in dict(self.hyper).items() if k in names}
            rest["hyper"] = {**keep, **dict(rest.get("hyper", {})), **hyper}
        return replace(self, **rest)

    def loss_for(self, task: str) -> str:
        """The loss this run uses on ``task`` (``auto`` resolved)."""
        return LOSSES_BY_TASK[task][0] if self.loss == "auto" else self.loss

    def fan_in(self, n_inputs: int) -> int:
        """The first layer's inputs: the features, or the ``n_inputs`` raw ones."""
        return n_features(self.features, n_inputs)

    def n_parameters(self, n_inputs: int, n_outputs: int) -> int:
        sizes = [self.fan_in(n_inputs), *self.hidden, n_outputs]
        return sum((a + 1) * b for a, b in pairwise(sizes))

    def check(self, dataset) -> None:
        """Raise ValueError, in words, if this run cannot train on ``dataset``."""
        task = dataset.task
        loss = self.loss_for(task)
        if loss not in LOSSES_BY_TASK[task]:
            raise ValueError(
                f"the {loss} loss does not fit a {task} task; "
                f"use one of: {', '.join(LOSSES_BY_TASK[task])}"
            )
        needed = inputs_needed(self.features)
        if needed > dataset.n_inputs:
            have = dataset.n_inputs
            missing = [title(f) for f in self.features if FEATURES[f][1] > have]
            raise ValueError(
                f"this data has {have} input{'s' if have != 1 else ''}, x₀; "
                f"{', '.join(missing)} need x₁ as well: choose features of x₀"
            )
        n_outputs = dataset.n_classes if task == "multiclass" else 1
        count = self.n_parameters(dataset.n_inputs, n_outputs)
        if count > MAX_PARAMETERS:
            raise ValueError(
                f"this network has {count:,} parameters; the lab stays live up to "
                f"{MAX_PARAMETERS:,} (fewer or narrower hidden layers)"
            )
        if dataset.train_index.size == 0:
            raise ValueError(
                "there are no training points: add some, or lower the test share"
            )
        if self.early_stopping and dataset.test_index.size == 0:
            raise ValueError(
                "early stopping watches the test loss, and there are no test points: "
                "raise the test share or turn early stopping off"
            )
