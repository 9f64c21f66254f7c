"""The compile benchmark's second part: loss surfaces over two leaves of a graph.

A 400×400 grid over two leaves of two 500-node graphs, forward only (target
≤ 100 ms), next to the naive replay (the op table's numpy forward called once
per node on whole arrays), and with gradients by reverse and by forward mode:

* the loss of a tanh MLP(2, [8, 8, 1]) on 10 points, over two of its first
  layer's weights (the graph a person draws a loss surface for);
* a random mix of the op table's cheap and costly ops over x and y where
  almost every node depends on both (little to share, little to group).

Imported by :mod:`.compile` in the parent process only.
"""

from __future__ import annotations

import random
import statistics
import time
from collections.abc import Callable

from . import harness
from .harness import format_seconds as _time
from .harness import median_seconds, progress

SURFACE_TARGET = 0.1  # seconds for a 400×400 surface, at most
SEED = 0
_points = harness.xor_points


def _verdict(met: bool | None) -> str:
    return "" if met is None else ("met" if met else "MISSED")


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


def _surface(build: Callable[[], tuple], sizes) -> dict:
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


def _as_surface(surface, sizes) -> dict:
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


def print_surfaces(sizes, quick: bool) -> None:
    """Measure both graphs' surfaces and print their table."""
    from graphviz_dl.numfmt import format_number

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
