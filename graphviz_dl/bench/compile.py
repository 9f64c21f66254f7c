"""The compile benchmark: one graph run as Values, compiled, and as hand-written numpy.

Run it with ``graphviz-dl bench compile`` or ``python -m graphviz_dl.bench.compile``
(``--quick`` for small sizes). What is measured:

1. one full training step (forward, mean squared error, backward) of an
   MLP(2, [16, 16, 1]) with ReLU on 100 points, four ways, all from the SAME
   weights (so the four losses must agree):

   * micrograd 0.1.0, and our scalar engine: each in fresh processes
     (started by path, alternating), building the graph of the whole batch;
   * the compiled per-sample graph (:class:`graphviz_dl.bench.mlp_batch.MLPBatchStep`)
     run for the whole batch at once, with and without writing the gradients
     back into the parameters' ``.grad``;
   * the same network typed directly in numpy as matrix products: the
     practical limit.

   Targets: compiled ≤ 3× the numpy step; compiled ≥ 500× faster than micrograd.
2. a 400×400 loss surface over two leaves of two 500-node graphs, forward
   only (target ≤ 100 ms), next to the naive replay (the op table's numpy
   forward called once per node on whole arrays), and with gradients by
   reverse and by forward mode:

   * the loss of a tanh MLP(2, [8, 8, 1]) on 10 points, over two of its first
     layer's weights (the graph a person draws a loss surface for);
   * a random mix of the op table's cheap and costly ops over x and y where
     almost every node depends on both (little to share, little to group).

Figures are medians of repeated runs; the compiled and numpy steps are timed
in short alternating blocks (a few ms each), and their ratio is the median of
the ratios of neighbouring blocks, so a busy machine slows both alike.

This module imports only the standard library at the top: its micrograd
worker never loads numpy or graphviz_dl.
"""

from __future__ import annotations

import itertools
import random
import statistics
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass

if __package__:
    from . import harness
    from .harness import format_seconds as _time
    from .harness import median_seconds, progress
else:  # a worker started by path: graphviz_dl itself is never loaded
    import harness
    from harness import format_seconds as _time
    from harness import median_seconds, progress

STEP_RATIO_TARGET = 3.0  # compiled ÷ hand-written numpy, at most
SPEEDUP_TARGET = 500.0  # micrograd ÷ compiled, at least
SURFACE_TARGET = 0.1  # seconds for a 400×400 surface, at most
SEED = 0


@dataclass(frozen=True)
class Sizes:
    points: int
    hidden: int
    steps: int  # scalar training steps per process
    runs: int  # fresh processes per scalar engine
    blocks: int  # alternating timing blocks of the compiled and numpy steps
    grid: int
    graph_nodes: int
    surface_repeats: int


FULL = Sizes(
    points=100,
    hidden=16,
    steps=5,
    runs=3,
    blocks=60,
    grid=400,
    graph_nodes=500,
    surface_repeats=7,
)
QUICK = Sizes(
    points=8,
    hidden=4,
    steps=2,
    runs=1,
    blocks=3,
    grid=40,
    graph_nodes=60,
    surface_repeats=2,
)


# --- shared inputs: the same points and weights for every engine ----------------------


_points = harness.xor_points


def _weights(hidden: int) -> list[float]:
    """Starting weights in ``parameters()`` order (micrograd's order too)."""
    rng = random.Random(SEED)
    sizes = [2, hidden, hidden, 1]
    weights = []
    for nin, nout in itertools.pairwise(sizes):
        for _ in range(nout):
            weights += [rng.uniform(-1.0, 1.0) for _ in range(nin)] + [0.0]
    return weights


# --- scalar engines, one fresh process per run --------------------------------------


def _scalar_steps(engine: str, points: int, hidden: int, steps: int) -> dict:
    """Time ``steps`` full steps: build the batch's loss, zero the grads, backward."""
    xs, ys = _points(points)
    if engine == "micrograd":
        from micrograd.nn import MLP

        model = MLP(2, [hidden, hidden, 1])

        def batch_loss():
            total = sum((model(x) - y) ** 2 for x, y in zip(xs, ys))
            return total * (1.0 / len(xs))
    else:
        from graphviz_dl import losses
        from graphviz_dl.nn import MLP

        model = MLP(2, [hidden, hidden, 1], "relu")

        def batch_loss():
            return losses.mse([model(x) for x in xs], ys)

    for p, w in zip(model.parameters(), _weights(hidden), strict=True):
        p.data = w
    return harness.timed_steps(model, batch_loss, steps)


def _worker(spec_json: str) -> None:
    harness.answer_worker(spec_json, lambda spec: _scalar_steps(**spec))


