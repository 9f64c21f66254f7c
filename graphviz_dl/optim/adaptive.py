"""Per-coordinate step sizes from gradient history: Adagrad, RMSprop, Adadelta."""

from __future__ import annotations

from collections.abc import Iterable

from .. import ieee
from ..engine import Value
from .base import ElementwiseOptimizer
from .checks import check_at_least, check_between
from .rounding import lerp


class Adagrad(ElementwiseOptimizer):
    """Adagrad: each coordinate's step shrinks with its sum of squared gradients.

    ``g ← ∇ + weight_decay·θ``; ``Σ ← Σ + g²``; ``θ ← θ − clr·g/(√Σ + eps)``
    with ``clr = lr / (1 + (t − 1)·lr_decay)``.
    """

    def __init__(
        self,
        params: Iterable[Value],
        lr: float = 1e-2,
        lr_decay: float = 0.0,
        weight_decay: float = 0.0,
        initial_accumulator_value: float = 0.0,
        eps: float = 1e-10,
    ) -> None:
        super().__init__(params, lr)
        self.lr_decay = check_at_least("lr_decay", lr_decay)
        self.weight_decay = check_at_least("weight_decay", weight_decay)
        self.initial_accumulator_value = check_at_least(
            "initial_accumulator_value", initial_accumulator_value
        )
        self.eps = check_at_least("eps", eps)

    def _initial_state(self) -> dict[str, float]:
        return {"sum": self.initial_accumulator_value}

    def _rule(self, math_, param, grad, state, step):
        if self.weight_decay != 0.0:
            grad = math_.fma(self.weight_decay, param, grad)
        clr = ieee.div(self.lr, 1 + (step - 1) * self.lr_decay)
        state["sum"] = total = math_.fma(grad, grad, state["sum"])
        std = math_.sqrt(total) + self.eps
        return param + math_.div(-clr * grad, std)

    def drawable_state(self, p: Value) -> dict[str, float]:
        memory = self._memory(p)
        return {} if memory is None else {"sum": memory["sum"]}


class RMSprop(ElementwiseOptimizer):
    """RMSprop: divide the step by a running root-mean-square of the gradient.

    ``s ← αs + (1 − α)g²``; centered: ``ḡ ← αḡ + (1 − α)g`` and the root is
    taken of ``s − ḡ²``; ``avg = √(…) + eps``; without momentum
    ``θ ← θ − lr·g/avg``, with momentum ``b ← μb + g/avg; θ ← θ − lr·b``.
    The notes' β is ``alpha`` here.
    """

    def __init__(
        self,
        params: Iterable[Value],
        lr: float = 1e-2,
        alpha: float = 0.99,
        eps: float = 1e-8,
        weight_decay: float = 0.0,
        momentum: float = 0.0,
        centered: bool = False,
    ) -> None:
        super().__init__(params, lr)
        self.alpha = check_between("alpha", alpha, 0.0, 1.0)
        self.eps = check_at_least("eps", eps)
        self.weight_decay = check_at_least("weight_decay", weight_decay)
        self.momentum = check_at_least("momentum", momentum)
        self.centered = bool(centered)

    def _initial_state(self) -> dict[str, float]:
        state = {"square_avg": 0.0}
        if self.momentum > 0.0:
            state["momentum_buffer"] = 0.0
        if self.centered:
            state["grad_avg"] = 0.0
        return state

    def _rule(self, math_, param, grad, state, step):
        if self.weight_decay != 0.0:
            grad = math_.fma(self.weight_decay, param, grad)
        alpha = self.alpha
        square_avg = math_.fma((1.0 - alpha) * grad, grad, state["square_avg"] * alpha)
        state["square_avg"] = square_avg
        if self.centered:
            grad_avg = lerp(math_, state.get("grad_avg", 0.0), grad, 1.0 - alpha)
            state["grad_avg"] = grad_avg
            avg = math_.sqrt(math_.fma(-grad_avg, grad_avg, square_avg))
        else:
            avg = math_.sqrt(square_avg)
        avg = avg + self.eps
        if self.momentum > 0.0:
            buf = state.get("momentum_buffer", 0.0) * self.momentum + math_.div(
                grad, avg
            )
            state["momentum_buffer"] = buf
            return math_.fma(-self.lr, buf, param)
        return param + math_.div(-self.lr * grad, avg)

    def drawable_state(self, p: Value) -> dict[str, float]:
        memory = self._memory(p)
        if memory is None:
            return {}
        out = {"s": memory["square_avg"]}
        if "grad_avg" in memory:
            out["g_avg"] = memory["grad_avg"]
        if "momentum_buffer" in memory:
            out["buffer"] = memory["momentum_buffer"]
        return out


class Adadelta(ElementwiseOptimizer):
    """Adadelta: the step's own running size replaces a hand-picked scale.

    ``s ← ρs + (1 − ρ)g²``; ``Δ = √(u + eps)/√(s + eps)·g``;
    ``u ← ρu + (1 − ρ)Δ²``; ``θ ← θ − lr·Δ`` (PyTorch keeps ``lr``, default 1).
    """

    def __init__(
        self,
        params: Iterable[Value],
        lr: float = 1.0,
        rho: float = 0.9,
        eps: float = 1e-6,
        weight_decay: float = 0.0,
    ) -> None:
        super().__init__(params, lr)
        self.rho = check_between("rho", rho, 0.0, 1.0)
        self.eps = check_at_least("eps", eps)
        self.weight_decay = check_at_least("weight_decay", weight_decay)

    def _initial_state(self) -> dict[str, float]:
        return {"square_avg": 0.0, "acc_delta": 0.0}

    def _rule(self, math_, param, grad, state, step):
        if self.weight_decay != 0.0:
            grad = math_.fma(self.weight_decay, param, grad)
        rho = self.rho
        square_avg = math_.fma((1 - rho) * grad, grad, state["square_avg"] * rho)
        state["square_avg"] = square_avg
        std = math_.sqrt(square_avg + self.eps)
        acc_delta = state["acc_delta"]
        delta = math_.div(math_.sqrt(acc_delta + self.eps), std) * grad
        state["acc_delta"] = math_.fma((1 - rho) * delta, delta, acc_delta * rho)
        return math_.fma(-self.lr, delta, param)

    def drawable_state(self, p: Value) -> dict[str, float]:
        memory = self._memory(p)
        if memory is None:
            return {}
        return {"s": memory["square_avg"], "delta_avg": memory["acc_delta"]}
