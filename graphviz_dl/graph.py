"""A Value graph as named nodes: stable ids, display names, and a networkx export.

Every view of a graph (the explorer, the layout, DOT text, the walkthrough)
names nodes the same way, so a node clicked in one can be found in another.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from .engine import Value, topological_order
from .numfmt import format_number

if TYPE_CHECKING:
    import networkx as nx


def node_ids(root: Value) -> dict[Value, str]:
    """``"n0"``, ``"n1"``, … by position in the topological order.

    The order is deterministic, so the same program built twice gets the same
    ids, which lets a view keep its selection across a rebuild.
    """
    return {node: f"n{i}" for i, node in enumerate(topological_order(root))}


def display_name(node: Value, ids: dict[Value, str]) -> str:
    """What a person calls a node: its label, a constant's number, else its id."""
    if node.label:
        return node.label
    if node.op is None:
        return format_number(node.data)
    return ids[node]


def op_node_id(value_id: str) -> str:
    """The id of the op node that computes the value node ``value_id``."""
    return f"{value_id}:op"


def to_networkx(root: Value) -> nx.MultiDiGraph:
    """The graph with one node per value and one per op, as a ``MultiDiGraph``.

    A multigraph, because ``x * x`` uses ``x`` twice and both operand edges must
    be drawn. Value nodes (keyed by id) carry ``kind="value"``, ``name``,
    ``label``, ``data``, ``grad``, ``op`` (name or None) and ``leaf``; op nodes
    (keyed ``f"{id}:op"``) carry ``kind="op"``, ``op``, ``symbol``, ``text`` (the
    op written with operand names) and ``output`` (the value id). Operand edges
    run parent → op node with key and ``operand`` = the operand index and
    ``local`` = ∂out/∂operand; one edge (key 0) runs op node → its value.
    ``graph.graph["root"]`` is the root's id.
    """
    order = topological_order(root)
    ids = {node: f"n{i}" for i, node in enumerate(order)}
    names = {node: display_name(node, ids) for node in order}
    nodes: list[tuple[str, dict]] = []
    edges: list[tuple[str, str, int, dict]] = []
    for node in order:
        node_id = ids[node]
        op = node.op
        nodes.append(
            (
                node_id,
                {
                    "kind": "value",
                    "name": names[node],
                    "label": node.label,
                    "data": node.data,
                    "grad": node.grad,
                    "op": None if op is None else op.name,
                    "leaf": op is None,
                },
            )
        )
        if op is None:
            continue
        op_id = op_node_id(node_id)
        parents = node.parents
        text = op.render([names[p] for p in parents])
        nodes.append(
            (
                op_id,
                {
                    "kind": "op",
                    "op": op.name,
                    "symbol": op.label,
                    "text": text,
                    "output": node_id,
                },
            )
        )
        for index, (parent, local) in enumerate(zip(parents, node.local_grads)):
            edges.append(
                (ids[parent], op_id, index, {"operand": index, "local": local})
            )
        edges.append((op_id, node_id, 0, {}))
    import networkx as nx  # on first use: it costs 0.15 s at start-up

    graph = nx.MultiDiGraph(root=ids[root])
    graph.add_nodes_from(nodes)
    graph.add_edges_from(edges)
    return graph
