"""Which CSV dialect a data file speaks and what its columns mean.

People bring tables from spreadsheets, pandas and other courses, so the
reader takes the common shapes rather than only its own ``x0,x1,y,split``:

- headers ``x,y,label``, ``x1,x2,y``, ``feature_1,feature_2,target``,
  ``x0,x1,class`` … or no header at all (every column but the last is an
  input, the last is the target);
- fields separated by ``,``, ``;`` or a tab (``;`` files may write decimal
  commas, ``0,5``), quoted fields, and a byte-order mark before the header.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from .dataset import DatasetFileError

DELIMITERS = (";", "\t", ",")
"""Tried in this order: a ``;`` or a tab outside quotes is never there by
chance, while a comma may be a decimal comma in a ``;`` file."""
TARGET_NAMES = ("label", "labels", "target", "class", "output", "y")
"""Names of the target column, the first found winning: in ``x,y,label``
``y`` is the second input."""
_INPUT = re.compile(r"^(x|y|(x|f|feature|input|in|var)[ _-]?\d+)$")


@dataclass(frozen=True)
class Columns:
    """Where the inputs, the target and the optional split column are."""

    names: tuple[str, ...]
    inputs: tuple[int, ...]
    target: int
    split: int | None
    header: bool  # False: the first row is already data


def sniff_delimiter(line: str) -> str:
    """The field separator of the table whose first row is ``line``."""
    outside = re.sub(r'"[^"]*"', "", line)
    for delimiter in DELIMITERS:
        if delimiter in outside:
            return delimiter
    return ","


def looks_like_numbers(fields: list[str]) -> bool:
    """True when every field of a row reads as a number (a row of data,
    not a header)."""
    return bool(fields) and all(_is_number(field) for field in fields)


def columns_of(path: str, line: int, fields: list[str]) -> Columns:
    """What each column of a table whose first row is ``fields`` means
    (DatasetFileError naming the line when the header says nothing usable)."""
    if looks_like_numbers(fields):
        if len(fields) < 2:
            raise DatasetFileError(
                path,
                "has one column; a table needs inputs and a target "
                "(e.g. x,y,label or x0,x1,y)",
                line,
            )
        names = tuple(f"x{i}" for i in range(len(fields) - 1)) + ("y",)
        inputs = tuple(range(len(fields) - 1))
        return Columns(names, inputs, len(fields) - 1, None, header=False)
    names = tuple(field.strip() for field in fields)
    keys = [name.lower() for name in names]
    target = _target(path, line, keys)
    split = _split(path, line, keys)
    inputs, unknown = [], []
    for i, key in enumerate(keys):
        if i in (target, split):
            continue
        (inputs if _INPUT.match(key) else unknown).append(i)
    if unknown:
        raise DatasetFileError(
            path,
            f"unknown column {names[unknown[0]]!r}; the header names the inputs "
            "(x, y, x0, x1, feature_1, …), one target (label, target, class or y) "
            "and optionally split",
            line,
        )
    if target is None:
        raise DatasetFileError(
            path,
            "the header needs exactly one target column: label, target, class or y",
            line,
        )
    if not inputs:
        raise DatasetFileError(path, "no input column (x0, x1, …) in the header", line)
    return Columns(names, tuple(inputs), target, split, header=True)


def _target(path: str, line: int, keys: list[str]) -> int | None:
    for name in TARGET_NAMES:
        found = [i for i, key in enumerate(keys) if key == name]
        if len(found) > 1:
            raise DatasetFileError(
                path, f"the header names the target column {name!r} twice", line
            )
        if found:
            return found[0]
    return None


def _split(path: str, line: int, keys: list[str]) -> int | None:
    found = [i for i, key in enumerate(keys) if key == "split"]
    if len(found) > 1:
        raise DatasetFileError(path, "the header names the split column twice", line)
    return found[0] if found else None


def _is_number(text: str) -> bool:
    try:
        float(text.strip().replace("\u2212", "-").replace(",", "."))
    except ValueError:
        return False
    return True
