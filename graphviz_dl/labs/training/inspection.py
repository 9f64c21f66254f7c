"""Looking inside the training lab's network at the weights shown: one
point's whole graph, its raw output, the loss on a plane around the weights
(a mixin of :class:`.model.TrainingModel`)."""

from __future__ import annotations

from ...engine import Value
from ...training import landscape, probe
from .planes import loss_plane
from .runs import sample_values as labelled_values


class Inspection:
    """What the explorer and the optimizer lab are sent from the training lab."""

    def sample_values(self, index: int) -> dict[str, Value]:
        """The scalar graph of point ``index`` at the weights shown (forward,
        loss; the explorer steps through backward)."""
        root = probe.sample_graph(self._trainer, index, params=self._frame.weights)
        return labelled_values(root)

    def prediction(self, index: int) -> float:
        """The network's raw output for point ``index`` at the weights shown."""
        x = self._trainer.X[index]
        return float(self._trainer.predict(x, self._frame.weights).outputs[0, 0])

    def loss_plane(
        self, mode: str = "random", first: str | None = None, second: str | None = None
    ) -> landscape.LossPlane:
        """The loss around the weights shown, on a plane (see :func:`.loss_plane`)."""
        return loss_plane(self._trainer, self._frame.weights, mode, first, second)
