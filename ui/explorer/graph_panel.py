"""The "Graph explorer" area: a search box, zoom buttons, load progress, a
legend, and the graph view under them."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QCompleter,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QProgressBar,
    QSizePolicy,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from graphviz_dl.labs.explorer.model import ExplorerModel
from ui.explorer.fold_view import FoldingGraphView
from ui.explorer.palette import PALETTE

LEGEND = (
    f"<span style='color:{PALETTE.forward.name()}'>■</span> forward step&nbsp;&nbsp;"
    f"<span style='color:{PALETTE.backward.name()}'>■</span> backward step&nbsp;&nbsp;"
    f"<span style='color:{PALETTE.positive.name()}'>■</span> grad &gt; 0&nbsp;&nbsp;"
    f"<span style='color:{PALETTE.negative.name()}'>■</span> grad &lt; 0"
    "&nbsp;&nbsp;(stronger = larger)"
)
LEGEND_TIP = (
    "Cards: a value node's name, value and gradient; '?' means not computed yet.\n"
    "Pills: the op that computes the next card. Double-click an input to edit it."
)


class GraphPanel(QWidget):
    """The graph view with its tool row (search, zoom, progress, legend)."""

    cancelRequested = Signal()
    """The person stopped the load (or export) under way."""

    def __init__(self, model: ExplorerModel, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("graphPanel")
        self.model = model
        self.view = FoldingGraphView(model, self)
        self._completer_names: list[str] = []
        self._make_search()
        self._make_progress()
        bar = QHBoxLayout()
        bar.setContentsMargins(6, 4, 6, 2)
        bar.addWidget(self.search)
        for name, text, tip, slot in (
            ("zoomOut", "−", "Zoom out (Ctrl+−)", self.view.zoom_out),
            ("zoomIn", "+", "Zoom in (Ctrl++)", self.view.zoom_in),
            ("zoomFit", "Fit", "Show the whole graph (Ctrl+0)", self.view.fit),
        ):
            bar.addWidget(self._tool_button(name, text, tip, slot))
        bar.addWidget(self.progress)
        bar.addWidget(self.cancel_button)
        bar.addStretch(1)
        bar.addWidget(self._legend(), 3)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(0)
        layout.addLayout(bar)
        layout.addWidget(self.view, 1)
        model.programChanged.connect(self._update_completer)
        self._update_completer()
        QShortcut(QKeySequence.StandardKey.Find, self, self.focus_search)

    def _make_search(self) -> None:
        self.search = QLineEdit(self)
        self.search.setObjectName("nodeSearch")
        self.search.setPlaceholderText("Find a node by name…")
        self.search.setClearButtonEnabled(True)
        self.search.setAccessibleName("Find a node")
        self.search.setMaximumWidth(260)
        self.search.returnPressed.connect(self.find)

    def _make_progress(self) -> None:
        self.progress = QProgressBar(self)
        self.progress.setObjectName("layoutProgress")
        self.progress.setRange(0, 100)
        self.progress.setMaximumWidth(160)
        self.progress.setFormat("laying out… %p%")
        self.progress.setTextVisible(True)
        self.progress.hide()
        self.cancel_button = self._tool_button(
            "cancelLoad",
            "Stop",
            "Stop preparing this graph",
            lambda: self.cancelRequested.emit(),
        )
        self.cancel_button.hide()

    def _tool_button(self, name: str, text: str, tip: str, slot) -> QToolButton:
        button = QToolButton(self)
        button.setObjectName(name)
        button.setText(text)
        button.setToolTip(tip)
        button.setAccessibleName(tip)
        button.clicked.connect(slot)
        return button

    def _legend(self) -> QLabel:
        legend = QLabel(LEGEND, self)
        legend.setObjectName("graphLegend")
        legend.setToolTip(LEGEND_TIP)
        legend.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)
        legend.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        return legend

    def focus_search(self) -> None:
        self.search.setFocus()
        self.search.selectAll()

    def find(self) -> str | None:
        """Select and centre the node whose name matches the search text."""
        text = self.search.text()
        node_id = self.model.find(text)
        if node_id is None:
            if text.strip():
                self.view.message.emit(f"No node is called {text.strip()!r}")
            return None
        self.model.select(node_id)
        self.view.center_on_node(node_id)
        self.view.message.emit(f"Found {self.model.name(node_id)} ({node_id})")
        return node_id

    def set_busy(self, busy: bool, what: str = "laying out…") -> None:
        """Show (or hide) the progress of work under way, and its Stop button."""
        if busy:
            self.progress.setFormat(f"{what} %p%")
            self.progress.setValue(0)
        self.progress.setVisible(busy)
        self.cancel_button.setVisible(busy)

    def set_progress(self, fraction: float) -> None:
        self.progress.setValue(round(100 * max(0.0, min(1.0, fraction))))

    def _update_completer(self) -> None:
        program = self.model.program
        names = (
            []
            if program is None
            else sorted({program.walk.name(i) for i in program.index.ids})
        )
        if names == self._completer_names:
            return
        self._completer_names = names
        completer = QCompleter(names, self.search)
        completer.setCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
        completer.setFilterMode(Qt.MatchFlag.MatchContains)
        completer.activated.connect(lambda _text: self.find())
        self.search.setCompleter(completer)
