"""The compile benchmark's training step, timed in this process several ways.

One step of an MLP(2, [h, h, 1]) with ReLU and the mean squared error on a
batch, from the SAME starting weights every way (so the losses must agree):

* the compiled per-sample graph (:class:`graphviz_dl.fast_mlp.MLPBatchStep`)
  reading its parameters from the Values, or given them as one array (as the
  training lab keeps them), or writing its gradients back to ``.grad``;
* the network typed directly in numpy as matrix products: the practical limit;
* PyTorch on the CPU, when it is installed: one thread, float64.

Each way is timed with and without the SGD update ``θ ← θ − lr·∇θ`` (torch's
``optimizer.step()``). The ways run in short alternating blocks (a few ms
each) timed in this thread's CPU time (numpy's BLAS and torch run on one
thread at these sizes), so a busy machine slows them alike; ratios are
medians of the ratios of neighbouring blocks. Imported by :mod:`.compile` in the parent only.
"""

from __future__ import annotations

import importlib.util
import itertools
import time
from collections.abc import Callable

from . import harness

# Small, so thousands of timed updates leave the weights (and the speed of
# the arithmetic) as they were.
LEARNING_RATE = 1e-6


def torch_available() -> bool:
    return importlib.util.find_spec("torch") is not None


def starting_weights(hidden: int) -> list[float]:
    """Starting weights in ``parameters()`` order, as every way (and the
    micrograd worker) starts from."""
    from .compile import _weights

    return _weights(hidden)


def _layers(hidden: int):
    """``[(W [nout, nin], b [nout])]`` per layer, as numpy arrays."""
    import numpy as np

    weights, layers, at = starting_weights(hidden), [], 0
    for nin, nout in itertools.pairwise([2, hidden, hidden, 1]):
        block = np.array(weights[at : at + nout * (nin + 1)]).reshape(nout, nin + 1)
        layers.append((block[:, :nin].copy(), block[:, nin].copy()))
        at += nout * (nin + 1)
    return layers


def numpy_step(hidden: int):
    """The MLP as matrix products, forward and backward written out by hand;
    returns ``(step, parameters)``, the arrays the gradients are for."""
    import numpy as np

    (W1, b1), (W2, b2), (W3, b3) = _layers(hidden)
    W1, W2, W3 = (np.ascontiguousarray(W.T) for W in (W1, W2, W3))

    def step(X, y):
        z1 = X @ W1 + b1
        h1 = np.maximum(z1, 0.0)
        z2 = h1 @ W2 + b2
        h2 = np.maximum(z2, 0.0)
        out = (h2 @ W3)[:, 0] + b3[0]
        err = out - y
        loss = np.mean(err * err)
        d_out = (2.0 / len(y)) * err[:, None]
        gW3, gb3 = h2.T @ d_out, d_out.sum(axis=0)
        d_z2 = (d_out @ W3.T) * (z2 > 0.0)
        gW2, gb2 = h1.T @ d_z2, d_z2.sum(axis=0)
        d_z1 = (d_z2 @ W2.T) * (z1 > 0.0)
        gW1, gb1 = X.T @ d_z1, d_z1.sum(axis=0)
        return loss, (gW1, gb1, gW2, gb2, gW3, gb3)

    return step, (W1, b1, W2, b2, W3, b3)


def compiled_step(hidden: int):
    """``(MLPBatchStep, seconds to compile it)`` from the starting weights."""
    from graphviz_dl.bench.mlp_batch import MLPBatchStep
    from graphviz_dl.nn import MLP

    model = MLP(2, [hidden, hidden, 1], "relu")
    for p, w in zip(model.parameters(), starting_weights(hidden), strict=True):
        p.data = w
    start = time.perf_counter()
    step = MLPBatchStep(model, "mse")
    return step, time.perf_counter() - start


def torch_step(hidden: int, X, y):
    """``(step, update)``: a torch step (zero_grad, forward, loss, backward) and
    ``optimizer.step()``, on one thread in float64, from the starting weights."""
    import torch

    torch.set_num_threads(1)
    sizes = [2, hidden, hidden, 1]
    linears = [
        torch.nn.Linear(a, b, dtype=torch.float64) for a, b in itertools.pairwise(sizes)
    ]
    with torch.no_grad():
        for linear, (W, b) in zip(linears, _layers(hidden), strict=True):
            linear.weight.copy_(torch.from_numpy(W))
            linear.bias.copy_(torch.from_numpy(b))
    model = torch.nn.Sequential(
        linears[0], torch.nn.ReLU(), linears[1], torch.nn.ReLU(), linears[2]
    )
    optimizer = torch.optim.SGD(model.parameters(), lr=LEARNING_RATE)
    Xt, yt = torch.from_numpy(X), torch.from_numpy(y)

    def step():
        optimizer.zero_grad()
        loss = torch.mean((model(Xt)[:, 0] - yt) ** 2)
        loss.backward()
        return loss

    return step, optimizer.step


def per_call(f: Callable[[], object], seconds: float = 0.005) -> float:
    """CPU seconds per call of ``f`` (this thread's, so other processes on a
    shared machine do not count), timed over a block of about ``seconds``."""
    f()
    count = 1
    while True:
        start = time.thread_time()
        for _ in range(count):
            f()
        elapsed = time.thread_time() - start
        if elapsed >= seconds:
            return elapsed / count
        count *= 2


def measure(points: int, hidden: int, blocks: int) -> dict:
    """Every way's seconds per step, block by block, and what each computed."""
    import numpy as np

    xs, ys = harness.xor_points(points)
    X, y = np.array(xs), np.array(ys)
    by_numpy, arrays = numpy_step(hidden)
    compiled, compile_seconds = compiled_step(hidden)
    theta = np.array(starting_weights(hidden))
    lr = LEARNING_RATE

    loss, grads = compiled.loss_and_grads(X, y)
    numpy_loss, parts = by_numpy(X, y)
    flat = np.concatenate(
        [
            np.column_stack([gW.T, gb]).ravel()
            for gW, gb in zip(parts[0::2], parts[1::2])
        ]
    )
    found = {
        "compile": compile_seconds,
        "loss": loss,
        "numpy_loss": float(numpy_loss),
        "grad_gap": float(np.max(np.abs(flat - grads))),
        "summary": compiled.program.summary(),
    }

    def numpy_update():
        _, gradients = by_numpy(X, y)
        for array, gradient in zip(arrays, gradients, strict=True):
            array -= lr * gradient.reshape(array.shape)

    def array_update():
        _, gradients = compiled.loss_and_grads(X, y, theta)
        theta.__isub__(lr * gradients)

    ways: dict[str, Callable[[], object]] = {
        "numpy": lambda: by_numpy(X, y),
        "compiled": lambda: compiled.loss_and_grads(X, y),
        "array": lambda: compiled.loss_and_grads(X, y, theta),
        "write": lambda: compiled.write_grads(compiled.loss_and_grads(X, y)[1]),
        "numpy+update": numpy_update,
        "array+update": array_update,
    }
    if torch_available():
        step, update = torch_step(hidden, X, y)
        found["torch_loss"] = float(step().item())

        def torch_update():
            step()
            update()

        ways["torch"] = step
        ways["torch+update"] = torch_update
    timings: dict[str, list[float]] = {way: [] for way in ways}
    for _ in range(blocks):
        for way, f in ways.items():
            timings[way].append(per_call(f))
    found["timings"] = timings
    return found
