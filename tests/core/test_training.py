"""The training loop: exact gradients, SGD/GD by batch size, penalties, accuracy."""

import math

import numpy as np
import pytest

from graphviz_dl import datasets, losses
from graphviz_dl.engine import Value
from graphviz_dl.training import Trainer, TrainingConfig
from graphviz_dl.training.network import nested


def scalar_objective(trainer, rows, theta=None):
    """The objective over ``rows`` built from Values by hand, and its gradient.

    An independent forward pass (its own loop over layers, the losses of
    :mod:`graphviz_dl.losses` with plain-number labels), for comparison.
    """
    net = trainer.network
    theta = trainer.weights if theta is None else theta
    leaves = [Value(v) for v in theta.tolist()]
    layers = nested(leaves, net.sizes)
    activate = None if net.activation == "linear" else getattr(Value, net.activation)
    terms = []
    for r in rows:
        h = [Value(v) for v in trainer.X[r].tolist()]
        for depth, layer in enumerate(layers):
            zs = [Value.linear(w, h, b) for w, b in layer]
            h = (
                zs
                if depth == len(layers) - 1 or activate is None
                else [activate(z) for z in zs]
            )
        label = trainer.y[r].item()
        loss = trainer.loss_name
        if loss == "bce":
            terms.append(losses.bce(zs[0].sigmoid(), float(label)))
        elif loss == "bce_with_logits":
            terms.append(losses.bce_with_logits(zs[0], float(label)))
        elif loss == "hinge":
            terms.append(losses.hinge(zs[0], 2 * label - 1))
        elif loss == "cross_entropy":
            terms.append(losses.cross_entropy(zs, int(label)))
        else:
            terms.append(getattr(losses, loss)(zs[0], float(label)))
    objective = Value.sum(terms) / len(terms)
    weights = [p for p, is_w in zip(leaves, net.is_weight) if is_w]
    l1, l2 = trainer.config.l1, trainer.config.l2
    if l1:
        objective = objective + l1 * losses.l1_penalty(weights)
    if l2:
        objective = objective + l2 * losses.l2_penalty(weights)
    objective.backward()
    return objective.data, np.array([p.grad for p in leaves])


def compiled_objective(trainer, rows, theta=None):
    net = trainer.network
    theta = trainer.weights if theta is None else theta
    loss, grads = net.loss_and_grads(theta, trainer.X[rows], trainer.targets[:, rows])
    penalty, penalty_grad = net.penalty(theta, trainer.config.l1, trainer.config.l2)
    return loss + penalty, grads + penalty_grad


CASES = [
    ("moons", {"loss": "bce_with_logits", "activation": "tanh"}),
    ("moons", {"loss": "bce", "activation": "relu", "l1": 0.01}),
    ("circles", {"loss": "hinge", "activation": "leaky_relu", "l2": 0.02}),
    ("blobs3", {"activation": "gelu", "l1": 0.003, "l2": 0.001}),
    ("line", {"loss": "mse", "activation": "sigmoid"}),
    ("line", {"loss": "l1", "activation": "linear", "hidden": (3,)}),
]


def make(name, **kw):
    if name == "blobs3":
        return datasets.blobs(24, n_classes=3, seed=1, **kw)
    return datasets.make_dataset(name, n_points=24, seed=1, **kw)


@pytest.mark.parametrize(("name", "settings"), CASES)
def test_batch_objective_and_gradient_equal_the_scalar_engine(name, settings):
    config = TrainingConfig(**{"hidden": (5, 4), "init": "uniform", **settings})
    trainer = Trainer(make(name), config)
    rows = trainer.train_index[:7]
    value, grads = compiled_objective(trainer, rows)
    want_value, want_grads = scalar_objective(trainer, rows)
    assert value == pytest.approx(want_value, rel=1e-12)
    np.testing.assert_allclose(grads, want_grads, rtol=1e-9, atol=1e-12)


