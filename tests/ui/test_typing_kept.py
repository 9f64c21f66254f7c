"""Nothing typed is lost: an example click, a kill, a quit."""

from __future__ import annotations

import os
import signal
import subprocess
import sys

from PySide6.QtWidgets import QMessageBox

from ui.main_window import MainWindow

TYPED = "# my own neuron\nx = 2.0\nw = -3.0\no = tanh(w * x)\n"

CHILD = """
import os, sys
os.environ["QT_QPA_PLATFORM"] = "offscreen"
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication
app = QApplication([])
from ui.main_window import MainWindow
window = MainWindow(load_labs=False)
window.show()
window.editor.setFocus()
window.editor.insertPlainText(sys.argv[1])
def saved():
    window.explorer.typing.save_draft()
    print("saved", flush=True)
QTimer.singleShot(50, saved)
app.exec()
"""


def test_typed_text_survives_an_example_click(explorer, qtbot):
    window = explorer.window
    window.editor.setFocus()
    window.editor.insertPlainText("y = 3.0\nz = y * y\n")
    explorer.load_example("perceptron")
    assert "y = 3.0" not in window.editor.toPlainText()
    back = explorer.action("backToTypedProgram")
    assert back.isEnabled()
    assert "kept" in window.statusBar().currentMessage()
    back.trigger()
    assert window.editor.toPlainText() == "y = 3.0\nz = y * y\n"


def test_a_draft_survives_a_kill_and_is_offered_back(
    tmp_path, qtbot, clean_settings, monkeypatch
):
    drafts = tmp_path / "drafts"
    env = {**os.environ, "GRAPHVIZ_DL_DRAFTS": str(drafts), "HOME": str(tmp_path)}
    child = subprocess.Popen(
        [sys.executable, "-c", CHILD, TYPED],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
    )
    try:
        assert child.stdout.readline().strip() == "saved"
    finally:
        os.kill(child.pid, signal.SIGKILL)
        child.wait()
    monkeypatch.setenv("GRAPHVIZ_DL_DRAFTS", str(drafts))
    window = MainWindow(load_labs=False)
    qtbot.addWidget(window)
    recover = window.findChild(type(window.undo_action), "recoverDraft")
    assert recover is not None and recover.isEnabled()
    assert "Recover unsaved draft" in window.statusBar().currentMessage()
    recover.trigger()
    assert window.editor.toPlainText() == TYPED
    assert not list(drafts.iterdir())  # taken back: not offered twice


def test_quitting_over_typed_text_asks(explorer, qtbot, monkeypatch):
    window = explorer.window
    window.confirm_close = True
    window.editor.setFocus()
    qtbot.keyClicks(window.editor, "a = 1.0")
    answers = [QMessageBox.StandardButton.Cancel, QMessageBox.StandardButton.Discard]
    asked = []

    def question(*args, **kwargs):
        asked.append(args[2])
        return answers.pop(0)

    monkeypatch.setattr(QMessageBox, "question", question)
    assert not window.close()
    assert window.isVisible() and "not saved" in asked[0]
    assert window.close()
    assert not window.isVisible() and not answers
