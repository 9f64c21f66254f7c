"""The functions a program may call, and the names it may not assign.

Every op of the table that reads as a function (``exp``, ``tanh``, ``max``,
``sum``, ``linear``, …) is callable under its own name, so a new row in the op
table is at once a new function of the language. On top of those come a few
loss helpers with a fixed shape (``bce(p, y)``, ``mse(yhat, y)``, …) that build
their graph from the same ops.

A function never sees Python objects other than Values and plain floats, and
every argument is checked here before anything is built, so a wrong call is
a message for the person, not an exception from deep inside the engine.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from . import ops
from .engine import Value, apply

Operand = Value | float
"""What an expression evaluates to: a node, or a number literal not yet a node."""

OPERATOR_OPS = frozenset(
    {"add", "sub", "mul", "div", "pow", "neg", "pow_const", "rpow"}
)
"""Ops written with an operator (``+ - * / **``, unary ``-``) rather than a call."""

DEFAULT_PARAMS = {"leaky_relu": 0.01}
"""Parameters a call may leave out: ``leaky_relu(x)`` means slope 0.01."""

NUMBER_NAMES = {"inf": math.inf, "nan": math.nan}
"""Names that stand for numbers, so every float (even ∞) can be written down."""

HINTS = {
    "pow": "write a ** b (or a ^ b) for a power",
    "ln": "the natural log is log(x)",
    "softmax": "softmax gives one probability per class, so it is not one node: "
    "write p1 = exp(z1) / sum(exp(z1), exp(z2), exp(z3)), or use "
    "cross_entropy(z1, z2, z3, target) for the loss",
    "print": "nothing is printed: the last assignment is the output",
    "float": "numbers are floats already: write 2.0 or 2",
}
"""Advice for names people reach for that are not functions here."""


@dataclass(frozen=True)
class Function:
    """One callable name: how many arguments it takes and how it builds its node.

    ``check`` looks at the evaluated arguments and returns what is wrong with
    them (or None); ``build`` is called only on arguments that passed.
    """

    name: str
    usage: str
    min_args: int
    max_args: int | None
    build: Callable[[Sequence[Operand]], Value]
    check: Callable[[Sequence[Operand]], str | None] | None = None

    def arity_text(self) -> str:
        """``"1 argument"``, ``"1 or 2 arguments"``, ``"at least 2 arguments"``."""
        lo, hi = self.min_args, self.max_args
        if hi is None:
            return f"at least {lo} argument{'s' * (lo != 1)}"
        if lo == hi:
            return f"{lo} argument{'s' * (lo != 1)}"
        return f"{lo} to {hi} arguments" if hi > lo + 1 else f"{lo} or {hi} arguments"


def _is_number(x: Operand) -> bool:
    return not isinstance(x, Value)


def _op_function(op: ops.Op) -> Function:
    """The call form of an op from the table."""
    name = op.name
    if op.arity == ops.VARIADIC:
        if name == "linear":
            return Function(
                name,
                "linear(w1, x1, w2, x2, …, b)",
                1,
                None,
                lambda args: apply(op, *args),
                _check_linear,
            )
        return Function(
            name, f"{name}(a, b, c, …)", 0, None, lambda args: apply(op, *args)
        )
    if name in ops.PARAMETRIC:
        default = DEFAULT_PARAMS.get(name)
        return Function(
            name,
            f"{name}(x) or {name}(x, {default})"
            if default is not None
            else f"{name}(x, number)",
            op.arity if default is not None else op.arity + 1,
            op.arity + 1,
            lambda args: apply(
                op.bind(args[op.arity] if len(args) > op.arity else default),
                *args[: op.arity],
            ),
            lambda args: _check_param(name, args, op.arity),
        )
    letters = ", ".join("xyzuvw"[: op.arity]) if op.arity <= 2 else "…"
    return Function(
        name,
        f"{name}({letters})",
        op.arity,
        op.arity,
        lambda args: apply(op, *args),
    )


def _check_linear(args: Sequence[Operand]) -> str | None:
    if len(args) % 2 == 0:
        return (
            "linear takes weights and inputs in pairs and then the bias, "
            f"like linear(w1, x1, w2, x2, b): an odd number, but got {len(args)}"
        )
    return None


def _check_param(name: str, args: Sequence[Operand], arity: int) -> str | None:
    if len(args) > arity and not _is_number(args[arity]):
        return (
            f"{name}'s last argument must be a number written out, "
            f"like {name}(x, 0.2), not a computed value"
        )
    return None


# --- loss helpers ---------------------------------------------------------------------


def _losses():
    # Loaded on the first call of a loss helper, not with the language.
    from . import losses

    return losses


def _check_cross_entropy(args: Sequence[Operand]) -> str | None:
    target = args[-1]
    classes = len(args) - 1
    if not _is_number(target) or not float(target).is_integer():
        return (
            "cross_entropy's last argument is the true class, a whole number "
            "written out (counting from 0), like cross_entropy(z1, z2, z3, 0)"
        )
    if not 0 <= target < classes:
        return (
            f"the true class {int(target)} is out of range for {classes} "
            f"scores: use 0 to {classes - 1}"
        )
    return None


def _check_hinge(args: Sequence[Operand]) -> str | None:
    label = args[1]
    if _is_number(label) and label not in (-1.0, 1.0):
        return (
            f"hinge's label is −1 or +1, not {label!r} "
            "(turn a 0/1 label into −1/+1 with 2*y - 1)"
        )
    return None


LOSS_FUNCTIONS = (
    Function(
        "mse",
        "mse(yhat, y)",
        2,
        2,
        lambda args: _losses().mse(args[0], args[1]),
    ),
    Function(
        "bce",
        "bce(p, y)",
        2,
        2,
        lambda args: _losses().bce(args[0], args[1]),
    ),
    Function(
        "bce_with_logits",
        "bce_with_logits(z, y)",
        2,
        2,
        lambda args: _losses().bce_with_logits(args[0], args[1]),
    ),
    Function(
        "hinge",
        "hinge(score, y)",
        2,
        2,
        lambda args: _losses().hinge(args[0], args[1]),
        _check_hinge,
    ),
    Function(
        "cross_entropy",
        "cross_entropy(z1, z2, …, target)",
        2,
        None,
        lambda args: _losses().cross_entropy(list(args[:-1]), int(args[-1])),
        _check_cross_entropy,
    ),
)


def _table() -> dict[str, Function]:
    table = {
        op.name: _op_function(op)
        for op in ops.OPS.values()
        if op.name not in OPERATOR_OPS
    }
    for function in LOSS_FUNCTIONS:
        table.setdefault(function.name, function)
    return table


FUNCTIONS: dict[str, Function] = _table()
"""Every callable name, ops first (in table order), then the loss helpers."""


def _method_usage(op: ops.Op) -> str:
    name = op.name
    if op.arity == 2:
        return f"x.{name}(y)"
    if name in ops.PARAMETRIC:
        default = DEFAULT_PARAMS.get(name)
        if default is None:
            return f"x.{name}(number)"
        return f"x.{name}() or x.{name}({default})"
    return f"x.{name}()"


METHODS: dict[str, str] = {
    op.name: _method_usage(op)
    for op in ops.OPS.values()
    if op.arity in (1, 2) and op.name in FUNCTIONS and op.name not in OPERATOR_OPS
}
"""Every op of one or two operands is also a method, as on the engine's Value:
``x.tanh()``, ``x.leaky_relu(0.1)``, ``x.max(y)``. Name → how it is called."""

RESERVED = frozenset(FUNCTIONS) | frozenset(NUMBER_NAMES)
"""Names a program may not assign."""
