"""The training lab's state as a plain model: data, settings, the run, the timeline.

Views read it and listen to its signals (psygnal; emitted only in the thread
that owns the model, and only on a real change); every change goes through
its methods (undo commands call them too). The run itself is a
:class:`graphviz_dl.training.Trainer`, driven only through a serial job
queue (:mod:`.serial`): each step, epoch, rewind or edit is one job, and
"Play" is a chain of short training slices, each slice's result submitting
the next one once the window had its turn to draw (``later``). Every job
ends by computing a :class:`~.frames.Frame` in the job's thread, which the
model shows with one ``frameShown`` signal.

A change of the learning rate, the other optimizer settings, the penalties,
dropout, batch size or schedule reaches the running trainer at its next step
(:mod:`graphviz_dl.training.live`): the weights and the step counter go on,
and the trainer records the change for the timeline. A change of data, shape,
activation, loss, initialisation or seed starts a new run (a new generation:
queued work of the old run is cancelled and its late frames are dropped); the
old run, if it took a step, is kept for comparison. Points added by clicking
reach the running trainer without restarting it.

Its parts, one file each: :mod:`.run_jobs` (jobs, play slices, frames),
:mod:`.timeline` (snapshots, keeping runs), :mod:`.inspection` (one point's
graph, a loss plane).
"""

from __future__ import annotations

from collections.abc import Callable

from psygnal import Signal

from ...datasets import Dataset
from ...training import RunRecord, Trainer, TrainingConfig
from ...training.live import needs_new_run
from .frames import Frame, RenderOptions, render_frame
from .inspection import Inspection
from .run_jobs import SLICE_SECONDS, RunJobs
from .runs import DataSpec, check_run, fitted_config
from .serial import Runner, SerialQueue
from .timeline import Timeline

__all__ = ["SLICE_SECONDS", "TrainingModel"]

WAIT_MS = 10_000
"""How long the blocking calls for scripts wait for the queue."""


def _now(call: Callable[[], None]) -> None:
    call()