def test_biases_are_not_penalized():
    config = TrainingConfig(hidden=(3,), l1=0.5, l2=0.5)
    trainer = Trainer(make("moons"), config)
    theta = trainer.weights
    value, grad = trainer.network.penalty(theta, 0.5, 0.5)
    w = theta[trainer.network.is_weight]
    assert value == pytest.approx(0.5 * np.abs(w).sum() + 0.5 * (w**2).sum())
    assert (grad[~trainer.network.is_weight] == 0).all()
    assert trainer.network.labels[2] == "b[0,0]" and not trainer.network.is_weight[2]


def test_full_batch_is_gradient_descent():
    config = TrainingConfig(
        hidden=(4,), batch_size=None, optimizer="sgd", hyper={"lr": 0.5}, l2=0.01
    )
    trainer = Trainer(make("moons"), config)
    assert trainer.steps_per_epoch == 1
    theta0 = trainer.weights
    _, grad = scalar_objective(trainer, trainer.train_index, theta0)
    report = trainer.step_batch()
    assert report.epoch_ended and trainer.epoch == 1
    assert sorted(report.batch.tolist()) == trainer.train_index.tolist()
    np.testing.assert_allclose(
        trainer.weights, theta0 - 0.5 * grad, rtol=1e-12, atol=1e-15
    )


def test_batch_size_one_is_stochastic_gradient_descent():
    config = TrainingConfig(
        hidden=(4,), batch_size=1, optimizer="sgd", hyper={"lr": 0.3}
    )
    trainer = Trainer(make("moons"), config)
    assert trainer.steps_per_epoch == trainer.n_train == 19
    seen = []
    for k in range(trainer.n_train):
        theta = trainer.weights
        report = trainer.step_batch()
        assert report.batch.size == 1
        (row,) = report.batch.tolist()
        seen.append(row)
        _, grad = scalar_objective(trainer, [row], theta)
        np.testing.assert_allclose(
            trainer.weights, theta - 0.3 * grad, rtol=1e-12, atol=1e-15
        )
        assert report.epoch_ended == (k == trainer.n_train - 1)
    assert sorted(seen) == trainer.train_index.tolist()  # each point once per epoch
    assert trainer.epoch == 1 and trainer.step == 19


def test_mini_batches_cover_the_epoch_once():
    trainer = Trainer(datasets.moons(50, seed=0), TrainingConfig(batch_size=16))
    assert trainer.n_train == 40 and trainer.steps_per_epoch == 3
    sizes, rows = [], []
    report = None
    while report is None or not report.epoch_ended:
        report = trainer.step_batch()
        sizes.append(report.batch.size)
        rows.extend(report.batch.tolist())
    assert sizes == [16, 16, 8]
    assert sorted(rows) == trainer.train_index.tolist()
    assert trainer.steps.epoch.tolist() == [0.4, 0.8, 1.0]


@pytest.mark.parametrize(("name", "epochs"), [("moons", 15), ("xor", 10)])
def test_defaults_reach_97_percent_test_accuracy(name, epochs):
    trainer = Trainer(datasets.make_dataset(name, seed=0), TrainingConfig())
    trainer.train(epochs)
    assert trainer.stop is None
    assert trainer.history.test_accuracy[-1] >= 0.97
    assert trainer.history.train_loss[-1] < trainer.history.train_loss[0] / 5


def test_three_classes_and_regression_learn():
    blobs = Trainer(datasets.blobs(150, n_classes=3, seed=0), TrainingConfig())
    blobs.train(15)
    assert blobs.loss_name == "cross_entropy"
    assert blobs.history.test_accuracy[-1] >= 0.9
    line = Trainer(datasets.line(100, seed=0), TrainingConfig(hidden=(4,)))
    line.train(30)
    assert line.loss_name == "mse"
    assert line.history.test_loss[-1] < 0.03 and math.isnan(
        line.history.test_accuracy[-1]
    )


