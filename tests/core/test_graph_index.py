"""The graph index: one topological order, ids and neighbours shared by every view."""

from __future__ import annotations

import networkx as nx
import pytest

from graphviz_dl import graph_index
from graphviz_dl.dot import to_dot
from graphviz_dl.engine import Value, topological_order
from graphviz_dl.gradcheck import check_gradients
from graphviz_dl.graph import node_ids, to_networkx
from graphviz_dl.graph_index import GraphIndex, node_id
from graphviz_dl.layout import layered_layout
from graphviz_dl.program import to_program
from graphviz_dl.walkthrough import walkthrough


def build() -> Value:
    x, w = Value(2.0, "x"), Value(-3.0, "w")
    z = x * w + 1.5
    z.label = "z"
    return (z.tanh() - x) ** 2


# x n0, w n1, x·w n2, 1.5 n3, z n4, tanh n5, minus n6, square n7


def test_order_and_ids_are_the_engines_topological_order():
    root = build()
    index = GraphIndex(root)
    assert index.nodes == topological_order(root)
    assert index.ids == [f"n{i}" for i in range(8)] == [node_id(i) for i in range(8)]
    assert index.id_of == node_ids(root)
    assert index.position == {node: i for i, node in enumerate(index.nodes)}
    assert index.root is root and index.root_id == "n7" and len(index) == 8


def test_parents_children_leaves_and_depth_worked_by_hand():
    index = GraphIndex(build())
    assert index.parents == [(), (), (0, 1), (), (2, 3), (4,), (5, 0), (6,)]
    assert index.children == [(2, 6), (2,), (4,), (4,), (5,), (6,), (7,), ()]
    assert index.leaves == (0, 1, 3)
    assert index.leaf_ids == frozenset({"n0", "n1", "n3"})
    assert index.depth == [0, 0, 1, 0, 2, 3, 4, 5]


def test_an_operand_used_twice_is_a_parent_twice_and_a_child_once():
    x = Value(3.0, "x")
    index = GraphIndex(x * x)
    assert index.parents == [(), (0, 0)]
    assert index.children == [(1,), ()]


def test_ids_look_up_nodes_and_names():
    index = GraphIndex(build())
    assert index.node("n4").label == "z"
    assert index.position_of("n6") == 6
    assert [index.name(i) for i in range(8)] == [
        "x",
        "w",
        "n2",
        "1.5",
        "z",
        "n5",
        "n6",
        "n7",
    ]


@pytest.mark.parametrize("bad", ["n8", "n01", "n-1", "x", "", "n", "7", "n2:op"])
def test_an_unknown_id_is_a_key_error(bad):
    with pytest.raises(KeyError):
        GraphIndex(build()).position_of(bad)


def test_a_deep_chain_needs_no_recursion():
    x = Value(0.5, "x")
    node = x
    for _ in range(20_000):
        node = node * 1.0 + 0.0
    index = GraphIndex(node)
    assert index.depth[-1] == 40_000
    assert index.children[0] == (2,)


def test_of_returns_an_index_as_it_is():
    index = GraphIndex(build())
    assert GraphIndex.of(index) is index
    assert GraphIndex.of(index.root) is not index


def test_every_view_reuses_a_given_index_without_walking_the_graph(monkeypatch):
    root = build()
    root.backward()
    index = GraphIndex(root)
    from_root = (
        to_dot(root),
        layered_layout(root),
        to_program(root),
        walkthrough(root).steps,
        check_gradients(root),
    )
    graph_from_root = to_networkx(root)

    def walked(_root):
        raise AssertionError("the graph was walked again")

    monkeypatch.setattr(graph_index, "topological_order", walked)
    walk = walkthrough(index)
    assert walk.graph is index and walk.nodes is index.nodes
    assert from_root == (
        to_dot(index),
        layered_layout(index),
        to_program(index),
        walk.steps,
        check_gradients(index),
    )
    assert nx.utils.graphs_equal(graph_from_root, to_networkx(index))
    assert node_ids(index) is index.id_of
