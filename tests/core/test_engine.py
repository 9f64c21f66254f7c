"""The engine against values worked by hand, deep graphs, determinism and bad input."""

import gc
import math
import subprocess
import sys
import textwrap

import pytest

from graphviz_dl import Value
from graphviz_dl.engine import recompute, topological_order


def test_design_card_example():
    # y = tanh(2x + 1)·relu(x) + x²/3 + 2ˣ at x = −4: relu(−4) = 0 kills the first
    # term and its slope, so y = 16/3 + 1/16 and dy/dx = 2x/3 + 2ˣ·ln 2.
    x = Value(-4.0, label="x")
    y = (2 * x + 1).tanh() * x.relu() + x**2 / 3 + 2**x
    y.backward()
    assert y.data == pytest.approx(16 / 3 + 1 / 16, rel=1e-15)
    assert x.grad == pytest.approx(-8 / 3 + math.log(2) / 16, rel=1e-14)


def test_micrograd_sanity_example():
    # micrograd's own check: z = 3x + 2 = −10, q = relu(z) + z·x = 40,
    # h = relu(z²) = 100, y = h + q + q·x = −20.
    # dq/dx = z + 3x = −22, dh/dx = 2z·3 = −60, dy/dx = dh + dq + x·dq + q = 46.
    x = Value(-4.0)
    z = 2 * x + 2 + x
    q = z.relu() + z * x
    h = (z * z).relu()
    y = h + q + q * x
    y.backward()
    assert y.data == -20.0
    assert x.grad == 46.0


def test_chain_rule_example_from_the_notes():
    # L = (t1·t2·x − y)²: c = −1.75, ∂L/∂c = 2c = −3.5,
    # ∂L/∂t1 = 2c·x·t2 = 10.5, ∂L/∂t2 = 2c·x·t1 = −3.5, ∂L/∂x = 2c·t1·t2 = 2.625.
    t1, t2, x, y = Value(0.5), Value(-1.5), Value(2.0), Value(0.25)
    loss = (t1 * t2 * x - y) ** 2
    loss.backward()
    assert loss.data == 3.0625
    assert (t1.grad, t2.grad, x.grad, y.grad) == (10.5, -3.5, 2.625, 3.5)


def test_numbers_on_either_side_of_every_operator():
    x = Value(3.0)
    assert [v.data for v in (x + 1, 1 + x, x - 1, 1 - x, 2 * x, x * 2)] == [
        4.0, 4.0, 2.0, -2.0, 6.0, 6.0,
    ]  # fmt: skip
    assert [v.data for v in (x / 2, 6 / x, x**2, 2**x, -x, abs(-x))] == [
        1.5, 2.0, 9.0, 8.0, -3.0, 3.0,
    ]  # fmt: skip


def test_augmented_assignment_builds_a_new_node():
    x = Value(1.0)
    y = x
    y += 2
    assert y is not x and x.data == 1.0 and y.data == 3.0


def test_a_node_used_many_times_gets_every_contribution():
    x = Value(1.5)
    total = x
    for _ in range(99):
        total = total + x
    total = total * x  # 100x · x = 100x²
    total.backward()
    assert x.grad == pytest.approx(200 * 1.5)


def test_same_operand_twice():
    x = Value(3.0)
    (x * x).backward()
    assert x.grad == 6.0


def test_backward_twice_is_not_wrong():
    # Intermediate grads are reset; leaves accumulate like PyTorch's .grad.
    a, b = Value(2.0), Value(-3.0)
    c = a * b
    d = c + a
    d.backward()
    d.backward()
    assert c.grad == 1.0
    assert (a.grad, b.grad) == (2 * (b.data + 1), 2 * a.data)


def test_million_node_chain_needs_no_recursion():
    c = Value(1.0000001)
    x = Value(1.0)
    y = x
    for _ in range(1_000_000):
        y = y * c
    y.backward()
    assert x.grad == pytest.approx(1.0000001**1_000_000, rel=1e-9)
    assert c.grad == pytest.approx(1_000_000 * 1.0000001**999_999, rel=1e-9)


