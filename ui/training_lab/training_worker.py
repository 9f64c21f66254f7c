"""The one thread that drives the training lab's trainer.

A :class:`~graphviz_dl.training.Trainer` may be driven by one thread at a
time, and training must never block the window. So every change to a run
(a step, an epoch, a rewind, new data) is a job put on this worker's queue,
and "Play" is the worker training in slices of :data:`SLICE_SECONDS` between
jobs. After each slice or job the worker draws a :class:`Frame` (the
boundary over a grid, by the compiled program, plus whatever else the views
asked for) in the same thread, so training and drawing never compete.

Frames carry the generation of the run they belong to: after a reset or a
new configuration the model moves to a new generation and drops late frames
of the old one. Frames are coalesced: when the window is busy, only the
latest one waits to be shown.
"""

from __future__ import annotations

import queue
import threading
import weakref
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
from PySide6.QtCore import QObject, Signal

from graphviz_dl.training import Trainer, probe
from graphviz_dl.training.trainer import Stop

SLICE_SECONDS = 1 / 80
"""Training time between two drawn frames while playing."""
DRAW_WAIT = 0.1
"""While playing, the worker waits up to this long for the window to draw the
last frame before training on: training and drawing take turns instead of
fighting over the interpreter (which slows both)."""
RESOLUTION = 100
"""Samples per side of the boundary grid."""
UNIT_RESOLUTION = 20
"""Samples per side of each unit's tiny heat map."""


@dataclass(frozen=True)
class Frame:
    """What the views draw for one moment of a run (all plain numpy)."""

    generation: int
    step: int
    epoch: int
    weights: np.ndarray
    boundary: probe.Boundary | None
    units: probe.UnitMaps | None
    stop: Stop | None
    snapshot: int | None = None  # the snapshot shown, None for the live weights
    problem: str = ""  # what could not be drawn, in words


@dataclass(frozen=True)
class RenderOptions:
    """What a frame should contain; swapped whole, so a read is never torn."""

    resolution: int = RESOLUTION
    units: bool = True


def render_frame(
    trainer: Trainer,
    generation: int,
    options: RenderOptions,
    params: np.ndarray | None = None,
    snapshot: int | None = None,
) -> Frame:
    """Draw ``trainer`` at its current weights (or ``params``) in this thread."""
    weights = trainer.weights if params is None else params
    with np.errstate(all="ignore"):
        try:
            boundary = probe.boundary(trainer, options.resolution, params=weights)
        except ValueError:
            boundary = None  # more than two inputs: no plane to draw
        units, problem = None, ""
        if options.units and trainer.network.widths:
            try:
                units = probe.unit_maps(trainer, UNIT_RESOLUTION, params=weights)
            except ValueError:
                units = None  # more than two inputs
            except Exception as error:  # noqa: BLE001 - shown, the run goes on
                problem = f"the units' maps could not be drawn ({error})"
    return Frame(
        generation,
        trainer.step,
        trainer.epoch,
        weights,
        boundary,
        units,
        trainer.stop,
        snapshot,
        problem,
    )


class _Relay(QObject):
    """Lives in the GUI thread; the worker thread emits through it."""

    frameReady = Signal()
    jobDone = Signal(int, object)  # generation, what the job returned


_QUIT = object()


class _Loop:
    """The worker thread's state (a plain object: the thread never owns Qt parts)."""

    def __init__(self, relay: _Relay) -> None:
        self.jobs: queue.Queue = queue.Queue()
        self.playing = threading.Event()
        self.lock = threading.Lock()
        self.idle = threading.Condition(self.lock)
        self.relay = weakref.ref(relay)
        self.trainer: Trainer | None = None
        self.generation = 0
        self.options = RenderOptions()
        self.latest: Frame | None = None
        self.signalled = False
        self.drawn = threading.Event()
        self.drawn.set()
        self.pending = 0  # jobs queued or running, plus 1 while a slice trains

    # --- the thread ----------------------------------------------------------------
    def run(self) -> None:
        while True:
            try:
                item = self.jobs.get(block=not self.playing.is_set())
            except queue.Empty:
                self._slice()
                continue
            if item is _QUIT:
                return
            if item is not None:  # None only wakes the thread up to play
                self._job(*item)

    def _job(self, generation: int, trainer: Trainer, job: Callable, frame: bool):
        try:
            if generation == self.generation:
                result = job(trainer)
                if frame:
                    self._publish(render_frame(trainer, generation, self.options))
                self._emit("jobDone", generation, result)
        except Exception as error:  # noqa: BLE001 - reported, the thread lives on
            self._emit("jobDone", generation, error)
        finally:
            self._done()

    def _slice(self) -> None:
        with self.lock:
            trainer, generation = self.trainer, self.generation
            self.pending += 1
        try:
            if trainer is None or trainer.stop is not None:
                self.playing.clear()
                return

            def go_on() -> bool:
                return (
                    self.playing.is_set()
                    and generation == self.generation
                    and self.jobs.empty()
                )

            self.drawn.wait(DRAW_WAIT)
            trainer.train_for(SLICE_SECONDS, go_on)
            if generation == self.generation:
                self.drawn.clear()
                self._publish(render_frame(trainer, generation, self.options))
            if trainer.stop is not None:
                self.playing.clear()
        except Exception as error:  # noqa: BLE001 - reported, the thread lives on
            self.playing.clear()
            self._emit("jobDone", generation, error)
        finally:
            self._done()

    def _done(self) -> None:
        with self.lock:
            self.pending -= 1
            if self.pending == 0:
                self.idle.notify_all()

    def _publish(self, frame: Frame) -> None:
        with self.lock:
            self.latest = frame
            if self.signalled:
                return
            self.signalled = True
        self._emit("frameReady")

    def _emit(self, name: str, *args) -> None:
        relay = self.relay()
        if relay is None:
            return
        try:
            getattr(relay, name).emit(*args)
        except RuntimeError:
            pass  # the lab is gone


