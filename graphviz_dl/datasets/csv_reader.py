"""Reading a dataset from CSV, with errors that name the file, line and field."""

from __future__ import annotations

import csv
import itertools
import math
import os
from collections.abc import Callable, Iterable, Iterator

import numpy as np

from ..numfmt import format_number
from .csv_columns import Columns, columns_of, sniff_delimiter
from .csv_labels import (
    LabelQuestion,
    infer_task,
    label_question,
    regression_note,
)
from .dataset import TASKS, Dataset, DatasetFileError, test_count

MAX_ROWS = 100_000
"""Data rows read at most: a lab trains on a few thousand points, and a
million rows would hold gigabytes for nothing."""
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
    questions: list[LabelQuestion] | None = None,
) -> Dataset:
    """The dataset in the CSV file ``path`` (see :meth:`Dataset.from_csv`),
    read line by line: ``progress(fraction)`` hears how far, ``cancelled()``
    stops it (DatasetFileError), and ``notes`` receives what a person should
    know about how the file was read. Labels that may be classes but are read
    as regression values go to ``questions`` when given (a view asks the
    person), else a note says so."""
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

            return _parse(lines(), path, task, test_fraction, seed, notes, questions)
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
    questions: list[LabelQuestion] | None = None,
) -> Dataset:
    """A :class:`Dataset` from CSV text (see :meth:`read_csv`)."""
    lines = iter(text.splitlines())
    return _parse(lines, path, task, test_fraction, seed, notes, questions)


def _rows(lines: Iterable[str], path: str, hinted: dict[str, str]):
    """``(line number, fields)`` of each row that is not blank or a comment,
    split with the delimiter the first such row uses."""
    delimiter = None
    for number, line in enumerate(lines, start=1):
        if number == 1:
            line = line.lstrip("\ufeff")  # a byte-order mark from a spreadsheet
        stripped = line.strip()
        if not stripped:
            continue
        if stripped.startswith("#"):
            hinted.update(_comment_fields(stripped[1:]))
            continue
        if delimiter is None:
            delimiter = sniff_delimiter(line)
            hinted["delimiter"] = delimiter
        try:
            yield number, next(csv.reader([line], delimiter=delimiter))
        except csv.Error as error:
            if "field limit" in str(error):
                reason = (
                    f"a field is longer than {csv.field_size_limit():,} characters "
                    "(a point is a few short numbers)"
                )
            else:
                reason = f"it is not valid CSV ({error})"
            raise DatasetFileError(path, reason, number) from None


def _parse(lines, path, task, test_fraction, seed, notes, questions) -> Dataset:
    if task is not None and task not in TASKS:
        raise ValueError(f"unknown task {task!r}; choose one of: {', '.join(TASKS)}")
    hinted: dict[str, str] = {}
    rows = _rows(lines, path, hinted)
    first = next(rows, None)
    if first is None:
        raise DatasetFileError(path, "has no header row (expected x0,x1,y,split)")
    header_line, header = first
    columns = columns_of(path, header_line, header)
    if not columns.header:
        rows = itertools.chain([first], rows)
    decimal_comma = hinted.get("delimiter") != ","
    X, y, held_out, numbers = _values(path, rows, columns, decimal_comma)
    names = columns.names
    task = task or hinted.get("task")
    task, n_classes = infer_task(path, task, X, y, numbers, names[columns.target])
    if task == "regression" and "task" not in hinted:
        question = label_question(path, X, y, numbers, names[columns.target])
        if question is not None and questions is not None:
            questions.append(question)
        elif question is not None and notes is not None and _whole_and_signed(y):
            notes.append(regression_note(question))
    n = len(y)
    if columns.split is None:
        rng = np.random.default_rng(seed)
        perm = rng.permutation(n)
        n_test = test_count(n, test_fraction)
        test_index, train_index = perm[:n_test], perm[n_test:]
    else:
        flags = np.array(held_out, dtype=bool)
        test_index, train_index = np.flatnonzero(flags), np.flatnonzero(~flags)
    name = hinted.get("dataset") or os.path.splitext(os.path.basename(path))[0]
    if task != "regression":
        y = y.astype(np.int64)
    return Dataset(X, y, task, n_classes, train_index, test_index, name)


def _values(path, rows, columns: Columns, decimal_comma: bool):
    """The inputs, targets, held-out flags and line numbers of the data rows."""
    names, width = columns.names, len(columns.names)
    X, y, held_out, numbers = [], [], [], []
    for number, values in rows:
        if len(numbers) == MAX_ROWS:
            raise DatasetFileError(
                path,
                f"has more than {MAX_ROWS:,} points; the lab learns from up to "
                f"{MAX_ROWS:,} (keep a sample of the rows)",
                number,
            )
        if len(values) != width:
            raise DatasetFileError(
                path,
                f"expected {width} fields ({', '.join(names)}), found {len(values)}",
                number,
            )
        line = (path, number, values, decimal_comma)
        X.append([_field(line, names, i) for i in columns.inputs])
        y.append(_field(line, names, columns.target, True))
        if columns.split is not None:
            i = columns.split
            held_out.append(_split(path, number, i, names[i], values[i]))
        numbers.append(number)
    X_array = np.array(X, dtype=np.float64).reshape(len(X), len(columns.inputs))
    return X_array, np.array(y, dtype=np.float64), held_out, numbers


def _field(line: tuple, names: tuple[str, ...], i: int, target: bool = False) -> float:
    path, number, values, decimal_comma = line
    return _number(path, number, i, names[i], values[i], target, decimal_comma)


def _whole_and_signed(y: np.ndarray) -> bool:
    return bool(y.size) and np.array_equal(y, np.round(y)) and y.min() < 0


def _comment_fields(text: str) -> dict[str, str]:
    out = {}
    for part in text.split(";"):
        key, colon, value = part.partition(":")
        if colon:
            out[key.strip().lower()] = value.strip()
    return out


def _number(
    path: str,
    line: int,
    column: int,
    name: str,
    text: str,
    target: bool = False,
    decimal_comma: bool = False,
) -> float:
    number = text.strip().replace("\u2212", "-")
    if decimal_comma:
        number = number.replace(",", ".")
    try:
        value = float(number)
    except ValueError:
        raise DatasetFileError(
            path, f"{text.strip()!r} is not a number", line, name, column + 1
        ) from None
    if not math.isfinite(value):
        what = "a target" if target else "a coordinate"
        raise DatasetFileError(
            path,
            f"{what} must be a finite number, not {format_number(value)}",
            line,
            name,
            column + 1,
        )
    return value


def _split(path: str, line: int, column: int, name: str, text: str) -> bool:
    word = text.strip().lower()
    if word not in ("train", "test"):
        raise DatasetFileError(
            path,
            f"the split is 'train' or 'test', not {text.strip()!r}",
            line,
            name,
            column + 1,
        )
    return word == "test"
