"""Every op's local derivatives against central finite differences, and numpy vs scalar."""

import math

import numpy as np
import pytest

from graphviz_dl import Value
from graphviz_dl.engine import apply
from graphviz_dl.ops import OPS, VARIADIC

H = 1e-6

# Points on both sides of 0 and near (not on) each kink.
UNARY_POINTS = [-2.3, -1.0, -1e-3, 1e-3, 0.4, 1.7]
POSITIVE_POINTS = [1e-3, 0.3, 1.0, 2.5]
BINARY_POINTS = [(-1.5, 0.7), (2.0, -3.0), (0.3, 0.3001), (-0.2, -0.5), (1.2, 2.5)]

BOUND = {
    "pow_const": [OPS["pow_const"].bind(p) for p in (2.0, 3.0, -1.0, 0.5)],
    "rpow": [OPS["rpow"].bind(b) for b in (2.0, 0.5, math.e)],
    "leaky_relu": [OPS["leaky_relu"].bind(s) for s in (0.01, 0.2)],
}
NEEDS_POSITIVE = {"log", "sqrt"}


def unary_cases():
    for name, op in OPS.items():
        if op.arity != 1:
            continue
        for bound in BOUND.get(name, [op]):
            fractional = bound.name == "pow_const" and not bound.param.is_integer()
            points = (
                POSITIVE_POINTS
                if name in NEEDS_POSITIVE or fractional
                else UNARY_POINTS
            )
            for x in points:
                yield pytest.param(bound, x, id=f"{bound!r}@{x}")


def binary_cases():
    for op in OPS.values():
        if op.arity != 2:
            continue
        for a, b in BINARY_POINTS:
            if op.name == "pow":
                a = abs(a) + 0.1  # a real power needs a positive base
            yield pytest.param(op, a, b, id=f"{op.name}@{a},{b}")


def central_difference(f, x):
    return (f(x + H) - f(x - H)) / (2 * H)


@pytest.mark.parametrize(("op", "x"), list(unary_cases()))
def test_unary_local_derivative_matches_finite_difference(op, x):
    node = apply(op, Value(x))
    numeric = central_difference(op.forward, x)
    assert node.local_grads[0] == pytest.approx(numeric, rel=1e-5, abs=1e-6)


@pytest.mark.parametrize(("op", "a", "b"), list(binary_cases()))
def test_binary_local_derivatives_match_finite_difference(op, a, b):
    node = apply(op, Value(a), Value(b))
    da = central_difference(lambda t: op.forward(t, b), a)
    db = central_difference(lambda t: op.forward(a, t), b)
    assert node.local_grads == pytest.approx((da, db), rel=1e-5, abs=1e-6)


@pytest.mark.parametrize("name", ["sum", "linear"])
def test_variadic_local_derivatives_match_finite_difference(name):
    op = OPS[name]
    xs = [0.5, -1.25, 2.0, 3.5, -0.75]
    node = apply(op, *map(Value, xs))
    for i in range(len(xs)):

        def f(t, i=i):
            return op.forward(*xs[:i], t, *xs[i + 1 :])

        assert node.local_grads[i] == pytest.approx(
            central_difference(f, xs[i]), rel=1e-6
        )


def all_cases():
    for param in unary_cases():
        op, x = param.values
        yield pytest.param(op, (x,), id=param.id)
    for param in binary_cases():
        op, a, b = param.values
        yield pytest.param(op, (a, b), id=param.id)
    for name in ("sum", "linear"):
        yield pytest.param(OPS[name], (0.5, -1.25, 2.0), id=name)


@pytest.mark.parametrize(("op", "xs"), list(all_cases()))
def test_numpy_forms_agree_with_scalar_forms(op, xs):
    node = apply(op, *map(Value, xs))
    arrays = [np.array([x]) for x in xs]
    out = op.np_forward(*arrays)
    assert out[0] == pytest.approx(node.data, rel=1e-12, abs=1e-15)
    local = [np.broadcast_to(d, out.shape)[0] for d in op.np_local(*arrays, out)]
    assert local == pytest.approx(node.local_grads, rel=1e-12, abs=1e-15)
    assert op.arity in (1, 2, VARIADIC)


@pytest.mark.parametrize(
    ("build", "expected"),
    [
        (lambda x: x.relu(), 0.0),  # relu'(0) = 0, as in PyTorch
        (lambda x: x.abs(), 0.0),  # abs'(0) = 0
        (lambda x: x.leaky_relu(0.1), 0.1),  # leaky slope at the kink
        (lambda x: x.max(0.0), 0.5),  # a tie splits the gradient
        (lambda x: x.min(0.0), 0.5),
    ],
)
def test_kink_rules_at_zero(build, expected):
    x = Value(0.0)
    build(x).backward()
    assert x.grad == expected


def test_max_and_min_send_the_gradient_to_the_winner():
    a, b = Value(2.0), Value(-1.0)
    a.max(b).backward()
    assert (a.grad, b.grad) == (1.0, 0.0)
    a.grad = b.grad = 0.0
    a.min(b).backward()
    assert (a.grad, b.grad) == (0.0, 1.0)
