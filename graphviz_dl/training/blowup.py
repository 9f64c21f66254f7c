"""Why the loss stopped being a number: a diagnosis in words, from the numbers.

When a step's loss or gradient, the weights after a step, or an epoch's
loss become ``inf`` or ``nan``, training pauses at the last finite weights
and :func:`explain` looks at them and at the samples involved:

* **log of 0 in BCE** (plain ``bce`` only): σ(z) rounds to exactly 0 or 1 in
  float64 once |z| ≳ 37, and BCE then takes log 0 = −∞ (and 0·(−∞) = nan
  for the term the label switches off);
* **exploding activations / weights**: the largest |z| of every layer's
  weighted sums and the largest |w| per layer; above :data:`EXPLODING` (or
  not finite) they are named, layer by layer;
* **learning rate too large for the curvature**: the sharpest curvature λ of
  the loss (the top Hessian eigenvalue, by power iteration on
  finite-difference Hessian-vector products of the compiled gradient) gives
  gradient descent's stability limit (:mod:`graphviz_dl.divergence`, shared
  with races); past it each step overshoots the valley and the loss grows
  geometrically, which the step history shows.
  Adaptive optimizers (Adam, RMSprop, …) have no such sharp limit; for them
  a loss that grew tenfold or more before the blow-up is the evidence.

Causes are listed from the root cause to the immediate one, each with its
numbers, then one suggestion.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from ..divergence import stability_limit, top_curvature
from ..numfmt import format_number

EXPLODING = 1e6
"""|z| or |w| beyond this counts as exploding (a sane unit lives within ±10)."""
GROWTH = 10.0
"""A loss this many times its earlier minimum counts as diverging."""


def _n(x: float) -> str:
    return format_number(x, 3)


@dataclass(frozen=True)
class Cause:
    """One reason, with ``kind`` one of ``learning_rate``, ``exploding_weights``,
    ``exploding_activations``, ``log_zero``, ``unknown``."""

    kind: str
    text: str


@dataclass(frozen=True)
class Blowup:
    """Where and why a run stopped being finite; :attr:`message` says it in words."""

    step: int
    epoch: int
    where: str
    value: float
    causes: tuple[Cause, ...]
    advice: str
    lr: float
    curvature: float
    max_abs_weight: tuple[float, ...]
    max_abs_activation: tuple[float, ...]

    @property
    def kinds(self) -> tuple[str, ...]:
        return tuple(c.kind for c in self.causes)

    @property
    def message(self) -> str:
        head = (
            f"Training paused at step {self.step} (epoch {self.epoch}): "
            f"{self.where} became {_n(self.value)}."
        )
        return " ".join([head, *(c.text for c in self.causes), self.advice])


def _layer_maxima(values: list[np.ndarray]) -> tuple[float, ...]:
    out = []
    for array in values:
        a = np.abs(array)
        out.append(math.nan if np.isnan(a).any() else float(a.max(initial=0.0)))
    return tuple(out)


def _exploded(value: float) -> bool:
    return not math.isfinite(value) or value > EXPLODING


def _listing(maxima: tuple[float, ...], names: list[str]) -> str:
    return ", ".join(f"{name} {_n(m)}" for name, m in zip(names, maxima))


def explain(
    trainer,
    *,
    where: str,
    value: float,
    theta: np.ndarray,
    rows: np.ndarray,
    step: int,
) -> Blowup:
    """Diagnose a blow-up at the finite weights ``theta`` on the samples ``rows``.

    ``where`` names the quantity that stopped being finite ("the batch loss",
    "the gradient", "the weights after the step", "the test loss", …) and
    ``value`` is what it became; ``step`` is the step it happened at. ``trainer``
    provides the network, the data, the optimizer, the step history and the
    snapshots.
    """
    with np.errstate(all="ignore"):
        return _explain(trainer, where, value, theta, rows, step)


def _explain(trainer, where, value, theta, rows, step) -> Blowup:
    network = trainer.network
    config = trainer.config
    causes: list[Cause] = []

    # Weights and activations, layer by layer, on the samples involved.
    blocks = network.unpack(theta)
    weight_max = _layer_maxima([W for W, _ in blocks])
    pre, _, outputs = network.activations(theta, trainer.X[rows])
    activation_max = _layer_maxima([*pre, outputs])
    layer_names = [f"layer {l + 1}" for l in range(len(blocks))]
    act_names = [f"layer {l + 1}" for l in range(len(pre))] + ["the output"]

    # The learning rate against the curvature where the loss began to grow.
    lr = trainer.optimizer.lr
    limit = stability_limit(config.optimizer, config.hyper_dict.get("momentum", 0.0))
    growth, low_step = _growth(trainer)
    at, where_curved = theta, "here"
    if growth:
        snapshot = trainer.snapshots[trainer.snapshot_index(low_step)]
        at, where_curved = snapshot.weights, f"at step {snapshot.step}"
    curvature = _curvature(trainer, at)
    product = lr * curvature
    if limit is not None and math.isfinite(product) and product > limit:
        causes.append(
            Cause(
                "learning_rate",
                f"The learning rate is too large for the curvature: {where_curved} "
                f"the sharpest curvature of the loss is λ ≈ {_n(curvature)}, so "
                f"gradient descent is stable only for lr < {_n(limit / curvature)}; "
                f"lr = {_n(lr)} gives lr·λ ≈ {_n(product)} > {_n(limit)}, so every "
                "step overshoots the valley and lands higher up its other side."
                + (f" {growth}" if growth else ""),
            )
        )
    elif growth:
        curved = (
            f" (the sharpest curvature {where_curved} is λ ≈ {_n(curvature)})"
            if math.isfinite(curvature)
            else ""
        )
        causes.append(
            Cause(
                "learning_rate",
                f"The learning rate {_n(lr)} is too large for this loss{curved}: "
                f"the loss was diverging before it overflowed. {growth}",
            )
        )

    if any(_exploded(m) for m in weight_max):
        causes.append(
            Cause(
                "exploding_weights",
                "The weights exploded: the largest |w| per layer is "
                f"{_listing(weight_max, layer_names)}.",
            )
        )
    if any(_exploded(m) for m in activation_max):
        causes.append(
            Cause(
                "exploding_activations",
                "Activations exploded: the largest weighted sum |z| reaches "
                f"{_listing(activation_max, act_names)}; squares, exponentials "
                "and products of such numbers overflow float64 (past about 1.8e308).",
            )
        )
    if trainer.loss_name == "bce":
        log_zero = _log_zero(outputs[0], trainer.y[rows])
        if log_zero:
            causes.append(Cause("log_zero", log_zero))
    if not causes:
        causes.append(
            Cause(
                "unknown",
                "No single cause stands out: the largest |w| per layer is "
                f"{_listing(weight_max, layer_names)}, the largest |z| "
                f"{_listing(activation_max, act_names)}, the curvature "
                f"λ ≈ {_n(curvature)} with lr = {_n(lr)}.",
            )
        )
    kinds = [c.kind for c in causes]
    return Blowup(
        step=step,
        epoch=trainer.epoch,
        where=where,
        value=value,
        causes=tuple(causes),
        advice=_advice(kinds, limit, curvature, lr),
        lr=lr,
        curvature=curvature,
        max_abs_weight=weight_max,
        max_abs_activation=activation_max,
    )


def _curvature(trainer, theta: np.ndarray) -> float:
    """λ_max of the training objective (all training points, dropout off)."""
    network, config = trainer.network, trainer.config
    X = trainer.X[trainer.train_index]
    targets = trainer.targets[:, trainer.train_index]

    def gradient(t: np.ndarray) -> np.ndarray:
        _, g = network.loss_and_grads(t, X, targets)
        return g + network.penalty(t, config.l1, config.l2)[1]

    if not np.isfinite(gradient(theta)).all():
        return math.nan
    return top_curvature(gradient, theta)


def _growth(trainer) -> tuple[str, int]:
    """ "The loss grew from a at step i to b at step j" (× :data:`GROWTH` or
    more since its lowest point), and that step i; else ``("", -1)``."""
    losses = trainer.steps.column("loss")
    steps = trainer.steps.column("step")
    finite = np.isfinite(losses)
    if finite.sum() < 2:
        return "", -1
    losses, steps = losses[finite], steps[finite]
    low = int(np.argmin(losses))
    if low == len(losses) - 1 or not losses[-1] > GROWTH * max(losses[low], 1e-12):
        return "", -1
    span = int(steps[-1] - steps[low])
    rate = (losses[-1] / max(losses[low], 1e-300)) ** (1.0 / max(span, 1))
    text = (
        f"The loss grew from {_n(losses[low])} at step {int(steps[low])} to "
        f"{_n(losses[-1])} at step {int(steps[-1])} (×{_n(rate)} per step)."
    )
    return text, int(steps[low])


def _log_zero(z: np.ndarray, labels: np.ndarray) -> str:
    from scipy.special import expit  # imported when first needed (~0.2 s)

    p = expit(z)
    one, zero = p == 1.0, p == 0.0
    saturated = one | zero
    if not saturated.any():
        return ""
    wrong = int((one & (labels == 0)).sum() + (zero & (labels == 1)).sum())
    right = int(saturated.sum()) - wrong
    largest = float(np.abs(z[saturated]).max())
    parts = []
    if wrong:
        parts.append(
            f"{wrong} point(s) are confidently wrong, so BCE takes log 0 = −∞ on "
            "their true class"
        )
    if right:
        parts.append(
            f"{right} point(s) are confidently right, and the term their label "
            "switches off is 0·log 0 = 0·(−∞) = nan"
        )
    return (
        f"Log of 0 in BCE: σ(z) rounded to exactly 0 or 1 for {int(saturated.sum())} "
        f"point(s) (|z| up to {_n(largest)}; in float64 σ(z) = 1 exactly once z ≳ 37); "
        + "; ".join(parts)
        + "."
    )


def _advice(kinds: list[str], limit: float | None, curvature: float, lr: float) -> str:
    tips = []
    if "learning_rate" in kinds and limit is not None and math.isfinite(curvature):
        tips.append(f"a learning rate below {_n(limit / curvature)}")
    elif set(kinds) & {"learning_rate", "exploding_weights", "exploding_activations"}:
        tips.append(f"a smaller learning rate (say {_n(lr / 10)})")
    if set(kinds) & {"exploding_weights", "exploding_activations"}:
        tips.append("an L2 penalty or a smaller initialization")
    if "log_zero" in kinds:
        tips.append(
            "the bce_with_logits loss, which computes the same loss from z "
            "without rounding σ(z) to 0 or 1"
        )
    if not tips:
        tips.append("a smaller learning rate")
    return "Try " + "; or ".join(tips) + ", then reset or rewind to a snapshot."
