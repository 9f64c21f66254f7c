"""Benchmark of the optimizer lab: frames per second, and grid latency.

Run ``python -m benchmarks.optimizer_lab`` (it needs no display). It prints:

* drawn frames per second for a race of 8 optimizers whose paths already hold
  2,000 points, each frame being one race step, every view updated and the whole
  lab painted;
* the frame rate the play timer actually reaches at full speed;
* how long a new surface, and a zoom, take to have a 300×300 grid and its
  contours on screen (from the request to the painted result).
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtCore import QEvent, QEventLoop, QObject, QTemporaryDir, QTimer
from PySide6.QtWidgets import QApplication

from graphviz_dl.labs.optimizer import LabState, make_configs
from graphviz_dl.surfaces import SURFACES, get_surface
from ui.common.standalone import close_lab, open_lab, scratch_settings, start_app
from ui.optimizer_lab.lab import OptimizerLab

#: Eight racers with rates that stay finite on Rosenbrock for thousands of steps.
RACERS = (
    ("sgd", {"lr": 1e-3}),
    ("momentum", {"lr": 1e-3}),
    ("nesterov", {"lr": 1e-3}),
    ("adagrad", {"lr": 0.1}),
    ("rmsprop", {"lr": 1e-3}),
    ("adam", {"lr": 0.01}),
    ("adamw", {"lr": 0.01}),
    ("adadelta", {"lr": 1.0}),
)


def _wait(signal, timeout_ms: int = 5000) -> bool:
    loop = QEventLoop()
    got = []
    signal.connect(lambda *_: (got.append(1), loop.quit()))
    QTimer.singleShot(timeout_ms, loop.quit)
    loop.exec()
    return bool(got)


def _fmt(values: list[float]) -> str:
    return f"median {statistics.median(values):.2f} ms (min {min(values):.2f}, max {max(values):.2f})"


def _frames(lab: OptimizerLab, frames: int, steps_per_frame: int, forced: bool):
    """Wall-clock and CPU milliseconds per frame (CPU time of this thread does not
    count the time other processes hold the cores: the cost of a frame itself).

    ``forced``: repaint every pixel of the lab; otherwise let Qt paint what changed,
    as it does while playing.
    """
    app = QApplication.instance()
    wall, cpu = [], []
    for _ in range(frames):
        t0, c0 = time.perf_counter(), time.thread_time()
        lab.model.step(steps_per_frame)
        if forced:
            lab.paint_now()
        else:
            app.processEvents()
        wall.append((time.perf_counter() - t0) * 1000)
        cpu.append((time.thread_time() - c0) * 1000)
    return wall, cpu


def _report(label: str, wall: list[float], cpu: list[float]) -> None:
    print(f"  {label}:")
    print(f"    wall {_fmt(wall)} → {1000 / statistics.median(wall):.0f} frames/s")
    print(f"    CPU  {_fmt(cpu)} → {1000 / statistics.median(cpu):.0f} frames/s")


def bench_frames(lab: OptimizerLab, frames: int, history: int) -> None:
    surface = get_surface("rosenbrock")
    lab.model.restore(LabState(surface, surface.start, make_configs(RACERS)))
    lab.model.step(history)
    lab.surface_view.ensure_grid()
    lab.paint_now()
    points = [run.steps + 1 for _, _, run in lab.model.active()]
    print(
        f"race of {len(points)} optimizers, paths of {min(points)}–{max(points)} points"
        " (every frame: race step(s), every view updated, everything painted):"
    )
    for per_frame in (1, 10):
        for forced in (False, True):
            how = "the whole lab repainted" if forced else "Qt paints what changed"
            label = f"{per_frame} step(s) per frame, {how}"
            _report(label, *_frames(lab, frames, per_frame, forced))
    lab.arrows.setChecked(True)
    _report("1 step per frame, arrows on", *_frames(lab, frames, 1, False))
    lab.arrows.setChecked(False)
    final = [run.steps + 1 for _, _, run in lab.model.active()]
    print(f"  (paths grew to {min(final)}–{max(final)} points)")

    lab.model.set_speed(2000)
    painted = _PaintCounter(lab.surface_view.viewport())
    drawn = []
    lab.frameDrawn.connect(lambda: drawn.append(time.perf_counter()))
    start_step = lab.model.steps
    lab.model.set_playing(True)
    loop = QEventLoop()
    QTimer.singleShot(3000, loop.quit)
    loop.exec()
    lab.model.set_playing(False)
    if len(drawn) > 1:
        seconds = drawn[-1] - drawn[0]
        print(
            f"  playing at full speed on the {lab.timer.interval()} ms timer (Qt paints"
            f" on its own): {(len(drawn) - 1) / seconds:.0f} frames per second,"
            f" surface painted {painted.count / 3:.0f} times per second,"
            f" {(lab.model.steps - start_step) / 3:.0f} race steps per second"
        )


class _PaintCounter(QObject):
    """Counts the paint events a widget receives."""

    def __init__(self, widget) -> None:
        super().__init__(widget)
        self.count = 0
        widget.installEventFilter(self)

    def eventFilter(self, obj, event) -> bool:
        if event.type() == QEvent.Type.Paint:
            self.count += 1
        return False


def bench_grid(lab: OptimizerLab, repeats: int) -> None:
    view = lab.surface_view
    names = [n for n in SURFACES if n != lab.model.surface.name]
    change, zoom, compute = [], [], []
    for i in range(repeats):
        name = names[i % len(names)]
        t0 = time.perf_counter()
        lab.select_surface(name)
        ok = _wait(view.gridShown)
        lab.paint_now()
        if ok:
            change.append((time.perf_counter() - t0) * 1000)
            compute.append(view.last_grid.seconds * 1000)
        (x0, x1), (y0, y1) = get_surface(name).domain
        w, h = (x1 - x0) / 4, (y1 - y0) / 4
        cx, cy = x0 + (x1 - x0) * 0.4, y0 + (y1 - y0) * 0.6
        t0 = time.perf_counter()
        view.set_view_range(((cx - w, cx + w), (cy - h, cy + h)))
        ok = _wait(view.gridShown)
        lab.paint_now()
        if ok:
            zoom.append((time.perf_counter() - t0) * 1000)
    print("300×300 grid + contours on screen:")
    print(f"  after changing surface: {_fmt(change)}")
    print(
        f"  after a zoom (incl. {view._range_timer.interval()} ms settle): {_fmt(zoom)}"
    )
    print(f"  of which computing in the worker: {_fmt(compute)}")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--frames", type=int, default=200)
    parser.add_argument("--history", type=int, default=2000)
    parser.add_argument("--repeats", type=int, default=12)
    args = parser.parse_args(argv)
    app = start_app(antialias=True)
    scratch = QTemporaryDir()
    lab = open_lab(lambda s: OptimizerLab(settings=s), scratch_settings(scratch))
    lab.show()
    app.processEvents()
    bench_frames(lab, args.frames, args.history)
    bench_grid(lab, args.repeats)
    close_lab(app, lab)
    return 0


if __name__ == "__main__":
    sys.exit(main())
