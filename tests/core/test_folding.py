"""Folding groups into units: levels, units, counted edges, the contracted layout."""

from __future__ import annotations

import pytest

from graphviz_dl.engine import Value
from graphviz_dl.folding import FoldedGraph, fold_level
from graphviz_dl.graph_index import GraphIndex
from graphviz_dl.group_tree import GroupSpan
from graphviz_dl.groups import group
from graphviz_dl.layout import layered_layout
from graphviz_dl.nn import MLP


@pytest.fixture
def index() -> GraphIndex:
    model = MLP(3, [4, 4, 1], seed=0)
    return GraphIndex((model([2.0, 3.0, -1.0]) - 1.0) ** 2)


def test_fold_levels_pick_layers_neurons_and_the_top(index):
    tree = index.groups
    assert fold_level(tree, "none") == frozenset()
    assert {s.name for s in fold_level(tree, "top")} == {"MLP"}
    assert sorted(s.name for s in fold_level(tree, "layers")) == [
        "layer 1",
        "layer 2",
        "layer 3",
    ]
    assert len(fold_level(tree, "neurons")) == 9
    with pytest.raises(ValueError, match="unknown fold level"):
        fold_level(tree, "everything")


def test_folding_layers_gives_one_unit_per_layer_and_counted_edges(index):
    folded = FoldedGraph(index, fold_level(index.groups, "layers"))
    boxes = [u for u in folded.units if isinstance(u, GroupSpan)]
    assert [b.name for b in boxes] == ["layer 1", "layer 2", "layer 3"]
    assert len(folded.units) == 3 + (len(index) - sum(len(b) for b in boxes))
    first, second = (folded.units.index(b) for b in boxes[:2])
    # layer 2's four neurons each read layer 1's four outputs: 16 node edges
    assert (first, second, 16) in folded.edges
    assert all(a < b for a, b, _ in folded.edges)
    assert len({(a, b) for a, b, _ in folded.edges}) == len(folded.edges)
    w = index.position[index.nodes[boxes[1].start]]
    assert folded.unit_of(w) == second
    total = sum(len(p) for p in index.parents)
    inside = sum(
        1
        for c, ps in enumerate(index.parents)
        for p in ps
        if folded.unit_of(c) == folded.unit_of(p)
    )
    assert sum(k for _, _, k in folded.edges) == total - inside


def test_folding_a_span_hides_the_spans_inside_it(index):
    tree = index.groups
    everything = FoldedGraph(index, tree.spans)
    assert [u for u in everything.units if isinstance(u, GroupSpan)] == tree.roots


def test_the_folded_layout_places_every_unit_left_to_right(index):
    folded = FoldedGraph(index, fold_level(index.groups, "layers"))
    layout = folded.layout()
    for u in range(len(folded.units)):
        assert folded.key(u) in layout.positions
    for a, b, _ in folded.edges:
        assert layout.layers[folded.key(a)] < layout.layers[folded.key(b)]
    box = folded.key(
        next(u for u, x in enumerate(folded.units) if not isinstance(x, int))
    )
    assert layout.layers[box + ":op"] == layout.layers[box] - 1


def test_nothing_folded_lays_out_exactly_as_the_plain_layout():
    x = Value(1.5, label="x")
    with group("f"):
        y = (x * x + 2.0).tanh()
    z = y * x - x.exp()
    index = GraphIndex(z)
    assert FoldedGraph(index, []).layout() == layered_layout(index)


def test_user_groups_without_kinds_fold_one_level_below_the_top():
    x = Value(0.5, label="x")
    with group("model"):
        with group("encoder"):
            h = (x * 2.0).tanh()
        with group("decoder"):
            y = h * h + 1.0
    tree = GraphIndex(y).groups
    assert sorted(s.name for s in fold_level(tree, "layers")) == ["decoder", "encoder"]
    assert sorted(s.name for s in fold_level(tree, "neurons")) == ["decoder", "encoder"]
