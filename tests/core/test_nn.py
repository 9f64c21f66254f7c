"""Neuron, Layer and MLP: structure, labels, initialization and gradients."""

from __future__ import annotations

import math
import random
import statistics

import pytest

from graphviz_dl import Value
from graphviz_dl.engine import topological_order
from graphviz_dl.nn import INITS, MLP, Layer, Neuron


def _squared_error(model: MLP, xs, ys) -> Value:
    return Value.sum([(model(x) - y) ** 2 for x, y in zip(xs, ys)])


def test_neuron_is_one_fused_node_then_its_activation():
    neuron = Neuron(3, "tanh", rng=random.Random(0))
    out = neuron([1.0, 2.0, 3.0])
    assert out.op.name == "tanh"
    (z,) = out.parents
    assert z.op.name == "linear"
    assert len(z.parents) == 7  # w1, x1, w2, x2, w3, x3, b
    expected = sum(w.data * x for w, x in zip(neuron.w, [1.0, 2.0, 3.0]))
    assert out.data == pytest.approx(math.tanh(expected + neuron.b.data))


@pytest.mark.parametrize(
    ("activation", "f"),
    [
        ("relu", lambda z: max(z, 0.0)),
        ("tanh", math.tanh),
        ("sigmoid", lambda z: 1 / (1 + math.exp(-z))),
        ("leaky_relu", lambda z: z if z > 0 else 0.01 * z),
        ("gelu", lambda z: 0.5 * z * (1 + math.erf(z / math.sqrt(2)))),
        ("linear", lambda z: z),
    ],
)
def test_each_activation_is_applied_to_the_weighted_sum(activation, f):
    neuron = Neuron(2, activation, rng=random.Random(3))
    neuron.b.data = 0.25
    for x in ([0.5, -1.5], [-2.0, 0.25]):
        z = neuron.w[0].data * x[0] + neuron.w[1].data * x[1] + 0.25
        out = neuron(x)
        assert out.data == pytest.approx(f(z), abs=1e-15)
        assert out.op.name == ("linear" if activation == "linear" else activation)


def test_parameters_are_in_micrograds_order_with_readable_labels():
    model = MLP(2, [3, 1], seed=0)
    labels = [p.label for p in model.parameters()]
    assert labels == [
        "w[0,0,0]", "w[0,0,1]", "b[0,0]",
        "w[0,1,0]", "w[0,1,1]", "b[0,1]",
        "w[0,2,0]", "w[0,2,1]", "b[0,2]",
        "w[1,0,0]", "w[1,0,1]", "w[1,0,2]", "b[1,0]",
    ]  # fmt: skip
    assert model.layers[1].neurons[0].w[2].label == "w[1,0,2]"
    assert Neuron(2, rng=random.Random(0)).b.label == "b"


def test_mlp_matches_micrograd_weight_for_weight_and_gradient_for_gradient():
    micrograd_nn = pytest.importorskip("micrograd.nn")
    random.seed(7)
    theirs = micrograd_nn.MLP(2, [4, 4, 1])
    ours = MLP(2, [4, 4, 1], seed=7)
    assert [p.data for p in ours.parameters()] == [p.data for p in theirs.parameters()]
    xs = [[0.5, -1.0], [2.0, 0.3], [-0.7, -0.2]]
    ys = [1.0, -1.0, 0.5]
    loss = _squared_error(ours, xs, ys)
    their_loss = sum((theirs(x) - y) ** 2 for x, y in zip(xs, ys))
    loss.backward()
    their_loss.backward()
    assert loss.data == pytest.approx(their_loss.data, rel=1e-12)
    for p, q in zip(ours.parameters(), theirs.parameters()):
        assert p.grad == pytest.approx(q.grad, rel=1e-9, abs=1e-12)


def test_gradients_match_central_finite_differences():
    model = MLP(3, [4, 3, 1], "tanh", seed=11, init="xavier")
    xs = [[0.3, -0.8, 1.2], [-1.1, 0.4, 0.05], [0.9, 0.9, -0.6]]
    ys = [0.5, -0.25, 1.0]
    loss = _squared_error(model, xs, ys)
    model.zero_grad()
    loss.backward()
    h = 1e-6
    for p in model.parameters():
        original = p.data
        p.data = original + h
        up = _squared_error(model, xs, ys).data
        p.data = original - h
        down = _squared_error(model, xs, ys).data
        p.data = original
        assert p.grad == pytest.approx((up - down) / (2 * h), rel=1e-6, abs=1e-8)


