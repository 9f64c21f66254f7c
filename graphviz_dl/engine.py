"""``Value``: a scalar that remembers how it was computed, and backpropagation over it.

micrograd's design, with what it gets wrong fixed:

* parents are ordered, so the same program always draws the same graph;
* traversal is iterative, so a chain of a million nodes needs no recursion limit;
* local derivatives are numbers stored when a node is built (no closures, no
  reference cycles), so a graph is freed the moment it is dropped; a sum's are
  1 and a product's are its operands' values, so those two store none;
* a node's class fits what it must remember (a leaf carries no parent fields
  at all, a sum or product only its two parents: :mod:`.nodes`), which keeps
  a node at about a seventh of micrograd's memory;
* ``backward()`` resets the non-leaf gradients first, so calling it twice does
  not double-count; leaves accumulate like PyTorch's ``.grad``.

Every op is defined in :mod:`graphviz_dl.ops`; the engine only wires nodes
together, and writes out the table's formulas for the commonest ops so that
building them costs no dispatch (tests hold the two to the same bits).
"""

from __future__ import annotations

import math
import numbers
from collections.abc import Callable, Iterable, Sequence

from . import ieee, ops
from .ops import Op

_tanh = math.tanh
_isnan = math.isnan
_pow = ieee.power
_INF = math.inf
_POWERS = {p: ops.POW_CONST.bind(p) for p in (2.0, 3.0, 0.5, -1.0, -2.0)}
_div = ieee.div


def _as_float(x: object) -> float:
    if isinstance(x, float):
        return x
    if isinstance(x, numbers.Real):
        return float(x)
    raise TypeError(f"a Value holds a real number, not {type(x).__name__} {x!r:.40}")


def _constant(x: object) -> Value:
    """A leaf for a plain number standing next to a Value (``2 * x``)."""
    leaf = _new(Value)
    kind = type(x)
    leaf.data = x if kind is float else float(x) if kind is int else _as_float(x)
    leaf.grad = 0.0
    leaf.label = ""
    return leaf


