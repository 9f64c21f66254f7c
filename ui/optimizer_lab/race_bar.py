"""The row that runs the race: play, step, reset, speed, arrows, the step
counter, export, and undo/redo."""

from __future__ import annotations

import time

from PySide6.QtCore import QSize, Qt, Signal
from PySide6.QtGui import QUndoStack
from PySide6.QtWidgets import (
    QCheckBox,
    QHBoxLayout,
    QLabel,
    QMenu,
    QPushButton,
    QSlider,
    QStyle,
    QToolButton,
    QWidget,
)

from graphviz_dl.labs.optimizer import SPEEDS, LabModel

RATE_WINDOW = 0.5  # seconds over which the real steps per second are measured


def _button(cls, name: str, text: str, tip: str):
    button = cls()
    button.setText(text)
    button.setObjectName(name)
    button.setToolTip(tip)
    return button


def _history_button(name: str, verb: str, act, can, text) -> QToolButton:
    """Undo or Redo: enabled when there is something to do, named in its tip."""
    button = _button(QToolButton, name, verb, "")
    button.setEnabled(False)
    button.clicked.connect(act)
    can.connect(button.setEnabled)
    text.connect(lambda t: button.setToolTip(f"{verb} {t}"))
    return button


class SpeedLabel(QLabel):
    """ "100 steps/s", never squeezed below its widest reading in its current
    font (presenter mode enlarges it), so the row does not jitter or clip."""

    def minimumSizeHint(self) -> QSize:
        widest = self.fontMetrics().horizontalAdvance(f"{max(SPEEDS)} steps/s")
        return QSize(widest + 2, super().minimumSizeHint().height())


class RaceBar(QWidget):
    """Race controls; they act on the model and show what it says."""

    exportRequested = Signal(str)  # "png", "svg" or "csv"

    def __init__(self, model: LabModel, undo: QUndoStack, parent=None) -> None:
        super().__init__(parent)
        self._model = model
        self._rate_mark = (0.0, 0)
        self._rate: float | None = None
        self._build_race_controls()
        self._build_history_controls(undo)
        row = QHBoxLayout(self)
        row.setContentsMargins(0, 0, 0, 0)
        row.setSpacing(4)  # as the lab's own layout
        for w in (self.play, self.step_button, self.reset_button):
            row.addWidget(w)
        row.addSpacing(10)
        row.addWidget(QLabel("Speed"))
        for w in (self.speed, self.speed_label, self.arrows, self.step_count):
            row.addWidget(w)
        row.addStretch(1)
        for w in (self.export, self.undo_button, self.redo_button):
            row.addWidget(w)
        self.play.toggled.connect(model.set_playing)
        self.step_button.clicked.connect(self._on_step)
        self.reset_button.clicked.connect(model.reset)
        self.speed.valueChanged.connect(lambda i: model.set_speed(SPEEDS[i]))

    def _build_race_controls(self) -> None:
        self.play = _button(
            QPushButton, "racePlayPause", "Play", "Play or pause the race (Space)"
        )
        self.play.setCheckable(True)
        self._set_play_icon(False)
        self.step_button = _button(
            QPushButton, "raceStep", "Step", "One optimizer step for every run"
        )
        self.reset_button = _button(
            QPushButton, "raceReset", "Reset", "Every run back to the start point"
        )
        self.speed = QSlider(Qt.Orientation.Horizontal)
        self.speed.setObjectName("raceSpeed")
        self.speed.setRange(0, len(SPEEDS) - 1)
        self.speed.setPageStep(1)
        self.speed.setMinimumWidth(50)  # gives way first when the row is tight
        self.speed.setMaximumWidth(120)
        self.speed.setToolTip("Optimizer steps per second")
        self.speed_label = SpeedLabel()
        self.arrows = _button(
            QCheckBox,
            "showArrows",
            "Arrows",
            "Draw each head's last step (velocity) and −∇f",
        )
        self.step_count = QLabel()
        self.step_count.setObjectName("raceStepCount")
        self.step_count.setMinimumWidth(170)

    def _build_history_controls(self, stack: QUndoStack) -> None:
        self.export = QToolButton()
        self.export.setObjectName("raceExport")
        self.export.setText("Export")
        self.export.setPopupMode(QToolButton.ToolButtonPopupMode.InstantPopup)
        menu = QMenu(self.export)
        for text, kind in (
            ("Surface image (PNG)…", "png"),
            ("Surface image (SVG)…", "svg"),
            ("Trajectories (CSV)…", "csv"),
        ):
            menu.addAction(text, lambda k=kind: self.exportRequested.emit(k))
        self.export.setMenu(menu)
        self.undo_button = _history_button(
            "labUndo", "Undo", stack.undo, stack.canUndoChanged, stack.undoTextChanged
        )
        self.redo_button = _history_button(
            "labRedo", "Redo", stack.redo, stack.canRedoChanged, stack.redoTextChanged
        )

    def _on_step(self) -> None:
        self._model.set_playing(False)
        self._model.step(1)

    # --- model → controls -------------------------------------------------------------
    def _set_play_icon(self, playing: bool) -> None:
        """The style's own play/pause icons: ⏸ is missing from common fonts."""
        pixmap = QStyle.StandardPixmap
        icon = pixmap.SP_MediaPause if playing else pixmap.SP_MediaPlay
        self.play.setIcon(self.style().standardIcon(icon))
        self.play.setText("Pause" if playing else "Play")

    def update_playing(self, playing: bool) -> None:
        self.play.blockSignals(True)
        self.play.setChecked(playing)
        self.play.blockSignals(False)
        self._set_play_icon(playing)
        if playing:
            self._rate_mark = (time.perf_counter(), self._model.steps)
            self._rate = None
        self.update_step_count()

    def update_speed(self, speed: float) -> None:
        index = min(range(len(SPEEDS)), key=lambda i: abs(SPEEDS[i] - speed))
        self.speed.blockSignals(True)
        self.speed.setValue(index)
        self.speed.blockSignals(False)
        self.speed_label.setText(f"{speed:g} steps/s")

    def update_step_count(self) -> None:
        """The step counter; while playing, also the rate the race really runs at
        (lower than asked when the optimizers need more time than a frame has)."""
        steps = self._model.steps
        text = f"step {steps}"
        if self._model.playing:
            now = time.perf_counter()
            t0, s0 = self._rate_mark
            if steps < s0:
                self._rate_mark = (now, steps)
            elif now - t0 >= RATE_WINDOW:
                self._rate = (steps - s0) / (now - t0)
                self._rate_mark = (now, steps)
            if self._rate is not None:
                text += f" · {self._rate:.0f} steps/s"
        self.step_count.setText(text)
