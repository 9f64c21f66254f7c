"""The engine benchmark: graphviz_dl's ``Value`` side by side with micrograd 0.1.0.

Run it with ``graphviz-dl bench engine`` or ``python -m graphviz_dl.bench.engine``
(``--quick`` for small sizes). What is measured, on both engines unless noted:

1. a training step of an MLP(2, [16, 16, 1]) on 100 random 2-D points with the
   summed squared error (forward, zero_grad, backward, SGD update), five steps
   in a loop with the cyclic garbage collector on; each engine uses its own MLP
   (ours fuses a neuron's weighted sum into one node), started from the SAME
   weights, so the losses after the last step must agree;
2. a 100,000-deep chain ``y = y * c``: build, then backward;
3. a sum of 100,000 leaves: Python's ``sum()`` (a chain of additions) on both,
   and ours also with ``Value.sum`` (one node);
4. bytes per node (tracemalloc) of that chain, counting every node created,
   constants included, after the build; and after backward on a 10,000-deep
   chain (tracing micrograd's recursive backward is quadratic in the depth);
5. a 1,000,000-deep chain, ours alone;
6. unfused graphs written op by op, the same code on both engines
   (:mod:`.unfused`): micrograd's README expression built and backpropagated
   5,000 times; an MLP 2-16-16-1 as micrograd's ``Neuron`` writes it
   (``sum((w * x for …), b)``), forward and backward over 100 points; a
   100,000-op chain of ``*``, ``+`` and ``relu``; a 200,000-term sum built
   with ``+`` in a loop. Target: ours at most a fifth of micrograd's time.

Every measurement runs in a fresh process (started by path, so a micrograd
process never loads graphviz_dl or numpy), and the runs alternate between the
engines, so neither engine's garbage or heap shape affects the other's figures.
The work runs in a thread with a large stack and a high recursion limit:
micrograd's recursive topological sort needs both on deep graphs.

This module imports only the standard library at the top, for that reason.
"""

from __future__ import annotations

import gc
import random
import sys
import threading
import tracemalloc
from collections.abc import Callable
from dataclasses import dataclass

if __package__:
    from . import engine_unfused, harness, unfused
    from .engine_table import MICROGRAD, OURS, Row, format_bytes, print_rows, seconds
    from .harness import Samples, micrograd_available
else:  # a worker started by path: graphviz_dl itself is never loaded
    import engine_unfused
    import harness
    import unfused
    from engine_table import MICROGRAD, OURS, Row, format_bytes, print_rows, seconds
    from harness import Samples, micrograd_available
# 1.000001 ** 1,000,000 ≈ e: the chain neither overflows nor vanishes.
CHAIN_FACTOR = 1.000001
SEED = 0
LEARNING_RATE = 0.001
TRAIN_TARGET = 0.05  # ours ÷ micrograd, at most
MEMORY_TARGET = 0.2
STACK_BYTES = 512 * 1024 * 1024
RECURSION_LIMIT = 10_000_000


@dataclass(frozen=True)
class Sizes:
    points: int
    hidden: int
    steps: int
    chain: int
    terms: int
    big_chain: int
    traced_chain: int  # depth for bytes per node after backward (see _memory)
    runs: int  # fresh processes per engine for each measurement
    readme: int  # repeats of micrograd's README expression
    mlp_points: int  # the op-by-op MLP 2-h-h-1: points, hidden width, steps
    mlp_hidden: int
    mlp_steps: int
    mixed_chain: int  # ops in the chain of *, +, relu
    plus_terms: int  # terms of the sum built with + in a loop


FULL = Sizes(
    points=100,
    hidden=16,
    steps=5,
    chain=100_000,
    terms=100_000,
    big_chain=1_000_000,
    traced_chain=10_000,
    runs=3,
    readme=5_000,
    mlp_points=100,
    mlp_hidden=16,
    mlp_steps=3,
    mixed_chain=100_000,
    plus_terms=200_000,
)
QUICK = Sizes(
    points=8,
    hidden=4,
    steps=2,
    chain=2_000,
    terms=2_000,
    big_chain=5_000,
    traced_chain=1_000,
    runs=1,
    readme=50,
    mlp_points=8,
    mlp_hidden=4,
    mlp_steps=1,
    mixed_chain=2_000,
    plus_terms=2_000,
)


# --- the work, done inside a measurement process ------------------------------------


def _engine(name: str):
    """``(Value, MLP)`` of an engine, imported only in the process that needs it."""
    if name == OURS:
        from graphviz_dl.engine import Value
        from graphviz_dl.nn import MLP
    else:
        from micrograd.engine import Value
        from micrograd.nn import MLP
    return Value, MLP


