"""Failures that are not a blow-up, found and explained in words with numbers.

* **Dead ReLUs**: a ReLU unit whose input is ≤ 0 for every training point
  outputs 0 and passes no gradient, so no step can bring it back. Reported
  per hidden layer when at least :data:`DEAD_SHARE` of its units are dead.
* **Chance level**: after :data:`CHANCE_EPOCHS` epochs the training accuracy
  is no better than always answering the largest class (within two standard
  errors of that share over the training points): the network has learnt
  nothing the class counts do not already say.

:func:`advice` returns the texts a person should read now ("" when healthy);
the lab shows them in its message line.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from ..numfmt import format_number
from .features import title

DEAD_SHARE = 0.5
"""A layer is reported when this share of its ReLU units never fires."""
CHANCE_EPOCHS = 20
"""Epochs after which a classifier still at chance is reported (the built-in
sets with their suggested settings are all well above chance by then; the
spiral, the slowest, at 62 % against 51 %)."""


@dataclass(frozen=True)
class DeadUnits:
    """``dead`` of ``width`` ReLU units of hidden layer ``layer`` (1-based)
    never fire on the training points."""

    layer: int
    dead: int
    width: int


def dead_relus(trainer, params: np.ndarray | None = None) -> list[DeadUnits]:
    """Each ReLU layer's units that are 0 on every training point."""
    network = trainer.network
    if network.activation != "relu" or not network.widths:
        return []
    theta = trainer.weights if params is None else np.asarray(params, np.float64)
    X = trainer.X[trainer.train_index]
    if not X.shape[0]:
        return []
    with np.errstate(all="ignore"):
        pre, _, _ = network.activations(theta, X)
    return [
        DeadUnits(l + 1, int((~(z > 0)).all(axis=1).sum()), z.shape[0])
        for l, z in enumerate(pre)
    ]


def dead_relu_text(trainer, params: np.ndarray | None = None) -> str:
    """ "12 of 16 ReLU units in layer 1 never fire: …", or "" when most fire."""
    layers = [d for d in dead_relus(trainer, params) if d.dead >= DEAD_SHARE * d.width]
    if not layers:
        return ""
    parts = [f"{d.dead} of {d.width} ReLU units in layer {d.layer}" for d in layers]
    which = " and ".join(parts)
    return (
        f"{which} never fire on the training points: they output 0 and pass no "
        "gradient, so training cannot bring them back. Try a smaller learning "
        f"rate (lr = {format_number(trainer.lr, 3)} now), leaky ReLU or He init."
    )


def chance_accuracy(trainer) -> float:
    """The training accuracy of always answering the largest class."""
    y = trainer.y[trainer.train_index]
    if trainer.task == "regression" or not y.size:
        return math.nan
    return float(np.bincount(y.astype(np.intp)).max() / y.size)


def at_chance(trainer) -> bool:
    """True when, after :data:`CHANCE_EPOCHS` epochs, the training accuracy
    is within two standard errors of :func:`chance_accuracy`."""
    if trainer.epoch < CHANCE_EPOCHS or not len(trainer.history):
        return False
    prior = chance_accuracy(trainer)
    accuracy = trainer.history.last("train_accuracy")
    if not (math.isfinite(prior) and math.isfinite(accuracy)):
        return False
    noise = 2.0 * math.sqrt(prior * (1.0 - prior) / trainer.n_train)
    return accuracy <= prior + noise


def chance_text(trainer) -> str:
    """Why a classifier at chance is stuck and what to try, or ""."""
    if not at_chance(trainer):
        return ""
    config = trainer.config
    prior = chance_accuracy(trainer)
    accuracy = trainer.history.last("train_accuracy")
    tries = []
    if trainer.lr < 1e-3:
        tries.append(f"a larger learning rate (lr = {format_number(trainer.lr, 3)})")
    else:
        tries.append("another learning rate")
    if config.init == "small" or config.activation in ("sigmoid", "linear"):
        tries.append("another initialization or activation")
    else:
        tries.append("another initialization")
    if not config.hidden:
        squares = ", ".join(title(f) for f in ("x0^2", "x1^2")[: trainer.X.shape[1]])
        tries.append(
            f"a hidden layer or features such as {squares} (a network without "
            "one draws a straight boundary)"
        )
    else:
        tries.append("features such as x₀², x₁², x₀x₁")
    return (
        f"Still at chance after {trainer.epoch} epochs: the training accuracy is "
        f"{format_number(100 * accuracy, 3)} %, and always answering the largest "
        f"class gets {format_number(100 * prior, 3)} %. Try "
        + ", ".join(tries[:-1])
        + f" or {tries[-1]}."
    )


def advice(trainer, params: np.ndarray | None = None) -> str:
    """What is wrong with this run that is not a blow-up, in words ("" if
    nothing): dead ReLUs first, then chance level."""
    texts = [dead_relu_text(trainer, params), chance_text(trainer)]
    return " ".join(text for text in texts if text)
