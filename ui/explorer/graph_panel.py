"""The "Graph explorer" area: a find bar, zoom buttons, load progress, a
legend, and the graph view under them (with its minimap)."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QCompleter,
    QHBoxLayout,
    QLabel,
    QProgressBar,
    QSizePolicy,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from graphviz_dl.labs.explorer.model import ExplorerModel
from graphviz_dl.labs.explorer.navigation import Navigator
from ui.explorer.find_bar import FindBar
from ui.explorer.fold_view import FoldingGraphView
from ui.explorer.minimap import Minimap
from ui.explorer.palette import PALETTE
from ui.explorer.semantic_zoom import LocalDerivatives
from ui.explorer.trace import Tracer

LEGEND = (
    f"<span style='color:{PALETTE.forward.name()}'>■</span> forward step&nbsp;&nbsp;"
    f"<span style='color:{PALETTE.backward.name()}'>■</span> backward step&nbsp;&nbsp;"
    f"<span style='color:{PALETTE.positive.name()}'>■</span> grad &gt; 0&nbsp;&nbsp;"
    f"<span style='color:{PALETTE.negative.name()}'>■</span> grad &lt; 0"
)
LEGEND_TIP = (
    "Cards: a value node's name, value and gradient; '?' means not computed yet;\n"
    "a stronger colour is a larger gradient.\n"
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
        self.navigator = Navigator()
        self.revealers: list[Callable[[int], None]] = []
        """Called with a node's position before :meth:`reveal` shows it: the
        fold UI unfolds the groups that hide it."""
        self.find_bar = FindBar(self, self.navigator)
        self.search = self.find_bar.search
        self.tracer = Tracer(self.view, self.navigator)
        self.minimap = Minimap(self.view)
        self.local_derivatives = LocalDerivatives(self.view)
        self._completer_names: list[str] = []
        self._make_progress()
        bar = QHBoxLayout()
        bar.setContentsMargins(6, 4, 6, 2)
        bar.addWidget(self.find_bar)
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
        model.programChanged.connect(self._new_graph)
        self._update_completer()
        self._new_graph()

    def _new_graph(self) -> None:
        program = self.model.program
        if program is None:
            self.navigator.set_graph(None)
            return
        ids, name = program.index.ids, program.walk.name
        self.navigator.set_graph(program.index, lambda i: name(ids[i]))

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
        """Ctrl+F (the lab's one action with that key) opens the find bar."""
        self.find_bar.open()

    def find(self) -> str | None:
        """Show the next node the search text finds (its id; None if none)."""
        position = self.find_bar.step(1)
        return None if position is None else self.model.program.index.ids[position]

    def reveal(self, position: int) -> None:
        """Bring the node at ``position`` into sight: every revealer first (the
        fold UI unfolds what hides it), then select it and centre it."""
        for revealer in self.revealers:
            revealer(position)
        node_id = self.model.program.index.ids[position]
        self.model.select(node_id)
        self.view.center_on_node(node_id)
        count = self.navigator.count_text()
        where = f" — {count}" if count else ""
        name = self.model.name(node_id)
        what = name if name == node_id else f"{name} ({node_id})"
        self.view.message.emit(f"Found {what}{where}")

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
        completer.activated.connect(self._completed)
        self.search.setCompleter(completer)

    def _completed(self, text: str) -> None:
        """A name picked from the completer: search it and show its first hit."""
        self.find_bar.search.setText(text)
        self.find_bar.step(1)
