"""The undo command both labs' settings use: set one value, undo sets it back.

A command keeps the value before and after and hands either to the model
through :meth:`SetValue.apply`; subclasses differ only in what they set.
Commands of one kind that carry the same ``merge_key`` (one slider drag, one
marker drag, one run of typing) merge into a single undo step.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtGui import QUndoCommand


class SetValue(QUndoCommand):
    """Set a model's value to ``new``; undo sets ``old`` back."""

    #: Qt merges only commands with the same id; −1 (the default) never merges.
    merge_id = -1

    def __init__(
        self,
        model: Any,
        text: str,
        old: object,
        new: object,
        merge_key: object = None,
    ) -> None:
        super().__init__(text)
        self._model = model
        self._old = old
        self._new = new
        self._key = merge_key

    def apply(self, value: Any) -> None:
        """Give ``value`` to the model (the one thing a subclass defines)."""
        raise NotImplementedError

    def merge_target(self) -> tuple:
        """What must match, besides the kind and key, for two edits to merge."""
        return ()

    def id(self) -> int:
        return self.merge_id

    def mergeWith(self, other: QUndoCommand) -> bool:
        if not isinstance(other, type(self)) or self._key is None:
            return False
        if (other._key, *other.merge_target()) != (self._key, *self.merge_target()):
            return False
        self._new = other._new
        return True

    def redo(self) -> None:
        self.apply(self._new)

    def undo(self) -> None:
        self.apply(self._old)
