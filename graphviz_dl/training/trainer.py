"""The training loop of the lab, one batch at a time, with a memory of its past.

A :class:`Trainer` owns a :class:`~.network.Network`, an optimizer of
:mod:`graphviz_dl.optim` and a schedule of :mod:`graphviz_dl.schedulers`. Each
:meth:`Trainer.step_batch` takes the next batch of the epoch's shuffled
order, computes the mean loss and its gradient for the whole batch through
the compiled per-sample graph (dropout masks drawn per sample), adds the
L1/L2 penalty, writes the gradients to the parameters' ``.grad`` and lets the
optimizer step. When an epoch's batches are used up, both splits are
evaluated (dropout off), the schedule steps and early stopping looks at the
test loss. Batch size 1 is stochastic gradient descent, the full batch is
gradient descent, anything between is mini-batch SGD.

What a view reads (all safe from another thread; each returns a copy or an
immutable array):

* :attr:`Trainer.weights`: the current parameters, flat (``nn.MLP`` order);
* :attr:`Trainer.history` (one row per epoch, and epoch 0 before training)
  and :attr:`Trainer.steps` (one row per step): see :mod:`.history`;
* :attr:`Trainer.snapshots`: every ``snapshot_every`` steps, the weights and
  the whole state (optimizer, schedule, random generator, position in the
  epoch, history lengths); :meth:`Trainer.restore` goes back to one, and
  training from there repeats the same steps exactly;
* :attr:`Trainer.changes`: the settings changed while training
  (:meth:`Trainer.apply_config`), each a :class:`~.live.LiveChange`;
* :attr:`Trainer.stop`: why training paused (a :class:`Stop`: early
  stopping, or a blow-up explained by :mod:`.blowup`), else None.

A blow-up that is still finite pauses training as well: a batch objective over
:data:`FINITE_GROWTH` times the untrained network's for :data:`GROWTH_STEPS`
steps, or a step that would take a weight past :data:`EXPLODED_WEIGHT`.

The parts of a trainer live in one file each: :mod:`.live_settings`
(changes while running), :mod:`.evaluation`, :mod:`.pauses` (blow-ups and
early stopping), :mod:`.rewinding` (snapshots, restore, keep); results are
in :mod:`.results`.

A trainer is driven by one thread at a time (the lab's worker); between
calls it may be paused, rewound or dropped at any point, since every call
leaves it consistent.
"""

from __future__ import annotations

import math
import time
from collections.abc import Callable

import numpy as np

from ..optimizer_menu import make_optimizer
from ..schedulers import ReduceLROnPlateau
from . import dropout, live
from .config import TrainingConfig
from .evaluation import Evaluating
from .history import EPOCH_COLUMNS, STEP_COLUMNS, RunRecord, Table
from .live_settings import LiveSettings
from .network import Network, encode_targets
from .pauses import EXPLODED_WEIGHT, FINITE_GROWTH, GROWTH_STEPS, Pausing
from .results import Evaluation, Prediction, StepReport, Stop, _frozen
from .rewinding import Rewinding
from .snapshots import Snapshot

__all__ = [
    "EXPLODED_WEIGHT",
    "FINITE_GROWTH",
    "GROWTH_STEPS",
    "Evaluation",
    "Prediction",
    "RunRecord",
    "Snapshot",
    "StepReport",
    "Stop",
    "Trainer",
]


