"""Gradient check of every node: ✓ on smooth graphs, ✗ on a wrong rule, and
a kink explained in words at relu/abs at 0 and max ties."""

from __future__ import annotations

import time

import pytest

from graphviz_dl import nn
from graphviz_dl.engine import Value, topological_order
from graphviz_dl.graph_index import GraphIndex
from graphviz_dl.node_gradcheck import (
    KINK,
    OK,
    WRONG,
    check_every_node,
    descendants,
    summarize_nodes,
)


def mlp_sample(seed: int = 1) -> Value:
    """A 2-16-16-1 relu MLP on one sample: its squared error."""
    model = nn.MLP(2, [16, 16, 1], activation="relu", seed=seed)
    out = model([Value(0.7, "x0"), Value(-1.3, "x1")])
    return (out - 0.5) ** 2


def test_the_chain_example_checks_every_node_with_hand_worked_gradients():
    t1, t2, x, y = (
        Value(0.5, "t1"),
        Value(-1.5, "t2"),
        Value(2.0, "x"),
        Value(0.25, "y"),
    )
    a = t1 * t2  # -0.75
    b = a * x  # -1.5
    c = b - y  # -1.75
    loss = c**2  # dL/dc = -3.5, dL/db = -3.5, dL/da = -7, dL/dt1 = 10.5
    checks = {r.name: r for r in check_every_node(loss)}
    assert len(checks) == 8
    assert all(r.verdict == OK for r in checks.values())
    by_node = {r.node: r for r in check_every_node(loss)}
    index = GraphIndex(loss)
    expected = {c: -3.5, b: -3.5, a: -7.0, t1: 10.5, t2: -3.5, loss: 1.0}
    for node, grad in expected.items():
        check = by_node[index.id_of[node]]
        assert check.analytic == grad
        assert check.numeric == pytest.approx(grad, rel=1e-8)


def test_every_node_of_the_mlp_passes_and_one_relu_kink_is_explained():
    loss = mlp_sample()
    index = GraphIndex(loss)
    before = [(n.data, n.grad, n.local_grads) for n in index.nodes]
    checks = check_every_node(index)
    assert len(checks) == len(index)
    assert all(r.verdict == OK for r in checks), summarize_nodes(checks)
    assert [(n.data, n.grad, n.local_grads) for n in index.nodes] == before
    # Put one hidden neuron exactly at its kink: zero weights, zero bias.
    relu = next(n for n in index.nodes if n.op is not None and n.op.name == "relu")
    (linear,) = relu.parents
    for leaf in linear.parents[0:-1:2] + (linear.parents[-1],):
        leaf.data = 0.0
    from graphviz_dl.engine import recompute

    recompute(loss, index.nodes)
    checks = check_every_node(index)
    kinks = [r for r in checks if r.verdict == KINK]
    assert kinks and not [r for r in checks if r.verdict == WRONG]
    assert index.id_of[linear] in {r.node for r in kinks}
    for r in kinks:
        assert r.explanation.startswith("relu at 0")
        assert "jumps from 0 to 1; the engine uses 0, like PyTorch" in r.explanation
    assert "at a kink, not wrong: relu at 0" in summarize_nodes(checks)


def test_only_the_descendants_are_recomputed_and_a_600_node_mlp_is_quick():
    loss = mlp_sample(3)
    index = GraphIndex(loss)
    leaf = index.leaves[0]
    tail = descendants(index, leaf)
    assert tail == sorted(tail) and leaf not in tail and tail[-1] == len(index) - 1
    assert descendants(index, len(index) - 1) == []
    start = time.perf_counter()
    check_every_node(index)
    print(f"{len(index)} nodes checked in {time.perf_counter() - start:.3f} s")


@pytest.mark.parametrize(
    "build, word",
    [
        (lambda x: x.abs() * 3.0, "|x| at 0"),
        (lambda x: x.max(Value(0.0)) * 2.0, "max of a tie"),
        (lambda x: x.min(Value(0.0)) + 1.0, "min of a tie"),
        (lambda x: x.leaky_relu(0.1) * 1.0, "leaky relu at 0"),
    ],
)
def test_other_kinks_are_named_not_called_wrong(build, word):
    x = Value(0.0, "x")
    out = build(x)
    check = check_every_node(out)[0]
    assert check.name == "x" and check.verdict == KINK, check
    assert check.explanation.startswith(word)
    assert check.mark == "kink"


def test_a_kink_of_an_op_without_a_rule_is_explained_by_its_one_sided_slopes(
    monkeypatch,
):
    x = Value(0.0, "x")
    out = x.abs()
    monkeypatch.setattr(
        "graphviz_dl.node_gradcheck.kink_of", lambda node, name="": None
    )
    check = check_every_node(out)[0]
    assert check.verdict == KINK
    assert "the slope from the left (−1.0) and from the right (1.0) differ" in (
        check.explanation
    )


def test_big_values_do_not_give_a_false_cross():
    x = Value(1e8, "x")
    y = (x * x).log() + x * 3.0
    assert all(r.verdict == OK for r in check_every_node(y))


def test_a_wrong_gradient_of_1e_minus_9_on_a_small_value_is_caught():
    x = Value(0.5, "x")
    t = x.tanh()
    out = t * 1e-9
    right = check_every_node(out)
    assert all(r.verdict == OK for r in right)
    t.da *= 2.0  # a deliberately wrong local derivative: ∂out/∂x off by 1e-9·…
    wrong = {r.name: r for r in check_every_node(out)}
    assert wrong["x"].verdict == WRONG
    assert abs(wrong["x"].analytic - wrong["x"].numeric) < 1e-9
    assert "backward gives" in wrong["x"].reason()


def test_a_node_used_twice_gets_its_total_gradient():
    a = Value(3.0, "a")
    out = a * a + a
    by_name = {r.name: r for r in check_every_node(out)}
    assert by_name["a"].analytic == 7.0 and by_name["a"].verdict == OK


def test_the_graph_is_left_as_found_after_a_cancelled_check():
    loss = mlp_sample(2)
    before = [(n.data, n.grad) for n in topological_order(loss)]
    calls = iter(range(100))
    done = check_every_node(loss, cancelled=lambda: next(calls) >= 5)
    assert len(done) == 5
    assert [(n.data, n.grad) for n in topological_order(loss)] == before
