"""The trainer's eyes: its network's answers, losses and accuracies on each
split, and the per-epoch record of them (a mixin of :class:`.trainer.Trainer`)."""

from __future__ import annotations

import math

import numpy as np

from .network import predictions
from .results import Evaluation, Prediction


class Evaluating:
    """Predictions and evaluations at the current (or given) weights."""

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
