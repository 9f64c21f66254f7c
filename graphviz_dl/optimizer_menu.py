"""The optimizers a person can pick: names, hyperparameters with their ranges and
defaults (what the labs' sliders show), learning-rate schedules, how to build
one, and the one way to change a hyperparameter of a live optimizer
(:func:`set_hyperparameter`). Shared by races, the optimizer lab and the
training lab.
"""

from __future__ import annotations

import math
from collections.abc import Mapping

from . import schedulers
from .engine import Value
from .hyperparam import HyperParam, OptimizerSpec
from .linesearch import ExactLineSearch
from .optim import SGD, Adadelta, Adagrad, Adam, AdamW, Optimizer, RMSprop
from .schedule_menu import SCHEDULES, parse_assignments, parse_schedule

__all__ = [
    "OPTIMIZERS",
    "SCHEDULES",
    "HyperParam",
    "OptimizerSpec",
    "check_hyperparameters",
    "hyperparameter_problem",
    "make_optimizer",
    "menu_kind",
    "optimizer_spec",
    "parse_assignments",
    "parse_schedule",
    "set_hyperparameter",
]


def _lr(default: float) -> HyperParam:
    return HyperParam("lr", default, 1e-5, 10.0, True, help="learning rate: step scale")


def _eps(default: float) -> HyperParam:
    return HyperParam("eps", default, 1e-12, 1e-1, True, help="keeps ÷ away from 0")


def _share(name: str, default: float, high: float, help: str, **valid) -> HyperParam:
    """A hyperparameter on a linear slider from 0 (a decay rate, a momentum)."""
    return HyperParam(name, default, 0.0, high, False, help=help, **valid)


def _fraction(name: str, default: float, high: float, help: str) -> HyperParam:
    """A memory rate that may be 0 to 1, both ends included (α, ρ)."""
    return _share(name, default, high, help, maximum=1.0)


def _switch(name: str, help: str) -> HyperParam:
    return HyperParam(name, 0.0, 0.0, 1.0, False, boolean=True, help=help)


_WEIGHT_DECAY = _share("weight_decay", 0.0, 1.0, "pull toward 0 (L2 penalty)")
_MOMENTUM = _share("momentum", 0.9, 0.999, "β: memory of past steps")
_BETAS = tuple(
    _share(name, default, high, help, maximum=1.0, exclusive_max=True)
    for name, default, high, help in (
        ("beta1", 0.9, 0.999, "β₁: memory of the gradient (m)"),
        ("beta2", 0.999, 0.9999, "β₂: memory of squared gradients (v)"),
    )
)
_AMSGRAD = _switch("amsgrad", "divide by the largest v so far")

OPTIMIZERS: dict[str, OptimizerSpec] = {
    spec.kind: spec
    for spec in (
        OptimizerSpec(
            "sgd",
            "SGD",
            (_lr(1e-3), _WEIGHT_DECAY),
            "Plain gradient descent: θ ← θ − lr·∇L.",
        ),
        OptimizerSpec(
            "momentum",
            "Momentum",
            (
                _lr(1e-3),
                _MOMENTUM,
                _share(
                    "dampening",
                    0.0,
                    1.0,
                    "new gradients count 1 − this",
                    minimum=-math.inf,
                ),
                _WEIGHT_DECAY,
            ),
            "Gradient descent with a velocity: v ← βv − lr·∇L; θ ← θ + v.",
        ),
        OptimizerSpec(
            "nesterov",
            "Nesterov",
            (
                _lr(1e-3),
                _share(
                    "momentum",
                    0.9,
                    0.999,
                    "β: memory of past steps",
                    exclusive_min=True,
                ),
                _WEIGHT_DECAY,
            ),
            "Momentum that measures the gradient at the look-ahead point.",
        ),
        OptimizerSpec(
            "adagrad",
            "Adagrad",
            (
                _lr(1e-2),
                _share("lr_decay", 0.0, 1.0, "lr / (1 + (t − 1)·decay)"),
                _WEIGHT_DECAY,
                _share("initial_accumulator_value", 0.0, 1.0, "where Σg² starts"),
                _eps(1e-10),
            ),
            "Divides each coordinate's step by the root of its summed squared "
            "gradients: steps shrink for good.",
        ),
        OptimizerSpec(
            "rmsprop",
            "RMSprop",
            (
                _lr(1e-2),
                _fraction("alpha", 0.99, 0.9999, "β: memory of g²"),
                _eps(1e-8),
                _WEIGHT_DECAY,
                _share("momentum", 0.0, 0.999, "momentum on top"),
                _switch("centered", "divide by the variance instead"),
            ),
            "Divides the step by a running root-mean-square of the gradient.",
        ),
        OptimizerSpec(
            "adam",
            "Adam",
            (_lr(1e-3), *_BETAS, _eps(1e-8), _WEIGHT_DECAY, _AMSGRAD),
            "Momentum (m) scaled by RMSprop's root-mean-square (v), bias-corrected.",
        ),
        OptimizerSpec(
            "adamw",
            "AdamW",
            (
                _lr(1e-3),
                *_BETAS,
                _eps(1e-8),
                _share("weight_decay", 1e-2, 1.0, "θ ← θ·(1 − lr·decay)"),
                _AMSGRAD,
            ),
            "Adam with the weight decay applied to θ directly.",
        ),
        OptimizerSpec(
            "adadelta",
            "Adadelta",
            (
                _lr(1.0),
                _fraction("rho", 0.9, 0.999, "memory of g² and Δ²"),
                _eps(1e-6),
                _WEIGHT_DECAY,
            ),
            "Scales each step by the ratio of running step size to gradient size.",
        ),
        OptimizerSpec(
            "linesearch",
            "Exact line search",
            (
                HyperParam(
                    "max_step",
                    1.0,
                    1e-3,
                    100.0,
                    True,
                    help="longest step",
                    exclusive_min=True,
                    exclusive_max=True,
                ),
                HyperParam(
                    "xtol",
                    1e-9,
                    1e-12,
                    1e-2,
                    True,
                    help="step precision",
                    exclusive_min=True,
                ),
            ),
            "Minimizes the loss along −∇L at every step: the ideal step length, "
            "bought with dozens of function evaluations.",
        ),
    )
}
"""Every optimizer a race can run, by kind, in menu order."""


