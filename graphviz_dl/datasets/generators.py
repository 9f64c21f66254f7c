"""The toy data generators, each drawing from ``default_rng(seed)`` in a fixed
order (clean positions, then noise, then the split), so a seed always gives the
same points and the noise slider only moves them."""

from __future__ import annotations

import math
from collections.abc import Callable

import numpy as np

from ..numfmt import format_number
from .dataset import Dataset, test_count

DEFAULT_NOISE = {
    "moons": 0.1,
    "circles": 0.08,
    "xor": 0.05,
    "spiral": 0.05,
    "blobs": 0.3,
    "line": 0.1,
}
"""The noise each generator uses when none is given (in units of the data)."""

XOR_PADDING = 0.1
"""How far XOR's clean points stay from the axes, so their labels are clear."""


def _check(n_points: int, noise: float) -> None:
    if isinstance(n_points, bool) or not isinstance(n_points, int) or n_points < 2:
        raise ValueError(f"n_points must be a whole number ≥ 2, got {n_points!r}")
    if not (math.isfinite(noise) and noise >= 0.0):
        raise ValueError(
            f"noise must be a finite number ≥ 0, got {format_number(noise)}"
        )


def _class_sizes(n: int, k: int) -> list[int]:
    return [n // k + (1 if c < n % k else 0) for c in range(k)]


def _finish(
    name: str,
    clean: np.ndarray,
    y: np.ndarray,
    noise: float,
    rng: np.random.Generator,
    test_fraction: float,
    task: str,
    n_classes: int,
    recipe: dict,
) -> Dataset:
    """Add the noise, deal the split, wrap it up (the fixed order of rng draws)."""
    n = len(y)
    n_test = test_count(n, test_fraction)
    if task == "regression":
        X = clean
        y = y + noise * rng.standard_normal(n)
    else:
        X = clean + noise * rng.standard_normal(clean.shape)
    perm = rng.permutation(n)
    return Dataset(X, y, task, n_classes, perm[n_test:], perm[:n_test], name, recipe)


def _recipe(**kw) -> dict:
    return {k: v for k, v in kw.items() if v is not None}


def moons(
    n_points: int = 200,
    noise: float | None = None,
    *,
    test_fraction: float = 0.2,
    seed: int = 0,
) -> Dataset:
    """Two interleaving half circles (class 0 on top, class 1 below), centred on 0."""
    noise = DEFAULT_NOISE["moons"] if noise is None else float(noise)
    _check(n_points, noise)
    rng = np.random.default_rng(seed)
    n0, n1 = _class_sizes(n_points, 2)
    t = rng.uniform(0.0, math.pi, n_points)
    top = np.column_stack([np.cos(t[:n0]), np.sin(t[:n0])])
    bottom = np.column_stack([1 - np.cos(t[n0:]), 0.5 - np.sin(t[n0:])])
    clean = np.vstack([top, bottom]) - np.array([0.5, 0.25])
    y = np.repeat([0, 1], [n0, n1])
    recipe = _recipe(
        n_points=n_points, noise=noise, test_fraction=test_fraction, seed=seed
    )
    return _finish("moons", clean, y, noise, rng, test_fraction, "binary", 2, recipe)


def circles(
    n_points: int = 200,
    noise: float | None = None,
    *,
    factor: float = 0.5,
    test_fraction: float = 0.2,
    seed: int = 0,
) -> Dataset:
    """A ring of radius 1 (class 0) around a circle of radius ``factor`` (class 1)."""
    noise = DEFAULT_NOISE["circles"] if noise is None else float(noise)
    _check(n_points, noise)
    if not 0.0 < factor < 1.0:
        raise ValueError(f"factor must be in (0, 1), got {format_number(factor)}")
    rng = np.random.default_rng(seed)
    n0, n1 = _class_sizes(n_points, 2)
    angle = rng.uniform(0.0, 2 * math.pi, n_points)
    radius = np.repeat([1.0, factor], [n0, n1])
    clean = radius[:, None] * np.column_stack([np.cos(angle), np.sin(angle)])
    y = np.repeat([0, 1], [n0, n1])
    recipe = _recipe(
        n_points=n_points,
        noise=noise,
        factor=factor,
        test_fraction=test_fraction,
        seed=seed,
    )
    return _finish("circles", clean, y, noise, rng, test_fraction, "binary", 2, recipe)


def xor(
    n_points: int = 200,
    noise: float | None = None,
    *,
    test_fraction: float = 0.2,
    seed: int = 0,
) -> Dataset:
    """Points in [−1, 1]², label 1 where both coordinates share a sign.

    Clean points keep :data:`XOR_PADDING` from the axes; the label is that of
    the clean point, so noise can carry a point across an axis (as in
    TensorFlow Playground).
    """
    noise = DEFAULT_NOISE["xor"] if noise is None else float(noise)
    _check(n_points, noise)
    rng = np.random.default_rng(seed)
    u = rng.uniform(-1.0, 1.0, (n_points, 2))
    clean = u + np.where(u >= 0, XOR_PADDING, -XOR_PADDING)
    y = (clean[:, 0] * clean[:, 1] > 0).astype(np.int64)
    recipe = _recipe(
        n_points=n_points, noise=noise, test_fraction=test_fraction, seed=seed
    )
    return _finish("xor", clean, y, noise, rng, test_fraction, "binary", 2, recipe)


def spiral(
    n_points: int = 200,
    noise: float | None = None,
    *,
    turns: float = 1.75,
    test_fraction: float = 0.2,
    seed: int = 0,
) -> Dataset:
    """Two spirals from the centre out to radius 1, ``turns`` turns each, half a
    turn apart (class 1 is class 0 rotated by π)."""
    noise = DEFAULT_NOISE["spiral"] if noise is None else float(noise)
    _check(n_points, noise)
    if not turns > 0:
        raise ValueError(f"turns must be > 0, got {format_number(turns)}")
    rng = np.random.default_rng(seed)
    n0, n1 = _class_sizes(n_points, 2)
    t = rng.uniform(0.05, 1.0, n_points)
    y = np.repeat([0, 1], [n0, n1])
    angle = 2 * math.pi * turns * t + math.pi * y
    clean = t[:, None] * np.column_stack([np.cos(angle), np.sin(angle)])
    recipe = _recipe(
        n_points=n_points,
        noise=noise,
        turns=turns,
        test_fraction=test_fraction,
        seed=seed,
    )
    return _finish("spiral", clean, y, noise, rng, test_fraction, "binary", 2, recipe)


def blobs(
    n_points: int = 200,
    noise: float | None = None,
    *,
    n_classes: int = 2,
    test_fraction: float = 0.2,
    seed: int = 0,
) -> Dataset:
    """``n_classes`` (2 or 3) round Gaussian clusters with centres on the unit
    circle; ``noise`` is each cluster's standard deviation."""
    noise = DEFAULT_NOISE["blobs"] if noise is None else float(noise)
    _check(n_points, noise)
    if n_classes not in (2, 3):
        raise ValueError(f"blobs come in 2 or 3 classes, not {n_classes!r}")
    rng = np.random.default_rng(seed)
    sizes = _class_sizes(n_points, n_classes)
    y = np.repeat(np.arange(n_classes), sizes)
    angle = math.pi / 2 + 2 * math.pi * np.arange(n_classes) / n_classes
    centres = np.column_stack([np.cos(angle), np.sin(angle)])
    clean = centres[y]
    task = "binary" if n_classes == 2 else "multiclass"
    recipe = _recipe(
        n_points=n_points,
        noise=noise,
        n_classes=n_classes,
        test_fraction=test_fraction,
        seed=seed,
    )
    return _finish(
        "blobs", clean, y, noise, rng, test_fraction, task, n_classes, recipe
    )


def line(
    n_points: int = 200,
    noise: float | None = None,
    *,
    slope: float = 0.8,
    intercept: float = 0.2,
    test_fraction: float = 0.2,
    seed: int = 0,
) -> Dataset:
    """1-D regression: x uniform in [−1, 1], y = slope·x + intercept + noise."""
    noise = DEFAULT_NOISE["line"] if noise is None else float(noise)
    _check(n_points, noise)
    rng = np.random.default_rng(seed)
    x = rng.uniform(-1.0, 1.0, n_points)
    y = slope * x + intercept
    recipe = _recipe(
        n_points=n_points,
        noise=noise,
        slope=slope,
        intercept=intercept,
        test_fraction=test_fraction,
        seed=seed,
    )
    return _finish(
        "line", x[:, None], y, noise, rng, test_fraction, "regression", 0, recipe
    )


GENERATORS: dict[str, Callable[..., Dataset]] = {
    "moons": moons,
    "circles": circles,
    "xor": xor,
    "spiral": spiral,
    "blobs": blobs,
    "line": line,
}
"""Every generator by name, in menu order."""


def make_dataset(name: str, **options) -> Dataset:
    """The dataset ``name`` (a key of :data:`GENERATORS`) with its options."""
    generator = GENERATORS.get(name)
    if generator is None:
        raise ValueError(
            f"unknown dataset {name!r}; choose one of: {', '.join(GENERATORS)}"
        )
    return generator(**options)


def empty(
    task: str = "binary", *, n_inputs: int = 2, n_classes: int | None = None
) -> Dataset:
    """A dataset without points, to be filled by clicking."""
    if n_classes is None:
        n_classes = {"binary": 2, "multiclass": 3, "regression": 0}.get(task, 2)
    none = np.zeros(0, dtype=np.intp)
    return Dataset(
        np.zeros((0, n_inputs)),
        np.zeros(0),
        task,
        n_classes,
        none,
        none.copy(),
        "empty",
    )
