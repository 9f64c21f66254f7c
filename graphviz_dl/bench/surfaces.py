"""The surface benchmark: grids against hand-written numpy, and race speed.

Run it with ``graphviz-dl bench surfaces`` or ``python -m graphviz_dl.bench.surfaces``
(``--quick`` for fewer repeats). What is measured:

1. every built-in surface on a 400×400 grid, through ``Surface.evaluate`` (the
   one definition shared with the engine), against the same formula typed
   directly in numpy on the same arrays; target: at most 2× numpy;
2. races of 8 optimizers (SGD, momentum, Nesterov, Adagrad, RMSprop, Adam,
   AdamW, Adadelta) advancing together; target: at least 1,000 steps per
   second in total (every step is a gradient through the engine, an
   optimizer update and a history row).

Figures are medians of several repeats.
"""

from __future__ import annotations

import statistics
import time
from collections.abc import Callable

import numpy as np
from scipy.special import expit

from ..race import Race, RunConfig
from ..surfaces import SURFACES, Surface
from . import harness

GRID = 400
GRID_TARGET = 2.0
STEPS_TARGET = 1000.0
RACE_CONFIGS = (
    "sgd:lr=1e-3",
    "momentum:lr=1e-3",
    "nesterov:lr=1e-3",
    "adagrad:lr=0.1",
    "rmsprop:lr=0.01",
    "adam:lr=0.02",
    "adamw:lr=0.02",
    "adadelta",
)
RACE_SURFACES = ("rosenbrock", "goldstein-price", "rastrigin", "linear-regression-mse")


def _direct(surface: Surface) -> Callable[[np.ndarray, np.ndarray], np.ndarray]:
    """The surface's formula typed straight into numpy (the reference)."""
    name = surface.name
    if name == "quadratic-bowl":
        return lambda x, y: x**2 + y**2
    if name == "elongated-bowl":
        kappa = surface.parameter_value
        return lambda x, y: (x**2 + kappa * y**2) / 2
    if name == "rosenbrock":
        return lambda x, y: (1 - x) ** 2 + 100 * (y - x**2) ** 2
    if name == "beale":
        return lambda x, y: (
            (1.5 - x + x * y) ** 2
            + (2.25 - x + x * y**2) ** 2
            + (2.625 - x + x * y**3) ** 2
        )
    if name == "himmelblau":
        return lambda x, y: (x**2 + y - 11) ** 2 + (x + y**2 - 7) ** 2
    if name == "saddle":
        return lambda x, y: x**2 - y**2
    if name == "monkey-saddle":
        return lambda x, y: x**3 - 3 * x * y**2
    if name == "six-hump-camel":
        return lambda x, y: (
            (4 - 2.1 * x**2 + x**4 / 3) * x**2 + x * y + (-4 + 4 * y**2) * y**2
        )
    if name == "rastrigin":
        return lambda x, y: (
            20 + x**2 - 10 * np.cos(2 * np.pi * x) + y**2 - 10 * np.cos(2 * np.pi * y)
        )
    if name == "goldstein-price":
        return lambda x, y: (
            (
                1
                + (x + y + 1) ** 2
                * (19 - 14 * x + 3 * x**2 - 14 * y + 6 * x * y + 3 * y**2)
            )
            * (
                30
                + (2 * x - 3 * y) ** 2
                * (18 - 32 * x + 12 * x**2 + 48 * y - 36 * x * y + 27 * y**2)
            )
        )
    data = surface.data
    xs, ys = data["x"], data["y"]
    if name == "linear-regression-mse":
        return lambda w, b: ((w[..., None] * xs + b[..., None] - ys) ** 2).mean(axis=-1)
    if name == "logistic-regression-bce":

        def bce(w, b):
            z = w[..., None] * xs + b[..., None]
            return np.where(ys == 1.0, -np.log(expit(z)), -np.log(expit(-z))).mean(
                axis=-1
            )

        return bce
    raise KeyError(f"no direct numpy formula for {name!r}")


def _paired_medians(
    a: Callable[[], object], b: Callable[[], object], repeats: int
) -> tuple[float, float]:
    """Median seconds per call of ``a`` and ``b``, measured alternately.

    Alternating (and batching calls to at least ~20 ms) keeps a busy machine
    from favouring whichever runs first or last.
    """
    a(), b()
    start = time.perf_counter()
    a()
    once = max(time.perf_counter() - start, 1e-6)
    loops = max(1, int(0.02 / once))
    times_a, times_b = [], []
    for _ in range(repeats):
        for work, times in ((a, times_a), (b, times_b)):
            start = time.perf_counter()
            for _ in range(loops):
                work()
            times.append((time.perf_counter() - start) / loops)
    return statistics.median(times_a), statistics.median(times_b)


def bench_grids(repeats: int) -> list[tuple[str, float, float]]:
    """(surface, ours in s, numpy in s) for every built-in surface."""
    rows = []
    for surface in SURFACES.values():
        (x0, x1), (y0, y1) = surface.domain
        X, Y = np.meshgrid(np.linspace(x0, x1, GRID), np.linspace(y0, y1, GRID))
        direct = _direct(surface)

        def reference(direct=direct, X=X, Y=Y):
            with np.errstate(all="ignore"):
                return direct(X, Y)

        def ours(surface=surface, X=X, Y=Y):
            return surface.evaluate(X, Y)

        if not np.allclose(ours(), reference(), rtol=1e-12, atol=1e-12, equal_nan=True):
            raise AssertionError(f"{surface.name}: grid differs from the numpy formula")
        rows.append((surface.name, *_paired_medians(ours, reference, repeats)))
    return rows


def bench_race(name: str, steps: int, repeats: int) -> float:
    """Total steps per second of 8 optimizers racing on surface ``name``."""
    surface = SURFACES[name]
    configs = [RunConfig.parse(text) for text in RACE_CONFIGS]

    def race() -> None:
        Race(surface, surface.start, configs).step(steps)

    return len(configs) * steps / harness.median_seconds(race, repeats)


def run(quick: bool = False) -> None:
    """Measure and print; ``quick`` uses fewer repeats and shorter races."""
    repeats = 3 if quick else 11
    steps = 100 if quick else 1000
    print(f"Surface grids, {GRID}×{GRID}: Surface.evaluate vs the formula in numpy")
    print(f"(median of {repeats}; target: ratio ≤ {GRID_TARGET:g})")
    print(f"{'surface':<26}{'ours ms':>10}{'numpy ms':>10}{'ratio':>8}")
    worst = 0.0
    for name, ours, direct in bench_grids(repeats):
        ratio = ours / direct
        worst = max(worst, ratio)
        print(f"{name:<26}{ours * 1e3:>10.2f}{direct * 1e3:>10.2f}{ratio:>8.2f}")
    verdict = "met" if worst <= GRID_TARGET else "MISSED"
    print(f"worst ratio {worst:.2f}: target {verdict}")
    print()
    print(
        f"Races of 8 optimizers, {steps} steps each (median of {max(1, repeats // 3)})"
    )
    print(f"(target: ≥ {STEPS_TARGET:,.0f} steps/s in total)")
    print(f"{'surface':<26}{'steps/s':>12}")
    for name in RACE_SURFACES:
        rate = bench_race(name, steps, max(1, repeats // 3))
        mark = "" if rate >= STEPS_TARGET else "  (below target)"
        print(f"{name:<26}{rate:>12,.0f}{mark}")


def main(argv: list[str] | None = None) -> int:
    return harness.main(
        argv, "python -m graphviz_dl.bench.surfaces", run, quick_help="fewer repeats"
    )


if __name__ == "__main__":
    harness.entry_point(main, __file__)
