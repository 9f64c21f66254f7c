"""The op table: every operation is defined here once, and everything else reads it.

For each op: its name, the symbol drawn in its graph node, a scalar forward, the
local derivatives (given the inputs and the output), the numpy versions of both
(for vectorized replay), a template that writes the op as text, the derivative
of each input as text, and a sentence that explains it.

Numbers follow IEEE rules, the same in the scalar and the numpy versions:
``log(0) = -inf``, ``log(-1) = nan``, ``1/0 = inf``, overflow gives ``inf``.
Nothing raises on a bad number; the bad number is shown where it appears.

Tie and kink rules (the same as PyTorch): ``relu'(0) = 0``, ``abs'(0) = 0``,
``leaky_relu'(0) = slope``; ``max``/``min`` of two equal values send half the
gradient to each input.
"""

from __future__ import annotations

import math
import operator
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace
from functools import partial

import numpy as np

from . import ieee
from .numfmt import exact_number

VARIADIC = -1
_SQRT2 = math.sqrt(2.0)
_INV_SQRT_2PI = 1.0 / math.sqrt(2.0 * math.pi)


@dataclass(frozen=True, eq=False)
class Op:
    """One operation. Ops with a parameter (an exponent, a slope) are bound with
    :meth:`bind`, which gives a cached copy whose functions have it built in."""

    name: str
    symbol: str
    arity: int
    forward: Callable[..., float]
    local: Callable[..., tuple[float, ...]]
    np_forward: Callable[..., np.ndarray]
    np_local: Callable[..., tuple[np.ndarray, ...]]
    template: str
    derivative_texts: tuple[str, ...]
    explanation: str
    param: float | None = None
    _bound: dict = field(default_factory=dict, repr=False, compare=False)

    def bind(self, param: float) -> Op:
        """This op with its parameter fixed (``x ** 2``: pow bound to 2)."""
        param = float(param)
        op = self._bound.get(param)
        if op is None:
            op = replace(
                self,
                param=param,
                forward=partial(self.forward, param),
                local=partial(self.local, param),
                np_forward=partial(self.np_forward, param),
                np_local=partial(self.np_local, param),
                _bound={},
            )
            self._bound[param] = op
        return op

    @property
    def label(self) -> str:
        """The text in the op's node of a drawing: the symbol, with a bound power's
        number (``^2`` for ``x ** 2``, ``2^`` for ``2 ** x``)."""
        if self.param is not None and self.name == "pow_const":
            return "^" + exact_number(self.param)
        if self.param is not None and self.name == "rpow":
            return exact_number(self.param) + "^"
        return self.symbol

    def render(self, args: Sequence[str], times: str = "·") -> str:
        """The op written with ``args`` as operands: ``render(["a", "b"]) == "a · b"``."""
        p = "" if self.param is None else exact_number(self.param)
        if self.arity == VARIADIC:
            return _render_variadic(self.name, list(args), times)
        return self.template.format(*args, x=times, p=p)

    def derivative_text(self, index: int, args: Sequence[str], out: str) -> str:
        """∂out/∂input[index] written symbolically, e.g. ``b`` for ``∂(a·b)/∂a``."""
        p = "" if self.param is None else exact_number(self.param)
        if self.arity == VARIADIC:
            if self.name == "linear" and index < len(args) - 1:
                return args[index ^ 1]
            return "1"
        if self.name == "pow_const" and self.param == 2.0:
            return f"2 · {args[0]}"  # the power rule, simplified: d(x²)/dx = 2·x
        exponent = "" if self.param is None else exact_number(self.param - 1.0)
        return self.derivative_texts[index].format(*args, out=out, p=p, q=exponent)

    def __repr__(self) -> str:
        return (
            f"Op({self.name})"
            if self.param is None
            else f"Op({self.name}, {self.param})"
        )


def _render_variadic(name: str, args: list[str], times: str) -> str:
    if name == "sum":
        return " + ".join(args) if args else "0"
    pairs = [f"{args[i]}{times}{args[i + 1]}" for i in range(0, len(args) - 1, 2)]
    return " + ".join([*pairs, args[-1]])


def _np_erf(x: np.ndarray) -> np.ndarray:
    # scipy is imported on first use: it costs a fifth of a second at start-up.
    from scipy.special import erf

    return erf(x)


