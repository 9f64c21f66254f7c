"""Optimizers: hand-computed first steps, the notes' forms, and reference
implementations of PyTorch's documented algorithms written out here."""

import math
import random
from fractions import Fraction

import pytest

from graphviz_dl.engine import Value
from graphviz_dl.optim import SGD, Adadelta, Adagrad, Adam, AdamW, RMSprop, fma


def quadratic_grad(theta):
    """∇ of ½(x² + 10·y²): a smooth bowl whose trajectories do not amplify rounding."""
    return [theta[0], 10.0 * theta[1]]


def rosenbrock_grad(theta):
    x, y = theta
    return [-2 * (1 - x) - 400 * x * (y - x * x), 200 * (y - x * x)]


def run_ours(optimizer_class, start, steps, grad=quadratic_grad, **kwargs):
    params = [Value(v) for v in start]
    opt = optimizer_class(params, **kwargs)
    path = [list(start)]
    for _ in range(steps):
        for p, g in zip(params, grad([p.data for p in params])):
            p.grad = g
        opt.step()
        path.append([p.data for p in params])
    return path, opt


def assert_paths_close(ours, reference, rel=1e-12):
    assert len(ours) == len(reference)
    for a, b in zip(ours, reference):
        for u, v in zip(a, b):
            assert u == pytest.approx(v, rel=rel, abs=1e-300)


# --- fma: the one rounding PyTorch's kernels do ---------------------------------------


def test_fma_is_the_exactly_rounded_multiply_add():
    rng = random.Random(0)
    for i in range(3000):
        a = rng.uniform(-1, 1) * 2.0 ** rng.randint(-80, 80)
        b = rng.uniform(-1, 1) * 2.0 ** rng.randint(-80, 80)
        if i % 3 == 0:  # near-total cancellation: where one rounding matters most
            c = -(a * b) * (1 + rng.uniform(-1e-12, 1e-12))
        else:
            c = rng.uniform(-1, 1) * 2.0 ** rng.randint(-200, 200)
        assert fma(a, b, c) == float(Fraction(a) * Fraction(b) + Fraction(c))


def test_fma_decides_ties_from_the_last_bits_of_the_product():
    """Products of about half an ulp of the addend: the exact sum sits on, or a
    hair off, the midpoint between two doubles; only one rounding gets it."""
    rng = random.Random(1)
    for _ in range(3000):
        c = math.ldexp(float(rng.randint(2**52, 2**53 - 1)), rng.randint(-900, 900))
        half_ulp = math.ldexp(1.0, math.frexp(c)[1] - 54)
        a = half_ulp * rng.choice((1.0, -1.0, 1.0 + 2.0**-52, -1.0 + 2.0**-53))
        b = 1.0 + rng.choice((0.0, 2.0**-52, -(2.0**-53), 2.0**-30))
        assert fma(a, b, c) == float(Fraction(a) * Fraction(b) + Fraction(c))


def test_fma_is_exact_from_subnormals_to_overflow():
    rng = random.Random(2)
    for _ in range(3000):
        a = math.ldexp(rng.uniform(-1, 1), rng.randint(-1080, 1024))
        b = math.ldexp(rng.uniform(-1, 1), rng.randint(-1080, 1024))
        c = math.ldexp(rng.uniform(-1, 1), rng.randint(-1080, 1024))
        exact = Fraction(a) * Fraction(b) + Fraction(c)
        try:
            expected = float(exact)
        except OverflowError:
            expected = math.inf if exact > 0 else -math.inf
        assert fma(a, b, c) == expected


def test_fma_keeps_digits_a_separate_multiply_and_add_loses():
    a, b = 1.0 + 2.0**-30, 1.0 - 2.0**-30  # a·b = 1 − 2⁻⁶⁰ exactly
    assert a * b - 1.0 == 0.0
    assert fma(a, b, -1.0) == -(2.0**-60)


