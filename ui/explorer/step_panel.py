"""The step panel: the buttons, slider and speed that move the walkthrough cursor,
and the sentence that explains the step just taken.

It holds no state of its own beyond the play timer: the position lives in the
:class:`~graphviz_dl.labs.explorer.model.ExplorerModel`, and this panel only asks it to move.
"""

from __future__ import annotations

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtGui import QAction, QFont, QKeySequence
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QSizePolicy,
    QSlider,
    QStyle,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from graphviz_dl.labs.explorer.model import ExplorerModel

START_TEXT = (
    "Inputs hold their values; everything else is still unknown (?). "
    "Press Next (→) to compute the first node."
)
EMPTY_TEXT = "Pick an example or write a program, then press Build (Ctrl+Return)."
DEFAULT_SPEED = 3
"""Steps per second when playing."""


FOLDED_DETAIL = (
    "One move for the whole folded group. Enter (or double-click its box) "
    "opens it and steps through it node by node."
)


class StepPanel(QWidget):
    """Step controls (first, previous, play, next, last, slider, speed) and the explanation."""

    playingChanged = Signal(bool)

    def __init__(self, model: ExplorerModel, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("stepPanel")
        self.model = model
        self._timer = QTimer(self)
        self._timer.timeout.connect(self._tick)
        self._make_buttons()
        self._make_sliders()
        self._make_texts()
        self._lay_out()
        self._connect(model)
        self._update_speed()
        self._update_all()

    # --- building ------------------------------------------------------------------
    def _make_buttons(self) -> None:
        style = self.style()
        icon = QStyle.StandardPixmap
        self.first_button = self._button(
            "stepFirst", "Start", "Back to the start (Home)", icon.SP_MediaSkipBackward
        )
        self.prev_button = self._button(
            "stepPrev", "Prev", "Previous step (←)", icon.SP_MediaSeekBackward
        )
        self.play_button = self._button(
            "playPause", "Play", "Play / pause (Space)", icon.SP_MediaPlay
        )
        self.play_button.setCheckable(True)
        self.next_button = self._button(
            "stepNext", "Next", "Next step (→)", icon.SP_MediaSeekForward
        )
        self.last_button = self._button(
            "stepLast", "End", "Jump to the end (End)", icon.SP_MediaSkipForward
        )
        self._play_icon = style.standardIcon(icon.SP_MediaPlay)
        self._pause_icon = style.standardIcon(icon.SP_MediaPause)

    def _make_sliders(self) -> None:
        self.slider = QSlider(Qt.Orientation.Horizontal, self)
        self.slider.setObjectName("stepSlider")
        self.slider.setAccessibleName("Step position")
        self.slider.setToolTip("Drag to scrub through every step")
        self.slider.setPageStep(5)
        self.slider.setMinimumWidth(120)

        self.speed = QSlider(Qt.Orientation.Horizontal, self)
        self.speed.setObjectName("speed")
        self.speed.setAccessibleName("Playback speed in steps per second")
        self.speed.setRange(1, 20)
        self.speed.setValue(DEFAULT_SPEED)
        self.speed.setFixedWidth(90)
        self.speed_label = QLabel(self)
        self.speed_label.setMinimumWidth(58)

    def _make_texts(self) -> None:
        self.counter = QLabel(self)
        self.counter.setObjectName("stepCounter")
        self.explanation = QLabel(self)
        self.explanation.setObjectName("stepExplanation")
        self.explanation.setAccessibleName("Step explanation")
        self.explanation.setWordWrap(True)
        self.explanation.setTextFormat(Qt.TextFormat.PlainText)
        self.explanation.setTextInteractionFlags(
            Qt.TextInteractionFlag.TextSelectableByMouse
        )
        self.explanation.setSizePolicy(
            QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Preferred
        )
        self.detail = QLabel(self)
        self.detail.setObjectName("stepDetail")
        self.detail.setWordWrap(True)
        self.detail.setTextFormat(Qt.TextFormat.PlainText)
        self.detail.setStyleSheet("color: #475569;")
        self.set_font_scale(1.0)

    def _lay_out(self) -> None:
        controls = QHBoxLayout()
        controls.setSpacing(4)
        for button in (
            self.first_button,
            self.prev_button,
            self.play_button,
            self.next_button,
            self.last_button,
        ):
            controls.addWidget(button)
        controls.addStretch(1)
        speed_caption = QLabel("speed", self)
        controls.addWidget(speed_caption)
        controls.addWidget(self.speed)
        controls.addWidget(self.speed_label)
        scrub = QHBoxLayout()
        scrub.addWidget(self.counter, 1)
        scrub.addWidget(self.slider, 2)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(8, 6, 8, 6)
        layout.addLayout(controls)
        layout.addLayout(scrub)
        layout.addWidget(self.explanation)
        layout.addWidget(self.detail)
        layout.addStretch(1)

    def _connect(self, model: ExplorerModel) -> None:
        self.first_button.clicked.connect(model.go_first)
        self.prev_button.clicked.connect(model.step_back)
        self.next_button.clicked.connect(model.step_forward)
        self.last_button.clicked.connect(model.go_last)
        self.play_button.toggled.connect(self.set_playing)
        self.slider.valueChanged.connect(model.set_position)
        self.speed.valueChanged.connect(self._update_speed)

        self.actions_by_name = {
            "first": self._action("Start", Qt.Key.Key_Home, model.go_first),
            "prev": self._action("Previous step", Qt.Key.Key_Left, model.step_back),
            "next": self._action("Next step", Qt.Key.Key_Right, model.step_forward),
            "last": self._action("End", Qt.Key.Key_End, model.go_last),
            "play": self._action("Play / pause", Qt.Key.Key_Space, self.toggle_playing),
        }
        model.programChanged.connect(self._update_all)
        model.valuesChanged.connect(self._update_all)
        model.positionChanged.connect(self._update_position)

    def _button(self, name: str, text: str, tip: str, pixmap) -> QToolButton:
        button = QToolButton(self)
        button.setObjectName(name)
        button.setText(text)
        button.setIcon(self.style().standardIcon(pixmap))
        button.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextBesideIcon)
        button.setToolTip(tip)
        button.setAccessibleName(tip)
        return button

    def _action(self, text: str, key: Qt.Key, slot) -> QAction:
        action = QAction(text, self)
        action.setShortcut(QKeySequence(key))
        action.triggered.connect(slot)
        return action

    def step_actions(self) -> list[QAction]:
        """The keyboard actions (→ ← Home End Space), for the window's Step menu."""
        return list(self.actions_by_name.values())

    def set_font_scale(self, factor: float) -> None:
        """Bigger text for a projector (presenter mode)."""
        font = QFont(self.font())
        font.setPointSizeF(max(9.0, 13.0 * factor))
        self.explanation.setFont(font)
        small = QFont(self.font())
        small.setPointSizeF(max(8.0, 10.0 * factor))
        self.counter.setFont(small)
        self.detail.setFont(small)

    # --- playing ------------------------------------------------------------------
    @property
    def playing(self) -> bool:
        return self._timer.isActive()

    def set_playing(self, playing: bool) -> None:
        """Start or stop the animation; playing from the end starts over."""
        if playing and self.model.length == 0:
            playing = False
        if playing == self.playing:
            self._sync_play_button()
            return
        if playing:
            if self.model.position >= self.model.length:
                self.model.go_first()
            self._timer.start()
        else:
            self._timer.stop()
        self._sync_play_button()
        self.playingChanged.emit(playing)

    def toggle_playing(self) -> None:
        self.set_playing(not self.playing)

    def _tick(self) -> None:
        self.model.step_forward()
        if self.model.position >= self.model.length:
            self.set_playing(False)

    def _update_speed(self) -> None:
        steps_per_second = self.speed.value()
        self._timer.setInterval(int(1000 / steps_per_second))
        self.speed_label.setText(f"{steps_per_second}/s")
        self.speed.setToolTip(f"Play speed: {steps_per_second} steps per second")

    def _sync_play_button(self) -> None:
        playing = self.playing
        blocked = self.play_button.blockSignals(True)
        self.play_button.setChecked(playing)
        self.play_button.blockSignals(blocked)
        self.play_button.setText("Pause" if playing else "Play")
        self.play_button.setIcon(self._pause_icon if playing else self._play_icon)

    # --- following the model -----------------------------------------------------------
    def _update_all(self) -> None:
        length = self.model.length
        blocked = self.slider.blockSignals(True)
        self.slider.setRange(0, length)
        self.slider.setValue(self.model.position)
        self.slider.blockSignals(blocked)
        if self.model.program is None:
            self.set_playing(False)
        self._update_position()

    def _update_position(self, old: int = 0, new: int = 0) -> None:
        model = self.model
        position, length = model.position, model.length
        if self.slider.value() != position:
            blocked = self.slider.blockSignals(True)
            self.slider.setValue(position)
            self.slider.blockSignals(blocked)
        for button in (self.first_button, self.prev_button):
            button.setEnabled(position > 0)
        for button in (self.next_button, self.last_button):
            button.setEnabled(position < length)
        self.play_button.setEnabled(length > 0)
        step = model.current_step()
        if model.program is None:
            self.counter.setText("")
            self.explanation.setText(EMPTY_TEXT)
            self.detail.setText("")
            return
        if step is None:
            self.counter.setText(f"Start · {length} steps ahead")
            self.explanation.setText(START_TEXT)
            self.detail.setText("")
            return
        phase = {
            "forward": "forward pass",
            "seed": "backward pass begins",
            "backward": "backward pass",
        }.get(step.phase, step.phase)
        done = " · done: every gradient is in" if position == length else ""
        self.counter.setText(f"Step {position} of {length} · {phase}{done}")
        folded = model.move_text()  # a whole folded group in one move
        self.explanation.setText(folded or step.text)
        self.detail.setText(FOLDED_DETAIL if folded else self._detail(step))

    def _detail(self, step) -> str:
        """One sentence on why the step looks the way it does (from the op table)."""
        walk = self.model.walk
        if step.phase == "seed":
            return "The output's gradient with respect to itself is 1: every backward step starts here."
        if step.phase == "forward":
            node = self.model.node(step.node)
            inputs = ", ".join(walk.name(i) for i in dict.fromkeys(step.inputs))
            later = (
                f" On the way back: {node.op.explanation}"
                if node.op is not None
                else ""
            )
            return f"Forward pass: {walk.name(step.node)} is computed from {inputs}.{later}"
        child = self.model.node(step.inputs[0])
        via = child.op.explanation if child.op is not None else ""
        return (
            f"Chain rule: the gradient arriving at {walk.name(step.inputs[0])} times its local "
            f"slope with respect to {walk.name(step.node)}. {via}"
        )
