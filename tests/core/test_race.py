"""Races: histories, divergence with a reason, live hyperparameters, CSV round trip."""

import math

import numpy as np
import pytest

from graphviz_dl.engine import Value
from graphviz_dl.optim import SGD, Adam
from graphviz_dl.optimizer_menu import OPTIMIZERS, HyperParam
from graphviz_dl.race import INITIAL_CAPACITY, Race, Run, RunConfig
from graphviz_dl.surfaces import get_surface

ROSENBROCK = get_surface("rosenbrock")


def test_the_menu_of_optimizers():
    assert list(OPTIMIZERS) == [
        "sgd",
        "momentum",
        "nesterov",
        "adagrad",
        "rmsprop",
        "adam",
        "adamw",
        "adadelta",
        "linesearch",
    ]
    for spec in OPTIMIZERS.values():
        assert spec.title
        for hp in spec.hyperparams:
            assert isinstance(hp, HyperParam)
            assert hp.low <= hp.default <= hp.high
            assert not (hp.log and hp.low <= 0)
    assert OPTIMIZERS["momentum"].hyper("momentum").default == 0.9
    assert OPTIMIZERS["adamw"].hyper("weight_decay").default == 1e-2


def test_labels_read_well():
    assert RunConfig("adam", {"lr": 0.02}).label == "Adam (lr=0.02)"
    assert RunConfig("sgd").label == "SGD"
    assert RunConfig("momentum", {"momentum": 0.5, "lr": 1e-3}).label == (
        "Momentum (lr=0.001, momentum=0.5)"
    )
    assert RunConfig("adam", {"lr": 0.1}, label="mine").label == "mine"
    every_default = {"lr": 1e-3, "beta1": 0.9, "beta2": 0.999, "amsgrad": 0.0}
    assert RunConfig("adam", every_default).label == "Adam (lr=0.001)"
    config = RunConfig.parse("adam:lr=0.1,beta1=0.8@cosine:T_max=50")
    assert (config.kind, config.hyper, config.schedule) == (
        "adam",
        {"lr": 0.1, "beta1": 0.8},
        "cosine:T_max=50",
    )


@pytest.mark.parametrize(
    "make, message",
    [
        (
            lambda: RunConfig("lbfgs"),
            "unknown optimizer 'lbfgs'; known optimizers: sgd",
        ),
        (lambda: RunConfig("adam", {"momentum": 0.9}), "Adam has no hyperparameter"),
        (lambda: RunConfig("sgd", {"lr": -1}), "lr must be ≥ 0, got −1"),
        (lambda: RunConfig("adam", {"beta1": 1.5}), "beta1 must be in [0, 1), got 1.5"),
        (lambda: RunConfig("adam", {"amsgrad": 0.5}), "amsgrad must be 0 or 1"),
        (lambda: RunConfig.parse("adam:lr"), "expected name=value"),
        (lambda: RunConfig.parse("adam:lr=fast"), "lr must be a number"),
        (lambda: RunConfig.parse("sgd@warp:T=1"), "unknown schedule 'warp'"),
        (lambda: RunConfig.parse("linesearch@cosine:T_max=5"), "takes no schedule"),
    ],
)
def test_bad_configurations_are_clear_errors(make, message):
    with pytest.raises(ValueError) as error:
        make()
    assert message in str(error.value)


def test_a_run_records_exactly_what_the_optimizer_does():
    run = Run(ROSENBROCK, (-1.5, 2.0), RunConfig("adam", {"lr": 0.02}))
    assert run.steps == 0 and run.positions.shape == (1, 2)
    steps = INITIAL_CAPACITY + 50  # the history must grow past its first block
    assert run.step(steps) == steps
    # the same optimizer driven by hand
    x, y = Value(-1.5), Value(2.0)
    opt = Adam([x, y], lr=0.02)
    for k in range(1, steps + 1):
        _, (gx, gy) = ROSENBROCK.value_and_grad(x.data, y.data)
        x.grad, y.grad = gx, gy
        opt.step()
        assert tuple(run.positions[k]) == (x.data, y.data)
    loss, grad = ROSENBROCK.value_and_grad(x.data, y.data)
    assert run.losses[-1] == loss and tuple(run.grads[-1]) == grad
    assert run.positions.shape == (steps + 1, 2) and run.losses.shape == (steps + 1,)
    assert np.all(run.lrs == 0.02) and np.all(run.evaluations == 1)
    assert len(run.states) == steps + 1 and run.states[0] == {}
    m = run.states[-1]["m"]
    assert m == (opt.state[x]["exp_avg"], opt.state[y]["exp_avg"])
    assert run.diverged_at is None and run.reason is None


