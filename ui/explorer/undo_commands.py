"""Undoable actions of the graph explorer: building a program, editing an input.

Each command holds what it needs to go both ways and changes state only
through the :class:`~graphviz_dl.labs.explorer.model.ExplorerModel`, so Edit ▸ Undo and Redo
work for everything a person can do to the graph.
"""

from __future__ import annotations

from PySide6.QtGui import QUndoCommand

from graphviz_dl.labs.explorer.model import ExplorerModel
from graphviz_dl.labs.explorer.program import Program, leaf_edit_source
from graphviz_dl.numfmt import format_number


class BuildProgramCommand(QUndoCommand):
    """Show a new program (built from the editor, an example or a file)."""

    def __init__(
        self, model: ExplorerModel, program: Program, title: str = "Build program"
    ):
        super().__init__(title)
        self.model = model
        self.new = program
        self.old = model.program
        self.old_position = model.position
        self.new_position = 0

    def redo(self) -> None:
        self.model.set_program(self.new, self.new_position)

    def undo(self) -> None:
        self.model.set_program(self.old, self.old_position)


class EditLeafCommand(QUndoCommand):
    """Give an input a new value; forward and backward are re-run, the step is kept."""

    def __init__(self, model: ExplorerModel, node_id: str, value: float):
        name = model.name(node_id)
        super().__init__(f"Set {name} = {format_number(value)}")
        self.model = model
        self.node_id = node_id
        self.program = model.program
        self.old_value = model.node(node_id).data
        self.new_value = float(value)
        self.old_source = model.source
        self.new_source = leaf_edit_source(model.program, node_id, self.new_value)

    def redo(self) -> None:
        self._set(self.new_value, self.new_source)

    def undo(self) -> None:
        self._set(self.old_value, self.old_source)

    def _set(self, value: float, source: str) -> None:
        if self.model.program is not self.program:  # cannot happen with a linear stack
            raise RuntimeError("the edited program is no longer shown")
        self.model.set_leaf_value(self.node_id, value, source)
