"""Undoable changes to the optimizer lab's configuration.

Each command holds the value before and after, and calls the model's methods in
both directions; playing, pausing and stepping are not configuration and stay
outside the undo history.
"""

from __future__ import annotations

from PySide6.QtGui import QUndoCommand

from graphviz_dl.surfaces import Surface

from .lab_model import LabConfig, LabModel, LabState

_HYPER_ID = 4101
_START_ID = 4102


class SetSurface(QUndoCommand):
    """Race on another surface, from that surface's suggested start (or ``start``)."""

    def __init__(
        self,
        model: LabModel,
        surface: Surface,
        start: tuple[float, float] | None = None,
    ) -> None:
        super().__init__(f"surface {surface.title}")
        self._model = model
        self._old = (model.surface, model.start)
        self._new = (surface, tuple(surface.start if start is None else start))

    def redo(self) -> None:
        self._model.set_surface(*self._new)

    def undo(self) -> None:
        self._model.set_surface(*self._old)


class SetStart(QUndoCommand):
    """Move the common start point; a drag merges into one undo step."""

    def __init__(
        self, model: LabModel, start: tuple[float, float], merge_key: object = None
    ) -> None:
        super().__init__("move start point")
        self._model = model
        self._old = model.start
        self._new = (float(start[0]), float(start[1]))
        self._key = merge_key

    def id(self) -> int:
        return _START_ID

    def mergeWith(self, other: QUndoCommand) -> bool:
        if not isinstance(other, SetStart) or self._key is None:
            return False
        if other._key != self._key:
            return False
        self._new = other._new
        return True

    def redo(self) -> None:
        self._model.set_start(*self._new)

    def undo(self) -> None:
        self._model.set_start(*self._old)


class SetHyper(QUndoCommand):
    """Change one hyperparameter; one slider drag is one undo step."""

    def __init__(
        self,
        model: LabModel,
        index: int,
        name: str,
        value: float,
        merge_key: object = None,
    ) -> None:
        config = model.configs[index]
        super().__init__(f"{config.label} {name}")
        self._model = model
        self._index = index
        self._name = name
        self._old = config.hyper[name]
        self._new = float(value)
        self._key = merge_key

    def id(self) -> int:
        return _HYPER_ID

    def mergeWith(self, other: QUndoCommand) -> bool:
        if not isinstance(other, SetHyper) or self._key is None:
            return False
        if (other._key, other._index, other._name) != (
            self._key,
            self._index,
            self._name,
        ):
            return False
        self._new = other._new
        return True

    def redo(self) -> None:
        self._model.set_hyper(self._index, self._name, self._new)

    def undo(self) -> None:
        self._model.set_hyper(self._index, self._name, self._old)


class SetEnabled(QUndoCommand):
    def __init__(self, model: LabModel, index: int, enabled: bool) -> None:
        label = model.configs[index].label
        super().__init__(f"{'enable' if enabled else 'disable'} {label}")
        self._model = model
        self._index = index
        self._new = bool(enabled)

    def redo(self) -> None:
        self._model.set_enabled(self._index, self._new)

    def undo(self) -> None:
        self._model.set_enabled(self._index, not self._new)


class SetColour(QUndoCommand):
    def __init__(self, model: LabModel, index: int, colour: str) -> None:
        super().__init__(f"colour of {model.configs[index].label}")
        self._model = model
        self._index = index
        self._old = model.configs[index].colour
        self._new = colour

    def redo(self) -> None:
        self._model.set_colour(self._index, self._new)

    def undo(self) -> None:
        self._model.set_colour(self._index, self._old)


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


class RestoreState(QUndoCommand):
    """Replace surface, start and configurations at once (a preset)."""

    def __init__(self, model: LabModel, state: LabState, text: str) -> None:
        super().__init__(text)
        self._model = model
        self._old = model.state()
        self._new = state

    def redo(self) -> None:
        self._model.restore(self._new)

    def undo(self) -> None:
        self._model.restore(self._old)