@pytest.mark.parametrize(("strength", "norm"), [("l2", "l2"), ("l1", "l1")])
def test_regularization_shrinks_the_weights(strength, norm):
    data = datasets.moons(60, noise=0.3, seed=2)
    free = Trainer(data, TrainingConfig(hidden=(12,)))
    held = Trainer(data, TrainingConfig(hidden=(12,), **{strength: 0.01}))
    free.train(25)
    held.train(25)

    def size(trainer):
        w = trainer.weights[trainer.network.is_weight]
        return np.abs(w).sum() if norm == "l1" else np.sqrt((w**2).sum())

    assert size(held) < 0.7 * size(free)
    assert held.history.penalty[-1] > 0 and (free.history.penalty == 0).all()
    if strength == "l1":  # L1 pushes weights to (near) zero
        small = lambda t: (np.abs(t.weights[t.network.is_weight]) < 0.05).sum()
        assert small(held) > small(free)


def test_early_stopping_stops_and_returns_to_the_best_weights():
    data = datasets.moons(60, noise=0.35, test_fraction=0.3, seed=1)
    config = TrainingConfig(
        hidden=(16, 16),
        batch_size=None,
        hyper={"lr": 0.05},
        early_stopping=True,
        patience=5,
    )
    trainer = Trainer(data, config)
    trainer.train(200)
    stop = trainer.stop
    assert stop is not None and stop.kind == "early_stopping"
    test_loss = trainer.history.test_loss
    best = int(np.argmin(test_loss))
    assert trainer.epoch == best + 5 < 200
    assert (test_loss[best + 1 :] >= test_loss[best]).all()
    assert f"best {test_loss[best]:.4g}"[:8] in stop.message.replace("−", "-")
    assert trainer.evaluate().test_loss == test_loss[best]
    step = trainer.step
    trainer.step_batch()
    assert trainer.step == step  # paused
    trainer.resume()
    trainer.step_batch()
    assert trainer.step == step + 1


def test_without_early_stopping_training_goes_on():
    data = datasets.moons(60, noise=0.35, test_fraction=0.3, seed=1)
    trainer = Trainer(data, TrainingConfig(hidden=(16, 16), batch_size=None))
    trainer.train(30)
    assert trainer.stop is None and trainer.epoch == 30


def test_a_schedule_steps_once_per_epoch():
    config = TrainingConfig(
        hidden=(3,), hyper={"lr": 0.1}, schedule="step:step_size=2,gamma=0.5"
    )
    trainer = Trainer(make("moons"), config)
    trainer.train(5)
    np.testing.assert_allclose(trainer.history.lr, [0.1, 0.1, 0.05, 0.05, 0.025, 0.025])
    per_step = trainer.steps.lr
    assert per_step[0] == 0.1 and per_step[-1] == 0.025


def test_plateau_schedule_watches_the_test_loss():
    config = TrainingConfig(
        hidden=(3,),
        optimizer="sgd",
        hyper={"lr": 1e-6},
        schedule="plateau:patience=1,factor=0.5",
    )
    trainer = Trainer(make("moons"), config)
    trainer.train(4)  # the loss barely moves at lr 1e-6: a plateau
    np.testing.assert_allclose(trainer.history.lr, [1e-6, 1e-6, 1e-6, 5e-7, 5e-7])


def test_histories_are_copies_with_a_row_per_epoch_and_per_step():
    trainer = Trainer(make("moons"), TrainingConfig(batch_size=8))
    trainer.train(2)
    epochs = trainer.history
    assert epochs.epoch.tolist() == [0, 1, 2]
    assert epochs.step.tolist() == [0, 3, 6]
    assert trainer.steps.step.tolist() == [1, 2, 3, 4, 5, 6]
    column = epochs.train_loss
    column[:] = 0
    assert (trainer.history.train_loss != 0).all()
    kept = trainer.keep("first")
    trainer.train(1)
    assert kept.label == "first" and len(kept.epochs["train_loss"]) == 3
    assert len(trainer.history) == 4