def _measure(engine: str, sizes: Sizes) -> dict:
    """One fresh interpreter, started by path, running ``sizes.steps`` steps."""
    spec = {
        "engine": engine,
        "points": sizes.points,
        "hidden": sizes.hidden,
        "steps": sizes.steps,
    }
    return harness.run_worker(__file__, spec)


def _scalar_engines(sizes: Sizes) -> harness.Samples:
    """Step times and final loss of each scalar engine, runs alternating."""
    engines = ["ours", "micrograd"] if harness.micrograd_available() else ["ours"]
    return harness.interleaved(
        lambda engine: _measure(engine, sizes), engines, sizes.runs
    )


# --- the compiled step and the numpy step, in this process -----------------------------


def _numpy_step(hidden: int):
    """The MLP as matrix products, forward and backward written out by hand."""
    import numpy as np

    weights = _weights(hidden)
    sizes = [2, hidden, hidden, 1]
    Ws, bs, at = [], [], 0
    for nin, nout in itertools.pairwise(sizes):
        block = np.array(weights[at : at + nout * (nin + 1)]).reshape(nout, nin + 1)
        Ws.append(np.ascontiguousarray(block[:, :nin].T))
        bs.append(block[:, nin].copy())
        at += nout * (nin + 1)
    W1, W2, W3 = Ws
    b1, b2, b3 = bs

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

    return step


def _compiled_step(hidden: int):
    from graphviz_dl.bench.mlp_batch import MLPBatchStep
    from graphviz_dl.nn import MLP

    model = MLP(2, [hidden, hidden, 1], "relu")
    for p, w in zip(model.parameters(), _weights(hidden), strict=True):
        p.data = w
    start = time.perf_counter()
    step = MLPBatchStep(model, "mse")
    return step, time.perf_counter() - start


def _per_call(f: Callable[[], object], seconds: float = 0.005) -> float:
    """Seconds per call of ``f``, timed over a block of about ``seconds``."""
    f()
    count = 1
    while True:
        start = time.perf_counter()
        for _ in range(count):
            f()
        elapsed = time.perf_counter() - start
        if elapsed >= seconds:
            return elapsed / count
        count *= 2


def _vectorized(sizes: Sizes) -> dict:
    import numpy as np

    xs, ys = _points(sizes.points)
    X, y = np.array(xs), np.array(ys)
    numpy_step = _numpy_step(sizes.hidden)
    compiled, compile_seconds = _compiled_step(sizes.hidden)

    def with_grads():
        compiled.write_grads(compiled.loss_and_grads(X, y)[1])

    timings: dict[str, list[float]] = {"numpy": [], "compiled": [], "write": []}
    for _ in range(sizes.blocks):
        timings["numpy"].append(_per_call(lambda: numpy_step(X, y)))
        timings["compiled"].append(_per_call(lambda: compiled.loss_and_grads(X, y)))
        timings["write"].append(_per_call(with_grads))
    loss, grads = compiled.loss_and_grads(X, y)
    numpy_loss, parts = numpy_step(X, y)
    flat = np.concatenate(
        [
            np.column_stack([gW.T, gb]).ravel()
            for gW, gb in zip(parts[0::2], parts[1::2])
        ]
    )
    return {
        "timings": timings,
        "compile": compile_seconds,
        "loss": loss,
        "numpy_loss": float(numpy_loss),
        "grad_gap": float(np.max(np.abs(flat - grads))),
        "summary": compiled.program.summary(),
    }


# --- surfaces ----------------------------------------------------------------------------


def mlp_loss_graph(points: int = 10, hidden: int = 8):
    """The mean squared error of a tanh MLP on ``points`` points, and two weights."""
    from graphviz_dl import losses
    from graphviz_dl.nn import MLP

    xs, ys = _points(points)
    model = MLP(2, [hidden, hidden, 1], "tanh", seed=SEED)
    loss = losses.mse([model(x) for x in xs], ys)
    w = model.layers[0].neurons[0].w
    return loss, w[0], w[1]


