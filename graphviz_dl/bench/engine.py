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
5. a 1,000,000-deep chain, ours alone.

Every measurement runs in a fresh process (started by path, so a micrograd
process never loads graphviz_dl or numpy), and the runs alternate between the
engines, so neither engine's garbage or heap shape affects the other's figures.
The work runs in a thread with a large stack and a high recursion limit:
micrograd's recursive topological sort needs both on deep graphs.

This module imports only the standard library at the top, for that reason.
"""

from __future__ import annotations

import argparse
import gc
import importlib.util
import json
import os
import random
import signal
import statistics
import subprocess
import sys
import threading
import time
import tracemalloc
from collections.abc import Callable
from dataclasses import dataclass, field

OURS = "ours"
MICROGRAD = "micrograd"
# 1.000001 ** 1,000,000 ≈ e: the chain neither overflows nor vanishes.
CHAIN_FACTOR = 1.000001
SEED = 0
LEARNING_RATE = 0.001
TRAIN_TARGET = 0.05  # ours ÷ micrograd, at most
MEMORY_TARGET = 0.2
STACK_BYTES = 512 * 1024 * 1024
RECURSION_LIMIT = 10_000_000
TIMEOUT_SECONDS = 900


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


FULL = Sizes(
    points=100,
    hidden=16,
    steps=5,
    chain=100_000,
    terms=100_000,
    big_chain=1_000_000,
    traced_chain=10_000,
    runs=3,
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


def _points(n: int) -> tuple[list[list[float]], list[float]]:
    """``n`` random points in the square [−2, 2]², labelled ±1 by quadrant (XOR)."""
    rng = random.Random(1)
    xs = [[rng.uniform(-2.0, 2.0), rng.uniform(-2.0, 2.0)] for _ in range(n)]
    return xs, [1.0 if x[0] * x[1] > 0 else -1.0 for x in xs]


def _train(engine: str, points: int, hidden: int, steps: int) -> dict:
    """Time each training step; both MLPs draw U(−1, 1) weights in the same order."""
    Value, MLP = _engine(engine)
    xs, ys = _points(points)
    if engine == OURS:
        model = MLP(2, [hidden, hidden, 1], seed=SEED)

        def total_loss():
            return Value.sum([(model(x) - y) ** 2 for x, y in zip(xs, ys)])
    else:
        random.seed(SEED)
        model = MLP(2, [hidden, hidden, 1])

        def total_loss():
            return sum((model(x) - y) ** 2 for x, y in zip(xs, ys))

    params = model.parameters()
    times = []
    for _ in range(steps):
        start = time.perf_counter()
        loss = total_loss()
        model.zero_grad()
        loss.backward()
        for p in params:
            p.data -= LEARNING_RATE * p.grad
        times.append(time.perf_counter() - start)
    return {"step": times, "loss": float(loss.data)}


def _build_chain(Value, n: int):
    y = Value(1.0)
    for _ in range(n):
        y = y * CHAIN_FACTOR
    return y


def _chain(engine: str, n: int) -> dict:
    Value, _ = _engine(engine)
    start = time.perf_counter()
    y = _build_chain(Value, n)
    built = time.perf_counter()
    y.backward()
    done = time.perf_counter()
    return {"build": [built - start], "backward": [done - built]}


def _sum(engine: str, n: int, one_node: bool) -> dict:
    Value, _ = _engine(engine)
    leaves = [Value(float(i)) for i in range(n)]
    start = time.perf_counter()
    total = Value.sum(leaves) if one_node else sum(leaves)
    total.backward()
    return {"total": [time.perf_counter() - start]}


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


TASKS: dict[str, Callable[..., dict]] = {
    "train": _train,
    "chain": _chain,
    "sum": _sum,
    "memory": _memory,
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
    spec = json.loads(spec_json)
    task = TASKS[spec.pop("task")]
    result = _in_big_thread(lambda: task(**spec))
    print(json.dumps(result), flush=True)


# --- running the measurements, in the parent process ------------------------------


def micrograd_available() -> bool:
    return importlib.util.find_spec("micrograd") is not None


def _measure(task: str, engine: str, **params) -> dict:
    """Run one measurement in a fresh interpreter and return what it reported."""
    import graphviz_dl

    package_root = os.path.dirname(
        os.path.dirname(os.path.abspath(graphviz_dl.__file__))
    )
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join(
        p for p in (package_root, env.get("PYTHONPATH", "")) if p
    )
    spec = json.dumps({"task": task, "engine": engine, **params})
    command = [sys.executable, os.path.abspath(__file__), "--worker", spec]
    try:
        done = subprocess.run(
            command,
            check=False,
            capture_output=True,
            text=True,
            env=env,
            timeout=TIMEOUT_SECONDS,
        )
    except subprocess.TimeoutExpired:
        return {"error": f"timed out after {TIMEOUT_SECONDS} s"}
    lines = done.stdout.strip().splitlines()
    if done.returncode == 0 and lines:
        return json.loads(lines[-1])
    if done.returncode < 0:
        try:
            name = signal.Signals(-done.returncode).name
        except ValueError:
            name = f"signal {-done.returncode}"
        return {"error": f"crashed ({name})"}
    last = (done.stderr.strip().splitlines() or ["no output"])[-1]
    return {"error": f"exit code {done.returncode}: {last}"[:200]}


@dataclass
class Samples:
    """Everything the runs of one measurement reported, per engine."""

    values: dict[str, dict[str, list[float]]] = field(default_factory=dict)
    extra: dict[str, dict] = field(default_factory=dict)
    errors: dict[str, str] = field(default_factory=dict)

    def add(self, engine: str, result: dict) -> None:
        if "error" in result:
            self.errors.setdefault(engine, result["error"])
            return
        store = self.values.setdefault(engine, {})
        for key, value in result.items():
            if isinstance(value, list):
                store.setdefault(key, []).extend(value)
            else:
                self.extra.setdefault(engine, {}).setdefault(key, []).append(value)

    def median(self, engine: str, key: str) -> float | None:
        found = self.values.get(engine, {}).get(key)
        return statistics.median(found) if found else None

    def count(self, engine: str, key: str) -> int:
        return len(self.values.get(engine, {}).get(key, []))


def _interleaved(task: str, engines: list[str], runs: int, **params) -> Samples:
    """``runs`` fresh processes per engine, alternating which engine goes first."""
    samples = Samples()
    for run_index in range(runs):
        order = engines if run_index % 2 == 0 else engines[::-1]
        for engine in order:
            samples.add(engine, _measure(task, engine, **params))
    return samples


# --- the table ---------------------------------------------------------------------


def _seconds(t: float | None) -> str:
    from graphviz_dl.numfmt import format_number

    if t is None:
        return "—"
    if t >= 1.0:
        return f"{format_number(t, 3)} s"
    if t >= 1e-3:
        return f"{format_number(t * 1e3, 3)} ms"
    return f"{format_number(t * 1e6, 3)} µs"


def _bytes(b: float | None) -> str:
    from graphviz_dl.numfmt import format_number

    return "—" if b is None else f"{format_number(b, 3)} B"


@dataclass
class Row:
    """One line of the table: a measurement's medians, and its target if it has one."""

    name: str
    ours: Samples
    key: str
    show: Callable[[float | None], str]
    theirs: Samples | None = None  # None: ours alone
    target: float | None = None

    def cells(self, compared: bool, judge: bool) -> list[str]:
        from graphviz_dl.numfmt import format_number

        ours = self.ours.median(OURS, self.key)
        theirs = (
            None if self.theirs is None else self.theirs.median(MICROGRAD, self.key)
        )
        ratio = None if ours is None or not theirs else ours / theirs
        if self.theirs is None:
            theirs_text = "—"
        elif MICROGRAD in self.theirs.errors:
            theirs_text = "failed"
        else:
            theirs_text = self.show(theirs) if compared else "not installed"
        target = ""
        if self.target is not None:
            target = f"≤ {format_number(self.target)}"
            if judge and ratio is not None:
                target += " met" if ratio <= self.target else " MISSED"
        counts = {self.ours.count(OURS, self.key)}
        if self.theirs is not None and compared:
            counts.add(self.theirs.count(MICROGRAD, self.key))
        return [
            self.name,
            "failed" if OURS in self.ours.errors else self.show(ours),
            theirs_text,
            "—" if ratio is None else format_number(ratio, 3),
            target,
            "/".join(str(c) for c in sorted(counts)),
        ]

    def failures(self) -> list[str]:
        found = [(OURS, self.ours.errors.get(OURS))]
        if self.theirs is not None:
            found.append((MICROGRAD, self.theirs.errors.get(MICROGRAD)))
        return [f"  {self.name} — {who} failed: {why}" for who, why in found if why]


