"""Fused neurons written out: same values and gradients, labels and a node map."""

from __future__ import annotations

import math
import time

import pytest

from graphviz_dl import datasets, nn
from graphviz_dl.engine import Value
from graphviz_dl.graph_index import GraphIndex
from graphviz_dl.labs.explorer.program import prepare_values
from graphviz_dl.training import Trainer, TrainingConfig, probe
from graphviz_dl.unfuse import has_fused, unfuse


def grads_of(index: GraphIndex) -> list[float]:
    for node in index.nodes:
        node.grad = 0.0
    index.root.backward()
    return [node.grad for node in index.nodes]


def assert_agree(fused: GraphIndex) -> None:
    result = unfuse(fused)
    unfused = result.index
    assert not has_fused(unfused)
    g_fused, g_unfused = grads_of(fused), grads_of(unfused)
    for old_id, new_id in result.to_unfused.items():
        i, j = fused.position_of(old_id), unfused.position_of(new_id)
        a, b = fused.nodes[i], unfused.nodes[j]
        assert a.label == b.label
        assert b.data == pytest.approx(a.data, rel=1e-12, abs=1e-12)
        assert g_unfused[j] == pytest.approx(g_fused[i], rel=1e-12, abs=1e-12)


def test_one_neuron_is_written_out_with_its_labels():
    w1, x1, w2, x2, b = (
        Value(v, n)
        for v, n in [(0.5, "w1"), (2.0, "x1"), (-1.5, "w2"), (3.0, "x2"), (0.25, "b")]
    )
    z = Value.linear([w1, w2], [x1, x2], b)
    z.label = "z"
    fused = GraphIndex(z.tanh())
    result = unfuse(fused)
    ops = [n.op.name for n in result.index.nodes if n.op is not None]
    assert ops == ["mul", "mul", "add", "add", "tanh"]
    labels = [n.label for n in result.index.nodes if n.label]
    assert labels == ["w1", "x1", "w2", "x2", "b", "z"]
    assert result.index.nodes[-2].data == 0.5 * 2.0 + -1.5 * 3.0 + 0.25  # −3.25
    # every new node maps back: the products and the partial sum to z
    z_id = fused.id_of[z]
    made = [i for i in result.index.ids if result.to_fused[i] == z_id]
    assert len(made) == 4
    assert_agree(fused)
    assert fused.nodes[-1].data == result.index.root.data  # the original untouched


def test_an_mlp_agrees_to_1e_12_and_grows():
    model = nn.MLP(2, [16, 16, 1], activation="relu", seed=4)
    loss = (model([Value(0.3, "x0"), Value(-0.8, "x1")]) - 1.0) ** 2
    fused = GraphIndex(loss)
    start = time.perf_counter()
    result = unfuse(fused)
    print(
        f"unfused {len(fused)} → {len(result.index)} nodes in "
        f"{time.perf_counter() - start:.3f} s"
    )
    assert len(result.index) > len(fused) + 500
    assert_agree(fused)


@pytest.mark.parametrize("loss", ["bce_with_logits", "cross_entropy"])
def test_a_training_lab_sample_graph_agrees(loss):
    data = (
        datasets.blobs(30, n_classes=3, seed=0)
        if loss == "cross_entropy"
        else (datasets.moons(30, seed=0))
    )
    trainer = Trainer(data, TrainingConfig(hidden=(4, 3)))
    trainer.train(1)
    root = probe.sample_graph(trainer, 2)
    fused = GraphIndex(root)
    assert has_fused(fused)
    assert_agree(fused)


def test_a_program_of_the_unfused_graph_has_the_same_walkthrough_result():
    model = nn.MLP(3, [4, 4, 1], activation="tanh", seed=1)
    out = model([Value(2.0, "a"), Value(3.0, "b"), Value(-1.0, "c")])
    out.label = "y"
    fused = prepare_values({"y": out})
    result = unfuse(fused.index)
    unfused = prepare_values({"y": result.copies[out]})
    g1, g2 = fused.final_grads(), unfused.final_grads()
    for old_id, new_id in result.to_unfused.items():
        a = g1[fused.index.position_of(old_id)]
        b = g2[unfused.index.position_of(new_id)]
        assert (math.isnan(a) and math.isnan(b)) or b == pytest.approx(
            a, rel=1e-12, abs=1e-12
        )