def random_graph(nodes: int = 500, seed: int = SEED):
    """About ``nodes`` nodes drawn from the op table over x, y and a few constants.

    Each new node takes a recent node as operand (so the graph is deep) and
    sometimes an older one or a constant; bounded ops keep the values finite.
    Every node is used: the output sums the nodes nothing else reads.
    """
    from graphviz_dl.engine import Value, apply
    from graphviz_dl.ops import OPS

    rng = random.Random(seed)
    x, y = Value(0.3, label="x"), Value(-0.2, label="y")
    constants = [
        Value(rng.uniform(-1.0, 1.0), label=f"c{i}") for i in range(nodes // 16)
    ]
    made = [x, y]
    unread = {x, y}
    unary = ["tanh", "sin", "sigmoid", "relu", "neg", "abs", "cos", "gelu", "exp"]
    binary = ["add", "mul", "sub", "add", "mul", "max", "min"]
    count = 2 + len(constants) + 1  # the leaves and the final sum
    while count < nodes:
        a = made[-1 - min(int(rng.expovariate(0.15)), len(made) - 1)]
        if rng.random() < 0.35:
            name = rng.choice(unary)
            if name == "exp":  # e^sin(a): bounded
                a = a.sin()
                made.append(a)
                count += 1
            node = apply(OPS[name], a)
            unread.discard(a)
        else:
            b = rng.choice(constants) if rng.random() < 0.3 else rng.choice(made)
            node = apply(OPS[rng.choice(binary)], a, b)
            unread.discard(a)
            unread.discard(b)
        made.append(node)
        unread.add(node)
        count += 1
    return Value.sum([v for v in made if v in unread]), x, y


def _median_seconds(f: Callable[[], object], repeats: int) -> float:
    return median_seconds(f, repeats, warm_up=True)


def _per_node_replay(root, inputs: dict):
    """The naive replay: one numpy call per node, each on its whole array
    (broadcasting keeps a node of x alone at x's shape)."""
    import numpy as np

    from graphviz_dl.engine import topological_order

    order = topological_order(root)
    index = {node: i for i, node in enumerate(order)}
    parents = [[index[p] for p in node.parents] for node in order]

    def replay():
        values = []
        with np.errstate(all="ignore"):
            for node, ps in zip(order, parents):
                if node.op is None:
                    values.append(inputs.get(node, node.data))
                else:
                    values.append(node.op.np_forward(*(values[p] for p in ps)))
        return values[-1]

    return replay


def _surface(build: Callable[[], tuple], sizes: Sizes) -> dict:
    import numpy as np

    from graphviz_dl.compiled import compile_graph
    from graphviz_dl.engine import topological_order
    from graphviz_dl.surfaces import graph_surface

    root, a, b = build()
    start = time.perf_counter()
    program = compile_graph(root, [a, b])
    compile_seconds = time.perf_counter() - start
    axis = np.linspace(-2.0, 2.0, sizes.grid)
    A, B = axis[:, None], axis[None, :]
    replay = _per_node_replay(root, {a: A, b: B})
    gap = np.nanmax(
        np.abs(
            np.broadcast_to(replay(), program.forward(A, B).shape)
            - program.forward(A, B)
        )
    )
    repeats = sizes.surface_repeats
    timings: dict[str, list[float]] = {"forward": [], "replay": []}
    for _ in range(repeats):  # alternating, so load on the machine hits both
        timings["forward"].append(_median_seconds(lambda: program.forward(A, B), 1))
        timings["replay"].append(_median_seconds(replay, 1))
    return {
        "nodes": len(topological_order(root)),
        "summary": program.summary(),
        "compile": compile_seconds,
        "forward": statistics.median(timings["forward"]),
        "replay": statistics.median(timings["replay"]),
        "gap": float(gap),
        "reverse": _median_seconds(lambda: program.value_and_grad(A, B), repeats),
        "forward_mode": _median_seconds(
            lambda: program.value_and_grad(A, B, mode="forward"), repeats
        ),
        **_as_surface(graph_surface(root, a, b), sizes),
    }


def _as_surface(surface, sizes: Sizes) -> dict:
    """The same graph as the optimizer lab sees it: a grid through
    :meth:`Surface.grid`, and one race step's value and gradient at a point."""
    n = sizes.grid
    x, y = surface.start
    return {
        "surface_grid": _median_seconds(
            lambda: surface.grid(n, n), sizes.surface_repeats
        ),
        "surface_point": _median_seconds(
            lambda: surface.value_and_grad(x, y), 20 * sizes.surface_repeats
        ),
    }


# --- the report ----------------------------------------------------------------------------


def _ratio(x: float | None) -> str:
    from graphviz_dl.numfmt import format_number

    return "—" if x is None else f"{format_number(x, 3)}×"


def _verdict(met: bool | None) -> str:
    return "" if met is None else ("met" if met else "MISSED")


def run(quick: bool = False) -> None:
    """Measure, then print medians, ratios and whether each target is met."""
    from graphviz_dl.numfmt import format_number

    sizes = QUICK if quick else FULL
    net = f"MLP(2, [{sizes.hidden}, {sizes.hidden}, 1])"
    print(f"Compile benchmark{' (quick sizes)' if quick else ''}: one graph, four ways")
    print(f"Python {sys.version.split()[0]}; medians of repeated runs.\n", flush=True)

    progress(f"scalar training steps ({net}, {sizes.points} points), fresh processes")
    scalar = _scalar_engines(sizes)
    progress("compiled and numpy steps, alternating")
    fast = _vectorized(sizes)

    timings = fast["timings"]
    numpy_t = statistics.median(timings["numpy"])
    compiled_t = statistics.median(timings["compiled"])
    write_t = statistics.median(timings["write"])
    paired = {  # each block against the numpy block timed next to it
        way: statistics.median(t / n for t, n in zip(timings[way], timings["numpy"]))
        for way in ("compiled", "write")
    }
    ours_t = scalar.median("ours", "step")
    micro_t = scalar.median("micrograd", "step")

    print(
        f"1. One training step (forward, mean squared error, backward), {net}, "
        f"{sizes.points} points"
    )
    rows = [["way", "median", "÷ numpy", "micrograd ÷ this", "target"]]

    def step_row(name, t, target_text="", over_numpy=None):
        rows.append(
            [
                name,
                _time(t),
                _ratio(over_numpy or (t / numpy_t if t else None)),
                _ratio(micro_t / t if micro_t and t else None),
                target_text,
            ]
        )

    step_row("micrograd 0.1.0 (whole-batch graph)", micro_t)
    step_row("our scalar engine (whole-batch graph)", ours_t)
    ratio = paired["compiled"]
    speedup = micro_t / compiled_t if micro_t else None
    step_row(
        "compiled per-sample graph (gradients as an array)",
        compiled_t,
        f"≤ {format_number(STEP_RATIO_TARGET)}× numpy {_verdict(ratio <= STEP_RATIO_TARGET)}; "
        f"≥ {format_number(SPEEDUP_TARGET)}× micrograd "
        f"{_verdict(None if speedup is None else speedup >= SPEEDUP_TARGET)}",
        ratio,
    )
    step_row("compiled, gradients written to .grad", write_t, "", paired["write"])
    step_row("hand-written numpy (matrix form)", numpy_t)
    harness.print_table(rows)
    for name, error in scalar.errors.items():
        print(f"  {name} failed: {error}")
    summary = fast["summary"]
    print(
        f"  compiled once in {_time(fast['compile'])}: {summary['nodes']} nodes, "
        f"{summary['batched_nodes']} per sample in {summary['groups']} numpy groups "
        f"over {summary['levels']} levels"
    )
    losses = {
        "micrograd": scalar.last("micrograd", "loss"),
        "scalar": scalar.last("ours", "loss"),
        "compiled": fast["loss"],
        "numpy": fast["numpy_loss"],
    }
    print(
        "  loss from the same weights: "
        + ", ".join(
            f"{k} {format_number(v, 15)}" for k, v in losses.items() if v is not None
        )
        + f"; largest gradient gap compiled vs numpy {format_number(fast['grad_gap'], 2)}"
    )

    print(
        f"\n2. A {sizes.grid}×{sizes.grid} surface over two leaves "
        f"(target for the output alone: ≤ {_time(SURFACE_TARGET)})"
    )
    rows = [
        [
            "graph",
            "nodes",
            "groups",
            "compile",
            "output",
            "per-node replay",
            "largest gap",
            "+ gradients (reverse)",
            "+ gradients (forward mode)",
            "as a Surface",
            "one race point",
            "target",
        ]
    ]
    graphs = {
        "loss of a tanh MLP(2, [8, 8, 1]) on 10 points": (
            lambda: mlp_loss_graph(10 if not quick else 2, 8 if not quick else 3)
        ),
        "random mix of op-table ops": lambda: random_graph(sizes.graph_nodes),
    }
    for name, build in graphs.items():
        progress(f"surface: {name}")
        found = _surface(build, sizes)
        rows.append(
            [
                name,
                str(found["nodes"]),
                f"{found['summary']['groups']} for {found['summary']['batched_nodes']}",
                _time(found["compile"]),
                _time(found["forward"]),
                _time(found["replay"]),
                format_number(found["gap"], 2),
                _time(found["reverse"]),
                _time(found["forward_mode"]),
                _time(found["surface_grid"]),
                _time(found["surface_point"]),
                _verdict(found["forward"] <= SURFACE_TARGET) if not quick else "",
            ]
        )
    harness.print_table(rows)
    print(
        "  output: the compiled program's values on the grid; per-node replay: the same "
        "op table, one numpy call per node on whole arrays (no grouping); gradients "
        "are d(output)/d(each of the two leaves) at every grid point; as a Surface: "
        "the grid the optimizer lab draws (graph_surface, the other leaves fixed); "
        "one race point: the value and gradient an optimizer asks for per step"
    )


def main(argv: list[str] | None = None) -> int:
    return harness.main(
        argv,
        "python -m graphviz_dl.bench.compile",
        run,
        description="a graph as Values, compiled, and as hand-written numpy",
        worker=_worker,
    )


if __name__ == "__main__":
    harness.entry_point(main, __file__)
