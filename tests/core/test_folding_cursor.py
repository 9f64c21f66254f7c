"""Stepping over folded groups: one move per group and phase, the walk's own numbers."""

from __future__ import annotations

import itertools

import numpy as np
import pytest

from graphviz_dl.folding import fold_level
from graphviz_dl.folding_cursor import FoldedCursor
from graphviz_dl.graph_index import GraphIndex
from graphviz_dl.nn import MLP
from graphviz_dl.numfmt import format_number
from graphviz_dl.walkthrough import BACKWARD, FORWARD, Walkthrough


@pytest.fixture
def setup():
    model = MLP(3, [4, 4, 1], seed=0)
    loss = (model([2.0, 3.0, -1.0]) - 1.0) ** 2
    loss.label = "L"
    index = GraphIndex(loss)
    walk = Walkthrough(index)
    layers = {s.name: s for s in fold_level(index.groups, "layers")}
    return loss, index, walk, layers


def _steps_in(walk, span, phase):
    at = walk.graph.position_of
    if phase == FORWARD:
        return [s.index for s in walk.steps if s.phase == phase and at(s.node) in span]
    return [s.index for s in walk.steps if s.phase == phase and at(s.inputs[0]) in span]


def test_a_folded_layers_forward_is_one_move_that_says_its_outputs(setup):
    _, index, walk, layers = setup
    cursor = FoldedCursor(walk, layers.values())
    layer1 = layers["layer 1"]
    covered = _steps_in(walk, layer1, FORWARD)
    assert cursor.next(0) == covered[-1] + 1 == len(covered)
    pos = cursor.next(0)
    assert cursor.move_at(pos) is layer1
    values = [format_number(index.nodes[p].data) for p in layer1.outputs]
    assert cursor.describe(pos) == (
        f"layer 1 forward: 4 neurons, {len(layer1)} nodes; "
        f"outputs {values[0]}, {values[1]}, {values[2]}, … (4)"
    )
    assert cursor.prev(pos) == 0


def test_stepping_over_a_folded_layer_backward_leaves_the_unfolded_walks_grads(setup):
    loss, index, walk, layers = setup
    cursor = FoldedCursor(walk, layers.values())
    layer2 = layers["layer 2"]
    pos = 0
    while cursor.move_at(pos) is not layer2 or walk.steps[pos - 1].phase != BACKWARD:
        pos = cursor.next(pos)
    covered = _steps_in(walk, layer2, BACKWARD)
    assert cursor.prev(pos) == covered[0] and pos == covered[-1] + 1
    # the same position reached one step at a time, on a walk of its own
    plain = Walkthrough(GraphIndex(loss))
    unfolded = FoldedCursor(plain, [])
    step = 0
    while step < pos:
        step = unfolded.next(step)
    assert step == pos
    np.testing.assert_array_equal(walk.grads(pos), plain.grads(step))
    # layer 2 is the only reader of its inputs: their gradients are now complete
    loss.backward()
    inputs = list(layer2.inputs)
    got = walk.grads(pos)[inputs]
    want = [index.nodes[p].grad for p in inputs]
    np.testing.assert_allclose(got, want, rtol=1e-12)
    largest = max(range(len(inputs)), key=lambda k: abs(want[k]))
    name = walk.name(index.ids[inputs[largest]])  # as the steps call it
    assert cursor.describe(pos) == (
        f"layer 2 backward: 4 neurons, {len(layer2)} nodes; gradient reaches its "
        f"{len(inputs)} inputs; largest |∂L/∂{name}| = "
        f"{format_number(abs(want[largest]))}"
    )


def test_unfolded_steps_stay_single_and_keep_their_text(setup):
    _, _, walk, layers = setup
    cursor = FoldedCursor(walk, [layers["layer 3"]])
    assert cursor.stops[:3] == [0, 1, 2]
    assert cursor.move_at(1) is None
    assert cursor.describe(1) == walk.steps[0].text
    everything = FoldedCursor(walk, [])
    assert everything.stops == list(range(len(walk) + 1))
    assert cursor.next(len(walk)) == len(walk) and cursor.prev(0) == 0


def test_every_step_is_in_exactly_one_move(setup):
    walk = setup[2]
    cursor = FoldedCursor(walk, fold_level(walk.graph.groups, "neurons"))
    stops = cursor.stops
    assert stops[0] == 0 and stops[-1] == len(walk)
    assert all(a < b for a, b in itertools.pairwise(stops))
    for pos in stops[1:]:
        assert cursor.next(cursor.prev(pos)) == pos
