"""Toy data for the training lab: 2-D classification sets and a 1-D regression set.

Every generator draws from ``numpy.random.default_rng(seed)`` in a fixed
order: first the clean positions, then standard-normal noise scaled by
``noise``, then the train/test split. So the same seed always gives the same
points; moving the noise slider moves the same points further from their
clean place (it never re-deals them); changing the test fraction never moves
a point.

=============  ==========  ===========================================================
name           task        shape
=============  ==========  ===========================================================
``moons``      binary      two interleaved half circles
``circles``    binary      a ring around a disc (radius 1 and 0.5)
``xor``        binary      the four quadrants, label 1 where x₀·x₁ > 0
``spiral``     binary      two spirals of 1.75 turns, half a turn apart
``blobs``      binary or   2 or 3 Gaussian clusters on a circle of radius 1
               multiclass  (``noise`` is the clusters' standard deviation)
``line``       regression  y = slope·x + intercept plus noise, x in [−1, 1]
=============  ==========  ===========================================================

A :class:`Dataset` holds ``X`` ``[n, d]`` (float64), ``y`` ``[n]`` (class
indices as int64, or float64 targets), its ``task`` and the indices of the
training and test points. Points can be added (a click in the lab) or
removed, and the whole set saved to and loaded from CSV; a file that cannot
be read is reported with its name, line and field (:class:`DatasetFileError`).
"""

from __future__ import annotations

import csv
import io
import math
import os
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

import numpy as np

from .numfmt import format_number

TASKS = ("binary", "multiclass", "regression")
"""What a dataset asks of a model: two classes, three or more, or a number."""

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


class DatasetFileError(ValueError):
    """A CSV file that is not a dataset: names the file, the line and the field."""

    def __init__(
        self, path: str, message: str, line: int | None = None, field: str | None = None
    ) -> None:
        self.path = path
        self.line = line
        self.field = field
        where = os.path.basename(path) or path
        if line is not None:
            where += f", line {line}"
        if field is not None:
            where += f", field {field!r}"
        super().__init__(f"{where}: {message}")


