"""Learning-rate schedules: each one's lr sequence against its closed form."""

import math

import pytest

from graphviz_dl.engine import Value
from graphviz_dl.optim import SGD
from graphviz_dl.schedulers import (
    CosineAnnealingLR,
    CosineAnnealingWarmRestarts,
    ExponentialLR,
    ReduceLROnPlateau,
    StepLR,
)


def lrs(scheduler, steps, metrics=None):
    """The lr before the first step, then after each scheduler step."""
    opt = scheduler.optimizer
    seen = [opt.lr]
    for k in range(steps):
        opt.step()
        if metrics is None:
            scheduler.step()
        else:
            scheduler.step(metrics[k])
        seen.append(opt.lr)
        assert scheduler.get_last_lr() == [opt.lr]
    return seen


def optimizer(lr=0.8):
    return SGD([Value(1.0)], lr=lr)


def test_step_lr_halves_every_step_size_epochs():
    scheduler = StepLR(optimizer(0.8), step_size=3, gamma=0.5)
    assert scheduler.last_epoch == 0
    assert lrs(scheduler, 9) == [0.8 * 0.5 ** (k // 3) for k in range(10)]


def test_exponential_lr_multiplies_every_epoch():
    seen = lrs(ExponentialLR(optimizer(0.1), gamma=0.9), 50)
    for k, lr in enumerate(seen):
        assert lr == pytest.approx(0.1 * 0.9**k, rel=1e-13)
    assert lrs(ExponentialLR(optimizer(1.0), gamma=0.5), 3) == [1.0, 0.5, 0.25, 0.125]


def test_cosine_annealing_follows_half_a_cosine_and_climbs_back():
    base, eta_min, t_max = 0.1, 0.001, 20
    seen = lrs(CosineAnnealingLR(optimizer(base), T_max=t_max, eta_min=eta_min), 60)
    for t, lr in enumerate(seen):
        closed = eta_min + (base - eta_min) * (1 + math.cos(math.pi * t / t_max)) / 2
        assert lr == pytest.approx(closed, rel=1e-9, abs=1e-15)
    assert seen[t_max] == pytest.approx(eta_min, rel=1e-12)
    assert seen[2 * t_max] == pytest.approx(base, rel=1e-9)


def test_cosine_warm_restarts_restart_at_the_start_of_each_cycle():
    base = 0.5
    seen = lrs(CosineAnnealingWarmRestarts(optimizer(base), T_0=4, T_mult=2), 30)
    # cycles of 4, 8, 16 epochs start at epochs 0, 4, 12, 28
    expected = []
    for epoch in range(31):
        start, length = 0, 4
        while epoch >= start + length:
            start, length = start + length, length * 2
        t_cur = epoch - start
        expected.append(base * (1 + math.cos(math.pi * t_cur / length)) / 2)
    assert seen == pytest.approx(expected, rel=1e-12)
    assert seen[4] == seen[12] == seen[28] == base


def test_cosine_warm_restarts_accepts_fractional_epochs():
    opt = optimizer(1.0)
    scheduler = CosineAnnealingWarmRestarts(opt, T_0=2)
    scheduler.step(0.5)
    assert opt.lr == pytest.approx((1 + math.cos(math.pi * 0.25)) / 2, rel=1e-15)
    scheduler.step(2.5)  # second cycle, a quarter in
    assert opt.lr == pytest.approx((1 + math.cos(math.pi * 0.25)) / 2, rel=1e-15)
    assert scheduler.last_epoch == 2
    with pytest.raises(ValueError, match="epoch must be ≥ 0"):
        scheduler.step(-1)


def test_reduce_on_plateau_cuts_after_patience_bad_epochs():
    metrics = [1.0, 0.5, 0.5, 0.5, 0.5, 0.4, 0.4, 0.4, 0.4, 0.4]
    scheduler = ReduceLROnPlateau(optimizer(1.0), factor=0.5, patience=2)
    # epochs 3, 4, 5 do not improve on 0.5: the third bad one cuts the lr
    seen = lrs(scheduler, len(metrics), metrics)
    assert seen == [1.0, 1.0, 1.0, 1.0, 1.0, 0.5, 0.5, 0.5, 0.5, 0.25, 0.25]
    assert scheduler.best == 0.4


def test_reduce_on_plateau_threshold_cooldown_min_lr_and_max_mode():
    # relative threshold: 0.99995 is not better than 1·(1 − 1e-4)
    scheduler = ReduceLROnPlateau(optimizer(1.0), patience=0, threshold=1e-4)
    assert lrs(scheduler, 2, [1.0, 0.99995]) == [1.0, 1.0, 0.1]
    # cooldown: after a cut, the next 2 epochs do not count
    scheduler = ReduceLROnPlateau(optimizer(1.0), factor=0.5, patience=0, cooldown=2)
    assert lrs(scheduler, 5, [1.0, 2.0, 2.0, 2.0, 2.0]) == [
        1.0,
        1.0,
        0.5,
        0.5,
        0.5,
        0.25,
    ]
    # min_lr is a floor
    scheduler = ReduceLROnPlateau(optimizer(1.0), factor=0.1, patience=0, min_lr=0.05)
    assert lrs(scheduler, 4, [1.0, 2.0, 2.0, 2.0]) == [1.0, 1.0, 0.1, 0.05, 0.05]
    # max mode with an absolute threshold: only gains above 0.5 count
    scheduler = ReduceLROnPlateau(
        optimizer(1.0), mode="max", threshold_mode="abs", threshold=0.5, patience=0
    )
    assert lrs(scheduler, 3, [1.0, 1.4, 2.0]) == [1.0, 1.0, 0.1, 0.1]


def test_schedules_chain_from_an_lr_changed_by_hand():
    opt = optimizer(1.0)
    scheduler = ExponentialLR(opt, gamma=0.5)
    scheduler.step()
    opt.lr = 8.0
    scheduler.step()
    assert opt.lr == 4.0


@pytest.mark.parametrize(
    "make, message",
    [
        (lambda o: StepLR(o, step_size=0), "step_size must be an integer ≥ 1"),
        (lambda o: StepLR(o, step_size=2, gamma=-1), "gamma must be ≥ 0"),
        (lambda o: CosineAnnealingLR(o, T_max=0), "T_max must be an integer ≥ 1"),
        (lambda o: CosineAnnealingWarmRestarts(o, T_0=3, T_mult=0), "T_mult"),
        (lambda o: ReduceLROnPlateau(o, factor=1.0), "factor must be < 1"),
        (lambda o: ReduceLROnPlateau(o, mode="up"), "mode must be 'min' or 'max'"),
    ],
)
def test_bad_settings_are_clear_errors(make, message):
    with pytest.raises(ValueError) as error:
        make(optimizer())
    assert message in str(error.value)


def test_a_scheduler_needs_an_optimizer():
    with pytest.raises(TypeError, match="not an optimizer"):
        StepLR(object(), step_size=1)
