"""The example gallery: a list of worked examples, with the chosen one explained below.

Clicking an example (or pressing Enter on it) asks the window to load it;
moving through the list with the arrow keys only shows the explanation.
"""

from __future__ import annotations

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtWidgets import (
    QFrame,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QScrollArea,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from graphviz_dl.gallery import EXAMPLES, Example

_NAME = Qt.ItemDataRole.UserRole


class GalleryPanel(QWidget):
    """Lists :data:`graphviz_dl.gallery.EXAMPLES`; emits the name of the one to load."""

    exampleChosen = Signal(str)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("galleryPanel")
        self.list = QListWidget(self)
        self.list.setObjectName("exampleGallery")
        self.list.setAccessibleName("Examples")
        self.list.setWordWrap(True)
        self.list.setAlternatingRowColors(True)
        for example in EXAMPLES:
            item = QListWidgetItem(example.title)
            item.setData(_NAME, example.name)
            item.setToolTip(f"{example.topic}: {example.title}")
            self.list.addItem(item)
        self.explanation = QLabel(self)
        self.explanation.setObjectName("exampleExplanation")
        self.explanation.setWordWrap(True)
        self.explanation.setAlignment(
            Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignLeft
        )
        self.explanation.setTextFormat(Qt.TextFormat.PlainText)
        self.explanation.setMargin(6)
        self.explanation.setText("Click an example to load it.")
        self.load_button = QPushButton("Load example", self)
        self.load_button.setObjectName("loadExample")
        self.load_button.setEnabled(False)
        below = QWidget(self)
        below_layout = QVBoxLayout(below)
        below_layout.setContentsMargins(0, 0, 0, 0)
        scroll = QScrollArea(below)
        scroll.setWidget(self.explanation)
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QFrame.Shape.NoFrame)
        below_layout.addWidget(scroll, 1)
        below_layout.addWidget(self.load_button)
        splitter = QSplitter(Qt.Orientation.Vertical, self)
        splitter.addWidget(self.list)
        splitter.addWidget(below)
        splitter.setStretchFactor(0, 1)
        splitter.setStretchFactor(1, 1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.addWidget(splitter)
        self.list.currentItemChanged.connect(self._show_current)
        self.list.itemClicked.connect(self._choose)
        self.list.itemActivated.connect(self._choose)
        self.load_button.clicked.connect(lambda: self._choose(self.list.currentItem()))

    def example(self, name: str) -> Example | None:
        return next((e for e in EXAMPLES if e.name == name), None)

    def select(self, name: str) -> None:
        """Highlight an example without loading it (e.g. after --example)."""
        for row in range(self.list.count()):
            item = self.list.item(row)
            if item.data(_NAME) == name:
                blocked = self.list.blockSignals(True)
                self.list.setCurrentItem(item)
                self.list.blockSignals(blocked)
                self._show_current(item)
                return

    def showEvent(self, event) -> None:
        """Once the list has its size, bring the chosen example into view."""
        super().showEvent(event)
        QTimer.singleShot(0, self, self._scroll_to_current)

    def _scroll_to_current(self) -> None:
        item = self.list.currentItem()
        if item is not None:
            self.list.scrollToItem(item)

    def item_for(self, name: str) -> QListWidgetItem | None:
        for row in range(self.list.count()):
            if self.list.item(row).data(_NAME) == name:
                return self.list.item(row)
        return None

    def _show_current(self, item: QListWidgetItem | None, _previous=None) -> None:
        self.load_button.setEnabled(item is not None)
        if item is None:
            return
        example = self.example(item.data(_NAME))
        if example is not None:
            self.explanation.setText(f"{example.title}\n\n{example.explanation}")

    def _choose(self, item: QListWidgetItem | None) -> None:
        if item is not None:
            self.exampleChosen.emit(item.data(_NAME))
