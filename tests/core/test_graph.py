"""Stable node ids, display names and the networkx export."""

from __future__ import annotations

import networkx as nx
import pytest

from graphviz_dl.engine import Value, topological_order
from graphviz_dl.graph import display_name, node_ids, op_node_id, to_networkx


def build() -> Value:
    x, w = Value(2.0, "x"), Value(-3.0, "w")
    z = x * w + 1.5
    z.label = "z"
    return (z.tanh() - x) ** 2


def test_ids_follow_the_topological_order_and_are_stable():
    root = build()
    ids = node_ids(root)
    assert list(ids.values()) == [f"n{i}" for i in range(len(ids))]
    assert list(ids) == topological_order(root)
    again = node_ids(build())
    assert [(n.label, n.data, i) for n, i in ids.items()] == [
        (n.label, n.data, i) for n, i in again.items()
    ]


def test_display_name_label_then_number_then_id():
    root = build()
    ids = node_ids(root)
    names = {ids[n]: display_name(n, ids) for n in ids}
    # x n0, w n1, x·w n2, 1.5 n3, z n4, tanh n5, minus n6, square n7
    assert names == {
        "n0": "x",
        "n1": "w",
        "n2": "n2",
        "n3": "1.5",
        "n4": "z",
        "n5": "n5",
        "n6": "n6",
        "n7": "n7",
    }
    negative = Value(-0.25)
    assert display_name(negative, {negative: "n0"}) == "−0.25"


def test_networkx_export_has_value_and_op_nodes_with_their_attributes():
    root = build()
    g = to_networkx(root)
    assert isinstance(g, nx.MultiDiGraph)
    assert g.graph["root"] == "n7"
    values = [k for k, d in g.nodes(data=True) if d["kind"] == "value"]
    op_nodes = [k for k, d in g.nodes(data=True) if d["kind"] == "op"]
    assert values == [f"n{i}" for i in range(8)]
    assert op_nodes == ["n2:op", "n4:op", "n5:op", "n6:op", "n7:op"]
    assert g.nodes["n0"] == {
        "kind": "value",
        "name": "x",
        "label": "x",
        "data": 2.0,
        "grad": 0.0,
        "op": None,
        "leaf": True,
    }
    assert g.nodes["n2"]["op"] == "mul" and not g.nodes["n2"]["leaf"]
    assert g.nodes["n2"]["data"] == -6.0
    assert g.nodes["n4:op"] == {
        "kind": "op",
        "op": "add",
        "symbol": "+",
        "text": "n2 + 1.5",
        "output": "n4",
    }
    assert g.nodes["n7:op"]["op"] == "pow_const"
    # Operand edges carry their index and ∂out/∂operand: ∂(x·w)/∂x = w = −3.
    assert g.edges["n0", "n2:op", 0] == {"operand": 0, "local": -3.0}
    assert g.edges["n1", "n2:op", 1] == {"operand": 1, "local": 2.0}
    assert g.edges["n6:op", "n6", 0] == {}
    # x feeds the product and the difference; every op node feeds its value only.
    assert sorted(g.successors("n0")) == ["n2:op", "n6:op"]
    for op_id in op_nodes:
        assert list(g.successors(op_id)) == [g.nodes[op_id]["output"]]
        assert op_id == op_node_id(g.nodes[op_id]["output"])
    assert nx.is_directed_acyclic_graph(g)


def test_grads_are_exported_as_they_are():
    root = build()
    root.backward()
    g = to_networkx(root)
    for node, node_id in node_ids(root).items():
        assert g.nodes[node_id]["grad"] == node.grad


def test_a_parent_used_twice_by_one_op_has_two_operand_edges():
    x = Value(3.0, "x")
    root = x * x
    g = to_networkx(root)
    edges = sorted(g.edges("n0", keys=True, data=True))
    assert edges == [
        ("n0", "n1:op", 0, {"operand": 0, "local": 3.0}),
        ("n0", "n1:op", 1, {"operand": 1, "local": 3.0}),
    ]
    assert g.number_of_edges("n0", "n1:op") == 2


def test_a_single_leaf_is_a_graph_of_one_node():
    g = to_networkx(Value(1.0, "a"))
    assert list(g.nodes) == ["n0"] and g.number_of_edges() == 0


@pytest.mark.parametrize("label", ['q"uote', "a\\b", "x\ny", "{|}"])
def test_labels_are_kept_verbatim(label):
    root = Value(1.0, label).exp()
    assert to_networkx(root).nodes["n0"]["name"] == label


def test_op_nodes_carry_the_drawn_label():
    x = Value(3.0, label="x")
    graph = to_networkx(x**2)
    assert graph.nodes["n1:op"]["symbol"] == "^2"
