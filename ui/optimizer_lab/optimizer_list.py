"""The list of racing configurations, and the button that adds another."""

from __future__ import annotations

from PySide6.QtCore import Qt, QTimer
from PySide6.QtGui import QAction, QUndoStack
from PySide6.QtWidgets import QMenu, QScrollArea, QToolButton, QVBoxLayout, QWidget

from graphviz_dl.labs.optimizer import LabModel
from graphviz_dl.optimizer_menu import OPTIMIZERS
from ui.optimizer_lab.commands import AddConfig
from ui.optimizer_lab.optimizer_row import LogSlider, NumberField, OptimizerRow

__all__ = ["LogSlider", "NumberField", "OptimizerList", "OptimizerRow"]


class OptimizerList(QWidget):
    """The list of configurations, and the button that adds another."""

    def __init__(
        self, model: LabModel, undo: QUndoStack, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.setObjectName("optimizerList")
        self._model = model
        self._undo = undo
        self.rows: list[OptimizerRow] = []
        self._internals = False

        self._inner = QWidget()
        self._rows_layout = QVBoxLayout(self._inner)
        self._rows_layout.setContentsMargins(2, 2, 2, 2)
        self._rows_layout.setSpacing(3)
        self._rows_layout.addStretch(1)
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        scroll.setWidget(self._inner)

        self.add_button = QToolButton()
        self.add_button.setObjectName("addOptimizer")
        self.add_button.setText("+ Add optimizer")
        self.add_button.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextOnly)
        self.add_button.setPopupMode(QToolButton.ToolButtonPopupMode.InstantPopup)
        self.add_button.setToolTip("Add another configuration, e.g. a second Adam")
        menu = QMenu(self.add_button)
        for kind, spec in OPTIMIZERS.items():
            action = QAction(spec.title, menu)
            action.setData(kind)
            action.triggered.connect(lambda _=False, k=kind: self.add(k))
            menu.addAction(action)
        self.add_button.setMenu(menu)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(3)
        layout.addWidget(scroll, 1)
        layout.addWidget(self.add_button)

        model.configsChanged.connect(self._update_rows)
        model.configEdited.connect(self._update_row)
        model.raceAdvanced.connect(self._on_advanced)
        model.raceReset.connect(self._update_status)
        # while playing, the numbers in the rows change faster than anyone reads
        self._status_timer = QTimer(self)
        self._status_timer.setSingleShot(True)
        self._status_timer.setInterval(150)
        self._status_timer.timeout.connect(self._update_status)
        self._update_rows()

    def add(self, kind: str) -> None:
        """Add a configuration of ``kind`` (undoable)."""
        self._undo.push(AddConfig(self._model, self._model.new_config(kind)))

    def row(self, label: str) -> OptimizerRow:
        """The row whose configuration is called ``label``."""
        for row in self.rows:
            if self._model.configs[row.index].label == label:
                return row
        raise KeyError(label)

    def _update_rows(self) -> None:
        configs = self._model.configs
        # keep rows whose kind still matches, so a widget is never destroyed from
        # inside its own signal handler (a checkbox toggling its row)
        for i, config in enumerate(configs):
            if i < len(self.rows) and self.rows[i].kind == config.kind:
                continue
            if i < len(self.rows):
                self._rows_layout.removeWidget(self.rows[i])
                self.rows[i].hide()
                self.rows[i].deleteLater()
                self.rows[i] = OptimizerRow(self._model, self._undo, i)
                self._rows_layout.insertWidget(i, self.rows[i])
            else:
                self.rows.append(OptimizerRow(self._model, self._undo, i))
                self._rows_layout.insertWidget(i, self.rows[i])
        while len(self.rows) > len(configs):
            row = self.rows.pop()
            self._rows_layout.removeWidget(row)
            row.hide()
            row.deleteLater()
        for row in self.rows:
            row.set_internals_visible(self._internals)
            row.refresh()

    def set_internals_visible(self, visible: bool) -> None:
        """Each row shows its racer's internals (step sizes, velocity, bias)."""
        self._internals = bool(visible)
        for row in self.rows:
            row.set_internals_visible(self._internals)

    def _update_row(self, index: int) -> None:
        if 0 <= index < len(self.rows):
            self.rows[index].refresh()

    def _on_advanced(self) -> None:
        if not self._model.playing:
            self._update_status()
        elif not self._status_timer.isActive():
            self._status_timer.start()

    def shutdown(self) -> None:
        """Stop the status refresh timer (the lab is closing)."""
        self._status_timer.stop()

    def _update_status(self) -> None:
        self._status_timer.stop()
        for row in self.rows:
            row.refresh_status()
