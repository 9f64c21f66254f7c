"""Nothing a person types is lost.

* Typed text that was never built is kept when something replaces it (an
  example clicked, a session opened): Edit ▸ Back to my typed program.
* While there are unbuilt edits, they are written to a draft on disk a moment
  after each change (:mod:`graphviz_dl.drafts`); quitting normally removes it.
  A draft left by a run that crashed or was killed is offered back at the next
  start: File ▸ Recover unsaved draft.
"""

from __future__ import annotations

import os
from pathlib import Path

from PySide6.QtCore import QObject, QStandardPaths, QTimer, Signal
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QMessageBox, QWidget

from graphviz_dl.drafts import Draft, DraftStore

AUTOSAVE_MS = 2000
DRAFTS_ENV = "GRAPHVIZ_DL_DRAFTS"
"""Where drafts go, if set (tests; several installs side by side)."""


def draft_folder() -> Path:
    """The drafts folder: ``$GRAPHVIZ_DL_DRAFTS``, else the app's data folder."""
    override = os.environ.get(DRAFTS_ENV)
    if override:
        return Path(override)
    location = QStandardPaths.StandardLocation.AppLocalDataLocation
    return Path(QStandardPaths.writableLocation(location)) / "drafts"


class TypingKeeper(QObject):
    """Keeps the explorer's typed text: a stash, and a draft on disk."""

    message = Signal(str, int)

    def __init__(self, lab, drafts: DraftStore | None) -> None:
        super().__init__(lab)
        self.editor = lab.editor
        self.drafts = drafts
        self.stash: str | None = None
        self.found: list[Draft] = drafts.left_over() if drafts is not None else []
        self.back_action = QAction("&Back to my typed program", lab)
        self.back_action.setObjectName("backToTypedProgram")
        self.back_action.setEnabled(False)
        self.back_action.triggered.connect(self.back_to_typed)
        self.recover_action = QAction("Recover unsaved &draft", lab)
        self.recover_action.setObjectName("recoverDraft")
        self.recover_action.setEnabled(bool(self.found))
        self.recover_action.triggered.connect(self.recover)
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(AUTOSAVE_MS)
        self._timer.timeout.connect(self.save_draft)
        self.editor.typedTextReplaced.connect(self._keep)
        self.editor.textChanged.connect(self._changed)

    def announce(self) -> None:
        """Say once, at start, that a lost draft can be recovered."""
        if self.found:
            self.message.emit(
                "A program typed before the app last stopped unexpectedly was "
                "kept: File ▸ Recover unsaved draft",
                0,
            )

    def _keep(self, text: str) -> None:
        self.stash = text
        self.back_action.setEnabled(True)
        self.message.emit(
            "Your unbuilt program is kept: Edit ▸ Back to my typed program", 0
        )

    def back_to_typed(self) -> None:
        """Put the kept typed text back in the editor (not built yet)."""
        if self.stash is None:
            return
        text, self.stash = self.stash, None
        self.back_action.setEnabled(False)
        self.editor.set_program_text(text)  # what was there now goes to the stash
        self.editor.mark_typed()

    def recover(self) -> None:
        """Put the newest left-over draft in the editor."""
        if not self.found:
            return
        draft = self.found.pop(0)
        self.editor.set_program_text(draft.text)
        self.editor.mark_typed()
        if self.drafts is not None:
            self.drafts.forget(draft)
        self.recover_action.setEnabled(bool(self.found))
        self.message.emit("The draft is back in the Program panel: Build to run it", 0)

    def _changed(self) -> None:
        if self.drafts is not None:
            self._timer.start()

    def save_draft(self) -> None:
        """Write the draft now (only while there are unbuilt edits)."""
        self._timer.stop()
        if self.drafts is None:
            return
        typed = self.editor.has_unbuilt_edits()
        try:
            self.drafts.save(self.editor.toPlainText() if typed else "")
        except OSError as exc:
            self.message.emit(f"Could not keep a draft: {exc.strerror or exc}", 0)

    def finish(self) -> None:
        """Quitting normally: no draft is needed."""
        self._timer.stop()
        if self.drafts is not None:
            self.drafts.discard()


def confirm_unbuilt_text(parent: QWidget, lab) -> bool:
    """Before quitting over unbuilt typed text: save it, discard it, or stay.
    Returns whether to go on closing."""
    if not lab.editor.has_unbuilt_edits():
        return True
    buttons = QMessageBox.StandardButton
    answer = QMessageBox.question(
        parent,
        "Unsaved program",
        "The Program panel has text you typed and have not saved. Save it "
        "before quitting?",
        buttons.Save | buttons.Discard | buttons.Cancel,
        buttons.Save,
    )
    if answer == buttons.Cancel:
        return False
    if answer == buttons.Save:
        lab.files.save_program_dialog()
        return not lab.editor.has_unbuilt_edits()
    lab.typing.finish()
    lab.editor.mark_given()
    return True
