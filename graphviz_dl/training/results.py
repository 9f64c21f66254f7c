"""What a trainer hands back: evaluations, predictions, step reports and
why training paused; plain frozen values a view may keep."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from ..numfmt import format_number
from . import blowup


@dataclass(frozen=True)
class Evaluation:
    """Losses (data loss, dropout off) and accuracies over each split."""

    train_loss: float
    test_loss: float
    train_accuracy: float
    test_accuracy: float
    penalty: float


@dataclass(frozen=True)
class Prediction:
    """The network's raw ``outputs`` ``[n, n_outputs]``, ``probabilities``
    (``[n, classes]`` or None) and predicted ``classes`` (``[n]`` or None)."""

    outputs: np.ndarray
    probabilities: np.ndarray | None
    classes: np.ndarray | None


@dataclass(frozen=True)
class Stop:
    """Why training paused: ``kind`` is ``"early_stopping"`` or ``"blowup"``."""

    kind: str
    message: str
    blowup: blowup.Blowup | None = None


@dataclass(frozen=True)
class StepReport:
    """What one step did: for a progress signal."""

    step: int
    epoch: int
    loss: float
    lr: float
    batch: np.ndarray
    epoch_ended: bool
    stop: Stop | None


def _n(x: float) -> str:
    """A number in a pause message: three significant digits."""
    return format_number(x, 3)


def _frozen(array: np.ndarray) -> np.ndarray:
    """``array`` made read-only (views may hold it from another thread)."""
    array.flags.writeable = False
    return array
