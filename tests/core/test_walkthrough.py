"""The walkthrough as data: every step of the chain-rule example, checked by hand."""

from __future__ import annotations

import math
import random

import numpy as np
import pytest

from graphviz_dl.engine import Value, topological_order
from graphviz_dl.walkthrough import Step, walkthrough


def chain_example() -> Value:
    """L = (t1·t2·x − y)² with t1 = 0.5, t2 = −1.5, x = 2, y = 0.25."""
    t1, t2 = Value(0.5, "t1"), Value(-1.5, "t2")
    x, y = Value(2.0, "x"), Value(0.25, "y")
    a = t1 * t2
    a.label = "a"
    b = a * x
    b.label = "b"
    c = b - y
    c.label = "c"
    loss = c**2
    loss.label = "L"
    return loss


# ids by topological order: t1 n0, t2 n1, a n2, x n3, b n4, y n5, c n6, L n7
CHAIN_STEPS = [
    ("forward", "n2", ("n0", "n1"), "a = t1 · t2 = 0.5 × −1.5 = −0.75"),
    ("forward", "n4", ("n2", "n3"), "b = a · x = −0.75 × 2.0 = −1.5"),
    ("forward", "n6", ("n4", "n5"), "c = b − y = −1.5 − 0.25 = −1.75"),
    ("forward", "n7", ("n6",), "L = c^2 = (−1.75)^2 = 3.0625"),
    ("seed", "n7", (), "∂L/∂L = 1"),
    (
        "backward",
        "n6",
        ("n7",),
        "∂L/∂c += ∂L/∂L · ∂L/∂c = 1.0 × −3.5 = −3.5, where ∂L/∂c = 2 · c",
    ),
    ("backward", "n4", ("n6",), "∂L/∂b += ∂L/∂c · ∂c/∂b = −3.5 × 1.0 = −3.5"),
    ("backward", "n5", ("n6",), "∂L/∂y += ∂L/∂c · ∂c/∂y = −3.5 × −1.0 = 3.5"),
    (
        "backward",
        "n2",
        ("n4",),
        "∂L/∂a += ∂L/∂b · ∂b/∂a = −3.5 × 2.0 = −7.0, where ∂b/∂a = x",
    ),
    (
        "backward",
        "n3",
        ("n4",),
        "∂L/∂x += ∂L/∂b · ∂b/∂x = −3.5 × −0.75 = 2.625, where ∂b/∂x = a",
    ),
    (
        "backward",
        "n0",
        ("n2",),
        "∂L/∂t1 += ∂L/∂a · ∂a/∂t1 = −7.0 × −1.5 = 10.5, where ∂a/∂t1 = t2",
    ),
    (
        "backward",
        "n1",
        ("n2",),
        "∂L/∂t2 += ∂L/∂a · ∂a/∂t2 = −7.0 × 0.5 = −3.5, where ∂a/∂t2 = t1",
    ),
]

# (value, grad, contribution, local, upstream, operand), worked by hand:
# ∂L/∂c = 2c = −3.5; ∂L/∂b = −3.5·1; ∂L/∂y = −3.5·(−1); ∂L/∂a = ∂L/∂b·x = −7;
# ∂L/∂x = ∂L/∂b·a = 2.625; ∂L/∂t1 = −7·t2 = 10.5; ∂L/∂t2 = −7·t1 = −3.5.
NAN = math.nan
CHAIN_NUMBERS = [
    (-0.75, NAN, None, None, None, None),
    (-1.5, NAN, None, None, None, None),
    (-1.75, NAN, None, None, None, None),
    (3.0625, NAN, None, None, None, None),
    (3.0625, 1.0, None, None, None, None),
    (-1.75, -3.5, -3.5, -3.5, 1.0, 0),
    (-1.5, -3.5, -3.5, 1.0, -3.5, 0),
    (0.25, 3.5, 3.5, -1.0, -3.5, 1),
    (-0.75, -7.0, -7.0, 2.0, -3.5, 0),
    (2.0, 2.625, 2.625, -0.75, -3.5, 1),
    (0.5, 10.5, 10.5, -1.5, -7.0, 0),
    (-1.5, -3.5, -3.5, 0.5, -7.0, 1),
]

