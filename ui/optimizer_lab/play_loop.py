"""The race's animation: a frame timer that takes the steps each frame is owed.

The race advances several steps per frame at high speed, without ever taking
more than a slice of each frame: the slice adapts so that stepping plus
drawing fits (when frames come late, fewer steps per frame; when they come on
time, more).
"""

from __future__ import annotations

import time

from PySide6.QtCore import QObject, Qt, QTimer, Signal

from graphviz_dl.labs.optimizer import LabModel

FRAME_MS = 16  # ~60 frames per second while playing
STEP_BUDGET = 0.008  # at most this many seconds of optimizer steps per frame
MIN_BUDGET = 0.001
MAX_INTERVAL = 0.25  # seconds: a longer pause is not made up afterwards


class PlayLoop(QObject):
    """Steps the model while it is playing; one redraw per frame."""

    frameDrawn = Signal()

    def __init__(self, model: LabModel, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._model = model
        self._carry = 0.0
        self._last_tick = 0.0
        self._budget = STEP_BUDGET
        self._chunk = 1
        self.timer = QTimer(self)
        self.timer.setTimerType(Qt.TimerType.PreciseTimer)
        self.timer.setInterval(FRAME_MS)
        self.timer.timeout.connect(self._on_frame)

    def set_playing(self, playing: bool) -> None:
        if playing:
            self._carry = 0.0
            self._last_tick = time.perf_counter()
            self.timer.start()
        else:
            self.timer.stop()

    def _adapt_budget(self, interval: float) -> None:
        if interval > FRAME_MS * 1.15e-3:
            self._budget = max(MIN_BUDGET, self._budget * 0.8)
        elif interval < FRAME_MS * 1.05e-3:
            self._budget = min(STEP_BUDGET, self._budget * 1.1)

    def _on_frame(self) -> None:
        """One animation frame: the steps this frame is owed, within its budget."""
        now = time.perf_counter()
        interval = now - self._last_tick
        self._last_tick = now
        self._adapt_budget(interval)
        self._carry += self._model.speed * min(interval, MAX_INTERVAL)
        owed = int(self._carry)
        if owed < 1:
            return
        self._carry -= owed
        t0 = time.perf_counter()
        taken = 0
        while taken < owed:  # in chunks, so a slow optimizer cannot overrun the frame
            done = self._model.step(min(owed - taken, self._chunk), announce=False)
            taken += done
            if not done or time.perf_counter() - t0 > self._budget:
                break
        if taken:
            per_step = (time.perf_counter() - t0) / taken
            self._chunk = max(1, int(self._budget / 4 / per_step))
        if taken < owed:
            self._carry = 0.0  # behind: drop what cannot be done, do not pile up
        if taken:
            self._model.announce_steps()
        self.frameDrawn.emit()
