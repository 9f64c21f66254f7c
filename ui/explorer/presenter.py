"""Presenter mode: large text and only the graph and the step panel, for a
projector (F5 toggles it)."""

from __future__ import annotations

from PySide6.QtCore import QByteArray, QObject, Qt
from PySide6.QtGui import QFont
from PySide6.QtWidgets import QApplication


class Presenter(QObject):
    """Switches an :class:`~ui.explorer.lab.ExplorerLab` in and out of
    presenter mode, putting its dock layout back afterwards."""

    def __init__(self, lab) -> None:
        super().__init__(lab)
        self.lab = lab
        self.on = False
        self._saved_state: QByteArray | None = None

    def set(self, on: bool) -> bool:
        """Enter or leave presenter mode; True if that changed anything."""
        on = bool(on)
        if on == self.on:
            return False
        self.on = on
        lab = self.lab
        if on:
            self._saved_state = lab.saveState()
            for key, dock in lab.docks.items():
                dock.setVisible(key == "steps")
            lab.step_panel.set_font_scale(2.0)
            font = QFont(QApplication.font())
            font.setPointSizeF(font.pointSizeF() * 1.4)
            lab.graph_panel.setFont(font)
            lab.resizeDocks([lab.docks["steps"]], [260], Qt.Orientation.Vertical)
        else:
            lab.step_panel.set_font_scale(1.0)
            lab.graph_panel.setFont(QApplication.font())
            if self._saved_state is not None:
                lab.restoreState(self._saved_state)
        lab.graph_view.fit()
        return True
