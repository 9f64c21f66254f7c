"""The trainer's memory: snapshots every few steps, going back to one
exactly, and keeping a finished run to compare (a mixin of
:class:`.trainer.Trainer`)."""

from __future__ import annotations

import copy

import numpy as np

from ..numfmt import format_number
from .history import RunRecord
from .snapshots import Snapshot, pack_state, scheduler_state, unpack_state


class Rewinding:
    """Snapshots, :meth:`restore` and :meth:`keep`."""

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
