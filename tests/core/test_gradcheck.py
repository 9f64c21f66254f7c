"""Finite-difference checks: agreement on smooth graphs, honest reports at kinks."""

from __future__ import annotations

import math
import random

import pytest

from graphviz_dl.engine import Value, topological_order
from graphviz_dl.gradcheck import GradCheck, check_gradients


def snapshot(root: Value) -> list[tuple[float, float, tuple[float, ...]]]:
    return [(n.data, n.grad, n.local_grads) for n in topological_order(root)]


def smooth_program(seed: int) -> Value:
    rng = random.Random(seed)
    pool = [Value(rng.uniform(0.5, 1.5), f"p{i}") for i in range(4)]
    for _ in range(25):
        a, b = rng.choice(pool), rng.choice(pool)
        kind = rng.randrange(8)
        if kind == 0:
            pool.append(a * b)
        elif kind == 1:
            pool.append(a + b.tanh())
        elif kind == 2:
            pool.append((a * 0.3).exp() - b)
        elif kind == 3:
            pool.append((a * a + 1.0).log())
        elif kind == 4:
            pool.append(a.sigmoid() / (b * b + 1.0))
        elif kind == 5:
            pool.append(Value.linear([a, b], [b, 2.0], 0.5).gelu())
        elif kind == 6:
            pool.append((a * a + 0.5).sqrt() ** 1.5)
        else:
            pool.append(a.sin() * b.cos())
    return Value.sum(pool[-4:])


def test_the_chain_example_checks_out_with_the_known_gradients():
    t1, t2, x, y = (
        Value(0.5, "t1"),
        Value(-1.5, "t2"),
        Value(2.0, "x"),
        Value(0.25, "y"),
    )
    loss = (t1 * t2 * x - y) ** 2
    checks = check_gradients(loss)
    assert all(isinstance(c, GradCheck) for c in checks)
    assert [(c.node, c.name) for c in checks] == [
        ("n0", "t1"),
        ("n1", "t2"),
        ("n3", "x"),
        ("n5", "y"),
    ]
    assert [c.analytic for c in checks] == [10.5, -3.5, 2.625, 3.5]
    for c in checks:
        assert c.ok
        assert c.numeric == pytest.approx(c.analytic, rel=1e-8)


@pytest.mark.parametrize("seed", range(5))
def test_smooth_random_programs_pass(seed):
    root = smooth_program(seed)
    checks = check_gradients(root)
    assert checks and all(c.ok for c in checks), [c for c in checks if not c.ok]


def test_the_graph_is_left_exactly_as_found():
    root = smooth_program(3)
    root.backward()  # leaves now hold grads that a check must not disturb
    for leaf in topological_order(root):
        if leaf.op is None:
            leaf.grad += 0.125
    before = snapshot(root)
    check_gradients(root)
    assert snapshot(root) == before


def test_relu_at_its_kink_is_reported_not_raised():
    x = Value(0.0, "x")
    checks = check_gradients(x.relu() * 3.0)
    by_name = {c.name: c for c in checks}
    # relu'(0) is 0 by convention; the central difference sees half a slope.
    assert by_name["x"].analytic == 0.0
    assert by_name["x"].numeric == pytest.approx(1.5)
    assert not by_name["x"].ok
    assert by_name["3.0"].ok  # the constant's gradient relu(0) = 0 is smooth


def test_non_finite_gradients_are_not_ok_and_keep_their_numbers():
    x = Value(0.0, "x")
    checks = check_gradients(x.sqrt())
    assert len(checks) == 1
    assert math.isinf(checks[0].analytic)
    assert not checks[0].ok
    assert math.isnan(checks[0].numeric)  # sqrt(−eps) is nan


def test_a_leaf_root_has_slope_one():
    (check,) = check_gradients(Value(7.0, "w"))
    assert (check.node, check.name, check.analytic, check.ok) == ("n0", "w", 1.0, True)
    assert check.numeric == pytest.approx(1.0)


def test_a_reused_leaf_is_checked_once_with_its_total_gradient():
    x = Value(1.5, "x")
    (check,) = check_gradients(x * x * x)
    assert check.analytic == pytest.approx(3 * 1.5**2)
    assert check.ok


# --- the step and tolerance follow the numbers (no false alarms at extremes) -------------
def checked(source: str) -> dict[str, GradCheck]:
    from graphviz_dl.expr import parse

    root = list(parse(source).values())[-1]
    return {check.name: check for check in check_gradients(root)}


def test_a_square_at_1e8_checks_out():
    (check,) = checked("x = 1e8\ny = x * x").values()
    assert check.analytic == 2e8 and check.ok, check
    assert check.step > 1.0  # a step of 1e-6 would be below the floats' spacing at 1e8


@pytest.mark.parametrize("x", ["2.0", "1e3", "1e8"])
def test_a_tiny_weight_times_an_input_checks_out(x):
    checks = checked(f"w = -1e-8\nx = {x}\ny = sigmoid(w * x)")
    assert checks["w"].ok and checks["x"].ok, checks
    # at x = 1e8 the output swings across sigmoid's range within a 1e-6 step of w
    assert checks["w"].numeric == pytest.approx(checks["w"].analytic, rel=1e-5)


def test_a_wrong_gradient_is_still_caught_at_every_scale(monkeypatch):
    for scale in (1e-2, 1.0, 1e8):
        x = Value(scale, "x")
        y = x * x
        right = type(y).backward

        def wrong(self, right=right, x=x):  # a deliberately wrong rule: 1.9x
            right(self)
            x.grad *= 0.95

        monkeypatch.setattr(type(y), "backward", wrong)
        (check,) = check_gradients(y)
        monkeypatch.undo()
        assert not check.ok and check.finite, scale
        assert "backward gives" in check.reason()


def test_non_finite_numbers_say_so_instead_of_disagree():
    from graphviz_dl.gradcheck import summarize

    checks = checked("x = 0.0\ny = log(x)")
    assert not checks["x"].ok and not checks["x"].finite
    text = summarize(list(checks.values()))
    assert "not finite" in text and "inf" in text and "disagree" not in text
    assert summarize(list(checked("x = 3.0\ny = x * x").values())).startswith("✓")


def test_rounding_that_swamps_the_difference_is_not_called_a_match():
    checks = checked("x = 1e-300\ny = x * x * 1e300")
    assert not checks["x"].ok
    assert "rounding swamps" in checks["x"].reason()
