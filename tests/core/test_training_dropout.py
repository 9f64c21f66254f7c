"""Dropout: mask leaves of the traced graph, drawn per sample in training, 1 in evaluation."""

import numpy as np
import pytest

from graphviz_dl import datasets, losses
from graphviz_dl.engine import Value
from graphviz_dl.training import Trainer, TrainingConfig, dropout
from graphviz_dl.training.network import nested

DATA = datasets.moons(40, seed=3)


def trainer(rate=0.5, **kw):
    return Trainer(DATA, TrainingConfig(hidden=(6, 5), dropout=rate, **kw))


def test_masks_are_zero_or_scaled_up_and_keep_the_mean():
    rng = np.random.default_rng(0)
    masks = dropout.sample(rng, 0.25, 50, 400)
    assert masks.shape == (50, 400)
    assert set(np.unique(masks).tolist()) == {0.0, 1 / 0.75}
    assert (masks == 0).mean() == pytest.approx(0.25, abs=0.01)
    assert masks.mean() == pytest.approx(1.0, abs=0.02)


def test_the_graph_has_one_mask_leaf_per_hidden_unit_and_none_without_dropout():
    with_masks = trainer(0.5).network
    labels = [m.label for layer in with_masks.graph.masks for m in layer]
    assert labels == [f"m[0,{j}]" for j in range(6)] + [f"m[1,{j}]" for j in range(5)]
    assert all(m.data == 1.0 for layer in with_masks.graph.masks for m in layer)
    assert trainer(0.0).network.graph.masks == []


def test_evaluation_is_deterministic_and_equals_the_network_without_dropout():
    dropped = trainer(0.5)
    dropped.train(2)  # masks are drawn during these steps
    plain = trainer(0.0)
    first, second = dropped.evaluate(), dropped.evaluate()
    assert first == second
    assert plain.evaluate(params=dropped.weights) == first
    np.testing.assert_array_equal(
        dropped.predict(DATA.X).outputs,
        plain.predict(DATA.X, params=dropped.weights).outputs,
    )


def test_training_batches_use_the_masks_given_per_sample():
    """The compiled batch loss with masks equals Values with h·m written by hand."""
    t = trainer(0.4)
    net = t.network
    rows = t.train_index[:5]
    masks = dropout.sample(np.random.default_rng(1), 0.4, net.n_units, rows.size)
    loss, grads = net.loss_and_grads(t.weights, t.X[rows], t.targets[:, rows], masks)

    leaves = [Value(v) for v in t.weights.tolist()]
    layers = nested(leaves, net.sizes)
    terms = []
    for k, r in enumerate(rows):
        h = [Value(v) for v in t.X[r].tolist()]
        offset = 0
        for depth, layer in enumerate(layers):
            zs = [Value.linear(w, h, b) for w, b in layer]
            if depth == len(layers) - 1:
                break
            h = [z.tanh() * float(masks[offset + j, k]) for j, z in enumerate(zs)]
            offset += len(zs)
        terms.append(losses.bce_with_logits(zs[0], float(t.y[r])))
    reference = Value.sum(terms) / len(terms)
    reference.backward()
    assert loss == pytest.approx(reference.data, rel=1e-12)
    np.testing.assert_allclose(grads, [p.grad for p in leaves], rtol=1e-10, atol=1e-13)

    unmasked, _ = net.loss_and_grads(t.weights, t.X[rows], t.targets[:, rows])
    assert unmasked != loss  # with these masks some units really were dropped


def test_dropout_changes_training_not_the_starting_point():
    a, b = trainer(0.5), trainer(0.0)
    np.testing.assert_array_equal(a.weights, b.weights)
    a.step_batch()
    b.step_batch()
    assert not np.array_equal(a.weights, b.weights)
    assert a.steps.loss[0] != b.steps.loss[0]
