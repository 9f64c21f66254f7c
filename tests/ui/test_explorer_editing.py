"""Changing the graph: typing a leaf value, building programs, errors, undo/redo.

With x = 3 instead of 2 in (t1·t2·x − y)², t1 = 0.5, t2 = −1.5, y = 0.25:
a = −0.75, b = −2.25, c = −2.5, L = 6.25; ∂L/∂c = −5, ∂L/∂y = 5, ∂L/∂a = −15,
∂L/∂x = 3.75, ∂L/∂t1 = 22.5, ∂L/∂t2 = −7.5.
"""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel, QLineEdit, QPlainTextEdit

EDITED_GRADS = {"t1": "22.5", "t2": "−7.5", "x": "3.75", "y": "5.0", "a": "−15.0"}
ORIGINAL_GRADS = {"t1": "10.5", "t2": "−3.5", "x": "2.625", "y": "3.5", "a": "−7.0"}


def test_double_click_a_leaf_recomputes_both_passes_and_keeps_the_step(
    qtbot, window, explorer
):
    explorer.load_example()
    window.model.go_last()
    explorer.type_leaf_value("x", "3")
    assert window.model.position == window.model.length
    assert explorer.card("x").value_text() == "3.0"
    assert explorer.card("b").value_text() == "−2.25"
    assert explorer.card("L").value_text() == "6.25"
    for name, grad in EDITED_GRADS.items():
        assert explorer.card(name).grad_text() == grad, name
    # The program text follows, keeping the rest as written.
    text = window.findChild(QPlainTextEdit, "programEditor").toPlainText()
    assert "\nx = 3.0\n" in text and "# title: Chain rule" in text
    # The explanation of the current step uses the new numbers.
    explanation = window.findChild(QLabel, "stepExplanation").text()
    assert explanation.startswith("∂L/∂t2 += ∂L/∂a · ∂a/∂t2 = −15.0 × 0.5 = −7.5")


def test_a_mid_walk_edit_keeps_unreached_nodes_dimmed(qtbot, window, explorer):
    explorer.load_example()
    window.model.set_position(2)
    explorer.type_leaf_value("x", "3")
    assert window.model.position == 2
    assert explorer.card("b").value_text() == "−2.25"
    assert explorer.card("c").value_text() == "?"


def test_a_bad_number_is_refused_with_a_message(qtbot, window, explorer):
    explorer.load_example()
    explorer.type_leaf_value("x", "two")
    assert window.model.node(window.model.find("x")).data == 2.0
    assert "not a number" in window.statusBar().currentMessage()
    assert window.undo_stack.count() == 1  # only the example load


def test_escape_cancels_a_leaf_edit(qtbot, window, explorer):
    explorer.load_example()
    explorer.double_click_card("t1")
    editor = window.graph_view.findChild(QLineEdit, "leafEditor")
    qtbot.keyClicks(editor, "9")
    qtbot.keyClick(editor, Qt.Key.Key_Escape)
    qtbot.waitUntil(
        lambda: window.graph_view.findChild(QLineEdit, "leafEditor") is None
    )
    assert window.model.node(window.model.find("t1")).data == 0.5


def test_computed_nodes_cannot_be_edited(qtbot, window, explorer):
    explorer.load_example()
    explorer.double_click_card("b")
    assert window.graph_view.findChild(QLineEdit, "leafEditor") is None


def test_undo_and_redo_a_value_edit(qtbot, window, explorer):
    explorer.load_example()
    window.model.go_last()
    explorer.type_leaf_value("x", "3")
    explorer.action("undo").trigger()
    for name, grad in ORIGINAL_GRADS.items():
        assert explorer.card(name).grad_text() == grad, name
    assert "\nx = 2.0\n" in window.editor.toPlainText()
    explorer.action("redo").trigger()
    for name, grad in EDITED_GRADS.items():
        assert explorer.card(name).grad_text() == grad, name


def test_inspector_edits_go_through_the_same_command(qtbot, window, explorer):
    explorer.load_example()
    window.model.go_last()
    window.model.select(window.model.find("x"))
    edit = window.findChild(QLineEdit, "inspectorValueEdit")
    assert edit.isEnabled() and edit.text() == "2.0"
    edit.clear()
    qtbot.keyClicks(edit, "3")
    qtbot.keyClick(edit, Qt.Key.Key_Return)
    assert explorer.card("t1").grad_text() == "22.5"
    assert window.findChild(QLabel, "inspectorGrad").text() == "3.75"
    explorer.action("undo").trigger()
    assert explorer.card("t1").grad_text() == "10.5"


def test_build_a_typed_program_and_undo_back_to_the_example(qtbot, window, explorer):
    explorer.load_example()
    editor = window.findChild(QPlainTextEdit, "programEditor")
    editor.setPlainText("p = 3.0\nq = -2.0\nr = p * q + p\n")
    editor.setFocus()
    qtbot.keyClick(editor, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)
    # two forward steps, the seed, and one backward step per edge: four
    assert window.model.length == 2 + 1 + 4
    window.model.go_last()
    assert explorer.card("p").grad_text() == "−1.0"  # ∂(pq + p)/∂p = q + 1
    assert explorer.card("q").grad_text() == "3.0"
    explorer.action("undo").trigger()
    assert window.model.find("t1") is not None
    assert "t1 = 0.5" in editor.toPlainText()
    explorer.action("redo").trigger()
    assert window.model.find("r") is not None


