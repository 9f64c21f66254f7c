"""Loss against step for every racing configuration, on a log axis when it can be.

When the surface knows its minimum value f*, the plot shows f − f*, which is what
"how far from done" means and keeps a log axis meaningful; a value that reaches f*
to machine precision is drawn at a floor instead of vanishing. Surfaces with no
known minimum and negative values fall back to a linear axis.

The axes move in whole steps (1-2-5 for the step count, whole decades for the
loss) rather than creeping every frame: easier to read while the race runs, and
the settled part of each curve stays a cached picture.
"""

from __future__ import annotations

import numpy as np
import pyqtgraph as pg
from PySide6.QtWidgets import QWidget

from graphviz_dl.labs.optimizer import LabModel
from graphviz_dl.labs.optimizer.loss_axis import (
    axis_range,
    clip_to_axis,
    log_values,
    needs_linear,
    nice_ceiling,
    offset_for,
)
from ui.common.plotting import SparseLogAxis, Trail, cache_static_parts, last_finite

__all__ = ["LossPlot", "nice_ceiling"]


class LossPlot(pg.PlotWidget):
    """One curve per configuration, updated in place with ``setData``."""

    def __init__(self, model: LabModel, parent: QWidget | None = None) -> None:
        super().__init__(parent, axisItems={"left": SparseLogAxis("left")})
        self.setObjectName("lossPlot")
        self._model = model
        self._offset = 0.0
        self._log = True
        self._range: tuple | None = None
        self.trails: list[Trail] = []
        self.values: list[tuple[np.ndarray, np.ndarray]] = []  # what is plotted
        plot = self.getPlotItem()
        plot.setMenuEnabled(False)
        plot.showGrid(x=False, y=True, alpha=0.2)
        plot.setLabel("bottom", "step")
        plot.getViewBox().disableAutoRange()
        self.legend = plot.addLegend(
            offset=(-8, 8), labelTextSize="8pt", labelTextColor="#e8e8e8", verSpacing=-6
        )
        self.legend.setBrush(pg.mkBrush(0, 0, 0, 150))
        cache_static_parts(plot, self.legend)
        self.diverged = pg.ScatterPlotItem(
            symbol="x",
            size=14,
            pen=pg.mkPen("w", width=1),
            brush=pg.mkBrush("#ff3b3b"),
            hoverable=True,
            tip=_marker_tip,
        )
        self.diverged.setZValue(20)
        plot.addItem(self.diverged)

        model.surfaceChanged.connect(self._update_axis)
        model.configsChanged.connect(self._update_items)
        model.raceReset.connect(self._on_reset)
        model.raceAdvanced.connect(self._update_curves)
        self._update_axis()
        self._update_items()

    @property
    def log_y(self) -> bool:
        return self._log

    @property
    def offset(self) -> float:
        """f*, subtracted from every loss before plotting (0 when unknown)."""
        return self._offset

    def curve_data(self, index: int) -> tuple[np.ndarray, np.ndarray]:
        """Steps and plotted values (f − f*, before any log) of configuration ``index``."""
        return self.values[index]

    def _update_axis(self) -> None:
        self._offset = offset_for(self._model.surface.min_value())
        self._set_log(True)

    def _set_log(self, log: bool) -> None:
        self._log = log
        self._range = None
        plot = self.getPlotItem()
        plot.getAxis("left").setLogMode(False, log)
        label = "f − f*" if self._offset else "f"
        plot.setLabel("left", label + (" (log)" if log else ""))

    def _on_reset(self) -> None:
        if not self._log:
            self._set_log(True)
        self._update_curves()

    def _update_items(self) -> None:
        configs = self._model.configs
        plot = self.getPlotItem()
        while len(self.trails) > len(configs):
            for item in self.trails.pop().items():
                plot.removeItem(item)
        while len(self.trails) < len(configs):
            self.trails.append(Trail(plot, 10, chunk=48 + 8 * (len(self.trails) % 8)))
        self.legend.clear()
        for trail, config in zip(self.trails, configs):
            trail.set_pen(pg.mkPen(config.colour, width=1.6))
            if config.enabled:
                self.legend.addItem(trail.tail, config.label)
        self._legend_texts: dict[int, str] = {}
        self._update_curves()

    def _update_curves(self) -> None:
        """Every curve, the axis chosen by the runs that did not diverge; a
        diverged curve clipped to it, with ✕ where it stopped."""
        self.values = []
        shown = []
        for i, trail in enumerate(self.trails):
            run = self._model.run(i)
            if run is None:
                trail.clear()
                self.values.append((np.empty(0), np.empty(0)))
                continue
            steps = np.arange(len(run.losses), dtype=np.float64)
            values = run.losses - self._offset
            if self._log and needs_linear(values, self._offset):
                self._set_log(False)  # negative values: no log axis
                return self._update_curves()
            self.values.append((steps, values))
            if self._log:
                values = log_values(values, self._offset)
            shown.append((i, steps, values, trail, run))
        self._fit_range(shown)
        lo, hi = self._range[1:] if self._range else (-np.inf, np.inf)
        pixel = tuple(self.getPlotItem().getViewBox().viewPixelSize())
        blown, reasons = [], []
        for i, steps, values, trail, run in shown:
            if run.diverged_at is not None:
                values = clip_to_axis(values, lo, hi)
                head = last_finite(values)
                blown.append((steps[head], values[head]))
                reasons.append(f"{self._model.configs[i].label}: {run.reason}")
            trail.show(steps, values, pixel)
            self._note_in_legend(i, run)
        self.diverged.setData(
            pos=np.array(blown, dtype=float).reshape(-1, 2), data=reasons
        )

    def _note_in_legend(self, index: int, run) -> None:
        """ "✕ step N" after a diverged run's name in the legend."""
        config = self._model.configs[index]
        text = config.label
        if run.diverged_at is not None:
            text += f" ✕ step {run.diverged_at}"
        if self._legend_texts.get(index) == text:
            return
        self._legend_texts[index] = text
        for sample, label in self.legend.items:
            if sample.item is self.trails[index].tail:
                label.setText(text)

    def legend_text(self, index: int) -> str:
        """What the legend says of configuration ``index``."""
        return self._legend_texts.get(index, self._model.configs[index].label)

    def _fit_range(self, shown) -> None:
        """Step axis to a 1-2-5 ceiling, value axis to whole decades (or a
        margin), from the runs that did not diverge."""
        steps = max((len(s) - 1 for _, s, _, _, _ in shown), default=0)
        wanted = axis_range(
            steps,
            [v for _, _, v, _, _ in shown],
            self._log,
            [r.diverged_at is None for *_, r in shown],
        )
        if wanted != self._range:
            self._range = wanted
            self.getPlotItem().getViewBox().setRange(
                xRange=(0, wanted[0]), yRange=wanted[1:], padding=0.02
            )


def _marker_tip(x: float, y: float, data) -> str:
    """A ✕ marker's tooltip: whose run stopped, and why."""
    return str(data)
