"""View ▸ Show neurons unfused: a fused neuron's products and adds, and back.

The unfused twin of the loaded program is prepared once (in the background
when it is big) and swapped in at the matching step, on the same node where
it has a counterpart; inputs typed in one view carry over to the other.
"""

from __future__ import annotations

from PySide6.QtCore import QObject, Signal
from PySide6.QtGui import QAction

from graphviz_dl.labs.explorer.fusion import (
    can_unfuse,
    matching_position,
    sync_leaves,
    unfused_program,
)
from graphviz_dl.labs.explorer.program import Program
from ui.common.jobs import JobRunner
from ui.explorer.loader import LARGE_GRAPH


class FusionToggle(QObject):
    """Owns the checkable action and the twin programs of the current load."""

    message = Signal(str, int)

    def __init__(self, lab) -> None:
        super().__init__(lab)
        self.model = lab.model
        self.panel = lab.graph_panel
        self.runner = JobRunner(self)
        self.runner.busyChanged.connect(
            lambda busy: self.panel.set_busy(busy, "writing neurons out…")
        )
        self.runner.progressed.connect(self.panel.set_progress)
        self.action = QAction("Show neurons &unfused", lab)
        self.action.setObjectName("showUnfused")
        self.action.setCheckable(True)
        self.action.setEnabled(False)
        self.action.setStatusTip(
            "Draw each fused neuron (Σwx+b) as its multiplies and adds, and back"
        )
        self.action.toggled.connect(self._toggled)
        self._fused: Program | None = None
        self._unfused: Program | None = None
        self._maps: tuple[dict[str, str], dict[str, str]] | None = None
        self._switching = False
        self.model.programChanged.connect(self._on_program)

    def _on_program(self) -> None:
        """A program from elsewhere (a build, an undo): start over, fused."""
        if self._switching:
            return
        program = self.model.program
        if program is not None and program is self._unfused:
            return  # an undo/redo back to the view we made
        self.runner.cancel()
        self._fused, self._unfused, self._maps = program, None, None
        self.action.blockSignals(True)
        self.action.setChecked(False)
        self.action.blockSignals(False)
        self.action.setEnabled(can_unfuse(program))

    def _toggled(self, on: bool) -> None:
        if self._fused is None:
            return
        if not on:
            self.runner.cancel()
            if self.model.program is self._unfused:
                self._swap(self._fused, self._maps[1])
            return
        if self._unfused is not None:
            self._swap(self._unfused, self._maps[0])
        elif self._fused.size <= LARGE_GRAPH:
            self._ready(unfused_program(self._fused))
        else:
            fused = self._fused
            self.runner.submit(
                lambda job: unfused_program(
                    fused, progress=job.progress, cancelled=job.cancelled
                ),
                self._ready,
            )

    def _ready(self, result) -> None:
        twin, unfused = result
        self._unfused = twin
        self._maps = (unfused.to_unfused, unfused.to_fused)
        if self.action.isChecked() and self.model.program is self._fused:
            self._swap(twin, unfused.to_unfused)

    def _swap(self, target: Program, id_map: dict[str, str]) -> None:
        """Show ``target`` at the step matching the current one."""
        source = self.model.program
        selected = self.model.selected
        sync_leaves(source, target, id_map)
        position = matching_position(source, target, self.model.position, id_map)
        self._switching = True
        try:
            self.model.set_program(target, position)
        finally:
            self._switching = False
        if selected is not None:
            self.model.select(id_map.get(selected))
        how = "unfused" if target is self._unfused else "fused"
        self.message.emit(f"Neurons {how}: {target.size} nodes", 6000)

    def shutdown(self) -> None:
        self.runner.shutdown()
