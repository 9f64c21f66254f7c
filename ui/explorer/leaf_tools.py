"""What a person does to one input of the graph: type a new value over its
card, or choose it as an axis of the loss surface (Ctrl+click, right-click)."""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, Qt, QTimer, Signal
from PySide6.QtWidgets import QGraphicsView, QLineEdit, QMenu


def parse_number(text: str) -> float:
    """A number a person typed: ``2``, ``-0.5``, ``−0.5``, ``1e-3``, ``inf``, ``nan``."""
    cleaned = text.strip().replace("\u2212", "-").replace(",", ".")
    if not cleaned:
        raise ValueError("type a number")
    try:
        return float(cleaned)
    except ValueError:
        raise ValueError(f"{text.strip()!r} is not a number") from None


class LeafEditor(QObject):
    """The inline editor over a leaf's card: Enter applies, Esc cancels."""

    committed = Signal(str, float)
    """(node id, value) typed and valid."""
    message = Signal(str)

    def __init__(self, view: QGraphicsView) -> None:
        super().__init__(view)
        self._view = view
        self.editor: QLineEdit | None = None
        self.node_id: str | None = None
        self._name = ""

    def open(self, node_id: str, card) -> QLineEdit:
        """Open over ``card`` (a :class:`~ui.explorer.node_items.ValueCard`)."""
        self.close()
        view = self._view
        editor = QLineEdit(view.viewport())
        editor.setObjectName("leafEditor")
        editor.setAccessibleName(f"New value for {card.name}")
        editor.setText(repr(card.value))
        editor.selectAll()
        rect = view.mapFromScene(card.mapRectToScene(card.card_rect())).boundingRect()
        height = max(30, editor.sizeHint().height())
        editor.setGeometry(
            rect.left(), rect.center().y() - height // 2, max(rect.width(), 140), height
        )
        editor.setToolTip(f"New value for {card.name}: Enter applies, Esc cancels")
        editor.returnPressed.connect(self._commit)
        editor.editingFinished.connect(self._left)
        editor.installEventFilter(self)
        self.editor, self.node_id, self._name = editor, node_id, card.name
        editor.show()
        editor.setFocus()
        return editor

    def eventFilter(self, watched, event) -> bool:
        if (
            watched is self.editor
            and event.type() == QEvent.Type.KeyPress
            and event.key() == Qt.Key.Key_Escape
        ):
            QTimer.singleShot(0, self.close)
            return True
        return super().eventFilter(watched, event)

    def _commit(self) -> None:
        editor, node_id = self.editor, self.node_id
        if editor is None or node_id is None:
            return
        try:
            value = parse_number(editor.text())
        except ValueError as exc:
            editor.setStyleSheet("border: 2px solid #dc2626;")
            self.message.emit(f"{self._name}: {exc}")
            return
        self.close()
        self.committed.emit(node_id, value)
        self._view.setFocus()

    def _left(self) -> None:
        if self.editor is not None and not self.editor.hasFocus():
            QTimer.singleShot(0, self.close)

    def close(self) -> None:
        editor = self.editor
        self.editor = None
        self.node_id = None
        if editor is not None:
            editor.removeEventFilter(self)
            editor.hide()
            editor.deleteLater()


class SurfaceAxes(QObject):
    """The (at most two) leaves chosen as the loss surface's x and y axes."""

    changed = Signal()
    message = Signal(str)
    requested = Signal(str, str)
    """Show the surface over these two leaves (x's node id, y's)."""

    def __init__(self, model, parent: QObject) -> None:
        super().__init__(parent)
        self.model = model
        self.chosen: list[str] = []

    def set(self, node_ids) -> bool:
        """Choose the axes' leaves (the last two given count); True on a change."""
        chosen = [n for n in node_ids if self.model.is_leaf(n)]
        chosen = list(dict.fromkeys(chosen))[-2:]
        if chosen == self.chosen:
            return False
        self.chosen = chosen
        self.changed.emit()
        return True

    def axis_of(self, node_id: str) -> str | None:
        return "xy"[self.chosen.index(node_id)] if node_id in self.chosen else None

    def toggle(self, node_id: str) -> None:
        """Ctrl+click: add a leaf (a third replaces the first), or take it away."""
        chosen = list(self.chosen)
        if node_id in chosen:
            chosen.remove(node_id)
        else:
            chosen.append(node_id)
        self.set(chosen)
        names = [self.model.name(n) for n in self.chosen]
        if len(names) == 2:
            self.message.emit(
                f"Loss surface over ({names[0]}, {names[1]}): Step ▸ Show loss "
                "surface (Ctrl+L)"
            )
        elif names:
            self.message.emit(f"{names[0]} chosen: Ctrl+click a second input")

    def menu(self, node_id: str, parent, edit) -> QMenu:
        """The right-click menu of a leaf: its loss surface over it and another;
        ``edit()`` opens the value editor."""
        menu = QMenu(parent)
        menu.setObjectName("leafMenu")
        program = self.model.program
        walk, index = program.walk, program.index
        others = [index.ids[i] for i in index.leaves if index.ids[i] != node_id]
        # named leaves first (the inputs a person wrote), numbers in formulas after
        others.sort(key=lambda n: (not index.node(n).label, index.position_of(n)))
        over = menu.addMenu(f"Loss surface over {walk.name(node_id)} and …")
        over.setObjectName("surfaceOverMenu")
        over.setEnabled(bool(others))
        for other in others:
            action = over.addAction(walk.name(other))
            action.setData(other)
            action.triggered.connect(
                lambda _checked=False, b=other: self.requested.emit(node_id, b)
            )
        toggle = menu.addAction(
            "Remove from the surface's axes"
            if node_id in self.chosen
            else "Use as a surface axis"
        )
        toggle.setObjectName("toggleSurfaceAxis")
        toggle.triggered.connect(lambda: self.toggle(node_id))
        menu.addAction("Edit value…").triggered.connect(edit)
        return menu