def test_a_tiny_network_worked_by_hand():
    # One ReLU neuron feeding a linear output: y = v·relu(w·x + b) + c.
    model = MLP(1, [1, 1], seed=0)
    (w, b), (v, c) = (n.parameters() for layer in model.layers for n in layer.neurons)
    w.data, b.data, v.data, c.data = 2.0, -1.0, 3.0, 0.5
    y = model([1.5])  # relu(2·1.5 − 1) = 2, then 3·2 + 0.5
    assert y.data == 6.5
    y.backward()
    assert (w.grad, b.grad, v.grad, c.grad) == (3.0 * 1.5, 3.0, 2.0, 1.0)
    y = model([0.25])  # relu(−0.5) = 0: no gradient reaches w and b
    model.zero_grad()
    y.backward()
    assert (w.grad, b.grad, v.grad, c.grad) == (0.0, 0.0, 0.0, 1.0)


def test_inputs_become_one_leaf_each_shared_by_every_neuron():
    model = MLP(2, [3, 1], seed=0)
    order = topological_order(model([0.5, -0.5]))
    leaves = [v for v in order if v.is_leaf]
    # 13 parameters and 2 inputs; 3 linear + 3 relu + 1 linear output node
    assert len(leaves) == 15
    assert len(order) == 15 + 7


def test_call_returns_a_value_for_one_output_and_a_list_otherwise():
    assert isinstance(MLP(2, [3, 1], seed=0)([1.0, 2.0]), Value)
    outs = MLP(2, [3, 2], seed=0)([1.0, 2.0])
    assert isinstance(outs, list) and len(outs) == 2
    layer_out = Layer(2, 1, rng=random.Random(0))([1.0, 2.0])
    assert isinstance(layer_out, list) and len(layer_out) == 1


def test_last_layer_is_linear_and_hidden_layers_use_the_activation():
    model = MLP(2, [3, 3, 2], "gelu", seed=0)
    kinds = [layer.neurons[0].activation for layer in model.layers]
    assert kinds == ["gelu", "gelu", "linear"]


def test_zero_grad_resets_every_parameter():
    model = MLP(2, [3, 1], seed=0)
    model([1.0, -2.0]).backward()
    assert any(p.grad != 0.0 for p in model.parameters())
    model.zero_grad()
    assert all(p.grad == 0.0 for p in model.parameters())


def test_seed_makes_initialization_reproducible():
    for init in INITS:
        a = [p.data for p in MLP(3, [5, 2], seed=4, init=init).parameters()]
        b = [p.data for p in MLP(3, [5, 2], seed=4, init=init).parameters()]
        c = [p.data for p in MLP(3, [5, 2], seed=5, init=init).parameters()]
        assert a == b
        assert a != c


def test_initializations_have_their_documented_spread():
    uniform = Layer(50, 40, rng=random.Random(1))
    xavier = Layer(50, 40, rng=random.Random(1), init="xavier")
    he = Layer(50, 40, rng=random.Random(1), init="he")

    def weights(layer):
        return [w.data for n in layer.neurons for w in n.w]

    assert all(-1.0 <= w <= 1.0 for w in weights(uniform))
    limit = math.sqrt(6 / (50 + 40))
    assert all(-limit <= w <= limit for w in weights(xavier))
    assert max(map(abs, weights(xavier))) > 0.95 * limit
    # 2,000 draws: the sample spread is within a few percent of the target
    assert statistics.pstdev(weights(he)) == pytest.approx(math.sqrt(2 / 50), rel=0.06)
    assert statistics.pstdev(weights(uniform)) == pytest.approx(
        1 / math.sqrt(3), rel=0.06
    )
    for layer in (uniform, xavier, he):
        assert all(n.b.data == 0.0 for n in layer.neurons)


def test_training_with_sgd_lowers_the_loss():
    model = MLP(2, [8, 1], "tanh", seed=2, init="xavier")
    xs = [[x / 4, (x * 7 % 5) / 4] for x in range(12)]
    ys = [x[0] - 2 * x[1] for x in xs]
    losses = []
    for _ in range(30):
        loss = _squared_error(model, xs, ys)
        model.zero_grad()
        loss.backward()
        for p in model.parameters():
            p.data -= 0.01 * p.grad
        losses.append(loss.data)
    assert losses[-1] < 0.2 * losses[0]


@pytest.mark.parametrize(
    ("make", "message"),
    [
        (lambda: Neuron(2, "swish"), "unknown activation 'swish'"),
        (lambda: MLP(2, [3, 1], init="orthogonal"), "unknown initialization"),
        (lambda: MLP(0, [3, 1]), "number of inputs"),
        (lambda: MLP(2, []), "at least one layer"),
        (lambda: Layer(2, 0), "number of outputs"),
        (lambda: MLP(2, [3, 1], seed=0)([1.0]), "takes 2 inputs, got 1"),
    ],
)
def test_mistakes_get_clear_messages(make, message):
    with pytest.raises(ValueError, match=message):
        make()