class TrainingWorker(QObject):
    """Runs jobs on a trainer in one background thread, and plays it."""

    frameReady = Signal()
    """A new frame waits in :meth:`take_frame` (one signal per waiting frame)."""
    jobDone = Signal(int, object)
    """``(generation, result)`` of a job, or the exception it raised."""

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._relay = _Relay(self)
        self._relay.frameReady.connect(self.frameReady)
        self._relay.jobDone.connect(self.jobDone)
        self._loop = _Loop(self._relay)
        self._thread = threading.Thread(
            target=self._loop.run, name="training", daemon=True
        )
        self._thread.start()

    # --- which run ----------------------------------------------------------------------
    @property
    def generation(self) -> int:
        return self._loop.generation

    def set_trainer(self, trainer: Trainer) -> int:
        """Drive ``trainer`` from now on; returns the new generation. Jobs and
        frames of earlier trainers are dropped."""
        loop = self._loop
        self.set_playing(False)
        with loop.lock:
            loop.trainer = trainer
            loop.generation += 1
            loop.latest = None
            return loop.generation

    def set_options(self, options: RenderOptions) -> None:
        self._loop.options = options

    # --- work -----------------------------------------------------------------------------
    def submit(self, job: Callable[[Trainer], object], *, frame: bool = True) -> None:
        """Run ``job(trainer)`` in the worker (after what is queued), then draw."""
        loop = self._loop
        with loop.lock:
            if loop.trainer is None:
                return
            loop.pending += 1
            item = (loop.generation, loop.trainer, job, frame)
        loop.jobs.put(item)

    def set_playing(self, playing: bool) -> None:
        loop = self._loop
        if playing:
            loop.playing.set()
            loop.jobs.put(None)  # wake the thread if it waits for a job
        else:
            loop.playing.clear()

    @property
    def playing(self) -> bool:
        return self._loop.playing.is_set()

    @property
    def busy(self) -> bool:
        """True while a job or a training slice is queued or running."""
        with self._loop.lock:
            return self._loop.pending > 0 or self._loop.playing.is_set()

    def wait_idle(self, timeout: float | None = None) -> bool:
        """Block until no job is queued or running (the worker must not be
        playing); True when idle. For synchronous scripts, never the GUI's
        normal path."""
        loop = self._loop
        with loop.lock:
            return loop.idle.wait_for(lambda: loop.pending == 0, timeout)

    def take_frame(self) -> Frame | None:
        """The latest frame (once), allowing the next one to be announced."""
        loop = self._loop
        with loop.lock:
            frame, loop.latest = loop.latest, None
            loop.signalled = False
        if frame is not None and frame.generation != loop.generation:
            return None
        return frame

    def stopper(self) -> Callable[[], None]:
        """A function that stops the thread and holds no Qt object (safe to
        call while the worker is being destroyed)."""
        loop = self._loop

        def stop() -> None:
            loop.playing.clear()
            loop.generation += 1
            loop.jobs.put(_QUIT)

        return stop

    def frame_drawn(self) -> None:
        """The window has drawn the last frame: the worker may train on."""
        self._loop.drawn.set()

    def shutdown(self) -> None:
        """Stop the thread (after the job in progress)."""
        self.set_playing(False)
        with self._loop.lock:
            self._loop.generation += 1
        self._loop.jobs.put(_QUIT)