# Per position 0..12: which values are known, then which gradients (None: not yet).
KNOWN_AFTER_FORWARD = {
    0: [1, 1, 0, 1, 0, 1, 0, 0],
    1: [1, 1, 1, 1, 0, 1, 0, 0],
    2: [1, 1, 1, 1, 1, 1, 0, 0],
    3: [1, 1, 1, 1, 1, 1, 1, 0],
}
GRADS_FINAL = [10.5, -3.5, -7.0, 2.625, -3.5, 3.5, -3.5, 1.0]
GRAD_ARRIVES_AT = {7: 5, 6: 6, 4: 7, 5: 8, 2: 9, 3: 10, 0: 11, 1: 12}
"""node index -> the first position at which its gradient is known."""


def test_chain_example_every_step_text_and_number():
    w = walkthrough(chain_example())
    assert len(w) == len(CHAIN_STEPS) == 12
    for i, (step, expected, numbers) in enumerate(
        zip(w.steps, CHAIN_STEPS, CHAIN_NUMBERS, strict=True)
    ):
        assert isinstance(step, Step)
        assert step.index == i
        assert (step.phase, step.node, step.inputs, step.text) == expected
        value, grad, contribution, local, upstream, operand = numbers
        assert step.value == value
        assert step.grad == grad or (math.isnan(grad) and math.isnan(step.grad))
        assert step.contribution == contribution
        assert step.local == local
        assert step.upstream == upstream
        assert step.operand == operand


def test_chain_example_formulas_are_symbolic():
    w = walkthrough(chain_example())
    assert [s.formula for s in w.steps[:5]] == [
        "a = t1 · t2",
        "b = a · x",
        "c = b − y",
        "L = c^2",
        "∂L/∂L = 1",
    ]
    assert w.steps[8].formula == "∂L/∂a += ∂L/∂b · ∂b/∂a"
    assert all("×" not in s.formula and "." not in s.formula for s in w.steps)


def test_chain_example_state_at_every_position_and_back_to_start():
    w = walkthrough(chain_example())
    positions = list(range(len(w) + 1))
    for position in [*positions, *reversed(positions)]:  # forward, then back
        known = w.value_known(position)
        expected_known = KNOWN_AFTER_FORWARD.get(position, [1] * 8)
        assert known.tolist() == [bool(k) for k in expected_known]
        grads = w.grads(position)
        for node, arrives in GRAD_ARRIVES_AT.items():
            if position >= arrives:
                assert grads[node] == GRADS_FINAL[node]
            else:
                assert math.isnan(grads[node])
        assert w.grad_known(position).tolist() == [
            position >= GRAD_ARRIVES_AT[i] for i in range(8)
        ]
    assert w.value_known(0).tolist() == [True, True, False, True, False, True] + [
        False,
        False,
    ]
    assert np.isnan(w.grads(0)).all()


def test_positions_outside_the_walkthrough_are_clamped():
    w = walkthrough(chain_example())
    assert np.array_equal(w.grads(10_000), w.grads(len(w)))
    assert np.isnan(w.grads(-3)).all()


def test_names_and_ids():
    w = walkthrough(chain_example())
    assert [w.name(f"n{i}") for i in range(8)] == ["t1", "t2", "a", "x", "b"] + [
        "y",
        "c",
        "L",
    ]
    assert [w.ids[node] for node in w.nodes] == [f"n{i}" for i in range(8)]
    assert w.nodes == topological_order(w.root)
    for bad in ("n99", "n01", "x", "n-1", ""):
        with pytest.raises(KeyError):
            w.name(bad)


def test_final_grads_equal_backward_on_the_example():
    loss = chain_example()
    w = walkthrough(loss)
    loss.backward()
    assert w.grads(len(w)).tolist() == [node.grad for node in w.nodes]
    assert w.grads(len(w)).tolist() == GRADS_FINAL


