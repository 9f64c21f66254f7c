"""Stepping through the chain-rule example as a student would, with numbers worked by hand.

(t1·t2·x − y)² with t1 = 0.5, t2 = −1.5, x = 2, y = 0.25:
a = −0.75, b = −1.5, c = −1.75, L = 3.0625; ∂L/∂c = 2c = −3.5, ∂L/∂b = −3.5,
∂L/∂y = 3.5, ∂L/∂a = −3.5·x = −7, ∂L/∂x = −3.5·a = 2.625, ∂L/∂t1 = −7·t2 = 10.5,
∂L/∂t2 = −7·t1 = −3.5.
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel, QSlider, QToolButton

from ui.explorer.palette import BACKWARD_TARGET, FORWARD_INPUT, FORWARD_TARGET

# (explanation starts with, node the step changes, what its card shows: value or grad)
CHAIN_RULE_STEPS = [
    ("a = t1 · t2 = 0.5 × −1.5 = −0.75", "a", "value", "−0.75"),
    ("b = a · x = −0.75 × 2.0 = −1.5", "b", "value", "−1.5"),
    ("c = b − y = −1.5 − 0.25 = −1.75", "c", "value", "−1.75"),
    ("L = c^2 = (−1.75)^2 = 3.0625", "L", "value", "3.0625"),
    ("∂L/∂L = 1", "L", "grad", "1.0"),
    ("∂L/∂c += ∂L/∂L · ∂L/∂c = 1.0 × −3.5 = −3.5", "c", "grad", "−3.5"),
    ("∂L/∂b += ∂L/∂c · ∂c/∂b = −3.5 × 1.0 = −3.5", "b", "grad", "−3.5"),
    ("∂L/∂y += ∂L/∂c · ∂c/∂y = −3.5 × −1.0 = 3.5", "y", "grad", "3.5"),
    ("∂L/∂a += ∂L/∂b · ∂b/∂a = −3.5 × 2.0 = −7.0", "a", "grad", "−7.0"),
    ("∂L/∂x += ∂L/∂b · ∂b/∂x = −3.5 × −0.75 = 2.625", "x", "grad", "2.625"),
    ("∂L/∂t1 += ∂L/∂a · ∂a/∂t1 = −7.0 × −1.5 = 10.5", "t1", "grad", "10.5"),
    ("∂L/∂t2 += ∂L/∂a · ∂a/∂t2 = −7.0 × 0.5 = −3.5", "t2", "grad", "−3.5"),
]
LEAVES = ("t1", "t2", "x", "y")
COMPUTED = ("a", "b", "c", "L")


def assert_start_state(explorer):
    window = explorer.window
    for name in LEAVES:
        assert explorer.card(name).value_text() != "?"
        assert explorer.card(name).grad_text() == "?"
    for name in COMPUTED:
        shown = explorer.card(name)
        assert (shown.value_text(), shown.grad_text()) == ("?", "?"), name
        assert shown.role is None
    assert window.findChild(QSlider, "stepSlider").value() == 0


def test_next_walks_every_step_with_the_right_text_and_numbers(qtbot, window, explorer):
    explorer.load_example()
    assert window.model.length == len(CHAIN_RULE_STEPS)
    explanation = window.findChild(QLabel, "stepExplanation")
    assert_start_state(explorer)
    for position, (text, name, field, shown) in enumerate(CHAIN_RULE_STEPS, start=1):
        explorer.click("stepNext")
        assert window.model.position == position
        assert explanation.text().startswith(text)
        assert explanation.text() == window.model.current_step().text
        changed = explorer.card(name)
        assert (
            changed.value_text() if field == "value" else changed.grad_text()
        ) == shown
        expected_role = FORWARD_TARGET if field == "value" else BACKWARD_TARGET
        assert changed.role == expected_role
        assert window.findChild(QSlider, "stepSlider").value() == position
    # At the end every card shows its value and its gradient.
    finals = {
        "t1": "10.5",
        "t2": "−3.5",
        "x": "2.625",
        "y": "3.5",
        "a": "−7.0",
        "L": "1.0",
    }
    for name, grad in finals.items():
        assert explorer.card(name).grad_text() == grad
    assert not window.findChild(QToolButton, "stepNext").isEnabled()


def test_forward_step_lights_its_inputs_and_dims_what_is_not_computed(
    qtbot, window, explorer
):
    explorer.load_example()
    assert window.model.length == len(CHAIN_RULE_STEPS)
    explorer.click("stepNext")
    assert explorer.card("t1").role == FORWARD_INPUT
    assert explorer.card("t2").role == FORWARD_INPUT
    assert explorer.card("a").role == FORWARD_TARGET
    assert explorer.card("b").value_text() == "?"
    explorer.click("stepNext")
    assert explorer.card("t1").role is None  # the last step's light goes out
    assert explorer.card("a").role == FORWARD_INPUT


def test_prev_walks_back_exactly_to_the_dimmed_start(qtbot, window, explorer):
    explorer.load_example()
    assert window.model.length == len(CHAIN_RULE_STEPS)
    explanation = window.findChild(QLabel, "stepExplanation")
    explorer.click("stepLast")
    assert window.model.position == len(CHAIN_RULE_STEPS)
    for position in range(len(CHAIN_RULE_STEPS) - 1, 0, -1):
        explorer.click("stepPrev")
        text, name, _field, _shown = CHAIN_RULE_STEPS[position - 1]
        assert explanation.text().startswith(text)
        later = CHAIN_RULE_STEPS[position]
        if later[2] == "grad" and later[1] != name:
            assert explorer.card(later[1]).grad_text() == "?"
    explorer.click("stepPrev")
    assert window.model.position == 0
    assert_start_state(explorer)
    assert not window.findChild(QToolButton, "stepPrev").isEnabled()


def test_home_end_arrows_and_slider_move_the_cursor(qtbot, window, explorer):
    explorer.load_example()
    assert window.model.length == len(CHAIN_RULE_STEPS)
    view = window.graph_view
    view.setFocus()
    qtbot.keyClick(view, Qt.Key.Key_Right)
    qtbot.keyClick(view, Qt.Key.Key_Right)
    assert window.model.position == 2
    qtbot.keyClick(view, Qt.Key.Key_Left)
    assert window.model.position == 1
    qtbot.keyClick(view, Qt.Key.Key_End)
    assert window.model.position == len(CHAIN_RULE_STEPS)
    qtbot.keyClick(view, Qt.Key.Key_Home)
    assert window.model.position == 0
    window.findChild(QSlider, "stepSlider").setValue(9)
    assert window.model.position == 9
    assert explorer.card("a").grad_text() == "−7.0"
    assert explorer.card("x").grad_text() == "?"


def test_play_runs_to_the_end_and_stops(qtbot, window, explorer):
    explorer.load_example()
    assert window.model.length == len(CHAIN_RULE_STEPS)
    window.findChild(QSlider, "speed").setValue(20)
    play = window.findChild(QToolButton, "playPause")
    qtbot.mouseClick(play, Qt.MouseButton.LeftButton)
    assert window.step_panel.playing
    qtbot.waitUntil(
        lambda: window.model.position == len(CHAIN_RULE_STEPS), timeout=5000
    )
    qtbot.waitUntil(lambda: not window.step_panel.playing, timeout=1000)
    assert not play.isChecked()
    # Space from the end starts over.
    window.graph_view.setFocus()
    qtbot.keyClick(window.graph_view, Qt.Key.Key_Space)
    assert window.step_panel.playing
    assert window.model.position <= 1
    qtbot.keyClick(window.graph_view, Qt.Key.Key_Space)
    assert not window.step_panel.playing
