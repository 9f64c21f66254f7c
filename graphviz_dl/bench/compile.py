"""The compile benchmark: one graph run as Values, compiled, and as hand-written numpy.

Run it with ``graphviz-dl bench compile`` or ``python -m graphviz_dl.bench.compile``
(``--quick`` for small sizes). What is measured:

1. one full training step (forward, mean squared error, backward) of an
   MLP(2, [16, 16, 1]) with ReLU on 100 points, all from the SAME weights
   (so the losses must agree):

   * micrograd 0.1.0, and our scalar engine: each in fresh processes
     (started by path, alternating), building the graph of the whole batch;
   * the compiled per-sample graph, the hand-written numpy step and PyTorch
     on the CPU (when installed), in this process (:mod:`.compile_step`),
     also with the SGD update.

   Targets: compiled ≥ 500× faster than micrograd, ≤ 3× the numpy step when
   it reads its parameters from the Values; with the parameters as one
   array (as the training lab keeps them), ≤ 1.5× the numpy step and
   ≤ 0.35× torch's.
2. loss surfaces over two leaves of two 500-node graphs
   (:mod:`.compile_surfaces`).

Figures are medians of repeated runs, in CPU time (a shared machine's other
processes do not count); the in-process ways are timed in short alternating
blocks (a few ms each), and their ratios are medians of the ratios of
neighbouring blocks.

This module imports only the standard library at the top: its micrograd
worker never loads numpy or graphviz_dl.
"""

from __future__ import annotations

import itertools
import random
import statistics
import sys
from dataclasses import dataclass

if __package__:
    from . import compile_step, compile_surfaces, harness
    from .harness import format_seconds as _time
    from .harness import progress
else:  # a worker started by path: graphviz_dl itself is never loaded
    import harness
    from harness import format_seconds as _time
    from harness import progress

STEP_RATIO_TARGET = 3.0  # compiled (reading the Values) ÷ hand-written numpy, at most
SPEEDUP_TARGET = 500.0  # micrograd ÷ compiled, at least
REPLAY_TARGET = 1.5  # compiled (one parameter array) ÷ hand-written numpy, at most
TORCH_TARGET = 0.35  # compiled (one parameter array) ÷ torch on the CPU, at most
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


# --- the report ----------------------------------------------------------------------------


def _ratio(x: float | None) -> str:
    from graphviz_dl.numfmt import format_number

    return "—" if x is None else f"{format_number(x, 3)}×"


def _verdict(met: bool | None) -> str:
    return "" if met is None else ("met" if met else "MISSED")


STEP_ROWS = [  # (key, name); each compared with the baseline of its kind
    ("compiled", "compiled, parameters read from the Values"),
    ("array", "compiled, parameters as one array (the training lab's way)"),
    ("write", "compiled, gradients written to .grad"),
    ("numpy", "hand-written numpy (matrix form)"),
    ("torch", "torch on the CPU (1 thread, float64)"),
    ("array+update", "compiled, one array, + SGD update"),
    ("numpy+update", "hand-written numpy + SGD update"),
    ("torch+update", "torch + optimizer.step()"),
]


def _paired(timings: dict[str, list[float]], way: str, base: str) -> float | None:
    """The median ratio of ``way``'s blocks to the ``base`` blocks next to them."""
    if way not in timings or base not in timings:
        return None
    return statistics.median(t / b for t, b in zip(timings[way], timings[base]))


def _print_step(scalar: harness.Samples, fast: dict, judge: bool) -> None:
    from graphviz_dl.numfmt import format_number

    timings = fast["timings"]
    medians = {way: statistics.median(t) for way, t in timings.items()}
    micro_t = scalar.median("micrograd", "step")
    rows = [["way", "median", "÷ numpy", "÷ torch", "micrograd ÷ this", "target"]]

    def row(name, t, over_numpy, over_torch, target=""):
        speedup = micro_t / t if micro_t and t else None
        rows.append(
            [
                name,
                _time(t),
                _ratio(over_numpy),
                _ratio(over_torch),
                _ratio(speedup),
                target,
            ]
        )

    for engine, name in (
        ("micrograd", "micrograd 0.1.0"),
        ("ours", "our scalar engine"),
    ):
        t = scalar.median(engine, "step")
        numpy_t = medians["numpy"]
        torch_t = medians.get("torch")
        if t is None and engine not in scalar.errors:
            row(f"{name}: not installed", None, None, None)
            continue
        row(
            f"{name} (whole-batch graph)",
            t,
            t / numpy_t if t else None,
            t / torch_t if t and torch_t else None,
        )
    for way, name in STEP_ROWS:
        if way not in medians:
            row(name.split(" (")[0] + ": not installed", None, None, None)
            continue
        suffix = "+update" if way.endswith("+update") else ""
        over_numpy = _paired(timings, way, "numpy" + suffix)
        over_torch = _paired(timings, way, "torch" + suffix)
        target = ""
        if way == "compiled":
            speedup = micro_t / medians[way] if micro_t else None
            target = (
                f"≤ {format_number(STEP_RATIO_TARGET)}× numpy "
                f"{_verdict(over_numpy <= STEP_RATIO_TARGET)}; "
                f"≥ {format_number(SPEEDUP_TARGET)}× micrograd "
                f"{_verdict(None if speedup is None else speedup >= SPEEDUP_TARGET)}"
            )
        elif way.startswith("array"):
            target = (
                f"≤ {format_number(REPLAY_TARGET)}× numpy "
                f"{_verdict(over_numpy <= REPLAY_TARGET)}; "
                f"≤ {format_number(TORCH_TARGET)}× torch "
                f"{_verdict(None if over_torch is None else over_torch <= TORCH_TARGET)}"
            )
        row(name, medians[way], over_numpy, over_torch, target if judge else "")
    harness.print_table(rows)
    for name, error in scalar.errors.items():
        print(f"  {name} failed: {error}")
    if "torch" not in medians:
        print("  torch is not installed, so its rows are left out (pip install torch)")
    if micro_t is None and "micrograd" not in scalar.errors:
        print(
            "  micrograd is not installed, so its row is empty; to compare, "
            'install it with: pip install -e ".[bench]"'
        )
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
        "torch": fast.get("torch_loss"),
    }
    print(
        "  loss from the same weights: "
        + ", ".join(
            f"{k} {format_number(v, 15)}" for k, v in losses.items() if v is not None
        )
        + f"; largest gradient gap compiled vs numpy {format_number(fast['grad_gap'], 2)}"
    )


def run(quick: bool = False) -> None:
    """Measure, then print medians, ratios and whether each target is met."""
    sizes = QUICK if quick else FULL
    net = f"MLP(2, [{sizes.hidden}, {sizes.hidden}, 1])"
    print(f"Compile benchmark{' (quick sizes)' if quick else ''}: one graph, many ways")
    print(
        f"Python {sys.version.split()[0]}; medians of repeated runs, in CPU time.\n",
        flush=True,
    )

    progress(f"scalar training steps ({net}, {sizes.points} points), fresh processes")
    scalar = _scalar_engines(sizes)
    progress("compiled, numpy and torch steps, alternating")
    fast = compile_step.measure(sizes.points, sizes.hidden, sizes.blocks)
    print(
        f"1. One training step (forward, mean squared error, backward), {net}, "
        f"{sizes.points} points"
    )
    _print_step(scalar, fast, judge=not quick)
    if quick:
        print("  Targets are judged at full sizes only (run without --quick).")
    compile_surfaces.print_surfaces(sizes, quick)


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