def test_variadic_nodes():
    xs = [Value(float(i)) for i in range(1, 5)]
    s = Value.sum(xs)
    assert s.data == 10.0 and len(s.parents) == 4
    w = [Value(0.5), Value(-2.0)]
    z = Value.linear(w, [3.0, 1.0], 0.25)  # 0.5·3 − 2·1 + 0.25
    z.backward()
    assert z.data == -0.25
    assert [p.grad for p in w] == [3.0, 1.0]
    with pytest.raises(ValueError, match="as many weights as inputs"):
        Value.linear(w, [1.0], 0.0)


def test_recompute_after_editing_a_leaf():
    x, w = Value(2.0), Value(3.0)
    y = (x * w).tanh()
    x.data = -1.0
    recompute(y)
    assert y.data == math.tanh(-3.0)
    y.backward()
    assert x.grad == pytest.approx((1 - math.tanh(-3.0) ** 2) * 3.0)


def test_topological_order_puts_parents_first():
    a, b = Value(1.0, "a"), Value(2.0, "b")
    c = a * b
    d = c + a
    order = topological_order(d)
    position = {id(n): i for i, n in enumerate(order)}
    for node in order:
        assert all(position[id(p)] < position[id(node)] for p in node.parents)
    assert order[-1] is d and len(order) == 4


DETERMINISM_SCRIPT = textwrap.dedent(
    """
    from graphviz_dl import Value
    from graphviz_dl.engine import topological_order
    xs = [Value(0.1 * i, label=f"x{i}") for i in range(30)]
    acc = xs[0]
    for i, x in enumerate(xs[1:], 1):
        acc = (acc * x + xs[i // 2]).tanh() if i % 3 else acc.max(x) - xs[i // 3]
    order = topological_order(acc)
    print([(n.label, n.op and n.op.name, n.data) for n in order])
    """
)


def test_order_is_the_same_in_every_process():
    outputs = {
        subprocess.run(
            [sys.executable, "-c", DETERMINISM_SCRIPT],
            capture_output=True,
            text=True,
            check=True,
            env={"PYTHONHASHSEED": seed},
        ).stdout
        for seed in ("0", "1", "12345")
    }
    assert len(outputs) == 1


def test_a_graph_is_freed_without_the_cycle_collector():
    gc.collect()
    gc.disable()
    try:
        x = Value(0.5)
        y = x
        for _ in range(1000):
            y = (y * 1.01).tanh() + x
        y.backward()
        del x, y
        assert gc.collect() == 0  # nothing was left for the collector: no cycles
    finally:
        gc.enable()


@pytest.mark.parametrize("bad", ["abc", None, 1 + 2j, [1.0]])
def test_value_rejects_what_is_not_a_real_number(bad):
    with pytest.raises(TypeError, match="a Value holds a real number"):
        Value(bad)


@pytest.mark.parametrize(
    ("build", "data", "grad"),
    [
        (lambda x: x.log(), -math.inf, math.inf),  # log(0) = −inf, slope 1/0 = inf
        (lambda x: x**-1, math.inf, -math.inf),  # 0 ** −1 = inf
        (lambda x: 1 / x, math.inf, -math.inf),  # documented IEEE results, no raise
        (lambda x: x.sqrt(), 0.0, math.inf),
    ],
)
def test_undefined_points_give_ieee_numbers_not_exceptions(build, data, grad):
    x = Value(0.0)
    y = build(x)
    y.backward()
    assert y.data == data
    assert x.grad == grad


def test_negative_log_and_overflow():
    assert math.isnan(Value(-1.0).log().data)
    assert math.isnan((Value(-8.0) ** 0.5).data)  # no complex numbers
    assert Value(1000.0).exp().data == math.inf
    assert (Value(10.0) ** 400).data == math.inf
    huge = 9 ** (9 ** Value(9.0))  # 9 ** 387420489: overflows at once, no hang
    assert huge.data == math.inf


def test_repr_shows_label_data_and_grad():
    assert repr(Value(2.0, label="w")) == "Value(label='w', data=2.0, grad=0.0)"
