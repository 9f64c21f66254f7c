"""The find bar: type a name, an op or a value; Enter walks the hits.

It shows "3 of 12"; Enter (or ▼) goes to the next hit, Shift+Enter (or ▲) to
the previous one, Esc clears the search and gives the keys back to the graph.
The hits are the core's (:class:`~graphviz_dl.labs.explorer.navigation.Navigator`);
showing one goes through :meth:`GraphPanel.reveal
<ui.explorer.graph_panel.GraphPanel.reveal>`, the one place that brings a node
into sight (and the hook that will unfold the groups hiding it).
"""

from __future__ import annotations

import numpy as np
from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QHBoxLayout, QLabel, QLineEdit, QToolButton, QWidget

from graphviz_dl.labs.explorer.navigation import Navigator


class FindEdit(QLineEdit):
    """A line edit that tells Enter from Shift+Enter, and hands Esc back."""

    stepRequested = Signal(int)
    """+1: the next hit (Enter), -1: the previous one (Shift+Enter)."""
    cancelled = Signal()

    def keyPressEvent(self, event) -> None:
        key = event.key()
        if key in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            shift = event.modifiers() & Qt.KeyboardModifier.ShiftModifier
            self.stepRequested.emit(-1 if shift else 1)
            event.accept()
            return
        if key == Qt.Key.Key_Escape:
            self.cancelled.emit()
            event.accept()
            return
        super().keyPressEvent(event)


class FindBar(QWidget):
    """The search box, its hit count and the previous/next buttons."""

    def __init__(self, panel, navigator: Navigator) -> None:
        super().__init__(panel)
        self.setObjectName("findBar")
        self.panel = panel
        self.navigator = navigator
        self.search = FindEdit(self)
        self.search.setObjectName("nodeSearch")
        self.search.setPlaceholderText("Find: name, op or value (Ctrl+F)")
        self.search.setClearButtonEnabled(True)
        self.search.setAccessibleName("Find a node by name, op or value")
        self.search.setMinimumWidth(180)
        self.search.setMaximumWidth(260)
        self.count = QLabel(self)
        self.count.setObjectName("findCount")
        self.count.setMinimumWidth(64)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(2)
        layout.addWidget(self.search)
        for name, text, tip, step in (
            ("findPrevious", "▲", "Previous hit (Shift+Enter)", -1),
            ("findNext", "▼", "Next hit (Enter)", 1),
        ):
            button = QToolButton(self)
            button.setObjectName(name)
            button.setText(text)
            button.setToolTip(tip)
            button.setAccessibleName(tip)
            button.setAutoRaise(True)
            button.clicked.connect(lambda _=False, s=step: self.step(s))
            layout.addWidget(button)
        layout.addWidget(self.count)
        self.search.textEdited.connect(self._search)
        self.search.textChanged.connect(self._cleared)
        self.search.stepRequested.connect(self.step)
        self.search.cancelled.connect(self.cancel)
        navigator.hitsChanged.connect(self._show_count)

    def open(self) -> None:
        """Ctrl+F: put the keys in the search box, its text selected."""
        self.search.setFocus(Qt.FocusReason.ShortcutFocusReason)
        self.search.selectAll()

    def values(self) -> np.ndarray | None:
        """The values the cards show: a value not computed yet is not found."""
        model = self.panel.model
        program = model.program
        if program is None:
            return None
        data = np.array([node.data for node in program.index.nodes], dtype=float)
        return np.where(model.known(), data, np.nan)

    def _search(self, text: str) -> None:
        self.navigator.find(text, self.values())

    def _cleared(self, text: str) -> None:
        if not text:  # the clear button, or code
            self.navigator.find("")

    def step(self, direction: int = 1) -> int | None:
        """Show the next (or previous) hit; None, with a message, if none."""
        text = self.search.text()
        if text != self.navigator.text:
            self._search(text)
        position = self.navigator.next(direction)
        self._show_count()
        if position is None:
            if text.strip():
                self.panel.view.message.emit(f"No node matches {text.strip()!r}")
            return None
        self.panel.reveal(position)
        return position

    def cancel(self) -> None:
        """Esc: forget the search and give the keys back to the graph."""
        self.search.clear()
        self.panel.view.setFocus(Qt.FocusReason.OtherFocusReason)

    def _show_count(self) -> None:
        self.count.setText(self.navigator.count_text())
