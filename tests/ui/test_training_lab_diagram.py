"""Training lab: the network diagram's labels stay readable however small
the drawing is fitted, and never cover each other or the units (many layers
in a narrow view take short names: in, h1, h2, …, out)."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QRectF
from PySide6.QtGui import QFont, QFontMetricsF
from PySide6.QtWidgets import QGraphicsRectItem, QGraphicsSimpleTextItem


def _on_screen(diagram, item) -> QRectF:
    """Where an item is drawn, in the diagram's viewport pixels."""
    transform = item.deviceTransform(diagram.viewportTransform())
    return transform.mapRect(item.boundingRect())


def _labels(diagram) -> dict[str, QRectF]:
    return {
        item.text(): _on_screen(diagram, item)
        for item in diagram.scene().items()
        if isinstance(item, QGraphicsSimpleTextItem)
    }


@pytest.mark.parametrize("hidden", ["32, 32", "3", "8, 8, 8, 8, 8, 8, 8, 8"])
@pytest.mark.parametrize("presenting", [False, True])
def test_diagram_labels_are_full_size_apart_and_in_view(
    training_lab, qtbot, hidden, presenting
):
    lab = training_lab
    lab.hidden.setText(hidden)
    lab.hidden.editingFinished.emit()
    lab.set_presenting(presenting)
    qtbot.wait(10)
    diagram = lab.diagram
    labels = _labels(diagram)
    layers = len(lab.model.trainer.network.sizes)
    middle = range(1, layers - 1)
    full = {"input", *(f"hidden {k}" for k in middle), "output"} <= set(labels)
    assert full or {"in", *(f"h{k}" for k in middle), "out"} <= set(labels)
    assert full or layers >= 6, "short layer names though the full ones fit"
    assert any(name.startswith("edges:") for name in labels)
    line = QFontMetricsF(QFont()).height() * diagram.text_scale
    view = QRectF(diagram.viewport().rect())
    units = [
        _on_screen(diagram, item)
        for item in diagram.scene().items()
        if isinstance(item, QGraphicsRectItem)  # each unit's frame
    ]
    for name, rect in labels.items():
        assert rect.height() >= 0.9 * line, f"{name!r} is drawn small"
        assert view.contains(rect), f"{name!r} is cut off"
        assert not any(rect.intersects(unit) for unit in units), f"{name!r} on a unit"
    names = list(labels)
    for k, a in enumerate(names):
        for b in names[k + 1 :]:
            assert not labels[a].intersects(labels[b]), f"{a!r} and {b!r} overlap"
    if presenting:
        assert diagram.text_scale > 1.0
