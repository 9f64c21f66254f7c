"""One hyperparameter path: checked against the menu, applied in place, state kept."""

from __future__ import annotations

import math

import pytest

from graphviz_dl import datasets, optimizer_menu
from graphviz_dl.engine import Value
from graphviz_dl.optim import SGD, Adam, AdamW, RMSprop
from graphviz_dl.optimizer_menu import (
    OPTIMIZERS,
    check_hyperparameters,
    hyperparameter_problem,
    make_optimizer,
    menu_kind,
    set_hyperparameter,
)
from graphviz_dl.race import Run, RunConfig
from graphviz_dl.schedulers import CosineAnnealingLR
from graphviz_dl.surfaces import get_surface
from graphviz_dl.training import Trainer, TrainingConfig


def quadratic_step(optimizer: Adam, params: list[Value]) -> None:
    """One step on f = x² + 3y²: the gradient is (2x, 6y)."""
    x, y = params
    x.grad, y.grad = 2.0 * x.data, 6.0 * y.data
    optimizer.step()


def test_changing_lr_mid_run_keeps_the_moments_and_continues_from_them():
    params = [Value(1.0), Value(-2.0)]
    adam = Adam(params, lr=0.1)
    for _ in range(3):
        quadratic_step(adam, params)
    before = {p: dict(s) for p, s in adam.state.items()}

    assert set_hyperparameter(adam, "lr", 0.01) == 0.01
    assert adam.lr == 0.01
    assert {p: dict(s) for p, s in adam.state.items()} == before  # step 3, m, v

    # The same step from a fresh optimizer given that state and the new lr:
    twins = [Value(p.data) for p in params]
    twin = Adam(twins, lr=0.01)
    twin.state = {t: before[p] for t, p in zip(twins, params)}
    quadratic_step(adam, params)
    quadratic_step(twin, twins)
    assert [p.data for p in params] == [t.data for t in twins]
    assert adam.state[params[0]]["step"] == 4


def test_betas_and_switches_are_applied_in_place():
    params = [Value(1.0), Value(-2.0)]
    adam = AdamW(params, lr=0.1)
    quadratic_step(adam, params)
    moments = dict(adam.state[params[0]])
    set_hyperparameter(adam, "beta2", 0.99)
    set_hyperparameter(adam, "amsgrad", 1)
    assert adam.betas == (0.9, 0.99) and adam.amsgrad is True
    assert adam.state[params[0]] == moments


@pytest.mark.parametrize(
    ("optimizer", "name", "value", "message"),
    [
        ("sgd", "lr", -1.0, "lr must be ≥ 0, got −1"),
        ("sgd", "lr", math.nan, "lr must be ≥ 0, got nan"),
        ("momentum", "momentum", -0.5, "momentum must be ≥ 0, got −0.5"),
        ("momentum", "dampening", math.nan, "dampening must be a number, got nan"),
        ("nesterov", "momentum", 0.0, "momentum must be > 0, got 0"),
        ("adam", "beta1", 1.0, "beta1 must be in [0, 1), got 1"),
        ("adam", "beta2", -0.1, "beta2 must be in [0, 1), got −0.1"),
        ("adam", "amsgrad", 0.5, "amsgrad must be 0 or 1 (off or on), got 0.5"),
        ("rmsprop", "alpha", 1.5, "alpha must be in [0, 1], got 1.5"),
        ("rmsprop", "eps", -1e-8, "eps must be ≥ 0"),
        ("adadelta", "rho", 2.0, "rho must be in [0, 1], got 2"),
        ("adagrad", "lr_decay", -1.0, "lr_decay must be ≥ 0, got −1"),
        ("adam", "momentum", 0.9, "Adam has no hyperparameter 'momentum'"),
    ],
)
def test_a_bad_value_is_refused_with_a_message_naming_it(
    optimizer, name, value, message
):
    live = make_optimizer(optimizer, {}, [Value(1.0)])
    before = dict(vars(live))
    with pytest.raises(ValueError) as error:
        set_hyperparameter(live, name, value, kind=optimizer)
    assert message in str(error.value)
    assert dict(vars(live)) == before  # nothing changed
    assert hyperparameter_problem(optimizer, {name: value}) == str(error.value)