def test_fma_follows_ieee_for_extremes():
    assert fma(1e308, 10.0, 0.0) == math.inf
    assert 1e300 * 1.9e8 - 1e308 == math.inf  # the product alone overflows
    assert fma(1e300, 1.9e8, -1e308) == float(
        Fraction(1e300) * Fraction(1.9e8) - Fraction(1e308)
    )
    assert math.isnan(fma(math.inf, 0.0, 1.0))
    assert math.isnan(fma(math.nan, 1.0, 1.0))
    assert fma(0.0, 5.0, -2.5) == -2.5
    assert fma(1e-200, 1e-200, 1e-300) == 1e-300


# --- SGD and momentum -----------------------------------------------------------------


def test_sgd_first_steps_by_hand():
    # f = x² at x = 1: gradient 2; lr 0.25 → 1 − 0.5 = 0.5, then 0.5 − 0.25 = 0.25.
    path, _ = run_ours(SGD, [1.0], 2, grad=lambda t: [2 * t[0]], lr=0.25)
    assert path == [[1.0], [0.5], [0.25]]


def test_sgd_default_lr_and_weight_decay():
    p = Value(2.0)
    opt = SGD([p])
    assert opt.lr == 1e-3
    opt = SGD([p], lr=0.5, weight_decay=0.25)
    p.grad = 1.0
    opt.step()  # g = 1 + 0.25·2 = 1.5; θ = 2 − 0.75
    assert p.data == 1.25


def test_momentum_buffer_by_hand_with_constant_gradient():
    # b₁ = g (no dampening on the first step), then b ← μb + (1 − d)g.
    path, opt = run_ours(
        SGD, [0.0], 3, grad=lambda t: [1.0], lr=0.5, momentum=0.5, dampening=0.0
    )
    assert path == [[0.0], [-0.5], [-1.25], [-2.125]]
    assert opt.state[opt.params[0]]["momentum_buffer"] == 1.75
    path, _ = run_ours(
        SGD, [0.0], 3, grad=lambda t: [1.0], lr=0.5, momentum=0.5, dampening=0.5
    )
    assert path == [[0.0], [-0.5], [-1.0], [-1.5]]  # buffers 1, 1, 1


def test_momentum_is_the_notes_velocity_form():
    """v ← βv − α∇; θ ← θ + v walks the same path for a constant α."""
    alpha, beta = 1e-3, 0.9
    theta, v = [-1.5, 2.0], [0.0, 0.0]
    notes = [list(theta)]
    for _ in range(300):
        g = rosenbrock_grad(theta)
        v = [beta * vi - alpha * gi for vi, gi in zip(v, g)]
        theta = [t + vi for t, vi in zip(theta, v)]
        notes.append(list(theta))
    path, opt = run_ours(
        SGD, [-1.5, 2.0], 300, grad=rosenbrock_grad, lr=alpha, momentum=beta
    )
    assert_paths_close(path, notes, rel=1e-9)
    velocity = opt.drawable_state(opt.params[0])["velocity"]
    assert velocity == pytest.approx(path[-1][0] - path[-2][0], rel=1e-9)


def test_nesterov_parameters_are_the_notes_look_ahead_points():
    """Notes: θ̃ = θ + βv; v ← βv − α∇L(θ̃); θ ← θ + v. PyTorch stores θ̃."""
    alpha, beta = 0.02, 0.9
    theta, v = [3.0, -2.0], [0.0, 0.0]
    look_ahead = [list(theta)]
    for _ in range(200):
        ahead = [t + beta * vi for t, vi in zip(theta, v)]
        g = quadratic_grad(ahead)
        v = [beta * vi - alpha * gi for vi, gi in zip(v, g)]
        theta = [t + vi for t, vi in zip(theta, v)]
        look_ahead.append([t + beta * vi for t, vi in zip(theta, v)])
    path, _ = run_ours(SGD, [3.0, -2.0], 200, lr=alpha, momentum=beta, nesterov=True)
    assert_paths_close(path, look_ahead, rel=1e-9)


