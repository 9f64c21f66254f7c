"""Save a session, restore it in a fresh window: program, step, tab, lab settings."""

from __future__ import annotations

import json
import threading

from PySide6.QtCore import Qt
from PySide6.QtGui import QTextCursor

from graphviz_dl.language.builder import Builder
from graphviz_dl.session import read_session
from ui import open_command
from ui.explorer.loader import QUICK_STEPS


def test_a_session_comes_back_in_a_make_window(make_window, tmp_path, qtbot):
    first = make_window()
    first.load_example("chain-rule")
    first.model.set_position(7)
    node = first.model.find("b")
    first.model.select(node)
    optimizers = first.lab("optimizers")
    optimizers.select_surface("beale")
    training = first.lab("training")
    training.select_dataset("xor")
    first.select_lab("training")
    path = tmp_path / "lesson.gdl.json"
    assert first.sessions.save(path)
    saved = read_session(path)
    assert saved.position == 7 and saved.lab == "training"

    second = make_window()
    # the first window may have saved its settings by now (they are saved once
    # edits settle): the second starts elsewhere, so the session must bring it
    second.lab("optimizers").select_surface("rosenbrock")
    second.lab("training").select_dataset("moons")
    assert second.lab("training").model.spec.kind == "moons"
    assert second.sessions.open(path)
    model = second.model
    assert model.program.source == first.model.program.source
    assert model.position == 7
    assert model.selected == node
    assert second.lab("optimizers").model.surface.name == "beale"
    assert second.lab("training").model.spec.kind == "xor"
    assert second.tabs.currentWidget() is second.lab("training")
    assert "Opened session lesson.gdl.json" in second.statusBar().currentMessage()


def test_a_bad_session_replaces_nothing_and_names_the_field(make_window, tmp_path):
    window = make_window()
    window.load_example("perceptron")
    before = window.model.program.source
    path = tmp_path / "bad.gdl.json"
    data = {"kind": "graphviz-dl session", "format": 99, "program": "x = 1.0"}
    path.write_text(json.dumps(data))
    assert not window.sessions.open(path)
    assert "field 'format'" in window.statusBar().currentMessage()
    assert window.model.program.source == before
    assert window.lab("explorer").editor.toPlainText() == before


def test_a_session_whose_program_is_refused_keeps_it_in_the_editor(
    make_window, tmp_path
):
    window = make_window()
    window.load_example("perceptron")
    before = window.model.program.source
    path = tmp_path / "typo.gdl.json"
    program = "x = 1.0\ny = x +* 2\n"
    data = {"kind": "graphviz-dl session", "format": 1, "program": program}
    path.write_text(json.dumps(data))
    assert window.sessions.open(path)
    editor = window.lab("explorer").editor
    assert editor.toPlainText() == program  # what was written is not lost
    assert editor.error == (2, 7)  # marked where "*" stands
    message = window.statusBar().currentMessage()
    assert "typo.gdl.json" in message and "Line 2, column 8" in message
    assert window.model.program.source == before  # the graph on show stays


def _big_session(tmp_path, last_line: str):
    """A session whose program loops past what the GUI thread builds at once."""
    program = f"s = 0.0\nfor i in range(4000):\n    s += 1.0\n{last_line}\n"
    path = tmp_path / "big.gdl.json"
    data = {
        "kind": "graphviz-dl session",
        "format": 1,
        "program": program,
        "position": 5,
    }
    path.write_text(json.dumps(data))
    return path, program


