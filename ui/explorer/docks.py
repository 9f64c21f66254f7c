"""The explorer's docks: examples and program on the left, the step panel and
the node inspector below the graph. A person may move, float or close them;
View lists them, and their layout is remembered."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QDockWidget,
    QFrame,
    QMainWindow,
    QPushButton,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

Area = Qt.DockWidgetArea


def program_box(editor: QWidget, build) -> QWidget:
    """The program editor with its Build button under it."""
    box = QWidget()
    box.setObjectName("programBox")
    layout = QVBoxLayout(box)
    layout.setContentsMargins(4, 4, 4, 4)
    layout.addWidget(editor, 1)
    button = QPushButton("Build  (Ctrl+Return)", box)
    button.setObjectName("buildButton")
    button.setToolTip("Build the graph from this program")
    button.clicked.connect(build)
    layout.addWidget(button)
    return box


def scrolled(widget: QWidget) -> QScrollArea:
    """``widget`` in a frameless scroll area, so a small dock never clips it."""
    area = QScrollArea()
    area.setWidget(widget)
    area.setWidgetResizable(True)
    area.setFrameShape(QFrame.Shape.NoFrame)
    return area


def make_docks(
    window: QMainWindow, gallery: QWidget, program: QWidget, steps, inspector
) -> dict[str, QDockWidget]:
    """Dock the four panels around ``window``'s graph."""
    docks: dict[str, QDockWidget] = {}
    for key, title, widget, area in (
        ("gallery", "Examples", gallery, Area.LeftDockWidgetArea),
        ("program", "Program", program, Area.LeftDockWidgetArea),
        ("steps", "Step by step", steps, Area.BottomDockWidgetArea),
        ("inspector", "Node", scrolled(inspector), Area.BottomDockWidgetArea),
    ):
        dock = QDockWidget(title, window)
        dock.setObjectName(f"{key}Dock")
        dock.setWidget(widget)
        dock.setFeatures(
            QDockWidget.DockWidgetFeature.DockWidgetClosable
            | QDockWidget.DockWidgetFeature.DockWidgetMovable
            | QDockWidget.DockWidgetFeature.DockWidgetFloatable
        )
        window.addDockWidget(area, dock)
        docks[key] = dock
    window.splitDockWidget(
        docks["steps"], docks["inspector"], Qt.Orientation.Horizontal
    )
    return docks


def size_docks(window: QMainWindow, docks: dict[str, QDockWidget]) -> None:
    """The docks' first sizes (once the window has its own size)."""
    left = [docks["gallery"], docks["program"]]
    window.resizeDocks(left, [270, 270], Qt.Orientation.Horizontal)
    window.resizeDocks(left, [330, 250], Qt.Orientation.Vertical)
    bottom = [docks["steps"], docks["inspector"]]
    window.resizeDocks(bottom, [700, 420], Qt.Orientation.Horizontal)
    window.resizeDocks([docks["steps"]], [190], Qt.Orientation.Vertical)