def test_walkthrough_ignores_grads_already_in_the_nodes():
    loss = chain_example()
    for node in topological_order(loss):
        node.grad = 123.0
    w = walkthrough(loss)
    assert w.grads(len(w)).tolist() == GRADS_FINAL


def test_reused_node_gets_each_contribution_and_a_running_total():
    x = Value(3.0, "x")
    square = x * x
    square.label = "s"
    r = square + x
    r.label = "r"
    w = walkthrough(r)
    to_x = [s for s in w.steps if s.phase == "backward" and s.node == "n0"]
    # ∂r/∂x = 2x + 1 = 7: once through the sum, and ONE line for the product
    # that uses x twice (its gradient arrives twice: 2·x).
    assert [(s.inputs, s.operand, s.contribution, s.grad) for s in to_x] == [
        (("n2",), 1, 1.0, 1.0),
        (("n1",), 0, 6.0, 7.0),
    ]
    assert to_x[0].text == "∂r/∂x += ∂r/∂r · ∂r/∂x = 1.0 × 1.0 = 1.0"
    assert to_x[1].text == (
        "∂r/∂x += ∂r/∂s · ∂s/∂x = 1.0 × 6.0 = 6.0, where ∂s/∂x = 2 · x "
        "(x is used twice here, so its gradient arrives twice); ∂r/∂x is now 7.0"
    )
    assert to_x[1].local == 6.0
    assert w.steps[0].text == "s = x · x = 3.0 × 3.0 = 9.0"
    assert w.steps[0].inputs == ("n0", "n0")
    assert w.grads(len(w))[0] == 7.0
    assert w.grads(len(w) - 1)[0] == 1.0


def test_constants_unlabelled_nodes_and_negative_operands_read_clearly():
    q = Value(-2.0, "q")
    diff = q - (-1.5)
    r = (-q) ** 3 + diff
    w = walkthrough(r)
    texts = [s.text for s in w.steps]
    # ids: q n0, −q n1, (−q)³ n2, the constant −1.5 n3, diff n4, r n5;
    # unnamed nodes are called t1, t2, … in the order they are computed
    assert texts[:4] == [
        "t1 = −q = −(−2.0) = 2.0",
        "t2 = t1^3 = 2.0^3 = 8.0",
        "t3 = q − (−1.5) = −2.0 − (−1.5) = −0.5",
        "t4 = t2 + t3 = 8.0 + (−0.5) = 7.5",
    ]
    assert w.name("n3") == "−1.5" and w.name("n4") == "t3"
    # a constant gets no backward step unless asked (its gradient is still known)
    assert not [s for s in w.steps if s.node == "n3" and s.phase == "backward"]
    assert w.grads(len(w))[3] == -1.0
    asked = walkthrough(r, constant_grads=True)
    to_constant = next(
        s for s in asked.steps if s.node == "n3" and s.phase == "backward"
    )
    assert to_constant.text == (
        "∂t4/∂(−1.5) += ∂t4/∂t3 · ∂t3/∂(−1.5) = 1.0 × −1.0 = −1.0"
    )
    assert len(asked) == len(w) + 1


def test_linear_and_sum_nodes():
    w1, x1 = Value(0.5, "w1"), Value(-2.0, "x1")
    neuron = Value.linear([w1], [x1], Value(0.25, "b"))
    neuron.label = "z"
    total = Value.sum([neuron, neuron.tanh()])
    w = walkthrough(total)
    assert w.steps[0].text == "z = w1·x1 + b = 0.5×(−2.0) + 0.25 = −0.75"
    to_w1 = next(s for s in w.steps if s.node == "n0" and s.phase == "backward")
    assert to_w1.text.endswith(", where ∂z/∂w1 = x1")
    assert to_w1.local == -2.0


def test_a_leaf_root_has_only_its_seed():
    x = Value(4.0, "x")
    w = walkthrough(x)
    assert [(s.phase, s.text) for s in w.steps] == [("seed", "∂x/∂x = 1")]
    assert w.value_known(0).tolist() == [True]
    assert np.isnan(w.grads(0)[0]) and w.grads(1)[0] == 1.0


