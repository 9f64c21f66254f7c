"""The training-lab benchmark: epochs through the compiled path, and the boundary.

Run it with ``graphviz-dl bench training`` or ``python -m graphviz_dl.bench.training``
(``--quick`` for fewer repeats). What is measured:

1. one epoch of an MLP(2, [16, 16, 1]) (tanh, binary cross-entropy on the
   score) on 200 moons points, all of them for training, through
   :class:`graphviz_dl.training.Trainer` exactly as the lab runs it: every
   batch's loss and gradient by the compiled per-sample graph, the
   optimizer's step, and the end-of-epoch evaluation of both splits. At batch
   sizes 200 (gradient descent: one step), 32 and 10, with SGD and with
   Adam. Each epoch is split into the compiled gradients, the optimizer
   steps (:meth:`graphviz_dl.optim.Optimizer.step_flat` over one array) and the rest
   (batching, bookkeeping, evaluation). Target: ≤ 10 ms per epoch.
2. the decision boundary of that network on a 100×100 grid (one compiled
   call): alone, then while training at batch size 32 in the lab's two
   possible designs: (A) a worker thread trains without pause while another
   thread draws, sharing the interpreter; (B) one worker alternates, training
   for 30 ms, then drawing. Target: ≥ 20 redraws per second while training.
   numpy's BLAS may run its matrix products on several threads, which on a
   small, busy machine makes a 16×16 layer over 10,000 points many times
   slower; unless the process already runs BLAS on one thread, the figures
   are measured again in a child process that does (``OPENBLAS_NUM_THREADS=1``).
3. for scale, a 41×41 loss landscape over two filter-normalized random
   directions (the "loss surface here" action; no target).

Figures are medians of repeated runs.
"""

from __future__ import annotations

import os
import statistics
import subprocess
import sys
import threading
import time

from .. import datasets
from ..training import Trainer, TrainingConfig, landscape, probe
from . import harness

EPOCH_TARGET = 0.010  # seconds per epoch, at most
REDRAW_TARGET = 20.0  # boundaries per second while training, at least
GRID = 100
BATCH_SIZES = (200, 32, 10)
OPTIMIZERS = (("sgd", 0.1), ("adam", 0.01))
FRAME_SECONDS = 0.03  # a frame's training time in the one-worker design
BLAS_THREAD_VARIABLES = ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS")


def _trainer(batch_size: int | None, optimizer: str, lr: float) -> Trainer:
    data = datasets.moons(200, test_fraction=0.0, seed=0)
    config = TrainingConfig(
        hidden=(16, 16),
        activation="tanh",
        batch_size=batch_size,
        optimizer=optimizer,
        hyper={"lr": lr},
    )
    return Trainer(data, config)


def bench_epoch(batch_size: int, optimizer: str, lr: float, repeats: int):
    """Median seconds per epoch, and the medians of its gradient and optimizer parts."""
    trainer = _trainer(batch_size, optimizer, lr)
    trainer.step_epoch()  # warm: programs and plans built
    network, opt = trainer.network, trainer.optimizer
    spent = {"grad": 0.0, "opt": 0.0}
    compute, step = network.loss_and_grads, opt.step_flat

    def timed_compute(*args, **kwargs):
        start = time.perf_counter()
        result = compute(*args, **kwargs)
        spent["grad"] += time.perf_counter() - start
        return result

    def timed_step(*args, **kwargs):
        start = time.perf_counter()
        result = step(*args, **kwargs)
        spent["opt"] += time.perf_counter() - start
        return result

    network.loss_and_grads = timed_compute
    opt.step_flat = timed_step
    totals, grads, steps = [], [], []
    for _ in range(repeats):
        spent["grad"] = spent["opt"] = 0.0
        start = time.perf_counter()
        trainer.step_epoch()
        totals.append(time.perf_counter() - start)
        grads.append(spent["grad"])
        steps.append(spent["opt"])
    return (
        statistics.median(totals),
        statistics.median(grads),
        statistics.median(steps),
        trainer.steps_per_epoch,
    )


def bench_boundary(repeats: int, seconds: float) -> dict[str, float]:
    """The 100×100 boundary: median seconds alone, then redraws and training
    steps per second in the lab's two possible designs."""
    trainer = _trainer(32, "adam", 0.01)
    trainer.step_epoch()
    probe.boundary(trainer, GRID)
    alone = []
    for _ in range(repeats):
        start = time.perf_counter()
        probe.boundary(trainer, GRID, params=trainer.weights)
        alone.append(time.perf_counter() - start)
    figures = {"alone": statistics.median(alone)}

    # Design A: a worker thread trains without pause; the GUI thread draws.
    stop = threading.Event()
    before = trainer.step

    def work() -> None:
        while not stop.is_set():
            trainer.step_batch()

    worker = threading.Thread(target=work)
    worker.start()
    redraws = 0
    start = time.perf_counter()
    try:
        while time.perf_counter() - start < seconds:
            probe.boundary(trainer, GRID, params=trainer.weights)
            redraws += 1
    finally:
        elapsed = time.perf_counter() - start
        stop.set()
        worker.join()
    figures["threads_redraws"] = redraws / elapsed
    figures["threads_steps"] = (trainer.step - before) / elapsed

    # Design B: one worker trains for a frame's time, then draws, in turn.
    before, frames = trainer.step, 0
    start = time.perf_counter()
    while time.perf_counter() - start < seconds:
        trainer.train_for(FRAME_SECONDS)
        probe.boundary(trainer, GRID)
        frames += 1
    elapsed = time.perf_counter() - start
    figures["frames_redraws"] = frames / elapsed
    figures["frames_steps"] = (trainer.step - before) / elapsed
    return figures