def optimizer_spec(kind: str) -> OptimizerSpec:
    spec = OPTIMIZERS.get(kind)
    if spec is None:
        raise ValueError(
            f"unknown optimizer {kind!r}; known optimizers: {', '.join(OPTIMIZERS)}"
        )
    return spec


def check_hyperparameters(kind: str, hyper: Mapping[str, float]) -> dict[str, float]:
    """Every hyperparameter of menu entry ``kind``, defaults filled in, each
    checked against what it may be (no optimizer is built to find out).

    ValueError names the first unknown or invalid hyperparameter.
    """
    spec = optimizer_spec(kind)
    checked = spec.defaults()
    for name, value in hyper.items():
        checked[name] = spec.hyper(name).check(value)
    return checked


def hyperparameter_problem(kind: str, hyper: Mapping[str, float]) -> str | None:
    """What is wrong with these hyperparameters, in words (None when valid)."""
    try:
        check_hyperparameters(kind, hyper)
    except ValueError as error:
        return str(error)
    return None


_KIND_OF_CLASS: dict[type, str] = {
    Adagrad: "adagrad",
    RMSprop: "rmsprop",
    Adam: "adam",
    AdamW: "adamw",
    Adadelta: "adadelta",
    ExactLineSearch: "linesearch",
}


def menu_kind(optimizer: Optimizer) -> str:
    """The menu entry whose hyperparameters ``optimizer`` has (an SGD with
    momentum settings is ``momentum``, or ``nesterov``)."""
    if type(optimizer) is SGD:
        return "nesterov" if optimizer.nesterov else "momentum"
    kind = _KIND_OF_CLASS.get(type(optimizer))
    if kind is None:
        raise ValueError(f"{type(optimizer).__name__} is not in the optimizer menu")
    return kind


def set_hyperparameter(
    optimizer: Optimizer,
    name: str,
    value: float,
    *,
    kind: str | None = None,
    scheduler: schedulers.LRScheduler | None = None,
) -> float:
    """Check ``value`` for hyperparameter ``name`` and apply it to the live
    ``optimizer`` in place, from its next step on; returns it as a float.

    The optimizer keeps its state (step count, moments, velocity), so a run
    continues from where it is. ``kind`` is the menu entry whose names and
    ranges apply (by default the one matching the optimizer). A new ``lr``
    also becomes ``scheduler``'s base, so a schedule continues from it.
    ValueError names the hyperparameter and the values it may take; nothing
    changes then.
    """
    spec = optimizer_spec(menu_kind(optimizer) if kind is None else kind)
    value = spec.hyper(name).check(value)
    if name == "lr":
        optimizer.lr = value
        if scheduler is not None:
            scheduler.base_lr = value
    elif name in ("beta1", "beta2"):
        beta1, beta2 = optimizer.betas
        optimizer.betas = (value, beta2) if name == "beta1" else (beta1, value)
    elif spec.hyper(name).boolean:
        setattr(optimizer, name, value == 1.0)
    else:
        setattr(optimizer, name, value)
    return value


def make_optimizer(
    kind: str, hyper: Mapping[str, float], params: list[Value], objective=None
) -> Optimizer:
    """The optimizer of menu entry ``kind`` over ``params`` (defaults filled in)."""
    return _build(kind, check_hyperparameters(kind, hyper), params, objective)


def _build(kind: str, h: dict[str, float], params: list[Value], objective) -> Optimizer:
    if kind in ("sgd", "momentum", "nesterov"):
        return SGD(
            params,
            lr=h["lr"],
            momentum=h.get("momentum", 0.0),
            dampening=h.get("dampening", 0.0),
            weight_decay=h["weight_decay"],
            nesterov=kind == "nesterov",
        )
    if kind == "adagrad":
        return Adagrad(
            params,
            lr=h["lr"],
            lr_decay=h["lr_decay"],
            weight_decay=h["weight_decay"],
            initial_accumulator_value=h["initial_accumulator_value"],
            eps=h["eps"],
        )
    if kind == "rmsprop":
        return RMSprop(
            params,
            lr=h["lr"],
            alpha=h["alpha"],
            eps=h["eps"],
            weight_decay=h["weight_decay"],
            momentum=h["momentum"],
            centered=h["centered"] == 1.0,
        )
    if kind in ("adam", "adamw"):
        cls = Adam if kind == "adam" else AdamW
        return cls(
            params,
            lr=h["lr"],
            betas=(h["beta1"], h["beta2"]),
            eps=h["eps"],
            weight_decay=h["weight_decay"],
            amsgrad=h["amsgrad"] == 1.0,
        )
    if kind == "adadelta":
        return Adadelta(
            params,
            lr=h["lr"],
            rho=h["rho"],
            eps=h["eps"],
            weight_decay=h["weight_decay"],
        )
    if objective is None:
        raise ValueError("the line search needs the objective function")
    return ExactLineSearch(params, objective, max_step=h["max_step"], xtol=h["xtol"])
