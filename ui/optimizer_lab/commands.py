"""Undoable changes to the optimizer lab's configuration.

Each command holds the value before and after, and calls the model's methods in
both directions; playing, pausing and stepping are not configuration and stay
outside the undo history.
"""

from __future__ import annotations

from PySide6.QtGui import QUndoCommand

from graphviz_dl.labs.optimizer import LabConfig, LabModel, LabState
from graphviz_dl.surfaces import Surface
from ui.common.set_value_command import SetValue


class SetSurface(SetValue):
    """Race on another surface, from that surface's suggested start (or ``start``)."""

    def __init__(
        self,
        model: LabModel,
        surface: Surface,
        start: tuple[float, float] | None = None,
    ) -> None:
        super().__init__(
            model,
            f"surface {surface.title}",
            (model.surface, model.start),
            (surface, tuple(surface.start if start is None else start)),
        )

    def apply(self, value: tuple) -> None:
        self._model.set_surface(*value)


class SetStart(SetValue):
    """Move the common start point; a drag merges into one undo step."""

    merge_id = 4102

    def __init__(
        self, model: LabModel, start: tuple[float, float], merge_key: object = None
    ) -> None:
        new = (float(start[0]), float(start[1]))
        super().__init__(model, "move start point", model.start, new, merge_key)

    def apply(self, value: tuple[float, float]) -> None:
        self._model.set_start(*value)


class SetHyper(SetValue):
    """Change one hyperparameter; one slider drag is one undo step."""

    merge_id = 4101

    def __init__(
        self,
        model: LabModel,
        index: int,
        name: str,
        value: float,
        merge_key: object = None,
    ) -> None:
        config = model.configs[index]
        self._index = index
        self._name = name
        text = f"{config.label} {name}"
        super().__init__(model, text, config.hyper[name], float(value), merge_key)

    def merge_target(self) -> tuple:
        return (self._index, self._name)

    def apply(self, value: float) -> None:
        self._model.set_hyper(self._index, self._name, value)


class SetEnabled(SetValue):
    def __init__(self, model: LabModel, index: int, enabled: bool) -> None:
        label = model.configs[index].label
        self._index = index
        text = f"{'enable' if enabled else 'disable'} {label}"
        super().__init__(model, text, not enabled, bool(enabled))

    def apply(self, value: bool) -> None:
        self._model.set_enabled(self._index, value)


class SetColour(SetValue):
    def __init__(self, model: LabModel, index: int, colour: str) -> None:
        config = model.configs[index]
        self._index = index
        super().__init__(model, f"colour of {config.label}", config.colour, colour)

    def apply(self, value: str) -> None:
        self._model.set_colour(self._index, value)


class SetSchedule(SetValue):
    """Give one configuration a learning-rate schedule (the race starts again)."""

    def __init__(self, model: LabModel, index: int, schedule: str) -> None:
        config = model.configs[index]
        self._index = index
        text = f"schedule of {config.label}"
        super().__init__(model, text, config.schedule, schedule)

    def apply(self, value: str) -> None:
        self._model.set_schedule(self._index, value)


class AddConfig(QUndoCommand):
    """Add a configuration at the end of the list (e.g. a second Adam)."""

    def __init__(self, model: LabModel, config: LabConfig) -> None:
        super().__init__(f"add {config.label}")
        self._model = model
        self._config = config.copy()
        self._index = len(model.configs)

    def redo(self) -> None:
        self._model.insert_config(self._index, self._config)

    def undo(self) -> None:
        self._model.remove_config(self._index)


class RemoveConfig(QUndoCommand):
    def __init__(self, model: LabModel, index: int) -> None:
        self._config = model.configs[index].copy()
        super().__init__(f"remove {self._config.label}")
        self._model = model
        self._index = index

    def redo(self) -> None:
        self._model.remove_config(self._index)

    def undo(self) -> None:
        self._model.insert_config(self._index, self._config)


class RestoreState(SetValue):
    """Replace surface, start and configurations at once (a preset)."""

    def __init__(self, model: LabModel, state: LabState, text: str) -> None:
        super().__init__(model, text, model.state(), state)

    def apply(self, value: LabState) -> None:
        self._model.restore(value)
