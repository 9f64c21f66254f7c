"""The training lab's core: its state as a Qt-free model, and what it computes.

* :mod:`.model`: :class:`TrainingModel`, the lab's state with psygnal signals;
* :mod:`.runs`: the data menu, data specs, run names;
* :mod:`.frames`: one moment of a run ready to draw (boundary colours and line);
* :mod:`.curves`: log scales, ticks, thinning, picking;
* :mod:`.planes`: the loss around the weights on a plane;
* :mod:`.settings`: remembered settings, validated and bounded on load;
* :mod:`.serial`: the job-queue contract the model runs its work through.
"""

from .frames import Frame, RenderOptions, render_frame
from .model import TrainingModel
from .runs import DATASETS, SUGGESTED, DataSpec
from .serial import SerialQueue

__all__ = [
    "DATASETS",
    "SUGGESTED",
    "DataSpec",
    "Frame",
    "RenderOptions",
    "SerialQueue",
    "TrainingModel",
    "render_frame",
]
