"""Folding in the graph explorer: ``python -m benchmarks.explorer_folding``
(also run by ``python -m benchmarks.explorer``).

Prints, as medians: fold to layers and unfold all (model change, re-layout,
scene, one paint of the window at 1280×800) on an unfused 2-16-16-1 MLP,
micrograd's MLP(3, [4, 4, 1]) on its four samples and a 10,000-node grouped
MLP; one step's redraw while folded, and unfolded seen from afar (cards, and
the overview of dots); and how long a 100,000-node grouped graph takes from
built Values to a painted, folded window.

Goals: fold/unfold ≤ 100 ms, a step ≤ 16 ms, 100k nodes folded ≤ 5 s.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from collections.abc import Sequence

GOALS = {"fold": 0.1, "step": 0.016, "load 100k": 5.0}
FAR_VIEWS = (
    (0.25, "at a quarter of reading size"),
    (0.06, "in the overview of dots (0.06 of reading size)"),
)
"""Zooms at which the unfolded 10k MLP's steps are timed, and how each reads."""


def unfused_mlp(sizes: Sequence[int], seed: int = 0) -> dict:
    """One sample through an MLP written out op by op (every multiply and
    add a node), grouped network ▸ layer ▸ neuron; ``{name: Value}``."""
    import random

    from graphviz_dl.engine import Value
    from graphviz_dl.groups import group, put_in_group

    rng = random.Random(seed)
    with group("MLP", "network"):
        h = [Value(0.1 * (i + 1), label=f"x{i}") for i in range(sizes[0])]
        for k in range(1, len(sizes)):
            with group(f"layer {k}", "layer"):
                out = []
                for j in range(sizes[k]):
                    with group(f"neuron {j + 1}", "neuron") as neuron_group:
                        ws = [
                            Value(rng.uniform(-1, 1), label=f"w[{k},{j},{i}]")
                            for i in range(len(h))
                        ]
                        b = Value(0.0, label=f"b[{k},{j}]")
                        put_in_group([*ws, b], neuron_group)
                        z = b
                        for w, x in zip(ws, h, strict=True):
                            z = z + w * x
                        out.append(z.relu() if k < len(sizes) - 1 else z)
                h = out
        loss = (h[0] - Value(0.5, label="y")) ** 2
    loss.label = "L"
    return {"L": loss}


def micrograd_mlp() -> dict:
    """micrograd's demo: MLP(3, [4, 4, 1]) with tanh on its four samples."""
    from graphviz_dl.nn import MLP

    model = MLP(3, [4, 4, 1], activation="tanh", seed=1)
    xs = [[2.0, 3.0, -1.0], [3.0, -1.0, 0.5], [0.5, 1.0, 1.0], [1.0, 1.0, -1.0]]
    ys = [1.0, -1.0, -1.0, 1.0]
    loss = sum((model(x) - y) ** 2 for x, y in zip(xs, ys, strict=True))
    loss.label = "L"
    return {"L": loss}


GRAPHS = {
    "unfused MLP 2-16-16-1": lambda: unfused_mlp([2, 16, 16, 1]),
    "micrograd MLP(3,[4,4,1]) × 4 samples": micrograd_mlp,
    "grouped MLP 8-40-40-40-1 (~10k)": lambda: unfused_mlp([8, 40, 40, 40, 1]),
}


def _ms(seconds: float) -> str:
    return f"{seconds * 1000:.1f} ms"


def _lab(app):
    from PySide6.QtCore import QSettings

    from ui.explorer.lab import ExplorerLab

    settings = QSettings(os.devnull, QSettings.Format.IniFormat)
    lab = ExplorerLab(settings=settings)
    lab.resize(1280, 800)
    lab.show()
    app.processEvents()
    return lab


def _timed(app, lab, change) -> float:
    """A change, then the graph repainted (as a person would see it)."""
    start = time.perf_counter()
    change()
    app.processEvents()
    lab.graph_view.viewport().repaint()
    return time.perf_counter() - start


