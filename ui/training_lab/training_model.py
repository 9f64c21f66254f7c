"""The training lab's state as a plain model: data, settings, the run, the timeline.

Views read it and listen to its signals; every change goes through its
methods (undo commands call them too). The run itself is a
:class:`graphviz_dl.training.Trainer`, driven only by the
:class:`~ui.training_lab.training_worker.TrainingWorker`'s thread; this model decides what
the worker does next and turns the frames it draws into one ``frameShown``
signal for every view.

A change of data or settings starts a new run (a new generation: late
frames of the old run are dropped). Points added by clicking reach the
running trainer without restarting it.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass

from PySide6.QtCore import QObject, QTimer, Signal

from graphviz_dl import datasets
from graphviz_dl.datasets import Dataset
from graphviz_dl.engine import Value, topological_order
from graphviz_dl.numfmt import format_number
from graphviz_dl.optimizer_menu import OPTIMIZERS
from graphviz_dl.surfaces import Surface
from graphviz_dl.training import (
    LOSSES_BY_TASK,
    RunRecord,
    Trainer,
    TrainingConfig,
    landscape,
    probe,
)

from ui.training_lab.training_worker import Frame, RenderOptions, TrainingWorker, render_frame

#: The data menu: key → (title, generator, fixed options).
DATASETS: dict[str, tuple[str, str, dict]] = {
    "moons": ("Moons", "moons", {}),
    "circles": ("Circles", "circles", {}),
    "xor": ("XOR", "xor", {}),
    "spiral": ("Spiral", "spiral", {}),
    "blobs": ("Gaussian blobs (2 classes)", "blobs", {"n_classes": 2}),
    "blobs3": ("Gaussian blobs (3 classes)", "blobs", {"n_classes": 3}),
    "line": ("Line (regression)", "line", {}),
}
#: Settings each dataset trains well with when chosen from the menu.
SUGGESTED: dict[str, dict] = {
    "spiral": {"hidden": (16, 16), "activation": "tanh"},
    "circles": {"hidden": (8, 8)},
    "line": {"hidden": (4,), "activation": "tanh"},
}
MAX_KEPT = 6
"""Kept runs overlaid on the loss curves at most (the oldest goes first)."""


@dataclass(frozen=True)
class DataSpec:
    """How the points were made: a generator and its knobs."""

    kind: str = "moons"
    n_points: int = 200
    noise: float | None = None
    test_fraction: float = 0.2
    seed: int = 0

    def __post_init__(self) -> None:
        if self.kind not in DATASETS:
            raise ValueError(
                f"unknown dataset {self.kind!r}; choose one of: {', '.join(DATASETS)}"
            )

    @property
    def noise_value(self) -> float:
        """The noise in effect (the generator's default when not chosen)."""
        generator = DATASETS[self.kind][1]
        return datasets.DEFAULT_NOISE[generator] if self.noise is None else self.noise

    def make(self) -> Dataset:
        _, generator, fixed = DATASETS[self.kind]
        return datasets.make_dataset(
            generator,
            n_points=self.n_points,
            noise=self.noise_value,
            test_fraction=self.test_fraction,
            seed=self.seed,
            **fixed,
        )


def fitted_config(config: TrainingConfig, dataset: Dataset) -> TrainingConfig:
    """``config`` with its loss set back to automatic when it does not fit the
    task (hinge on a regression set, say)."""
    if config.loss != "auto" and config.loss not in LOSSES_BY_TASK[dataset.task]:
        return dataclasses.replace(config, loss="auto")
    return config


def check_run(dataset: Dataset, config: TrainingConfig) -> str | None:
    """Why ``config`` cannot train on ``dataset``, in words (None when it can)."""
    try:
        config.check(dataset)
    except ValueError as error:
        return str(error)
    return None


def run_label(config: TrainingConfig, dataset: str = "") -> str:
    """A short name for a run, for the legend of kept runs."""
    parts = [f"{OPTIMIZERS[config.optimizer].title} lr={format_number(config.lr)}"]
    hidden = "-".join(map(str, config.hidden)) or "linear"
    parts.append(f"{hidden} {config.activation}")
    if config.batch_size is None:
        parts.append("full batch")
    elif config.batch_size == 1:
        parts.append("SGD")
    else:
        parts.append(f"batch {config.batch_size}")
    if config.dropout:
        parts.append(f"dropout {format_number(config.dropout)}")
    if config.l2:
        parts.append(f"L2 {format_number(config.l2)}")
    if config.l1:
        parts.append(f"L1 {format_number(config.l1)}")
    label = ", ".join(parts)
    return f"{dataset}: {label}" if dataset else label


def sample_values(root: Value) -> dict[str, Value]:
    """A sample graph's labelled nodes, inputs first, the loss last."""
    values: dict[str, Value] = {}
    for node in topological_order(root):
        if node.label and node is not root and node.label not in values:
            values[node.label] = node
    values[root.label or "L"] = root
    return values


class TrainingModel(QObject):
    """The lab's state; one signal per kind of change, fired only on a real change."""

    dataChanged = Signal()  # the points (or which are test points) changed
    configChanged = Signal()  # a training setting changed
    runReset = Signal()  # a new run started: curves and timeline restart
    frameShown = Signal()  # a new frame (boundary, weights, unit maps) to draw
    playingChanged = Signal(bool)
    messageChanged = Signal(str)  # the banner: why training paused ("" hides it)
    viewChanged = Signal()  # the timeline cursor moved (None: live)
    keptChanged = Signal()
    failed = Signal(str)  # a job in the worker raised: what went wrong

    def __init__(
        self,
        parent: QObject | None = None,
        *,
        spec: DataSpec | None = None,
        config: TrainingConfig | None = None,
    ) -> None:
        super().__init__(parent)
        self.worker = TrainingWorker(self)
        self.worker.frameReady.connect(self._on_frame)
        self.worker.jobDone.connect(self._on_job)
        self._spec = spec or DataSpec()
        self._dataset = self._spec.make()
        self._config = fitted_config(config or TrainingConfig(), self._dataset)
        if check_run(self._dataset, self._config):
            self._config = fitted_config(TrainingConfig(), self._dataset)
        self._options = RenderOptions()
        self._playing = False
        self._view: int | None = None
        self._kept: list[RunRecord] = []
        self._message = ""
        self._frame: Frame | None = None
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
        """True while the worker has work queued or running."""
        return self.worker.busy

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
        self._new_run()
        self.dataChanged.emit()
        if changed:
            self.configChanged.emit()

    def set_config(self, config: TrainingConfig) -> None:
        """Train with ``config`` from a fresh start (raises ValueError in words
        when it cannot train on these points)."""
        if config == self._config:
            return
        problem = check_run(self._dataset, config)
        if problem:
            raise ValueError(problem)
        self._config = config
        self._new_run()
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
        self.worker.submit(lambda t: t.set_dataset(copy))
        self.dataChanged.emit()

    def set_options(self, options: RenderOptions) -> None:
        """What frames hold (e.g. no unit maps while the diagram is hidden)."""
        if options == self._options:
            return
        self._options = options
        self.worker.set_options(options)

    # --- the run ----------------------------------------------------------------------------
    def reset(self) -> None:
        """Start the run again from new weights (same data, same settings)."""
        self._new_run()

    def set_playing(self, playing: bool) -> None:
        playing = bool(playing)
        if playing and self._trainer.stop is not None:
            if self._trainer.stop.kind == "blowup":
                self._set_message(self._trainer.stop.message)
                playing = False
            else:
                self.worker.submit(lambda t: t.resume(), frame=False)
        if playing:
            self._leave_view()
            self._set_message("")
        if playing == self._playing:
            return
        self._playing = playing
        self.worker.set_playing(playing)
        self.playingChanged.emit(playing)

    def step_batch(self) -> None:
        """One optimizer step on the next batch (pauses first)."""
        self._step(lambda t: t.step_batch())

    def step_epoch(self) -> None:
        """Steps to the end of the current epoch (pauses first)."""
        self._step(lambda t: t.step_epoch())

    def _step(self, job) -> None:
        self.set_playing(False)
        self._leave_view()
        if self._trainer.stop is not None and self._trainer.stop.kind == "blowup":
            self._set_message(self._trainer.stop.message)
            return

        def resume_then(trainer: Trainer):
            trainer.resume()
            return job(trainer)

        self.worker.submit(resume_then)

    def train_epochs(self, epochs: int) -> None:
        """Train ``epochs`` epochs now and show the result (blocks: for scripts)."""
        self.set_playing(False)
        self._leave_view()
        self.worker.submit(lambda t: t.train(int(epochs)))
        self.worker.wait_idle()
        self._on_frame()

    def wait_idle(self, timeout: float | None = None) -> bool:
        """Block until the worker is idle (not playing); True when it is."""
        self.set_playing(False)
        ok = self.worker.wait_idle(timeout)
        self._on_frame()
        return ok

    # --- the timeline ---------------------------------------------------------------------
    def view_snapshot(self, index: int | None) -> None:
        """Show snapshot ``index`` (None or past the last: the live run)."""
        snapshots = self._trainer.snapshots
        if index is not None and not 0 <= index < len(snapshots):
            index = None
        if index == self._view:
            return
        if index is not None:
            self.set_playing(False)
        self._view = index
        if index is None:
            self._frame = render_frame(
                self._trainer, self.worker.generation, self._options
            )
        else:
            self._frame = render_frame(
                self._trainer,
                self.worker.generation,
                self._options,
                params=snapshots[index].weights,
                snapshot=index,
            )
        self.viewChanged.emit()
        self.frameShown.emit()

    def continue_from_view(self) -> None:
        """Rewind the run to the snapshot shown (later steps are forgotten)."""
        self._leave_view()

    def _leave_view(self) -> None:
        index = self._view
        if index is None:
            return
        self._view = None
        self.worker.submit(lambda t: t.restore(index))
        self.viewChanged.emit()

    def keep_run(self, label: str = "") -> RunRecord:
        """Keep this run's curves to compare later runs with."""
        title = DATASETS[self._spec.kind][0] if self._spec else ""
        record = self._trainer.keep(label or run_label(self._trainer.config, title))
        self._kept.append(record)
        del self._kept[:-MAX_KEPT]
        self.keptChanged.emit()
        return record

    def clear_kept(self) -> None:
        if self._kept:
            self._kept.clear()
            self.keptChanged.emit()

    # --- looking inside -----------------------------------------------------------------------
    def sample_values(self, index: int) -> dict[str, Value]:
        """The scalar graph of point ``index`` at the weights shown (forward,
        loss; the explorer steps through backward)."""
        root = probe.sample_graph(self._trainer, index, params=self._frame.weights)
        return sample_values(root)

    def prediction(self, index: int) -> float:
        """The network's raw output for point ``index`` at the weights shown."""
        x = self._trainer.X[index]
        return float(self._trainer.predict(x, self._frame.weights).outputs[0, 0])

    def loss_plane(
        self, mode: str = "random", first: str | None = None, second: str | None = None
    ) -> landscape.LossPlane:
        """The loss around the weights shown, on a plane: ``random``
        (filter-normalized directions), ``weights`` (``first`` and ``second``)
        or ``pca`` (the run's two main directions)."""
        trainer = self._trainer
        center = self._frame.weights
        axes = ("α", "β")
        if mode == "weights":
            d1, d2 = landscape.weight_directions(trainer, first, second)
            axes = landscape.axes_for(trainer, first, second)
        elif mode == "pca":
            d1, d2 = landscape.pca_directions(trainer, center=center)
        elif mode == "random":
            d1, d2 = landscape.random_directions(trainer, center=center)
        else:
            raise ValueError(f"unknown plane {mode!r}: random, weights or pca")
        return landscape.LossPlane(trainer, d1, d2, center=center, axes=axes)

    def loss_surface(self, mode: str = "random", first=None, second=None) -> Surface:
        return self.loss_plane(mode, first, second).as_surface()

    # --- shutting down --------------------------------------------------------------------
    def shutdown(self) -> None:
        """Stop the worker thread (the lab is closing)."""
        self._playing = False
        self.worker.shutdown()

    # --- internals --------------------------------------------------------------------------
    def _new_run(self) -> None:
        was_playing = self._playing
        if was_playing:
            self._playing = False
            self.worker.set_playing(False)
        self._trainer = Trainer(self._dataset, self._config)
        generation = self.worker.set_trainer(self._trainer)
        self._view = None
        self._frame = render_frame(self._trainer, generation, self._options)
        self._set_message("")
        self.runReset.emit()
        self.viewChanged.emit()
        self.frameShown.emit()
        if was_playing:
            self.playingChanged.emit(False)

    def _on_frame(self) -> None:
        frame = self.worker.take_frame()
        # once the views have painted (pending paints run before a 0 ms timer)
        QTimer.singleShot(0, self.worker.frame_drawn)
        if frame is None or self._view is not None:
            return
        self._frame = frame
        self.frameShown.emit()
        stop = frame.stop
        if stop is not None:
            if self._playing:
                self._playing = False
                self.worker.set_playing(False)
                self.playingChanged.emit(False)
            self._set_message(stop.message)

    def _on_job(self, generation: int, result: object) -> None:
        if generation != self.worker.generation:
            return
        if isinstance(result, Exception):
            self.set_playing(False)
            self.failed.emit(f"{type(result).__name__}: {result}")

    def _set_message(self, text: str) -> None:
        if text != self._message:
            self._message = text
            self.messageChanged.emit(text)


# --- remembering settings -------------------------------------------------------------------
def spec_to_json(spec: DataSpec) -> dict:
    return dataclasses.asdict(spec)


def spec_from_json(data: object) -> DataSpec | None:
    """A data spec from settings, or None when anything is off."""
    try:
        spec = DataSpec(
            kind=str(data["kind"]),
            n_points=int(data["n_points"]),
            noise=None if data.get("noise") is None else float(data["noise"]),
            test_fraction=float(data["test_fraction"]),
            seed=int(data["seed"]),
        )
        spec.make()
    except (KeyError, TypeError, ValueError, AttributeError):
        return None
    return spec


def config_to_json(config: TrainingConfig) -> dict:
    out = dataclasses.asdict(config)
    out["hidden"] = list(config.hidden)
    out["hyper"] = dict(config.hyper)
    return out


def config_from_json(data: object) -> TrainingConfig | None:
    """A training config from settings, or None when anything is off."""
    try:
        names = {f.name for f in dataclasses.fields(TrainingConfig)}
        kwargs = {k: v for k, v in dict(data).items() if k in names}
        if "hidden" in kwargs:
            kwargs["hidden"] = tuple(int(w) for w in kwargs["hidden"])
        if "hyper" in kwargs:
            kwargs["hyper"] = {
                str(k): float(v) for k, v in dict(kwargs["hyper"]).items()
            }
        return TrainingConfig(**kwargs)
    except (TypeError, ValueError, AttributeError):
        return None
