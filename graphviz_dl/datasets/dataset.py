"""A :class:`Dataset`: points, targets, a task and a train/test split, editable
point by point and written to CSV; and :class:`DatasetFileError` for a file
that cannot be read as one."""

from __future__ import annotations

import csv
import io
import os
from collections.abc import Sequence
from dataclasses import dataclass, field

import numpy as np

from ..atomic import atomic_write_text
from ..numfmt import format_number

TASKS = ("binary", "multiclass", "regression")
"""What a dataset asks of a model: two classes, three or more, or a number."""


class DatasetFileError(ValueError):
    """A CSV file that is not a dataset: names the file, the line and the field."""

    def __init__(
        self,
        path: str,
        message: str,
        line: int | None = None,
        field: str | None = None,
        column: int | None = None,
    ) -> None:
        self.path = path
        self.line = line
        self.field = field
        self.column = column  # counted from 1, as a spreadsheet shows it
        where = os.path.basename(path) or path
        if line is not None:
            where += f", line {line}"
        if column is not None:
            where += f", column {column}"
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
        """Write ``x0,…,y,split`` rows (a comment line first records the task),
        atomically: a failure or a kill leaves any old file whole."""
        atomic_write_text(path, self.csv_text())

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
        """Read a CSV table: inputs ``x0, x1, …`` (or ``x,y``, ``x1,x2``,
        ``feature_1,feature_2``), one target ``y`` (or ``label``/``target``/
        ``class``) and an optional ``split`` (train/test); or no header (the
        last column is the target). Separated by ``,``, ``;`` or tabs.

        The task comes from ``task``, else from a ``# … task: binary`` comment,
        else from the data (1 input → regression; whole labels → classes).
        Without a split column, ``test_fraction`` of the points (drawn with
        ``seed``) are held out.
        """
        from .csv_reader import read_csv  # the reader builds Datasets itself

        return read_csv(path, task=task, test_fraction=test_fraction, seed=seed)


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


def test_count(n: int, test_fraction: float) -> int:
    """How many of ``n`` points a ``test_fraction`` holds out; checks it."""
    if not 0.0 <= test_fraction < 1.0:
        raise ValueError(
            f"test_fraction must be in [0, 1), got {format_number(test_fraction)}"
        )
    return round(n * test_fraction)
