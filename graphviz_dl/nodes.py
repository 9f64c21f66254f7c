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

_TWO = object()
"""A non-leaf node's ``grad`` while backward runs, before its first gradient
arrives, when exactly two edges from above lead into it (``None``: one)."""

_MANY = object()
"""The same, for three edges or more: these alone are counted in a dict."""


_NO_PARENT = Value(0.0)
"""A leaf standing in for a one-input node's missing second parent."""


def backpropagate(root: Value) -> None:
    """Kahn's order, run backwards: a node passes its gradient on as soon as
    every node that uses it has passed on theirs (so its own is complete).

    This is the reverse of :func:`graphviz_dl.engine.topological_order`, so
    every gradient is the same sum in the same order as a node-by-node walk.
    The first walk marks the ancestors and says in each one's ``grad`` how
    many edges from above lead into it: ``None`` for one, :data:`_TWO` for
    two, :data:`_MANY` for more, counted in a dict (most nodes have one user
    and most shared ones two, so most cost no dict entry; the order of these
    visits does not matter). The second passes gradients down: only non-leaf
    nodes are visited (a leaf only receives), the common kinds are handled
    inline rather than by a method call per node, and the node to visit next
    is the last one released, taken straight from the node just visited
    rather than pushed and popped. ``g or 0.0`` is ``0.0 + g`` to the bit (the
    sum a reset grad would get) without making a new float. Both walks are in
    one function because for small graphs their set-up is a fair share of
    the time.
    """
    shared: dict[Value, int] = {}
    stack: list[Value] = []
    pop, push = stack.pop, stack.append
    leaf, add_, mul_, unary_, binary_ = Value, Add, Mul, Unary, Binary
    variadic_, none, two, many = Variadic, _NO_PARENT, _TWO, _MANY
    try:
        node = root
        while True:
            kind = type(node)
            if kind is unary_:
                a = node.a
                b = none
            elif kind is not variadic_:  # a sum, a product or another binary op
                a = node.a
                b = node.b
            else:
                for a in node.parents:
                    if type(a) is not leaf:
                        _count_use(a, shared, push)
                a = b = none
            node = None  # the next node to visit
            if type(a) is not leaf:
                seen = a.grad
                if seen is None:
                    a.grad = two
                elif seen is two:
                    a.grad = many
                    shared[a] = 3
                elif seen is many:
                    shared[a] += 1
                else:
                    a.grad = None
                    node = a
            if type(b) is not leaf:
                seen = b.grad
                if seen is None:
                    b.grad = two
                elif seen is two:
                    b.grad = many
                    shared[b] = 3
                elif seen is many:
                    shared[b] += 1
                else:
                    b.grad = None
                    if node is not None:
                        push(node)
                    node = b
            if node is None:
                if not stack:
                    break
                node = pop()

        root.grad = 1.0
        node = root
        while True:
            g = node.grad
            kind = type(node)
            if kind is add_:
                a = node.a
                b = node.b
                ga = gb = g
            elif kind is mul_:
                a = node.a
                b = node.b
                ga = g * b.data
                gb = g * a.data
            elif kind is unary_:
                a = node.a
                ga = g * node.da
                b = None
            elif kind is binary_:
                a = node.a
                b = node.b
                ga = g * node.da
                gb = g * node.db
            else:
                _pass_on(node, g, shared, push)
                a = b = None
            node = None  # the next node: the last one released
            if a is not None:
                seen = a.grad
                if seen is None:  # its only user: it is complete
                    a.grad = ga or 0.0
                    node = a
                elif seen is two:  # the first of its two users
                    a.grad = ga or 0.0
                elif seen is many:  # the first of its users
                    a.grad = ga or 0.0
                    shared[a] -= 1
                else:
                    a.grad = seen + ga
                    if type(a) is not leaf:  # a shared node, not its first user
                        if a not in shared:  # the second of two
                            node = a
                        else:
                            left = shared[a]
                            if left == 1:
                                node = a
                            else:
                                shared[a] = left - 1
            if b is not None:
                seen = b.grad
                if seen is None:
                    b.grad = gb or 0.0
                    if node is not None:
                        push(node)
                    node = b
                elif seen is two:
                    b.grad = gb or 0.0
                elif seen is many:
                    b.grad = gb or 0.0
                    shared[b] -= 1
                else:
                    b.grad = seen + gb
                    if type(b) is not leaf:
                        if b not in shared:
                            if node is not None:
                                push(node)
                            node = b
                        else:
                            left = shared[b]
                            if left == 1:
                                if node is not None:
                                    push(node)
                                node = b
                            else:
                                shared[b] = left - 1
            if node is None:
                if not stack:
                    return
                node = pop()

    except BaseException:
        _unmark(root)
        raise


def _count_use(a: Value, shared: dict[Value, int], push) -> None:
    """What :func:`backpropagate`'s first walk does inline for one edge into
    ``a``, for a variadic node's many parents (rare enough for a call)."""
    seen = a.grad
    if seen is None:
        a.grad = _TWO
    elif seen is _TWO:
        a.grad = _MANY
        shared[a] = 3
    elif seen is _MANY:
        shared[a] += 1
    else:
        a.grad = None
        push(a)


def _pass_on(node: Value, g: float, shared: dict[Value, int], push) -> None:
    """What :func:`backpropagate` does inline, for any node kind (a variadic one)."""
    for a, d in zip(node.parents, node.local_grads):
        seen = a.grad
        if seen is None:
            a.grad = g * d or 0.0
            push(a)
        elif seen is _TWO:
            a.grad = g * d or 0.0
        elif seen is _MANY:
            a.grad = g * d or 0.0
            shared[a] -= 1
        else:
            a.grad = seen + g * d
            if type(a) is not Value:
                left = shared.get(a, 1)
                if left == 1:
                    push(a)
                else:
                    shared[a] = left - 1


def _unmark(root: Value) -> None:
    """After an interrupted backward: no ``grad`` is left holding a mark."""
    marks = (None, _TWO, _MANY)
    seen = {root}
    stack = [root]
    while stack:
        node = stack.pop()
        if any(node.grad is mark for mark in marks):
            node.grad = 0.0
        for parent in node.parents:
            if parent not in seen:
                seen.add(parent)
                stack.append(parent)
