"""Graphs built elsewhere, rebuilt with this engine so the explorer can walk them.

A student's graph may come from our own :class:`~graphviz_dl.engine.Value`, from
micrograd (or the lecture's version of it: any object with ``data``, ``grad``,
``_prev`` and ``_op``), or from PyTorch (a scalar tensor with a ``grad_fn``).
Each is rebuilt node for node with our engine, keeping labels; the values and
gradients the foreign graph already had are kept beside it, so the explorer
can show where its own backward pass disagrees with them. Nothing here imports
micrograd or torch: objects are read through their attributes.
"""

from __future__ import annotations

import math
import re
from collections.abc import Mapping
from dataclasses import dataclass, field

from .engine import Value

MAX_NODES = 1_000_000


class GraphImportError(ValueError):
    """A foreign graph this module cannot rebuild, with the reason in words."""


@dataclass
class ImportedGraph:
    """A rebuilt graph and what the foreign one said about itself."""

    root: Value
    source: str  # "graphviz_dl", "micrograd" or "torch"
    foreign_data: dict[Value, float] = field(default_factory=dict)
    foreign_grads: dict[Value, float] = field(default_factory=dict)
    rebuilt: dict[int, Value] = field(default_factory=dict)
    """``id`` of a foreign node → the node that stands for it (empty for ours)."""

    def node_for(self, foreign: object) -> Value:
        """The rebuilt node of a node of the original graph."""
        return foreign if isinstance(foreign, Value) else self.rebuilt[id(foreign)]

    def disagreements(
        self, grads: Mapping[Value, float] | None = None, tolerance: float = 1e-9
    ) -> list[str]:
        """Nodes whose rebuilt value or gradient differs from the foreign one,
        as sentences. ``grads`` are this engine's gradients (default: each
        node's ``grad``, after ``root.backward()``)."""
        found = []
        for what, table in (
            ("value", self.foreign_data),
            ("gradient", self.foreign_grads),
        ):
            for node, theirs in table.items():
                if what == "value":
                    ours = node.data
                else:
                    ours = node.grad if grads is None else grads[node]
                if not _close(ours, theirs, tolerance):
                    name = node.label or "a node"
                    found.append(
                        f"{name}: {self.source} had {what} {theirs!r}, "
                        f"this engine computes {ours!r}"
                    )
        return found


def _close(a: float, b: float, tolerance: float) -> bool:
    if math.isnan(a) or math.isnan(b):
        return math.isnan(a) and math.isnan(b)
    return a == b or abs(a - b) <= tolerance * max(1.0, abs(a), abs(b))


def is_graph_like(obj: object) -> bool:
    """Whether ``obj`` is a node this module can rebuild a graph from."""
    if _is_torch_scalar(obj):
        return obj.grad_fn is not None and obj.numel() == 1
    return isinstance(obj, Value) or _is_micrograd(obj)


def import_graph(obj: object) -> ImportedGraph:
    """Rebuild the graph ending at ``obj`` with this engine."""
    if isinstance(obj, Value):
        return _from_ours(obj)
    if _is_torch_scalar(obj):
        from .interop_torch import from_torch

        return from_torch(obj)
    if _is_micrograd(obj):
        return _from_micrograd(obj)
    raise GraphImportError(
        f"cannot explore a {type(obj).__name__}: give a Value, a micrograd-style "
        "value (with data, grad, _prev and _op) or a scalar torch tensor"
    )


def _from_ours(root: Value) -> ImportedGraph:
    """Our own graph, as it is; if its backward pass has run, the gradients it
    left are kept to compare with the explorer's own."""
    graph = ImportedGraph(root, "graphviz_dl")
    if root.grad != 0.0:
        from .engine import topological_order

        graph.foreign_grads = {node: node.grad for node in topological_order(root)}
    return graph


# --- micrograd --------------------------------------------------------------------
def _is_micrograd(obj: object) -> bool:
    return all(hasattr(obj, name) for name in ("data", "grad", "_prev", "_op"))


_POWER = re.compile(r"^\*\*\s*(?P<exponent>[-+0-9.eE]+|inf|nan)$")


def _from_micrograd(root: object) -> ImportedGraph:
    """micrograd keeps parents in a set (no order) and the op as text: ``+``,
    ``*``, ``**k``, ``ReLU``, ``tanh``, ``exp`` … A set also collapses ``a*a``
    into one parent; a binary op with one parent is that op of the node with
    itself. Parents are put in a stable order (by label, then value)."""
    order = _foreign_order(root, lambda node: _sorted_parents(node._prev))
    built: dict[int, Value] = {}
    graph = ImportedGraph(Value(0.0), "micrograd")
    for node in order:
        parents = [built[id(p)] for p in _sorted_parents(node._prev)]
        value = _micrograd_node(str(node._op), parents, node)
        label = getattr(node, "label", "")
        value.label = label if isinstance(label, str) else str(label)
        built[id(node)] = value
        graph.foreign_data[value] = float(node.data)
        graph.foreign_grads[value] = float(node.grad)
    graph.root = built[id(root)]
    graph.rebuilt = built
    return graph


def parents_of(node: object) -> tuple:
    """A node's inputs, for our Values and micrograd-style ones alike."""
    if isinstance(node, Value):
        return node.parents
    return tuple(getattr(node, "_prev", ()))


def _sorted_parents(prev) -> list:
    return sorted(prev, key=lambda p: (str(getattr(p, "label", "")), float(p.data)))


def _micrograd_node(op: str, parents: list[Value], node: object) -> Value:
    if not parents:
        return Value(float(node.data))
    if op in ("+", "*") and len(parents) in (1, 2):
        a, b = (parents[0], parents[0]) if len(parents) == 1 else parents
        return a + b if op == "+" else a * b
    power = _POWER.match(op)
    if power and len(parents) == 1:
        return parents[0] ** float(power["exponent"])
    unary = {"relu": "relu", "tanh": "tanh", "exp": "exp", "log": "log"}
    name = unary.get(op.lower())
    if name and len(parents) == 1:
        return getattr(parents[0], name)()
    raise GraphImportError(
        f"the micrograd op {op!r} with {len(parents)} input(s) is not one this "
        "engine knows (+, *, **k, ReLU, tanh, exp, log)"
    )


def _foreign_order(root: object, parents_of) -> list:
    """Nodes of a foreign graph, parents before children, without recursion."""
    order: list = []
    seen: set[int] = set()  # expanded: placed, or its parents are under way
    stack: list[tuple[object, bool]] = [(root, False)]
    while stack:
        node, expanded = stack.pop()
        if expanded:
            order.append(node)
            if len(order) > MAX_NODES:
                raise GraphImportError(f"the graph has more than {MAX_NODES:,} nodes")
            continue
        if id(node) in seen:
            continue
        seen.add(id(node))
        stack.append((node, True))
        for parent in reversed(parents_of(node)):
            if id(parent) not in seen:
                stack.append((parent, False))
    return order


def _is_torch_scalar(obj: object) -> bool:
    module = type(obj).__module__ or ""
    return module.startswith("torch") and hasattr(obj, "grad_fn")