@dataclass(eq=False)
class Dataset:
    """Points ``X`` with targets ``y``, a task, and a train/test split.

    ``n_classes`` is 2 for ``binary``, ≥ 3 for ``multiclass`` and 0 for
    ``regression``. ``train_index`` and ``test_index`` are sorted, disjoint
    and together cover every point. ``name`` says where the data came from.
    """

    X: np.ndarray
    y: np.ndarray
    task: str
    n_classes: int
    train_index: np.ndarray
    test_index: np.ndarray
    name: str = "custom"
    recipe: dict[str, float | int | str] = field(default_factory=dict)

    def __post_init__(self) -> None:
        if self.task not in TASKS:
            raise ValueError(
                f"unknown task {self.task!r}; choose one of: {', '.join(TASKS)}"
            )
        X = np.asarray(self.X, dtype=np.float64)
        if X.ndim != 2 or X.shape[1] < 1:
            raise ValueError(f"X must be [points, inputs], not of shape {X.shape}")
        if not np.isfinite(X).all():
            raise ValueError("every coordinate of X must be a finite number")
        n = X.shape[0]
        self.X = X
        self.y = self._checked_targets(self.y, n)
        self.train_index = _index_array(self.train_index)
        self.test_index = _index_array(self.test_index)
        every = np.concatenate([self.train_index, self.test_index])
        if every.size != n or not np.array_equal(np.sort(every), np.arange(n)):
            raise ValueError(
                "train_index and test_index must split the points: every index "
                f"from 0 to {n - 1} exactly once"
            )

    def _checked_targets(self, y, n: int) -> np.ndarray:
        y = np.asarray(y)
        if y.shape != (n,):
            raise ValueError(
                f"y must hold one target per point ({n}), not shape {y.shape}"
            )
        if self.task == "regression":
            if self.n_classes != 0:
                raise ValueError("a regression dataset has n_classes = 0")
            y = y.astype(np.float64)
            if not np.isfinite(y).all():
                raise ValueError("every regression target must be a finite number")
            return y
        low = 2 if self.task == "binary" else 3
        if self.task == "binary" and self.n_classes != 2:
            raise ValueError(f"a binary dataset has 2 classes, not {self.n_classes}")
        if self.n_classes < low:
            raise ValueError(
                f"a multiclass dataset has ≥ 3 classes, not {self.n_classes}"
            )
        if y.size and (
            y.dtype.kind not in "biuf"
            or not np.array_equal(y, np.round(y))
            or y.min() < 0
            or y.max() >= self.n_classes
        ):
            raise ValueError(
                f"class labels must be whole numbers from 0 to {self.n_classes - 1}"
            )
        return y.astype(np.int64)

    # --- views ----------------------------------------------------------------------
    @property
    def n_points(self) -> int:
        return self.X.shape[0]

    @property
    def n_inputs(self) -> int:
        """Coordinates per point: 2 for the classification sets, 1 for ``line``."""
        return self.X.shape[1]

    @property
    def X_train(self) -> np.ndarray:
        return self.X[self.train_index]

    @property
    def y_train(self) -> np.ndarray:
        return self.y[self.train_index]

    @property
    def X_test(self) -> np.ndarray:
        return self.X[self.test_index]

    @property
    def y_test(self) -> np.ndarray:
        return self.y[self.test_index]

    def is_test(self) -> np.ndarray:
        """A boolean per point: True where the point is held out for testing."""
        mask = np.zeros(self.n_points, dtype=bool)
        mask[self.test_index] = True
        return mask

    def extent(self, margin: float = 0.15) -> tuple[float, float, float, float]:
        """``(x_min, x_max, y_min, y_max)`` around the data, padded by ``margin``.

        For 2-D inputs a square around both coordinates (the plane the
        boundary is drawn on); for 1-D regression the input range and the
        target range. Without points, ``(−1.5, 1.5, −1.5, 1.5)``.
        """
        if self.n_points == 0:
            return (-1.5, 1.5, -1.5, 1.5)
        if self.n_inputs == 1:
            horizontal = self.X[:, 0]
            vertical = self.y.astype(np.float64)
            return (*_padded(horizontal, margin), *_padded(vertical, margin))
        lo = self.X[:, :2].min(axis=0)
        hi = self.X[:, :2].max(axis=0)
        half = max(float((hi - lo).max()) / 2, 0.5) * (1 + 2 * margin)
        mid = (lo + hi) / 2
        return (
            float(mid[0] - half),
            float(mid[0] + half),
            float(mid[1] - half),
            float(mid[1] + half),
        )

    def copy(self) -> Dataset:
        return Dataset(
            self.X.copy(),
            self.y.copy(),
            self.task,
            self.n_classes,
            self.train_index.copy(),
            self.test_index.copy(),
            self.name,
            dict(self.recipe),
        )

    # --- editing --------------------------------------------------------------------
    def add_point(self, x: Sequence[float], y: float, *, test: bool = False) -> int:
        """Add one point (a click in the lab); returns its index.

        ``y`` is the class (left button 0, right button 1, …) or the
        regression target. The point joins the training set unless ``test``.
        """
        row = np.asarray(x, dtype=np.float64).reshape(-1)
        if row.shape != (self.n_inputs,):
            raise ValueError(
                f"a point of this dataset has {self.n_inputs} coordinate(s), "
                f"not {row.size}"
            )
        if not np.isfinite(row).all():
            raise ValueError("a point's coordinates must be finite numbers")
        target = self._checked_targets(np.array([y]), 1)
        index = self.n_points
        self.X = np.vstack([self.X, row[None, :]])
        self.y = np.concatenate([self.y, target])
        if test:
            self.test_index = np.append(self.test_index, index)
        else:
            self.train_index = np.append(self.train_index, index)
        self.name = _edited(self.name)
        return index

    def remove_point(self, index: int) -> None:
        """Delete point ``index``; later points move down by one."""
        if not 0 <= index < self.n_points:
            raise IndexError(
                f"there is no point {index} (the dataset has {self.n_points})"
            )
        keep = np.arange(self.n_points) != index
        self.X = self.X[keep]
        self.y = self.y[keep]

        def shift(indices: np.ndarray) -> np.ndarray:
            indices = indices[indices != index]
            return indices - (indices > index)

        self.train_index = shift(self.train_index)
        self.test_index = shift(self.test_index)
        self.name = _edited(self.name)

    # --- files ------------------------------------------------------------------------
    def to_csv(self, path: str | os.PathLike) -> None:
        """Write ``x0,…,y,split`` rows (a comment line first records the task)."""
        with open(path, "w", newline="", encoding="utf-8") as handle:
            handle.write(self.csv_text())

    def csv_text(self) -> str:
        """The CSV that :meth:`to_csv` writes, as a string."""
        out = io.StringIO()
        out.write(
            f"# dataset: {self.name}; task: {self.task}; classes: {self.n_classes}\n"
        )
        writer = csv.writer(out, lineterminator="\n")
        writer.writerow([*(f"x{i}" for i in range(self.n_inputs)), "y", "split"])
        test = self.is_test()
        for row, target, held_out in zip(self.X.tolist(), self.y.tolist(), test):
            writer.writerow(
                [*(repr(v) for v in row), repr(target), "test" if held_out else "train"]
            )
        return out.getvalue()

    @classmethod
    def from_csv(
        cls,
        path: str | os.PathLike,
        *,
        task: str | None = None,
        test_fraction: float = 0.2,
        seed: int = 0,
    ) -> Dataset:
        """Read a CSV with a header row: columns ``x0, x1, …`` then ``y``
        (or ``label``/``target``) and an optional ``split`` (train/test).

        The task comes from ``task``, else from a ``# … task: binary`` comment,
        else from the data (1 input → regression; whole labels → classes).
        Without a split column, ``test_fraction`` of the points (drawn with
        ``seed``) are held out.
        """
        path = os.fspath(path)
        try:
            with open(path, encoding="utf-8", newline="") as handle:
                text = handle.read()
        except OSError as error:
            raise DatasetFileError(path, f"cannot be read ({error.strerror})") from None
        except UnicodeDecodeError:
            raise DatasetFileError(path, "is not UTF-8 text") from None
        return parse_csv(text, path, task=task, test_fraction=test_fraction, seed=seed)