def _np_sigmoid(x: np.ndarray) -> np.ndarray:
    from scipy.special import expit

    return expit(x)


def _sigmoid(a: float) -> float:
    if a >= 0.0:
        return 1.0 / (1.0 + math.exp(-a))
    e = math.exp(a)
    return e / (1.0 + e)


# --- the ops --------------------------------------------------------------------


def _tie(a, b):
    return np.where(a > b, 1.0, np.where(a < b, 0.0, 0.5))


def _np(f):
    """Run a numpy forward with IEEE warnings silenced (inf/nan are the answer)."""

    def wrapped(*args):
        with np.errstate(all="ignore"):
            return f(*args)

    wrapped.__name__ = getattr(f, "__name__", "np_op")
    wrapped.__wrapped__ = f  # compiled kernels set errstate once and call f directly
    return wrapped


ADD = Op(
    "add",
    "+",
    2,
    forward=lambda a, b: a + b,
    local=lambda a, b, out: (1.0, 1.0),
    np_forward=_np(np.add),
    np_local=_np(lambda a, b, out: (np.ones_like(out), np.ones_like(out))),
    template="{0} + {1}",
    derivative_texts=("1", "1"),
    explanation="A sum passes the gradient through unchanged to both inputs.",
)
SUB = Op(
    "sub",
    "−",
    2,
    forward=lambda a, b: a - b,
    local=lambda a, b, out: (1.0, -1.0),
    np_forward=_np(np.subtract),
    np_local=_np(lambda a, b, out: (np.ones_like(out), -np.ones_like(out))),
    template="{0} − {1}",
    derivative_texts=("1", "−1"),
    explanation="A difference passes the gradient to the first input and its "
    "negative to the second.",
)
MUL = Op(
    "mul",
    "×",
    2,
    forward=lambda a, b: a * b,
    local=lambda a, b, out: (b, a),
    np_forward=_np(np.multiply),
    np_local=_np(lambda a, b, out: (b, a)),
    template="{0} {x} {1}",
    derivative_texts=("{1}", "{0}"),
    explanation="A product sends each input the gradient times the other input: "
    "it swaps the values.",
)
DIV = Op(
    "div",
    "÷",
    2,
    forward=ieee.div,
    local=lambda a, b, out: (ieee.div(1.0, b), ieee.div(-out, b)),
    np_forward=_np(np.divide),
    np_local=_np(lambda a, b, out: (1.0 / b, -out / b)),
    template="{0} / {1}",
    derivative_texts=("1/{1}", "−{0}/{1}²"),
    explanation="A quotient a/b changes by 1/b per unit of a and by −a/b² per unit of b.",
)


def _pow_local(a: float, b: float, out: float) -> tuple[float, float]:
    da = 0.0 if b == 0.0 else b * ieee.power(a, b - 1.0)
    db = 0.0 if out == 0.0 else out * ieee.log(a)
    return da, db


def _np_pow_local(a, b, out):
    da = np.where(b == 0.0, 0.0, b * np.power(a, b - 1.0))
    db = np.where(out == 0.0, 0.0, out * np.log(np.where(out == 0.0, 1.0, a)))
    return da, db


POW = Op(
    "pow",
    "^",
    2,
    forward=ieee.power,
    local=_pow_local,
    np_forward=_np(np.power),
    np_local=_np(_np_pow_local),
    template="{0} ^ {1}",
    derivative_texts=("{1} · {0}^({1} − 1)", "{out} · ln {0}"),
    explanation="A power aᵇ grows by b·aᵇ⁻¹ per unit of a and by aᵇ·ln a per unit of b.",
)


def _relu(a: float) -> float:
    return a if a > 0.0 or math.isnan(a) else 0.0


def _pick_larger(a: float, b: float, out: float) -> tuple[float, float]:
    return (1.0, 0.0) if a > b else (0.0, 1.0) if b > a else (0.5, 0.5)


def _pick_smaller(a: float, b: float, out: float) -> tuple[float, float]:
    return (1.0, 0.0) if a < b else (0.0, 1.0) if b < a else (0.5, 0.5)


