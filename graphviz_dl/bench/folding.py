"""Folding a big grouped graph: ``graphviz-dl bench folding [--quick]``.

An MLP-like graph written op by op (every neuron ``tanh(b + Σ w·x)`` as
products and sums, in network ▸ layer ▸ neuron groups) of about 100,000 nodes
is indexed, folded to layers and laid out; the figures are printed beside the
index of the same graph with its groups ignored (today's plain order), so the
cost of keeping groups contiguous reads as a ratio. Target: index + fold +
layout well under 5 s.
"""

from __future__ import annotations

import random
import statistics
import time
from collections.abc import Callable

from .. import groups
from ..engine import Value
from ..groups import group

FULL_NODES = 100_000
QUICK_NODES = 3_000
WIDTH = 64  # neurons per layer, and inputs of the first
QUICK_WIDTH = 12


def grouped_mlp(nodes: int, width: int = WIDTH, seed: int = 0) -> Value:
    """About ``nodes`` nodes: layers of ``width`` op-by-op tanh neurons, summed."""
    rng = random.Random(seed)
    per_layer = width * (3 * width + 2)
    layers = max(1, round(nodes / per_layer))
    xs = [Value(rng.uniform(-1, 1), label=f"x{i}") for i in range(width)]
    with group("network", "network"):
        for k in range(layers):
            with group(f"layer {k + 1}", "layer"):
                outs = []
                for j in range(width):
                    with group(f"neuron {j + 1}", "neuron"):
                        z = Value(0.0, label=f"b[{k},{j}]")
                        for i, x in enumerate(xs):
                            w = Value(rng.uniform(-0.3, 0.3), label=f"w[{k},{j},{i}]")
                            z = z + w * x
                        outs.append(z.tanh())
            xs = outs
        out = Value.sum(xs)
    return out


def _median(work: Callable[[], object], runs: int) -> tuple[float, object]:
    times, result = [], None
    for _ in range(runs):
        start = time.process_time()
        result = work()
        times.append(time.process_time() - start)
    return statistics.median(times), result


def _plain_index(root: Value):
    """Today's index of ``root``: the plain order, groups not looked at."""
    from ..graph_index import GraphIndex

    was, groups.used = groups.used, False
    try:
        index = GraphIndex(root)
        index.parents  # noqa: B018 - the grouped index builds it too
        return index
    finally:
        groups.used = was


def _grouped_index(root: Value):
    from ..graph_index import GraphIndex

    index = GraphIndex(root)
    index.parents  # noqa: B018
    return index


def _fresh_tree(index):
    index.__dict__.pop("groups", None)
    return index.groups


def run(quick: bool = False) -> None:
    from ..folding import FoldedGraph, fold_level

    nodes = QUICK_NODES if quick else FULL_NODES
    runs = 1 if quick else 3
    root = grouped_mlp(nodes, QUICK_WIDTH if quick else WIDTH)
    plain, _ = _median(lambda: _plain_index(root), runs)
    grouped, index = _median(lambda: _grouped_index(root), runs)
    tree_time, tree = _median(lambda: _fresh_tree(index), runs)
    fold_time, folded = _median(
        lambda: FoldedGraph(index, fold_level(tree, "layers")), runs
    )
    layout_time, _ = _median(folded.layout, runs)
    total = grouped + tree_time + fold_time + layout_time
    print(
        f"grouped op-by-op MLP: {len(index):,} nodes, {len(tree):,} groups, "
        f"{len(folded.units):,} units folded to layers (medians of {runs})"
    )
    print(f"  index, plain order (groups ignored)   {plain:8.3f} s")
    print(
        f"  index, groups contiguous              {grouped:8.3f} s  "
        f"({grouped / plain:.2f}× plain; target ≤ 1.5×)"
    )
    print(f"  group tree (spans, inputs, outputs)   {tree_time:8.3f} s")
    print(f"  fold to layers                        {fold_time:8.3f} s")
    print(f"  layout of the folded graph            {layout_time:8.3f} s")
    print(f"  index + tree + fold + layout          {total:8.3f} s  (target < 5 s)")


if __name__ == "__main__":
    run()
