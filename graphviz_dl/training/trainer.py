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

A trainer is driven by one thread at a time (the lab's worker); between
calls it may be paused, rewound or dropped at any point, since every call
leaves it consistent.
"""

from __future__ import annotations

import copy
import math
import time
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

from ..numfmt import format_number
from ..optimizer_menu import (
    SCHEDULES,
    make_optimizer,
    optimizer_spec,
    parse_schedule,
    set_hyperparameter,
)
from ..schedulers import ReduceLROnPlateau
from . import blowup, dropout, live
from .config import TrainingConfig
from .history import EPOCH_COLUMNS, STEP_COLUMNS, RunRecord, Table
from .network import Network, encode_targets, predictions
from .snapshots import Snapshot, pack_state, scheduler_state, unpack_state

FINITE_GROWTH = 1e6
"""A batch objective this many times the untrained network's counts as blowing
up though still finite. Healthy runs of the built-in sets stay within about
60 times it (the worst seen: the line set with Adam at lr = 1); lr = 1e10
reaches 1e10 times it within a few steps."""
GROWTH_STEPS = 3
"""Steps in a row above :data:`FINITE_GROWTH` before pausing (one noisy batch
is not a blow-up)."""
EXPLODED_WEIGHT = blowup.EXPLODING
"""A weight beyond this (in size) after a step counts as exploded: healthy runs
keep every |w| below about 100; at lr = 1e10 one Adam step moves each weight
by about 1e10."""


@dataclass(frozen=True)
class Evaluation:
    """Losses (data loss, dropout off) and accuracies over each split."""

    train_loss: float
    test_loss: float
    train_accuracy: float
    test_accuracy: float
    penalty: float


@dataclass(frozen=True)
class Prediction:
    """The network's raw ``outputs`` ``[n, n_outputs]``, ``probabilities``
    (``[n, classes]`` or None) and predicted ``classes`` (``[n]`` or None)."""

    outputs: np.ndarray
    probabilities: np.ndarray | None
    classes: np.ndarray | None


@dataclass(frozen=True)
class Stop:
    """Why training paused: ``kind`` is ``"early_stopping"`` or ``"blowup"``."""

    kind: str
    message: str
    blowup: blowup.Blowup | None = None


@dataclass(frozen=True)
class StepReport:
    """What one step did: for a progress signal."""

    step: int
    epoch: int
    loss: float
    lr: float
    batch: np.ndarray
    epoch_ended: bool
    stop: Stop | None


def _n(x: float) -> str:
    return format_number(x, 3)


def _frozen(array: np.ndarray) -> np.ndarray:
    array.flags.writeable = False
    return array


class Trainer:
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

    def set_learning_rate(self, lr: float) -> None:
        """Change the learning rate from the next step on (a schedule continues from it)."""
        self.set_hyper("lr", lr)

    def set_hyper(self, name: str, value: float) -> None:
        """Change one optimizer hyperparameter from the next step on; the
        optimizer keeps its moments and a schedule continues from a new ``lr``.

        Recorded as a live change (see :meth:`apply_config`). ValueError names
        the hyperparameter and the values it may take; nothing changes then.
        """
        checked = optimizer_spec(self.config.optimizer).hyper(name).check(value)
        self.apply_config(self.config.with_changes(**{name: checked}))

    def _set_hyper(self, name: str, value: float) -> None:
        set_hyperparameter(
            self.optimizer,
            name,
            value,
            kind=self.config.optimizer,
            scheduler=self.scheduler,
        )

    def apply_config(self, config: TrainingConfig) -> live.LiveChange | None:
        """Take ``config``'s optimizer, hyperparameters, penalties, dropout,
        batch size, schedule and early stopping from the next step on: the
        weights, the step counter and the optimizer's moments continue.

        The change is recorded in :attr:`changes` (rewinding before it undoes
        it; before the first step the run simply starts with it) and clears a pause, so a blown-up run can go on with a smaller
        learning rate. ValueError, in words, when ``config`` needs a new run
        or does not fit the data.
        """
        if live.needs_new_run(self.config, config):
            raise ValueError(
                "a new network shape, activation, loss, initialization or seed "
                "needs a new run"
            )
        if config.early_stopping and not self.test_index.size:
            raise ValueError(
                "early stopping watches the test loss, and there are no test points"
            )
        what = live.differences(self.config, config)
        self._set_config(config)
        if not what:
            return None
        if self.step == 0:
            self._restart_records()
            return None
        change = live.LiveChange(self.step, self.epoch, what)
        self.changes.append(change)
        self.stop = None
        self._high_steps = 0
        return change

    def _set_config(self, config: TrainingConfig) -> None:
        old, self.config = self.config, config
        if config.optimizer != old.optimizer:
            self.optimizer = make_optimizer(
                config.optimizer, dict(config.hyper), self.params
            )
            self._make_scheduler()
            return
        before, after = old.hyper_dict, config.hyper_dict
        for name, value in after.items():
            if before.get(name) != value:
                self._set_hyper(name, value)
        if config.schedule != old.schedule:
            self.optimizer.lr = config.lr
            self._make_scheduler()

    def _restart_records(self) -> None:
        """Nothing trained yet: the run starts with the settings now in force
        (epoch 0, its snapshot and the early-stopping mark say so)."""
        self.history.truncate(0)
        first = self._record_evaluation()
        self._start_objective = first.train_loss + first.penalty
        self._best = (self._watched(first), 0, self._weights)
        self.snapshots.clear()
        self._take_snapshot()

    def _make_scheduler(self) -> None:
        self.scheduler = None
        if self.config.schedule:
            kind, args = parse_schedule(self.config.schedule)
            self.scheduler = SCHEDULES[kind][0](self.optimizer, **args)

    # --- evaluation -------------------------------------------------------------------------
    def predict(self, X, params: np.ndarray | None = None) -> Prediction:
        """The network's answer for the rows of X (dropout off)."""
        theta = (
            self._weights if params is None else np.asarray(params, dtype=np.float64)
        )
        X = np.asarray(X, dtype=np.float64).reshape(-1, self.X.shape[1])
        outputs = self.network.outputs(theta, X)
        probabilities, classes = predictions(self.loss_name, outputs)
        return Prediction(outputs, probabilities, classes)

    def sample_losses(self, params: np.ndarray | None = None) -> np.ndarray:
        """The data loss of every point at the given (default: current) weights."""
        theta = (
            self._weights if params is None else np.asarray(params, dtype=np.float64)
        )
        return self.network.outputs_and_losses(theta, self.X, self.targets)[1]

    def evaluate(self, params: np.ndarray | None = None) -> Evaluation:
        """Mean loss and accuracy on each split, dropout off."""
        theta = (
            self._weights if params is None else np.asarray(params, dtype=np.float64)
        )
        with np.errstate(all="ignore"):
            return self._evaluate(theta)

    def _evaluate(self, theta: np.ndarray) -> Evaluation:
        outputs, per_sample = self.network.outputs_and_losses(
            theta, self.X, self.targets
        )
        _, classes = predictions(self.loss_name, outputs)
        penalty, _ = self.network.penalty(theta, self.config.l1, self.config.l2)

        def mean(values: np.ndarray, index: np.ndarray) -> float:
            return float(values[index].mean()) if index.size else math.nan

        def accuracy(index: np.ndarray) -> float:
            if classes is None or not index.size:
                return math.nan
            return float((classes[index] == self.y[index]).mean())

        return Evaluation(
            mean(per_sample, self.train_index),
            mean(per_sample, self.test_index),
            accuracy(self.train_index),
            accuracy(self.test_index),
            penalty,
        )

    def _watched(self, evaluation: Evaluation) -> float:
        """The loss early stopping and the plateau schedule watch."""
        if self.test_index.size:
            return evaluation.test_loss
        return evaluation.train_loss

    def _record_evaluation(self) -> Evaluation:
        evaluation = self.evaluate()
        weights = self._weights[self.network.is_weight]
        with np.errstate(all="ignore"):
            norm = float(np.sqrt((weights * weights).sum()))
        self.history.append(
            epoch=self.epoch,
            step=self.step,
            train_loss=evaluation.train_loss,
            test_loss=evaluation.test_loss,
            train_accuracy=evaluation.train_accuracy,
            test_accuracy=evaluation.test_accuracy,
            penalty=evaluation.penalty,
            weight_norm=norm,
            lr=self.optimizer.lr,
        )
        return evaluation

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

    # --- finite blow-ups ------------------------------------------------------------------
    def _growing(self, objective: float) -> str:
        """Why ``objective`` counts as blowing up (in words), or ""."""
        start = max(self._start_objective, 1e-12)
        if objective > FINITE_GROWTH * start:
            self._high_steps += 1
        else:
            self._high_steps = 0
            self._lowest_objective = min(self._lowest_objective, objective)
        if self._high_steps < GROWTH_STEPS:
            return ""
        lowest = self._lowest_objective
        since = f" and its lowest so far {_n(lowest)}" if math.isfinite(lowest) else ""
        return (
            f"That is {_n(objective / start)} times the untrained network's loss "
            f"{_n(start)}{since}; it has been over {_n(FINITE_GROWTH)} times it for "
            f"{self._high_steps} steps in a row, with the learning rate "
            f"lr = {_n(self.optimizer.lr)}."
        )

    def _exploding(self, theta: np.ndarray, new: np.ndarray, lr: float) -> str:
        moved = float(np.abs(new - theta).max(initial=0.0))
        now = float(np.abs(theta).max(initial=0.0))
        return (
            f"This step with the learning rate lr = {_n(lr)} would move a weight "
            f"by {_n(moved)}; the largest |w| is {_n(now)} now, and a healthy "
            "network keeps it within about 100."
        )

    def _blow_finite(
        self,
        where: str,
        value: float,
        why: str,
        theta: np.ndarray,
        rows,
        explain_at: np.ndarray | None = None,
    ) -> StepReport:
        """Pause at ``theta`` (the step is not taken), explained: ``why`` in
        words with its numbers, then what the diagnosis at ``explain_at``
        (default ``theta``) finds and suggests."""
        step = self.step + 1
        at = theta if explain_at is None else explain_at
        diagnosis = blowup.explain(
            self, where=where, value=value, theta=at, rows=rows, step=step
        )
        head = (
            f"Training paused at step {step} (epoch {self.epoch}): {where} "
            f"became {_n(value)}, still a number but blowing up."
        )
        causes = [c.text for c in diagnosis.causes if c.kind != "unknown"]
        message = " ".join([head, why, *causes, diagnosis.advice])
        self._high_steps = 0
        self.stop = Stop("blowup", message, diagnosis)
        return self._report(rows, value, False)

    def _early_stop(self) -> None:
        best_loss, best_epoch, best_weights = self._best
        message = (
            f"Early stopping at epoch {self.epoch}: the test loss has not improved "
            f"for {self._bad_epochs} epochs (best {format_number(best_loss, 4)} "
            f"at epoch {best_epoch})."
        )
        if self.config.restore_best and best_epoch != self.epoch:
            self.network.set_weights(best_weights)
            self._weights = best_weights
            message += f" The weights are back to those of epoch {best_epoch}."
        self.stop = Stop("early_stopping", message)

    def _blow(
        self, where: str, value: float, theta: np.ndarray, rows, step: int | None = None
    ) -> StepReport:
        step = self.step + 1 if step is None else step
        diagnosis = blowup.explain(
            self, where=where, value=value, theta=theta, rows=rows, step=step
        )
        self.stop = Stop("blowup", diagnosis.message, diagnosis)
        return self._report(rows, value, False)

    # --- snapshots ---------------------------------------------------------------------------
    def _take_snapshot(self) -> None:
        opt = self.optimizer
        self.snapshots.append(
            Snapshot(
                step=self.step,
                epoch=self.epoch,
                loss=self.steps.last("loss")
                if len(self.steps)
                else self.history.last("train_loss"),
                weights=self._weights,
                lr=opt.lr,
                optimizer_state=pack_state(opt.state, self.params),
                scheduler_state=scheduler_state(self.scheduler),
                rng_state=copy.deepcopy(self.rng.bit_generator.state),
                order=None if self._order is None else self._order.copy(),
                cursor=self._cursor,
                epoch_rows=len(self.history),
                step_rows=len(self.steps),
                best=self._best,
                bad_epochs=self._bad_epochs,
                config=self.config,
                changes=len(self.changes),
            )
        )
        if len(self.snapshots) > self.config.max_snapshots:
            self.snapshots = self.snapshots[::2]
            self._interval *= 2

    def snapshot_index(self, step: int) -> int:
        """The latest snapshot taken at or before ``step``."""
        steps = [s.step for s in self.snapshots]
        return max(0, int(np.searchsorted(steps, step, side="right")) - 1)

    def restore(self, index: int) -> None:
        """Go back to snapshot ``index``: weights, settings, optimizer and
        schedule state, random generator, position in the epoch and histories
        as they were (live changes made since are undone).

        Later snapshots and history rows are dropped (keep the run first with
        :meth:`keep` to compare); training continues from there exactly as it
        went the first time, until a setting differs.
        """
        snap = self.snapshots[index]
        if snap.config is not None and snap.config != self.config:
            self._set_config(snap.config)
        del self.changes[snap.changes :]
        self.network.set_weights(snap.weights)
        self._weights = snap.weights
        self.optimizer.state = unpack_state(snap.optimizer_state, self.params)
        self.optimizer.lr = snap.lr
        if self.scheduler is not None and snap.scheduler_state is not None:
            vars(self.scheduler).update(copy.deepcopy(snap.scheduler_state))
        self.rng.bit_generator.state = copy.deepcopy(snap.rng_state)
        self.step = snap.step
        self.epoch = snap.epoch
        self._order = None if snap.order is None else snap.order.copy()
        self._cursor = snap.cursor
        if self._order is not None and self._order.size != self.n_train:
            self._order, self._cursor = None, 0  # the data changed since: new epoch
        self.history.truncate(snap.epoch_rows)
        self.steps.truncate(snap.step_rows)
        self._best = snap.best
        self._bad_epochs = snap.bad_epochs
        del self.snapshots[index + 1 :]
        self._high_steps = 0
        self.stop = None

    def keep(self, label: str = "") -> RunRecord:
        """This run's curves and settings, to overlay with later runs."""
        return RunRecord(
            label=label
            or f"{self.config.optimizer} lr={format_number(self.config.lr)}",
            config=self.config,
            dataset=self.dataset_name,
            epochs=self.history.as_dict(),
            steps=self.steps.as_dict(),
            stop_message="" if self.stop is None else self.stop.message,
        )
