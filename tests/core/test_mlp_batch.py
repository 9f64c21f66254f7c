"""The batch training step equals the scalar engine's per-sample graphs, summed."""

import numpy as np
import pytest

from graphviz_dl import Value, losses
from graphviz_dl.bench.mlp_batch import LOSSES, MLPBatchStep
from graphviz_dl.compiled import GraphInputError
from graphviz_dl.nn import MLP
from graphviz_dl.optim import SGD

RNG = np.random.default_rng(7)
X = RNG.normal(size=(9, 2))


def targets_for(loss, n, nout=1):
    if loss == "cross_entropy":
        return RNG.integers(0, nout, size=n)
    if loss == "bce_with_logits":
        return RNG.integers(0, 2, size=n).astype(float)
    if loss == "hinge":
        return RNG.choice([-1.0, 1.0], size=n)
    return RNG.normal(size=(n, nout)) if nout > 1 else RNG.normal(size=n)


def scalar_batch_loss(mlp, loss, X, y):
    """The batch loss built from Values, the way a person would write it."""
    terms = []
    for x, t in zip(X.tolist(), y.tolist()):
        out = mlp(x)
        if loss == "cross_entropy":
            terms.append(losses.cross_entropy(out, int(t)))
        else:
            terms.append(getattr(losses, loss)(out, t))
    return Value.sum(terms) / len(terms)


@pytest.mark.parametrize("loss", LOSSES)
@pytest.mark.parametrize("activation", ["relu", "tanh"])
def test_batch_gradients_equal_the_scalar_engine(loss, activation):
    nout = 3 if loss == "cross_entropy" else 1
    mlp = MLP(2, [5, 4, nout], activation, seed=3)
    y = targets_for(loss, len(X), nout)
    step = MLPBatchStep(mlp, loss)
    value, grads = step.loss_and_grads(X, y)

    reference = scalar_batch_loss(mlp, loss, X, y)
    mlp.zero_grad()
    reference.backward()
    want = np.array([p.grad for p in mlp.parameters()])
    assert value == pytest.approx(reference.data, rel=1e-12)
    np.testing.assert_allclose(grads, want, rtol=1e-10, atol=1e-13)
    assert grads.shape == (len(mlp.parameters()),)


def test_multi_output_regression_and_summed_reduction():
    mlp = MLP(2, [4, 2], "gelu", seed=1)
    y = targets_for("mse", len(X), 2)
    step = MLPBatchStep(mlp, "mse", reduction="sum")
    value, grads = step.loss_and_grads(X, y)
    per_sample = [losses.mse(mlp(x), t) for x, t in zip(X.tolist(), y.tolist())]
    reference = Value.sum(per_sample)
    mlp.zero_grad()
    reference.backward()
    assert value == pytest.approx(reference.data, rel=1e-12)
    np.testing.assert_allclose(
        grads, [p.grad for p in mlp.parameters()], rtol=1e-10, atol=1e-13
    )


def test_training_with_an_optimizer_follows_the_scalar_engine():
    y = targets_for("mse", len(X))
    fast, slow = MLP(2, [6, 1], "tanh", seed=5), MLP(2, [6, 1], "tanh", seed=5)
    step = MLPBatchStep(fast, "mse")
    fast_opt = SGD(fast.parameters(), lr=0.1, momentum=0.9)
    slow_opt = SGD(slow.parameters(), lr=0.1, momentum=0.9)
    for _ in range(5):
        fast_opt.zero_grad()
        fast_loss = step(X, y)
        fast_opt.step()
        slow_opt.zero_grad()
        reference = scalar_batch_loss(slow, "mse", X, y)
        reference.backward()
        slow_opt.step()
        assert fast_loss == pytest.approx(reference.data, rel=1e-11)
    np.testing.assert_allclose(
        [p.data for p in fast.parameters()],
        [p.data for p in slow.parameters()],
        rtol=1e-10,
        atol=1e-12,
    )


