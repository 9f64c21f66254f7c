"""What a CSV file's labels are: classes, or values to predict.

A file rarely says. Whole labels 0, 1, 2 … are classes; one input column
means a curve to fit. Labels such as −1/+1, 0.5 steps or forty different
numbers might be either, so the reader learns them as regression values and
hands a :class:`LabelQuestion` to whoever can ask the person; the answer
"classes" is :func:`labels_as_classes`.
"""

from __future__ import annotations

import os
from dataclasses import dataclass

import numpy as np

from ..numfmt import exact_number, format_number
from .dataset import TASKS, Dataset, DatasetFileError

MAX_CLASSES = 20
"""Class labels are small indices 0 … MAX_CLASSES − 1."""


@dataclass(frozen=True)
class LabelQuestion:
    """Labels read as regression values that may have been meant as classes.

    ``values`` are the distinct labels, sorted, when there are few enough to
    be classes (else empty): ``values[i]`` would become class ``i``.
    """

    path: str
    line: int
    field: str
    distinct: int
    example: float
    values: tuple[float, ...]

    @property
    def text(self) -> str:
        """The question in words, naming the file, line and field."""
        where = f"{os.path.basename(self.path)}, line {self.line}, field {self.field!r}"
        why = (
            f"there are {self.distinct} different labels"
            if self.distinct > MAX_CLASSES
            else f"labels such as {exact_number(self.example)} are not 0, 1, 2, …"
        )
        text = (
            f"{where}: the labels look like values to predict, not classes ({why}). "
            "Learn them as numbers (regression)?"
        )
        if self.values:
            text += " Or as classes: " + self.mapping_text + "."
        return text

    @property
    def mapping_text(self) -> str:
        """How each label would become a class, e.g. ``−1 → 0, 1 → 1``."""
        shown = [f"{exact_number(v)} → {i}" for i, v in enumerate(self.values[:4])]
        if len(self.values) > 4:
            shown.append("…")
        return ", ".join(shown)


def infer_task(path, task, X, y, numbers, field) -> tuple[str, int]:
    """The task and class count the file's labels ``y`` fit (``task`` given,
    or from a comment, wins); DatasetFileError naming the line of a label
    that cannot be a class."""
    whole = bool(y.size) and np.array_equal(y, np.round(y)) and y.min() >= 0
    if task is None:
        many = whole and np.unique(y).size > MAX_CLASSES
        if X.shape[1] == 1 or not whole or many:
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


def label_question(path, X, y, numbers, field) -> LabelQuestion | None:
    """The question to ask about labels learned as regression values with two
    or more inputs (a plane to classify, most likely), or None."""
    if X.shape[1] < 2 or not y.size:
        return None
    distinct = np.unique(y)
    odd = (y != np.round(y)) | (y < 0)
    row = int(np.argmax(odd)) if odd.any() else int(np.argmax(y))
    values = tuple(distinct.tolist()) if distinct.size <= MAX_CLASSES else ()
    return LabelQuestion(path, numbers[row], field, distinct.size, y[row], values)


def regression_note(question: LabelQuestion) -> str:
    """What was done without asking: the labels are learned as numbers."""
    where = (
        f"{os.path.basename(question.path)}, line {question.line}, "
        f"field {question.field!r}"
    )
    return (
        f"{where}: the labels look like regression values, not classes "
        f"(such as {exact_number(question.example)}), so the network learns "
        "them as numbers; class labels are 0, 1, 2, … (write '# task: regression' "
        "in the file to say that regression is meant)"
    )


def labels_as_classes(dataset: Dataset, values: tuple[float, ...]) -> Dataset:
    """``dataset`` with each label ``values[i]`` replaced by class ``i`` (the
    answer "classes" to a :class:`LabelQuestion`); same points, same split."""
    if not 2 <= len(values) <= MAX_CLASSES:
        raise ValueError(
            f"{len(values)} different labels cannot be classes (2 … {MAX_CLASSES})"
        )
    classes = np.searchsorted(np.asarray(values, dtype=np.float64), dataset.y)
    n = len(values)
    return Dataset(
        dataset.X.copy(),
        classes.astype(np.int64),
        "binary" if n == 2 else "multiclass",
        n,
        dataset.train_index.copy(),
        dataset.test_index.copy(),
        dataset.name,
    )
