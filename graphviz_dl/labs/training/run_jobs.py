"""How the training lab's model drives its run: every change is a job on the
serial queue that ends with a frame; "Play" is a chain of short training
slices, each submitting the next once the window has drawn; late frames of
an old run or older than the one shown are dropped (a mixin of
:class:`.model.TrainingModel`)."""

from __future__ import annotations

from collections.abc import Callable

from ...training import Trainer
from .frames import Frame, render_frame

SLICE_SECONDS = 1 / 80
"""Training time between two drawn frames while playing."""

Work = Callable[[Trainer, object], object]


class RunJobs:
    """Submit work on the run, play in slices, show what comes back."""

    def _submit(self, change: Work, *, frame: bool = True) -> None:
        """Queue ``change(trainer, job)`` on this run; then draw a frame."""
        trainer, generation, options = self._trainer, self._generation, self._options
        self._submitted += 1
        number = self._submitted

        def work(job) -> tuple[int, Frame | None]:
            change(trainer, job)
            if not frame:
                return number, None
            return number, render_frame(trainer, generation, options)

        self._runner.submit(work, self._on_done, self._on_failed, supersede=False)

    def _play_slice(self) -> None:
        """Train one slice, then (in :meth:`_on_slice`) show it and go on."""
        if not self._playing or self._slice_queued:
            return
        trainer, generation, options = self._trainer, self._generation, self._options
        self._submitted += 1
        number = self._submitted

        def work(job) -> tuple[int, Frame]:
            def go_on() -> bool:
                return self._playing and not job.cancelled()

            trainer.train_for(SLICE_SECONDS, go_on)
            return number, render_frame(trainer, generation, options)

        self._slice_queued = True
        self._runner.submit(work, self._on_slice, self._on_failed, supersede=False)

    def _on_slice(self, result: tuple[int, Frame]) -> None:
        self._slice_queued = False
        if self._playing:  # once the window has handled this frame: turn-taking
            self._later(self._play_slice)
        self._on_done(result)

    def _on_done(self, result: tuple[int, Frame | None]) -> None:
        number, frame = result
        if frame is None or frame.generation != self._generation:
            return
        if number <= self._shown:
            return  # an older result than the one shown
        self._shown = number
        self._show(frame)

    def _on_failed(self, error: BaseException) -> None:
        self._slice_queued = False
        self.set_playing(False)
        self.failed.emit(f"{type(error).__name__}: {error}")

    def _show(self, frame: Frame) -> None:
        if self._view is not None:
            return
        self._frame = frame
        self.frameShown.emit()
        stop = frame.stop
        if stop is None:
            self._set_message(frame.advice)  # dead ReLUs, chance level, or ""
            return
        if self._playing:
            self._playing = False
            self.playingChanged.emit(False)
        self._set_message(stop.message)
