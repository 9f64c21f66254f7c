"""Loss functions and weight penalties, built from engine ops so they draw as graphs.

A loss measures how far predictions are from the truth: large means bad. Each
function here returns one :class:`~graphviz_dl.engine.Value`, so ``backward()``
on it reaches every weight. Losses over a batch take the mean, as a cost
function averages the per-example losses. Sums of many terms use one ``Σ`` node
(:meth:`Value.sum`), so the graph stays flat instead of growing a long chain.

Numbers are honest: a probability of exactly 0 on the true class costs ``inf``
in :func:`bce`, as ``log 0 = −∞``. The logit forms (:func:`bce_with_logits`,
:func:`cross_entropy`, :func:`softmax`) are rearranged so that even logits of
±1000 give finite losses and gradients.
"""

from __future__ import annotations

import math
import numbers
import operator
from collections.abc import Iterable, Sequence

from .engine import Value

Scalar = Value | float
Batch = Scalar | Sequence[Scalar]


def _value(x: Scalar) -> Value:
    return x if isinstance(x, Value) else Value(x)


def _is_single(x: object) -> bool:
    return isinstance(x, (Value, numbers.Real))


def _pairs(name: str, preds: Batch, targets: Batch) -> list[tuple[Value, Scalar]]:
    """Match predictions with targets: one pair, or two sequences of equal length."""
    if _is_single(preds) and _is_single(targets):
        return [(_value(preds), targets)]  # type: ignore[arg-type]
    if _is_single(preds) or _is_single(targets):
        raise TypeError(
            f"{name} takes one prediction and one target, or two sequences; "
            "got a single value and a sequence"
        )
    preds, targets = list(preds), list(targets)  # type: ignore[arg-type]
    if len(preds) != len(targets):
        raise ValueError(
            f"{name} needs as many targets as predictions "
            f"({len(targets)} ≠ {len(preds)})"
        )
    if not preds:
        raise ValueError(f"{name} of no predictions is undefined")
    return [(_value(p), t) for p, t in zip(preds, targets)]


def _times(weight: Scalar, term: Value) -> Value:
    """``weight · term``, leaving out a multiplication by the number 1."""
    if not isinstance(weight, Value) and weight == 1.0:
        return term
    return weight * term


def _mean(terms: list[Value]) -> Value:
    """One term stays itself (no ``÷ 1`` node); several become ``Σ terms ÷ n``."""
    return terms[0] if len(terms) == 1 else Value.sum(terms) / len(terms)


# --- regression -------------------------------------------------------------------


def mse(preds: Batch, targets: Batch) -> Value:
    """Mean squared error: (1/n) Σ (ŷᵢ − yᵢ)².

    Squaring makes large errors count much more than small ones, and it is
    smooth everywhere, with slope 2(ŷ − y).
    """
    return _mean([(p - t) ** 2 for p, t in _pairs("mse", preds, targets)])


def l1(preds: Batch, targets: Batch) -> Value:
    """Mean absolute error: (1/n) Σ |ŷᵢ − yᵢ|.

    Every error pulls with the same strength (slope ±1), so a few outliers
    matter less than under :func:`mse`. At ŷ = y the slope is taken as 0.
    """
    return _mean([abs(p - t) for p, t in _pairs("l1", preds, targets)])


# --- binary classification ----------------------------------------------------------


def bce(p: Batch, y: Batch) -> Value:
    """BCE: −(1/n) Σ [yᵢ log pᵢ + (1 − yᵢ) log(1 − pᵢ)].

    ``p`` is the predicted probability of class 1 (a sigmoid's output) and ``y``
    the true label, 0 or 1 (or a soft label in between). The label selects the
    term: with y = 1 the loss is −log p, with y = 0 it is −log(1 − p), so a
    confident wrong answer costs a lot. A term whose label weight is exactly 0
    is left out of the graph. A probability of exactly 0 on the true class
    costs ``inf``; use :func:`bce_with_logits` on the raw score instead.
    """
    terms = []
    for prob, label in _pairs("bce", p, y):
        parts = []
        if isinstance(label, Value) or label != 0.0:
            parts.append(_times(label, prob.log()))
        if isinstance(label, Value) or label != 1.0:
            parts.append(_times(1 - label, (1 - prob).log()))
        likelihood = parts[0] if len(parts) == 1 else parts[0] + parts[1]
        terms.append(-likelihood)
    return _mean(terms)


def bce_with_logits(z: Batch, y: Batch) -> Value:
    """Binary cross-entropy on a raw score z (a logit), with p = σ(z) built in.

    −[y log σ(z) + (1 − y) log(1 − σ(z))] rearranges to
    max(z, 0) − z·y + log(1 + e^(−|z|)), in which the exponential never
    overflows: z = ±1000 gives a finite loss and the exact slope σ(z) − y.
    (At z = 0 the kinks of max and |z| cancel: max sends half its gradient
    each way, and the slope comes out as 0.5 − y, as it should.)
    """
    terms = []
    for logit, label in _pairs("bce_with_logits", z, y):
        softplus = (1 + (-abs(logit)).exp()).log()
        terms.append(logit.max(0.0) - logit * label + softplus)
    return _mean(terms)


