"""The explorer model's fold state, with no Qt: what opens folded, what a
fold or unfold changes, and that Next over a folded group is one move."""

from __future__ import annotations

import numpy as np

from graphviz_dl.engine import Value
from graphviz_dl.labs.explorer.model import ExplorerModel
from graphviz_dl.labs.explorer.program import prepare_program, prepare_values
from graphviz_dl.nn import MLP


def mlp_program():
    model = MLP(2, [3, 3, 1], activation="tanh", seed=3)
    loss = (model([Value(0.5, label="x0"), Value(-1.0, label="x1")]) - 0.25) ** 2
    return prepare_values({"L": loss})


def unfolded_model() -> ExplorerModel:
    """A model showing the MLP's graph, with room for all of it unfolded."""
    model = ExplorerModel()
    model.fold_budget = (1000, 1000)
    model.set_program(mlp_program())
    return model


def folded_to_layers() -> ExplorerModel:
    model = unfolded_model()
    model.fold_to("layers")
    return model


def test_a_grouped_graph_opens_folded_to_the_finest_level_that_fits():
    model = unfolded_model()
    assert not model.folding  # everything fits: nothing folded
    model.fold_budget = (4, 3)
    changes = []
    model.foldedChanged.connect(lambda: changes.append(1))
    model.set_program(mlp_program())
    assert model.folding and not changes  # set with the program, no extra signal
    from graphviz_dl.folding import FoldedGraph, fold_level

    level = model.level_that_fits()
    assert level != "none"
    assert model.folded == fold_level(model.group_tree, level)

    def fits(level: str) -> bool:
        spans = fold_level(model.group_tree, level)
        layout = FoldedGraph(model.program.index, spans).layout()
        return layout.width / 2 + 1 <= 4 and layout.height + 1 <= 3

    # The finest level that fits; when none does, the coarsest with several units.
    if fits(level):
        finer = ("neurons", "layers", "top")[
            : ("neurons", "layers", "top").index(level)
        ]
        assert not any(fits(other) for other in finer)
    else:
        assert not any(fits(other) for other in ("neurons", "layers", "top"))
        assert len(model.folded_graph().units) > 1


def test_fold_unfold_and_open_announce_each_change_once():
    model = unfolded_model()
    tree = model.group_tree
    layers = tree.of_kind("layer")
    changes = []
    model.foldedChanged.connect(lambda: changes.append(model.folded))
    model.fold_to("layers")
    model.fold_to("layers")
    assert len(changes) == 1 and set(layers) <= model.folded
    first = layers[0]
    model.unfold(first)
    assert first not in model.folded and set(first.children) <= model.folded
    units = model.folded_graph().units
    assert first not in units and all(child in units for child in first.children)
    model.unfold_all()
    assert not model.folding and model.folded_graph() is None


def test_next_over_a_folded_layer_is_one_move_and_back_returns():
    model = folded_to_layers()
    cursor = model.cursor()
    positions = [0]
    while model.position < model.length:
        model.step_forward()
        positions.append(model.position)
    assert positions == cursor.stops
    assert len(positions) < model.length + 1
    covered = [p for p in positions if cursor.move_at(p) is not None]
    assert covered
    model.set_position(covered[0])
    assert model.move_text() == cursor.describe(covered[0])
    model.step_back()
    assert model.position == cursor.prev(covered[0])
    final = model.program.walk.grads(model.length)
    model.go_last()
    assert np.allclose(model.grads(), final, equal_nan=True)


def test_step_into_opens_the_group_and_lands_on_its_first_step():
    model = folded_to_layers()
    cursor = model.cursor()
    while cursor.move_at(cursor.next(model.position)) is None:
        model.step_forward()
    span = cursor.move_at(cursor.next(model.position))
    start = model.position
    model.step_into(span)
    assert span not in model.folded
    assert not any(span.start <= s.start and s.stop <= span.stop for s in model.folded)
    assert model.position == start + 1


def test_a_graph_without_groups_has_no_folds_and_steps_one_by_one():
    model = ExplorerModel()
    model.set_program(prepare_program("a = 2.0\nb = 3.0\nc = a * b\nd = c + a\n"))
    assert model.group_tree is None and not model.folding
    model.fold_to("layers")
    assert not model.folding and model.cursor() is None
    model.step_forward()
    model.step_forward()
    assert model.position == 2
    assert model.level_that_fits((1, 1)) == "none"


def test_reveal_opens_only_the_groups_around_a_found_node():
    model = folded_to_layers()
    layer = model.group_tree.of_kind("layer")[1]
    neuron = layer.children[1]
    inside = neuron.start
    assert model.shown_span(inside) == layer
    model.reveal(inside)
    assert model.shown_span(inside) is None
    others = [child for child in layer.children if child is not neuron]
    assert all(model.shown_span(child.start) == child for child in others)


def test_a_folded_sentence_tells_the_new_numbers_after_an_input_is_edited():
    model = folded_to_layers()
    cursor = model.cursor()
    covered = next(p for p in cursor.stops if cursor.move_at(p) is not None)
    model.set_position(covered)
    before = model.move_text()
    leaf = model.program.index.ids[model.program.index.leaves[0]]
    model.set_leaf_value(leaf, 7.5)
    assert model.move_text() == model.cursor().describe(covered)
    assert model.cursor() is not cursor and model.move_text() != before
