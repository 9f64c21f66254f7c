"""Reading a dataset from CSV, with errors that name the file, line and field."""

from __future__ import annotations

import csv
import math
import os
from collections.abc import Callable, Iterable, Iterator

import numpy as np

from ..numfmt import format_number
from .dataset import TASKS, Dataset, DatasetFileError, test_count

MAX_ROWS = 100_000
"""Data rows read at most: a lab trains on a few thousand points, and a
million rows would hold gigabytes for nothing."""
MAX_CLASSES = 20
"""Class labels are small indices 0 … MAX_CLASSES − 1."""
_CHECK_EVERY = 2000  # rows between progress reports and cancel checks


def read_csv(
    path: str | os.PathLike,
    *,
    task: str | None = None,
    test_fraction: float = 0.2,
    seed: int = 0,
    progress: Callable[[float], None] | None = None,
    cancelled: Callable[[], bool] | None = None,
    notes: list[str] | None = None,
) -> Dataset:
    """The dataset in the CSV file ``path`` (see :meth:`Dataset.from_csv`),
    read line by line: ``progress(fraction)`` hears how far, ``cancelled()``
    stops it (DatasetFileError), and ``notes`` receives what a person should
    know about how the file was read (labels taken as regression values)."""
    path = os.fspath(path)
    try:
        size = max(os.path.getsize(path), 1)
        with open(path, "rb") as handle:
            done = 0

            def lines() -> Iterator[str]:
                nonlocal done
                for number, raw in enumerate(handle, start=1):
                    done += len(raw)
                    if number % _CHECK_EVERY == 0:
                        if cancelled is not None and cancelled():
                            raise DatasetFileError(path, "reading was cancelled")
                        if progress is not None:
                            progress(done / size)
                    try:
                        yield raw.decode("utf-8").rstrip("\r\n")
                    except UnicodeDecodeError:
                        raise DatasetFileError(
                            path, "is not UTF-8 text", number
                        ) from None

            return _parse(lines(), path, task, test_fraction, seed, notes)
    except OSError as error:
        raise DatasetFileError(path, f"cannot be read ({error.strerror})") from None


def parse_csv(
    text: str,
    path: str = "<text>",
    *,
    task: str | None = None,
    test_fraction: float = 0.2,
    seed: int = 0,
    notes: list[str] | None = None,
) -> Dataset:
    """A :class:`Dataset` from CSV text (see :meth:`Dataset.from_csv`)."""
    return _parse(iter(text.splitlines()), path, task, test_fraction, seed, notes)


def _rows(lines: Iterable[str], path: str, hinted: dict[str, str]):
    """``(line number, fields)`` of each row that is not blank or a comment."""
    for number, line in enumerate(lines, start=1):
        stripped = line.strip()
        if not stripped:
            continue
        if stripped.startswith("#"):
            hinted.update(_comment_fields(stripped[1:]))
            continue
        try:
            yield number, next(csv.reader([line]))
        except csv.Error as error:
            if "field limit" in str(error):
                reason = (
                    f"a field is longer than {csv.field_size_limit():,} characters "
                    "(a point is a few short numbers)"
                )
            else:
                reason = f"it is not valid CSV ({error})"
            raise DatasetFileError(path, reason, number) from None


def _parse(lines, path, task, test_fraction, seed, notes) -> Dataset:
    if task is not None and task not in TASKS:
        raise ValueError(f"unknown task {task!r}; choose one of: {', '.join(TASKS)}")
    hinted: dict[str, str] = {}
    rows = _rows(lines, path, hinted)
    first = next(rows, None)
    if first is None:
        raise DatasetFileError(path, "has no header row (expected x0,x1,y,split)")
    header_line, header = first
    columns = _columns(path, header_line, [name.strip().lower() for name in header])
    inputs, target, split = columns
    names = [h.strip() for h in header]
    X, y, held_out, numbers = [], [], [], []
    for number, values in rows:
        if len(numbers) == MAX_ROWS:
            raise DatasetFileError(
                path,
                f"has more than {MAX_ROWS:,} points; the lab learns from up to "
                f"{MAX_ROWS:,} (keep a sample of the rows)",
                number,
            )
        if len(values) != len(header):
            raise DatasetFileError(
                path,
                f"expected {len(header)} fields ({', '.join(names)}), "
                f"found {len(values)}",
                number,
            )
        X.append([_number(path, number, names[i], values[i]) for i in inputs])
        y.append(_number(path, number, names[target], values[target], True))
        if split is not None:
            held_out.append(_split(path, number, names[split], values[split]))
        numbers.append(number)
    X_array = np.array(X, dtype=np.float64).reshape(len(X), len(inputs))
    y_array = np.array(y, dtype=np.float64)
    task, n_classes = _task(
        path, task or hinted.get("task"), X_array, y_array, numbers, names[target]
    )
    if notes is not None and task == "regression" and "task" not in hinted:
        notes += _regression_notes(path, X_array, y_array, numbers, names[target])
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


def _regression_notes(path, X, y, numbers, field) -> list[str]:
    """Whole-number labels with a negative one among two or more inputs look
    like classes: say that they are learned as regression values."""
    whole = bool(y.size) and np.array_equal(y, np.round(y))
    if X.shape[1] < 2 or not whole or y.min() >= 0:
        return []
    row = int(np.argmin(y))
    note = (
        f"{os.path.basename(path)}, line {numbers[row]}, field {field!r}: the "
        f"labels look like regression values, not classes (there are negative "
        f"ones, such as {format_number(y[row])}), so the network learns them as "
        "numbers; class labels are 0, 1, 2, … (write '# task: regression' in "
        "the file to say that regression is meant)"
    )
    return [note]


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


def _task(path, task, X, y, numbers, field) -> tuple[str, int]:
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
    for number, label in zip(numbers, y.tolist()):
        if label != round(label) or label < 0:
            raise DatasetFileError(
                path,
                f"a class label is a whole number ≥ 0, not {format_number(label)}",
                number,
            )
    if y.size and y.max() >= MAX_CLASSES:
        row = int(np.argmax(y))
        raise DatasetFileError(
            path,
            f"{format_number(y[row])} is not a class: class labels are small whole "
            f"numbers 0 … {MAX_CLASSES - 1} (write '# task: regression' in the file "
            "if y is a value to predict)",
            numbers[row],
            field,
        )
    top = int(y.max()) + 1 if y.size else 2
    if task == "binary":
        if top > 2:
            raise DatasetFileError(
                path,
                "a binary dataset has labels 0 and 1 only",
                numbers[int(np.argmax(y))],
            )
        return task, 2
    return task, max(top, 3)