def hinge(score: Batch, y: Batch) -> Value:
    """Hinge loss: max(0, 1 − y·score) with labels y ∈ {−1, +1}.

    Zero once a point is on the right side with a margin of at least 1, so
    only the points near or across the boundary push the weights (the idea
    behind support vector machines). At a margin of exactly 1 the slope is 0.
    """
    terms = []
    for s, label in _pairs("hinge", score, y):
        if not isinstance(label, Value) and label not in (-1, 1):
            raise ValueError(
                f"hinge labels are −1 or +1, not {label!r} "
                "(turn 0/1 labels into −1/+1 with 2·y − 1)"
            )
        terms.append((1 - _times(label, s)).relu())
    return _mean(terms)


# --- multi-class classification -------------------------------------------------------


def _shifted(name: str, logits: Iterable[Scalar]) -> list[Value]:
    """The logits minus their largest value, a plain number (not a graph node).

    Softmax does not change when every logit moves by the same amount, and
    after the shift the largest exponential is e⁰ = 1: nothing overflows.
    The shift is a constant, so no gradient flows through it and the graph
    shows just ``zᵢ − max``.
    """
    values = [_value(v) for v in logits]
    if not values:
        raise ValueError(f"{name} of no logits is undefined")
    datas = [v.data for v in values]
    top = math.nan if any(map(math.isnan, datas)) else max(datas)
    return [v - top for v in values]


def softmax(logits: Iterable[Scalar]) -> list[Value]:
    """Turn scores into probabilities: softmax(z)ᵢ = e^zᵢ / Σⱼ e^zⱼ.

    Every output lies in [0, 1] and they add up to 1; the largest score gets
    the largest share. Computed on the shifted scores zᵢ − max z (same result,
    no overflow).
    """
    exps = [s.exp() for s in _shifted("softmax", logits)]
    total = Value.sum(exps)
    return [e / total for e in exps]


def log_softmax(logits: Iterable[Scalar]) -> list[Value]:
    """log softmax(z)ᵢ = zᵢ − log Σⱼ e^zⱼ, computed as (zᵢ − m) − log Σⱼ e^(zⱼ − m).

    With m = max z the sum is at least 1, so its log is finite even when a
    softmax probability underflows to 0: that is why losses use this form.
    """
    shifted = _shifted("log_softmax", logits)
    log_total = Value.sum([s.exp() for s in shifted]).log()
    return [s - log_total for s in shifted]


def cross_entropy(logits: Iterable[Scalar], target: int) -> Value:
    """Cross-entropy of raw scores against the true class: −log softmax(z)[target].

    With a one-hot truth (yₖ = 1 for the true class, 0 elsewhere) the sum
    −Σₖ yₖ log ŷₖ keeps one term: minus the log of the probability given to
    the true class. Built as log Σⱼ e^(zⱼ − m) − (z_target − m), so logits of
    ±1000 give a finite loss; each slope is softmax(z)ⱼ − yⱼ.
    """
    shifted = _shifted("cross_entropy", logits)
    try:
        index = operator.index(target)
    except TypeError:
        raise TypeError(
            f"cross_entropy's target is a class index (an int), not {target!r}"
        ) from None
    if not 0 <= index < len(shifted):
        raise ValueError(
            f"target class {index} is out of range for {len(shifted)} logits "
            f"(0 to {len(shifted) - 1})"
        )
    log_total = Value.sum([s.exp() for s in shifted]).log()
    return log_total - shifted[index]


# --- penalties ------------------------------------------------------------------------


def l1_penalty(params: Iterable[Scalar]) -> Value:
    """L1 regularization R(θ) = Σ |θᵢ|: pushes weights to exactly 0 (sparsity)."""
    return Value.sum([abs(_value(p)) for p in params])


def l2_penalty(params: Iterable[Scalar]) -> Value:
    """L2 regularization R(θ) = Σ θᵢ²: keeps weights small and spread out.

    Added to a loss as λ·R(θ), it is what optimizers call weight decay.
    """
    return Value.sum([_value(p) ** 2 for p in params])


_PER_SAMPLE = {"mse": mse, "l1": l1, "bce_with_logits": bce_with_logits, "hinge": hinge}


def per_sample_loss(loss: str, outputs: list[Value], targets: list[Value]) -> Value:
    """One sample's loss as a graph, with the target as leaves (not numbers).

    ``cross_entropy`` takes one-hot target leaves: log Σⱼ e^(zⱼ − m) − Σₖ yₖ(zₖ − m)
    with m = max z built from ``max`` nodes, so no logit overflows for any
    sample (the slope through m is Σ softmax − Σ y = 0, so it changes nothing).
    """
    if loss == "cross_entropy":
        top = outputs[0]
        for z in outputs[1:]:
            top = top.max(z)
        shifted = [z - top for z in outputs]
        log_total = Value.sum([s.exp() for s in shifted]).log()
        return log_total - Value.linear(targets, shifted, 0.0)
    function = _PER_SAMPLE[loss]
    if len(outputs) == 1:
        return function(outputs[0], targets[0])
    return function(outputs, targets)
