"""Losses and penalties: hand-worked values, finite differences, extreme logits."""

from __future__ import annotations

import math

import pytest

from graphviz_dl import Value
from graphviz_dl import losses as L
from graphviz_dl.engine import topological_order


def _sigmoid(z: float) -> float:
    return 1.0 / (1.0 + math.exp(-z))


def _check_gradients(loss_of, xs: list[float], h: float = 1e-6) -> None:
    """Backward of ``loss_of(values)`` against central finite differences."""

    def at(points: list[float]) -> Value:
        return loss_of([Value(x) for x in points])

    values = [Value(x) for x in xs]
    loss_of(values).backward()
    for i, v in enumerate(values):
        up = at([*xs[:i], xs[i] + h, *xs[i + 1 :]]).data
        down = at([*xs[:i], xs[i] - h, *xs[i + 1 :]]).data
        assert v.grad == pytest.approx((up - down) / (2 * h), rel=1e-6, abs=1e-8)


def _ops(root: Value) -> list[str]:
    return [v.op.name for v in topological_order(root) if v.op is not None]


# --- values worked by hand ---------------------------------------------------------


def test_mse_and_l1_worked_by_hand():
    assert L.mse([1.0, 2.0, 3.0], [1.0, 1.0, 1.0]).data == pytest.approx(5 / 3)
    assert L.l1([1.0, 2.0, 3.0], [1.0, 1.0, 1.0]).data == pytest.approx(1.0)
    assert L.mse(Value(3.0), 1.0).data == 4.0
    assert L.l1(-2.0, 0.5).data == 2.5


def test_bce_worked_by_hand():
    assert L.bce(0.8, 1).data == pytest.approx(-math.log(0.8))
    assert L.bce(0.8, 0).data == pytest.approx(-math.log(0.2))
    soft = -(0.3 * math.log(0.6) + 0.7 * math.log(0.4))
    assert L.bce(0.6, 0.3).data == pytest.approx(soft)
    batch = (-math.log(0.9) - math.log(0.5)) / 2
    assert L.bce([0.9, 0.5], [1, 0]).data == pytest.approx(batch)


def test_cross_entropy_worked_by_hand():
    # softmax(2, 1, 0.1) = (0.659, 0.242, 0.099); −ln 0.659 = 0.417
    exps = [math.exp(2.0), math.exp(1.0), math.exp(0.1)]
    expected = -math.log(exps[0] / sum(exps))
    assert expected == pytest.approx(0.4170, abs=5e-5)
    assert L.cross_entropy([2.0, 1.0, 0.1], 0).data == pytest.approx(expected)
    probs = [p.data for p in L.softmax([2.0, 1.0, 0.1])]
    assert probs == pytest.approx([0.6590, 0.2424, 0.0986], abs=5e-5)
    assert sum(probs) == pytest.approx(1.0)


def test_hinge_worked_by_hand():
    assert L.hinge(0.5, 1).data == 0.5  # right side, inside the margin
    assert L.hinge(2.0, 1).data == 0.0  # right side, past the margin
    assert L.hinge(2.0, -1).data == 3.0  # wrong side
    assert L.hinge([0.5, 2.0], [1, -1]).data == 1.75


def test_penalties_worked_by_hand():
    params = [Value(1.5), Value(-2.0), Value(0.0)]
    assert L.l1_penalty(params).data == 3.5
    assert L.l2_penalty(params).data == 6.25
    L.l2_penalty(params).backward()
    assert [p.grad for p in params] == [3.0, -4.0, 0.0]
    for p in params:
        p.grad = 0.0
    L.l1_penalty(params).backward()
    assert [p.grad for p in params] == [1.0, -1.0, 0.0]
    assert L.l1_penalty([]).data == 0.0


# --- gradients against finite differences -----------------------------------------


XS = [0.3, -1.2, 0.75, 2.1]
TARGETS = [0.5, -1.0, 1.0, 1.5]
LABELS = [1.0, 0.0, 1.0, 0.0]


@pytest.mark.parametrize(
    "loss_of",
    [
        lambda v: L.mse(v, TARGETS),
        lambda v: L.l1(v, TARGETS),
        lambda v: L.bce([x.sigmoid() for x in v], LABELS),
        lambda v: L.bce([x.sigmoid() for x in v], [0.2, 0.7, 0.5, 1.0]),
        lambda v: L.bce_with_logits(v, LABELS),
        lambda v: L.bce_with_logits(v, [0.2, 0.7, 0.5, 1.0]),
        lambda v: L.hinge(v, [1, -1, -1, 1]),
        lambda v: L.cross_entropy(v, 2),
        lambda v: Value.sum(L.softmax(v)[i] * (i + 1) for i in range(4)),
        lambda v: Value.sum(L.log_softmax(v)[i] * (i - 2) for i in range(4)),
        lambda v: L.l1_penalty(v),
        lambda v: L.l2_penalty(v),
    ],
    ids=[
        "mse", "l1", "bce", "bce_soft", "bce_logits", "bce_logits_soft",
        "hinge", "cross_entropy", "softmax", "log_softmax", "l1_penalty",
        "l2_penalty",
    ],
)  # fmt: skip
def test_gradients_match_finite_differences(loss_of):
    _check_gradients(loss_of, XS)


