"""How often the training lab redraws the 100×100 boundary while training.

``python -m benchmarks.training_lab [--seconds S] [--repeats R] [--dataset NAME]``
opens the lab offscreen, presses Play and counts, over each window of S
seconds, the boundary redraws that reached the screen and the optimizer
steps taken; it prints each window and the
medians. The goal: at least 20 redraws per second while training.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.training_lab")
    parser.add_argument("--seconds", type=float, default=3.0)
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--dataset", default="spiral")
    args = parser.parse_args(sys.argv[1:] if argv is None else argv)
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")

    from PySide6.QtCore import QEventLoop, QTemporaryDir, QTimer

    from ui.common.standalone import open_lab, scratch_settings, start_app
    from ui.training_lab.lab import TrainingLab

    app = start_app()
    scratch = QTemporaryDir()
    settings = scratch_settings(scratch, "bench.ini")
    lab = open_lab(lambda s: TrainingLab(settings=s), settings)
    lab.show()
    lab.select_dataset(args.dataset)
    app.processEvents()
    view = lab.boundary_view
    config = lab.model.config
    print(
        f"training lab, {args.dataset}: {lab.model.dataset.n_points} points, "
        f"hidden {config.hidden}, batch {config.batch_size}, "
        f"boundary {view.image_data().shape[1]}×{view.image_data().shape[0]}"
    )
    redraws, steps = [], []
    lab.model.set_playing(True)
    loop = QEventLoop()
    for _ in range(args.repeats):
        r0, s0, t0 = view.redraws, lab.model.frame.step, time.perf_counter()
        QTimer.singleShot(int(args.seconds * 1000), loop.quit)
        loop.exec()
        elapsed = time.perf_counter() - t0
        redraws.append((view.redraws - r0) / elapsed)
        steps.append((lab.model.frame.step - s0) / elapsed)
        print(
            f"  {elapsed:.1f} s: {redraws[-1]:.1f} boundary redraws/s, "
            f"{steps[-1]:.0f} optimizer steps/s"
        )
    lab.shutdown()
    print(
        f"median: {statistics.median(redraws):.1f} boundary redraws/s "
        f"(goal ≥ 20), {statistics.median(steps):.0f} steps/s while drawing"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
