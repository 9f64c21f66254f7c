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
            if type(other) is float:  # _constant, written out: the commonest case
                other_data = other
                other = _new(Value)
                other.data = other_data
                other.grad = 0.0
                other.label = ""
            else:
                other = _constant(other)
        out = _new(_nodes.Add)
        out.a = self
        out.b = other
        out.data = self.data + other.data
        out.grad = 0.0
        out.label = ""
        return out

    def __radd__(self, other: float) -> Value:
        return _nodes.add(_constant(other), self)

    def __sub__(self, other: Value | float) -> Value:
        if not isinstance(other, Value):
            other = _constant(other)
        return _nodes.binary(ops.SUB, self, other, self.data - other.data, 1.0, -1.0)

    def __rsub__(self, other: float) -> Value:
        other = _constant(other)
        return _nodes.binary(ops.SUB, other, self, other.data - self.data, 1.0, -1.0)

    def __mul__(self, other: Value | float) -> Value:
        if not isinstance(other, Value):
            if type(other) is float:  # _constant, written out: the commonest case
                other_data = other
                other = _new(Value)
                other.data = other_data
                other.grad = 0.0
                other.label = ""
            else:
                other = _constant(other)
        out = _new(_nodes.Mul)
        out.a = self
        out.b = other
        out.data = self.data * other.data
        out.grad = 0.0
        out.label = ""
        return out

    def __rmul__(self, other: float) -> Value:
        return _nodes.mul(_constant(other), self)

    def __truediv__(self, other: Value | float) -> Value:
        if not isinstance(other, Value):
            other = _constant(other)
        return _divide(self, other)

    def __rtruediv__(self, other: float) -> Value:
        return _divide(_constant(other), self)

    def __pow__(self, other: Value | float) -> Value:
        if isinstance(other, Value):
            return _nodes.Binary(ops.POW, self, other)
        kind = type(other)
        p = (
            other
            if kind is float
            else float(other)
            if kind is int
            else _as_float(other)
        )
        op = _POWERS.get(p) or ops.POW_CONST.bind(p)
        x = self.data
        try:  # the IEEE power (ieee.power), for the common case: a finite real result
            out = x**p
            slope = 0.0 if p == 0.0 else p * x ** (p - 1.0)
        except (OverflowError, ZeroDivisionError):
            out = None
        if type(out) is not float or type(slope) is not float or x == -_INF:
            out = _pow(x, p)
            slope = 0.0 if p == 0.0 else p * _pow(x, p - 1.0)
        return _nodes.unary(op, self, out, slope)

    def __rpow__(self, other: float) -> Value:
        return _nodes.Unary(ops.RPOW.bind(_as_float(other)), self)

    def __neg__(self) -> Value:
        return _nodes.unary(ops.NEG, self, -self.data, -1.0)

    def __abs__(self) -> Value:
        return _nodes.Unary(ops.ABS, self)

    # --- functions ---------------------------------------------------------------
    def exp(self) -> Value:
        return _nodes.Unary(ops.EXP, self)

    def log(self) -> Value:
        """Natural log; ``log(0) = -inf`` and ``log(x<0) = nan``, as in numpy."""
        return _nodes.Unary(ops.LOG, self)

    def tanh(self) -> Value:
        out = _tanh(self.data)
        return _nodes.unary(ops.TANH, self, out, 1.0 - out * out)

    def sigmoid(self) -> Value:
        return _nodes.Unary(ops.SIGMOID, self)

    def relu(self) -> Value:
        x = self.data
        if x > 0.0:
            return _nodes.unary(ops.RELU, self, x, 1.0)
        return _nodes.unary(ops.RELU, self, x if _isnan(x) else 0.0, 0.0)  # nan passes

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
    try:
        out = x / y
        return _nodes.binary(ops.DIV, a, b, out, 1.0 / y, -out / y)
    except ZeroDivisionError:
        out = _div(x, y)
        return _nodes.binary(ops.DIV, a, b, out, _div(1.0, y), _div(-out, y))


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


def recompute(root: Value, order: list[Value] | None = None) -> None:
    """Run the forward pass again after leaves changed (a typed value, a nudge).

    Updates every node's ``data`` and local derivatives in place; gradients are
    left as they were until the next ``backward()``. Pass ``order`` (from
    :func:`topological_order`) to skip recomputing it.
    """
    for node in topological_order(root) if order is None else order:
        node._recompute()


def topological_order(root: Value) -> list[Value]:
    """Every node ``root`` depends on, parents before children, ``root`` last.

    Two passes with explicit stacks (no recursion limit, however deep): count
    how many edges lead into each node from below, then release a node once
    all the nodes that use it are placed. Parents are visited in operand order,
    so the order is the same on every run; the passes keep no per-node
    containers alive, which keeps the garbage collector out of the way.
    """
    add, mul, binary, unary, leaf = (
        _nodes.Add,
        _nodes.Mul,
        _nodes.Binary,
        _nodes.Unary,
        Value,
    )
    uses = {root: 0}
    stack = [root]
    pop, push = stack.pop, stack.append
    while stack:
        node = pop()
        kind = type(node)
        if kind is leaf:
            continue
        if kind is add or kind is mul or kind is binary:
            parents = (node.a, node.b)
        elif kind is unary:
            parents = (node.a,)
        else:
            parents = node.parents
        for parent in parents:
            if parent in uses:
                uses[parent] += 1
            else:
                uses[parent] = 1
                push(parent)
    order: list[Value] = []
    stack = [root]
    pop, push, place = stack.pop, stack.append, order.append
    while stack:
        node = pop()
        place(node)
        kind = type(node)
        if kind is leaf:
            continue
        if kind is add or kind is mul or kind is binary:
            parents = (node.a, node.b)
        elif kind is unary:
            parents = (node.a,)
        else:
            parents = node.parents
        for parent in parents:
            left = uses[parent] - 1
            uses[parent] = left
            if not left:
                push(parent)
    order.reverse()
    return order


# The node kinds subclass Value, so they are imported once it exists.
from . import nodes as _nodes

_new = _nodes.new_node
