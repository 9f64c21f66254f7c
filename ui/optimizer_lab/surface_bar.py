"""The row that picks what to race on: a built-in surface, a typed formula, the
surface's knob (a bowl's condition number), or a preset race."""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtGui import QUndoStack
from PySide6.QtWidgets import QComboBox, QHBoxLayout, QLabel, QLineEdit, QWidget

from graphviz_dl.expr import ExpressionError
from graphviz_dl.labs.optimizer import PRESETS, LabModel
from graphviz_dl.labs.optimizer.hyper_fields import parse_number
from graphviz_dl.labs.optimizer.surface_choice import (
    parameter_problem,
    resolve_surface,
)
from graphviz_dl.numfmt import format_number
from graphviz_dl.surfaces import SURFACES, Surface, surface_from_expression
from ui.optimizer_lab.commands import SetSurface

CUSTOM = "__formula__"  # chooser entry for a typed formula
TYPE_HINT = "f(x, y) = (1 - x)^2 + 100*(y - x^2)^2"
SENT = "__sent__"  # chooser entry for a surface sent by another tab (a graph's loss)
ERROR_BORDER = "border: 1px solid #e04040;"


class SurfaceBar(QWidget):
    """Surface chooser, formula field, parameter field and presets."""

    presetChosen = Signal(str)

    def __init__(self, model: LabModel, undo: QUndoStack, parent=None) -> None:
        super().__init__(parent)
        self._model = model
        self._undo = undo
        self.formula_text = ""  # the formula of the typed surface, if any
        self.sent: Surface | None = None  # the last surface another tab sent here
        self._build()
        self.chooser.activated.connect(self._on_chooser)
        self.formula.returnPressed.connect(self._on_formula)
        self.formula.textEdited.connect(lambda _t: self.show_formula_error(""))
        self.preset_chooser.activated.connect(self._on_preset)
        self.parameter_field.editingFinished.connect(self._on_parameter)

    def _build(self) -> None:
        self.chooser = QComboBox()
        self.chooser.setObjectName("surfaceChooser")
        for name, surface in SURFACES.items():
            self.chooser.addItem(surface.title, name)
        self.chooser.addItem("Typed formula", CUSTOM)
        self.chooser.setToolTip("The loss surface to race on")
        self.formula = QLineEdit()
        self.formula.setObjectName("surfaceFormula")
        self.formula.setPlaceholderText(TYPE_HINT)
        self.formula.setToolTip("Type a surface and press Enter")
        self.formula_error = QLabel()  # placed by the lab, under the bar
        self.formula_error.setObjectName("surfaceFormulaError")
        self.formula_error.setStyleSheet("color: #d02020;")
        self.formula_error.setVisible(False)
        self.parameter_label = QLabel()
        self.parameter_field = QLineEdit()
        self.parameter_field.setObjectName("surfaceParameter")
        self.parameter_field.setFixedWidth(70)
        self.preset_chooser = QComboBox()
        self.preset_chooser.setObjectName("presetChooser")
        self.preset_chooser.addItem("Presets…")
        for preset in PRESETS:
            self.preset_chooser.addItem(preset.title)
        self.preset_chooser.setToolTip("Races that each tell a story")
        self.preset_chooser.setSizeAdjustPolicy(
            QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon
        )
        self.preset_chooser.setMinimumContentsLength(18)
        row = QHBoxLayout(self)
        row.setContentsMargins(0, 0, 0, 0)
        row.setSpacing(4)  # as the lab's own layout
        row.addWidget(QLabel("Surface"))
        row.addWidget(self.chooser)
        row.addWidget(self.parameter_label)
        row.addWidget(self.parameter_field)
        row.addWidget(QLabel("or type"))
        row.addWidget(self.formula, 1)
        row.addWidget(self.preset_chooser)

    # --- asking ------------------------------------------------------------------------
    def select(self, text: str) -> None:
        """Race on the built-in surface ``text``, or on a typed ``f(x, y) = …``."""
        surface, formula = resolve_surface(text)
        if formula:
            self.formula_text = formula
        self._undo.push(SetSurface(self._model, surface))

    def send(self, surface: Surface, start: tuple[float, float]) -> None:
        """Race on a surface another tab sent (undoable)."""
        self.sent = surface
        self._undo.push(SetSurface(self._model, surface, start))

    # --- model → controls ------------------------------------------------------------
    def update_from_model(self) -> None:
        surface = self._model.surface
        key = self._chooser_key(surface)
        self.chooser.setCurrentIndex(self.chooser.findData(key))
        self.chooser.setToolTip(surface.description or surface.title)
        # the field shows what is drawn: the typed surface's own formula (after
        # an undo too), else nothing, with the built-in's formula as a hint
        if key == CUSTOM:
            self.formula_text = surface.formula
            self.formula.setText(surface.formula)
        else:
            self.formula.clear()  # a built-in or a sent plane: nothing typed
        hint = f"f(x, y) = {surface.formula}" if key in SURFACES else TYPE_HINT
        self.formula.setPlaceholderText(hint)
        self.show_formula_error("")
        parameter = surface.parameter
        for w in (self.parameter_label, self.parameter_field):
            w.setVisible(parameter is not None)
        if parameter is not None:
            self.parameter_label.setText(parameter.name)
            self.parameter_field.setText(format_number(surface.parameter_value, 4))
            self.parameter_field.setStyleSheet("")
            self.parameter_field.setToolTip(
                f"{parameter.name}: from {format_number(parameter.low)} to "
                f"{format_number(parameter.high)}"
            )

    def _chooser_key(self, surface: Surface) -> str:
        if surface.name in SURFACES:
            return surface.name
        if surface is not self.sent:
            return CUSTOM
        if self.chooser.findData(SENT) < 0:
            self.chooser.addItem("", SENT)
        self.chooser.setItemText(self.chooser.findData(SENT), surface.title)
        return SENT

    def show_formula_error(self, text: str) -> None:
        self.formula_error.setText(text)
        self.formula_error.setVisible(bool(text))
        self.formula.setStyleSheet(ERROR_BORDER if text else "")

    # --- controls → model ---------------------------------------------------------------
    def _on_chooser(self, index: int) -> None:
        key = self.chooser.itemData(index)
        if key == SENT:
            if self._model.surface is not self.sent:
                self._undo.push(SetSurface(self._model, self.sent))
            return
        if key == CUSTOM:
            self.formula.setFocus()
            if self.formula.text():
                self._on_formula()
            else:
                self.update_from_model()
            return
        self.select(key)

    def _on_formula(self) -> None:
        text = self.formula.text().strip()
        if not text:
            return
        try:
            surface = surface_from_expression(text)
        except ExpressionError as exc:
            self.show_formula_error(f"line {exc.line}, column {exc.col}: {exc.message}")
            return
        self.formula_text = text
        self._undo.push(SetSurface(self._model, surface))

    def _on_parameter(self) -> None:
        surface = self._model.surface
        parameter = surface.parameter
        if parameter is None:
            return
        try:
            value = parse_number(self.parameter_field.text())
        except ValueError:
            value = float("nan")
        if parameter_problem(surface, value):
            self.parameter_field.setStyleSheet(ERROR_BORDER)
            self.parameter_field.setToolTip(
                f"Not applied: {parameter.name} goes from "
                f"{format_number(parameter.low)} to {format_number(parameter.high)}"
            )
            return
        if value != surface.parameter_value:
            reshaped = surface.with_parameter(value)
            self._undo.push(SetSurface(self._model, reshaped, self._model.start))

    def _on_preset(self, index: int) -> None:
        if index > 0:
            self.presetChosen.emit(self.preset_chooser.itemText(index))
        self.preset_chooser.setCurrentIndex(0)
