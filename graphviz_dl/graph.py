"""A Value graph as named nodes: stable ids, display names, and a networkx export.

Every view of a graph (the explorer, the layout, DOT text, the walkthrough)
names nodes the same way, so a node clicked in one can be found in another.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from .engine import Value
from .graph_index import GraphIndex, display_name, op_node_id

if TYPE_CHECKING:
    import networkx as nx

__all__ = ["GraphIndex", "display_name", "node_ids", "op_node_id", "to_networkx"]


def node_ids(graph: Value | GraphIndex) -> dict[Value, str]:
    """``"n0"``, ``"n1"``, … by position in the topological order.

    The order is deterministic, so the same program built twice gets the same
    ids, which lets a view keep its selection across a rebuild.
    """
    return GraphIndex.of(graph).id_of


def to_networkx(graph: Value | GraphIndex) -> nx.MultiDiGraph:
    """The graph with one node per value and one per op, as a ``MultiDiGraph``.

    ``graph`` is a root or its :class:`GraphIndex`. A multigraph, because
    ``x * x`` uses ``x`` twice and both operand edges must be drawn. Value nodes (keyed by id) carry ``kind="value"``, ``name``,
    ``label``, ``data``, ``grad``, ``op`` (name or None) and ``leaf``; op nodes
    (keyed ``f"{id}:op"``) carry ``kind="op"``, ``op``, ``symbol``, ``text`` (the
    op written with operand names) and ``output`` (the value id). Operand edges
    run parent → op node with key and ``operand`` = the operand index and
    ``local`` = ∂out/∂operand; one edge (key 0) runs op node → its value.
    ``result.graph["root"]`` is the root's id.
    """
    index = GraphIndex.of(graph)
    order, ids = index.nodes, index.id_of
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
        for k, (parent, local) in enumerate(zip(parents, node.local_grads)):
            edges.append((ids[parent], op_id, k, {"operand": k, "local": local}))
        edges.append((op_id, node_id, 0, {}))
    import networkx as nx  # on first use: it costs 0.15 s at start-up

    multigraph = nx.MultiDiGraph(root=index.root_id)
    multigraph.add_nodes_from(nodes)
    multigraph.add_edges_from(edges)
    return multigraph
