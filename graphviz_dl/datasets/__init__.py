"""Toy data for the training lab: 2-D classification sets and a 1-D regression set.

Every generator draws from ``numpy.random.default_rng(seed)`` in a fixed
order: first the clean positions, then standard-normal noise scaled by
``noise``, then the train/test split. So the same seed always gives the same
points; moving the noise slider moves the same points further from their
clean place (it never re-deals them); changing the test fraction never moves
a point.

=============  ==========  ===========================================================
name           task        shape
=============  ==========  ===========================================================
``moons``      binary      two interleaved half circles
``circles``    binary      a ring around a disc (radius 1 and 0.5)
``xor``        binary      the four quadrants, label 1 where x₀·x₁ > 0
``spiral``     binary      two spirals of 1.75 turns, half a turn apart
``blobs``      binary or   2 or 3 Gaussian clusters on a circle of radius 1
               multiclass  (``noise`` is the clusters' standard deviation)
``line``       regression  y = slope·x + intercept plus noise, x in [−1, 1]
=============  ==========  ===========================================================

A :class:`Dataset` holds ``X`` ``[n, d]`` (float64), ``y`` ``[n]`` (class
indices as int64, or float64 targets), its ``task`` and the indices of the
training and test points. Points can be added (a click in the lab) or
removed, and the whole set saved to and loaded from CSV; a file that cannot
be read is reported with its name, line and field (:class:`DatasetFileError`).
"""

from .csv_labels import LabelQuestion, labels_as_classes
from .csv_reader import parse_csv, read_csv
from .dataset import TASKS, Dataset, DatasetFileError
from .generators import (
    DEFAULT_NOISE,
    GENERATORS,
    XOR_PADDING,
    blobs,
    circles,
    empty,
    line,
    make_dataset,
    moons,
    spiral,
    xor,
)

__all__ = [
    "DEFAULT_NOISE",
    "GENERATORS",
    "TASKS",
    "XOR_PADDING",
    "Dataset",
    "DatasetFileError",
    "LabelQuestion",
    "blobs",
    "circles",
    "empty",
    "labels_as_classes",
    "line",
    "make_dataset",
    "moons",
    "parse_csv",
    "read_csv",
    "spiral",
    "xor",
]