def test_sgd_reference_with_every_option():
    lr, mu, damp, wd = 0.01, 0.8, 0.3, 0.05
    theta, buf = [1.0, -1.0], [None, None]
    ref = [list(theta)]
    for step in range(100):
        g = quadratic_grad(theta)
        for i in range(2):
            d = g[i] + wd * theta[i]
            buf[i] = d if step == 0 else mu * buf[i] + (1 - damp) * d
            theta[i] -= lr * buf[i]
        ref.append(list(theta))
    path, _ = run_ours(
        SGD, [1.0, -1.0], 100, lr=lr, momentum=mu, dampening=damp, weight_decay=wd
    )
    assert_paths_close(path, ref)


# --- adaptive methods -----------------------------------------------------------------


def test_adagrad_first_step_is_lr_times_sign():
    # Σ = g², so the step is lr·g/|g| when eps = 0.
    path, opt = run_ours(Adagrad, [1.0, -2.0], 1, lr=0.125, eps=0.0)
    assert path[1] == [0.875, -1.875]
    assert opt.state[opt.params[1]]["sum"] == 400.0


def test_adagrad_reference_with_decay():
    lr, decay, wd, init, eps = 0.5, 0.01, 0.02, 0.1, 1e-10
    theta, total = [1.0, -1.0], [init, init]
    ref = [list(theta)]
    for t in range(1, 101):
        g = quadratic_grad(theta)
        clr = lr / (1 + (t - 1) * decay)
        for i in range(2):
            d = g[i] + wd * theta[i]
            total[i] += d * d
            theta[i] -= clr * d / (math.sqrt(total[i]) + eps)
        ref.append(list(theta))
    path, _ = run_ours(
        Adagrad,
        [1.0, -1.0],
        100,
        lr=lr,
        lr_decay=decay,
        weight_decay=wd,
        initial_accumulator_value=init,
        eps=eps,
    )
    assert_paths_close(path, ref)


def test_rmsprop_is_the_notes_form():
    """Notes: s ← βs + (1 − β)g²; θ ← θ − α·g/(√s + ε), with β = alpha."""
    alpha, beta, eps = 0.01, 0.9, 1e-8
    theta, s = [1.0, -1.0], [0.0, 0.0]
    ref = [list(theta)]
    for _ in range(150):
        g = quadratic_grad(theta)
        for i in range(2):
            s[i] = beta * s[i] + (1 - beta) * g[i] ** 2
            theta[i] -= alpha * g[i] / (math.sqrt(s[i]) + eps)
        ref.append(list(theta))
    path, opt = run_ours(RMSprop, [1.0, -1.0], 150, lr=alpha, alpha=beta, eps=eps)
    assert_paths_close(path, ref)
    assert opt.drawable_state(opt.params[0])["s"] == pytest.approx(s[0], rel=1e-12)


def test_rmsprop_reference_centered_with_momentum():
    lr, a, eps, wd, mu = 0.003, 0.95, 1e-8, 0.01, 0.7
    theta, sq, gavg, buf = [1.0, -1.0], [0.0, 0.0], [0.0, 0.0], [0.0, 0.0]
    ref = [list(theta)]
    for _ in range(150):
        g = quadratic_grad(theta)
        for i in range(2):
            d = g[i] + wd * theta[i]
            sq[i] = a * sq[i] + (1 - a) * d * d
            gavg[i] = a * gavg[i] + (1 - a) * d
            avg = math.sqrt(sq[i] - gavg[i] ** 2) + eps
            buf[i] = mu * buf[i] + d / avg
            theta[i] -= lr * buf[i]
        ref.append(list(theta))
    path, _ = run_ours(
        RMSprop,
        [1.0, -1.0],
        150,
        lr=lr,
        alpha=a,
        eps=eps,
        weight_decay=wd,
        momentum=mu,
        centered=True,
    )
    assert_paths_close(path, ref, rel=1e-10)


