"""Benchmark of the graph explorer on a 2,000-node graph: ``python -m benchmarks.explorer``.

The graph is one training sample through a small MLP (8 inputs, layers of 40
and 36 neurons, one output) and its squared error, about 2,000 value nodes.
Prints, as medians over several runs:

* build + layout + first paint: from the built Values to a painted window
  (walkthrough, layout, scene, one full paint of the window at 1280×800);
* one step's redraw: moving the cursor one step and repainting the view,
  zoomed out to the whole graph and zoomed in to reading size;
* app start to visible window: a fresh process running the app's entry point,
  from spawn to the window's first paint (and, for reference, a full
  ``--screenshot`` run, and one of a 10,000-node program walked to its end).

Goals: ≤ 0.5 s, ≤ 16 ms, ≤ 1.5 s and ≤ 2.5 s. First, a size sweep of typed
programs from 1k to 20k nodes (:mod:`benchmarks.explorer_sweep`; ``--sweep``
runs only that): load to first paint, walk to the end, one step's redraw,
memory per node. ``--startup`` runs only the fresh-process figures.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Sequence

GOALS = {
    "first paint": 0.5,
    "step redraw": 0.016,
    "start to window": 1.5,
    "10k screenshot": 2.5,
}


def mlp_sample_graph(hidden: Sequence[int] = (40, 36), inputs: int = 8, seed: int = 0):
    """The per-sample graph of an MLP's squared error, as ``{name: Value}``."""
    from graphviz_dl.engine import Value
    from graphviz_dl.nn import MLP

    model = MLP(inputs, [*hidden, 1], activation="tanh", seed=seed)
    xs = [Value(0.1 * (i + 1), label=f"x{i}") for i in range(inputs)]
    target = Value(0.5, label="y")
    prediction = model(xs)
    prediction.label = "ŷ"
    error = prediction - target
    error.label = "e"
    loss = error**2
    loss.label = "L"
    return {"ŷ": prediction, "e": error, "L": loss}


def _ms(seconds: float) -> str:
    return f"{seconds * 1000:.1f} ms"


def bench_first_paint(repeat: int) -> tuple[list[float], int, dict[str, float]]:
    """Build + layout + scene + first paint, timed end to end (and by part)."""
    from PySide6.QtWidgets import QApplication

    from graphviz_dl.labs.explorer.program import prepare_values
    from ui.main_window import MainWindow

    app = QApplication.instance()
    totals: list[float] = []
    parts: dict[str, list[float]] = {
        "walkthrough + layout": [],
        "scene": [],
        "paint": [],
    }
    size = 0
    for _ in range(repeat):
        window = MainWindow(remember=False)
        window.resize(1280, 800)
        window.show()
        app.processEvents()
        values = mlp_sample_graph()
        start = time.perf_counter()
        program = prepare_values(values)
        prepared = time.perf_counter()
        window.model.set_program(program)
        built = time.perf_counter()
        window.grab()  # one full paint of the window
        painted = time.perf_counter()
        totals.append(painted - start)
        parts["walkthrough + layout"].append(prepared - start)
        parts["scene"].append(built - prepared)
        parts["paint"].append(painted - built)
        size = program.size
        window.close()
        window.deleteLater()
        app.processEvents()
    return totals, size, {k: statistics.median(v) for k, v in parts.items()}


def _centre_on_step(view, model) -> None:
    """Centre what shows the current step: its card, or the box folding it."""
    step = model.current_step()
    if step is None:
        return
    if step.node in view.centres:
        view.centerOn(view.centres[step.node])
        return
    span = model.cursor().move_at(model.position)
    if span is None:
        span = model.shown_span(model.position_of(step.node))
    box = view.boxes.get(span) if span is not None else None
    if box is not None:
        view.centerOn(box)