def test_sgd_with_lr_one_on_rosenbrock_is_flagged_not_raised():
    race = Race(
        ROSENBROCK, (-1.5, 2.0), [RunConfig("sgd", {"lr": 1.0}), RunConfig("adam")]
    )
    race.step(50)
    blown, fine = race.runs
    assert blown.diverged_at is not None and blown.diverged_at <= 3
    assert blown.steps == blown.diverged_at
    assert blown.reason.startswith(f"step {blown.diverged_at}: ")
    assert "lr·curvature ≈" in blown.reason and "> 2" in blown.reason
    assert blown.step(10) == 0  # a stopped run stays stopped
    assert fine.steps == 50 and fine.diverged_at is None


def test_overflow_is_caught_and_the_reason_uses_the_curvature():
    # x² + y² has curvature 2: lr = 1.5 gives lr·curvature = 3 > 2, so |x| triples
    bowl = get_surface("quadratic-bowl")
    run = Run(bowl, (1.0, 1.0), RunConfig("sgd", {"lr": 1.5}), bound=math.inf)
    run.step(2000)
    assert run.diverged_at is not None
    assert "overflowed" in run.reason
    assert "lr·curvature ≈ 3.0 > 2" in run.reason
    # momentum is stable up to lr·curvature < 2(1 + β)
    run = Run(bowl, (1.0, 1.0), RunConfig("momentum", {"lr": 2.0, "momentum": 0.5}))
    run.step(500)
    assert "> 2(1 + β) = 3.0" in run.reason


def test_a_surface_unbounded_below_is_explained():
    run = Run(get_surface("saddle"), (-1.5, 0.01), RunConfig("sgd", {"lr": 0.1}))
    run.step(1000)
    assert run.diverged_at is not None
    assert "left the region" in run.reason and "curves downward" in run.reason


def test_set_hyper_takes_effect_from_the_next_step():
    run = Run(ROSENBROCK, (-1.5, 2.0), RunConfig("momentum", {"lr": 1e-3}))
    run.step(5)
    run.set_hyper("lr", 5e-4)
    run.set_hyper("momentum", 0.5)
    run.step(1)
    assert run.lrs[5] == 1e-3 and run.lrs[6] == 5e-4
    assert run.optimizer.momentum == 0.5
    assert run.config.label == "Momentum (lr=0.0005, momentum=0.5)"
    with pytest.raises(ValueError, match="lr must be ≥ 0, got −1"):
        run.set_hyper("lr", -1)
    with pytest.raises(ValueError, match="has no hyperparameter 'rho'"):
        run.set_hyper("rho", 0.5)
    adam = Run(ROSENBROCK, (-1.5, 2.0), RunConfig("adam"))
    adam.set_hyper("beta2", 0.99)
    adam.set_hyper("amsgrad", 1)
    assert adam.optimizer.betas == (0.9, 0.99) and adam.optimizer.amsgrad is True
    with pytest.raises(ValueError, match="beta1 must be in"):
        adam.set_hyper("beta1", 1.0)


def test_reset_replays_the_same_history_in_the_same_run_objects():
    race = Race(ROSENBROCK, (-1.5, 2.0), [RunConfig("nesterov"), RunConfig("rmsprop")])
    race.step(40)
    first = [run.positions.copy() for run in race.runs]
    runs = list(race.runs)
    race.reset()
    assert race.runs == runs and all(run.steps == 0 for run in runs)
    race.step(40)
    for run, before in zip(race.runs, first):
        np.testing.assert_array_equal(run.positions, before)
    race.reset((0.5, 0.5))
    assert race.start == (0.5, 0.5) and tuple(race.runs[0].positions[0]) == (0.5, 0.5)


def test_add_and_remove_runs():
    race = Race(ROSENBROCK, (-1.5, 2.0), [RunConfig("sgd")])
    run = race.add(RunConfig("adagrad", {"lr": 0.5}))
    assert race.runs[-1] is run and run.steps == 0
    race.remove(0)
    assert race.runs == [run]


def test_line_search_pays_in_function_evaluations():
    run = Run(ROSENBROCK, (-1.5, 2.0), RunConfig("linesearch"))
    run.step(20)
    assert np.all(run.evaluations[1:] > 2)
    assert np.all(np.diff(run.losses) <= 0)
    assert math.isnan(run.lrs[0]) and np.all(run.lrs[1:] >= 0)
    assert set(run.states[-1]) == {"direction"}