def bench_graph(app, make, repeat: int) -> dict[str, object]:
    """Fold to layers / unfold all, and a step while folded, on one graph."""
    from graphviz_dl.labs.explorer.program import prepare_values

    program = prepare_values(make())
    lab = _lab(app)
    model = lab.model
    model.set_program(program)
    app.processEvents()
    fold, unfold = [], []
    for _ in range(repeat):
        unfold.append(_timed(app, lab, lambda: model.fold_to("none")))
        fold.append(_timed(app, lab, lambda: model.fold_to("layers")))
    steps = []
    length = model.length
    for position in range(0, length, max(1, length // 60)):
        model.set_position(position)
        app.processEvents()
        steps.append(_timed(app, lab, model.step_forward))
    result = {
        "nodes": program.size,
        "units folded": len(model.folded_graph().units),
        "fold": statistics.median(fold),
        "unfold": statistics.median(unfold),
        "step": statistics.median(steps),
    }
    lab.shutdown()
    lab.close()
    lab.deleteLater()
    app.processEvents()
    return result


def bench_far_steps(app, make, scale: float) -> list[float]:
    """One step's redraw with the graph unfolded and seen from afar (``scale``
    of reading size): with cards, the view follows the walk, which jumps
    between neurons far apart, so most steps repaint the whole view."""
    from graphviz_dl.labs.explorer.program import prepare_values

    lab = _lab(app)
    model = lab.model
    model.set_program(prepare_values(make()))
    model.fold_to("none")
    app.processEvents()
    view = lab.graph_view
    view.zoom_by(scale / view.scale_factor())
    app.processEvents()
    times = []
    for position in range(0, model.length, max(1, model.length // 80)):
        model.set_position(position)
        app.processEvents()
        start = time.perf_counter()
        model.step_forward()
        app.processEvents()  # as a person sees it: only what changed repaints
        times.append(time.perf_counter() - start)
    lab.shutdown()
    lab.close()
    lab.deleteLater()
    app.processEvents()
    return sorted(times)


def bench_100k(app) -> tuple[float, float, int, int]:
    """From built Values to a painted window folded to the level that fits,
    through the app's own loading job; and how much of it is folding."""
    from graphviz_dl.labs.explorer.folds import choose_folds

    values = unfused_mlp([16, 128, 128, 128, 1])
    lab = _lab(app)
    start = time.perf_counter()
    lab.load_values(values, "100k")
    while lab.loader.busy or lab.model.program is None:
        app.processEvents()
        time.sleep(0.005)
    app.processEvents()
    lab.graph_view.viewport().repaint()
    seconds = time.perf_counter() - start
    program = lab.model.program
    fold_start = time.perf_counter()
    choose_folds(program, lab.model.fold_budget)
    folding = time.perf_counter() - fold_start
    units = len(lab.model.folded_graph().units) if lab.model.folding else program.size
    lab.shutdown()
    lab.close()
    return seconds, folding, program.size, units


def report(app, repeat: int = 5, big: bool = True) -> None:
    for name, make in GRAPHS.items():
        r = bench_graph(app, make, repeat)
        print(
            f"{name}: {r['nodes']} nodes, {r['units folded']} units folded to layers; "
            f"fold {_ms(r['fold'])}, unfold all {_ms(r['unfold'])} "
            f"(goal ≤ {_ms(GOALS['fold'])}); one step folded {_ms(r['step'])} "
            f"(goal ≤ {_ms(GOALS['step'])})"
        )
    for scale, seen in FAR_VIEWS:
        times = bench_far_steps(app, GRAPHS["grouped MLP 8-40-40-40-1 (~10k)"], scale)
        p95 = times[int(0.95 * (len(times) - 1))]
        print(
            f"grouped MLP (~10k) unfolded, {seen}: one step "
            f"{_ms(statistics.median(times))}, p95 {_ms(p95)} "
            f"(goal ≤ {_ms(GOALS['step'])})"
        )
    if big:
        seconds, folding, size, units = bench_100k(app)
        print(
            f"{size}-node grouped MLP loaded folded ({units} units): {seconds:.2f} s "
            f"(goal ≤ {GOALS['load 100k']:.0f} s); choosing and laying out its "
            f"folds takes {_ms(folding)} of it, the rest is the walkthrough, "
            "the index and the program text"
        )


def shots(app, out_dir: str) -> list[str]:
    """Each graph folded to layers, mid-backward, at 1280×800: the PNGs' paths."""
    from ui.common.screenshot import save_screenshot
    from ui.main_window import MainWindow

    paths = []
    for name, make in GRAPHS.items():
        window = MainWindow(remember=False)
        window.resize(1280, 800)
        window.show()
        app.processEvents()
        lab = window.explorer
        lab.load_values(make(), name)
        while lab.loader.busy or lab.model.program is None:
            app.processEvents()
        lab.folds.fold_to("layers")
        model = lab.model
        backward = [
            s for s, step in enumerate(model.walk.steps) if step.phase != "forward"
        ]
        target = backward[len(backward) * 2 // 3] + 1
        while model.position < target:
            model.step_forward()
        app.processEvents()
        slug = "".join(c if c.isalnum() else "-" for c in name.lower()).strip("-")
        path = os.path.join(out_dir, f"explorer-folded-{slug}.png")
        save_screenshot(window, path)
        paths.append(path)
        window.explorer.shutdown()
        window.close()
        window.deleteLater()
        app.processEvents()
    return paths


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--no-big", action="store_true", help="skip the 100k graph")
    parser.add_argument("--shots", metavar="DIR", help="only save the screenshots")
    args = parser.parse_args(list(sys.argv[1:] if argv is None else argv))
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from ui.common.standalone import start_app

    app = start_app()
    if args.shots:
        print("\n".join(shots(app, args.shots)))
        return 0
    report(app, args.repeat, big=not args.no_big)
    return 0


if __name__ == "__main__":
    sys.exit(main())
