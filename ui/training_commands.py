"""Undoable changes to the training lab: its settings, its data, its points.

Each command keeps the state before and after and calls the model in both
directions. Playing, stepping, rewinding and keeping runs are not
configuration and stay outside the undo history.
"""

from __future__ import annotations

from PySide6.QtGui import QUndoCommand

from graphviz_dl.datasets import Dataset
from graphviz_dl.training import TrainingConfig

from .training_model import DataSpec, TrainingModel

_CONFIG_ID = 5101


class SetConfig(QUndoCommand):
    """Train with other settings; edits with one ``merge_key`` are one undo step."""

    def __init__(
        self,
        model: TrainingModel,
        config: TrainingConfig,
        text: str,
        merge_key: object = None,
    ) -> None:
        super().__init__(text)
        self._model = model
        self._old = model.config
        self._new = config
        self._key = merge_key

    def id(self) -> int:
        return _CONFIG_ID

    def mergeWith(self, other: QUndoCommand) -> bool:
        if not isinstance(other, SetConfig) or self._key is None:
            return False
        if other._key != self._key:
            return False
        self._new = other._new
        return True

    def redo(self) -> None:
        self._model.set_config(self._new)

    def undo(self) -> None:
        self._model.set_config(self._old)


class SetData(QUndoCommand):
    """New points, from a generator's ``spec`` or a ``dataset`` (a file), and
    optionally settings that suit them."""

    def __init__(
        self,
        model: TrainingModel,
        spec: DataSpec | None,
        text: str,
        dataset: Dataset | None = None,
        config: TrainingConfig | None = None,
    ) -> None:
        super().__init__(text)
        self._model = model
        self._old = (model.spec, model.dataset.copy(), model.config)
        self._new = (spec, None if dataset is None else dataset.copy(), config)

    def redo(self) -> None:
        self._model.set_data(*self._new)

    def undo(self) -> None:
        self._model.set_data(*self._old)


class EditPoints(QUndoCommand):
    """Points added (or removed) by hand; the run goes on with them."""

    def __init__(self, model: TrainingModel, dataset: Dataset, text: str) -> None:
        super().__init__(text)
        self._model = model
        self._old = model.dataset.copy()
        self._new = dataset.copy()

    def redo(self) -> None:
        self._model.replace_points(self._new)

    def undo(self) -> None:
        self._model.replace_points(self._old)
