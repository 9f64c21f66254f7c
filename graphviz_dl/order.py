"""The order of a graph's nodes, and the forward pass run again in it.

:func:`topological_order` is the engine's one order: parents before children,
the same on every run; backward (:mod:`.nodes`) passes gradients in its
reverse, and the graph index numbers nodes by it.
"""

from __future__ import annotations

from . import nodes as _nodes
from .engine import Value


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
