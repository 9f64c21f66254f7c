"""Gradient descent with optional (Nesterov) momentum."""

from __future__ import annotations

from collections.abc import Iterable

from ..engine import Value
from ..numfmt import exact_number
from .base import ElementwiseOptimizer
from .checks import check_at_least


class SGD(ElementwiseOptimizer):
    """Gradient descent, with optional (Nesterov) momentum and L2 weight decay.

    ``g ← ∇ + weight_decay·θ``; with ``momentum`` μ the buffer is ``b ← g`` on
    the first step, then ``b ← μb + (1 − dampening)g``; the step direction is
    ``b`` (or ``g + μb`` with ``nesterov``); ``θ ← θ − lr·direction``.
    See the module docstring for how this is the notes' ``v ← βv − α∇``.
    """

    def __init__(
        self,
        params: Iterable[Value],
        lr: float = 1e-3,
        momentum: float = 0.0,
        dampening: float = 0.0,
        weight_decay: float = 0.0,
        nesterov: bool = False,
    ) -> None:
        super().__init__(params, lr)
        self.momentum = check_at_least("momentum", momentum)
        self.dampening = float(dampening)
        self.weight_decay = check_at_least("weight_decay", weight_decay)
        self.nesterov = bool(nesterov)
        if self.nesterov and (self.momentum <= 0.0 or self.dampening != 0.0):
            got = f"momentum = {exact_number(momentum)}, dampening = {exact_number(dampening)}"
            raise ValueError(
                f"Nesterov momentum needs momentum > 0 and dampening = 0, got {got}"
            )

    def _rule(self, math_, param, grad, state, step):
        if self.weight_decay != 0.0:
            grad = math_.fma(self.weight_decay, param, grad)
        if self.momentum != 0.0:
            buf = state.get("momentum_buffer")
            if buf is None:
                buf = grad
            else:
                buf = math_.fma(1.0 - self.dampening, grad, buf * self.momentum)
            state["momentum_buffer"] = buf
            grad = math_.fma(self.momentum, buf, grad) if self.nesterov else buf
        return math_.fma(-self.lr, grad, param)

    def drawable_state(self, p: Value) -> dict[str, float]:
        """``velocity`` = −lr·buffer: the notes' ``v``, the step momentum takes."""
        memory = self._memory(p)
        buf = None if memory is None else memory.get("momentum_buffer")
        return {} if buf is None else {"velocity": -self.lr * buf}