def test_a_broken_program_shows_where_and_keeps_the_old_graph(qtbot, window, explorer):
    explorer.load_example()
    window.model.set_position(3)
    old = window.model.program
    editor = window.findChild(QPlainTextEdit, "programEditor")
    editor.setPlainText("u = 1.0\nv = u * w\n")
    explorer.action("buildProgram").trigger()
    assert window.model.program is old
    assert window.model.position == 3
    assert editor.error == (2, 8)  # line 2, the 'w' (0-based column 8)
    message = window.statusBar().currentMessage()
    assert message.startswith("Line 2, column 9") and "unknown name 'w'" in message
    assert editor.extraSelections(), "the spot is underlined"
    assert editor.textCursor().blockNumber() == 1
    # Fixing the text clears the mark.
    editor.setPlainText("u = 1.0\nv = u * 2\n")
    assert editor.error is None and not editor.extraSelections()
    explorer.action("buildProgram").trigger()
    assert window.model.find("v") is not None


LONG_LOOP = "a = Value(1.0)\nfor i in range(4000):\n    s = a * i\no = s\n"


def test_a_long_loop_is_built_in_the_background_and_its_error_still_marked(
    qtbot, window, explorer
):
    """Building takes more than a moment: it runs in the loader's job, the
    window stays free, and a mistake after the loop is marked where it is."""
    explorer.load_example()
    old = window.model.program
    editor = window.findChild(QPlainTextEdit, "programEditor")
    editor.setPlainText(LONG_LOOP + "t = o * w\n")
    with qtbot.waitSignal(window.loader.refused, timeout=20000):
        explorer.action("buildProgram").trigger()
        assert window.loader.busy, "built in the job, not before the click returns"
    assert window.model.program is old
    assert editor.error == (5, 8)  # the 'w'
    message = window.statusBar().currentMessage()
    assert message.startswith("Line 5, column 9") and "unknown name 'w'" in message
    editor.setPlainText(LONG_LOOP)
    with qtbot.waitSignal(window.loader.loaded, timeout=20000):
        explorer.action("buildProgram").trigger()
    assert window.model.find("o") is not None
    assert editor.error is None


def test_arrow_keys_edit_text_in_the_editor_and_do_not_step(qtbot, window, explorer):
    explorer.load_example()
    editor = window.findChild(QPlainTextEdit, "programEditor")
    editor.setFocus()
    qtbot.waitUntil(editor.hasFocus)
    cursor = editor.textCursor()
    cursor.setPosition(0)
    editor.setTextCursor(cursor)
    qtbot.keyClick(editor, Qt.Key.Key_Right)
    qtbot.keyClick(editor, Qt.Key.Key_End)
    qtbot.keyClick(editor, Qt.Key.Key_Space)
    assert window.model.position == 0
    assert editor.textCursor().position() > 1


def test_check_gradients_marks_every_node(qtbot, window, explorer):
    explorer.load_example()
    explorer.action("checkGradients").trigger()
    checks = window.model.grad_checks
    assert {"t1", "t2", "x", "y", "a"} <= {window.model.name(node) for node in checks}
    assert len(checks) == window.model.program.size
    for name, grad in ORIGINAL_GRADS.items():
        shown = explorer.card(name)
        assert shown.check is not None and shown.check[0] == "✓"
        assert shown.check[1] == pytest.approx(float(grad.replace("−", "-")), rel=1e-6)
    assert "✓" in window.statusBar().currentMessage()
    window.model.select(window.model.find("t1"))
    text = window.findChild(QLabel, "inspectorCheck").text()
    assert text.startswith("✓") and "analytic 10.5" in text


def test_search_finds_a_node_and_selects_it(qtbot, window, explorer):
    explorer.load_example()
    search = window.findChild(QLineEdit, "nodeSearch")
    qtbot.keyClicks(search, "T2")
    qtbot.keyClick(search, Qt.Key.Key_Return)
    assert window.model.selected == window.model.find("t2")
    assert explorer.card("t2").selected
    assert window.findChild(QLabel, "inspectorId").text().startswith("t2")
    search.clear()
    qtbot.keyClicks(search, "nothing-here")
    qtbot.keyClick(search, Qt.Key.Key_Return)
    assert "No node" in window.statusBar().currentMessage()


def test_clicking_a_node_shows_it_in_the_inspector(qtbot, window, explorer):
    explorer.load_example()
    window.model.set_position(9)
    explorer.click_card("a")
    assert window.model.selected == window.model.find("a")
    fields = {
        key: window.findChild(QLabel, f"inspector{key}").text()
        for key in ("Op", "Parents", "Value", "Grad", "Local", "Formula")
    }
    assert fields["Op"].startswith("mul")
    assert fields["Parents"] == "t1, t2"
    assert fields["Value"] == "−0.75"
    assert fields["Grad"] == "−7.0"
    assert "∂a/∂t1 = t2 = −1.5" in fields["Local"]
    assert fields["Formula"] == "a = t1 · t2"
    window.model.set_position(8)
    assert window.findChild(QLabel, "inspectorGrad").text().startswith("?")


def test_the_first_value_that_is_not_a_number_is_said_on_load(explorer):
    window = explorer.window
    assert window.load_source("x = 0.0\ny = log(x)\nz = y * 2\n")
    message = window.statusBar().currentMessage()
    assert message.startswith("⚠ Not a number from here on: y is −inf")
