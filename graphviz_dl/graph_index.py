"""One index of a Value graph, built once and read by every view of it.

The walkthrough, the layout, DOT and networkx export, the program writer and
the explorer all need the same things: the nodes in topological order, a
stable id per node (``"n0"``, ``"n1"``, … by position), and who feeds whom.
Computing them once per loaded graph keeps the views in agreement and a big
graph's load from walking it again and again.

A graph's shape never changes after it is built (a node's parents are fixed
when it is made), so an index stays valid for as long as its root lives;
only ``data``, ``grad`` and labels change, and the index keeps none of them.
"""

from __future__ import annotations

from functools import cached_property

from . import groups as _groups
from .engine import Value, topological_order
from .group_order import grouped_order
from .group_tree import GroupTree, build_tree
from .numfmt import format_number


def node_id(position: int) -> str:
    """The id of the node at ``position`` in topological order: ``"n7"``."""
    return f"n{position}"


def op_node_id(value_id: str) -> str:
    """The id of the op node that computes the value node ``value_id``."""
    return f"{value_id}:op"


def display_name(node: Value, ids: dict[Value, str]) -> str:
    """What a person calls a node: its label, a constant's number, else its id."""
    if node.label:
        return node.label
    if node.op is None:
        return format_number(node.data)
    return ids[node]


class GraphIndex:
    """Topological order, ids and neighbours of ``root``'s graph.

    ``nodes[i]`` is the node with id ``ids[i] == f"n{i}"``; parents come before
    the nodes that use them and the root is last. The order, and so every id,
    is the same each time the same program is built. Neighbour lists are built
    on first use, so an index that only needs ids costs one traversal.

    When nodes belong to groups (:mod:`graphviz_dl.groups`) the order keeps
    each group's members contiguous (:mod:`graphviz_dl.group_order`) and
    :attr:`groups` is their tree; a graph without groups keeps the plain order.
    """

    def __init__(self, root: Value) -> None:
        self.root = root
        self.group_of: list | None = None  # per position: the node's group
        grouped = grouped_order(root) if _groups.used else None
        if grouped is None:  # no groups recorded yet, or one that is not convex
            order = topological_order(root)
            found = [getattr(v, "group", None) for v in order] if _groups.used else []
        else:
            order, found = grouped
        if any(found):  # a group that is not contiguous gets no span
            self.group_of = found
        self.nodes: list[Value] = order
        self.ids: list[str] = [f"n{i}" for i in range(len(self.nodes))]
        self.position: dict[Value, int] = {v: i for i, v in enumerate(self.nodes)}
        self.id_of: dict[Value, str] = dict(zip(self.nodes, self.ids))

    @cached_property
    def groups(self) -> GroupTree:
        """The tree of groups as runs of positions (empty without groups)."""
        return build_tree(self, self.group_of)

    @classmethod
    def of(cls, graph: Value | GraphIndex) -> GraphIndex:
        """``graph`` itself if it is an index, else a new index of that root."""
        return graph if isinstance(graph, GraphIndex) else cls(graph)

    def __len__(self) -> int:
        return len(self.nodes)

    @property
    def root_id(self) -> str:
        return self.ids[-1]

    # --- ids ---------------------------------------------------------------------
    def position_of(self, node_id: str) -> int:
        """The position of ``node_id`` in :attr:`nodes`; ``KeyError`` if none."""
        digits = node_id[1:]
        if node_id[:1] == "n" and digits.isdecimal() and digits == str(int(digits)):
            i = int(digits)
            if i < len(self.nodes):
                return i
        raise KeyError(f"no node {node_id!r} in this graph")

    def node(self, node_id: str) -> Value:
        """The node called ``node_id``; ``KeyError`` if the graph has none."""
        return self.nodes[self.position_of(node_id)]

    def name(self, position: int) -> str:
        """What a person calls the node at ``position`` (label, number or id)."""
        return display_name(self.nodes[position], self.id_of)

    # --- neighbours (built on first use) ---------------------------------------------
    @cached_property
    def parents(self) -> list[tuple[int, ...]]:
        """Per node, its operands' positions in operand order (``x * x``: twice)."""
        at = self.position.__getitem__
        return [tuple(map(at, node.parents)) for node in self.nodes]

    @cached_property
    def children(self) -> list[tuple[int, ...]]:
        """Per node, the positions of the nodes that use it, each once, in order."""
        users: list[list[int]] = [[] for _ in self.nodes]
        for i, parents in enumerate(self.parents):
            if len(parents) > 1:
                parents = dict.fromkeys(parents)
            for p in parents:
                users[p].append(i)
        return list(map(tuple, users))

    @cached_property
    def leaves(self) -> tuple[int, ...]:
        """Positions of the leaves (inputs, weights, constants) in order."""
        return tuple(i for i, node in enumerate(self.nodes) if node.op is None)

    @cached_property
    def leaf_ids(self) -> frozenset[str]:
        """The ids of the leaves: the nodes a person may edit."""
        return frozenset(self.ids[i] for i in self.leaves)

    @cached_property
    def depth(self) -> list[int]:
        """Per node, the longest path up to a leaf (leaves are 0)."""
        depth = [0] * len(self.nodes)
        at = depth.__getitem__
        for i, parents in enumerate(self.parents):
            if parents:
                depth[i] = 1 + max(map(at, parents))
        return depth