def _index_array(indices) -> np.ndarray:
    array = np.asarray(indices)
    if array.size == 0:
        return np.zeros(0, dtype=np.intp)
    if array.dtype.kind not in "iu":
        raise ValueError("split indices must be whole numbers")
    return np.sort(array.astype(np.intp))


def _padded(values: np.ndarray, margin: float) -> tuple[float, float]:
    lo, hi = float(values.min()), float(values.max())
    pad = max(hi - lo, 1.0) * margin
    return lo - pad, hi + pad


def _edited(name: str) -> str:
    return name if name.endswith(" (edited)") else f"{name} (edited)"


# --- reading CSV ----------------------------------------------------------------------


def parse_csv(
    text: str,
    path: str = "<text>",
    *,
    task: str | None = None,
    test_fraction: float = 0.2,
    seed: int = 0,
) -> Dataset:
    """A :class:`Dataset` from CSV text (see :meth:`Dataset.from_csv`)."""
    if task is not None and task not in TASKS:
        raise ValueError(f"unknown task {task!r}; choose one of: {', '.join(TASKS)}")
    hinted: dict[str, str] = {}
    rows: list[tuple[int, list[str]]] = []
    for number, line in enumerate(text.splitlines(), start=1):
        stripped = line.strip()
        if not stripped:
            continue
        if stripped.startswith("#"):
            hinted.update(_comment_fields(stripped[1:]))
            continue
        rows.append((number, next(csv.reader([line]))))
    if not rows:
        raise DatasetFileError(path, "has no header row (expected x0,x1,y,split)")
    header_line, header = rows[0]
    columns = _columns(path, header_line, [name.strip().lower() for name in header])
    inputs, target, split = columns
    X, y, held_out = [], [], []
    for number, values in rows[1:]:
        if len(values) != len(header):
            raise DatasetFileError(
                path,
                f"expected {len(header)} fields ({', '.join(h.strip() for h in header)}), "
                f"found {len(values)}",
                number,
            )
        X.append([_number(path, number, header[i].strip(), values[i]) for i in inputs])
        y.append(_number(path, number, header[target].strip(), values[target], True))
        if split is not None:
            held_out.append(_split(path, number, header[split].strip(), values[split]))
    X_array = np.array(X, dtype=np.float64).reshape(len(X), len(inputs))
    y_array = np.array(y, dtype=np.float64)
    task, n_classes = _task(path, task or hinted.get("task"), X_array, y_array, rows)
    n = len(y)
    if split is None:
        rng = np.random.default_rng(seed)
        perm = rng.permutation(n)
        n_test = _test_count(n, test_fraction)
        test_index, train_index = perm[:n_test], perm[n_test:]
    else:
        flags = np.array(held_out, dtype=bool)
        test_index, train_index = np.flatnonzero(flags), np.flatnonzero(~flags)
    name = hinted.get("dataset") or os.path.splitext(os.path.basename(path))[0]
    if task != "regression":
        y_array = y_array.astype(np.int64)
    return Dataset(X_array, y_array, task, n_classes, train_index, test_index, name)


