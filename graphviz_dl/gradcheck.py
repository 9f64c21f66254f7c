"""Check backpropagation against finite differences, leaf by leaf.

The numeric slope needs nothing but forward passes, so agreement is strong
evidence that every local derivative and the chain rule are right; a kink
(``relu`` at exactly 0) shows up as an honest mismatch, not an error.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from .engine import Value, recompute
from .graph_index import GraphIndex, display_name


@dataclass(frozen=True)
class GradCheck:
    """One leaf's gradient from backward (``analytic``) and from nudging it."""

    node: str
    name: str
    analytic: float
    numeric: float
    ok: bool


def check_gradients(
    graph: Value | GraphIndex,
    eps: float = 1e-6,
    rtol: float = 1e-5,
    atol: float = 1e-7,
) -> list[GradCheck]:
    """For every leaf of a root's graph (or its index), in topological order,
    backward's ∂root/∂leaf against the central difference
    ``(f(leaf + eps) − f(leaf − eps)) / 2eps``.

    ``ok`` is ``|analytic − numeric| ≤ atol + rtol·|numeric|`` with both finite.
    The graph is assumed current (as built, or after ``recompute``) and is left
    exactly as found: data, local derivatives and every ``grad``.
    """
    index = GraphIndex.of(graph)
    root, order, ids = index.root, index.nodes, index.id_of
    saved_grads = [node.grad for node in order]
    # Where each leaf is first used: nodes before it cannot depend on the leaf,
    # so a nudge only needs the forward pass from there on.
    first_use = {order[i]: users[0] for i, users in enumerate(index.children) if users}
    leaves = [order[i] for i in index.leaves]
    try:
        for leaf in leaves:
            leaf.grad = 0.0
        root.backward()
        analytic = [leaf.grad for leaf in leaves]
        results = []
        for leaf, slope in zip(leaves, analytic):
            tail = order[first_use.get(leaf, len(order) - 1) :]
            numeric = _central_difference(root, leaf, tail, eps)
            ok = (
                math.isfinite(slope)
                and math.isfinite(numeric)
                and abs(slope - numeric) <= atol + rtol * abs(numeric)
            )
            results.append(
                GradCheck(ids[leaf], display_name(leaf, ids), slope, numeric, ok)
            )
        return results
    finally:
        recompute(root, order)
        for node, grad in zip(order, saved_grads):
            node.grad = grad


def _central_difference(
    root: Value, leaf: Value, tail: list[Value], eps: float
) -> float:
    """The slope of ``root`` over the step actually taken (``x ± eps`` rounded)."""
    original = leaf.data
    try:
        leaf.data = high = original + eps
        recompute(root, tail)
        above = root.data
        leaf.data = low = original - eps
        recompute(root, tail)
        below = root.data
    finally:
        leaf.data = original
        recompute(root, tail)  # the next leaf's pass may start before this tail
    step = high - low
    return (above - below) / step if step else math.nan