def test_the_line_search_bounds_read_as_before():
    with pytest.raises(ValueError, match="max_step must be > 0 and finite, got inf"):
        check_hyperparameters("linesearch", {"max_step": math.inf})
    with pytest.raises(ValueError, match="xtol must be > 0, got 0"):
        check_hyperparameters("linesearch", {"xtol": 0.0})


def test_a_new_lr_becomes_the_schedules_base():
    params = [Value(1.0)]
    sgd = SGD(params, lr=0.5)
    schedule = CosineAnnealingLR(sgd, T_max=10)
    set_hyperparameter(sgd, "lr", 0.2, scheduler=schedule)
    assert schedule.base_lr == 0.2 == sgd.lr


def test_each_optimizer_knows_its_menu_entry():
    p = [Value(0.0)]
    assert menu_kind(SGD(p)) == "momentum"
    assert menu_kind(SGD(p, momentum=0.9, nesterov=True)) == "nesterov"
    assert menu_kind(AdamW(p)) == "adamw"
    assert menu_kind(RMSprop(p)) == "rmsprop"


def candidates(hp) -> list[float]:
    values = [hp.default, math.inf, -math.inf, math.nan, -1.0, 0.0, 0.5, 1.0]
    for end in (hp.minimum, hp.maximum):
        if math.isfinite(end):
            values += [end, math.nextafter(end, -math.inf), math.nextafter(end, 1e300)]
    return values


@pytest.mark.parametrize("kind", list(OPTIMIZERS))
def test_the_menu_allows_exactly_what_the_optimizers_accept(kind):
    spec = OPTIMIZERS[kind]
    for hp in spec.hyperparams:
        if hp.boolean:
            continue  # an on/off switch reaches the optimizer as a bool
        for value in candidates(hp):
            if hp.name == "dampening" and math.isnan(value):
                continue  # the menu refuses a nan dampening that SGD would take
            try:
                hp.check(value)
                allowed = True
            except ValueError:
                allowed = False
            hyper = {**spec.defaults(), hp.name: value}
            try:
                optimizer_menu._build(kind, hyper, [Value(0.0)], lambda point: 0.0)
                accepted = True
            except ValueError:
                accepted = False
            assert allowed == accepted, (kind, hp.name, value)


def test_no_optimizer_is_built_to_check_or_change_a_hyperparameter(monkeypatch):
    run = Run(get_surface("rosenbrock"), (-1.5, 2.0), RunConfig("adam"))
    run.step(3)
    moments = run.optimizer.state

    def no_building(*args):
        raise AssertionError("an optimizer was built")

    monkeypatch.setattr(optimizer_menu, "_build", no_building)
    RunConfig("adam", {"lr": 0.5, "beta1": 0.8})
    TrainingConfig(optimizer="adam", hyper={"lr": 0.1})
    run.set_hyper("lr", 0.02)
    assert run.optimizer.lr == 0.02 and run.config.hyper["lr"] == 0.02
    assert run.optimizer.state == moments
    with pytest.raises(ValueError, match="beta1 must be in"):
        run.set_hyper("beta1", 1.0)


def test_the_trainer_changes_a_live_optimizer_and_keeps_its_state():
    trainer = Trainer(datasets.moons(40, seed=0), TrainingConfig(optimizer="adam"))
    for _ in range(3):
        trainer.step_batch()
    before = trainer.optimizer.state
    optimizer = trainer.optimizer
    trainer.set_hyper("lr", 0.001)
    trainer.set_hyper("beta1", 0.5)
    assert trainer.optimizer is optimizer
    assert (optimizer.lr, optimizer.betas[0]) == (0.001, 0.5)
    assert optimizer.state == before
    with pytest.raises(ValueError, match="lr must be ≥ 0, got −0.1"):
        trainer.set_learning_rate(-0.1)
    assert optimizer.lr == 0.001
