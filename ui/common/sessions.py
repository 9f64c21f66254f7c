"""File ▸ Save session / Open session: a whole sitting in one file, and back.

The format, its checks and its atomic writing live in the core
(:mod:`graphviz_dl.session`). Here the window's labs are asked for their
parts: the explorer's program (as typed, or as the safe program that rebuilds
a graph made by ``run`` or ``explore()``), its step and selection, which tab
is shown, and each lab's ``session_state()``. Opening a session checks the
whole file first: a bad file replaces nothing that is open. Its program is
then treated as if typed: built in the background when big, and kept in the
editor with the error marked when refused.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from PySide6.QtCore import QObject, Signal
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QFileDialog, QWidget

from graphviz_dl.session import Session, SessionError, read_session, save_session

SESSION_FILTER = "graphviz-dl sessions (*.gdl.json *.json);;All files (*)"
TAB_NAMES = {"explorerLab": "explorer", "optimizerLab": "optimizers"}
TAB_NAMES["trainingLab"] = "training"


def capture_session(window) -> Session:
    """Everything :func:`apply_session` needs to bring this window back."""
    explorer = window.lab("explorer")
    model = explorer.model
    program = model.program
    typed = explorer.editor.toPlainText()
    # the editor's text: the graph on show, or what was typed since and not
    # built yet (or refused), which must not be lost
    text = typed if program is None or typed.strip() else program.source
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


@dataclass
class Opened:
    """What :func:`apply_session` did beyond bringing the session back."""

    problems: list[str] = field(default_factory=list)
    """Lab settings that had to be replaced, each naming its field."""
    refused: str | None = None
    """The program's error ("line 3, column 7: …") when it was refused at once;
    its text is in the editor all the same, the spot marked."""


def apply_session(window, session: Session, source: str) -> Opened:
    """Open ``session`` in ``window``.

    The program goes in the editor and is built as a typed one is: a big one
    in the explorer's background job (the window stays free), and one that
    is refused stays in the editor with its line and column marked, so
    nothing written in it is lost; the graph on show then stays.
    """
    explorer = window.lab("explorer")
    opened = Opened()
    for name, lab in _labs(window).items():
        state = session.labs.get(name)
        if state is not None and hasattr(lab, "restore_session"):
            opened.problems += lab.restore_session(state, f"{source}: labs.{name}")
    explorer.editor.set_program_text(session.program)
    if explorer.load_source(session.program, f"Open session {Path(source).name}"):
        _stand_once_loaded(explorer, session)
    else:
        opened.refused = explorer.refusal or "it could not be built"
    window.select_lab(session.lab)
    return opened


def _stand_once_loaded(explorer, session: Session) -> None:
    """Go to the session's step and selection once its program is shown (at
    once, or when the background job delivers it; not after a refusal)."""
    model, loader = explorer.model, explorer.loader

    def stand() -> None:
        model.set_position(min(session.position, model.length))
        if session.selected in model.program.index.ids:
            model.select(session.selected)

    if not loader.busy:
        stand()
        return

    def loaded(program) -> None:
        settle()
        if program.source == session.program:  # not a later, other program
            stand()

    def settle(*_args) -> None:
        loader.loaded.disconnect(loaded)
        loader.refused.disconnect(settle)

    loader.loaded.connect(loaded)
    loader.refused.connect(settle)


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
        except SessionError as exc:
            self.message.emit(f"Could not open the session: {exc}", 0)
            return False
        opened = apply_session(self.window, session, str(path))
        self.path = Path(path)
        problems = opened.problems
        note = f" (replaced: {'; '.join(problems)})" if problems else ""
        if opened.refused:
            note += f"; its program is in the editor, not built: {opened.refused}"
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
