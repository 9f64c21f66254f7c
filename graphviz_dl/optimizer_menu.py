"""The optimizers a person can pick: names, hyperparameters with their ranges and
defaults (what the labs' sliders show), learning-rate schedules, and how to build
one. Shared by races, the optimizer lab and the training lab.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from . import schedulers
from .engine import Value
from .linesearch import ExactLineSearch
from .numfmt import format_number
from .optim import SGD, Adadelta, Adagrad, Adam, AdamW, Optimizer, RMSprop


@dataclass(frozen=True)
class HyperParam:
    """One hyperparameter: its default and a sensible slider range.

    The range is for a slider; what is *valid* is checked by the optimizer
    (``lr`` may go above the slider's top, never below 0).
    """

    name: str
    default: float
    low: float
    high: float
    log: bool
    boolean: bool = False
    help: str = ""


@dataclass(frozen=True)
class OptimizerSpec:
    """An entry of the optimizer menu: its kind, a title, its hyperparameters."""

    kind: str
    title: str
    hyperparams: tuple[HyperParam, ...]
    description: str = ""

    def hyper(self, name: str) -> HyperParam:
        for hp in self.hyperparams:
            if hp.name == name:
                return hp
        known = ", ".join(hp.name for hp in self.hyperparams)
        raise ValueError(
            f"{self.title} has no hyperparameter {name!r}; its hyperparameters "
            f"are {known}"
        )

    def defaults(self) -> dict[str, float]:
        return {hp.name: hp.default for hp in self.hyperparams}


def _lr(default: float) -> HyperParam:
    return HyperParam("lr", default, 1e-5, 10.0, True, help="learning rate: step scale")


def _eps(default: float) -> HyperParam:
    return HyperParam("eps", default, 1e-12, 1e-1, True, help="keeps ÷ away from 0")


def _share(name: str, default: float, high: float, help: str) -> HyperParam:
    """A hyperparameter on a linear slider from 0 (a decay rate, a momentum)."""
    return HyperParam(name, default, 0.0, high, False, help=help)


def _switch(name: str, help: str) -> HyperParam:
    return HyperParam(name, 0.0, 0.0, 1.0, False, boolean=True, help=help)


_WEIGHT_DECAY = _share("weight_decay", 0.0, 1.0, "pull toward 0 (L2 penalty)")
_MOMENTUM = _share("momentum", 0.9, 0.999, "β: memory of past steps")
_BETAS = (
    _share("beta1", 0.9, 0.999, "β₁: memory of the gradient (m)"),
    _share("beta2", 0.999, 0.9999, "β₂: memory of squared gradients (v)"),
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
                _share("dampening", 0.0, 1.0, "new gradients count 1 − this"),
                _WEIGHT_DECAY,
            ),
            "Gradient descent with a velocity: v ← βv − lr·∇L; θ ← θ + v.",
        ),
        OptimizerSpec(
            "nesterov",
            "Nesterov",
            (_lr(1e-3), _MOMENTUM, _WEIGHT_DECAY),
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
                _share("alpha", 0.99, 0.9999, "β: memory of g²"),
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
                _share("rho", 0.9, 0.999, "memory of g² and Δ²"),
                _eps(1e-6),
                _WEIGHT_DECAY,
            ),
            "Scales each step by the ratio of running step size to gradient size.",
        ),
        OptimizerSpec(
            "linesearch",
            "Exact line search",
            (
                HyperParam("max_step", 1.0, 1e-3, 100.0, True, help="longest step"),
                HyperParam("xtol", 1e-9, 1e-12, 1e-2, True, help="step precision"),
            ),
            "Minimizes the loss along −∇L at every step: the ideal step length, "
            "bought with dozens of function evaluations.",
        ),
    )
}
"""Every optimizer a race can run, by kind, in menu order."""

SCHEDULES = {
    "step": (schedulers.StepLR, {"step_size": int, "gamma": float}),
    "exponential": (schedulers.ExponentialLR, {"gamma": float}),
    "cosine": (schedulers.CosineAnnealingLR, {"T_max": int, "eta_min": float}),
    "warm-restarts": (
        schedulers.CosineAnnealingWarmRestarts,
        {"T_0": int, "T_mult": int, "eta_min": float},
    ),
    "plateau": (
        schedulers.ReduceLROnPlateau,
        {
            "factor": float,
            "patience": int,
            "threshold": float,
            "cooldown": int,
            "min_lr": float,
        },
    ),
}
"""Learning-rate schedules a run may use, written like ``cosine:T_max=200``."""


def optimizer_spec(kind: str) -> OptimizerSpec:
    spec = OPTIMIZERS.get(kind)
    if spec is None:
        raise ValueError(
            f"unknown optimizer {kind!r}; known optimizers: {', '.join(OPTIMIZERS)}"
        )
    return spec


def _flag(name: str, value: float) -> bool:
    if value not in (0.0, 1.0):
        raise ValueError(
            f"{name} must be 0 or 1 (off or on), got {format_number(value)}"
        )
    return value == 1.0


def make_optimizer(
    kind: str, hyper: dict[str, float], params: list[Value], objective=None
) -> Optimizer:
    """The optimizer of menu entry ``kind`` over ``params`` (defaults filled in)."""
    spec = optimizer_spec(kind)
    for name in hyper:
        spec.hyper(name)
    try:
        return _build(kind, {**spec.defaults(), **hyper}, params, objective)
    except ValueError as error:
        message = str(error).replace("betas[0]", "beta1").replace("betas[1]", "beta2")
        raise ValueError(message) from None


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
            centered=_flag("centered", h["centered"]),
        )
    if kind in ("adam", "adamw"):
        cls = Adam if kind == "adam" else AdamW
        return cls(
            params,
            lr=h["lr"],
            betas=(h["beta1"], h["beta2"]),
            eps=h["eps"],
            weight_decay=h["weight_decay"],
            amsgrad=_flag("amsgrad", h["amsgrad"]),
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


def parse_schedule(text: str) -> tuple[str, dict[str, float]]:
    """``"cosine:T_max=200"`` → ``("cosine", {"T_max": 200})``, checked."""
    kind, _, rest = text.strip().partition(":")
    kind = kind.strip()
    if kind not in SCHEDULES:
        raise ValueError(
            f"unknown schedule {kind!r}; known schedules: {', '.join(SCHEDULES)}"
        )
    types = SCHEDULES[kind][1]
    args: dict[str, float] = {}
    for name, value in parse_assignments(rest).items():
        if name not in types:
            raise ValueError(
                f"schedule {kind} has no setting {name!r}; its settings are "
                f"{', '.join(types)}"
            )
        if types[name] is int:
            if not float(value).is_integer():
                raise ValueError(f"{name} must be a whole number, got {value!r}")
            value = int(value)
        args[name] = value
    return kind, args


def parse_assignments(text: str) -> dict[str, float]:
    """``"lr=1e-3, momentum=0.9"`` → ``{"lr": 0.001, "momentum": 0.9}``."""
    out: dict[str, float] = {}
    for item in filter(None, (part.strip() for part in text.split(","))):
        name, equals, value = item.partition("=")
        name = name.strip()
        if not equals or not re.fullmatch(r"[A-Za-z_]\w*", name):
            raise ValueError(f"expected name=value, got {item!r}")
        try:
            out[name] = float(value.replace("−", "-"))
        except ValueError:
            raise ValueError(
                f"{name} must be a number, got {value.strip()!r}"
            ) from None
    return out
