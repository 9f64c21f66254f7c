"""``Value``: a scalar that remembers how it was computed, and backpropagation over it.

micrograd's design, with what it gets wrong fixed:

* parents are ordered, so the same program always draws the same graph;
* traversal is iterative, so a chain of a million nodes needs no recursion limit;
* local derivatives are numbers stored when a node is built (no closures, no
  reference cycles), so a graph is freed the moment it is dropped;
* a node's class fits its arity (a leaf carries no parent fields at all), which
  keeps a node at about a fifth of micrograd's memory;
* ``backward()`` resets the non-leaf gradients first, so calling it twice does
  not double-count; leaves accumulate like PyTorch's ``.grad``.

Every op comes from :mod:`graphviz_dl.ops`; the engine only wires nodes together.
"""

from __future__ import annotations

import numbers
from collections.abc import Callable, Iterable, Sequence

from . import ops
from .ops import Op


def _as_float(x: object) -> float:
    if isinstance(x, float):
        return x
    if isinstance(x, numbers.Real):
        return float(x)
    raise TypeError(f"a Value holds a real number, not {type(x).__name__} {x!r:.40}")


class Value:
    """A scalar node: ``data``, ``grad``, ``label``, ``op`` and ordered ``parents``.

    A ``Value`` made by hand is a leaf (``op is None``); arithmetic on Values
    builds new nodes. Plain numbers may stand on either side of an operator.
    """

    __slots__ = ("data", "grad", "label")
    op: Op | None = None

    def __init__(self, data: float, label: str = "") -> None:
        self.data = _as_float(data)
        self.grad = 0.0
        self.label = label

    # --- structure -------------------------------------------------------------
    @property
    def parents(self) -> tuple[Value, ...]:
        """The inputs this node was computed from, in operand order."""
        return ()

    @property
    def local_grads(self) -> tuple[float, ...]:
        """∂self/∂parent for each parent, computed when the node was built."""
        return ()

    @property
    def is_leaf(self) -> bool:
        return self.op is None

    def _propagate(self) -> None:
        """Push ``self.grad`` into the parents' grads (a leaf has none)."""

    def _recompute(self) -> None:
        """Refresh ``data`` and local derivatives from the parents (a leaf keeps its data)."""

    # --- arithmetic --------------------------------------------------------------
    def __add__(self, other: Value | float) -> Value:
        return _Binary(ops.ADD, self, _value(other))

    def __radd__(self, other: float) -> Value:
        return _Binary(ops.ADD, _value(other), self)

    def __sub__(self, other: Value | float) -> Value:
        return _Binary(ops.SUB, self, _value(other))

    def __rsub__(self, other: float) -> Value:
        return _Binary(ops.SUB, _value(other), self)

    def __mul__(self, other: Value | float) -> Value:
        return _Binary(ops.MUL, self, _value(other))

    def __rmul__(self, other: float) -> Value:
        return _Binary(ops.MUL, _value(other), self)

    def __truediv__(self, other: Value | float) -> Value:
        return _Binary(ops.DIV, self, _value(other))

    def __rtruediv__(self, other: float) -> Value:
        return _Binary(ops.DIV, _value(other), self)

    def __pow__(self, other: Value | float) -> Value:
        if isinstance(other, Value):
            return _Binary(ops.POW, self, other)
        return _Unary(ops.POW_CONST.bind(_as_float(other)), self)

    def __rpow__(self, other: float) -> Value:
        return _Unary(ops.RPOW.bind(_as_float(other)), self)

    def __neg__(self) -> Value:
        return _Unary(ops.NEG, self)

    def __abs__(self) -> Value:
        return _Unary(ops.ABS, self)

    # --- functions ---------------------------------------------------------------
    def exp(self) -> Value:
        return _Unary(ops.EXP, self)

    def log(self) -> Value:
        """Natural log; ``log(0) = -inf`` and ``log(x<0) = nan``, as in numpy."""
        return _Unary(ops.LOG, self)

    def tanh(self) -> Value:
        return _Unary(ops.TANH, self)

    def sigmoid(self) -> Value:
        return _Unary(ops.SIGMOID, self)

    def relu(self) -> Value:
        return _Unary(ops.RELU, self)

    def leaky_relu(self, slope: float = 0.01) -> Value:
        return _Unary(ops.LEAKY_RELU.bind(_as_float(slope)), self)

    def gelu(self) -> Value:
        """Exact GELU, ``x·Φ(x)`` with the normal CDF via erf (PyTorch's default)."""
        return _Unary(ops.GELU, self)

    def abs(self) -> Value:
        return _Unary(ops.ABS, self)

    def sin(self) -> Value:
        return _Unary(ops.SIN, self)

    def cos(self) -> Value:
        return _Unary(ops.COS, self)

    def sqrt(self) -> Value:
        return _Unary(ops.SQRT, self)

    def max(self, other: Value | float) -> Value:
        """The larger of two values; on a tie each input gets half the gradient."""
        return _Binary(ops.MAX, self, _value(other))

    def min(self, other: Value | float) -> Value:
        """The smaller of two values; on a tie each input gets half the gradient."""
        return _Binary(ops.MIN, self, _value(other))

    @staticmethod
    def sum(terms: Iterable[Value | float]) -> Value:
        """One node for ``t1 + t2 + … + tn``: n edges instead of an n-deep chain."""
        return _Variadic(ops.SUM, tuple(_value(t) for t in terms))

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
        return _Variadic(ops.LINEAR, tuple(operands))

    # --- gradients ---------------------------------------------------------------
    def backward(self) -> None:
        """Fill in ``grad`` of every node this one depends on (∂self/∂node).

        Non-leaf gradients are reset first; leaf gradients accumulate, as in
        PyTorch, until something (an optimizer's ``zero_grad``) resets them.
        """
        order = topological_order(self)
        for node in order:
            if node.op is not None:
                node.grad = 0.0
        if self.op is None:
            self.grad += 1.0
            return
        self.grad = 1.0
        for node in reversed(order):
            node._propagate()

    def __repr__(self) -> str:
        name = f"label={self.label!r}, " if self.label else ""
        return f"Value({name}data={self.data!r}, grad={self.grad!r})"