class Value:
    """A scalar node: ``data``, ``grad``, ``label``, ``op`` and ordered ``parents``.

    A ``Value`` made by hand is a leaf (``op is None``); arithmetic on Values
    builds new nodes. Plain numbers may stand on either side of an operator.
    """

    __slots__ = ("data", "grad", "group", "label")
    op: Op | None = None

    def __init__(self, data: float, label: str = "") -> None:
        self.data = data if type(data) is float else _as_float(data)
        self.grad = 0.0
        self.label = label

    # --- structure -------------------------------------------------------------
    @property
    def parents(self) -> tuple[Value, ...]:
        """The inputs this node was computed from, in operand order."""
        return ()

    @property
    def local_grads(self) -> tuple[float, ...]:
        """∂self/∂parent for each parent: numbers stored when the node was built
        (a sum's are 1 and a product's its operands' values, so those are not
        stored but read)."""
        return ()

    @property
    def is_leaf(self) -> bool:
        return self.op is None

    def _propagate(self) -> None:
        """Push ``self.grad`` into the parents' grads (a leaf has none)."""

    def _recompute(self) -> None:
        """Refresh ``data`` and local derivatives from the parents (a leaf keeps its data)."""

    # --- arithmetic --------------------------------------------------------------
    # The commonest ops build their node directly (see :mod:`.nodes`): no
    # dispatch through the op table, no __init__ call, no tuple of derivatives.
    def __add__(self, other: Value | float) -> Value:
        if not isinstance(other, Value):
            kind = type(other)
            if kind is float or kind is int:  # _constant, written out
                other_data = other if kind is float else float(other)
                other = _new(Value)
                other.data = other_data
                other.grad = 0.0
                other.label = ""
            else:
                other = _constant(other)
        out = _new(_Add)
        out.a = self
        out.b = other
        out.data = self.data + other.data
        out.grad = 0.0
        out.label = ""
        return out

    def __radd__(self, other: float) -> Value:
        kind = type(other)
        if kind is float or kind is int:  # _constant, written out
            leaf = _new(Value)
            leaf.data = other if kind is float else float(other)
            leaf.grad = 0.0
            leaf.label = ""
        else:
            leaf = _constant(other)
        out = _new(_Add)
        out.a = leaf
        out.b = self
        out.data = leaf.data + self.data
        out.grad = 0.0
        out.label = ""
        return out

    def __sub__(self, other: Value | float) -> Value:
        if not isinstance(other, Value):
            other = _constant(other)
        out = _new(_Binary)
        out.op = _SUB
        out.a = self
        out.b = other
        out.data = self.data - other.data
        out.da = 1.0
        out.db = -1.0
        out.grad = 0.0
        out.label = ""
        return out

    def __rsub__(self, other: float) -> Value:
        other = _constant(other)
        return _nodes.binary(_SUB, other, self, other.data - self.data, 1.0, -1.0)

    def __mul__(self, other: Value | float) -> Value:
        if not isinstance(other, Value):
            kind = type(other)
            if kind is float or kind is int:  # _constant, written out
                other_data = other if kind is float else float(other)
                other = _new(Value)
                other.data = other_data
                other.grad = 0.0
                other.label = ""
            else:
                other = _constant(other)
        out = _new(_Mul)
        out.a = self
        out.b = other
        out.data = self.data * other.data
        out.grad = 0.0
        out.label = ""
        return out

    def __rmul__(self, other: float) -> Value:
        kind = type(other)
        if kind is float or kind is int:  # _constant, written out
            leaf = _new(Value)
            leaf.data = other if kind is float else float(other)
            leaf.grad = 0.0
            leaf.label = ""
        else:
            leaf = _constant(other)
        out = _new(_Mul)
        out.a = leaf
        out.b = self
        out.data = leaf.data * self.data
        out.grad = 0.0
        out.label = ""
        return out

    def __truediv__(self, other: Value | float) -> Value:
        if not isinstance(other, Value):
            kind = type(other)
            if kind is float or kind is int:  # _constant, written out
                other_data = other if kind is float else float(other)
                other = _new(Value)
                other.data = other_data
                other.grad = 0.0
                other.label = ""
            else:
                other = _constant(other)
        x, y = self.data, other.data
        if not y:  # x/0: the IEEE answers
            return _divide(self, other)
        out = _new(_Binary)
        out.op = _DIV
        out.a = self
        out.b = other
        out.data = q = x / y
        out.da = 1.0 / y
        out.db = -q / y
        out.grad = 0.0
        out.label = ""
        return out

    def __rtruediv__(self, other: float) -> Value:
        kind = type(other)
        if kind is float or kind is int:  # _constant, written out
            leaf = _new(Value)
            leaf.data = x = other if kind is float else float(other)
            leaf.grad = 0.0
            leaf.label = ""
        else:
            leaf = _constant(other)
            x = leaf.data
        y = self.data
        if not y:
            return _divide(leaf, self)
        out = _new(_Binary)
        out.op = _DIV
        out.a = leaf
        out.b = self
        out.data = q = x / y
        out.da = 1.0 / y
        out.db = -q / y
        out.grad = 0.0
        out.label = ""
        return out

    def __pow__(self, other: Value | float) -> Value:
        kind = type(other)
        if kind is float:
            p = other
        elif kind is int:
            p = float(other)
        elif isinstance(other, Value):
            return _nodes.Binary(ops.POW, self, other)
        else:
            p = _as_float(other)
        x = self.data
        try:  # the IEEE power (ieee.power), for the common case: a finite real result
            data = x**p
            slope = 0.0 if p == 0.0 else p * x ** (p - 1.0)
        except (OverflowError, ZeroDivisionError):
            data = None
        if type(data) is not float or type(slope) is not float or x == -_INF:
            data = _pow(x, p)
            slope = 0.0 if p == 0.0 else p * _pow(x, p - 1.0)
        out = _new(_Unary)
        out.op = _POWERS.get(p) or ops.POW_CONST.bind(p)
        out.a = self
        out.data = data
        out.da = slope
        out.grad = 0.0
        out.label = ""
        return out

    def __rpow__(self, other: float) -> Value:
        return _nodes.Unary(ops.RPOW.bind(_as_float(other)), self)

    def __neg__(self) -> Value:
        out = _new(_Unary)
        out.op = _NEG
        out.a = self
        out.data = -self.data
        out.da = -1.0
        out.grad = 0.0
        out.label = ""
        return out

    def __abs__(self) -> Value:
        return _nodes.Unary(ops.ABS, self)

    # --- functions ---------------------------------------------------------------
    def exp(self) -> Value:
        return _nodes.Unary(ops.EXP, self)

    def log(self) -> Value:
        """Natural log; ``log(0) = -inf`` and ``log(x<0) = nan``, as in numpy."""
        return _nodes.Unary(ops.LOG, self)

    def tanh(self) -> Value:
        out = _new(_Unary)
        out.op = _TANH
        out.a = self
        out.data = y = _tanh(self.data)
        out.da = 1.0 - y * y
        out.grad = 0.0
        out.label = ""
        return out

    def sigmoid(self) -> Value:
        return _nodes.Unary(ops.SIGMOID, self)

    def relu(self) -> Value:
        x = self.data
        out = _new(_Unary)
        out.op = _RELU
        out.a = self
        if x > 0.0:
            out.data = x
            out.da = 1.0
        else:
            out.data = x if _isnan(x) else 0.0  # nan passes
            out.da = 0.0
        out.grad = 0.0
        out.label = ""
        return out

    def leaky_relu(self, slope: float = 0.01) -> Value:
        return _nodes.Unary(ops.LEAKY_RELU.bind(_as_float(slope)), self)

    def gelu(self) -> Value:
        """Exact GELU, ``x·Φ(x)`` with the normal CDF via erf (PyTorch's default)."""
        return _nodes.Unary(ops.GELU, self)

    def abs(self) -> Value:
        return _nodes.Unary(ops.ABS, self)

    def sin(self) -> Value:
        return _nodes.Unary(ops.SIN, self)

    def cos(self) -> Value:
        return _nodes.Unary(ops.COS, self)

    def sqrt(self) -> Value:
        return _nodes.Unary(ops.SQRT, self)

    def max(self, other: Value | float) -> Value:
        """The larger of two values; on a tie each input gets half the gradient."""
        return _nodes.Binary(ops.MAX, self, _value(other))

    def min(self, other: Value | float) -> Value:
        """The smaller of two values; on a tie each input gets half the gradient."""
        return _nodes.Binary(ops.MIN, self, _value(other))

    @staticmethod
    def sum(terms: Iterable[Value | float]) -> Value:
        """One node for ``t1 + t2 + … + tn``: n edges instead of an n-deep chain."""
        return _nodes.Variadic(ops.SUM, tuple(_value(t) for t in terms))

    @staticmethod
    def linear(
        weights: Sequence[Value | float],
        inputs: Sequence[Value | float],
        bias: Value | float,
    ) -> Value:
        """One node for a neuron's ``w1·x1 + … + wn·xn + b``."""
        if len(weights) != len(inputs):
            raise ValueError(
                f"linear needs as many weights as inputs ({len(weights)} ≠ {len(inputs)})"
            )
        operands: list[Value] = []
        for w, x in zip(weights, inputs):
            operands.append(_value(w))
            operands.append(_value(x))
        operands.append(_value(bias))
        return _nodes.Variadic(ops.LINEAR, tuple(operands))

    # --- gradients ---------------------------------------------------------------
    def backward(self) -> None:
        """Fill in ``grad`` of every node this one depends on (∂self/∂node).

        Non-leaf gradients are reset first; leaf gradients accumulate, as in
        PyTorch, until something (an optimizer's ``zero_grad``) resets them.
        Nodes pass their gradient on in the reverse of
        :func:`topological_order` (the same sums in the same order).
        """
        if self.op is None:
            self.grad += 1.0
            return
        _nodes.backpropagate(self)

    def __repr__(self) -> str:
        name = f"label={self.label!r}, " if self.label else ""
        return f"Value({name}data={self.data!r}, grad={self.grad!r})"


