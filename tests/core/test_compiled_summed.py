"""A prepared summed gradient's short way equals the general run, to the bit.

A training step's batch fits one chunk, so :class:`SummedGradient` skips the
general chunked run; the numbers must not change. Kinds with their own
kernels (relu, add, sub) are covered on shared and batched operands.
"""

import numpy as np
import pytest

from graphviz_dl import Value
from graphviz_dl.bench.mlp_batch import MLPBatchStep
from graphviz_dl.compiled import compile_graph
from graphviz_dl.nn import MLP


def _general(step, columns, cotangent):
    program = step.program
    return program._evaluate(
        step.plan,
        program.leaf_values,
        columns,
        (len(columns[0]),),
        step.wrt,
        "reverse",
        cotangent,
        True,
    )


def _mixed_graph():
    x, y = Value(0.0, label="x"), Value(0.0, label="y")
    w, c = Value(0.7, label="w"), Value(-0.4, label="c")
    h = (w * x - c).relu() + (x + y).relu() - (c - w)  # shared and batched operands
    root = (h - y) ** 2 + (h * w).relu() + (w + c) * x
    return root, [x, y], [w, c, x]


@pytest.mark.parametrize("cotangent", [1.0, 0.25, "array"])
def test_the_short_way_equals_the_general_run(cotangent):
    root, inputs, wrt = _mixed_graph()
    step = compile_graph(root, inputs).summed_gradient(wrt)
    rng = np.random.default_rng(0)
    columns = [rng.normal(size=50), rng.normal(size=50)]
    columns[0][:3] = [0.0, np.inf, np.nan]  # kinks and IEEE edges
    seed = rng.uniform(size=50) if cotangent == "array" else cotangent
    out, grads = step(columns, seed)
    want_out, want_grads = _general(step, columns, seed)
    np.testing.assert_array_equal(out, want_out)
    np.testing.assert_array_equal(grads, want_grads)


def test_a_training_step_takes_the_short_way_with_the_same_numbers():
    mlp = MLP(2, [16, 16, 1], seed=3)
    batch = MLPBatchStep(mlp, "mse")
    assert batch._gradient._direct
    rng = np.random.default_rng(1)
    X, y = rng.normal(size=(100, 2)), rng.normal(size=100)
    columns, n = batch._columns(X, y)
    out, grads = batch._gradient(columns, 1.0 / n)
    want_out, want_grads = _general(batch._gradient, columns, 1.0 / n)
    np.testing.assert_array_equal(out, want_out)
    np.testing.assert_array_equal(grads, want_grads)


def test_an_output_that_is_shared_takes_the_general_way():
    x, w = Value(1.0, label="x"), Value(2.0, label="w")
    root = (w * 3.0).relu()  # does not depend on the input x at all
    step = compile_graph(root + 0.0 * x, [x]).summed_gradient([w])
    assert step._direct
    lone = compile_graph(root, []).summed_gradient([w])
    assert not lone._direct


def test_gradients_by_constants_out_of_order_are_gathered():
    # The leaves asked for are all shared but not in slot order: the gradient
    # must follow the order asked for, not the shared vector's.
    root, inputs, _ = _mixed_graph()
    program = compile_graph(root, inputs)
    w, c = program.constants
    forward, backward = program.summed_gradient([w, c]), program.summed_gradient([c, w])
    columns = [np.linspace(-1, 1, 9), np.linspace(2, -2, 9)]
    _, grads = forward(columns, 1.0)
    _, swapped = backward(columns, 1.0)
    np.testing.assert_array_equal(grads[::-1], swapped)
    want = _general(backward, columns, 1.0)[1]
    np.testing.assert_array_equal(swapped, want)