def adam_reference(
    theta, steps, lr, b1, b2, eps, wd=0.0, amsgrad=False, decoupled=False
):
    m, v, vmax = [0.0] * 2, [0.0] * 2, [0.0] * 2
    theta = list(theta)
    ref = [list(theta)]
    for t in range(1, steps + 1):
        g = quadratic_grad(theta)
        for i in range(2):
            d = g[i]
            if decoupled:
                theta[i] *= 1 - lr * wd
            else:
                d += wd * theta[i]
            m[i] = b1 * m[i] + (1 - b1) * d
            v[i] = b2 * v[i] + (1 - b2) * d * d
            vmax[i] = max(vmax[i], v[i])
            m_hat = m[i] / (1 - b1**t)
            v_hat = (vmax[i] if amsgrad else v[i]) / (1 - b2**t)
            theta[i] -= lr * m_hat / (math.sqrt(v_hat) + eps)
        ref.append(list(theta))
    return ref


def test_adam_first_step_is_lr_times_sign():
    path, opt = run_ours(Adam, [1.0, -2.0], 1, lr=0.125, eps=0.0)
    assert path[1] == [0.875, -1.875]
    state = opt.drawable_state(opt.params[1])
    assert state["m"] == pytest.approx(-2.0, rel=1e-15)  # (1 − 0.9)·(−20)
    assert state["v"] == pytest.approx(0.4, rel=1e-12)  # (1 − 0.999)·400


@pytest.mark.parametrize(
    "options",
    [
        {},
        {"betas": (0.8, 0.99), "eps": 1e-6},
        {"weight_decay": 0.1, "amsgrad": True},
        {"betas": (0.3, 0.9)},  # lerp with a weight ≥ 0.5 takes PyTorch's other branch
    ],
)
def test_adam_reference(options):
    b1, b2 = options.get("betas", (0.9, 0.999))
    ref = adam_reference(
        [1.0, -1.0],
        200,
        0.05,
        b1,
        b2,
        options.get("eps", 1e-8),
        options.get("weight_decay", 0.0),
        options.get("amsgrad", False),
    )
    path, _ = run_ours(Adam, [1.0, -1.0], 200, lr=0.05, **options)
    assert_paths_close(path, ref, rel=1e-10)


def test_adamw_decays_the_weights_directly():
    assert AdamW([Value(1.0)]).weight_decay == 1e-2
    ref = adam_reference([1.0, -1.0], 200, 0.05, 0.9, 0.999, 1e-8, 0.1, decoupled=True)
    path, _ = run_ours(AdamW, [1.0, -1.0], 200, lr=0.05, weight_decay=0.1)
    assert_paths_close(path, ref, rel=1e-10)
    # with no gradient at all, AdamW still shrinks θ by (1 − lr·wd) per step
    path, _ = run_ours(AdamW, [1.0], 2, grad=lambda t: [0.0], lr=0.5, weight_decay=0.5)
    assert path == [[1.0], [0.75], [0.5625]]


def test_adadelta_reference():
    lr, rho, eps, wd = 1.0, 0.9, 1e-6, 0.01
    theta, sq, acc = [1.0, -1.0], [0.0, 0.0], [0.0, 0.0]
    ref = [list(theta)]
    for _ in range(200):
        g = quadratic_grad(theta)
        for i in range(2):
            d = g[i] + wd * theta[i]
            sq[i] = rho * sq[i] + (1 - rho) * d * d
            delta = math.sqrt(acc[i] + eps) / math.sqrt(sq[i] + eps) * d
            acc[i] = rho * acc[i] + (1 - rho) * delta * delta
            theta[i] -= lr * delta
        ref.append(list(theta))
    path, opt = run_ours(
        Adadelta, [1.0, -1.0], 200, lr=lr, rho=rho, eps=eps, weight_decay=wd
    )
    assert_paths_close(path, ref, rel=1e-10)
    assert set(opt.drawable_state(opt.params[0])) == {"s", "delta_avg"}


