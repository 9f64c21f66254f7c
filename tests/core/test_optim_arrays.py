"""The optimizers' array path: the same update rules as the float path, and the
same bits, step after step, whatever the gradients."""

import math
import random
from fractions import Fraction

import numpy as np
import pytest

from graphviz_dl import optim
from graphviz_dl.engine import Value
from graphviz_dl.linesearch import ExactLineSearch
from graphviz_dl.optim import (
    SGD,
    Adadelta,
    Adagrad,
    Adam,
    AdamW,
    RMSprop,
    fma,
    fma_array,
)


def exact_fma(a: float, b: float, c: float) -> float:
    """IEEE's fused multiply-add, from exact rational arithmetic."""
    if not (math.isfinite(a) and math.isfinite(b) and math.isfinite(c)):
        return a * b + c
    if a == 0.0 or b == 0.0:
        return a * b + c  # ±0 exactly, so the signs of zero follow IEEE addition
    exact = Fraction(a) * Fraction(b) + Fraction(c)
    if exact == 0:
        return 0.0
    try:
        return float(exact)
    except OverflowError:
        return math.inf if exact > 0 else -math.inf


def bits(x) -> np.ndarray:
    """Bit patterns, every nan made the same (payloads are not compared)."""
    x = np.array(x, dtype=np.float64)
    x[np.isnan(x)] = np.nan
    return x.view(np.int64)


def assert_same_bits(ours, reference):
    ours, reference = bits(ours), bits(reference)
    assert ours.shape == reference.shape
    differ = np.flatnonzero(ours.reshape(-1) != reference.reshape(-1))
    assert differ.size == 0, (
        f"{differ.size} differ, first at {differ[0]}: "
        f"{ours.reshape(-1).view(np.float64)[differ[0]]!r} vs "
        f"{reference.reshape(-1).view(np.float64)[differ[0]]!r}"
    )


# --- fma over arrays -------------------------------------------------------------------

SPECIAL = [
    0.0,
    -0.0,
    math.inf,
    -math.inf,
    math.nan,
    5e-324,
    -5e-324,
    2.2250738585072014e-308,
    1.7976931348623157e308,
    -1.7976931348623157e308,
    1.0,
    -1.0,
]


def any_double(rng: random.Random) -> float:
    r = rng.random()
    if r < 0.05:
        return rng.choice(SPECIAL)
    if r < 0.4:
        exponent = rng.randint(-1080, 1024)  # the whole range, subnormals too
    elif r < 0.7:
        exponent = rng.randint(-600, 600)
    else:
        exponent = rng.randint(-40, 40)
    return math.ldexp(rng.uniform(-1.0, 1.0), exponent)


def test_fma_array_is_exactly_rounded_across_the_whole_range():
    rng = random.Random(0)
    a = [any_double(rng) for _ in range(6000)]
    b = [any_double(rng) for _ in range(6000)]
    c = []
    for i, (x, y) in enumerate(zip(a, b)):
        product = x * y
        if i % 4 == 0 and math.isfinite(product):  # near-total cancellation
            c.append(-product * (1 + rng.uniform(-1e-14, 1e-14)))
        else:
            c.append(any_double(rng))
    reference = [exact_fma(x, y, z) for x, y, z in zip(a, b, c)]
    assert_same_bits(fma_array(np.array(a), np.array(b), np.array(c)), reference)
    assert_same_bits([fma(x, y, z) for x, y, z in zip(a, b, c)], reference)


def test_fma_array_at_the_edges_of_its_fast_steps():
    """Tiny products with subnormal addends, sums near overflow, subnormal
    factors, and products of exactly half an ulp of the addend (ties)."""
    rng = random.Random(1)

    def m() -> float:
        return rng.uniform(0.5, 1.0) * rng.choice((-1.0, 1.0))

    cases = []
    for _ in range(1500):
        ea = rng.randint(-600, -300)
        a = math.ldexp(m(), ea)
        b = math.ldexp(m(), -900 - ea + rng.randint(-3, 40))
        c = math.ldexp(m(), rng.randint(-1074, -850))
        cases.append((a, b, c))
        ea = rng.randint(400, 600)
        a = math.ldexp(m(), ea)
        b = math.ldexp(m(), 1023 - ea - rng.randint(0, 2))
        cases.append((a, b, math.ldexp(m(), rng.randint(1015, 1023))))
        a = math.ldexp(m(), rng.randint(-1074, -1023))
        b = math.ldexp(m(), rng.randint(100, 1023))
        cases.append((a, b, math.ldexp(m(), rng.randint(-1074, 0))))
        c = math.ldexp(float(rng.randint(2**52, 2**53 - 1)), rng.randint(-800, 800))
        half_ulp = math.ldexp(1.0, math.frexp(c)[1] - 54)
        a = half_ulp * rng.choice((1.0, -1.0, 1.0 + 2.0**-52, 1.0 - 2.0**-53))
        cases.append((a, 1.0 + rng.choice((0.0, 2.0**-52, -(2.0**-53))), c))
    a, b, c = (np.array(column) for column in zip(*cases))
    reference = [exact_fma(*case) for case in cases]
    assert_same_bits(fma_array(a, b, c), reference)
    assert_same_bits([fma(*case) for case in cases], reference)
    with np.errstate(all="ignore"):
        fast = (np.abs(a * b) >= optim.rounding._PRODUCT_LOW) & np.isfinite(a * b + c)
    assert fast.mean() > 0.6  # most cases really took the error-free steps


