"""The engine's node kinds, and backpropagation over them.

A node's class fits what it needs to remember. Additions and products are the
bulk of every graph people write op by op, so they get classes of their own
that store only their two parents: their local derivatives are known without
storing them (1 and 1; each the other operand's value), which makes the
commonest node both the smallest and the quickest to build. Every other op
is a :class:`Unary`, :class:`Binary` or :class:`Variadic` node that stores its
op and its local derivatives as numbers.

The engine builds the commonest nodes directly, with the op table's formulas
for ``+``, ``·``, ``−``, ``/``, ``relu``, ``tanh``, ``−x`` and constant powers
written out (tests hold them to :mod:`graphviz_dl.ops` on ordinary and
IEEE-edge inputs, to the bit).

Backpropagation visits only non-leaf nodes, in the reverse of the engine's
topological order, so every gradient is the same sum in the same order as a
node-by-node walk would give; sums and products have no stored derivatives
to read, so passing a gradient through them is one addition (or product)
per parent.
"""

from __future__ import annotations

from . import ops
from .engine import Value
from .ops import Op

new_node = object.__new__  # builds a node without a Python-level __init__ call


class Unary(Value):
    """``op(a)`` with its local derivative ``da`` stored when built."""

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


class Binary(Value):
    """``op(a, b)`` with its local derivatives ``da``, ``db`` stored when built."""

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


class Add(Value):
    """``a + b``: both local derivatives are 1, so none is stored."""

    __slots__ = ("a", "b")
    op = ops.ADD

    def _recompute(self) -> None:
        self.data = self.a.data + self.b.data

    @property
    def parents(self) -> tuple[Value, ...]:
        return (self.a, self.b)

    @property
    def local_grads(self) -> tuple[float, ...]:
        return (1.0, 1.0)

    def _propagate(self) -> None:
        g = self.grad
        self.a.grad += g
        self.b.grad += g


class Mul(Value):
    """``a · b``: each local derivative is the other operand's value, read
    from the parents themselves (:func:`graphviz_dl.engine.recompute` keeps
    them current, as it does every node's)."""

    __slots__ = ("a", "b")
    op = ops.MUL

    def _recompute(self) -> None:
        self.data = self.a.data * self.b.data

    @property
    def parents(self) -> tuple[Value, ...]:
        return (self.a, self.b)

    @property
    def local_grads(self) -> tuple[float, ...]:
        return (self.b.data, self.a.data)

    def _propagate(self) -> None:
        g = self.grad
        a, b = self.a, self.b
        a.grad += g * b.data
        b.grad += g * a.data


class Variadic(Value):
    """``op(p1, …, pn)`` (a sum, a neuron's weighted sum) with its local
    derivatives stored as a tuple."""

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


# --- building nodes whose numbers are already worked out --------------------------


def add(a: Value, b: Value) -> Value:
    out = new_node(Add)
    out.a = a
    out.b = b
    out.data = a.data + b.data
    out.grad = 0.0
    out.label = ""
    return out


def mul(a: Value, b: Value) -> Value:
    out = new_node(Mul)
    out.a = a
    out.b = b
    out.data = a.data * b.data
    out.grad = 0.0
    out.label = ""
    return out


def binary(op: Op, a: Value, b: Value, data: float, da: float, db: float) -> Value:
    out = new_node(Binary)
    out.op = op
    out.a = a
    out.b = b
    out.data = data
    out.da = da
    out.db = db
    out.grad = 0.0
    out.label = ""
    return out


def unary(op: Op, a: Value, data: float, da: float) -> Value:
    out = new_node(Unary)
    out.op = op
    out.a = a
    out.data = data
    out.da = da
    out.grad = 0.0
    out.label = ""
    return out


# --- backpropagation -----------------------------------------------------------------


def count_uses(root: Value) -> dict[Value, int]:
    """How many edges lead into each non-leaf ancestor of ``root`` from the
    nodes above it; their gradients are reset on the way."""
    uses = {root: 0}
    stack = [root]
    pop, push = stack.pop, stack.append
    leaf, add_, mul_, unary_, binary_ = Value, Add, Mul, Unary, Binary
    while stack:
        node = pop()
        kind = type(node)
        if kind is mul_ or kind is add_ or kind is binary_:
            a = node.a
            if type(a) is not leaf:
                if a in uses:
                    uses[a] += 1
                elif a.op is not None:
                    uses[a] = 1
                    a.grad = 0.0
                    push(a)
            a = node.b
        elif kind is unary_:
            a = node.a
        else:
            for a in node.parents:
                if type(a) is not leaf:
                    if a in uses:
                        uses[a] += 1
                    elif a.op is not None:
                        uses[a] = 1
                        a.grad = 0.0
                        push(a)
            continue
        if type(a) is not leaf:
            if a in uses:
                uses[a] += 1
            elif a.op is not None:
                uses[a] = 1
                a.grad = 0.0
                push(a)
    return uses


def backpropagate(root: Value) -> None:
    """Kahn's order, run backwards: a node passes its gradient on as soon as
    every node that uses it has passed on theirs (so its own is complete).

    This is the reverse of :func:`graphviz_dl.engine.topological_order`, so
    every gradient is the same sum in the same order as a node-by-node walk.
    One walk counts the uses and one propagates; only non-leaf nodes are
    visited (a leaf only receives), and the common kinds are handled inline
    rather than by a method call per node.
    """
    uses = count_uses(root)
    root.grad = 1.0
    stack = [root]
    pop, push, waiting = stack.pop, stack.append, uses.get
    add_, mul_, unary_, binary_ = Add, Mul, Unary, Binary
    while stack:
        node = pop()
        g = node.grad
        kind = type(node)
        if kind is mul_:
            a = node.a
            b = node.b
            a.grad += g * b.data
            b.grad += g * a.data
        elif kind is add_:
            a = node.a
            b = node.b
            a.grad += g
            b.grad += g
        elif kind is unary_:
            a = node.a
            a.grad += g * node.da
            left = waiting(a)
            if left is not None:
                if left == 1:
                    push(a)
                else:
                    uses[a] = left - 1
            continue
        elif kind is binary_:
            a = node.a
            b = node.b
            a.grad += g * node.da
            b.grad += g * node.db
        else:
            node._propagate()
            for a in node.parents:
                left = waiting(a)
                if left is not None:
                    if left == 1:
                        push(a)
                    else:
                        uses[a] = left - 1
            continue
        # a binary node: release each operand once all its users are done
        left = waiting(a)
        if left is not None:
            if left == 1:
                push(a)
            else:
                uses[a] = left - 1
        left = waiting(b)
        if left is not None:
            if left == 1:
                push(b)
            else:
                uses[b] = left - 1
