"""softplus, SiLU and ELU: values worked by hand, finite differences, IEEE edges,
and proof that one table row each reaches the engine, the language, the
walkthrough, DOT labels and the compiled replay."""

from __future__ import annotations

import math

import numpy as np
import pytest

from graphviz_dl import Value, parse, to_dot, walkthrough
from graphviz_dl.compiled import compile_graph
from graphviz_dl.ops import OPS

E = math.e
SIGMA_1 = 1.0 / (1.0 + math.exp(-1.0))  # σ(1) = 0.7310585786300049
SIGMA_M1 = 1.0 - SIGMA_1  # σ(−1) = 0.2689414213699951

# (op, x, value, slope), each worked out by hand:
HAND_WORKED = [
    # softplus(x) = ln(1 + eˣ), slope σ(x)
    ("softplus", 0.0, math.log(2.0), 0.5),  # ln 2 = 0.693147…, σ(0) = 1/2
    ("softplus", 1.0, math.log(1.0 + E), SIGMA_1),  # ln(1 + e) = 1.313262…
    ("softplus", -1.0, math.log(1.0 + 1.0 / E), SIGMA_M1),  # ln(1 + 1/e) = 0.313262…
    # silu(x) = x·σ(x), slope σ(x)·(1 + x·(1 − σ(x)))
    ("silu", 0.0, 0.0, 0.5),  # 0·½ = 0; ½·(1 + 0) = ½
    ("silu", 1.0, SIGMA_1, SIGMA_1 * (1.0 + SIGMA_M1)),  # 0.731059, 0.927671
    # silu(−1) = −σ(−1) = −0.268941; slope σ(−1)·(1 − σ(1)) = σ(−1)² = 0.072329
    ("silu", -1.0, -SIGMA_M1, SIGMA_M1 * SIGMA_M1),
    # elu(x) = x for x > 0, else eˣ − 1 (α = 1); slope 1, else eˣ
    ("elu", 2.0, 2.0, 1.0),
    ("elu", -1.0, 1.0 / E - 1.0, 1.0 / E),  # −0.632121, 0.367879
    ("elu", 0.0, 0.0, 1.0),  # the kink: eˣ at 0 is 1 = α, as PyTorch has it
]


@pytest.mark.parametrize(("name", "x", "value", "slope"), HAND_WORKED)
def test_values_and_slopes_worked_by_hand(name, x, value, slope):
    leaf = Value(x)
    out = getattr(leaf, name)()
    out.backward()
    assert out.data == pytest.approx(value, rel=1e-15, abs=1e-15)
    assert leaf.grad == pytest.approx(slope, rel=1e-15, abs=1e-15)


def test_the_hand_worked_numbers_are_the_ones_written_out():
    assert SIGMA_1 == pytest.approx(0.7310585786300049, rel=1e-15)
    assert math.log(1.0 + E) == pytest.approx(1.3132616875182228, rel=1e-15)
    assert SIGMA_1 * (1.0 + SIGMA_M1) == pytest.approx(0.92767051187148, rel=1e-13)
    assert SIGMA_M1 * SIGMA_M1 == pytest.approx(0.0723294881285132, rel=1e-13)
    assert 1.0 / E - 1.0 == pytest.approx(-0.6321205588285577, rel=1e-15)


@pytest.mark.parametrize("name", ["softplus", "silu", "elu"])
@pytest.mark.parametrize("x", [-4.0, -1.3, -0.2, 0.05, 0.9, 3.7])
def test_slope_matches_a_central_difference(name, x):
    h = 1e-6

    def f(t: float) -> float:
        return getattr(Value(t), name)().data

    leaf = Value(x)
    getattr(leaf, name)().backward()
    assert leaf.grad == pytest.approx((f(x + h) - f(x - h)) / (2 * h), rel=1e-6)


def test_a_chain_of_all_three_matches_a_central_difference():
    h = 1e-6

    def f(t: float) -> float:
        return Value(t).softplus().silu().elu().data

    x = Value(-0.5)
    x.softplus().silu().elu().backward()
    assert x.grad == pytest.approx((f(-0.5 + h) - f(-0.5 - h)) / (2 * h), rel=1e-7)


def test_softplus_is_stable_far_from_zero():
    assert Value(800.0).softplus().data == 800.0  # ln(1 + e⁸⁰⁰) overflows naively
    # ln(1 + e⁻³⁰) = e⁻³⁰ − e⁻⁶⁰/2 …, lost by ln(1 + tiny) but kept by log1p
    assert Value(-30.0).softplus().data == pytest.approx(math.exp(-30.0), rel=1e-15)
    assert OPS["softplus"].np_forward(np.array([800.0, -30.0])) == pytest.approx(
        [800.0, math.exp(-30.0)], rel=1e-15
    )


@pytest.mark.parametrize(
    ("name", "x", "value", "slope"),
    [
        ("softplus", math.inf, math.inf, 1.0),
        ("softplus", -math.inf, 0.0, 0.0),
        ("elu", -math.inf, -1.0, 0.0),
        ("elu", math.inf, math.inf, 1.0),
        ("silu", math.inf, math.inf, math.nan),  # ∞·(1 − 1): shown, not hidden
        ("silu", -math.inf, math.nan, math.nan),  # −∞·0, as x·σ(x) gives
        ("softplus", math.nan, math.nan, math.nan),
        ("silu", math.nan, math.nan, math.nan),
        ("elu", math.nan, math.nan, math.nan),
    ],
)
def test_infinities_and_nan_follow_ieee_in_scalar_and_numpy(name, x, value, slope):
    op = OPS[name]
    node = getattr(Value(x), name)()
    out = op.np_forward(np.array([x]))
    (local,) = op.np_local(np.array([x]), out)
    for got in (node.data, out[0]):
        assert got == value or (math.isnan(got) and math.isnan(value))
    for got in (node.local_grads[0], local[0]):
        assert got == slope or (math.isnan(got) and math.isnan(slope))


@pytest.mark.parametrize("name", ["softplus", "silu", "elu"])
def test_one_table_row_reaches_every_part(name):
    op = OPS[name]
    x = Value(-0.5, "x")
    built = getattr(x, name)()
    assert built.op is op
    assert getattr(Value, name).__doc__ == op.explanation

    parsed = parse(f"x = -0.5\ny = {name}(x)")["y"]
    assert parsed.op is op and parsed.data == built.data

    steps = walkthrough(parsed).steps
    assert steps[0].formula == f"y = {name}(x)"
    derivative = op.derivative_text(0, ["x"], "y")
    assert steps[-1].text.endswith(f", where ∂y/∂x = {derivative}")

    assert f"label=<{op.symbol}>" in to_dot(parsed)

    program = compile_graph(parsed, [parsed.parents[0]])
    xs = np.array([-2.0, -0.5, 0.0, 1.5])
    out, grads = program.value_and_grad(xs, stacked=True)
    want = [getattr(Value(t), name)() for t in xs]
    np.testing.assert_allclose(out, [w.data for w in want], rtol=1e-12)
    np.testing.assert_allclose(grads[0], [w.local_grads[0] for w in want], rtol=1e-12)


def test_ops_with_an_operator_or_a_parameter_get_no_generated_method():
    assert not hasattr(Value, "neg")  # −x
    assert not hasattr(Value, "pow_const") and not hasattr(Value, "rpow")