def _train(engine: str, points: int, hidden: int, steps: int) -> dict:
    """Time each training step; both MLPs draw U(−1, 1) weights in the same order."""
    Value, MLP = _engine(engine)
    xs, ys = harness.xor_points(points)
    if engine == OURS:
        model = MLP(2, [hidden, hidden, 1], seed=SEED)

        def total_loss():
            return Value.sum([(model(x) - y) ** 2 for x, y in zip(xs, ys)])
    else:
        random.seed(SEED)
        model = MLP(2, [hidden, hidden, 1])

        def total_loss():
            return sum((model(x) - y) ** 2 for x, y in zip(xs, ys))

    return harness.timed_steps(model, total_loss, steps, LEARNING_RATE)


def _build_chain(Value, n: int):
    y = Value(1.0)
    for _ in range(n):
        y = y * CHAIN_FACTOR
    return y


def _chain(engine: str, n: int) -> dict:
    Value, _ = _engine(engine)
    start = harness.cpu_seconds()
    y = _build_chain(Value, n)
    built = harness.cpu_seconds()
    y.backward()
    done = harness.cpu_seconds()
    return {"build": [built - start], "backward": [done - built]}


def _sum(engine: str, n: int, one_node: bool) -> dict:
    Value, _ = _engine(engine)
    leaves = [Value(float(i)) for i in range(n)]
    start = harness.cpu_seconds()
    total = Value.sum(leaves) if one_node else sum(leaves)
    total.backward()
    return {"total": [harness.cpu_seconds() - start]}


def _memory(engine: str, n: int, backward: bool) -> dict:
    """Bytes per node of a chain of ``n`` products: 2n + 1 nodes with the constants.

    tracemalloc walks the whole call stack at every allocation, and micrograd's
    backward recurses once per node, so tracing its backward costs depth²
    (hours at 100,000 deep): the after-backward figure uses a shallower chain.
    """
    Value, _ = _engine(engine)
    nodes = 2 * n + 1
    gc.collect()
    tracemalloc.start()
    before = tracemalloc.get_traced_memory()[0]
    y = _build_chain(Value, n)
    result = {
        "after_build": [(tracemalloc.get_traced_memory()[0] - before) / nodes],
        "nodes": nodes,
    }
    if backward:
        y.backward()
        gc.collect()  # what backward left behind (its topological order) is gone
        used = tracemalloc.get_traced_memory()[0] - before
        result["after_backward"] = [used / nodes]
    tracemalloc.stop()
    return result


def _unfused(engine: str, workload: str, **params) -> dict:
    """One of :mod:`.unfused`'s workloads, run on this engine's ``Value``."""
    Value, _ = _engine(engine)
    return getattr(unfused, workload)(Value, **params)


TASKS: dict[str, Callable[..., dict]] = {
    "train": _train,
    "chain": _chain,
    "sum": _sum,
    "memory": _memory,
    "unfused": _unfused,
}


def _in_big_thread(work: Callable[[], dict]) -> dict:
    """Run ``work`` where deep recursion fits: micrograd recurses once per node."""
    sys.setrecursionlimit(RECURSION_LIMIT)
    threading.stack_size(STACK_BYTES)
    outcome: dict = {}

    def target() -> None:
        try:
            outcome.update(work())
        except Exception as exc:  # noqa: BLE001 - a failure is a finding to report
            outcome["error"] = f"{type(exc).__name__}: {exc}"[:200]

    thread = threading.Thread(target=target)
    thread.start()
    thread.join()
    return outcome


def _worker(spec_json: str) -> None:
    def work(spec: dict) -> dict:
        task = TASKS[spec.pop("task")]
        return _in_big_thread(lambda: task(**spec))

    harness.answer_worker(spec_json, work)


# --- running the measurements, in the parent process ------------------------------


def _measure(task: str, engine: str, **params) -> dict:
    """Run one measurement in a fresh interpreter and return what it reported."""
    return harness.run_worker(__file__, {"task": task, "engine": engine, **params})


def _interleaved(task: str, engines: list[str], runs: int, **params) -> Samples:
    """``runs`` fresh processes per engine, alternating which engine goes first."""
    return harness.interleaved(
        lambda engine: _measure(task, engine, **params), engines, runs
    )


