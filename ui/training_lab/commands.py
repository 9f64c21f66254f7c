"""Undoable changes to the training lab: its settings, its data, its points.

Each command keeps the state before and after and calls the model in both
directions. Playing, stepping, rewinding and keeping runs are not
configuration and stay outside the undo history.
"""

from __future__ import annotations

from graphviz_dl.datasets import Dataset
from graphviz_dl.labs.training import DataSpec, TrainingModel
from graphviz_dl.training import TrainingConfig
from ui.common.set_value_command import SetValue


class SetConfig(SetValue):
    """Train with other settings; edits with one ``merge_key`` are one undo step."""

    merge_id = 5101

    def __init__(
        self,
        model: TrainingModel,
        config: TrainingConfig,
        text: str,
        merge_key: object = None,
    ) -> None:
        super().__init__(model, text, model.config, config, merge_key)

    def apply(self, value: TrainingConfig) -> None:
        self._model.set_config(value)


class SetData(SetValue):
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
        old = (model.spec, model.dataset.copy(), model.config)
        new = (spec, None if dataset is None else dataset.copy(), config)
        super().__init__(model, text, old, new)

    def apply(self, value: tuple) -> None:
        self._model.set_data(*value)


class EditPoints(SetValue):
    """Points added (or removed) by hand; the run goes on with them."""

    def __init__(self, model: TrainingModel, dataset: Dataset, text: str) -> None:
        super().__init__(model, text, model.dataset.copy(), dataset.copy())

    def apply(self, value: Dataset) -> None:
        self._model.replace_points(value)
