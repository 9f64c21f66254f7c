"""A damaged settings file, said where a person keeps seeing it.

The window's status bar is the wrong place for it: within a second of
start-up an example's hint, a tab switch or a build has replaced the message.
The notice sits at the right of the status bar until it is dismissed, names
the file and the field, and holds every problem, with the file's whole path,
in its tooltip.
"""

from __future__ import annotations

import os

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QSizePolicy,
    QToolButton,
    QWidget,
)

PREFIX = "⚠ Settings repaired: "


class SettingsNotice(QWidget):
    """Hidden until :meth:`show_problems` has something to say."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("settingsNotice")
        self.label = QLabel(self)
        self.label.setObjectName("settingsNoticeText")
        self.label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        # a long path must not widen the window: the text is elided to fit
        self.label.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Fixed)
        self.close_button = QToolButton(self)
        self.close_button.setObjectName("dismissSettingsNotice")
        self.close_button.setText("×")
        self.close_button.setAutoRaise(True)
        self.close_button.setToolTip("Dismiss")
        self.close_button.clicked.connect(self.hide)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(2)
        layout.addWidget(self.label, 1)
        layout.addWidget(self.close_button)
        self._full = ""
        self.hide()

    def show_problems(self, problems: list[str]) -> None:
        """Say the first problem (and how many more); all of them on hover."""
        problems = [p for p in problems if p]
        if not problems:
            self._full = ""
            self.hide()
            return
        more = len(problems) - 1
        tail = f" (and {more} more: hover to read)" if more else ""
        self._full = PREFIX + _short(problems[0]) + tail
        self.setToolTip("\n".join(problems))
        self._elide()
        self.show()

    def message(self) -> str:
        """The whole first line, as it would read in a wide enough window."""
        return self._full

    def text(self) -> str:
        """What the notice shows now (elided to its width)."""
        return self.label.text() if self.isVisible() else ""

    def sizeHint(self):
        hint = super().sizeHint()
        width = self.label.fontMetrics().horizontalAdvance(self._full)
        hint.setWidth(min(width + self.close_button.sizeHint().width() + 8, 900))
        return hint

    def resizeEvent(self, event) -> None:
        super().resizeEvent(event)
        self._elide()

    def _elide(self) -> None:
        width = max(self.label.width(), 40)
        metrics = self.label.fontMetrics()
        self.label.setText(
            metrics.elidedText(self._full, Qt.TextElideMode.ElideRight, width)
        )


def _short(problem: str) -> str:
    """The problem with its file named by name alone (the tooltip has the
    whole path): "/home/…/graphviz-dl.conf: field …" → "graphviz-dl.conf: …"."""
    path, colon, rest = problem.partition(": ")
    if colon and os.path.isabs(path):
        return f"{os.path.basename(path)}: {rest}"
    return problem