def _value(x: Value | float) -> Value:
    return x if isinstance(x, Value) else Value(x)


class _Unary(Value):
    __slots__ = ("a", "da", "op")

    def __init__(self, op: Op, a: Value) -> None:
        self.op = op
        self.a = a
        self.grad = 0.0
        self.label = ""
        self._recompute()

    def _recompute(self) -> None:
        x = self.a.data
        self.data = out = self.op.forward(x)
        (self.da,) = self.op.local(x, out)

    @property
    def parents(self) -> tuple[Value, ...]:
        return (self.a,)

    @property
    def local_grads(self) -> tuple[float, ...]:
        return (self.da,)

    def _propagate(self) -> None:
        self.a.grad += self.grad * self.da


class _Binary(Value):
    __slots__ = ("a", "b", "da", "db", "op")

    def __init__(self, op: Op, a: Value, b: Value) -> None:
        self.op = op
        self.a = a
        self.b = b
        self.grad = 0.0
        self.label = ""
        self._recompute()

    def _recompute(self) -> None:
        x, y = self.a.data, self.b.data
        self.data = out = self.op.forward(x, y)
        self.da, self.db = self.op.local(x, y, out)

    @property
    def parents(self) -> tuple[Value, ...]:
        return (self.a, self.b)

    @property
    def local_grads(self) -> tuple[float, ...]:
        return (self.da, self.db)

    def _propagate(self) -> None:
        g = self.grad
        self.a.grad += g * self.da
        self.b.grad += g * self.db


class _Variadic(Value):
    __slots__ = ("_local", "_parents", "op")

    def __init__(self, op: Op, parents: tuple[Value, ...]) -> None:
        self.op = op
        self._parents = parents
        self.grad = 0.0
        self.label = ""
        self._recompute()

    def _recompute(self) -> None:
        xs = [p.data for p in self._parents]
        self.data = out = self.op.forward(*xs)
        self._local = self.op.local(*xs, out)

    @property
    def parents(self) -> tuple[Value, ...]:
        return self._parents

    @property
    def local_grads(self) -> tuple[float, ...]:
        return self._local

    def _propagate(self) -> None:
        g = self.grad
        for p, d in zip(self._parents, self._local):
            p.grad += g * d


def _unary_method(op: Op) -> Callable[[Value], Value]:
    def method(self: Value) -> Value:
        return _Unary(op, self)

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
        return _Variadic(op, operands)
    if len(operands) != op.arity:
        raise TypeError(f"{op.name} takes {op.arity} operand(s), got {len(operands)}")
    return _Unary(op, *operands) if op.arity == 1 else _Binary(op, *operands)


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
    uses = {root: 0}
    stack = [root]
    while stack:
        for parent in stack.pop().parents:
            if parent in uses:
                uses[parent] += 1
            else:
                uses[parent] = 1
                stack.append(parent)
    order: list[Value] = []
    stack = [root]
    while stack:
        node = stack.pop()
        order.append(node)
        for parent in node.parents:
            left = uses[parent] - 1
            uses[parent] = left
            if not left:
                stack.append(parent)
    order.reverse()
    return order