def test_fma_array_broadcasts_like_numpy():
    rng = np.random.default_rng(2)
    b, c = rng.normal(size=(3, 5)), rng.normal(size=5)
    ours = fma_array(0.1, b, c)
    assert ours.shape == (3, 5)
    reference = [[exact_fma(0.1, x, z) for x, z in zip(row, c)] for row in b]
    assert_same_bits(ours, reference)
    assert fma_array(0.5, 2.0, 1.0) == 2.0
    assert fma_array(np.zeros(0), 1.0, 1.0).shape == (0,)
    a, b = 1.0 + 2.0**-30, 1.0 - 2.0**-30  # one rounding keeps the 2⁻⁶⁰
    assert fma_array(np.array([a]), b, -1.0)[0] == -(2.0**-60)


# --- the same bits on both paths -------------------------------------------------------

CONFIGS = [
    (SGD, {"lr": 0.05}),
    (SGD, {"lr": 0.01, "momentum": 0.9}),
    (SGD, {"lr": 0.01, "momentum": 0.8, "dampening": 0.3, "weight_decay": 0.05}),
    (SGD, {"lr": 0.02, "momentum": 0.9, "nesterov": True, "weight_decay": 1e-3}),
    (Adagrad, {"lr": 0.1}),
    (
        Adagrad,
        {
            "lr": 0.5,
            "lr_decay": 0.01,
            "weight_decay": 0.02,
            "initial_accumulator_value": 0.1,
        },
    ),
    (RMSprop, {"lr": 0.01}),
    (RMSprop, {"lr": 0.003, "alpha": 0.95, "weight_decay": 0.01, "momentum": 0.7}),
    (RMSprop, {"lr": 0.003, "centered": True, "momentum": 0.5}),
    (Adam, {"lr": 0.01}),
    (Adam, {"lr": 0.05, "betas": (0.3, 0.9)}),  # lerp's other branch
    (Adam, {"lr": 0.02, "weight_decay": 0.1, "amsgrad": True}),
    (AdamW, {"lr": 0.02}),
    (AdamW, {"lr": 0.02, "weight_decay": 0.1, "amsgrad": True, "eps": 1e-6}),
    (Adadelta, {}),
    (Adadelta, {"lr": 0.5, "rho": 0.8, "weight_decay": 0.01}),
]
CONFIG_IDS = [
    f"{cls.__name__}-{'-'.join(f'{k}={v}' for k, v in kw.items())}"
    for cls, kw in CONFIGS
]


def random_gradients(rng: np.random.Generator, steps: int, n: int) -> np.ndarray:
    """Gradients of every size from 1e-5 to 1e3, with exact zeros and tiny
    values (1e-300: the error-free steps hand those to the exact fallback)."""
    g = rng.normal(size=(steps, n)) * 10.0 ** rng.uniform(-5, 3, size=(steps, n))
    g[rng.random((steps, n)) < 0.05] = 0.0
    tiny = rng.random((steps, n)) < 0.01
    g[tiny] = 1e-300 * rng.choice((-1.0, 1.0), size=tiny.sum())
    return g


def float_path(cls, kwargs, theta0, gradients):
    """Parameters and state after every step, one float at a time."""
    params = [Value(float(v)) for v in theta0]
    opt = cls(params, **kwargs)
    path, states = [], []
    for g in gradients:
        for p, gi in zip(params, g.tolist()):
            p.grad = gi
        opt.step()
        path.append([p.data for p in params])
        states.append(opt.state)
    return path, states, opt


def assert_same_states(ours: dict, reference: dict, params_ours, params_ref):
    assert len(ours) == len(reference) == len(params_ref)
    for p, q in zip(params_ours, params_ref):
        assert list(ours[p]) == list(reference[q])
        assert ours[p]["step"] == reference[q]["step"]
        assert_same_bits(list(ours[p].values()), list(reference[q].values()))