MAX = Op(
    "max",
    "max",
    2,
    forward=ieee.maximum,
    local=_pick_larger,
    np_forward=_np(np.maximum),
    np_local=_np(lambda a, b, out: (_tie(a, b), _tie(b, a))),
    template="max({0}, {1})",
    derivative_texts=(
        "1 if {0} > {1}, 0.5 if equal, else 0",
        "1 if {1} > {0}, 0.5 if equal, else 0",
    ),
    explanation="max sends the whole gradient to the larger input (half each on a tie).",
)
MIN = Op(
    "min",
    "min",
    2,
    forward=ieee.minimum,
    local=_pick_smaller,
    np_forward=_np(np.minimum),
    np_local=_np(lambda a, b, out: (_tie(b, a), _tie(a, b))),
    template="min({0}, {1})",
    derivative_texts=(
        "1 if {0} < {1}, 0.5 if equal, else 0",
        "1 if {1} < {0}, 0.5 if equal, else 0",
    ),
    explanation="min sends the whole gradient to the smaller input (half each on a tie).",
)

NEG = Op(
    "neg",
    "−",
    1,
    forward=lambda a: -a,
    local=lambda a, out: (-1.0,),
    np_forward=_np(np.negative),
    np_local=_np(lambda a, out: (-np.ones_like(out),)),
    template="−{0}",
    derivative_texts=("−1",),
    explanation="Negation flips the sign of the gradient.",
)
EXP = Op(
    "exp",
    "exp",
    1,
    forward=ieee.exp,
    local=lambda a, out: (out,),
    np_forward=_np(np.exp),
    np_local=_np(lambda a, out: (out,)),
    template="exp({0})",
    derivative_texts=("exp({0})",),
    explanation="eˣ is its own derivative: the local slope is the output itself.",
)
LOG = Op(
    "log",
    "ln",
    1,
    forward=ieee.log,
    local=lambda a, out: (ieee.div(1.0, a),),
    np_forward=_np(np.log),
    np_local=_np(lambda a, out: (1.0 / a,)),
    template="log({0})",
    derivative_texts=("1/{0}",),
    explanation="The natural log has slope 1/x: steep near 0, flat for large x.",
)
TANH = Op(
    "tanh",
    "tanh",
    1,
    forward=math.tanh,
    local=lambda a, out: (1.0 - out * out,),
    np_forward=_np(np.tanh),
    np_local=_np(lambda a, out: (1.0 - out * out,)),
    template="tanh({0})",
    derivative_texts=("1 − {out}²",),
    explanation="tanh squashes to (−1, 1); its slope 1 − tanh² vanishes for large |x|.",
)
SIGMOID = Op(
    "sigmoid",
    "σ",
    1,
    forward=_sigmoid,
    local=lambda a, out: (out * (1.0 - out),),
    np_forward=_np(_np_sigmoid),
    np_local=_np(lambda a, out: (out * (1.0 - out),)),
    template="σ({0})",
    derivative_texts=("{out} · (1 − {out})",),
    explanation="The sigmoid squashes to (0, 1); its slope σ(1 − σ) is at most 0.25.",
)
RELU = Op(
    "relu",
    "ReLU",
    1,
    forward=_relu,
    local=lambda a, out: (1.0 if a > 0.0 else 0.0,),
    np_forward=_np(lambda a: np.maximum(a, 0.0)),
    np_local=_np(lambda a, out: (np.where(a > 0.0, 1.0, 0.0),)),
    template="relu({0})",
    derivative_texts=("1 if {0} > 0 else 0",),
    explanation="ReLU passes positive inputs (slope 1) and blocks the rest (slope 0).",
)
SIN = Op(
    "sin",
    "sin",
    1,
    forward=ieee.sin,
    local=lambda a, out: (ieee.cos(a),),
    np_forward=_np(np.sin),
    np_local=_np(lambda a, out: (np.cos(a),)),
    template="sin({0})",
    derivative_texts=("cos({0})",),
    explanation="sin has slope cos: it oscillates, so a surface built on it is bumpy.",
)
COS = Op(
    "cos",
    "cos",
    1,
    forward=ieee.cos,
    local=lambda a, out: (-ieee.sin(a),),
    np_forward=_np(np.cos),
    np_local=_np(lambda a, out: (-np.sin(a),)),
    template="cos({0})",
    derivative_texts=("−sin({0})",),
    explanation="cos has slope −sin: it oscillates, so a surface built on it is bumpy.",
)

