"""Reading a dataset from CSV, with errors that name the file, line and field."""

from __future__ import annotations

import csv
import math
import os

import numpy as np

from ..numfmt import format_number
from .dataset import TASKS, Dataset, DatasetFileError, test_count


def read_csv(
    path: str | os.PathLike,
    *,
    task: str | None = None,
    test_fraction: float = 0.2,
    seed: int = 0,
) -> Dataset:
    """The dataset in the CSV file ``path`` (see :meth:`Dataset.from_csv`)."""
    path = os.fspath(path)
    try:
        with open(path, encoding="utf-8", newline="") as handle:
            text = handle.read()
    except OSError as error:
        raise DatasetFileError(path, f"cannot be read ({error.strerror})") from None
    except UnicodeDecodeError:
        raise DatasetFileError(path, "is not UTF-8 text") from None
    return parse_csv(text, path, task=task, test_fraction=test_fraction, seed=seed)


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
        n_test = test_count(n, test_fraction)
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