@pytest.mark.parametrize(("cls", "kwargs"), CONFIGS, ids=CONFIG_IDS)
def test_array_path_gives_the_float_paths_bits_over_many_steps(cls, kwargs):
    rng = np.random.default_rng(CONFIGS.index((cls, kwargs)))
    n, steps = 7, 300
    theta = rng.normal(size=n) * 2.0
    gradients = random_gradients(rng, steps, n)
    path, states, float_opt = float_path(cls, kwargs, theta, gradients)
    array_opt = cls([Value(0.0) for _ in range(n)], **kwargs)
    for k, g in enumerate(gradients):
        new = array_opt.step_flat(theta, g)
        assert_same_bits(new, path[k])
        assert_same_states(
            array_opt.state, states[k], array_opt.params, float_opt.params
        )
        theta = new
    for p, q in zip(array_opt.params, float_opt.params):
        assert_same_bits(
            list(array_opt.drawable_state(p).values()),
            list(float_opt.drawable_state(q).values()),
        )


@pytest.mark.parametrize(("cls", "kwargs"), CONFIGS[::3], ids=CONFIG_IDS[::3])
def test_step_over_many_values_uses_arrays_and_gives_the_same_bits(
    cls, kwargs, monkeypatch
):
    rng = np.random.default_rng(3)
    n = optim.FLOAT_PATH_LIMIT + 9
    theta = rng.normal(size=n)
    gradients = random_gradients(rng, 60, n)
    through_arrays, _, _ = float_path(cls, kwargs, theta, gradients)
    monkeypatch.setattr(optim.base, "FLOAT_PATH_LIMIT", 10**9)
    one_by_one, _, _ = float_path(cls, kwargs, theta, gradients)
    assert_same_bits(through_arrays, one_by_one)


@pytest.mark.parametrize(("cls", "kwargs"), CONFIGS[1::3], ids=CONFIG_IDS[1::3])
def test_switching_paths_mid_run_keeps_the_state_exact(cls, kwargs):
    rng = np.random.default_rng(4)
    n, steps = 5, 40
    theta = rng.normal(size=n)
    gradients = random_gradients(rng, steps, n)
    path, states, reference = float_path(cls, kwargs, theta, gradients)
    params = [Value(float(v)) for v in theta]
    opt = cls(params, **kwargs)
    for k, g in enumerate(gradients):
        if k % 3 == 2:  # a float step: the state changes layout each time
            for p, value, gi in zip(params, theta.tolist(), g.tolist()):
                p.data, p.grad = value, gi
            opt.step()
            theta = np.array([p.data for p in params])
        else:
            theta = opt.step_flat(theta, g)
        assert_same_bits(theta, path[k])
        assert_same_states(opt.state, states[k], params, reference.params)


