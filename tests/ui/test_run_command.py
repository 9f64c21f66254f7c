"""Bring your own code: ``graphviz-dl run FILE.py`` and ``explore(o)`` from Python."""

from __future__ import annotations

import math
from pathlib import Path

import pytest
from PySide6.QtCore import QTimer
from PySide6.QtGui import QImage

from graphviz_dl import Value, explore
from ui import run_command

LECTURE = Path(__file__).parent / "data" / "lecture_neuron.py"


def test_the_lectures_own_value_class_runs_and_renders(tmp_path, clean_settings):
    out = tmp_path / "run.png"
    code = run_command.main(
        [str(LECTURE), "--root", "o", "--step", "-1", "--screenshot", str(out)]
    )
    assert code == 0
    assert QImage(str(out)).width() == 1280


def test_the_run_shows_the_graph_with_the_lectures_gradients(window, qtbot):
    from graphviz_dl.run_script import run_file

    result = run_file(LECTURE)
    assert result.name == "o"
    run_command.show_result(window, result)
    program = window.model.program
    assert program is not None
    walk = program.walk
    grads = dict(zip(walk.nodes, walk.grads(len(walk)), strict=True))
    by_label = {node.label: grads[node] for node in walk.nodes if node.label}
    # do/dn = 1 − tanh²(n) = 0.5 at n = 0.8813735870195432
    assert by_label["n"] == pytest.approx(0.5, abs=1e-12)
    assert by_label["x1"] == pytest.approx(-1.5, abs=1e-12)  # w1 · 0.5
    assert by_label["w1"] == pytest.approx(1.0, abs=1e-12)  # x1 · 0.5
    assert "agrees" in window.statusBar().currentMessage()


def test_an_error_in_the_persons_file_names_their_line(tmp_path, capsys):
    script = tmp_path / "broken.py"
    script.write_text("from graphviz_dl import Value\nx = Value(1.0)\ny = x / zz\n")
    code = run_command.main([str(script), "--screenshot", str(tmp_path / "x.png")])
    assert code == 1
    err = capsys.readouterr().err
    assert "line 3" in err and "NameError" in err
    assert not (tmp_path / "x.png").exists()


def test_arguments_after_a_double_dash_reach_the_file(tmp_path, clean_settings):
    script = tmp_path / "scaled.py"
    script.write_text(
        "import sys\nfrom graphviz_dl import Value\n"
        "out = Value(2.0, label='x') * float(sys.argv[1])\n"
    )
    out = tmp_path / "s.png"
    code = run_command.main([str(script), "--screenshot", str(out), "--", "4.5"])
    assert code == 0 and out.exists()


def test_explore_from_a_script_returns_when_the_window_closes(qapp, clean_settings):
    x = Value(-4.0, label="x")
    y = (2 * x + 1).tanh() * x.relu() + x**2 / 3 + 2**x
    y.label = "y"
    seen = {}

    def close() -> None:
        window = next(
            (
                w
                for w in qapp.topLevelWidgets()
                if w.objectName() == "MainWindow" and w.isVisible()
            ),
            None,
        )
        if window is None:
            QTimer.singleShot(10, close)
            return
        seen["value"] = window.model.program.walk.root.data
        window.close()

    QTimer.singleShot(0, close)
    assert explore(y) is None
    expected = math.tanh(-7.0) * 0.0 + 16 / 3 + 2**-4.0
    assert seen["value"] == pytest.approx(expected)
