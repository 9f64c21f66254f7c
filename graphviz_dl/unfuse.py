"""A graph with every fused neuron written out: each multiply and add a node.

The fast path builds a neuron's ``w1·x1 + … + wn·xn + b`` as ONE ``linear``
node; a student learning backpropagation wants to see the products and the
sums. :func:`unfuse` rebuilds a graph with each ``linear`` node expanded, in
the order its forward adds (``((w1·x1 + w2·x2) + …) + b``), so every value
and gradient is the same float as the fused graph's, and keeps a map between
the two graphs' nodes so a view can stay on the same node when it switches.
"""

from __future__ import annotations

from dataclasses import dataclass

from . import nodes as _nodes
from .engine import Value, apply
from .graph_index import GraphIndex

try:  # groups are recorded by the engine from the groups module on
    from . import groups as _groups
except ImportError:  # pragma: no cover - a core without groups
    _groups = None


@dataclass
class Unfused:
    """The unfused graph and the map between it and the fused one."""

    index: GraphIndex
    to_unfused: dict[str, str]
    """Fused id → unfused id: every fused node has its counterpart (a neuron's
    ``linear`` node maps to the last add of its expansion)."""
    to_fused: dict[str, str]
    """Unfused id → fused id; a product or partial sum of a neuron's expansion
    maps to that neuron's ``linear`` node."""
    copies: dict[Value, Value]
    """Each fused node → its counterpart object (for a program's named values)."""

    @property
    def root(self) -> Value:
        return self.index.root


def has_fused(index: GraphIndex) -> bool:
    """Whether the graph has a fused neuron to write out."""
    return any(node.op is not None and node.op.name == "linear" for node in index.nodes)


def copy_graph(graph: Value | GraphIndex) -> GraphIndex:
    """An exact copy of the graph (same order, so the same ids), to nudge
    in a background job while the original is on screen."""
    return unfuse(graph, expand=False).index


def unfuse(graph: Value | GraphIndex, *, expand: bool = True) -> Unfused:
    """A copy of the graph with every ``linear`` node expanded (labels kept;
    the original graph is not touched); ``expand=False`` copies it as is."""
    fused = GraphIndex.of(graph)
    copies: dict[Value, Value] = {}
    parts: dict[Value, Value] = {}  # expansion node → the fused node it stands for
    for node in fused.nodes:
        if node.op is None:
            copy = Value(node.data, node.label)
        elif expand and node.op.name == "linear":
            copy = _expand([copies[p] for p in node.parents], parts, node)
        else:
            copy = apply(node.op, *(copies[p] for p in node.parents))
        copy.label = node.label
        _copy_group(node, copy)
        copies[node] = copy
    index = GraphIndex(copies[fused.root])
    to_unfused = {fused.id_of[old]: index.id_of[new] for old, new in copies.items()}
    to_fused = {index.id_of[new]: fused.id_of[old] for old, new in copies.items()}
    for new, old in parts.items():
        to_fused.setdefault(index.id_of[new], fused.id_of[old])
    return Unfused(index, to_unfused, to_fused, copies)


def _expand(operands: list[Value], parts: dict[Value, Value], fused: Value) -> Value:
    """``w1·x1 + … + b`` as products and adds, summed as ``linear`` sums."""
    weights, inputs, bias = operands[0:-1:2], operands[1:-1:2], operands[-1]
    total: Value | None = None
    for w, x in zip(weights, inputs):
        product = _nodes.mul(w, x)
        parts[product] = fused
        _copy_group(fused, product)
        if total is not None:
            total = _nodes.add(total, product)
            parts[total] = fused
            _copy_group(fused, total)
        else:
            total = product
    if total is None:  # a neuron with no inputs is its bias
        return _nodes.add(bias, Value(0.0))
    return _nodes.add(total, bias)


def _copy_group(source: Value, target: Value) -> None:
    """Keep group membership (network ▸ layer ▸ neuron) where the engine
    records groups; a no-op where it does not."""
    if _groups is None:
        return
    group = _groups.group_of(source)
    if group is not None:
        _groups.put_in_group((target,), group)