def test_evaluation_agrees_with_predictions():
    trainer = Trainer(make("moons"), TrainingConfig())
    trainer.train(3)
    evaluation = trainer.evaluate()
    prediction = trainer.predict(trainer.X)
    test = trainer.test_index
    assert evaluation.test_accuracy == pytest.approx(
        (prediction.classes[test] == trainer.y[test]).mean()
    )
    np.testing.assert_allclose(prediction.probabilities.sum(axis=1), 1.0)
    losses_ = trainer.sample_losses()
    assert evaluation.train_loss == pytest.approx(losses_[trainer.train_index].mean())


def test_new_points_join_the_run():
    data = datasets.moons(30, seed=0)
    trainer = Trainer(data, TrainingConfig(batch_size=None))
    trainer.step_epoch()
    data.add_point([0.0, 2.0], 0)
    trainer.set_dataset(data)
    assert trainer.n_train == 25
    report = trainer.step_batch()
    assert 30 in report.batch.tolist()
    with pytest.raises(ValueError, match="different task"):
        trainer.set_dataset(datasets.line(10))


@pytest.mark.parametrize(
    ("settings", "message"),
    [
        ({"activation": "swish"}, "unknown activation 'swish'"),
        ({"hidden": (4, 0)}, "width of hidden layer 2"),
        ({"hidden": (4,) * 9}, "number of hidden layers"),
        ({"init": "zeros"}, "unknown initialization"),
        ({"dropout": 1.0}, r"dropout rate is a probability in \[0, 1\)"),
        ({"batch_size": 0}, "batch size"),
        ({"l2": -1.0}, "L2 strength"),
        ({"optimizer": "linesearch"}, "unknown optimizer"),
        ({"hyper": {"lr": -0.1}}, "lr"),
        ({"hyper": {"momentum": 0.9}}, "no hyperparameter 'momentum'"),
        ({"schedule": "cosine:T_max=0"}, "T_max"),
        ({"loss": "huber"}, "unknown loss"),
        ({"patience": 0}, "patience"),
    ],
)
def test_bad_settings_say_what_is_wrong(settings, message):
    with pytest.raises(ValueError, match=message):
        TrainingConfig(**settings)


def test_settings_that_do_not_fit_the_data():
    with pytest.raises(ValueError, match="does not fit a regression task"):
        Trainer(datasets.line(20), TrainingConfig(loss="hinge"))
    with pytest.raises(ValueError, match="parameters; the lab stays live up to"):
        Trainer(make("moons"), TrainingConfig(hidden=(200, 200, 200)))
    with pytest.raises(ValueError, match="no test points"):
        Trainer(
            datasets.moons(20, test_fraction=0.0), TrainingConfig(early_stopping=True)
        )
    with pytest.raises(ValueError, match="no training points"):
        Trainer(datasets.empty(), TrainingConfig())


def test_with_changes_reaches_optimizer_hyperparameters():
    config = TrainingConfig().with_changes(lr=0.5, hidden=(3,))
    assert config.lr == 0.5 and config.hidden == (3,)
    momentum = config.with_changes(optimizer="momentum", momentum=0.8)
    assert momentum.hyper_dict["momentum"] == 0.8 and momentum.lr == 0.5
    assert hash(momentum) == hash(
        TrainingConfig().with_changes(
            lr=0.5, hidden=(3,), optimizer="momentum", momentum=0.8
        )
    )


def test_small_initialization_is_the_uniform_draws_scaled_down():
    data = make("moons")
    small = Trainer(data, TrainingConfig(init="small", hidden=(6,)))
    wide = Trainer(data, TrainingConfig(init="uniform", hidden=(6,)))
    is_weight = small.network.is_weight
    np.testing.assert_allclose(
        small.weights[is_weight], 0.1 * wide.weights[is_weight], rtol=1e-15
    )
    assert np.abs(small.weights).max() <= 0.1


def test_train_for_takes_at_least_one_step_unless_cancelled():
    trainer = Trainer(make("moons"), TrainingConfig(batch_size=4))
    assert trainer.train_for(0.0) == 1
    assert trainer.train_for(10.0, should_continue=lambda: False) == 0
    assert trainer.train(3, should_continue=lambda: trainer.step < 7) == 1
    assert trainer.step == 7
