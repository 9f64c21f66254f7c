"""One row per optimizer configuration: enable, colour, name, hyperparameters.

The learning rate gets a log-scale slider (rates worth trying span five decades)
next to an exact numeric field; the other hyperparameters get numeric fields
with the core's ranges. Every edit is an undo command on the lab's model.
"""

from __future__ import annotations

import html
import math
from itertools import count

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtGui import QAction, QColor, QUndoStack
from PySide6.QtWidgets import (
    QCheckBox,
    QColorDialog,
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QMenu,
    QScrollArea,
    QSizePolicy,
    QSlider,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from graphviz_dl.numfmt import format_number
from graphviz_dl.optimizer_menu import OPTIMIZERS, HyperParam

from ui.optimizer_lab.commands import AddConfig, RemoveConfig, SetColour, SetEnabled, SetHyper
from ui.optimizer_lab.lab_model import LabConfig, LabModel, hyper_problem

SLIDER_TICKS = 1000

#: Short names for hyperparameters, so a row stays narrow.
SYMBOLS = {
    "momentum": "μ",
    "beta1": "β₁",
    "beta2": "β₂",
    "alpha": "α",
    "rho": "ρ",
    "eps": "ε",
    "weight_decay": "decay",
    "dampening": "damp",
    "lr_decay": "lr decay",
    "initial_accumulator_value": "Σ₀",
    "max_step": "max step",
    "xtol": "xtol",
}

#: Hyperparameters shown next to the learning rate; the rest fold away.
MAIN = ("momentum", "beta1", "beta2", "alpha", "rho", "max_step")


def parse_number(text: str) -> float:
    """A number as a person types it (a typographic minus is fine)."""
    return float(text.strip().replace("\u2212", "-").replace(",", "."))


class NumberField(QLineEdit):
    """An exact numeric field; a bad entry is flagged with the reason, not applied.

    ``check(value)`` returns what is wrong with a value, or None.
    """

    valueEdited = Signal(float)

    def __init__(self, hyper: HyperParam, check, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._hyper = hyper
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
        self._lo = math.log10(hyper.low)
        self._hi = math.log10(hyper.high)
        self.setRange(0, SLIDER_TICKS)
        self.setMinimumWidth(90)

    def to_value(self, position: int) -> float:
        return 10.0 ** (self._lo + (self._hi - self._lo) * position / SLIDER_TICKS)

    def to_position(self, value: float) -> int:
        if not value > 0:
            return 0
        t = (math.log10(value) - self._lo) / (self._hi - self._lo)
        return round(min(max(t, 0.0), 1.0) * SLIDER_TICKS)

    def set_value(self, value: float) -> None:
        self.blockSignals(True)
        self.setValue(self.to_position(value))
        self.blockSignals(False)


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
        config = model.configs[index]
        self.kind = config.kind
        spec = OPTIMIZERS[config.kind]
        self._drag_ids = count(1)
        self._drag_key: object = None

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
        self.more = QToolButton()
        self.more.setObjectName("more")
        self.more.setText("⋯")
        self.more.setCheckable(True)
        self.more.setAutoRaise(True)
        self.more.setToolTip("More hyperparameters")
        self.remove = QToolButton()
        self.remove.setObjectName("remove")
        self.remove.setText("✕")
        self.remove.setAutoRaise(True)
        self.remove.setToolTip("Remove this configuration")
        self.remove.clicked.connect(lambda: undo.push(RemoveConfig(model, self.index)))

        top = QHBoxLayout()
        top.setContentsMargins(0, 0, 0, 0)
        top.setSpacing(5)
        top.addWidget(self.enable)
        top.addWidget(self.colour)
        top.addWidget(self.name)
        top.addWidget(self.status, 1)
        top.addWidget(self.more)
        top.addWidget(self.remove)

        self.fields: dict[str, NumberField] = {}
        self.flags: dict[str, QCheckBox] = {}
        self.slider: LogSlider | None = None
        main = QHBoxLayout()
        main.setContentsMargins(22, 0, 0, 0)
        main.setSpacing(4)
        extra_widget = QWidget()
        extra = QGridLayout(extra_widget)
        extra.setContentsMargins(22, 0, 0, 0)
        extra.setHorizontalSpacing(4)
        extra.setVerticalSpacing(2)
        slot = 0
        for hyper in spec.hyperparams:
            label = QLabel(SYMBOLS.get(hyper.name, hyper.name))
            label.setToolTip(
                f"{hyper.name}: {hyper.help}" if hyper.help else hyper.name
            )
            if hyper.boolean:
                box = QCheckBox(SYMBOLS.get(hyper.name, hyper.name))
                box.setObjectName(f"{hyper.name}Check")
                box.setToolTip(label.toolTip())
                box.toggled.connect(
                    lambda on, n=hyper.name: self._push(n, 1.0 if on else 0.0)
                )
                self.flags[hyper.name] = box
                extra.addWidget(box, slot // 3, (slot % 3) * 2, 1, 2)
                slot += 1
                continue
            field = NumberField(hyper, lambda v, n=hyper.name: self._problem(n, v))
            field.setObjectName(f"{hyper.name}Field")
            field.valueEdited.connect(lambda v, n=hyper.name: self._push(n, v))
            self.fields[hyper.name] = field
            if hyper.name == "lr":
                slider = LogSlider(hyper)
                slider.setObjectName("lrSlider")
                slider.setToolTip(
                    "Learning rate (log scale); type an exact value right"
                )
                slider.valueChanged.connect(self._on_slider)
                slider.sliderPressed.connect(self._begin_drag)
                slider.sliderReleased.connect(self._end_drag)
                self.slider = slider
                main.addWidget(label)
                main.addWidget(slider, 1)
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

        layout = QVBoxLayout(self)
        layout.setContentsMargins(6, 3, 6, 3)
        layout.setSpacing(2)
        layout.addLayout(top)
        layout.addLayout(main)
        layout.addWidget(self.extra)
        self._status_style = ""
        self.refresh()

    # --- view of the model ------------------------------------------------------
    def refresh(self) -> None:
        config: LabConfig = self._model.configs[self.index]
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
        self.refresh_status()

    def refresh_status(self) -> None:
        run = self._model.run(self.index)
        if run is None:
            text, style = "off", "color: gray;"
        elif run.diverged_at is not None:
            text, style = f"✕ stopped at step {run.diverged_at}", "color: #d02020;"
        else:
            loss = format_number(run.losses[-1], 4)
            evaluations = int(run.evaluations.sum())
            text = f"f = {loss} · {evaluations} evals"
            style = ""
        if text != self.status.text():
            self.status.setText(text)
            stopped = run is not None and run.diverged_at is not None
            self.status.setToolTip(run.reason if stopped else text)
        if style != self._status_style:
            self._status_style = style
            self.status.setStyleSheet(style)

    # --- edits → commands ------------------------------------------------------------
    def _problem(self, name: str, value: float) -> str | None:
        config = self._model.configs[self.index]
        return hyper_problem(config.kind, {**config.hyper, name: value})

    def _push(self, name: str, value: float, key: object = None) -> None:
        if self._problem(name, value):
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
        self._push("lr", float(f"{self.slider.to_value(position):.4g}"), self._drag_key)


class OptimizerList(QWidget):
    """The list of configurations, and the button that adds another."""

    def __init__(
        self, model: LabModel, undo: QUndoStack, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.setObjectName("optimizerList")
        self._model = model
        self._undo = undo
        self.rows: list[OptimizerRow] = []

        self._inner = QWidget()
        self._rows_layout = QVBoxLayout(self._inner)
        self._rows_layout.setContentsMargins(2, 2, 2, 2)
        self._rows_layout.setSpacing(3)
        self._rows_layout.addStretch(1)
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        scroll.setWidget(self._inner)

        self.add_button = QToolButton()
        self.add_button.setObjectName("addOptimizer")
        self.add_button.setText("+ Add optimizer")
        self.add_button.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextOnly)
        self.add_button.setPopupMode(QToolButton.ToolButtonPopupMode.InstantPopup)
        self.add_button.setToolTip("Add another configuration, e.g. a second Adam")
        menu = QMenu(self.add_button)
        for kind, spec in OPTIMIZERS.items():
            action = QAction(spec.title, menu)
            action.setData(kind)
            action.triggered.connect(lambda _=False, k=kind: self.add(k))
            menu.addAction(action)
        self.add_button.setMenu(menu)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(3)
        layout.addWidget(scroll, 1)
        layout.addWidget(self.add_button)

        model.configsChanged.connect(self._update_rows)
        model.configEdited.connect(self._update_row)
        model.raceAdvanced.connect(self._on_advanced)
        model.raceReset.connect(self._update_status)
        # while playing, the numbers in the rows change faster than anyone reads
        self._status_timer = QTimer(self)
        self._status_timer.setSingleShot(True)
        self._status_timer.setInterval(150)
        self._status_timer.timeout.connect(self._update_status)
        self._update_rows()

    def add(self, kind: str) -> None:
        """Add a configuration of ``kind`` (undoable)."""
        self._undo.push(AddConfig(self._model, self._model.new_config(kind)))

    def row(self, label: str) -> OptimizerRow:
        """The row whose configuration is called ``label``."""
        for row in self.rows:
            if self._model.configs[row.index].label == label:
                return row
        raise KeyError(label)

    def _update_rows(self) -> None:
        configs = self._model.configs
        # keep rows whose kind still matches, so a widget is never destroyed from
        # inside its own signal handler (a checkbox toggling its row)
        for i, config in enumerate(configs):
            if i < len(self.rows) and self.rows[i].kind == config.kind:
                continue
            if i < len(self.rows):
                self._rows_layout.removeWidget(self.rows[i])
                self.rows[i].hide()
                self.rows[i].deleteLater()
                self.rows[i] = OptimizerRow(self._model, self._undo, i)
                self._rows_layout.insertWidget(i, self.rows[i])
            else:
                self.rows.append(OptimizerRow(self._model, self._undo, i))
                self._rows_layout.insertWidget(i, self.rows[i])
        while len(self.rows) > len(configs):
            row = self.rows.pop()
            self._rows_layout.removeWidget(row)
            row.hide()
            row.deleteLater()
        for row in self.rows:
            row.refresh()

    def _update_row(self, index: int) -> None:
        if 0 <= index < len(self.rows):
            self.rows[index].refresh()

    def _on_advanced(self) -> None:
        if not self._model.playing:
            self._update_status()
        elif not self._status_timer.isActive():
            self._status_timer.start()

    def _update_status(self) -> None:
        self._status_timer.stop()
        for row in self.rows:
            row.refresh_status()