class TrainingModel(RunJobs, Timeline, Inspection):
    """The lab's state; one signal per kind of change, fired only on a real change."""

    dataChanged = Signal()  # the points (or which are test points) changed
    configChanged = Signal()  # a training setting changed
    runReset = Signal()  # a new run started: curves and timeline restart
    frameShown = Signal()  # a new frame (boundary, weights, unit maps) to draw
    playingChanged = Signal(bool)
    messageChanged = Signal(str)  # why training paused, or what is wrong ("": none)
    viewChanged = Signal()  # the timeline cursor moved (None: live)
    keptChanged = Signal()
    failed = Signal(str)  # a job raised: what went wrong

    def __init__(
        self,
        spec: DataSpec | None = None,
        config: TrainingConfig | None = None,
        *,
        runner: Runner | None = None,
        later: Callable[[Callable[[], None]], None] = _now,
    ) -> None:
        """``runner`` runs the jobs (default: a :class:`SerialQueue` run by
        hand); ``later(f)`` calls ``f`` once the window has drawn (default:
        at once)."""
        self._runner = runner if runner is not None else SerialQueue()
        self._later = later
        self._spec = spec or DataSpec()
        self._dataset = self._spec.make()
        self._config = fitted_config(config or TrainingConfig(), self._dataset)
        if check_run(self._dataset, self._config):
            self._config = fitted_config(TrainingConfig(), self._dataset)
        self._options = RenderOptions()
        self._playing = False
        self._slice_queued = False
        self._generation = 0
        self._submitted = 0  # jobs submitted, numbering their frames
        self._shown = 0  # the number of the frame shown
        self._view: int | None = None
        self._kept: list[RunRecord] = []
        self._message = ""
        self._frame: Frame
        self._trainer: Trainer
        self._new_run()

    # --- reading -------------------------------------------------------------------------
    @property
    def spec(self) -> DataSpec:
        return self._spec

    @property
    def dataset(self) -> Dataset:
        """The points as shown (the trainer gets its own copy)."""
        return self._dataset

    @property
    def config(self) -> TrainingConfig:
        return self._config

    @property
    def trainer(self) -> Trainer:
        """The run. Read it freely; change it only through this model."""
        return self._trainer

    @property
    def frame(self) -> Frame:
        """What the views draw now: the live run, or a snapshot while rewinding."""
        return self._frame

    @property
    def playing(self) -> bool:
        return self._playing

    @property
    def busy(self) -> bool:
        """True while playing or while jobs are queued or running."""
        return self._playing or self._runner.busy

    @property
    def generation(self) -> int:
        """The run's number: a new run (reset, new data, new settings) counts up."""
        return self._generation

    @property
    def viewed(self) -> int | None:
        """The snapshot shown on the timeline, or None for the live run."""
        return self._view

    @property
    def kept(self) -> tuple[RunRecord, ...]:
        return tuple(self._kept)

    @property
    def message(self) -> str:
        return self._message

    @property
    def options(self) -> RenderOptions:
        return self._options

    # --- data and settings -----------------------------------------------------------------
    def set_data(
        self,
        spec: DataSpec | None,
        dataset: Dataset | None = None,
        config: TrainingConfig | None = None,
    ) -> None:
        """New points: from ``spec``, or ``dataset`` as given (a file, edits);
        with ``config``, new settings at the same time (one new run)."""
        dataset = spec.make() if dataset is None else dataset.copy()
        config = fitted_config(config or self._config, dataset)
        problem = check_run(dataset, config)
        if problem:
            raise ValueError(problem)
        self._spec = spec if spec is not None else self._spec
        self._dataset = dataset
        changed = config != self._config
        self._config = config
        self._keep_finished_run()
        self._new_run()
        self.dataChanged.emit()
        if changed:
            self.configChanged.emit()

    def set_config(self, config: TrainingConfig) -> None:
        """Train with ``config``: the running network takes live settings at
        its next step; other changes start a new run and keep the old one
        (raises ValueError in words when it cannot train on these points)."""
        if config == self._config:
            return
        problem = check_run(self._dataset, config)
        if problem:
            raise ValueError(problem)
        if needs_new_run(self._config, config):
            self._config = config
            self._keep_finished_run()
            self._new_run()
        else:
            self._leave_view()
            self._config = config
            self._set_message("")
            self._submit(lambda t, _job: t.apply_config(config))
        self.configChanged.emit()

    def replace_points(self, dataset: Dataset) -> None:
        """Edited points (a click, an undo): the run goes on with them when it
        can, else a new run starts."""
        trainer = self._trainer
        same_kind = (dataset.task, dataset.n_inputs, dataset.n_classes) == (
            trainer.task,
            trainer.X.shape[1],
            trainer.n_classes,
        )
        if not same_kind or check_run(dataset, self._config):
            self.set_data(None, dataset)
            return
        self._dataset = dataset.copy()
        copy = dataset.copy()
        self._leave_view()
        self._submit(lambda t, _job: t.set_dataset(copy))
        self.dataChanged.emit()

    def set_options(self, options: RenderOptions) -> None:
        """What frames hold (e.g. no unit maps while the diagram is hidden)."""
        self._options = options

    # --- the run ----------------------------------------------------------------------------
    def reset(self) -> None:
        """Start the run again from new weights (same data, same settings)."""
        self._new_run()

    def set_playing(self, playing: bool) -> None:
        playing = bool(playing)
        stop = self._trainer.stop
        if playing and stop is not None:
            if stop.kind == "blowup":
                self._set_message(stop.message)
                playing = False
            else:
                self._submit(lambda t, _job: t.resume(), frame=False)
        if playing:
            self._leave_view()
            self._set_message("")
        if playing == self._playing:
            return
        self._playing = playing
        self._play_slice()
        self.playingChanged.emit(playing)

    def step_batch(self) -> None:
        """One optimizer step on the next batch (pauses first)."""
        self._step(lambda t: t.step_batch())

    def step_epoch(self) -> None:
        """Steps to the end of the current epoch (pauses first)."""
        self._step(lambda t: t.step_epoch())

    def _step(self, step: Callable[[Trainer], object]) -> None:
        self.set_playing(False)
        self._leave_view()
        stop = self._trainer.stop
        if stop is not None and stop.kind == "blowup":
            self._set_message(stop.message)
            return

        def resume_then(trainer: Trainer, _job) -> object:
            trainer.resume()
            return step(trainer)

        self._submit(resume_then)

    def train_epochs(self, epochs: int) -> None:
        """Train ``epochs`` epochs now and show the result (blocks: for scripts)."""
        self.set_playing(False)
        self._leave_view()
        epochs = int(epochs)
        self._submit(lambda t, job: t.train(epochs, lambda: not job.cancelled()))
        self.wait_idle()

    def wait_idle(self, timeout: float | None = None) -> bool:
        """Pause, block until no job runs and show the run as it is; True when
        the queue went idle in time. For scripts and tests, never the window's
        normal path."""
        self.set_playing(False)
        ms = WAIT_MS if timeout is None else int(timeout * 1000)
        idle = self._runner.wait(ms)
        if idle:
            self._shown = self._submitted  # results still on their way are older
            self._show(render_frame(self._trainer, self._generation, self._options))
        return idle

    # --- shutting down --------------------------------------------------------------------
    def shutdown(self) -> None:
        """Stop playing and cancel every job (the lab is closing)."""
        self.set_playing(False)
        self._generation += 1
        self._runner.cancel()

    def _new_run(self) -> None:
        was_playing = self._playing
        self._playing = False
        self._runner.cancel()
        self._slice_queued = False
        self._generation += 1
        self._trainer = Trainer(self._dataset, self._config)
        was_viewing, self._view = self._view is not None, None
        self._shown = self._submitted
        self._frame = render_frame(self._trainer, self._generation, self._options)
        self._set_message("")
        self.runReset.emit()
        if was_viewing:
            self.viewChanged.emit()
        self.frameShown.emit()
        if was_playing:
            self.playingChanged.emit(False)

    def _set_message(self, text: str) -> None:
        if text != self._message:
            self._message = text
            self.messageChanged.emit(text)
