"""One row of the racer list: enable, colour, name, status and hyperparameters.

The learning rate gets a log-scale slider (rates worth trying span five decades)
next to an exact numeric field; the other hyperparameters get numeric fields
with the core's ranges. Every edit is an undo command on the lab's model.
"""

from __future__ import annotations

import html
from itertools import count

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QColor, QUndoStack
from PySide6.QtWidgets import (
    QCheckBox,
    QColorDialog,
    QComboBox,
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QSizePolicy,
    QSlider,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from graphviz_dl.labs.optimizer import LabModel
from graphviz_dl.labs.optimizer.describe import internals_text, run_status
from graphviz_dl.labs.optimizer.hyper_fields import (
    MAIN,
    SLIDER_TICKS,
    LogScale,
    parse_number,
    symbol,
)
from graphviz_dl.labs.optimizer.schedules import (
    LAB_SCHEDULES,
    schedule_name,
    schedule_text,
)
from graphviz_dl.numfmt import format_number
from graphviz_dl.optimizer_menu import OPTIMIZERS, HyperParam
from ui.optimizer_lab.commands import (
    RemoveConfig,
    SetColour,
    SetEnabled,
    SetHyper,
    SetSchedule,
)

STATUS_STYLES = {
    "off": "color: gray;",
    "stopped": "color: #d02020;",
    "failing": "color: #c06000;",
    "racing": "",
}
INTERNALS_TIP = (
    "What the optimizer's memory does to its next step: the step per unit of"
    " gradient along each axis (lr/(√v̂ + ε) for Adam), momentum's velocity"
    " (−lr·buffer), and Adam's bias correction m̂ = m/(1 − β₁ᵗ), v̂ = v/(1 − β₂ᵗ),"
    " large in the first steps because both averages start at 0"
)


class NumberField(QLineEdit):
    """An exact numeric field; a bad entry is flagged with the reason, not applied.

    ``check(value)`` returns what is wrong with a value, or None.
    """

    valueEdited = Signal(float)

    def __init__(self, hyper: HyperParam, check, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._check = check
        self._value = float(hyper.default)
        self.setFixedWidth(70)
        self.setAlignment(Qt.AlignmentFlag.AlignRight)
        self._help = f"{hyper.name}: {hyper.help}" if hyper.help else hyper.name
        self.setToolTip(self._help)
        self.editingFinished.connect(self._commit)
        self.set_value(hyper.default)

    def set_value(self, value: float) -> None:
        self._value = float(value)
        self.setText(format_number(value, 4))
        self._flag(None)

    def value(self) -> float:
        return self._value

    def _flag(self, problem: str | None) -> None:
        self.setProperty("invalid", problem is not None)
        self.setStyleSheet(
            "" if problem is None else "border: 1px solid #e04040; background: #fff0f0;"
        )
        self.setToolTip(self._help if problem is None else f"Not applied: {problem}")

    def _commit(self) -> None:
        try:
            value = parse_number(self.text())
        except ValueError:
            self._flag(f"{self.text().strip()!r} is not a number")
            return
        problem = self._check(value)
        if problem:
            self._flag(problem)
            return
        if value != self._value:
            self.valueEdited.emit(value)
        else:
            self.set_value(value)


class LogSlider(QSlider):
    """A horizontal slider whose position is the logarithm of the value."""

    def __init__(self, hyper: HyperParam, parent: QWidget | None = None) -> None:
        super().__init__(Qt.Orientation.Horizontal, parent)
        self.scale = LogScale(hyper.low, hyper.high, SLIDER_TICKS)
        self.setRange(0, SLIDER_TICKS)
        self.setMinimumWidth(90)

    def to_value(self, position: int) -> float:
        """The value a slider position stands for."""
        return self.scale.value(position)

    def set_value(self, value: float) -> None:
        self.blockSignals(True)
        self.setValue(self.scale.position(value))
        self.blockSignals(False)


def _tool_button(name: str, text: str, tip: str) -> QToolButton:
    button = QToolButton()
    button.setObjectName(name)
    button.setText(text)
    button.setAutoRaise(True)
    button.setToolTip(tip)
    return button


class OptimizerRow(QFrame):
    """Controls of one configuration; writes go through undo commands."""

    def __init__(
        self,
        model: LabModel,
        undo: QUndoStack,
        index: int,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setFrameShape(QFrame.Shape.StyledPanel)
        self._model = model
        self._undo = undo
        self.index = index
        self.kind = model.configs[index].kind
        self._drag_ids = count(1)
        self._drag_key: object = None
        self._status_style = ""
        self.fields: dict[str, NumberField] = {}
        self.flags: dict[str, QCheckBox] = {}
        self.slider: LogSlider | None = None
        layout = QVBoxLayout(self)
        layout.setContentsMargins(6, 3, 6, 3)
        layout.setSpacing(2)
        layout.addLayout(self._make_top())
        main, extra = self._make_hyper_fields()
        layout.addLayout(main)
        layout.addWidget(extra)
        self.internals = QLabel()
        self.internals.setObjectName("internals")
        self.internals.setContentsMargins(22, 0, 0, 0)
        self.internals.setWordWrap(True)  # two lines rather than a wider list
        self.internals.setSizePolicy(
            QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred
        )
        self.internals.setStyleSheet("color: palette(dark);")
        self.internals.setToolTip(INTERNALS_TIP)
        self.internals.setVisible(False)
        self._show_internals = False
        layout.addWidget(self.internals)
        self.refresh()

    # --- building ----------------------------------------------------------------
    def _make_top(self) -> QHBoxLayout:
        spec = OPTIMIZERS[self.kind]
        self.enable = QCheckBox()
        self.enable.setObjectName("enable")
        self.enable.setToolTip("Take part in the race")
        self.enable.toggled.connect(self._on_enable)
        self.colour = QToolButton()
        self.colour.setObjectName("colour")
        self.colour.setFixedSize(16, 16)
        self.colour.setToolTip("Colour of this path (click to change)")
        self.colour.clicked.connect(self._choose_colour)
        self.name = QLabel()
        self.name.setObjectName("name")
        self.name.setToolTip(spec.description or spec.title)
        self.status = QLabel()
        self.status.setObjectName("status")
        self.status.setSizePolicy(
            QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred
        )
        self.status.setAlignment(
            Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter
        )
        self.more = _tool_button("more", "⋯", "More hyperparameters")
        self.more.setCheckable(True)
        self.remove = _tool_button("remove", "✕", "Remove this configuration")
        self.remove.clicked.connect(
            lambda: self._undo.push(RemoveConfig(self._model, self.index))
        )
        top = QHBoxLayout()
        top.setContentsMargins(0, 0, 0, 0)
        top.setSpacing(5)
        for widget, stretch in (
            (self.enable, 0),
            (self.colour, 0),
            (self.name, 0),
            (self.status, 1),
            (self._make_schedule(), 0),
            (self.more, 0),
            (self.remove, 0),
        ):
            top.addWidget(widget, stretch)
        return top

    def _make_hyper_fields(self) -> tuple[QHBoxLayout, QWidget]:
        """The learning rate and main hyperparameters in a line; the rest fold away."""
        main = QHBoxLayout()
        main.setContentsMargins(22, 0, 0, 0)
        main.setSpacing(4)
        extra_widget = QWidget()
        extra = QGridLayout(extra_widget)
        extra.setContentsMargins(22, 0, 0, 0)
        extra.setHorizontalSpacing(4)
        extra.setVerticalSpacing(2)
        slot = 0
        for hyper in OPTIMIZERS[self.kind].hyperparams:
            label = QLabel(symbol(hyper.name))
            label.setToolTip(
                f"{hyper.name}: {hyper.help}" if hyper.help else hyper.name
            )
            if hyper.boolean:
                box = self._make_flag(hyper, label.toolTip())
                extra.addWidget(box, slot // 3, (slot % 3) * 2, 1, 2)
                slot += 1
                continue
            field = self._make_field(hyper)
            if hyper.name == "lr":
                main.addWidget(label)
                main.addWidget(self._make_slider(hyper), 1)
                main.addWidget(field)
            elif hyper.name in MAIN:
                main.addSpacing(4)
                main.addWidget(label)
                main.addWidget(field)
            else:
                extra.addWidget(label, slot // 3, (slot % 3) * 2)
                extra.addWidget(field, slot // 3, (slot % 3) * 2 + 1)
                slot += 1
        if self.slider is None:
            main.addStretch(1)
        self.extra = extra_widget
        self.extra.setVisible(False)
        self.more.setVisible(slot > 0)
        self.more.toggled.connect(self.extra.setVisible)
        return main, extra_widget

    def _make_schedule(self) -> QComboBox:
        """The learning-rate schedule; the line search picks its own step."""
        box = QComboBox()
        box.setObjectName("scheduleChooser")
        box.addItems([name for name, _ in LAB_SCHEDULES])
        box.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToContents)
        searching = self.kind == "linesearch"
        box.setEnabled(not searching)
        box.setToolTip(
            "The line search picks its own step: no schedule"
            if searching
            else "Learning-rate schedule (plotted under the loss); "
            "choosing one starts the race again"
        )
        box.activated.connect(self._on_schedule)
        self.schedule = box
        return box

    def _on_schedule(self, position: int) -> None:
        text = schedule_text(self.schedule.itemText(position))
        if text != self._model.configs[self.index].schedule:
            self._undo.push(SetSchedule(self._model, self.index, text))

    def _make_flag(self, hyper: HyperParam, tip: str) -> QCheckBox:
        box = QCheckBox(symbol(hyper.name))
        box.setObjectName(f"{hyper.name}Check")
        box.setToolTip(tip)
        box.toggled.connect(lambda on, n=hyper.name: self._push(n, 1.0 if on else 0.0))
        self.flags[hyper.name] = box
        return box

    def _make_field(self, hyper: HyperParam) -> NumberField:
        name = hyper.name
        field = NumberField(
            hyper, lambda v: self._model.hyper_problem(self.index, name, v)
        )
        field.setObjectName(f"{name}Field")
        field.valueEdited.connect(lambda v: self._push(name, v))
        self.fields[name] = field
        return field

    def _make_slider(self, hyper: HyperParam) -> LogSlider:
        slider = LogSlider(hyper)
        slider.setObjectName("lrSlider")
        slider.setToolTip("Learning rate (log scale); type an exact value right")
        slider.valueChanged.connect(self._on_slider)
        slider.sliderPressed.connect(self._begin_drag)
        slider.sliderReleased.connect(self._end_drag)
        self.slider = slider
        return slider

    # --- view of the model ------------------------------------------------------
    def refresh(self) -> None:
        config = self._model.configs[self.index]
        self.enable.blockSignals(True)
        self.enable.setChecked(config.enabled)
        self.enable.blockSignals(False)
        self.colour.setStyleSheet(
            f"background: {config.colour}; border: 1px solid #444; border-radius: 3px;"
        )
        self.name.setText(f"<b>{html.escape(config.label)}</b>")
        for name, field in self.fields.items():
            field.set_value(config.hyper.get(name, field.value()))
        for name, box in self.flags.items():
            box.blockSignals(True)
            box.setChecked(config.hyper.get(name, 0.0) == 1.0)
            box.blockSignals(False)
        if self.slider is not None and not self.slider.isSliderDown():
            self.slider.set_value(config.hyper.get("lr", 0.0))
        name = schedule_name(config.schedule)
        if self.schedule.currentText() != name:
            self.schedule.setCurrentText(name)
            self.schedule.setToolTip(config.schedule or "constant learning rate")
        self.refresh_status()

    def set_internals_visible(self, visible: bool) -> None:
        """Show the racer's internals under its hyperparameters."""
        self._show_internals = bool(visible)
        self.refresh_status()

    def refresh_status(self) -> None:
        run = self._model.run(self.index)
        text = ""
        if self._show_internals and run is not None:
            text = internals_text(run.internals(), self._model.surface.axes)
        if text != self.internals.text():
            self.internals.setText(text)
        self.internals.setVisible(bool(text))
        text, tip, kind = run_status(run)
        if text != self.status.text():
            self.status.setText(text)
        if tip != self.status.toolTip():
            self.status.setToolTip(tip)
        style = STATUS_STYLES[kind]
        if style != self._status_style:
            self._status_style = style
            self.status.setStyleSheet(style)

    # --- edits → commands ------------------------------------------------------------
    def _push(self, name: str, value: float, key: object = None) -> None:
        if self._model.hyper_problem(self.index, name, value):
            self.refresh()
            return
        self._undo.push(SetHyper(self._model, self.index, name, value, merge_key=key))

    def _on_enable(self, checked: bool) -> None:
        self._undo.push(SetEnabled(self._model, self.index, checked))

    def _choose_colour(self) -> None:
        current = QColor(self._model.configs[self.index].colour)
        colour = QColorDialog.getColor(current, self, "Path colour")
        if colour.isValid():
            self._undo.push(SetColour(self._model, self.index, colour.name()))

    def _begin_drag(self) -> None:
        self._drag_key = (id(self), next(self._drag_ids))

    def _end_drag(self) -> None:
        self._drag_key = None

    def _on_slider(self, position: int) -> None:
        assert self.slider is not None
        self._push("lr", self.slider.to_value(position), self._drag_key)