def test_pytorch_defaults():
    p = [Value(0.0)]
    assert (SGD(p).lr, SGD(p).momentum, SGD(p).nesterov) == (1e-3, 0.0, False)
    ada = Adagrad(p)
    assert (ada.lr, ada.lr_decay, ada.initial_accumulator_value, ada.eps) == (
        1e-2,
        0.0,
        0.0,
        1e-10,
    )
    rms = RMSprop(p)
    assert (rms.lr, rms.alpha, rms.eps, rms.momentum, rms.centered) == (
        1e-2,
        0.99,
        1e-8,
        0.0,
        False,
    )
    adam = Adam(p)
    assert (adam.lr, adam.betas, adam.eps, adam.weight_decay, adam.amsgrad) == (
        1e-3,
        (0.9, 0.999),
        1e-8,
        0.0,
        False,
    )
    delta = Adadelta(p)
    assert (delta.lr, delta.rho, delta.eps) == (1.0, 0.9, 1e-6)


# --- housekeeping and bad input -------------------------------------------------------


def test_zero_grad_and_state_per_parameter():
    a, b = Value(1.0), Value(2.0)
    opt = Adam([a, b], lr=0.1)
    a.grad, b.grad = 1.0, -1.0
    opt.step()
    assert opt.state[a]["step"] == 1 and opt.state[b]["exp_avg"] < 0
    opt.zero_grad()
    assert (a.grad, b.grad) == (0.0, 0.0)


def test_bad_numbers_propagate_instead_of_raising():
    p = Value(1.0)
    opt = Adagrad([p], eps=0.0)
    p.grad = 0.0
    opt.step()  # Σ = 0, so 0/0: nan, as in PyTorch
    assert math.isnan(p.data)
    p = Value(1.0)
    SGD([p], lr=1.0).step()
    p.grad = math.inf
    SGD([p], lr=1.0).step()
    assert p.data == -math.inf


@pytest.mark.parametrize(
    "make, message",
    [
        (lambda p: SGD(p, lr=-1), "lr must be ≥ 0, got −1"),
        (lambda p: SGD(p, lr=math.nan), "lr must be ≥ 0, got nan"),
        (lambda p: SGD(p, momentum=-0.5), "momentum must be ≥ 0, got −0.5"),
        (lambda p: SGD(p, nesterov=True), "Nesterov momentum needs momentum > 0"),
        (lambda p: Adam(p, betas=(1.5, 0.9)), "betas[0] must be in [0, 1), got 1.5"),
        (lambda p: Adam(p, betas=(0.9, 1.0)), "betas[1] must be in [0, 1), got 1"),
        (lambda p: Adam(p, eps=-1e-8), "eps must be ≥ 0"),
        (lambda p: RMSprop(p, alpha=2.0), "alpha must be in [0, 1], got 2"),
        (lambda p: Adadelta(p, rho=1.5), "rho must be in [0, 1], got 1.5"),
        (lambda p: Adagrad(p, lr_decay=-1), "lr_decay must be ≥ 0, got −1"),
        (lambda p: AdamW(p, weight_decay=-0.1), "weight_decay must be ≥ 0"),
    ],
)
def test_bad_hyperparameters_name_the_allowed_range(make, message):
    with pytest.raises(ValueError) as error:
        make([Value(0.0)])
    assert message in str(error.value)


def test_lr_is_checked_when_set_and_parameters_must_be_values():
    opt = SGD([Value(0.0)])
    opt.lr = 0.5
    assert opt.lr == 0.5
    with pytest.raises(ValueError, match="lr must be ≥ 0"):
        opt.lr = -0.1
    with pytest.raises(TypeError, match="Values"):
        SGD([1.0])
    with pytest.raises(ValueError, match="at least one parameter"):
        SGD([])