HEADER = [
    "measurement (median)",
    "ours",
    "micrograd",
    "ours ÷ micrograd",
    "target",
    "runs",
]


def _print_table(rows: list[Row], compared: bool, judge: bool) -> None:
    lines = [HEADER] + [row.cells(compared, judge) for row in rows]
    widths = [max(len(line[i]) for line in lines) for i in range(len(HEADER))]
    for i, line in enumerate(lines):
        cells = [line[0].ljust(widths[0])]
        cells += [cell.rjust(width) for cell, width in zip(line[1:], widths[1:])]
        print("  ".join(cells).rstrip())
        if i == 0:
            print("  ".join("─" * w for w in widths))
    for row in rows:
        for failure in row.failures():
            print(failure)


def _measure_all(sizes: Sizes, engines: list[str]) -> tuple[list[Row], Samples]:
    def progress(what: str) -> None:
        print(f"measuring {what} …", file=sys.stderr, flush=True)

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
            _seconds,
            train,
            TRAIN_TARGET,
        ),
        Row(f"{deep}: build", chain, "build", _seconds, chain),
        Row(f"{deep}: backward", chain, "backward", _seconds, chain),
        Row(
            f"{leaves}, both with sum(): build + backward",
            by_sum,
            "total",
            _seconds,
            by_sum,
        ),
        Row(
            f"{leaves}, ours with Value.sum: build + backward",
            by_node,
            "total",
            _seconds,
            by_sum,
        ),
        Row(
            f"bytes per node after build ({nodes:,} nodes)",
            built,
            "after_build",
            _bytes,
            built,
            MEMORY_TARGET,
        ),
        Row(
            f"bytes per node after backward ({traced_nodes:,} nodes)",
            traced,
            "after_backward",
            _bytes,
            traced,
            MEMORY_TARGET,
        ),
        Row(f"{huge}: build", big, "build", _seconds),
        Row(f"{huge}: backward", big, "backward", _seconds),
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
        "runs alternate between the engines; cyclic GC on."
    )
    if not compared:
        print(
            "micrograd is not installed, so only our figures are shown; "
            'to compare, install it with: pip install -e ".[bench]"'
        )
    print(flush=True)
    rows, train = _measure_all(sizes, engines)
    _print_table(rows, compared, judge=not quick)
    if quick:
        print("Targets are judged at full sizes only (run without --quick).")
    print(
        f"Bytes per node after backward use a {sizes.traced_chain:,}-deep chain: "
        "tracing micrograd's recursive backward costs depth² time."
    )
    _print_loss_check(train, sizes.steps)


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
    parser = argparse.ArgumentParser(
        prog="python -m graphviz_dl.bench.engine",
        description="graphviz_dl's engine side by side with micrograd 0.1.0",
    )
    parser.add_argument(
        "--quick", action="store_true", help="small sizes (a smoke test)"
    )
    parser.add_argument("--worker", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.worker is not None:
        _worker(args.worker)
    else:
        run(quick=args.quick)
    return 0


if __name__ == "__main__":
    if (
        "--worker" in sys.argv
        and sys.path
        and sys.path[0] == os.path.dirname(os.path.abspath(__file__))
    ):
        del sys.path[
            0
        ]  # started by path: keep this folder's modules off the import path
    sys.exit(main())
