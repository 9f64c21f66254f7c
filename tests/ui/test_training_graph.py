"""Training lab inside the main window: a clicked point opens its graph."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication


@pytest.fixture
def training(window, qtbot):
    lab = window.lab("training")
    assert lab is not None, "the main window has a training lab tab"
    window.select_lab("training")
    qtbot.waitUntil(lambda: lab.isVisible() and lab.boundary_view.width() > 300)
    QApplication.processEvents()
    yield lab
    lab.model.shutdown()


def test_clicking_a_point_opens_its_graph_in_the_explorer(window, training, qtbot):
    training.train_epochs(3)
    view = training.boundary_view
    x, y = view.point_xy()[7]
    index = view.point_at(x, y)  # the point drawn on top at that spot
    qtbot.mouseClick(
        view.viewport(), Qt.MouseButton.LeftButton, pos=view.view_point(x, y)
    )
    assert "opens in the graph explorer" in training.status.text(), (
        training.status.text()
    )
    qtbot.waitUntil(lambda: window.model.program is not None, timeout=10000)
    assert window.tabs.currentWidget() is window.lab("explorer")
    values = window.model.program.values
    assert list(values)[-1] == "L"
    expected = training.model.prediction(index)
    assert values["z"].data == pytest.approx(expected, rel=1e-12, abs=1e-12)
    losses = training.model.trainer.sample_losses(training.model.frame.weights)
    assert values["L"].data == pytest.approx(losses[index], rel=1e-12, abs=1e-12)
    assert window.model.length > 0  # ready to step through forward and backward


def test_the_command_line_trains_and_renders(tmp_path):
    """In a process of its own, as a person starts it (an in-process run of the
    app's event loop would leave this test process's loop changed)."""
    out = tmp_path / "training.png"
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", "HOME": str(tmp_path)}
    args = ["--lab", "training", "--dataset", "moons", "--epochs", "3"]
    done = subprocess.run(
        [sys.executable, "-m", "ui.cli", *args, "--screenshot", str(out)],
        check=False,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr[-2000:]
    assert out.stat().st_size > 10_000
