"""The explorer's files and exports: gradients in DOT, saves that never
destroy the old file, no success claimed for nothing written, capped pictures."""

from __future__ import annotations

import errno

import pytest
from PySide6.QtGui import QImage

from graphviz_dl.engine import Value
from graphviz_dl.labs.explorer.program import prepare_values
from ui.explorer import export as export_module


def test_export_dot_writes_every_gradient_of_the_backward_pass(
    window, explorer, tmp_path
):
    explorer.load_example("chain-rule")
    window.model.set_position(3)  # mid-walkthrough: the export is the whole result
    assert window.export(tmp_path / "g.dot")
    text = (tmp_path / "g.dot").read_text(encoding="utf-8")
    for name, grad in (("t1", "10.5"), ("t2", "−3.5"), ("x", "2.625"), ("L", "1.0")):
        row = next(line for line in text.splitlines() if f"<b>{name}</b>" in line)
        assert f"grad {grad}" in row, row
    assert "Exported g.dot" in window.statusBar().currentMessage()


def test_a_failed_save_keeps_the_old_file_and_says_why(
    window, explorer, tmp_path, monkeypatch
):
    explorer.load_example("chain-rule")
    path = tmp_path / "kept.txt"
    path.write_text("old = 1.0\n", encoding="utf-8")

    def disk_full(*_args):
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr("graphviz_dl.atomic.os.replace", disk_full)
    assert not window.save_program(path)
    assert path.read_text(encoding="utf-8") == "old = 1.0\n"
    message = window.statusBar().currentMessage()
    assert "Could not save kept.txt" in message and "No space left" in message
    assert sorted(p.name for p in tmp_path.iterdir()) == ["kept.txt"]


def test_an_svg_export_that_writes_nothing_is_not_called_a_success(
    window, explorer, tmp_path, monkeypatch
):
    from PySide6 import QtSvg

    class Mute(QtSvg.QSvgGenerator):
        def setFileName(self, _name):
            pass  # the drawing goes nowhere: the file stays empty

    explorer.load_example("chain-rule")
    monkeypatch.setattr(QtSvg, "QSvgGenerator", Mute)
    assert not window.export(tmp_path / "g.svg")
    assert not (tmp_path / "g.svg").exists()
    message = window.statusBar().currentMessage()
    assert message.startswith("Could not export g.svg") and "Exported" not in message


def tall_graph(leaves: int) -> dict[str, Value]:
    xs = [Value(i / leaves, f"a{i}") for i in range(leaves)]
    return {"s": Value.sum([x.tanh() for x in xs])}


def test_a_big_graph_exports_a_capped_picture_in_the_background(
    qtbot, window, tmp_path, monkeypatch
):
    window.model.set_program(prepare_values(tall_graph(1500)))  # 3,001 nodes
    monkeypatch.setattr(export_module, "BACKGROUND_PIXELS", 0)
    exporter = window.lab("explorer").exporter
    assert window.export(tmp_path / "big.png")
    assert "Writing big.png" in window.statusBar().currentMessage()
    qtbot.waitUntil(lambda: not exporter.runner.busy, timeout=20000)
    qtbot.waitUntil(
        lambda: window.statusBar().currentMessage().startswith("Exported"),
        timeout=5000,
    )
    image = QImage(str(tmp_path / "big.png"))
    assert max(image.width(), image.height()) <= export_module.MAX_SIDE
    assert image.width() * image.height() <= export_module.MAX_PIXELS
    message = window.statusBar().currentMessage()
    assert f"{image.width()}×{image.height()} px" in message and "scaled" in message


@pytest.mark.parametrize(
    ("width", "height"), [(456.0, 312_070.0), (1e6, 1e6), (300.0, 200.0)]
)
def test_image_sizes_stay_within_the_caps(width, height):
    w, h, zoom = export_module.image_size(width, height)
    assert max(w, h) <= export_module.MAX_SIDE and w * h <= export_module.MAX_PIXELS
    assert zoom == export_module.ZOOM or max(w, h) >= 1000
