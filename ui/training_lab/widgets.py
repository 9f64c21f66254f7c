"""Small input widgets the training lab's forms share."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from contextlib import contextmanager

from PySide6.QtGui import QValidator
from PySide6.QtWidgets import (
    QDoubleSpinBox,
    QFormLayout,
    QHBoxLayout,
    QSpinBox,
    QWidget,
)

from graphviz_dl.numfmt import format_number


class LogSpinBox(QDoubleSpinBox):
    """A positive number stepped by factors (×10 in four clicks), shown plainly."""

    def __init__(self, low: float, high: float, parent: QWidget | None = None):
        super().__init__(parent)
        self.setDecimals(12)
        self.setRange(low, high)
        self.setKeyboardTracking(False)

    def stepBy(self, steps: int) -> None:
        self.setValue(self.value() * 10 ** (steps / 4))

    def textFromValue(self, value: float) -> str:
        return format_number(value, 4)

    def valueFromText(self, text: str) -> float:
        try:
            return float(text.replace("\u2212", "-"))
        except ValueError:
            return self.value()

    def validate(self, text: str, pos: int):
        try:
            float(text.replace("\u2212", "-"))
        except ValueError:
            return QValidator.State.Intermediate, text, pos
        return QValidator.State.Acceptable, text, pos


def spin(low: float, high: float, step: float, decimals: int = 3) -> QDoubleSpinBox:
    box = QDoubleSpinBox()
    box.setRange(low, high)
    box.setSingleStep(step)
    box.setDecimals(decimals)
    box.setKeyboardTracking(False)
    return box


def int_spin(low: int, high: int) -> QSpinBox:
    box = QSpinBox()
    box.setRange(low, high)
    box.setKeyboardTracking(False)
    return box


@contextmanager
def signals_blocked(widgets: Iterable[QWidget]) -> Iterator[None]:
    """Set widgets from the model without their signals echoing back."""
    widgets = list(widgets)
    for widget in widgets:
        widget.blockSignals(True)
    try:
        yield
    finally:
        for widget in widgets:
            widget.blockSignals(False)


def side_by_side(*widgets: QWidget) -> QHBoxLayout:
    row = QHBoxLayout()
    for widget in widgets:
        row.addWidget(widget)
    return row


def fill_form(form: QFormLayout, rows: Iterable) -> None:
    """Rows of a form: ``(label, widget)`` pairs, or a widget or layout alone."""
    for row in rows:
        if isinstance(row, tuple):
            form.addRow(*row)
        else:
            form.addRow(row)
