"""Optimizers over lists of ``Value`` parameters, with PyTorch's exact definitions.

Each optimizer reads every parameter's ``.grad``, updates its ``.data`` and keeps
per-parameter ``state`` (step count, momentum buffer, moments) that a view can
draw. Keyword names, defaults and update rules are PyTorch's (``torch.optim``,
the single-tensor CPU path, without ``maximize``/``foreach``/``fused``), and so
is the rounding: where PyTorch's kernels fuse a multiply and an add into one
rounding (``add`` with ``alpha``, ``addcmul``, ``lerp``), :func:`fma` does the
same, so a trajectory agrees with ``torch.optim`` to the last bit.

How the lecture-note forms map onto these:

* Gradient descent ``θ ← θ − α∇L`` is ``SGD(params, lr=α)``.
* Momentum ``v ← βv − α∇L; θ ← θ + v`` is ``SGD(lr=α, momentum=β)``. PyTorch
  keeps the buffer ``b ← βb + ∇L`` and steps ``θ ← θ − α·b``; with ``v = −α·b``
  and a constant α both walk the same path (the first step is ``−α∇L`` in both).
* Nesterov's look-ahead ``θ̃ = θ + βv`` is ``SGD(..., nesterov=True)``: PyTorch
  stores the look-ahead point itself as the parameter, so the gradient is
  simply taken where the parameter sits, and the step is ``−α(∇L + β·b)``.
* RMSProp ``s ← βs + (1−β)g²; θ ← θ − α·g/(√s + ε)`` is
  ``RMSprop(lr=α, alpha=β, eps=ε)`` (PyTorch's default ``alpha`` is 0.99).
* Adagrad ``θ ← θ − η·g/√(Σg²)`` is ``Adagrad(lr=η)``; PyTorch adds ``eps``
  (1e-10) to the root so the first step cannot divide by zero.
* Adam is RMSProp's scaling applied to a momentum average, both corrected for
  their start at zero.
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from fractions import Fraction

from .engine import Value
from .numfmt import MINUS, format_number

__all__ = [
    "SGD",
    "Adadelta",
    "Adagrad",
    "Adam",
    "AdamW",
    "Optimizer",
    "RMSprop",
    "fma",
]

_TWO53 = 9007199254740992.0  # 2**53: turns a frexp mantissa into an exact integer


def fma(a: float, b: float, c: float) -> float:
    """``a·b + c`` rounded once, as a fused multiply-add (PyTorch's CPU kernels).

    Exact integer arithmetic on the mantissas, then one correctly rounded
    conversion; rare extreme exponents go through ``Fraction``. inf and nan
    follow IEEE rules.
    """
    if not (math.isfinite(a) and math.isfinite(b) and math.isfinite(c)):
        return a * b + c
    if a == 0.0 or b == 0.0:
        return a * b + c
    ma, ea = math.frexp(a)
    mb, eb = math.frexp(b)
    mc, ec = math.frexp(c)
    ep = ea + eb - 106
    ec -= 53
    product = int(ma * _TWO53) * int(mb * _TWO53)
    addend = int(mc * _TWO53)
    gap = ep - ec
    if -1100 < gap < 1100:
        if gap >= 0:
            total, e = (product << gap) + addend, ec
        else:
            total, e = product + (addend << -gap), ep
        if total == 0:
            return 0.0
        bits = abs(total).bit_length()
        if bits < 1000 and bits + e > -1021:
            try:
                return math.ldexp(float(total), e)
            except OverflowError:
                pass
    exact = Fraction(a) * Fraction(b) + Fraction(c)
    if exact == 0:
        return 0.0
    try:
        return float(exact)
    except OverflowError:
        return math.inf if exact > 0 else -math.inf


def _lerp(start: float, end: float, weight: float) -> float:
    """PyTorch's ``lerp``: ``start + weight·(end − start)``, fused, near end first."""
    if abs(weight) < 0.5:
        return fma(weight, end - start, start)
    return fma(-(1.0 - weight), end - start, end)


def check_at_least(name: str, value: float, low: float = 0.0) -> float:
    """``value`` as a float, or ValueError naming it and the allowed range."""
    value = float(value)
    if not value >= low:  # also rejects nan
        raise ValueError(f"{name} must be ≥ {_show(low)}, got {_show(value)}")
    return value


def check_between(
    name: str, value: float, low: float, high: float, *, high_open: bool = False
) -> float:
    """``value`` in ``[low, high]`` (or ``[low, high)``), else ValueError."""
    value = float(value)
    ok = low <= value < high if high_open else low <= value <= high
    if not ok:
        bracket = ")" if high_open else "]"
        raise ValueError(
            f"{name} must be in [{_show(low)}, {_show(high)}{bracket}, "
            f"got {_show(value)}"
        )
    return value


def _show(x: float) -> str:
    """A number as typed: ``0``, ``−1``, ``1.5``, ``inf`` (shortest exact form)."""
    x = float(x)
    if not math.isfinite(x):
        return format_number(x)
    text = str(int(x)) if x.is_integer() and abs(x) < 1e15 else repr(x)
    return text.replace("-", MINUS)


class Optimizer:
    """What every optimizer shares: parameters, a learning rate, per-parameter state.

    ``state[p]`` is a dict created on the first step for ``p`` (PyTorch's lazy
    state), with PyTorch's key names (``"step"``, ``"momentum_buffer"``,
    ``"exp_avg"``, …). :meth:`drawable_state` gives the same internals under
    the short names a picture uses (``velocity``, ``m``, ``v``, ``s``).
    """

    def __init__(self, params: Iterable[Value], lr: float) -> None:
        self.params: list[Value] = list(params)
        if not self.params:
            raise ValueError("an optimizer needs at least one parameter")
        for p in self.params:
            if not isinstance(p, Value):
                raise TypeError(f"parameters must be Values, got {type(p).__name__}")
        self.lr = lr
        self.state: dict[Value, dict[str, float]] = {}

    @property
    def lr(self) -> float:
        """The learning rate of the next step (schedulers change it between steps)."""
        return self._lr

    @lr.setter
    def lr(self, value: float) -> None:
        self._lr = check_at_least("lr", value)

    def zero_grad(self) -> None:
        """Reset every parameter's gradient to 0 (leaves accumulate until this)."""
        for p in self.params:
            p.grad = 0.0

    def step(self) -> None:
        """Update every parameter once from its current ``.grad``."""
        for p in self.params:
            state = self.state.get(p)
            if state is None:
                state = self.state[p] = self._init_state(p)
            p.data = self._update(p.data, p.grad, state)

    def drawable_state(self, p: Value) -> dict[str, float]:
        """This parameter's internals under the names a picture uses."""
        return {}

    def _init_state(self, p: Value) -> dict[str, float]:
        return {"step": 0}

    def _update(self, param: float, grad: float, state: dict[str, float]) -> float:
        raise NotImplementedError

    def __repr__(self) -> str:
        return f"{type(self).__name__}(lr={self.lr!r}, {len(self.params)} parameters)"


class SGD(Optimizer):
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
            got = f"momentum = {_show(momentum)}, dampening = {_show(dampening)}"
            raise ValueError(
                f"Nesterov momentum needs momentum > 0 and dampening = 0, got {got}"
            )

    def _update(self, param: float, grad: float, state: dict[str, float]) -> float:
        state["step"] += 1
        if self.weight_decay != 0.0:
            grad = fma(self.weight_decay, param, grad)
        if self.momentum != 0.0:
            buf = state.get("momentum_buffer")
            if buf is None:
                buf = grad
            else:
                buf = fma(1.0 - self.dampening, grad, buf * self.momentum)
            state["momentum_buffer"] = buf
            grad = fma(self.momentum, buf, grad) if self.nesterov else buf
        return fma(-self.lr, grad, param)

    def drawable_state(self, p: Value) -> dict[str, float]:
        """``velocity`` = −lr·buffer: the notes' ``v``, the step momentum takes."""
        buf = self.state.get(p, {}).get("momentum_buffer")
        return {} if buf is None else {"velocity": -self.lr * buf}


class Adagrad(Optimizer):
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

    def _init_state(self, p: Value) -> dict[str, float]:
        return {"step": 0, "sum": self.initial_accumulator_value}

    def _update(self, param: float, grad: float, state: dict[str, float]) -> float:
        state["step"] = step = state["step"] + 1
        if self.weight_decay != 0.0:
            grad = fma(self.weight_decay, param, grad)
        clr = _div(self.lr, 1 + (step - 1) * self.lr_decay)
        state["sum"] = total = fma(grad, grad, state["sum"])
        std = math.sqrt(total) + self.eps
        return param + _div(-clr * grad, std)

    def drawable_state(self, p: Value) -> dict[str, float]:
        state = self.state.get(p)
        return {} if state is None else {"sum": state["sum"]}


class RMSprop(Optimizer):
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

    def _init_state(self, p: Value) -> dict[str, float]:
        state = {"step": 0, "square_avg": 0.0}
        if self.momentum > 0.0:
            state["momentum_buffer"] = 0.0
        if self.centered:
            state["grad_avg"] = 0.0
        return state

    def _update(self, param: float, grad: float, state: dict[str, float]) -> float:
        state["step"] += 1
        if self.weight_decay != 0.0:
            grad = fma(self.weight_decay, param, grad)
        alpha = self.alpha
        square_avg = fma((1.0 - alpha) * grad, grad, state["square_avg"] * alpha)
        state["square_avg"] = square_avg
        if self.centered:
            grad_avg = _lerp(state.get("grad_avg", 0.0), grad, 1.0 - alpha)
            state["grad_avg"] = grad_avg
            avg = _sqrt(fma(-grad_avg, grad_avg, square_avg))
        else:
            avg = _sqrt(square_avg)
        avg = avg + self.eps
        if self.momentum > 0.0:
            buf = state.get("momentum_buffer", 0.0) * self.momentum + _div(grad, avg)
            state["momentum_buffer"] = buf
            return fma(-self.lr, buf, param)
        return param + _div(-self.lr * grad, avg)

    def drawable_state(self, p: Value) -> dict[str, float]:
        state = self.state.get(p)
        if state is None:
            return {}
        out = {"s": state["square_avg"]}
        if "grad_avg" in state:
            out["g_avg"] = state["grad_avg"]
        if "momentum_buffer" in state:
            out["buffer"] = state["momentum_buffer"]
        return out


class Adam(Optimizer):
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

    def _init_state(self, p: Value) -> dict[str, float]:
        state = {"step": 0, "exp_avg": 0.0, "exp_avg_sq": 0.0}
        if self.amsgrad:
            state["max_exp_avg_sq"] = 0.0
        return state

    def _update(self, param: float, grad: float, state: dict[str, float]) -> float:
        state["step"] = step = state["step"] + 1
        lr = self.lr
        beta1, beta2 = self.betas
        if self.weight_decay != 0.0:
            if self._decoupled:
                param = param * (1 - lr * self.weight_decay)
            else:
                grad = fma(self.weight_decay, param, grad)
        state["exp_avg"] = exp_avg = _lerp(state["exp_avg"], grad, 1 - beta1)
        exp_avg_sq = fma((1 - beta2) * grad, grad, state["exp_avg_sq"] * beta2)
        state["exp_avg_sq"] = exp_avg_sq
        bias_correction1 = 1 - beta1**step
        bias_correction2 = 1 - beta2**step
        step_size = _div(lr, bias_correction1)
        bias_correction2_sqrt = bias_correction2**0.5
        if self.amsgrad:
            largest = max(state.get("max_exp_avg_sq", 0.0), exp_avg_sq)
            if math.isnan(exp_avg_sq):
                largest = exp_avg_sq
            state["max_exp_avg_sq"] = largest
            denom = _div(_sqrt(largest), bias_correction2_sqrt) + self.eps
        else:
            denom = _div(_sqrt(exp_avg_sq), bias_correction2_sqrt) + self.eps
        return param + _div(-step_size * exp_avg, denom)

    def drawable_state(self, p: Value) -> dict[str, float]:
        """``m`` and ``v`` as stored (before bias correction); ``v_max`` (amsgrad)."""
        state = self.state.get(p)
        if state is None:
            return {}
        out = {"m": state["exp_avg"], "v": state["exp_avg_sq"]}
        if "max_exp_avg_sq" in state:
            out["v_max"] = state["max_exp_avg_sq"]
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


class Adadelta(Optimizer):
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

    def _init_state(self, p: Value) -> dict[str, float]:
        return {"step": 0, "square_avg": 0.0, "acc_delta": 0.0}

    def _update(self, param: float, grad: float, state: dict[str, float]) -> float:
        state["step"] += 1
        if self.weight_decay != 0.0:
            grad = fma(self.weight_decay, param, grad)
        rho = self.rho
        square_avg = fma((1 - rho) * grad, grad, state["square_avg"] * rho)
        state["square_avg"] = square_avg
        std = _sqrt(square_avg + self.eps)
        delta = _div(_sqrt(state["acc_delta"] + self.eps), std) * grad
        state["acc_delta"] = fma((1 - rho) * delta, delta, state["acc_delta"] * rho)
        return fma(-self.lr, delta, param)

    def drawable_state(self, p: Value) -> dict[str, float]:
        state = self.state.get(p)
        if state is None:
            return {}
        return {"s": state["square_avg"], "delta_avg": state["acc_delta"]}


def _sqrt(x: float) -> float:
    """IEEE square root: nan below 0 (never raises), inf stays inf."""
    return math.sqrt(x) if x >= 0.0 else math.nan


def _div(a: float, b: float) -> float:
    """IEEE division: ``x/0`` is ±inf and ``0/0`` nan, as in PyTorch, never an error."""
    try:
        return a / b
    except ZeroDivisionError:
        if a == 0.0 or math.isnan(a):
            return math.nan
        return math.copysign(math.inf, a) * math.copysign(1.0, b)