def bench_steps(samples: int) -> dict[str, list[float]]:
    """Time one step (model update + the view's repaint) at two zoom levels,
    folded as the graph opens (network ▸ layer ▸ neuron) and unfolded."""
    from PySide6.QtWidgets import QApplication

    from graphviz_dl.labs.explorer.program import prepare_values
    from ui.explorer.view_zoom import ZoomMixin
    from ui.main_window import MainWindow

    app = QApplication.instance()
    window = MainWindow(remember=False)
    window.resize(1280, 800)
    window.show()
    app.processEvents()
    model = window.model
    model.set_program(prepare_values(mlp_sample_graph()))
    view = window.graph_view
    results: dict[str, list[float]] = {}
    for state in ("folded", "unfolded"):
        if state == "unfolded":
            model.unfold_all()
            app.processEvents()
        length = model.length
        # Spread the sampled steps over the forward and the backward pass.
        stride = max(1, length // samples)
        for label, zoom in (("whole graph", None), ("reading zoom", 1.0)):
            # The whole graph as it is folded now (the Fit button would refold).
            ZoomMixin.fit(view)
            if zoom is not None:
                view.zoom_by(zoom / view.scale_factor())
            model.go_first()
            app.processEvents()
            times = []
            for position in range(0, length, stride):
                model.set_position(position)
                if zoom is not None:
                    _centre_on_step(view, model)
                app.processEvents()
                start = time.perf_counter()
                model.step_forward()
                app.processEvents()  # the scene repaints just what changed
                times.append(time.perf_counter() - start)
            results[f"{state}, {label}"] = times
    window.close()
    return results


def bench_startup(repeat: int) -> dict[str, list[float]]:
    """Fresh processes: spawn to the painted window, to a written screenshot,
    and a 10,000-node program's screenshot walked to its last step. The
    screenshots run the ``graphviz-dl`` script's own entry point (``ui.cli``,
    which leaves at once once all is written)."""
    from benchmarks.explorer_sweep import chain_program

    times: dict[str, list[float]] = {"visible": [], "screenshot": [], "10k": []}
    with tempfile.TemporaryDirectory() as folder:
        # A private settings folder: the bench never reads a person's settings.
        env = dict(os.environ, QT_QPA_PLATFORM="offscreen", XDG_CONFIG_HOME=folder)
        program = os.path.join(folder, "chain10k.gdl")
        with open(program, "w", encoding="utf-8") as out:
            out.write(chain_program(10_000))
        app = [sys.executable, "-m", "ui.cli"]
        runs = {
            "screenshot": [*app, "--screenshot"],
            "10k": [*app, program, "--step", "-1", "--screenshot"],
        }
        for i in range(repeat):
            start = time.time()
            done = subprocess.run(
                [sys.executable, "-m", "benchmarks.explorer", "--startup-child"],
                env=env,
                check=True,
                capture_output=True,
                text=True,
            )
            shown = [
                line for line in done.stdout.splitlines() if line.startswith("VISIBLE")
            ]
            times["visible"].append(float(shown[-1].split()[1]) - start)
            for name, command in runs.items():
                out = os.path.join(folder, f"{name}{i}.png")
                start = time.perf_counter()
                subprocess.run(
                    [*command, out], env=env, check=True, capture_output=True
                )
                times[name].append(time.perf_counter() - start)
    return times


def _startup_child() -> int:
    """Run the real app entry point; report when its window is first painted."""
    from PySide6.QtCore import QTimer
    from PySide6.QtWidgets import QApplication

    app = QApplication([sys.argv[0]])

    def probe() -> None:
        for widget in app.topLevelWidgets():
            if widget.objectName() == "MainWindow" and widget.isVisible():
                widget.repaint()
                print(f"VISIBLE {time.time()!r}", flush=True)
                os._exit(0)
        QTimer.singleShot(1, probe)

    QTimer.singleShot(0, probe)
    from ui.app import main as app_main

    return app_main([])


OFFSCREEN_NOISE = "This plugin does not support propagateSizeHints"
"""What the offscreen platform says of every window: it has no window manager."""


def _quiet_offscreen_noise() -> None:
    """Drop the offscreen platform's window-manager notes; print every other
    Qt message as Qt would."""
    from PySide6.QtCore import qInstallMessageHandler

    def handler(_kind, _context, text: str) -> None:
        if not text.startswith(OFFSCREEN_NOISE):
            sys.stderr.write(f"{text}\n")

    qInstallMessageHandler(handler)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="graphviz-dl bench explorer", description=__doc__.split("\n\n")[0]
    )
    parser.add_argument(
        "--repeat", type=int, default=5, help="runs per figure (default 5)"
    )
    parser.add_argument(
        "--steps", type=int, default=200, help="steps sampled (default 200)"
    )
    parser.add_argument(
        "--sweep",
        action="store_true",
        help="only the size sweep (1k–20k-node typed programs)",
    )
    parser.add_argument(
        "--folding",
        action="store_true",
        help="only the folding figures (benchmarks.explorer_folding)",
    )
    parser.add_argument(
        "--startup",
        action="store_true",
        help="only the fresh-process figures (start to window, --screenshot runs)",
    )
    parser.add_argument("--startup-child", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args(list(sys.argv[1:] if argv is None else argv))
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    if args.startup_child:
        return _startup_child()
    if args.startup:
        report_startup(args.repeat)
        return 0

    from ui.common.standalone import start_app

    app = start_app()
    app.setOrganizationName("graphviz-dl-bench")
    _quiet_offscreen_noise()
    from benchmarks.explorer_folding import report as folding_report
    from benchmarks.explorer_sweep import sweep

    if args.folding:
        folding_report(app, args.repeat)
        return 0
    sweep(app)
    if args.sweep:
        return 0

    totals, size, parts = bench_first_paint(args.repeat)
    first = statistics.median(totals)
    print(f"graph: MLP 8-40-36-1 per-sample squared error, {size} value nodes")
    print(
        f"build + layout + first paint: median {_ms(first)} "
        f"(goal ≤ {_ms(GOALS['first paint'])}, {first / GOALS['first paint']:.2f}× the budget)"
    )
    print("  of which " + ", ".join(f"{k} {_ms(v)}" for k, v in parts.items()))
    for label, times in bench_steps(args.steps).items():
        median = statistics.median(times)
        p95 = sorted(times)[int(0.95 * (len(times) - 1))]
        print(
            f"one step's redraw ({label}): median {_ms(median)}, p95 {_ms(p95)}, "
            f"max {_ms(max(times))} over {len(times)} steps "
            f"(goal ≤ {_ms(GOALS['step redraw'])})"
        )
    folding_report(app, args.repeat)
    report_startup(args.repeat)
    return 0


def report_startup(repeat: int) -> None:
    """Print the fresh-process figures (``--startup`` prints only these)."""
    times = bench_startup(repeat)
    median = statistics.median(times["visible"])
    print(
        f"app start to visible window (fresh process, chain-rule example painted): "
        f"median {median:.2f} s (goal ≤ {GOALS['start to window']:.1f} s, "
        f"{median / GOALS['start to window']:.2f}× the budget)"
    )
    print(
        "  the optimizer lab tab is added just after; a full --screenshot run "
        f"(with the labs, PNG written, exit) takes "
        f"{statistics.median(times['screenshot']):.2f} s"
    )
    shots = times["10k"]
    print(
        "a 10,000-node program, walked to its last step, whole --screenshot "
        f"process: median {statistics.median(shots):.2f} s, range "
        f"{min(shots):.2f}–{max(shots):.2f} s (goal ≤ {GOALS['10k screenshot']:.1f} s)"
    )


if __name__ == "__main__":
    sys.exit(main())
