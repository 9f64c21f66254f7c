"""Each racer's internals drawn at its head on the 2-D map ("Show internals").

Adagrad, RMSprop, Adam and Adadelta get an axis-aligned ellipse whose
semi-axes are the step each coordinate takes per unit of gradient (the
larger scaled to a fixed size, so the shape shows which way the optimizer
stretches its steps); momentum and Nesterov get a dotted velocity arrow
(−lr·buffer, the longest of all racers a fixed length). The numbers are in
each racer's row. Values come from :meth:`graphviz_dl.race.Run.internals`.
"""

from __future__ import annotations

import math

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import Qt

from graphviz_dl.labs.optimizer.geometry import (
    Pixel,
    arrow,
    ellipse,
    ellipse_axes,
    last_finite,
)

ELLIPSE_PX = 26.0  # the longer semi-axis of every step-size ellipse
VELOCITY_PX = 60.0  # the longest velocity arrow
ARROWS_KEY = "━ last step (velocity) &nbsp; ╍ −∇f (downhill)"
INTERNALS_KEY = "◯ step per unit ∇ along x and y &nbsp; ┈ velocity (−lr·buffer)"


def key_html(arrows: bool, internals: bool) -> str:
    """The key in the corner of the map to what is drawn at the heads."""
    lines = [k for k, on in ((ARROWS_KEY, arrows), (INTERNALS_KEY, internals)) if on]
    return f"<span style='font-size:9pt'>{'<br>'.join(lines)}</span>"


class InternalsLayer:
    """A step-size ellipse and a velocity arrow per racer, over the paths."""

    def __init__(self, plot: pg.PlotItem) -> None:
        self._plot = plot
        self.ellipses: list[pg.PlotCurveItem] = []
        self.velocities: list[pg.PlotCurveItem] = []
        self._colours: list[str] = []
        self.visible = False
        self._drawn = False

    def draw(self, model, pixel: Pixel) -> None:
        """Redraw every racer's internals (or hide them all when not visible)."""
        configs = model.configs
        self._fit(len(configs))
        if not (self.visible and pixel[0] > 0 and pixel[1] > 0):
            if self._drawn:  # once: a race with internals off pays nothing
                for item in (*self.ellipses, *self.velocities):
                    item.setData([], [])
                self._drawn = False
            return
        self._drawn = True
        found = [self._internals(model, i) for i in range(len(configs))]
        speeds = [
            math.hypot(v[0] / pixel[0], v[1] / pixel[1])
            for _, i in filter(None, found)
            if (v := i.velocity) is not None and all(map(math.isfinite, v))
        ]
        fastest = max(speeds, default=0.0)
        for k, config in enumerate(configs):
            self._colour(k, config.colour)
            ring_xy = shaft_xy = (np.empty(0), np.empty(0))
            if found[k] is not None:
                head, internals = found[k]
                if internals.effective_step is not None:
                    axes = ellipse_axes(internals.effective_step, ELLIPSE_PX)
                    ring_xy = ellipse(head, axes, pixel)
                velocity = internals.velocity
                if velocity is not None and fastest > 0:
                    px = np.array([velocity[0] / pixel[0], velocity[1] / pixel[1]])
                    length = VELOCITY_PX * math.hypot(*px) / fastest
                    shaft_xy = arrow(head, px, length, pixel)
            self.ellipses[k].setData(*ring_xy)
            self.velocities[k].setData(*shaft_xy)

    def _colour(self, k: int, colour: str) -> None:
        if self._colours[k] != colour:
            self._colours[k] = colour
            self.ellipses[k].setPen(pg.mkPen(colour, width=2))
            style = Qt.PenStyle.DotLine
            self.velocities[k].setPen(pg.mkPen(colour, width=3, style=style))

    def drawn(self, index: int) -> dict[str, int]:
        """How many points the ellipse and the velocity arrow of ``index`` have."""
        return {
            "ellipse": _points(self.ellipses[index]),
            "velocity": _points(self.velocities[index]),
        }

    def _internals(self, model, index: int):
        run = model.run(index)
        if run is None or run.diverged_at is not None:
            return None
        head = run.positions[last_finite(run.positions)]
        return head, run.internals()

    def _fit(self, n: int) -> None:
        while len(self.ellipses) > n:
            self._plot.removeItem(self.ellipses.pop())
            self._plot.removeItem(self.velocities.pop())
            self._colours.pop()
        while len(self.ellipses) < n:
            ring = pg.PlotCurveItem()
            shaft = pg.PlotCurveItem(connect="pairs")
            for z, item in ((18, ring), (19, shaft)):
                item.setZValue(z)
                self._plot.addItem(item, ignoreBounds=True)
            self.ellipses.append(ring)
            self.velocities.append(shaft)
            self._colours.append("")


def _points(item: pg.PlotCurveItem) -> int:
    x = item.getData()[0]
    return 0 if x is None else len(x)
