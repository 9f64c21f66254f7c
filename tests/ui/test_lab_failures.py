"""Optimizer lab: a run that fails leaves the others readable and says why."""

from __future__ import annotations

import re

import numpy as np
import pytest


@pytest.fixture
def lab(open_lab):
    return open_lab(1280, 800)


def test_a_diverging_racer_leaves_the_loss_plot_readable(lab, race):
    model = race(
        "rosenbrock",
        (("sgd", {"lr": 0.01}), ("sgd", {"lr": 1e-3}), ("adam", {"lr": 0.05})),
    )
    lab.advance(100)
    blown = model.run(0)
    assert blown.diverged_at is not None and np.nanmax(blown.losses) > 1e30
    plot = lab.loss_plot
    (_, _), (y0, y1) = plot.getPlotItem().getViewBox().viewRange()
    healthy = np.log10(np.concatenate([model.run(1).losses, model.run(2).losses]))
    assert y0 >= healthy.min() - 3 and y1 <= healthy.max() + 3
    # the diverged curve is drawn up to the edge, with ✕ where it stopped
    _, drawn = plot.trails[0].data()
    assert np.nanmax(drawn) <= y1
    marker = plot.diverged.data[0]
    assert marker["x"] == blown.diverged_at
    assert blown.reason in marker["data"]
    assert plot.legend_text(0).endswith(f"✕ step {blown.diverged_at}")


def test_an_svg_of_a_diverged_race_is_not_stretched(lab, race, tmp_path):
    race("rosenbrock", (("sgd", {"lr": 0.01}), ("adam", {"lr": 0.05})))
    lab.advance(50)
    xs, ys = lab.surface_view.drawn_path(0)
    assert np.nanmax(np.abs(xs)) <= 6 and np.nanmax(np.abs(ys)) <= 7
    svg = tmp_path / "race.svg"
    lab.export_image(str(svg))
    paths = re.findall(r' d="([^"]*)"', svg.read_text())
    numbers = [abs(float(v)) for d in paths for v in re.findall(r"[-+.\deE]+", d)]
    assert numbers and max(numbers) < 1e5