def test_labels_and_targets_can_be_values_too():
    _check_gradients(lambda v: L.bce(v[0].sigmoid(), v[1]), [0.4, 0.3])
    _check_gradients(lambda v: L.bce_with_logits(v[0], v[1]), [-0.4, 0.8])
    _check_gradients(lambda v: L.mse(v[:2], v[2:]), [0.4, 0.3, -1.0, 2.0])


def test_cross_entropy_slope_is_softmax_minus_one_hot():
    logits = [Value(x) for x in (0.5, -1.0, 2.0)]
    L.cross_entropy(logits, 1).backward()
    probs = [p.data for p in L.softmax([0.5, -1.0, 2.0])]
    assert [z.grad for z in logits] == pytest.approx(
        [probs[0], probs[1] - 1.0, probs[2]]
    )


def test_bce_with_logits_equals_bce_of_the_sigmoid():
    for z, y in [(0.3, 1), (-2.5, 0), (4.0, 0.25), (0.0, 1)]:
        direct = L.bce(_sigmoid(z), y).data
        assert L.bce_with_logits(z, y).data == pytest.approx(direct, rel=1e-12)


@pytest.mark.parametrize("y", [0.0, 0.3, 1.0])
def test_bce_with_logits_slope_at_zero_is_one_half_minus_y(y):
    z = Value(0.0)
    L.bce_with_logits(z, y).backward()
    assert z.grad == pytest.approx(0.5 - y)


def test_log_softmax_is_the_log_of_softmax():
    logits = [1.5, -0.5, 3.0, 0.0]
    logs = [v.data for v in L.log_softmax(logits)]
    assert logs == pytest.approx([math.log(p.data) for p in L.softmax(logits)])


# --- stability ----------------------------------------------------------------------


@pytest.mark.parametrize("z", [1000.0, -1000.0])
@pytest.mark.parametrize("y", [0.0, 1.0])
def test_bce_with_logits_is_finite_at_extreme_logits(z, y):
    logit = Value(z)
    loss = L.bce_with_logits(logit, y)
    loss.backward()
    assert loss.data == pytest.approx(max(z, 0.0) - z * y)  # log(1 + e^−1000) = 0
    assert logit.grad == pytest.approx((1.0 if z > 0 else 0.0) - y)  # σ(z) − y


def test_cross_entropy_and_softmax_are_finite_at_extreme_logits():
    logits = [Value(1000.0), Value(-1000.0), Value(0.0)]
    loss = L.cross_entropy(logits, 1)
    loss.backward()
    assert loss.data == pytest.approx(2000.0)
    assert [z.grad for z in logits] == pytest.approx([1.0, -1.0, 0.0])
    assert L.cross_entropy(logits, 0).data == 0.0
    assert [p.data for p in L.softmax(logits)] == [1.0, 0.0, 0.0]
    log_probs = [v.data for v in L.log_softmax(logits)]
    assert log_probs == pytest.approx([0.0, -2000.0, -1000.0])


def test_the_shift_by_the_max_is_a_constant_not_a_graph_node():
    logits = [Value(2.0), Value(5.0)]
    loss = L.cross_entropy(logits, 0)
    assert "max" not in _ops(loss)
    loss.backward()  # gradient flows only through the logits themselves
    assert sum(z.grad for z in logits) == pytest.approx(0.0, abs=1e-15)


def test_bce_is_honest_about_certainty_on_the_wrong_class():
    assert L.bce(0.0, 1).data == math.inf
    assert L.bce(1.0, 1).data == 0.0  # the unused (1 − y) term is not built
    assert _ops(L.bce(Value(0.7), 1)) == ["log", "neg"]


def test_nan_logits_give_nan_not_a_crash():
    assert all(math.isnan(p.data) for p in L.softmax([1.0, math.nan]))
    assert math.isnan(L.cross_entropy([math.nan, 0.0], 1).data)


def test_a_single_pair_needs_no_division_node():
    assert _ops(L.mse(Value(3.0), 1.0)) == ["sub", "pow_const"]
    assert _ops(L.mse([Value(3.0), Value(1.0)], [1.0, 0.0]))[-1] == "div"


# --- mistakes -----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("call", "error", "message"),
    [
        (lambda: L.mse([1.0, 2.0], [1.0]), ValueError, r"as many targets .* \(1 ≠ 2\)"),
        (lambda: L.mse([], []), ValueError, "no predictions"),
        (lambda: L.l1([1.0, 2.0], 1.0), TypeError, "two sequences"),
        (lambda: L.cross_entropy([1.0, 2.0], 2), ValueError, "out of range"),
        (lambda: L.cross_entropy([1.0, 2.0], 0.5), TypeError, "class index"),
        (lambda: L.softmax([]), ValueError, "no logits"),
        (lambda: L.hinge(0.5, 0), ValueError, "−1 or \\+1"),
    ],
)
def test_mistakes_get_clear_messages(call, error, message):
    with pytest.raises(error, match=message):
        call()
