"""Settings changed while the run goes on: learning rate and other
hyperparameters, optimizer, penalties, dropout, batch size, schedule, from
the next step on (a mixin of :class:`.trainer.Trainer`)."""

from __future__ import annotations

from ..optimizer_menu import (
    SCHEDULES,
    make_optimizer,
    optimizer_spec,
    parse_schedule,
    set_hyperparameter,
)
from . import live
from .config import TrainingConfig


class LiveSettings:
    """Apply a new config to the running network, recorded as a live change."""

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