def _print_boundary(figures: dict[str, float], blas: str) -> None:
    alone = figures["alone"]
    print(f"[{blas}] alone: {alone * 1e3:.1f} ms median ({1 / alone:.0f} per second)")
    for key, design in (
        ("threads", "a worker thread trains, another thread draws"),
        ("frames", f"one worker trains {FRAME_SECONDS * 1e3:.0f} ms, then draws"),
    ):
        rate = figures[f"{key}_redraws"]
        verdict = "met" if rate >= REDRAW_TARGET else "MISSED"
        print(
            f"[{blas}] {design}: {rate:.1f} redraws/s, "
            f"{figures[f'{key}_steps']:.0f} training steps/s "
            f"(≥ {REDRAW_TARGET:g} redraws/s: {verdict})"
        )


def _boundary_in_child(quick: bool) -> None:
    """The boundary figures again in a process whose BLAS uses one thread."""
    env = {**os.environ, **{name: "1" for name in BLAS_THREAD_VARIABLES}}
    command = [sys.executable, "-m", "graphviz_dl.bench.training", "--boundary-only"]
    if quick:
        command.append("--quick")
    result = subprocess.run(
        command, env=env, capture_output=True, text=True, timeout=600, check=False
    )
    if result.returncode:
        print(f"(the single-thread BLAS run failed: {result.stderr.strip()[-300:]})")
    else:
        print(result.stdout, end="")


def bench_landscape(repeats: int) -> tuple[float, float]:
    trainer = _trainer(32, "adam", 0.01)
    for _ in range(5):
        trainer.step_epoch()
    d1, d2 = landscape.random_directions(trainer, seed=0)
    builds, grids = [], []
    for _ in range(repeats):
        start = time.perf_counter()
        plane = landscape.LossPlane(trainer, d1, d2)
        middle = time.perf_counter()
        plane.grid(41)
        builds.append(middle - start)
        grids.append(time.perf_counter() - middle)
    return statistics.median(builds), statistics.median(grids)


def run(quick: bool = False) -> None:
    """Measure and print; ``quick`` uses fewer repeats."""
    repeats = 3 if quick else 21
    print("One epoch, MLP(2, [16, 16, 1]) tanh, 200 moons points, all for training")
    print(f"(median of {repeats} epochs; target: ≤ {EPOCH_TARGET * 1e3:g} ms)")
    print(
        f"{'optimizer':<10}{'batch':>6}{'steps':>6}{'epoch ms':>10}"
        f"{'grads ms':>10}{'optim ms':>10}{'rest ms':>9}{'optim %':>9}"
    )
    for name, lr in OPTIMIZERS:
        for batch in BATCH_SIZES:
            total, grads, steps, count = bench_epoch(batch, name, lr, repeats)
            rest = total - grads - steps
            mark = "" if total <= EPOCH_TARGET else "  (above target)"
            print(
                f"{name:<10}{batch:>6}{count:>6}{total * 1e3:>10.2f}{grads * 1e3:>10.2f}"
                f"{steps * 1e3:>10.2f}{rest * 1e3:>9.2f}{100 * steps / total:>8.0f}%{mark}"
            )
    print()
    print(
        f"Decision boundary, {GRID}×{GRID} grid, one compiled call; training at "
        "batch 32 with Adam"
    )
    _print_boundary(bench_boundary(repeats, _seconds(quick)), _blas_setting())
    if _blas_setting() != "BLAS threads: 1":
        _boundary_in_child(quick)
    print()
    build, grid = bench_landscape(max(1, repeats // 7))
    print("Loss landscape, 41×41, two filter-normalized random directions (no target)")
    print(f"compile {build * 1e3:.0f} ms, grid {grid * 1e3:.0f} ms")


def _seconds(quick: bool) -> float:
    return 1.0 if quick else 4.0


def _blas_setting() -> str:
    threads = {os.environ.get(name) for name in BLAS_THREAD_VARIABLES}
    return "BLAS threads: 1" if threads == {"1"} else "BLAS threads: default"


if __name__ == "__main__":
    parser = harness.parser(
        "python -m graphviz_dl.bench.training", quick_help="fewer repeats"
    )
    parser.add_argument(
        "--boundary-only", action="store_true", help="only the boundary figures"
    )
    args = parser.parse_args()
    if args.boundary_only:
        repeats = 3 if args.quick else 21
        _print_boundary(bench_boundary(repeats, _seconds(args.quick)), _blas_setting())
    else:
        run(args.quick)