def test_a_big_program_in_a_session_is_built_in_the_background(
    make_window, tmp_path, qtbot, monkeypatch
):
    window = make_window()
    window.load_example("chain-rule")
    before = window.model.program.source
    path, program = _big_session(tmp_path, "y = s * 2")
    steps_on_gui_thread = []
    build = Builder.build

    def watched(builder, tree):
        try:
            return build(builder, tree)
        finally:
            if threading.current_thread() is threading.main_thread():
                steps_on_gui_thread.append(builder.steps)

    monkeypatch.setattr(Builder, "build", watched)
    assert window.sessions.open(path)
    # the GUI thread only tried the program briefly, as for a typed one
    assert steps_on_gui_thread and max(steps_on_gui_thread) <= QUICK_STEPS + 1
    loader = window.lab("explorer").loader
    assert loader.busy  # handed to the job: the window stays free meanwhile
    assert window.model.program.source == before
    assert window.lab("explorer").editor.toPlainText() == program
    qtbot.waitUntil(lambda: not loader.busy, timeout=60_000)
    assert window.model.program.source == program
    assert window.model.position == 5  # the session's step, once it is in


def test_a_big_refused_program_in_a_session_reaches_the_editor(
    make_window, tmp_path, qtbot
):
    window = make_window()
    window.load_example("chain-rule")
    before = window.model.program.source
    path, program = _big_session(tmp_path, "y = s * w")
    assert window.sessions.open(path)
    explorer = window.lab("explorer")
    assert explorer.loader.busy
    qtbot.waitUntil(lambda: not explorer.loader.busy, timeout=60_000)
    assert explorer.editor.toPlainText() == program
    assert explorer.editor.error == (4, 8)
    assert "Line 4, column 9" in window.statusBar().currentMessage()
    assert window.model.program.source == before


def test_a_lesson_file_opens_on_its_step_from_the_command_line(
    tmp_path, clean_settings
):
    lesson = tmp_path / "lesson.gdl.json"
    lesson.write_text(
        json.dumps(
            {
                "kind": "graphviz-dl session",
                "format": 1,
                "program": "x = 2.0\nw = -3.0\ny = tanh(w * x)\n",
                "position": 4,
            }
        )
    )
    out = tmp_path / "lesson.png"
    assert open_command.main([str(lesson), "--screenshot", str(out)]) == 0
    assert out.stat().st_size > 10_000
    broken = tmp_path / "broken.gdl.json"
    broken.write_text("{")
    assert open_command.main([str(broken), "--screenshot", str(out)]) == 2


def test_a_refused_session_program_is_named_from_the_command_line(
    tmp_path, clean_settings, capsys
):
    for name, program in (
        ("typo.gdl.json", "x = 1.0\ny = x +* 2\n"),
        ("loop.gdl.json", "s = 0.0\nfor i in range(4000):\n    s += 1.0\ny = s * w\n"),
    ):
        lesson = tmp_path / name
        data = {"kind": "graphviz-dl session", "format": 1, "program": program}
        lesson.write_text(json.dumps(data))
        out = tmp_path / "lesson.png"
        assert open_command.main([str(lesson), "--screenshot", str(out)]) == 2
        said = capsys.readouterr().err
        assert name in said and "field 'program'" in said
        assert ("Line 2, column 8" if "typo" in name else "Line 4, column 9") in said


def test_a_saved_session_keeps_the_text_typed_but_not_built(
    make_window, tmp_path, qtbot
):
    """A program typed (with a typo, so never built) and saved in a session
    comes back as typed, not as the last graph that was built."""
    first = make_window()
    first.load_example("chain-rule")
    editor = first.lab("explorer").editor
    editor.moveCursor(QTextCursor.MoveOperation.End)
    qtbot.keyClick(editor, Qt.Key.Key_Return)
    qtbot.keyClicks(editor, "z = L +* 2")
    typed = editor.toPlainText()
    assert typed != first.model.program.source
    path = tmp_path / "draft.gdl.json"
    assert first.sessions.save(path)
    assert read_session(path).program == typed

    second = make_window()
    assert second.sessions.open(path)
    assert second.lab("explorer").editor.toPlainText() == typed
    assert "not built" in second.statusBar().currentMessage()
    again = tmp_path / "again.gdl.json"
    assert second.sessions.save(again)  # the refused text is still what is kept
    assert read_session(again).program == typed