def _comment_fields(text: str) -> dict[str, str]:
    out = {}
    for part in text.split(";"):
        key, colon, value = part.partition(":")
        if colon:
            out[key.strip().lower()] = value.strip()
    return out


def _columns(path: str, line: int, names: list[str]):
    inputs = [i for i, name in enumerate(names) if name == "x" or _is_input(name)]
    targets = [i for i, name in enumerate(names) if name in ("y", "label", "target")]
    splits = [i for i, name in enumerate(names) if name == "split"]
    unknown = [
        names[i]
        for i in range(len(names))
        if i not in inputs and i not in targets and i not in splits
    ]
    if unknown:
        raise DatasetFileError(
            path,
            f"unknown column {unknown[0]!r}; the header names inputs x0, x1, …, "
            "then y (or label/target) and optionally split",
            line,
        )
    if not inputs:
        raise DatasetFileError(path, "no input column (x0, x1, …) in the header", line)
    if len(targets) != 1:
        raise DatasetFileError(
            path, "the header needs exactly one target column: y, label or target", line
        )
    if len(splits) > 1:
        raise DatasetFileError(path, "the header names the split column twice", line)
    return inputs, targets[0], (splits[0] if splits else None)


def _is_input(name: str) -> bool:
    return len(name) > 1 and name[0] == "x" and name[1:].isdigit()


def _number(path: str, line: int, name: str, text: str, target: bool = False) -> float:
    try:
        value = float(text.strip().replace("\u2212", "-"))
    except ValueError:
        raise DatasetFileError(
            path, f"{text.strip()!r} is not a number", line, name
        ) from None
    if not math.isfinite(value):
        what = "a target" if target else "a coordinate"
        raise DatasetFileError(
            path,
            f"{what} must be a finite number, not {format_number(value)}",
            line,
            name,
        )
    return value


def _split(path: str, line: int, name: str, text: str) -> bool:
    word = text.strip().lower()
    if word not in ("train", "test"):
        raise DatasetFileError(
            path, f"the split is 'train' or 'test', not {text.strip()!r}", line, name
        )
    return word == "test"


def _task(path, task, X, y, rows) -> tuple[str, int]:
    whole = bool(y.size) and np.array_equal(y, np.round(y)) and y.min() >= 0
    if task is None:
        if X.shape[1] == 1 or not whole:
            task = "regression"
        else:
            task = "binary" if y.size == 0 or y.max() <= 1 else "multiclass"
    if task not in TASKS:
        raise DatasetFileError(path, f"unknown task {task!r} in the comment line")
    if task == "regression":
        return task, 0
    for (number, values), label in zip(rows[1:], y.tolist()):
        if label != round(label) or label < 0:
            raise DatasetFileError(
                path,
                f"a class label is a whole number ≥ 0, not {format_number(label)}",
                number,
            )
    top = int(y.max()) + 1 if y.size else 2
    if task == "binary":
        if top > 2:
            line = rows[1 + int(np.argmax(y))][0]
            raise DatasetFileError(
                path, "a binary dataset has labels 0 and 1 only", line
            )
        return task, 2
    return task, max(top, 3)


# --- generators -----------------------------------------------------------------------


def _test_count(n: int, test_fraction: float) -> int:
    if not 0.0 <= test_fraction < 1.0:
        raise ValueError(
            f"test_fraction must be in [0, 1), got {format_number(test_fraction)}"
        )
    return round(n * test_fraction)


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
    n_test = _test_count(n, test_fraction)
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
