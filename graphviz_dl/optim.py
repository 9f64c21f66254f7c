"""Optimizers over lists of ``Value`` parameters, with PyTorch's exact definitions.

Each optimizer reads every parameter's ``.grad``, updates its ``.data`` and keeps
per-parameter ``state`` (step count, momentum buffer, moments) that a view can
draw. Keyword names, defaults and update rules are PyTorch's (``torch.optim``,
the single-tensor CPU path, without ``maximize``/``foreach``/``fused``), and so
is the rounding: where PyTorch's kernels fuse a multiply and an add into one
rounding (``add`` with ``alpha``, ``addcmul``, ``lerp``), :func:`fma` does the
same, so a trajectory agrees with ``torch.optim`` to the last bit. (Square
roots here are IEEE's, correctly rounded; a PyTorch build whose float64
``sqrt`` is one ulp off for some inputs then differs by those ulps alone.)

Every update rule is written once, over numbers that may be floats or numpy
arrays: :meth:`ElementwiseOptimizer.step` runs it on each parameter's float (a
race's two coordinates), :meth:`ElementwiseOptimizer.step_flat` on whole arrays
(a network's hundreds of weights, at a fixed cost of a few dozen numpy calls
instead of microseconds per weight), with :func:`fma_array` rounding exactly as
:func:`fma` does, so both paths give the same bits.

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
from collections.abc import Iterable, Mapping
from fractions import Fraction

import numpy as np

from .engine import Value
from .numfmt import MINUS, format_number

__all__ = [
    "SGD",
    "Adadelta",
    "Adagrad",
    "Adam",
    "AdamW",
    "ArrayMath",
    "ElementwiseOptimizer",
    "FloatMath",
    "Optimizer",
    "RMSprop",
    "fma",
    "fma_array",
]

_TWO53 = 9007199254740992.0  # 2**53: turns a frexp mantissa into an exact integer

# The error-free transformations below are exact when the rounded product is at
# least 2⁻⁹⁰⁰ in size (then no partial product underflows: Boldo's condition
# for Dekker's product) and nothing overflows (which would leave an inf or nan
# in the result); sums that underflow are exact anyway. Other cases (zero
# factors, inf and nan among them) take exact integer arithmetic.
_VELTKAMP = 134217729.0  # 2**27 + 1: splits a double into two 26-bit halves
_PRODUCT_LOW = 2.0**-900


def fma(a: float, b: float, c: float) -> float:
    """``a·b + c`` rounded once, as a fused multiply-add (PyTorch's CPU kernels).

    The emulated FMA of Boldo and Melquiond (IEEE Trans. Computers 57(4),
    2008): Dekker's exact product ``a·b = p + e`` (Veltkamp splitting),
    Knuth's exact sum ``c + p = s + t``, the tail ``t + e`` rounded *to odd*,
    then ``s + tail`` rounded to nearest is ``a·b + c`` rounded once. Where
    that could under- or overflow, exact integer arithmetic on the mantissas
    instead. inf and nan follow IEEE rules.
    """
    scaled = _VELTKAMP * a
    a_hi = scaled - (scaled - a)
    a_lo = a - a_hi
    scaled = _VELTKAMP * b
    b_hi = scaled - (scaled - b)
    b_lo = b - b_hi
    product = a * b
    error = ((a_hi * b_hi - product) + a_hi * b_lo + a_lo * b_hi) + a_lo * b_lo
    total = c + product
    part = total - c
    total_error = (c - (total - part)) + (product - part)
    tail = total_error + error
    part = tail - total_error
    tail_error = (total_error - (tail - part)) + (error - part)
    if tail_error != 0.0 and (tail / math.ulp(tail)) % 2.0 == 0.0:
        tail = math.nextafter(tail, math.copysign(math.inf, tail_error))  # to odd
    result = total + tail
    if abs(product) >= _PRODUCT_LOW and result - result == 0.0:
        return result
    return _fma_exact(a, b, c)


def _fma_exact(a: float, b: float, c: float) -> float:
    """:func:`fma` by exact integer arithmetic on the mantissas, then one
    correctly rounded conversion; rare extreme exponents go through
    ``Fraction``."""
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


def fma_array(a, b, c) -> np.ndarray:
    """:func:`fma` elementwise over arrays (or numbers, broadcast): the same
    steps as numpy operations, so the same bits, in about thirty operations
    whatever the length. Elements the error-free steps cannot do exactly
    (zero factors, inf, nan, tiny products, overflow) are redone one by one.
    """
    with np.errstate(all="ignore"):
        a_hi, a_lo = _split(a)
        b_hi, b_lo = _split(b)
        product = a * b
        error = ((a_hi * b_hi - product) + a_hi * b_lo + a_lo * b_hi) + a_lo * b_lo
        total, total_error = _two_sum(c, product)
        tail, tail_error = _two_sum(total_error, error)
        result = np.asarray(total + _round_to_odd(tail, tail_error))
        # one reduction for both conditions: an inf or nan result makes it nan
        if result.size and not (np.abs(product) + result * 0.0).min() >= _PRODUCT_LOW:
            result = _redo_outside_range(a, b, c, product, result)
    return result


def _split(x):
    """Veltkamp's split: ``x = hi + lo`` exactly, each half of at most 26 bits."""
    scaled = _VELTKAMP * x
    hi = scaled - (scaled - x)
    return hi, x - hi


def _two_sum(a, b):
    """Knuth's TwoSum: ``a + b = s + e`` exactly, ``s`` the rounded sum."""
    s = a + b
    b_part = s - a
    return s, (a - (s - b_part)) + (b - b_part)


def _round_to_odd(value, error):
    """``value + error`` rounded to odd, given ``value`` is it rounded to nearest.

    Rounding to odd is truncation, then setting the last bit if anything was
    cut off. ``value`` is the truncation unless it lies beyond the exact sum
    (``error`` of the other sign): then it is one step nearer zero, which in
    the bit pattern of a float of either sign is one less.
    """
    bits = np.asarray(value, dtype=np.float64).view(np.int64)
    error = np.asarray(error, dtype=np.float64)
    inexact = error != 0.0
    beyond = ((bits ^ error.view(np.int64)) < 0) & inexact
    return ((bits - beyond) | inexact).view(np.float64)


def _redo_outside_range(a, b, c, product, result: np.ndarray) -> np.ndarray:
    """Redo the elements the error-free steps cannot: IEEE ``a·b + c`` where a
    factor is 0 or anything is inf or nan (as :func:`fma`), exact integer
    arithmetic for tiny products and overflows."""
    a, b, c, product = np.broadcast_arrays(
        *(np.asarray(x, dtype=np.float64) for x in (a, b, c, product))
    )
    result = np.array(np.broadcast_to(result, a.shape), dtype=np.float64)
    plain = (
        ~(np.isfinite(a) & np.isfinite(b) & np.isfinite(c)) | (a == 0.0) | (b == 0.0)
    )
    result[plain] = (a * b + c)[plain]
    redo = ~plain & ~((np.abs(product) >= _PRODUCT_LOW) & np.isfinite(result))
    flat = result.reshape(-1)
    a, b, c = a.reshape(-1), b.reshape(-1), c.reshape(-1)
    for i in np.flatnonzero(redo).tolist():
        flat[i] = _fma_exact(float(a[i]), float(b[i]), float(c[i]))
    return result


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


def _maximum(a: float, b: float) -> float:
    """The larger of two numbers; nan if either is (as ``torch.maximum``)."""
    if math.isnan(b):
        return b
    return max(a, b)


class FloatMath:
    """The operations an update rule needs, on floats (one parameter at a time)."""

    fma = staticmethod(fma)
    sqrt = staticmethod(_sqrt)
    div = staticmethod(_div)
    maximum = staticmethod(_maximum)


class ArrayMath:
    """The same operations on numpy arrays, rounding exactly as :class:`FloatMath`."""

    fma = staticmethod(fma_array)
    sqrt = staticmethod(np.sqrt)
    div = staticmethod(np.divide)
    maximum = staticmethod(np.maximum)


def _lerp(math_, start, end, weight: float):
    """PyTorch's ``lerp``: ``start + weight·(end − start)``, fused, near end first."""
    if abs(weight) < 0.5:
        return math_.fma(weight, end - start, start)
    return math_.fma(-(1.0 - weight), end - start, end)


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

    ``state[p]`` holds what the optimizer remembers about ``p``, created on
    the first step (PyTorch's lazy state), with PyTorch's key names
    (``"step"``, ``"momentum_buffer"``, ``"exp_avg"``, …).
    :meth:`drawable_state` gives the same internals under the short names a
    picture uses (``velocity``, ``m``, ``v``, ``s``).
    """

    def __init__(self, params: Iterable[Value], lr: float) -> None:
        self.params: list[Value] = list(params)
        if not self.params:
            raise ValueError("an optimizer needs at least one parameter")
        for p in self.params:
            if not isinstance(p, Value):
                raise TypeError(f"parameters must be Values, got {type(p).__name__}")
        self._index = {p: i for i, p in enumerate(self.params)}
        self.lr = lr
        self.state = {}

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
        raise NotImplementedError

    def step_flat(self, theta: np.ndarray, grad: np.ndarray) -> np.ndarray:
        """One step from parameters ``theta`` and gradient ``grad`` (flat, in
        :attr:`params` order): the new parameters, as a new array.

        An optimizer without an array rule steps through the Values here
        (which then hold the result); :class:`ElementwiseOptimizer` never
        touches them.
        """
        theta, grad = _flat_pair(theta, grad, len(self.params))
        for p, value, g in zip(self.params, theta.tolist(), grad.tolist()):
            p.data, p.grad = value, g
        self.step()
        return np.array([p.data for p in self.params], dtype=np.float64)

    def drawable_state(self, p: Value) -> dict[str, float]:
        """This parameter's internals under the names a picture uses."""
        return {}

    def __repr__(self) -> str:
        return f"{type(self).__name__}(lr={self.lr!r}, {len(self.params)} parameters)"


def _flat_pair(theta, grad, n: int) -> tuple[np.ndarray, np.ndarray]:
    """``theta`` and a private copy of ``grad`` as float64 vectors of length ``n``."""
    theta = np.asarray(theta, dtype=np.float64)
    grad = np.array(grad, dtype=np.float64)
    if theta.shape != (n,) or grad.shape != (n,):
        raise ValueError(
            f"step_flat needs two flat arrays of {n} numbers (one per parameter), "
            f"got shapes {theta.shape} and {grad.shape}"
        )
    return theta, grad


#: Up to this many parameters, :meth:`ElementwiseOptimizer.step` runs the rule on
#: floats; above, on arrays (numpy's per-call cost pays off from about here).
FLOAT_PATH_LIMIT = 32


class ElementwiseOptimizer(Optimizer):
    """An optimizer whose step treats every coordinate alike and apart.

    A subclass writes its update once, in :meth:`_rule`, with ``+ − ·`` and the
    operations of ``math_`` (:class:`FloatMath` or :class:`ArrayMath`), over
    values that are floats or arrays alike. Its memory (moments, buffers) is
    kept in one of two layouts, whichever the last step used: a dict of floats
    per parameter (:meth:`step` on few parameters) or an array per key
    (:meth:`step_flat`); a switch converts it once, exactly.

    :attr:`state` reads it in PyTorch's form, ``{param: {"step": t, key:
    value}}``, as a copy; assigning a mapping of that form (all parameters or
    none, one step count, the same keys) loads it, e.g. to rewind.
    """

    _step: int
    _rows: list[dict[str, float]] | None
    _columns: dict[str, np.ndarray] | None

    @property
    def state(self) -> Mapping[Value, Mapping[str, float]]:
        """``{param: {"step": t, key: value, …}}`` as of now (empty before step 1).

        A new copy at each read (one pass over the parameters): changing it
        changes nothing; assign to :attr:`state` to load one.
        """
        if self._rows is not None:
            return {
                p: {"step": self._step, **row}
                for p, row in zip(self.params, self._rows)
            }
        if self._columns is None:
            return {}
        return dict(
            zip(self.params, _rows_of(self._columns, len(self.params), self._step))
        )

    @state.setter
    def state(self, state: Mapping[Value, Mapping[str, float]]) -> None:
        entries = [state.get(p) for p in self.params]
        started = [entry is not None for entry in entries]
        if not any(started):
            self._step, self._rows, self._columns = 0, None, None
            return
        if not all(started):
            raise ValueError(
                "an optimizer's state must cover every parameter or none: "
                f"{sum(started)} of {len(started)} parameters have one"
            )
        steps = {entry.get("step") for entry in entries}
        if len(steps) != 1 or None in steps:
            raise ValueError(
                'every parameter\'s state needs the same "step" count, got '
                f"{sorted(map(str, steps))}"
            )
        keys = [key for key in entries[0] if key != "step"]
        if any(set(entry) != {"step", *keys} for entry in entries):
            raise ValueError("every parameter's state needs the same keys")
        self._step = int(steps.pop())
        self._rows = [{key: float(entry[key]) for key in keys} for entry in entries]
        self._columns = None

    def step(self) -> None:
        """Update every parameter once from its current ``.grad``."""
        if len(self.params) > FLOAT_PATH_LIMIT:
            theta = np.array([p.data for p in self.params], dtype=np.float64)
            grad = np.array([p.grad for p in self.params], dtype=np.float64)
            for p, value in zip(self.params, self.step_flat(theta, grad).tolist()):
                p.data = value
            return
        rows = self._row_layout()
        self._step += 1
        for p, row in zip(self.params, rows):
            p.data = self._rule(FloatMath, p.data, p.grad, row, self._step)

    def step_flat(self, theta: np.ndarray, grad: np.ndarray) -> np.ndarray:
        """One step over whole arrays (the Values are not read or written)."""
        theta, grad = _flat_pair(theta, grad, len(self.params))
        columns = self._column_layout()
        self._step += 1
        with np.errstate(all="ignore"):
            new = self._rule(ArrayMath, theta, grad, columns, self._step)
        return np.array(new, dtype=np.float64)  # a new array: never one in state

    def _rule(self, math_, param, grad, state: dict, step: int):
        """The new ``param`` from ``grad``; updates ``state`` (float or array
        values) in place; ``step`` counts this step (1 on the first)."""
        raise NotImplementedError

    def _initial_state(self) -> dict[str, float]:
        """What a parameter's memory starts from on the first step."""
        return {}

    # --- the two layouts ------------------------------------------------------------
    def _row_layout(self) -> list[dict[str, float]]:
        if self._rows is None:
            if self._columns is None:
                initial = self._initial_state()
                self._rows = [dict(initial) for _ in self.params]
            else:
                self._rows = _rows_of(self._columns, len(self.params))
                self._columns = None
        return self._rows

    def _column_layout(self) -> dict[str, np.ndarray]:
        if self._columns is None:
            if self._rows is None:
                n = len(self.params)
                self._columns = {
                    key: np.full(n, value, dtype=np.float64)
                    for key, value in self._initial_state().items()
                }
            else:
                self._columns = {
                    key: np.array([row[key] for row in self._rows], dtype=np.float64)
                    for key in self._rows[0]
                }
                self._rows = None
        return self._columns

    def _memory(self, p: Value) -> Mapping[str, float] | None:
        """``p``'s buffers (without the step count), None before the first step."""
        i = self._index.get(p)
        if i is None:
            return None
        if self._rows is not None:
            return self._rows[i]
        if self._columns is None:
            return None
        return {key: float(column[i]) for key, column in self._columns.items()}


def _rows_of(
    columns: dict[str, np.ndarray], n: int, step: int | None = None
) -> list[dict[str, float]]:
    """Per-key arrays as one dict of floats per parameter (with ``"step"`` first
    if given)."""
    keys = list(columns)
    lists = [column.tolist() for column in columns.values()]
    if step is not None:
        keys.insert(0, "step")
        lists.insert(0, [step] * n)
    if not keys:
        return [{} for _ in range(n)]
    return [dict(zip(keys, row)) for row in zip(*lists)]


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
            got = f"momentum = {_show(momentum)}, dampening = {_show(dampening)}"
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
        clr = _div(self.lr, 1 + (step - 1) * self.lr_decay)
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
            grad_avg = _lerp(math_, state.get("grad_avg", 0.0), grad, 1.0 - alpha)
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
        state["exp_avg"] = exp_avg = _lerp(math_, state["exp_avg"], grad, 1 - beta1)
        exp_avg_sq = math_.fma((1 - beta2) * grad, grad, state["exp_avg_sq"] * beta2)
        state["exp_avg_sq"] = exp_avg_sq
        bias_correction1 = 1 - beta1**step
        bias_correction2 = 1 - beta2**step
        step_size = _div(lr, bias_correction1)
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
