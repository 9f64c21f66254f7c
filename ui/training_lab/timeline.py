"""The run's timeline: scrub back to any snapshot, continue from it, keep runs.

The slider's last position is the live run; every earlier position is a
snapshot (taken every few steps), whose boundary and weights the other views
then show. "Continue here" rewinds the run to the snapshot shown
(training from there repeats the same steps until a setting differs).
"Keep run" keeps the curves to overlay on later runs. Small red marks under
the slider show where settings changed mid-run (hover one: "lr 0.03 → 0.3").
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QPushButton,
    QSlider,
    QVBoxLayout,
    QWidget,
)

from graphviz_dl.labs.training import TrainingModel
from graphviz_dl.numfmt import format_number
from ui.training_lab.change_marks import ChangeMarks

MIN_SLIDER_WIDTH = 150
"""Pixels the slider keeps at least, so a person can still pick a moment."""


class TrainingTimeline(QWidget):
    """A slider over the snapshots, plus the buttons that act on the run's past."""

    def __init__(self, model: TrainingModel, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("trainingTimeline")
        self._model = model
        self.slider = QSlider(Qt.Orientation.Horizontal)
        self.slider.setObjectName("timeline")
        self.slider.setToolTip(
            "Drag back to see the boundary and the weights as they were"
        )
        self.label = QLabel()
        self.label.setObjectName("timelineLabel")
        self.label.setMinimumWidth(100)
        self.continue_button = QPushButton("Continue here")
        self.continue_button.setObjectName("timelineContinue")
        self.continue_button.setToolTip(
            "Rewind the run to this moment; the later steps are forgotten"
        )
        self.keep_button = QPushButton("Keep run")
        self.keep_button.setObjectName("keepRun")
        self.keep_button.setToolTip("Keep this run's loss curve to compare later runs")
        self.clear_button = QPushButton("Clear kept")
        self.clear_button.setObjectName("clearKept")
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        self.slider.setMinimumWidth(MIN_SLIDER_WIDTH)
        self.marks = ChangeMarks(self.slider)
        track = QWidget()
        column = QVBoxLayout(track)
        column.setContentsMargins(0, 0, 0, 0)
        column.setSpacing(0)
        column.addWidget(self.slider)
        column.addWidget(self.marks)
        layout.addWidget(QLabel("Timeline"))
        layout.addWidget(track, 1)
        layout.addWidget(self.label)
        layout.addWidget(self.continue_button)
        layout.addWidget(self.keep_button)
        layout.addWidget(self.clear_button)

        self.slider.valueChanged.connect(self._on_slider)
        self.continue_button.clicked.connect(model.continue_from_view)
        self.keep_button.clicked.connect(lambda: model.keep_run())
        self.clear_button.clicked.connect(model.clear_kept)
        model.frameShown.connect(self._update)
        model.viewChanged.connect(self._update)
        model.keptChanged.connect(self._update_kept)
        self._update()
        self._update_kept()

    def _on_slider(self, value: int) -> None:
        live = value >= len(self._model.trainer.snapshots)
        self._model.view_snapshot(None if live else value)

    def _update(self) -> None:
        model = self._model
        snapshots = model.trainer.snapshots
        viewed = model.viewed
        self.slider.blockSignals(True)
        self.slider.setRange(0, len(snapshots))
        self.slider.setValue(len(snapshots) if viewed is None else viewed)
        self.slider.blockSignals(False)
        self.continue_button.setEnabled(viewed is not None)
        frame = model.frame
        self.marks.set_changes(frame.changes, [s.step for s in snapshots], frame.step)
        if viewed is None:
            frame = model.frame
            step = frame.step if frame is not None else 0
            self.label.setText(f"live · step {step}")
        else:
            snap = snapshots[viewed]
            self.label.setText(
                f"step {snap.step} (epoch {snap.epoch}) · "
                f"loss {format_number(snap.loss, 3)}"
            )

    def _update_kept(self) -> None:
        count = len(self._model.kept)
        self.clear_button.setEnabled(count > 0)
        self.clear_button.setText(f"Clear kept ({count})" if count else "Clear kept")
