"""Looking inside a run: one point's graph, the boundary grid, each unit's map."""

import numpy as np
import pytest

from graphviz_dl import datasets
from graphviz_dl.engine import topological_order
from graphviz_dl.training import Trainer, TrainingConfig, probe

RUNS = {
    "bce_with_logits": (datasets.moons(30, seed=0), {}),
    "bce": (datasets.moons(30, seed=0), {"loss": "bce", "activation": "relu"}),
    "hinge": (datasets.xor(30, seed=0), {"loss": "hinge", "activation": "gelu"}),
    "cross_entropy": (datasets.blobs(30, n_classes=3, seed=0), {}),
    "mse": (datasets.line(30, seed=0), {"activation": "sigmoid"}),
    "l1": (datasets.line(30, seed=0), {"loss": "l1", "l2": 0.1}),
}


def run(name, epochs=2, **extra):
    data, settings = RUNS[name]
    trainer = Trainer(data, TrainingConfig(hidden=(4, 3), **{**settings, **extra}))
    trainer.train(epochs)
    return trainer


def nodes_by_label(root):
    return {n.label: n for n in topological_order(root) if n.label}


@pytest.mark.parametrize("name", list(RUNS))
def test_a_points_graph_gives_its_loss_prediction_and_gradient(name):
    trainer = run(name)
    losses = trainer.sample_losses()
    outputs = trainer.predict(trainer.X).outputs
    for index in (0, 7, 29):
        root = probe.sample_graph(trainer, index)
        assert root.label == "L"
        assert root.data == pytest.approx(losses[index], rel=1e-13)
        nodes = nodes_by_label(root)
        if outputs.shape[1] == 1:
            key = "ŷ" if trainer.task == "regression" else "z"
            assert nodes[key].data == pytest.approx(outputs[index, 0], rel=1e-13)
        else:
            for k in range(3):
                assert nodes[f"z[{k}]"].data == pytest.approx(
                    outputs[index, k], rel=1e-13
                )
        if name == "bce":
            assert 0 < nodes["p"].data < 1

        root.backward()
        net = trainer.network
        _, grads = net.loss_and_grads(
            trainer.weights, trainer.X[[index]], trainer.targets[:, [index]]
        )
        mine = np.array([nodes[label].grad for label in net.labels])
        np.testing.assert_allclose(mine, grads, rtol=1e-10, atol=1e-13)


def test_the_graph_is_labelled_for_reading():
    trainer = run("bce_with_logits")
    labels = set(nodes_by_label(probe.sample_graph(trainer, 3)))
    assert {"x0", "x1", "y", "w[0,0,0]", "w[2,0,2]", "b[1,2]"} <= labels
    assert {"z[0,0]", "h[0,0]", "z[1,2]", "h[1,2]", "z", "L"} <= labels
    x = nodes_by_label(probe.sample_graph(trainer, 3))
    assert (x["x0"].data, x["x1"].data) == tuple(trainer.X[3])
    assert x["y"].data == trainer.y[3]


def test_the_penalty_can_be_included_and_the_trainer_is_untouched():
    trainer = run("l1")
    before = [p.grad for p in trainer.params]
    root = probe.sample_graph(trainer, 4, include_penalty=True)
    assert root.label == "J"
    penalty = trainer.evaluate().penalty
    assert root.data == pytest.approx(trainer.sample_losses()[4] + penalty, rel=1e-12)
    root.backward()
    assert [p.grad for p in trainer.params] == before
    with pytest.raises(IndexError, match="no point 30"):
        probe.sample_graph(trainer, 30)


def test_the_graph_at_a_snapshots_weights():
    trainer = run("bce_with_logits", epochs=3)
    early = trainer.snapshots[0].weights
    root = probe.sample_graph(trainer, 2, params=early)
    assert root.data == pytest.approx(trainer.sample_losses(params=early)[2], rel=1e-13)
    assert root.data != pytest.approx(trainer.sample_losses()[2])


