"""A run that blew up neither chooses the loss axis nor stretches the picture."""

from __future__ import annotations

import numpy as np

from graphviz_dl.labs.optimizer.geometry import clip_to_box
from graphviz_dl.labs.optimizer.loss_axis import axis_range, clip_to_axis


def test_the_axis_is_chosen_by_the_healthy_runs():
    healthy = np.array([0.7, 0.2, -1.5])  # log10 values
    blown = np.array([0.5, 4.0, 38.6])
    _, lo, hi = axis_range(3, [healthy, blown], True, [True, False])
    assert (lo, hi) == (-2, 1)
    # with no healthy run, every curve counts
    assert axis_range(3, [blown], True, [False])[2] == 39


def test_a_diverged_curve_runs_along_the_edge():
    values = np.array([0.5, 4.0, np.inf, np.nan])
    clipped = clip_to_axis(values, -2.0, 1.0)
    assert clipped[:3].tolist() == [0.5, 1.0, 1.0] and np.isnan(clipped[3])


def test_a_diverged_path_stays_near_the_domain():
    pos = np.array([[-1.5, 2.0], [714.0, 64.0], [-1.4e9, 1e6], [np.nan, np.nan]])
    clipped = clip_to_box(pos, ((-2.0, 2.0), (-1.0, 3.0)))
    assert clipped[0].tolist() == [-1.5, 2.0]
    assert clipped[1].tolist() == [6.0, 7.0] and clipped[2].tolist() == [-6.0, 7.0]
    assert np.isnan(clipped[3]).all()