def test_hyperparameters_changed_mid_run_agree_on_both_paths():
    """What the lab's sliders do: buffers appear when an option is switched on."""
    changes = {
        SGD: [("momentum", 0.9), ("dampening", 0.2)],
        RMSprop: [("momentum", 0.5), ("centered", True), ("alpha", 0.9)],
        Adam: [("amsgrad", True), ("betas", (0.8, 0.99)), ("lr", 0.003)],
    }
    rng = np.random.default_rng(5)
    for cls, edits in changes.items():
        n = 4
        theta = rng.normal(size=n)
        gradients = random_gradients(rng, 60, n)
        params = [Value(float(v)) for v in theta]
        by_floats = cls(params, lr=0.01)
        by_arrays = cls([Value(0.0) for _ in range(n)], lr=0.01)
        for k, g in enumerate(gradients):
            if k % 15 == 14:
                name, value = edits[(k // 15) % len(edits)]
                setattr(by_floats, name, value)
                setattr(by_arrays, name, value)
            for p, gi in zip(params, g.tolist()):
                p.grad = gi
            by_floats.step()
            theta = by_arrays.step_flat(theta, g)
            assert_same_bits(theta, [p.data for p in params])
        assert_same_states(by_arrays.state, by_floats.state, by_arrays.params, params)


def test_inf_and_nan_gradients_spread_the_same_way():
    for cls, kwargs in CONFIGS:
        gradients = np.array(
            [[1.0, -2.0, 0.5, 3.0], [math.inf, 1.0, math.nan, -math.inf], [1.0] * 4]
        )
        theta = np.array([0.5, -0.5, 1.5, 2.0])
        path, states, reference = float_path(cls, kwargs, theta, gradients)
        opt = cls([Value(0.0) for _ in range(4)], **kwargs)
        for k, g in enumerate(gradients):
            theta = opt.step_flat(theta, g)
            assert_same_bits(theta, path[k])
        assert_same_states(opt.state, states[-1], opt.params, reference.params)


# --- the array path's contract ---------------------------------------------------------


def test_step_flat_leaves_values_and_inputs_alone():
    params = [Value(1.0), Value(2.0)]
    opt = SGD(params, lr=0.5, momentum=0.9)
    theta, grad = np.array([1.0, 2.0]), np.array([1.0, -1.0])
    theta.flags.writeable = False  # a trainer's weights are read-only
    new = opt.step_flat(theta, grad)
    assert new.tolist() == [0.5, 2.5]
    assert [p.data for p in params] == [1.0, 2.0]
    assert theta.tolist() == [1.0, 2.0] and grad.tolist() == [1.0, -1.0]
    grad[:] = 99.0  # the momentum buffer is the optimizer's own copy
    assert opt.state[params[0]]["momentum_buffer"] == 1.0
    assert new is not opt.step_flat(new, np.zeros(2))


def test_step_flat_names_the_shapes_it_needs():
    opt = Adam([Value(0.0), Value(0.0), Value(0.0)])
    with pytest.raises(ValueError, match="two flat arrays of 3 numbers"):
        opt.step_flat(np.zeros(3), np.zeros(4))
    with pytest.raises(ValueError, match=r"shapes \(3, 1\)"):
        opt.step_flat(np.zeros((3, 1)), np.zeros(3))


def test_an_optimizer_without_array_rule_steps_flat_through_its_values():
    def objective(point):
        return (point[0] - 1.0) ** 2 + 4.0 * (point[1] + 0.5) ** 2

    def gradient(point):
        return [2.0 * (point[0] - 1.0), 8.0 * (point[1] + 0.5)]

    params = [Value(3.0), Value(2.0)]
    by_values = ExactLineSearch(params, objective)
    flat = ExactLineSearch([Value(0.0), Value(0.0)], objective)
    theta = np.array([3.0, 2.0])
    for _ in range(5):
        for p, g in zip(params, gradient([p.data for p in params])):
            p.grad = g
        by_values.step()
        theta = flat.step_flat(theta, np.array(gradient(theta.tolist())))
        assert theta.tolist() == [p.data for p in params]


# --- state: read as a copy, loaded by assignment ---------------------------------------


def test_state_is_a_copy_and_loads_back_exactly():
    rng = np.random.default_rng(6)
    gradients = random_gradients(rng, 40, 6)
    theta0 = rng.normal(size=6)
    first = Adam([Value(0.0) for _ in range(6)], lr=0.01, amsgrad=True)
    theta = theta0
    for g in gradients[:20]:
        theta = first.step_flat(theta, g)
    saved = first.state
    saved[first.params[0]]["exp_avg"] = 123.0  # a copy: the optimizer keeps its own
    assert first.state[first.params[0]]["exp_avg"] != 123.0
    saved = first.state
    later = first.step_flat(theta, gradients[20])
    second = Adam([Value(0.0) for _ in range(6)], lr=0.01, amsgrad=True)
    second.state = {q: saved[p] for p, q in zip(first.params, second.params)}
    assert_same_bits(second.step_flat(theta, gradients[20]), later)
    first.state = saved  # rewind the first one, then step with floats
    for p, value, g in zip(first.params, theta.tolist(), gradients[20].tolist()):
        p.data, p.grad = value, g
    first.step()
    assert_same_bits([p.data for p in first.params], later)
    first.state = {}
    assert first.state == {} and first.drawable_state(first.params[0]) == {}


@pytest.mark.parametrize(
    ("make_state", "message"),
    [
        (lambda a, b: {a: {"step": 1, "exp_avg": 0.0, "exp_avg_sq": 0.0}}, "or none"),
        (
            lambda a, b: {
                a: {"step": 1, "exp_avg": 0.0, "exp_avg_sq": 0.0},
                b: {"step": 2, "exp_avg": 0.0, "exp_avg_sq": 0.0},
            },
            'same "step" count',
        ),
        (
            lambda a, b: {
                a: {"step": 1, "exp_avg": 0.0, "exp_avg_sq": 0.0},
                b: {"step": 1, "exp_avg": 0.0},
            },
            "same keys",
        ),
    ],
)
def test_inconsistent_state_is_refused(make_state, message):
    a, b = Value(0.0), Value(0.0)
    opt = Adam([a, b])
    with pytest.raises(ValueError, match=message):
        opt.state = make_state(a, b)
