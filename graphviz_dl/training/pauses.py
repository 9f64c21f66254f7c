"""Why training pauses: a loss or weights blowing up (finite or not),
explained in words with numbers, and early stopping (a mixin of
:class:`.trainer.Trainer`)."""

from __future__ import annotations

import math

import numpy as np

from ..numfmt import format_number
from . import blowup
from .results import StepReport, Stop, _n

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


class Pausing:
    """Detect a run that is blowing up or has stopped improving, and pause it."""

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
