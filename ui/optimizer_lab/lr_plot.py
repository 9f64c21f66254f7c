"""The learning rate each racer used, step by step, under the loss plot.

A schedule changes lr while the race runs; drawn against the same step axis as
the loss, a drop in lr lines up with what it did to the loss. The y axis is
logarithmic: racers' rates differ by decades and schedules decay geometrically.
The line search picks its own step and has no lr to draw.
"""

from __future__ import annotations

import numpy as np
import pyqtgraph as pg
from PySide6.QtWidgets import QWidget

from graphviz_dl.labs.optimizer import LabModel
from graphviz_dl.numfmt import format_number
from ui.common.plotting import cache_static_parts

LR_FLOOR = 1e-12  # a cosine reaches 0: drawn at the floor on the log axis


class LrPlot(pg.PlotWidget):
    """One lr curve per racing configuration, its x axis linked to the loss plot."""

    def __init__(
        self, model: LabModel, x_link: pg.PlotWidget, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.setObjectName("lrPlot")
        self._model = model
        self.curves: list[pg.PlotCurveItem] = []
        plot = self.getPlotItem()
        plot.setMenuEnabled(False)
        plot.showGrid(x=False, y=True, alpha=0.2)
        plot.setLabel("left", "lr (log)")
        plot.setXLink(x_link.getPlotItem())
        plot.getViewBox().disableAutoRange(axis="y")
        self._decades: tuple[int, int] | None = None
        plot.getViewBox().setMouseEnabled(x=False, y=False)
        cache_static_parts(plot)
        self.setMinimumHeight(70)

        model.configsChanged.connect(self._update_items)
        model.raceReset.connect(self._update_curves)
        model.raceAdvanced.connect(self._update_curves)
        self._update_items()

    def curve_data(self, index: int) -> tuple[np.ndarray, np.ndarray]:
        """Steps and learning rates drawn for configuration ``index``."""
        run = self._model.run(index)
        if run is None:
            return np.empty(0), np.empty(0)
        return np.arange(len(run.lrs), dtype=np.float64), run.lrs.copy()

    def _update_items(self) -> None:
        plot = self.getPlotItem()
        configs = self._model.configs
        while len(self.curves) > len(configs):
            plot.removeItem(self.curves.pop())
        while len(self.curves) < len(configs):
            curve = pg.PlotCurveItem(connect="finite")
            plot.addItem(curve)
            self.curves.append(curve)
        for curve, config in zip(self.curves, configs):
            curve.setPen(pg.mkPen(config.colour, width=1.4))
        self._update_curves()

    def _update_curves(self) -> None:
        shown = []
        for i, curve in enumerate(self.curves):
            steps, lrs = self.curve_data(i)
            if not np.isfinite(lrs).any():  # off, or the line search
                curve.setData([], [])
                continue
            with np.errstate(all="ignore"):
                logs = np.log10(np.maximum(lrs, LR_FLOOR))
            curve.setData(steps, logs)
            shown.append(logs[np.isfinite(logs)])
        self._fit_decades(shown)

    def _fit_decades(self, shown: list[np.ndarray]) -> None:
        """The y axis to whole decades: labels 0.01, 0.1, 1 rather than a crowd
        of minor ticks, and no creeping while a schedule decays."""
        if not shown:
            return
        lo = int(np.floor(min(float(v.min()) for v in shown)))
        hi = int(np.ceil(max(float(v.max()) for v in shown)))
        decades = (lo, max(hi, lo + 1))
        if decades != self._decades:
            self._decades = decades
            plot = self.getPlotItem()
            every = max(1, -(-(decades[1] - lo) // 3))  # at most four labels
            ticks = [
                (d, format_number(10.0**d, 2))
                for d in range(decades[1], lo - 1, -every)
            ]
            plot.getAxis("left").setTicks([ticks, []])  # decades only: it is small
            plot.getViewBox().setYRange(*decades, padding=0.2)  # room for labels
