"""The training lab's core: train a small network on 2-D data, rewind it, open it.

Qt-free. The lab window drives it from a worker thread; every piece here is
plain data or a plain object.

Start a run::

    from graphviz_dl import datasets
    from graphviz_dl.training import Trainer, TrainingConfig

    data = datasets.moons(200, noise=0.1, seed=0)
    trainer = Trainer(data, TrainingConfig(hidden=(8, 8), optimizer="adam",
                                           hyper={"lr": 0.03}))
    trainer.step_batch()          # one batch (the "Step" button)
    trainer.step_epoch()          # to the end of the epoch
    trainer.train(50, should_continue=lambda: not cancelled)

Read it (safe from the GUI thread while a worker trains):

* ``trainer.history`` (per epoch: losses, accuracies, penalty, lr, …) and
  ``trainer.steps`` (per step: batch loss, lr), columns as numpy arrays;
* ``trainer.weights`` (flat) and ``trainer.network.unpack(weights)``
  (``[(W, b)]`` per layer: the network diagram's edges);
* ``trainer.stop``: None, or why training paused (early stopping, or a
  blow-up explained in words: ``trainer.stop.message``);
* ``trainer.snapshots`` and ``trainer.restore(i)`` (the timeline);
  ``trainer.keep(label)`` for overlaying runs.

Draw it (:mod:`.probe`, each taking optional ``params=`` weights, e.g. a
snapshot's, so scrubbing the timeline changes nothing):

* ``boundary(trainer, resolution, extent)``: the decision boundary (or the
  regression curve) on a grid, through the compiled program;
* ``unit_maps(trainer, resolution)``: every hidden unit's output over the
  input plane (the diagram's tiny heat maps);
* ``sample_graph(trainer, index)``: the full scalar graph of one data point
  with its loss, for the graph explorer.

Loss surfaces (:mod:`.landscape`): ``LossPlane(trainer, d1, d2)`` over two
chosen weights (:func:`~.landscape.weight_directions`), two filter-normalized
random directions (:func:`~.landscape.random_directions`) or the run's two
main directions (:func:`~.landscape.pca_directions`), with the snapshots'
trajectory projected onto it and :meth:`~.landscape.LossPlane.as_surface` for
the optimizer lab.
"""

from .blowup import Blowup, Cause
from .config import TrainingConfig
from .history import RunRecord, Table
from .network import LOSSES_BY_TASK, Network
from .trainer import Evaluation, Prediction, Snapshot, StepReport, Stop, Trainer

__all__ = [
    "LOSSES_BY_TASK",
    "Blowup",
    "Cause",
    "Evaluation",
    "Network",
    "Prediction",
    "RunRecord",
    "Snapshot",
    "StepReport",
    "Stop",
    "Table",
    "Trainer",
    "TrainingConfig",
]