LEAKY_RELU = Op(
    "leaky_relu",
    "LReLU",
    1,
    forward=lambda s, a: a if a > 0.0 else s * a,
    local=lambda s, a, out: (1.0 if a > 0.0 else s,),
    np_forward=_np(lambda s, a: np.where(a > 0.0, a, s * a)),
    np_local=_np(lambda s, a, out: (np.where(a > 0.0, 1.0, s),)),
    template="leaky_relu({0}, {p})",
    derivative_texts=("1 if {0} > 0 else {p}",),
    explanation="Leaky ReLU keeps a small slope for negative inputs, so they still learn.",
)


def _gelu(a: float) -> float:
    return 0.5 * a * (1.0 + math.erf(a / _SQRT2))


def _gelu_local(a: float, out: float) -> tuple[float]:
    cdf = 0.5 * (1.0 + math.erf(a / _SQRT2))
    pdf = _INV_SQRT_2PI * math.exp(-0.5 * a * a)
    return (cdf + a * pdf,)


def _np_gelu_local(a, out):
    return (
        0.5 * (1.0 + _np_erf(a / _SQRT2)) + a * _INV_SQRT_2PI * np.exp(-0.5 * a * a),
    )


GELU = Op(
    "gelu",
    "GELU",
    1,
    forward=_gelu,
    local=_gelu_local,
    np_forward=_np(lambda a: 0.5 * a * (1.0 + _np_erf(a / _SQRT2))),
    np_local=_np(_np_gelu_local),
    template="gelu({0})",
    derivative_texts=("Φ({0}) + {0}·φ({0})",),
    explanation="GELU = x·Φ(x) weighs the input by how likely a standard normal is "
    "below it: a smooth ReLU.",
)


def _softplus(a: float) -> float:
    """ln(1 + eˣ) without overflow: max(x, 0) + ln(1 + e^−|x|)."""
    return max(0.0, a) + math.log1p(math.exp(-abs(a)))


SOFTPLUS = Op(
    "softplus",
    "softplus",
    1,
    forward=_softplus,
    local=lambda a, out: (_sigmoid(a),),
    np_forward=_np(lambda a: np.logaddexp(0.0, a)),
    np_local=_np(lambda a, out: (_np_sigmoid(a),)),
    template="softplus({0})",
    derivative_texts=("σ({0})",),
    explanation="softplus = ln(1 + eˣ) is a smooth ReLU; its slope is the sigmoid "
    "σ(x), between 0 and 1.",
)


def _silu_local(a: float, out: float) -> tuple[float]:
    s = _sigmoid(a)
    return (s * (1.0 + a * (1.0 - s)),)


def _np_silu_local(a, out):
    s = _np_sigmoid(a)
    return (s * (1.0 + a * (1.0 - s)),)


SILU = Op(
    "silu",
    "SiLU",
    1,
    forward=lambda a: a * _sigmoid(a),
    local=_silu_local,
    np_forward=_np(lambda a: a * _np_sigmoid(a)),
    np_local=_np(_np_silu_local),
    template="silu({0})",
    derivative_texts=("σ({0}) · (1 + {0} · (1 − σ({0})))",),
    explanation="SiLU (swish) = x·σ(x) lets small negative values through; its "
    "slope σ(x)·(1 + x·(1 − σ(x))) dips slightly below 0 for negative x.",
)


def _elu(a: float) -> float:
    return a if a > 0.0 else math.expm1(a)


ELU = Op(
    "elu",
    "ELU",
    1,
    forward=_elu,
    local=lambda a, out: (1.0 if a > 0.0 else ieee.exp(a),),
    np_forward=_np(lambda a: np.where(a > 0.0, a, np.expm1(a))),
    np_local=_np(lambda a, out: (np.where(a > 0.0, 1.0, np.exp(a)),)),
    template="elu({0})",
    derivative_texts=("1 if {0} > 0 else exp({0})",),
    explanation="ELU (α = 1) is x for positive x and eˣ − 1 below, leveling off "
    "at −1: negative inputs keep a slope eˣ and still learn.",
)


ABS = Op(
    "abs",
    "|x|",
    1,
    forward=abs,
    local=lambda a, out: (ieee.sign(a),),
    np_forward=_np(np.abs),
    np_local=_np(lambda a, out: (np.sign(a),)),
    template="|{0}|",
    derivative_texts=("sign({0})",),
    explanation="|x| has slope +1 to the right of 0, −1 to the left, and 0 at the kink.",
)
SQRT = Op(
    "sqrt",
    "√",
    1,
    forward=ieee.sqrt,
    local=lambda a, out: (ieee.div(0.5, out),),
    np_forward=_np(np.sqrt),
    np_local=_np(lambda a, out: (0.5 / out,)),
    template="√{0}",
    derivative_texts=("1 / (2·√{0})",),
    explanation="√x has slope 1/(2√x): infinite at 0, shrinking as x grows.",
)