def _measure_all(sizes: Sizes, engines: list[str]) -> tuple[list[Row], Samples]:
    progress = harness.progress
    runs = sizes.runs
    net = f"MLP 2-{sizes.hidden}-{sizes.hidden}-1"
    progress(f"training steps ({net}, {sizes.points} points)")
    shape = {"points": sizes.points, "hidden": sizes.hidden, "steps": sizes.steps}
    train = _interleaved("train", engines, runs, **shape)
    progress(f"a {sizes.chain:,}-deep chain")
    chain = _interleaved("chain", engines, runs, n=sizes.chain)
    progress(f"sums of {sizes.terms:,} leaves")
    by_sum = _interleaved("sum", engines, runs, n=sizes.terms, one_node=False)
    by_node = _interleaved("sum", [OURS], runs, n=sizes.terms, one_node=True)
    progress("bytes per node")
    built = _interleaved("memory", engines, 1, n=sizes.chain, backward=False)
    traced = _interleaved("memory", engines, 1, n=sizes.traced_chain, backward=True)
    progress(f"a {sizes.big_chain:,}-deep chain (ours alone)")
    big = _interleaved("chain", [OURS], runs, n=sizes.big_chain)

    deep = f"chain y·c, {sizes.chain:,} deep"
    leaves = f"sum of {sizes.terms:,} leaves"
    nodes, traced_nodes = 2 * sizes.chain + 1, 2 * sizes.traced_chain + 1
    huge = f"chain y·c, {sizes.big_chain:,} deep, ours alone"
    rows = [
        Row(
            f"training step, {net}, {sizes.points} points, summed squared error",
            train,
            "step",
            seconds,
            train,
            TRAIN_TARGET,
        ),
        Row(f"{deep}: build", chain, "build", seconds, chain),
        Row(f"{deep}: backward", chain, "backward", seconds, chain),
        Row(
            f"{leaves}, both with sum(): build + backward",
            by_sum,
            "total",
            seconds,
            by_sum,
        ),
        Row(
            f"{leaves}, ours with Value.sum: build + backward",
            by_node,
            "total",
            seconds,
            by_sum,
        ),
        Row(
            f"bytes per node after build ({nodes:,} nodes)",
            built,
            "after_build",
            format_bytes,
            built,
            MEMORY_TARGET,
        ),
        Row(
            f"bytes per node after backward ({traced_nodes:,} nodes)",
            traced,
            "after_backward",
            format_bytes,
            traced,
            MEMORY_TARGET,
        ),
        Row(f"{huge}: build", big, "build", seconds),
        Row(f"{huge}: backward", big, "backward", seconds),
    ]
    return rows, train


def run(quick: bool = False) -> None:
    """Measure both engines and print the table (ours alone if micrograd is missing)."""
    sizes = QUICK if quick else FULL
    compared = micrograd_available()
    engines = [OURS, MICROGRAD] if compared else [OURS]
    print(
        f"Engine benchmark{' at quick sizes' if quick else ''}: "
        "graphviz_dl vs micrograd 0.1.0"
    )
    print(
        f"Python {sys.version.split()[0]}. Every run is a fresh process (subprocess); "
        "runs alternate between the engines; cyclic GC on; times are CPU time."
    )
    if not compared:
        print(
            "micrograd is not installed, so only our figures are shown; "
            'to compare, install it with: pip install -e ".[bench]"'
        )
    print(flush=True)
    rows, train = _measure_all(sizes, engines)
    unfused_rows, checks = engine_unfused.measure(
        sizes,
        lambda workload, **params: _interleaved(
            "unfused", engines, sizes.runs, workload=workload, **params
        ),
    )
    print_rows(rows + unfused_rows, compared, judge=not quick)
    if quick:
        print("Targets are judged at full sizes only (run without --quick).")
    print(
        f"Bytes per node after backward use a {sizes.traced_chain:,}-deep chain: "
        "tracing micrograd's recursive backward costs depth² time."
    )
    _print_loss_check(train, sizes.steps)
    engine_unfused.print_agreement(checks)


def _print_loss_check(train: Samples, steps: int) -> None:
    """Both engines start from the same weights, so their losses must agree."""
    from graphviz_dl.numfmt import format_number

    ours = train.extra.get(OURS, {}).get("loss")
    theirs = train.extra.get(MICROGRAD, {}).get("loss")
    if not ours:
        return
    text = f"Loss after {steps} training steps: ours {format_number(ours[0], 12)}"
    if theirs:
        gap = abs(ours[0] - theirs[0]) / max(abs(theirs[0]), 1e-300)
        text += (
            f", micrograd {format_number(theirs[0], 12)} "
            f"(relative difference {format_number(gap, 2)}: the same computation)"
        )
    print(text)


def main(argv: list[str] | None = None) -> int:
    return harness.main(
        argv,
        "python -m graphviz_dl.bench.engine",
        run,
        description="graphviz_dl's engine side by side with micrograd 0.1.0",
        worker=_worker,
    )


if __name__ == "__main__":
    harness.entry_point(main, __file__)