def test_inf_and_nan_are_shown_not_raised():
    x = Value(0.0, "x")
    r = x.log() * x
    w = walkthrough(r)
    assert w.steps[0].text == "t1 = log(x) = log(0.0) = −inf"
    assert w.steps[1].text == "t2 = t1 · x = −inf × 0.0 = nan"
    assert any("nan" in s.text for s in w.steps if s.phase == "backward")


def _random_program(rng: random.Random, size: int) -> Value:
    pool = [Value(rng.uniform(-2.0, 2.0), f"v{i}") for i in range(4)]
    for _ in range(size):
        a, b = rng.choice(pool), rng.choice(pool)
        kind = rng.randrange(7)
        if kind == 0:
            pool.append(a + b)
        elif kind == 1:
            pool.append(a * b)
        elif kind == 2:
            pool.append(a - b)
        elif kind == 3:
            pool.append(a.tanh())
        elif kind == 4:
            pool.append(a.sigmoid() * 2.0)
        elif kind == 5:
            pool.append(Value.linear([a, b], [b, 0.5], a))
        else:
            pool.append(a.max(b))
    return Value.sum(pool[-3:])


@pytest.mark.parametrize("seed", range(6))
def test_final_grads_equal_backward_on_random_programs(seed):
    root = _random_program(random.Random(seed), 60)
    w = walkthrough(root)
    final = w.grads(len(w))
    root.backward()
    assert final.tolist() == [node.grad for node in w.nodes]
    assert w.value_known(len(w)).all()
    assert w.grad_known(len(w)).all()
    # Backward steps come in reverse topological order of the node they come from.
    sources = [int(s.inputs[0][1:]) for s in w.steps if s.phase == "backward"]
    assert sources == sorted(sources, reverse=True)


def test_same_program_twice_gives_the_same_walkthrough():
    first = walkthrough(_random_program(random.Random(7), 40))
    second = walkthrough(_random_program(random.Random(7), 40))
    assert [(s.node, s.inputs, s.text) for s in first.steps] == [
        (s.node, s.inputs, s.text) for s in second.steps
    ]


def test_state_queries_match_a_replay_of_the_steps():
    w = walkthrough(_random_program(random.Random(3), 50), constant_grads=True)
    grads = np.full(len(w.nodes), np.nan)
    known = np.array([node.op is None for node in w.nodes])
    for position in range(len(w) + 1):
        assert np.array_equal(w.grads(position), grads, equal_nan=True)
        assert np.array_equal(w.grad_known(position), ~np.isnan(grads))
        state_grads, state_known = w.grad_state(position)
        assert np.array_equal(state_grads, grads, equal_nan=True)
        assert np.array_equal(state_known, ~np.isnan(grads))
        assert np.array_equal(w.value_known(position), known)
        if position < len(w):
            step = w.steps[position]
            i = w.index(step.node)
            if step.phase == "forward":
                known[i] = True
            else:
                grads[i] = step.grad


def test_step_words_are_written_when_first_read_and_stay_the_same():
    """A big graph's walkthrough writes no text until a step is shown."""
    x = Value(3.0, label="x")
    s = x * x
    s.label = "s"
    w = walkthrough(s)
    assert not w._words.cache
    first = w.steps[0].text
    assert first == "s = x · x = 3.0 × 3.0 = 9.0"
    assert len(w._words.cache) == 1
    x.data = 5.0  # the words keep the numbers of when the walkthrough was made
    assert w.steps[0].text == first
    assert w.steps[-1].text.endswith("so its gradient arrives twice)")
    assert "= 1.0 × 6.0 = 6.0, where ∂s/∂x = 2 · x" in w.steps[-1].text
    steps = walkthrough(s).steps  # the steps outlive their walkthrough
    assert steps[0].formula == "s = x · x"


def test_automatic_names_skip_labels_already_taken():
    t1 = Value(1.0, "t1")
    out = (t1 * 2.0 + t1).tanh()
    w = walkthrough(out)
    assert [w.name(i) for i in w.graph.ids] == ["t1", "2.0", "t2", "t3", "t4"]