def _pow_const_local(p: float, a: float, out: float) -> tuple[float]:
    return (0.0 if p == 0.0 else p * ieee.power(a, p - 1.0),)


POW_CONST = Op(
    "pow_const",
    "^",
    1,
    forward=lambda p, a: ieee.power(a, p),
    local=_pow_const_local,
    np_forward=_np(lambda p, a: np.power(a, p)),
    np_local=_np(
        lambda p, a, out: (np.zeros_like(out) if p == 0 else p * np.power(a, p - 1.0),)
    ),
    template="{0}^{p}",
    derivative_texts=("{p} · {0}^{q}",),
    explanation="The power rule: d(xⁿ)/dx = n·xⁿ⁻¹.",
)


def _rpow_local(base: float, a: float, out: float) -> tuple[float]:
    return (0.0 if out == 0.0 else out * ieee.log(base),)


RPOW = Op(
    "rpow",
    "^",
    1,
    forward=lambda base, a: ieee.power(base, a),
    local=_rpow_local,
    np_forward=_np(lambda base, a: np.power(base, a)),
    np_local=_np(lambda base, a, out: (np.where(out == 0.0, 0.0, out * np.log(base)),)),
    template="{p}^{0}",
    derivative_texts=("{out} · ln {p}",),
    explanation="An exponential bˣ has slope bˣ·ln b.",
)

SUM = Op(
    "sum",
    "Σ",
    VARIADIC,
    forward=lambda *xs: sum(xs, 0.0),
    local=lambda *xs_out: (1.0,) * (len(xs_out) - 1),
    np_forward=_np(lambda *xs: sum(xs[1:], xs[0]) if xs else 0.0),
    np_local=_np(lambda *xs_out: tuple(np.ones_like(xs_out[-1]) for _ in xs_out[:-1])),
    template="",
    derivative_texts=(),
    explanation="A sum of many terms passes the gradient unchanged to every term.",
)


def _linear(*args: float) -> float:
    """``w1·x1 + w2·x2 + … + b`` with operands in the order (w1, x1, w2, x2, …, b)."""
    it = iter(args[:-1])
    return args[-1] + sum(map(operator.mul, it, it), 0.0)


def _linear_local(*args_out: float) -> tuple[float, ...]:
    args = args_out[:-1]
    local = [0.0] * len(args)
    local[0:-1:2] = args[1:-1:2]
    local[1:-1:2] = args[0:-1:2]
    local[-1] = 1.0
    return tuple(local)


def _np_linear(*args):
    total = 0.0
    for w, x in zip(args[0:-1:2], args[1:-1:2]):
        total = total + w * x
    return args[-1] + total


def _np_linear_local(*args_out):
    args, out = args_out[:-1], args_out[-1]
    local = [np.broadcast_to(args[i ^ 1], out.shape) for i in range(len(args) - 1)]
    return (*local, np.ones_like(out))


LINEAR = Op(
    "linear",
    "Σwx+b",
    VARIADIC,
    forward=_linear,
    local=_linear_local,
    np_forward=_np(_np_linear),
    np_local=_np(_np_linear_local),
    template="",
    derivative_texts=(),
    explanation="A neuron's weighted sum w·x + b: each weight's slope is its input, "
    "each input's slope is its weight, the bias's slope is 1.",
)

OPS: dict[str, Op] = {
    op.name: op
    for op in (
        ADD,
        SUB,
        MUL,
        DIV,
        POW,
        MAX,
        MIN,
        NEG,
        EXP,
        LOG,
        TANH,
        SIGMOID,
        RELU,
        LEAKY_RELU,
        SIN,
        COS,
        GELU,
        SOFTPLUS,
        SILU,
        ELU,
        ABS,
        SQRT,
        POW_CONST,
        RPOW,
        SUM,
        LINEAR,
    )
}
"""Every op by name; the only place an op is defined."""

PARAMETRIC = frozenset({"leaky_relu", "pow_const", "rpow"})