def test_switching_views_keeps_the_step_on_the_same_node_and_the_inputs():
    from graphviz_dl.labs.explorer.fusion import (
        can_unfuse,
        matching_position,
        sync_leaves,
        unfused_program,
    )

    w, x, b = Value(0.5, "w"), Value(2.0, "x"), Value(-0.25, "b")
    z = Value.linear([w], [x], b)
    z.label = "z"
    y = z.tanh()
    y.label = "y"
    fused = prepare_values({"y": y})
    assert can_unfuse(fused)
    twin, result = unfused_program(fused)
    assert not can_unfuse(twin)
    # the forward step of z → the forward step of z (the last add)
    forward_z = next(s for s in fused.walk.steps if s.node == fused.walk.graph.id_of[z])
    at = matching_position(fused, twin, forward_z.index + 1, result.to_unfused)
    assert twin.walk.name(twin.walk.steps[at - 1].node) == "z"
    # the gradient arriving at w → the gradient arriving at w
    back_w = next(
        s for s in fused.walk.steps if s.phase == "backward" and s.node == "n0"
    )
    at = matching_position(fused, twin, back_w.index + 1, result.to_unfused)
    assert twin.walk.steps[at - 1].phase == "backward"
    assert twin.walk.name(twin.walk.steps[at - 1].node) == "w"
    assert matching_position(fused, twin, 0, result.to_unfused) == 0
    # a typed input carries over
    twin.index.node(result.to_unfused["n1"]).data = 3.0
    assert sync_leaves(twin, fused, result.to_fused)
    assert fused.root.data == math.tanh(0.5 * 3.0 - 0.25)
    assert "3.0" in fused.walk.steps[0].text  # the walkthrough was redone
    assert not sync_leaves(twin, fused, result.to_fused)


def test_a_copy_has_the_same_ids_and_a_check_on_it_matches_the_original():
    from graphviz_dl.labs.explorer.model import ExplorerModel
    from graphviz_dl.node_gradcheck import check_every_node
    from graphviz_dl.unfuse import copy_graph

    model_net = nn.MLP(2, [16, 16, 1], activation="relu", seed=4)
    out = model_net([Value(0.3, "x0"), Value(-0.8, "x1")])
    fused = GraphIndex(out)
    copy = copy_graph(fused)
    assert len(copy) == len(fused)
    for a, b in zip(fused.nodes, copy.nodes):
        assert a is not b and (a.op, a.label, a.data) == (b.op, b.label, b.data)
    model = ExplorerModel()
    model.set_program(prepare_values({"y": out}))
    on_copy = model.check_task()()
    on_original = check_every_node(model.program.index)
    assert [(c.node, c.verdict, c.analytic) for c in on_copy] == [
        (c.node, c.verdict, c.analytic) for c in on_original
    ]
    assert on_copy[-1].name == model.walk.name(fused.root_id)
    model.set_grad_checks(on_copy)
    assert model.check_summary().startswith(f"✓ all {len(fused)} node")
    # a leaf edit on a big graph drops the checks rather than redo them at once
    model.set_leaf_value(model.find("x0"), 0.5)
    assert model.grad_checks == {}


def test_group_membership_is_kept_in_the_unfused_graph():
    groups = pytest.importorskip("graphviz_dl.groups")
    x = Value(0.5, "x")
    with groups.group("neuron 1", "neuron") as neuron:
        w, b = Value(2.0, "w"), Value(0.1, "b")
        z = Value.linear([w], [x], b)
    out = z.tanh()
    result = unfuse(out)
    for old, new in result.copies.items():
        assert groups.group_of(new) is groups.group_of(old)
    made = [n for n in result.index.nodes if n.op is not None and n.op.name == "mul"]
    assert made and all(groups.group_of(n) is neuron for n in made)
