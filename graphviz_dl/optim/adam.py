"""Adam and AdamW: momentum scaled by a squared-gradient average."""

from __future__ import annotations

from collections.abc import Iterable

from .. import ieee
from ..engine import Value
from .base import ElementwiseOptimizer
from .checks import check_at_least, check_between
from .rounding import lerp


class Adam(ElementwiseOptimizer):
    """Adam: a momentum average ``m`` scaled by a squared-gradient average ``v``.

    ``m ← β₁m + (1 − β₁)g``; ``v ← β₂v + (1 − β₂)g²``; both start at 0, so
    they are divided by ``1 − βᵗ``:
    ``θ ← θ − lr/(1 − β₁ᵗ) · m / (√v / √(1 − β₂ᵗ) + eps)``. ``amsgrad`` uses
    the largest ``v`` so far. ``weight_decay`` here is an L2 term added to the
    gradient; :class:`AdamW` decays the weights directly instead.
    """

    _decoupled = False

    def __init__(
        self,
        params: Iterable[Value],
        lr: float = 1e-3,
        betas: tuple[float, float] = (0.9, 0.999),
        eps: float = 1e-8,
        weight_decay: float = 0.0,
        amsgrad: bool = False,
    ) -> None:
        super().__init__(params, lr)
        if len(betas) != 2:
            raise ValueError(f"betas must be two numbers, got {len(betas)}")
        self.betas = (
            check_between("betas[0]", betas[0], 0.0, 1.0, high_open=True),
            check_between("betas[1]", betas[1], 0.0, 1.0, high_open=True),
        )
        self.eps = check_at_least("eps", eps)
        self.weight_decay = check_at_least("weight_decay", weight_decay)
        self.amsgrad = bool(amsgrad)

    def _initial_state(self) -> dict[str, float]:
        state = {"exp_avg": 0.0, "exp_avg_sq": 0.0}
        if self.amsgrad:
            state["max_exp_avg_sq"] = 0.0
        return state

    def _rule(self, math_, param, grad, state, step):
        lr = self.lr
        beta1, beta2 = self.betas
        if self.weight_decay != 0.0:
            if self._decoupled:
                param = param * (1 - lr * self.weight_decay)
            else:
                grad = math_.fma(self.weight_decay, param, grad)
        state["exp_avg"] = exp_avg = lerp(math_, state["exp_avg"], grad, 1 - beta1)
        exp_avg_sq = math_.fma((1 - beta2) * grad, grad, state["exp_avg_sq"] * beta2)
        state["exp_avg_sq"] = exp_avg_sq
        bias_correction1 = 1 - beta1**step
        bias_correction2 = 1 - beta2**step
        step_size = ieee.div(lr, bias_correction1)
        bias_correction2_sqrt = bias_correction2**0.5
        if self.amsgrad:
            largest = math_.maximum(state.get("max_exp_avg_sq", 0.0), exp_avg_sq)
            state["max_exp_avg_sq"] = largest
            root = math_.sqrt(largest)
        else:
            root = math_.sqrt(exp_avg_sq)
        denom = math_.div(root, bias_correction2_sqrt) + self.eps
        return param + math_.div(-step_size * exp_avg, denom)

    def drawable_state(self, p: Value) -> dict[str, float]:
        """``m`` and ``v`` as stored (before bias correction); ``v_max`` (amsgrad)."""
        memory = self._memory(p)
        if memory is None:
            return {}
        out = {"m": memory["exp_avg"], "v": memory["exp_avg_sq"]}
        if "max_exp_avg_sq" in memory:
            out["v_max"] = memory["max_exp_avg_sq"]
        return out


class AdamW(Adam):
    """Adam with decoupled weight decay: ``θ ← θ·(1 − lr·weight_decay)`` first.

    The decay never enters the moment averages, so it is not rescaled by them.
    PyTorch's default ``weight_decay`` here is 1e-2 (Adam's is 0).
    """

    _decoupled = True

    def __init__(
        self,
        params: Iterable[Value],
        lr: float = 1e-3,
        betas: tuple[float, float] = (0.9, 0.999),
        eps: float = 1e-8,
        weight_decay: float = 1e-2,
        amsgrad: bool = False,
    ) -> None:
        super().__init__(params, lr, betas, eps, weight_decay, amsgrad)
