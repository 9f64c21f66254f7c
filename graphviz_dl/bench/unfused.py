"""Unfused workloads: graphs written op by op, the way people write them.

Each function takes an engine's ``Value`` class and runs the SAME Python code
on it, so the only difference between two engines' figures is the engine.
They run inside a worker process of :mod:`.engine` (started by path), so this
module imports only the standard library.

* micrograd's README expression, built and backpropagated many times;
* an MLP written op by op, ``sum((w * x for …), b)`` as micrograd's ``Neuron``
  does (no fused ``linear`` node), forward and backward over a batch;
* a long chain cycling through ``*``, ``+`` and ``relu`` (numbers as operands);
* a long sum built with ``+`` in a loop (an n-deep chain of additions).
"""

from __future__ import annotations

import itertools
import random
import time

# Factors that keep a 100,000-op chain positive and finite: relu passes it all.
CHAIN_MUL = 1.000001
CHAIN_ADD = 0.001
SEED = 0
clock = time.process_time  # CPU seconds: other processes on the machine do not count


def readme_expression(Value):
    """micrograd's README example; returns ``(g, a, b)`` after ``g.backward()``
    (g = 24.7041, dg/da = 138.8338, dg/db = 645.5773)."""
    a = Value(-4.0)
    b = Value(2.0)
    c = a + b
    d = a * b + b**3
    c += c + 1
    c += 1 + c + (-a)
    d += d * 2 + (b + a).relu()
    d += 3 * d + (b - a).relu()
    e = c - d
    f = e**2
    g = f / 2.0
    g += 10.0 / f
    g.backward()
    return g, a, b


def readme(Value, repeats: int) -> dict:
    """Seconds to build and backpropagate the README expression ``repeats`` times."""
    start = clock()
    for _ in range(repeats):
        readme_expression(Value)
    seconds = clock() - start
    g, a, b = readme_expression(Value)
    check = f"{g.data:.10g}, {a.grad:.10g}, {b.grad:.10g}"
    return {"readme": [seconds], "check": check}


class OpByOpMLP:
    """An MLP whose neurons are ``relu(sum((w * x for …), b))`` (last layer
    linear): micrograd's ``Neuron``, written once for any ``Value`` class.
    Weights are U(−1, 1) from a fixed seed, biases 0, in micrograd's order."""

    def __init__(self, Value, sizes: list[int], seed: int = SEED) -> None:
        rng = random.Random(seed)
        self.layers = []
        for nin, nout in itertools.pairwise(sizes):
            layer = []
            for _ in range(nout):
                w = [Value(rng.uniform(-1.0, 1.0)) for _ in range(nin)]
                layer.append((w, Value(0.0)))
            self.layers.append(layer)

    def parameters(self) -> list:
        return [p for layer in self.layers for w, b in layer for p in (*w, b)]

    def __call__(self, x: list):
        last = len(self.layers) - 1
        for i, layer in enumerate(self.layers):
            outs = []
            for w, b in layer:
                act = sum((wi * xi for wi, xi in zip(w, x)), b)
                outs.append(act if i == last else act.relu())
            x = outs
        return x[0]


def mlp(Value, points: int, hidden: int, steps: int) -> dict:
    """Seconds of each forward + backward of an op-by-op MLP 2-h-h-1 over
    ``points`` points (summed squared error; grads zeroed first, no update)."""
    rng = random.Random(1)
    xs = [[rng.uniform(-2.0, 2.0), rng.uniform(-2.0, 2.0)] for _ in range(points)]
    ys = [1.0 if x[0] * x[1] > 0 else -1.0 for x in xs]
    model = OpByOpMLP(Value, [2, hidden, hidden, 1])
    params = model.parameters()
    times = []
    for _ in range(steps):
        start = clock()
        loss = sum((model(x) - y) ** 2 for x, y in zip(xs, ys))
        for p in params:
            p.grad = 0.0
        loss.backward()
        times.append(clock() - start)
    return {"mlp": times, "loss": float(loss.data), "grad0": float(params[0].grad)}


def build_chain(Value, n: int):
    """``n`` ops cycling ``y * c``, ``y + k``, ``relu(y)``, from a leaf x."""
    x = Value(0.5)
    y = x
    for i in range(n):
        step = i % 3
        if step == 0:
            y = y * CHAIN_MUL
        elif step == 1:
            y = y + CHAIN_ADD
        else:
            y = y.relu()
    return y, x


def chain(Value, n: int) -> dict:
    """Seconds to build the mixed chain and to backpropagate through it."""
    start = clock()
    y, x = build_chain(Value, n)
    built = clock()
    y.backward()
    done = clock()
    return {
        "build": [built - start],
        "backward": [done - built],
        "total": [done - start],
        "grad": float(x.grad),
    }


def plus_loop(Value, n: int) -> dict:
    """Seconds to add ``n`` leaves with ``+`` in a loop, then backpropagate."""
    leaves = [Value(float(i % 7)) for i in range(n)]
    start = clock()
    total = leaves[0]
    for term in leaves[1:]:
        total = total + term
    total.backward()
    seconds = clock() - start
    return {"total": [seconds], "grad": float(leaves[0].grad)}
