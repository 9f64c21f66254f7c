"""What a run remembers: tables of numbers per epoch and per step, and kept runs.

A :class:`Table` is a set of float64 columns that grow by doubling (amortized
O(1) per row). Reading a column returns a copy of the filled part, so a view
on another thread can draw it while the run goes on: the row count is read
before the arrays and rows are written before they are counted, so a reader
never sees a half-written row.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

import numpy as np

EPOCH_COLUMNS = (
    "epoch",
    "step",
    "train_loss",
    "test_loss",
    "train_accuracy",
    "test_accuracy",
    "penalty",
    "weight_norm",
    "lr",
)
"""One row per evaluation: after each epoch, and once before training (epoch 0).

Losses are the data losses in evaluation mode (no dropout) over the whole
split; ``penalty`` is λ₁Σ|w| + λ₂Σw² at that moment (so the training
objective is ``train_loss + penalty``); accuracies are fractions in [0, 1]
(nan for regression, and for an empty split); ``weight_norm`` is √Σw² over
the weights; ``lr`` the learning rate the next step will use."""

STEP_COLUMNS = ("step", "epoch", "loss", "lr")
"""One row per optimizer step: the step number (from 1), the epoch as a
fraction (2.5 = halfway through the third epoch), the batch's objective
(data loss with dropout, plus penalty) and the learning rate it was taken with."""


class Table:
    """Named float64 columns of equal length, appended row by row."""

    def __init__(self, columns: Sequence[str], capacity: int = 256) -> None:
        self.columns = tuple(columns)
        self._data = {name: np.empty(capacity) for name in self.columns}
        self._length = 0

    def __len__(self) -> int:
        return self._length

    def append(self, **row: float) -> None:
        n = self._length
        if n == len(self._data[self.columns[0]]):
            for name in self.columns:
                grown = np.empty(2 * n)
                grown[:n] = self._data[name][:n]
                self._data[name] = grown
        for name in self.columns:
            self._data[name][n] = row[name]
        self._length = n + 1

    def truncate(self, length: int) -> None:
        """Forget every row from ``length`` on (rewinding a run)."""
        self._length = min(self._length, max(0, int(length)))

    def column(self, name: str) -> np.ndarray:
        """A copy of the column's filled part."""
        n = self._length
        return self._data[name][:n].copy()

    def __getattr__(self, name: str) -> np.ndarray:
        if name.startswith("_") or name not in self.columns:
            raise AttributeError(name)
        return self.column(name)

    def last(self, name: str) -> float:
        """The latest value of a column (nan when empty)."""
        n = self._length
        return float(self._data[name][n - 1]) if n else float("nan")

    def as_dict(self) -> dict[str, np.ndarray]:
        n = self._length
        return {name: self._data[name][:n].copy() for name in self.columns}


@dataclass(frozen=True)
class RunRecord:
    """A finished or paused run kept for comparison: its curves and settings."""

    label: str
    config: object
    dataset: str
    epochs: dict[str, np.ndarray] = field(repr=False)
    steps: dict[str, np.ndarray] = field(repr=False)
    stop_message: str = ""
