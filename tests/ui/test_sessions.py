"""Save a session, restore it in a fresh window: program, step, tab, lab settings."""

from __future__ import annotations

import json

from graphviz_dl.session import read_session
from ui import open_command


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
    assert second.lab("optimizers").model.surface.name != "beale"
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
    data = json.loads(
        '{"kind": "graphviz-dl session", "format": 1, "program": "x = 1 +* 2"}'
    )
    path.write_text(json.dumps(data))
    assert not window.sessions.open(path)
    message = window.statusBar().currentMessage()
    assert "field 'program'" in message and "line 1" in message
    assert window.model.program.source == before
    data["format"] = 99
    data["program"] = "x = 1.0"
    path.write_text(json.dumps(data))
    assert not window.sessions.open(path)
    assert "field 'format'" in window.statusBar().currentMessage()
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