class Trainer(LiveSettings, Evaluating, Pausing, Rewinding):
    """Train ``config``'s network on ``dataset`` (copied: later edits to the
    dataset reach the trainer only through :meth:`set_dataset`)."""

    def __init__(self, dataset, config: TrainingConfig | None = None) -> None:
        config = TrainingConfig() if config is None else config
        config.check(dataset)
        self.config = config
        self.task = dataset.task
        self.loss_name = config.loss_for(dataset.task)
        n_outputs = dataset.n_classes if dataset.task == "multiclass" else 1
        self.network = Network(
            [config.fan_in(dataset.n_inputs), *config.hidden, n_outputs],
            activation=config.activation,
            init=config.init,
            loss=self.loss_name,
            task=dataset.task,
            dropout_rate=config.dropout,
            seed=config.seed,
            features=config.features,
            n_inputs=dataset.n_inputs,
        )
        self.params = self.network.params
        self.optimizer = make_optimizer(
            config.optimizer, dict(config.hyper), self.params
        )
        self.scheduler = None
        self._make_scheduler()
        self.changes: list[live.LiveChange] = []
        self.rng = np.random.default_rng(config.seed)
        self.history = Table(EPOCH_COLUMNS)
        self.steps = Table(STEP_COLUMNS)
        self.snapshots: list[Snapshot] = []
        self.stop: Stop | None = None
        self.step = 0
        self.epoch = 0
        self._order: np.ndarray | None = None
        self._cursor = 0
        self._interval = config.snapshot_every
        self._weights = _frozen(self.network.weights())
        self._load(dataset)
        first = self._record_evaluation()
        self._start_objective = first.train_loss + first.penalty
        self._lowest_objective = math.inf
        self._high_steps = 0
        watched = self._watched(first)
        self._best = (watched, 0, self._weights)
        self._bad_epochs = 0
        self._take_snapshot()

    # --- data -----------------------------------------------------------------------------
    def _load(self, dataset) -> None:
        self.dataset_name = dataset.name
        self.extent = dataset.extent()
        self.X = dataset.X.copy()
        self.y = dataset.y.copy()
        self.n_classes = dataset.n_classes
        self.targets = encode_targets(self.loss_name, self.y, self.network.n_outputs)
        self.train_index = dataset.train_index.copy()
        self.test_index = dataset.test_index.copy()

    def set_dataset(self, dataset) -> None:
        """Train on edited data from now on (weights and optimizer kept).

        The epoch in progress restarts with the new points; early stopping
        starts watching afresh.
        """
        if (dataset.task, dataset.n_inputs, dataset.n_classes) != (
            self.task,
            self.X.shape[1],
            self.n_classes,
        ):
            raise ValueError(
                "the new data has a different task, number of inputs or of classes: "
                "start a new run for it"
            )
        self.config.check(dataset)
        self._load(dataset)
        self._order = None
        self._cursor = 0
        evaluation = self.evaluate()
        self._best = (self._watched(evaluation), self.epoch, self._weights)
        self._bad_epochs = 0

    # --- what a view reads ----------------------------------------------------------------
    @property
    def weights(self) -> np.ndarray:
        """The current parameters (a read-only array, replaced after each step)."""
        return self._weights

    @property
    def n_train(self) -> int:
        return int(self.train_index.size)

    @property
    def batch_size(self) -> int:
        """The batch size in effect (``None`` in the config means all training points)."""
        size = self.config.batch_size
        return self.n_train if size is None else min(size, self.n_train)

    @property
    def steps_per_epoch(self) -> int:
        return -(-self.n_train // self.batch_size)

    @property
    def lr(self) -> float:
        return self.optimizer.lr

    # --- training ----------------------------------------------------------------------------
    def step_batch(self) -> StepReport:
        """One optimizer step on the next batch (a new epoch starts when needed).

        Does nothing while :attr:`stop` is set (see :meth:`resume`).
        """
        with np.errstate(all="ignore"):  # inf and nan are reported, not warned
            return self._step_batch()

    def _step_batch(self) -> StepReport:
        if self.stop is not None:
            return self._report(np.zeros(0, dtype=np.intp), math.nan, False)
        if self._order is None:
            self._order = self.rng.permutation(self.n_train)
            self._cursor = 0
        order = self._order
        rows = self.train_index[order[self._cursor : self._cursor + self.batch_size]]
        X = self.X[rows]
        targets = self.targets[:, rows]
        masks = None
        rate = self.config.dropout
        if rate > 0.0:
            masks = dropout.sample(self.rng, rate, self.network.n_units, rows.size)
        theta = self._weights
        lr = self.optimizer.lr
        loss, grads = self.network.loss_and_grads(theta, X, targets, masks)
        penalty, penalty_grad = self.network.penalty(
            theta, self.config.l1, self.config.l2
        )
        objective = loss + penalty
        grads += penalty_grad
        if not math.isfinite(objective):
            return self._blow("the batch loss", objective, theta, rows)
        if not np.isfinite(grads).all():
            bad = grads[~np.isfinite(grads)][0]
            return self._blow("the gradient", float(bad), theta, rows)
        growing = self._growing(objective)
        if growing:
            return self._blow_finite("the batch loss", objective, growing, theta, rows)
        for p, g in zip(self.params, grads.tolist()):
            p.grad = g
        new = self.optimizer.step_flat(theta, grads)  # whole arrays, not Values
        if not np.isfinite(new).all():
            self.network.set_weights(theta)
            bad = new[~np.isfinite(new)][0]
            return self._blow("the weights after the step", float(bad), theta, rows)
        largest = float(np.abs(new).max(initial=0.0))
        if largest > EXPLODED_WEIGHT:
            self.network.set_weights(theta)
            what = self._exploding(theta, new, lr)
            where = "the largest weight after the step"
            return self._blow_finite(where, largest, what, theta, rows, new)
        self.network.set_weights(new)
        self._weights = _frozen(new)
        self.step += 1
        self._cursor += rows.size
        self.steps.append(
            step=self.step,
            epoch=self.epoch + self._cursor / order.size,
            loss=objective,
            lr=lr,
        )
        ended = self._cursor >= order.size
        if ended:
            self._end_epoch()
        if self.step % self._interval == 0:
            self._take_snapshot()
        return self._report(rows, objective, ended, lr)

    def step_epoch(self) -> StepReport:
        """Steps until the current epoch ends (or training stops)."""
        while True:
            report = self.step_batch()
            if report.epoch_ended or self.stop is not None:
                return report

    def train(
        self, epochs: int, should_continue: Callable[[], bool] | None = None
    ) -> int:
        """Up to ``epochs`` epochs; returns how many ended. ``should_continue``
        is asked before every step (a worker's cancel flag)."""
        done = 0
        while done < epochs and self.stop is None:
            if should_continue is not None and not should_continue():
                break
            if self.step_batch().epoch_ended:
                done += 1
        return done

    def train_for(
        self, seconds: float, should_continue: Callable[[], bool] | None = None
    ) -> int:
        """Steps for about ``seconds`` (at least one step unless stopped or
        cancelled); returns how many were taken.

        What a "Play" worker runs between frames: train for 1/25 s, then
        draw the boundary at the new weights (:func:`.probe.boundary`) in the
        same thread, so training and drawing never compete for the
        interpreter.
        """
        start, first = time.perf_counter(), self.step
        while self.stop is None:
            if should_continue is not None and not should_continue():
                break
            self.step_batch()
            if time.perf_counter() - start >= seconds:
                break
        return self.step - first

    def resume(self) -> None:
        """Clear :attr:`stop` so training can go on (after early stopping, say)."""
        self.stop = None
        self._bad_epochs = 0

    def _report(self, rows, loss, ended, lr=None) -> StepReport:
        return StepReport(
            self.step,
            self.epoch,
            loss,
            self.optimizer.lr if lr is None else lr,
            rows,
            ended,
            self.stop,
        )

    def _end_epoch(self) -> None:
        self.epoch += 1
        self._order = None
        self._cursor = 0
        evaluation = self.evaluate()
        watched = self._watched(evaluation)
        if self.scheduler is not None and math.isfinite(watched):
            if isinstance(self.scheduler, ReduceLROnPlateau):
                self.scheduler.step(watched)
            else:
                self.scheduler.step()
        self._record_evaluation()
        for name, value, index in (
            ("the training loss", evaluation.train_loss, self.train_index),
            ("the test loss", evaluation.test_loss, self.test_index),
        ):
            if index.size and not math.isfinite(value):
                self._blow(name, value, self._weights, index, self.step)
                return
        best_loss, _, _ = self._best
        if watched < best_loss - self.config.min_delta:
            self._best = (watched, self.epoch, self._weights)
            self._bad_epochs = 0
        else:
            self._bad_epochs += 1
        if self.config.early_stopping and self._bad_epochs >= self.config.patience:
            self._early_stop()