@pytest.mark.parametrize("name", ["bce_with_logits", "hinge", "cross_entropy"])
def test_the_boundary_grid_equals_predictions_at_its_points(name):
    trainer = run(name)
    grid = probe.boundary(trainer, 7, extent=(-2.0, 1.0, -1.0, 3.0))
    assert grid.xs.tolist() == np.linspace(-2, 1, 7).tolist()
    assert grid.ys.tolist() == np.linspace(-1, 3, 7).tolist()
    X, Y = np.meshgrid(grid.xs, grid.ys)  # row i is y = ys[i]
    expected = trainer.predict(np.column_stack([X.ravel(), Y.ravel()]))
    outputs = grid.outputs.reshape(49, -1)
    np.testing.assert_allclose(outputs, expected.outputs, rtol=1e-12, atol=1e-14)
    np.testing.assert_array_equal(grid.classes.ravel(), expected.classes)
    if name == "hinge":
        assert grid.probabilities is None
    else:
        np.testing.assert_allclose(grid.probabilities.sum(axis=-1), 1.0)
        assert grid.probabilities.shape == (7, 7, 3 if name == "cross_entropy" else 2)


def test_the_regression_curve_and_the_default_extent():
    trainer = run("mse")
    grid = probe.boundary(trainer, 50)
    assert grid.ys is None and grid.outputs.shape == (50,)
    assert grid.extent == trainer.extent
    assert grid.xs[0] < trainer.X.min() and grid.xs[-1] > trainer.X.max()
    expected = trainer.predict(grid.xs[:, None]).outputs[:, 0]
    np.testing.assert_allclose(grid.outputs, expected, rtol=1e-12)
    assert grid.classes is None and grid.probabilities is None


def test_the_boundary_at_other_weights_and_bad_resolutions():
    trainer = run("bce_with_logits", epochs=3)
    start = trainer.snapshots[0].weights
    then, now = probe.boundary(trainer, 5, params=start), probe.boundary(trainer, 5)
    assert not np.allclose(then.outputs, now.outputs)
    X, Y = np.meshgrid(then.xs, then.ys)
    expected = trainer.predict(np.column_stack([X.ravel(), Y.ravel()]), params=start)
    np.testing.assert_allclose(then.outputs.ravel(), expected.outputs[:, 0], rtol=1e-12)
    for bad in (1, 2.5, True):
        with pytest.raises(ValueError, match="resolution"):
            probe.boundary(trainer, bad)


def test_unit_maps_are_each_units_output_over_the_plane():
    trainer = run("bce_with_logits")
    maps = probe.unit_maps(trainer, 6)
    assert [layer.shape for layer in maps.layers] == [(4, 6, 6), (3, 6, 6)]
    assert maps.outputs.shape == (1, 6, 6)
    X, Y = np.meshgrid(maps.xs, maps.ys)
    points = np.stack([X, Y], axis=-1)  # [6, 6, 2]
    (W0, b0), (W1, b1), (W2, b2) = trainer.network.unpack(trainer.weights)
    h0 = np.tanh(points @ W0.T + b0)
    h1 = np.tanh(h0 @ W1.T + b1)
    np.testing.assert_allclose(np.moveaxis(maps.layers[0], 0, -1), h0, rtol=1e-12)
    np.testing.assert_allclose(np.moveaxis(maps.layers[1], 0, -1), h1, rtol=1e-12)
    np.testing.assert_allclose(maps.outputs[0], (h1 @ W2.T + b2)[..., 0], rtol=1e-12)


def test_unit_maps_of_a_linear_model_have_no_hidden_layer():
    data, _ = RUNS["bce_with_logits"]
    trainer = Trainer(data, TrainingConfig(hidden=()))
    maps = probe.unit_maps(trainer, 4)
    assert maps.layers == [] and maps.outputs.shape == (1, 4, 4)


def test_a_points_graph_folds_by_layer_and_neuron():
    from graphviz_dl.folding import fold_level
    from graphviz_dl.graph_index import GraphIndex

    trainer = run("cross_entropy")
    index = GraphIndex(probe.sample_graph(trainer, 3))
    (network,) = index.groups.roots
    assert (network.name, network.kind) == ("MLP", "network")
    assert [s.name for s in network.children] == ["layer 1", "layer 2", "layer 3"]
    assert [len(s.children) for s in network.children] == [4, 3, 3]
    neuron = network.children[1].children[0]
    # 4 weights, the bias, the weighted sum and the activation
    assert len(neuron) == 7 and neuron.summary == "neuron 1 · 7 nodes"
    assert len(neuron.inputs) == 4 and len(neuron.outputs) == 1
    names = {index.name(p) for p in range(neuron.start, neuron.stop)}
    assert {"w[1,0,0]", "b[1,0]", "z[1,0]", "h[1,0]"} <= names
    assert len(fold_level(index.groups, "layers")) == 3