def test_a_schedule_changes_the_lr_between_steps():
    run = Run(
        ROSENBROCK,
        (-1.5, 2.0),
        RunConfig.parse("sgd:lr=1e-3@step:step_size=10,gamma=0.5"),
    )
    run.step(25)
    assert run.lrs[1] == 1e-3 and run.lrs[10] == 1e-3
    assert run.lrs[11] == 5e-4 and run.lrs[21] == 2.5e-4


def test_csv_round_trip_keeps_every_step_of_every_run(tmp_path):
    race = Race(
        ROSENBROCK,
        (-1.5, 2.0),
        [
            RunConfig("momentum", {"lr": 1e-3}, label="with, comma"),
            RunConfig("adam", {"lr": 0.02}),
            RunConfig("sgd", {"lr": 1.0}),
            RunConfig("linesearch"),
        ],
    )
    race.step(30)
    path = tmp_path / "race.csv"
    race.to_csv(path)
    table = Race.read_csv(path)
    for index, run in enumerate(race.runs):
        rows = table["run"] == index
        assert rows.sum() == run.steps + 1
        np.testing.assert_array_equal(table["step"][rows], np.arange(run.steps + 1))
        np.testing.assert_array_equal(table["x"][rows], run.positions[:, 0])
        np.testing.assert_array_equal(table["y"][rows], run.positions[:, 1])
        np.testing.assert_array_equal(table["loss"][rows], run.losses)
        np.testing.assert_array_equal(table["grad_x"][rows], run.grads[:, 0])
        np.testing.assert_array_equal(table["grad_y"][rows], run.grads[:, 1])
        np.testing.assert_array_equal(table["lr"][rows], run.lrs)
        np.testing.assert_array_equal(table["evaluations"][rows], run.evaluations)
        assert set(table["label"][rows]) == {run.config.label}
        for k, state in enumerate(run.states):
            for name, (sx, sy) in state.items():
                assert table[f"{name}_x"][rows][k] == sx
                assert table[f"{name}_y"][rows][k] == sy
    blown = race.runs[2]
    events = table["event"][table["run"] == 2]
    assert events[blown.diverged_at] == blown.reason
    assert math.isnan(table["velocity_x"][table["kind"] == "adam"][0])


def test_read_csv_reports_the_file_and_the_field(tmp_path):
    path = tmp_path / "bad.csv"
    path.write_text(
        "run,label,kind,step,x,y,loss,grad_x,grad_y,lr,evaluations,event\n"
        "0,a,sgd,0,1.0,oops,1,1,1,0.1,1,\n"
    )
    with pytest.raises(ValueError, match=r"line 2: field 'y' is not a number: 'oops'"):
        Race.read_csv(path)
    path.write_text("run,label\n")
    with pytest.raises(ValueError, match="missing column"):
        Race.read_csv(path)


def test_eight_optimizers_race_without_error_on_every_surface():
    from graphviz_dl.surfaces import SURFACES

    kinds = [
        "sgd",
        "momentum",
        "nesterov",
        "adagrad",
        "rmsprop",
        "adam",
        "adamw",
        "adadelta",
    ]
    for surface in SURFACES.values():
        race = Race(surface, surface.start, [RunConfig(kind) for kind in kinds])
        race.step(15)
        for run in race.runs:
            assert run.steps == 15 or run.reason


def test_sgd_on_the_mse_surface_reaches_the_closed_form():
    surface = get_surface("linear-regression-mse")
    run = Run(surface, surface.start, RunConfig("sgd", {"lr": 0.25}))
    run.step(300)
    np.testing.assert_allclose(run.positions[-1], surface.minima[0], atol=1e-9)


def test_momentum_matches_sgd_driven_by_hand_with_a_schedule_free_lr():
    run = Run(ROSENBROCK, (-1.5, 2.0), RunConfig("nesterov", {"lr": 1e-3}))
    run.step(10)
    x, y = Value(-1.5), Value(2.0)
    opt = SGD([x, y], lr=1e-3, momentum=0.9, nesterov=True)
    for _ in range(10):
        x.grad, y.grad = ROSENBROCK.value_and_grad(x.data, y.data)[1]
        opt.step()
    assert tuple(run.positions[-1]) == (x.data, y.data)
