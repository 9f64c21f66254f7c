"""The surface seen flat (the heat map, the default) or in 3-D, and the toggles.

"3-D surface" (View menu, and the 3-D button by the race controls) swaps the
2-D view for :class:`~ui.optimizer_lab.surface_3d.Surface3D`. Where OpenGL
cannot be had, the switch stays on 2-D and a note above the view says why.
"Show internals" (View menu, and its check box) draws each racer's internals.
"""

from __future__ import annotations

from PySide6.QtGui import QAction
from PySide6.QtWidgets import (
    QCheckBox,
    QLabel,
    QStackedWidget,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from graphviz_dl.labs.optimizer import LabModel
from ui.optimizer_lab.surface_3d import Surface3D
from ui.optimizer_lab.surface_view import SurfaceView


class ViewSwitch(QWidget):
    """A stack of the 2-D view and the 3-D view, with a note for a failed switch."""

    def __init__(
        self, model: LabModel, flat: SurfaceView, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.flat = flat
        self.solid = Surface3D(model)
        self.stack = QStackedWidget()
        self.stack.addWidget(flat)
        self.stack.addWidget(self.solid)
        self.note = QLabel()
        self.note.setObjectName("view3dNote")
        self.note.setWordWrap(True)
        self.note.setStyleSheet("color: #c06000;")
        self.note.setVisible(False)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(2)
        layout.addWidget(self.note)
        layout.addWidget(self.stack, 1)
        self.action = _toggle(self, "view3d", "&3-D surface", "Ctrl+3")
        self.action.setToolTip("See the surface in 3-D with the paths on it")
        self.action.toggled.connect(self.set_3d)
        self.button = QToolButton()
        self.button.setObjectName("view3dButton")
        self.button.setDefaultAction(self.action)
        self.button.setText("3-D")
        self.internals_action = _toggle(self, "showInternals", "Show &internals", "")
        self.internals_action.setToolTip(
            "Draw each racer's step size per coordinate and velocity; its row"
            " lists them with Adam's bias correction"
        )
        self.internals_box = QCheckBox("Internals")
        self.internals_box.setObjectName("showInternalsBox")
        self.internals_box.setToolTip(self.internals_action.toolTip())
        self.internals_box.toggled.connect(self.internals_action.setChecked)
        self.internals_action.toggled.connect(self.internals_box.setChecked)

    def is_3d(self) -> bool:
        return self.stack.currentWidget() is self.solid

    def set_3d(self, on: bool) -> bool:
        """Show the 3-D view (or the 2-D one); returns whether 3-D is shown."""
        problem = self.solid.activate() if on else None
        if problem is not None:
            self.note.setText(problem)
            self.note.setVisible(True)
            on = False
        elif on:
            self.note.setVisible(False)
        self.stack.setCurrentWidget(self.solid if on else self.flat)
        if self.action.isChecked() != on:
            self.action.setChecked(on)
        return on

    def shutdown(self) -> None:
        self.solid.shutdown()


def _toggle(owner: QWidget, name: str, text: str, shortcut: str) -> QAction:
    action = QAction(text, owner)
    action.setObjectName(name)
    action.setCheckable(True)
    if shortcut:
        action.setShortcut(shortcut)
    return action