def test_parameters_given_as_one_array_replace_reading_the_values():
    mlp = MLP(2, [5, 5, 1], seed=7)
    step = MLPBatchStep(mlp, "mse")
    y = targets_for("mse", len(X))
    theta = np.array([p.data for p in mlp.parameters()])
    (a, ga), (b, gb) = step.loss_and_grads(X, y, theta), step.loss_and_grads(X, y)
    assert a == b
    np.testing.assert_array_equal(ga, gb)
    theta -= 0.05 * step.loss_and_grads(X, y, theta)[1]  # an SGD step on the array
    for p, value in zip(mlp.parameters(), theta.tolist()):
        p.data = value
    loss, grads = step.loss_and_grads(X, y)
    flat_loss, flat_grads = step.loss_and_grads(X, y, theta)
    assert loss == flat_loss
    np.testing.assert_array_equal(grads, flat_grads)


def test_write_grads_replaces_or_accumulates():
    mlp = MLP(2, [3, 1], seed=2)
    step = MLPBatchStep(mlp, "l1")
    _, grads = step.loss_and_grads(X, targets_for("l1", len(X)))
    step.write_grads(grads)
    step.write_grads(grads, accumulate=True)
    np.testing.assert_allclose([p.grad for p in mlp.parameters()], 2 * grads)


def test_predict_gives_the_mlp_outputs():
    mlp = MLP(2, [4, 3], "sigmoid", seed=4)
    step = MLPBatchStep(mlp, "cross_entropy")
    want = np.array([[v.data for v in mlp(x)] for x in X.tolist()])
    np.testing.assert_allclose(step.predict(X), want, rtol=1e-13)
    for p in mlp.parameters():
        p.data += 0.1  # an optimizer moved them: predictions follow
    want = np.array([[v.data for v in mlp(x)] for x in X.tolist()])
    np.testing.assert_allclose(step.predict(X), want, rtol=1e-13)
    single = MLPBatchStep(MLP(2, [3, 1], seed=4))
    assert single.predict(X).shape == (len(X),)


def test_huge_logits_give_finite_cross_entropy():
    mlp = MLP(2, [3], "linear", seed=0)
    for p in mlp.parameters():
        p.data *= 1000.0
    step = MLPBatchStep(mlp, "cross_entropy")
    value, grads = step.loss_and_grads(X * 100, targets_for("cross_entropy", len(X), 3))
    assert np.isfinite(value) and np.isfinite(grads).all()


def test_bad_batches_raise_clear_errors():
    mlp = MLP(2, [3, 1], seed=0)
    step = MLPBatchStep(mlp, "mse")
    with pytest.raises(GraphInputError, match=r"X must be \[samples, 2\]"):
        step.loss_and_grads(np.zeros((4, 3)), np.zeros(4))
    with pytest.raises(GraphInputError, match=r"y must be of shape \(4,\) or \(4, 1\)"):
        step.loss_and_grads(np.zeros((4, 2)), np.zeros(5))
    with pytest.raises(GraphInputError, match="empty"):
        step.loss_and_grads(np.zeros((0, 2)), np.zeros(0))
    with pytest.raises(GraphInputError, match="hinge labels"):
        MLPBatchStep(mlp, "hinge").loss_and_grads(np.zeros((2, 2)), [0.0, 1.0])
    classes = MLPBatchStep(MLP(2, [3], seed=0), "cross_entropy")
    with pytest.raises(GraphInputError, match="class indices run from 0 to 2"):
        classes.loss_and_grads(np.zeros((2, 2)), [0, 3])
    with pytest.raises(GraphInputError, match="whole numbers"):
        classes.loss_and_grads(np.zeros((2, 2)), [0.5, 1])
    with pytest.raises(ValueError, match="unknown loss 'huber'"):
        MLPBatchStep(mlp, "huber")
    with pytest.raises(ValueError, match="one output per class"):
        MLPBatchStep(mlp, "cross_entropy")
    with pytest.raises(ValueError, match="reduction is 'mean' or 'sum'"):
        MLPBatchStep(mlp, reduction="max")
