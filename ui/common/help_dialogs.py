"""Help ▸ Keyboard shortcuts and Help ▸ About: small dialogs the window opens."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QMessageBox, QWidget


def show_shortcuts(parent: QWidget, rows: list[tuple[str, str]]) -> None:
    """A table of (keys, what they do), gathered from every lab."""
    table = "".join(
        f"<tr><td><b>{keys}</b></td><td>&nbsp;{what}</td></tr>" for keys, what in rows
    )
    box = QMessageBox(parent)
    box.setObjectName("shortcutsDialog")
    box.setWindowTitle("Keyboard shortcuts")
    box.setTextFormat(Qt.TextFormat.RichText)
    box.setText(f"<table>{table}</table>")
    box.open()


def show_about(parent: QWidget, title: str) -> None:
    box = QMessageBox(parent)
    box.setObjectName("aboutDialog")
    box.setWindowTitle(f"About {title}")
    box.setText(
        f"<b>{title}</b><p>See how neural networks learn: step through "
        "backpropagation node by node, and race optimizers across loss surfaces.</p>"
    )
    box.open()
