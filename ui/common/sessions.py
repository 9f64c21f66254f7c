"""File ▸ Save session / Open session: a whole sitting in one file, and back.

The format, its checks and its atomic writing live in the core
(:mod:`graphviz_dl.session`). Here the window's labs are asked for their
parts: the explorer's program (as typed, or as the safe program that rebuilds
a graph made by ``run`` or ``explore()``), its step and selection, which tab
is shown, and each lab's ``session_state()``. Opening a session checks the
whole file first: a bad file replaces nothing that is open.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QObject, Signal
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QFileDialog, QWidget

from graphviz_dl.expr import ExpressionError, parse
from graphviz_dl.session import Session, SessionError, read_session, save_session

SESSION_FILTER = "graphviz-dl sessions (*.gdl.json *.json);;All files (*)"
TAB_NAMES = {"explorerLab": "explorer", "optimizerLab": "optimizers"}
TAB_NAMES["trainingLab"] = "training"


def capture_session(window) -> Session:
    """Everything :func:`apply_session` needs to bring this window back."""
    explorer = window.lab("explorer")
    model = explorer.model
    program = model.program
    text = program.source if program is not None else explorer.editor.toPlainText()
    labs = {
        name: lab.session_state()
        for name, lab in _labs(window).items()
        if name != "explorer" and hasattr(lab, "session_state")
    }
    current = window.tabs.currentWidget()
    return Session(
        program=text,
        position=model.position if program is not None else 0,
        selected=model.selected,
        title=explorer.path.name if explorer.path is not None else "",
        lab=TAB_NAMES.get(current.objectName(), "explorer"),
        labs=labs,
    )


def apply_session(window, session: Session, source: str) -> list[str]:
    """Open ``session`` in ``window``; returns what had to be replaced.

    The program is parsed before anything changes, so a session whose program
    does not parse is refused whole (:class:`SessionError`, naming the field).
    """
    try:
        parse(session.program)
    except ExpressionError as exc:
        raise SessionError(
            source, "program", f"line {exc.line}, column {exc.col}: {exc.message}"
        ) from None
    explorer = window.lab("explorer")
    problems: list[str] = []
    for name, lab in _labs(window).items():
        state = session.labs.get(name)
        if state is not None and hasattr(lab, "restore_session"):
            problems += lab.restore_session(state, f"{source}: labs.{name}")
    model = explorer.model

    def stand() -> None:
        model.set_position(min(session.position, model.length))
        if session.selected in model.program.index.ids:
            model.select(session.selected)

    explorer.editor.set_program_text(session.program)
    if not explorer.load_source(session.program, f"Open session {Path(source).name}"):
        raise SessionError(source, "program", "could not be built")
    if explorer.loader.busy:  # a big program: stand on the step once it is in
        once = {}

        def loaded(_program) -> None:
            explorer.loader.loaded.disconnect(once["slot"])
            stand()

        once["slot"] = loaded
        explorer.loader.loaded.connect(loaded)
    else:
        stand()
    window.select_lab(session.lab)
    return problems


def _labs(window) -> dict[str, QWidget]:
    return {
        name: lab
        for name in ("explorer", "optimizers", "training")
        if (lab := window.lab(name)) is not None
    }


class SessionActions(QObject):
    """The window's File ▸ Open session… and Save session… actions."""

    message = Signal(str, int)

    def __init__(self, window) -> None:
        super().__init__(window)
        self.window = window
        self.path: Path | None = None
        self.open_action = QAction("Open &session…", window)
        self.open_action.setObjectName("openSession")
        self.open_action.setShortcut(QKeySequence("Ctrl+Shift+O"))
        self.open_action.triggered.connect(self.open_dialog)
        self.save_action = QAction("Save s&ession…", window)
        self.save_action.setObjectName("saveSession")
        self.save_action.setShortcut(QKeySequence("Ctrl+Alt+S"))
        self.save_action.triggered.connect(self.save_dialog)
        window.addActions([self.open_action, self.save_action])

    def save(self, path: str | Path) -> bool:
        """Write the session; a failure keeps any old file and says why."""
        path = Path(path)
        try:
            save_session(capture_session(self.window), path)
        except (OSError, ValueError) as exc:
            reason = getattr(exc, "strerror", None) or str(exc)
            self.message.emit(f"Could not save the session {path.name}: {reason}", 0)
            return False
        self.path = path
        self.message.emit(f"Session saved to {path.name}", 6000)
        return True

    def open(self, path: str | Path) -> bool:
        """Open a session file; a bad one is named with its field, and nothing
        open is replaced."""
        try:
            session = read_session(path)
            problems = apply_session(self.window, session, str(path))
        except SessionError as exc:
            self.message.emit(f"Could not open the session: {exc}", 0)
            return False
        self.path = Path(path)
        note = f" (replaced: {'; '.join(problems)})" if problems else ""
        self.message.emit(f"Opened session {Path(path).name}{note}", 0)
        return True

    def save_dialog(self) -> None:
        start = str(self.path or Path.home() / "session.gdl.json")
        path, _ = QFileDialog.getSaveFileName(
            self.window, "Save session", start, SESSION_FILTER
        )
        if path:
            self.save(path)

    def open_dialog(self) -> None:
        start = str(self.path.parent if self.path else Path.home())
        path, _ = QFileDialog.getOpenFileName(
            self.window, "Open session", start, SESSION_FILTER
        )
        if path:
            self.open(path)
