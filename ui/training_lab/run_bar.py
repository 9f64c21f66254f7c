"""The run's controls over the plane: Play, Step, Reset, Undo, the run's
numbers in one line, and the banner that says why training paused."""

from __future__ import annotations

import math

from PySide6.QtGui import QUndoStack
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QPushButton,
    QSizePolicy,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from graphviz_dl.labs.training import TrainingModel
from graphviz_dl.numfmt import format_number

BANNER_STYLE = (
    "QLabel { background: #fdecea; color: #611a15; border: 1px solid #f5c2c0;"
    " border-radius: 4px; padding: 6px; }"
)


def _button(text: str, name: str, tip: str) -> QPushButton:
    button = QPushButton(text)
    button.setObjectName(name)
    button.setToolTip(tip)
    return button


def _tool_button(text: str, name: str) -> QToolButton:
    button = QToolButton()
    button.setObjectName(name)
    button.setText(text)
    button.setEnabled(False)
    return button


class RunBar(QWidget):
    """Buttons that drive the run, its status line and its pause banner."""

    def __init__(
        self,
        model: TrainingModel,
        undo_stack: QUndoStack,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self._model = model
        self.play = _button("▶ Play", "trainPlayPause", "Train or pause (Space)")
        self.play.setCheckable(True)
        self.step_button = _button(
            "Step batch", "trainStep", "One optimizer step on the next batch"
        )
        self.epoch_button = _button(
            "Step epoch", "trainStepEpoch", "Steps to the end of the epoch"
        )
        self.reset_button = _button(
            "Reset", "trainReset", "New starting weights, same settings"
        )
        self.run_status = QLabel()
        self.run_status.setObjectName("trainStatus")
        self.run_status.setSizePolicy(
            QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred
        )
        self.undo_button = _tool_button("Undo", "trainingUndo")
        self.redo_button = _tool_button("Redo", "trainingRedo")
        self.message = QLabel()
        self.message.setObjectName("trainingMessage")
        self.message.setWordWrap(True)
        self.message.setStyleSheet(BANNER_STYLE)
        self.message.setVisible(False)
        row = QHBoxLayout()
        for w in (self.play, self.step_button, self.epoch_button, self.reset_button):
            row.addWidget(w)
        row.addStretch(1)
        row.addWidget(self.undo_button)
        row.addWidget(self.redo_button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(4)
        layout.addLayout(row)
        layout.addWidget(self.run_status)
        layout.addWidget(self.message)

        self.play.toggled.connect(model.set_playing)
        self.step_button.clicked.connect(model.step_batch)
        self.epoch_button.clicked.connect(model.step_epoch)
        self.reset_button.clicked.connect(model.reset)
        model.playingChanged.connect(self._update_playing)
        model.messageChanged.connect(self._update_message)
        model.frameShown.connect(self._update_status)
        self._connect_undo(undo_stack)
        self._update_playing(model.playing)
        self._update_message(model.message)
        self._update_status()

    def _connect_undo(self, stack: QUndoStack) -> None:
        self.undo_button.clicked.connect(stack.undo)
        self.redo_button.clicked.connect(stack.redo)
        stack.canUndoChanged.connect(self.undo_button.setEnabled)
        stack.canRedoChanged.connect(self.redo_button.setEnabled)
        stack.undoTextChanged.connect(
            lambda t: self.undo_button.setToolTip(f"Undo {t}")
        )
        stack.redoTextChanged.connect(
            lambda t: self.redo_button.setToolTip(f"Redo {t}")
        )

    def _update_playing(self, playing: bool) -> None:
        self.play.blockSignals(True)
        self.play.setChecked(playing)
        self.play.blockSignals(False)
        self.play.setText("⏸ Pause" if playing else "▶ Play")

    def _update_message(self, text: str) -> None:
        self.message.setText(text)
        self.message.setVisible(bool(text))

    def _update_status(self) -> None:
        model = self._model
        history = model.trainer.history
        frame = model.frame
        parts = [f"epoch {frame.epoch}", f"step {frame.step}"]
        if model.viewed is None:
            parts.append(f"train loss {format_number(history.last('train_loss'), 3)}")
            test = history.last("test_loss")
            if math.isfinite(test):
                parts.append(f"test {format_number(test, 3)}")
            accuracy = history.last("test_accuracy")
            if math.isfinite(accuracy):
                parts.append(f"test accuracy {format_number(100 * accuracy, 3)} %")
        else:
            parts.insert(0, "rewound to")
        self.run_status.setText(" · ".join(parts))