def _value(x: Value | float) -> Value:
    return x if isinstance(x, Value) else _constant(x)


def _divide(a: Value, b: Value) -> Value:
    """``a / b`` with the op table's IEEE rules (``1/0 = inf``, ``0/0 = nan``)."""
    x, y = a.data, b.data
    node = _new(_Binary)
    node.op = _DIV
    node.a = a
    node.b = b
    try:
        node.data = out = x / y
        node.da = 1.0 / y
        node.db = -out / y
    except ZeroDivisionError:
        node.data = out = _div(x, y)
        node.da = _div(1.0, y)
        node.db = _div(-out, y)
    node.grad = 0.0
    node.label = ""
    return node


def _unary_method(op: Op) -> Callable[[Value], Value]:
    def method(self: Value) -> Value:
        return _nodes.Unary(op, self)

    method.__name__ = op.name
    method.__qualname__ = f"Value.{op.name}"
    method.__doc__ = op.explanation
    return method


# Every one-input op of the table is a method (``x.softplus()``), so a new row
# in the table needs no edit here. Ops written with a Python operator (``-x``
# has ``__neg__``) and ops with a parameter keep their own forms above.
for _op in ops.OPS.values():
    if (
        _op.arity == 1
        and _op.name not in ops.PARAMETRIC
        and not hasattr(Value, _op.name)
        and not hasattr(Value, f"__{_op.name}__")
    ):
        setattr(Value, _op.name, _unary_method(_op))


def apply(op: Op, *parents: Value | float) -> Value:
    """Build the node ``op(*parents)``: the table-driven way in (used by parsers)."""
    operands = tuple(_value(p) for p in parents)
    if op.arity == ops.VARIADIC:
        return _nodes.Variadic(op, operands)
    if len(operands) != op.arity:
        raise TypeError(f"{op.name} takes {op.arity} operand(s), got {len(operands)}")
    if op is ops.ADD:
        return _nodes.add(*operands)
    if op is ops.MUL:
        return _nodes.mul(*operands)
    if op.arity == 1:
        return _nodes.Unary(op, *operands)
    return _nodes.Binary(op, *operands)


# The node kinds subclass Value, so they are imported once it exists.
from . import nodes as _nodes
from .order import recompute, topological_order  # noqa: F401  (part of the engine's API)

_new = _nodes.new_node  # the one allocator of this module's nodes (replaceable)
_Add, _Mul, _Unary, _Binary = _nodes.Add, _nodes.Mul, _nodes.Unary, _nodes.Binary
_SUB, _DIV, _NEG, _RELU, _TANH = ops.SUB, ops.DIV, ops.NEG, ops.RELU, ops.TANH
