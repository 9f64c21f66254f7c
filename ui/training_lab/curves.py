"""Loss, accuracy and learning rate against epoch, for the run and the kept runs.

Three stacked plots share the epoch axis. The loss plot (log scale, its ticks
labelled even when the loss moves within one decade) shows the training and
test loss after every epoch and, faint, every batch's loss;
kept runs are overlaid dashed for comparison. Hovering reads out the exact
numbers of the nearest epoch; otherwise the read-out shows the latest ones.
A vertical line marks the moment the timeline shows.

Items are made once and updated with ``setData``; while training plays, the
curves are redrawn at most :data:`MAX_RATE` times a second.
"""

from __future__ import annotations

import html
import math
import time

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QWidget

from graphviz_dl.labs.training import TrainingModel
from graphviz_dl.labs.training.curves import (
    kept_curve,
    log10_floored,
    log_ticks,
    lr_staircase,
    nearest_row,
    thinned,
)
from graphviz_dl.numfmt import format_number
from ui.common.plotting import cache_static_parts

MAX_RATE = 12.0  # curve redraws per second while playing
KEPT_COLOURS = ("#8e44ad", "#16a085", "#d35400", "#2c3e50", "#c0392b", "#7f8c8d")
TRAIN_PEN = pg.mkPen("#1f5fa8", width=2)
TEST_PEN = pg.mkPen("#e0701b", width=2)
BATCH_PEN = pg.mkPen((120, 120, 120, 90), width=1)


def _percent(value: float) -> str:
    return "—" if not math.isfinite(value) else f"{format_number(100 * value, 3)} %"


CHANGE_PEN = pg.mkPen("#c0392b", width=1.2, style=Qt.PenStyle.DashLine)
_LABEL = {"position": 0.1, "color": "#c0392b", "anchors": [(0, 1), (0, 1)]}


class TrainingCurves(pg.GraphicsLayoutWidget):
    """The run's learning curves, redrawn from the trainer's histories."""

    def __init__(self, model: TrainingModel, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("lossCurves")
        self.setBackground("w")
        self._model = model
        self._last_draw = 0.0
        self._hover_epoch: float | None = None
        self.readout = pg.LabelItem(justify="left", color="#222", size="8pt")
        self.addItem(self.readout, row=0, col=0)
        self.loss_plot = self.addPlot(row=1, col=0)
        self.accuracy_plot = self.addPlot(row=2, col=0)
        self.lr_plot = self.addPlot(row=3, col=0)
        self.ci.layout.setRowStretchFactor(1, 5)
        self.ci.layout.setRowStretchFactor(2, 3)
        self.ci.layout.setRowStretchFactor(3, 2)
        self._style_plots()
        self._make_items()
        self._later = QTimer(self)
        self._later.setSingleShot(True)
        self._later.timeout.connect(self._update_curves)
        self.scene().sigMouseMoved.connect(self._on_mouse_moved)
        model.frameShown.connect(self._on_frame)
        model.runReset.connect(self._update_curves)
        model.keptChanged.connect(self._update_kept)
        model.viewChanged.connect(self._update_marker)
        self._update_kept()
        self._update_curves()

    def _style_plots(self) -> None:
        """Three plots sharing the epoch axis; loss and lr on log scales."""
        for plot, label in (
            (self.loss_plot, "loss"),
            (self.accuracy_plot, "accuracy %"),
            (self.lr_plot, "lr"),
        ):
            plot.setMenuEnabled(False)
            plot.hideButtons()
            plot.showGrid(x=True, y=True, alpha=0.15)
            plot.setLabel("left", label)
            plot.getAxis("left").setWidth(48)
            for name in ("left", "bottom"):
                plot.getAxis(name).setPen(pg.mkPen("#888"))
                plot.getAxis(name).setTextPen(pg.mkPen("#333"))
            cache_static_parts(plot)
            # no negative epochs, and a run that has not started shows one epoch
            plot.getViewBox().setLimits(xMin=0, minXRange=1)
            if plot is not self.loss_plot:
                plot.setXLink(self.loss_plot)
        self.lr_plot.setLabel("bottom", "epoch")
        for plot in (self.loss_plot, self.lr_plot):
            axis = plot.getAxis("left")
            plot.getViewBox().sigYRangeChanged.connect(
                lambda _vb, rng, axis=axis: axis.setTicks(log_ticks(*rng))
            )
        self.accuracy_plot.setYRange(0, 100, padding=0.05)
        self.accuracy_plot.getViewBox().setMouseEnabled(y=False)

    def _make_items(self) -> None:
        """The curves, the timeline's markers and the hover lines (made once)."""
        self.legend = self.loss_plot.addLegend(
            offset=(-6, 6), labelTextSize="8pt", labelTextColor="#222", verSpacing=-8
        )
        self.legend.setBrush(pg.mkBrush(255, 255, 255, 210))
        self.batch = self.loss_plot.plot(pen=BATCH_PEN, connect="finite")
        self.train = self.loss_plot.plot(pen=TRAIN_PEN, connect="finite", name="train")
        self.test = self.loss_plot.plot(pen=TEST_PEN, connect="finite", name="test")
        self.train_accuracy = self.accuracy_plot.plot(pen=TRAIN_PEN, connect="finite")
        self.test_accuracy = self.accuracy_plot.plot(pen=TEST_PEN, connect="finite")
        self.lr = self.lr_plot.plot(pen=pg.mkPen("#444", width=1.5), connect="finite")
        self.kept_curves: list[pg.PlotDataItem] = []
        self.change_lines: list[pg.InfiniteLine] = []  # made as changes come
        self.change_scale = 1.0
        self.markers = []
        self.hover_lines = []
        for plot in (self.loss_plot, self.accuracy_plot, self.lr_plot):
            marker = pg.InfiniteLine(angle=90, pen=pg.mkPen("#c0392b", width=1.5))
            marker.setVisible(False)
            plot.addItem(marker, ignoreBounds=True)
            self.markers.append(marker)
            line = pg.InfiniteLine(angle=90, pen=pg.mkPen((0, 0, 0, 70), width=1))
            line.setVisible(False)
            plot.addItem(line, ignoreBounds=True)
            self.hover_lines.append(line)

    # --- reading (tests) -------------------------------------------------------------------
    def train_curve(self) -> tuple:
        """Epochs and train losses as plotted (log₁₀ of the loss)."""
        x, y = self.train.getData()
        return ((), ()) if x is None else (x, y)

    # --- model → view ------------------------------------------------------------------------
    def _on_frame(self) -> None:
        wait = 1.0 / MAX_RATE - (time.perf_counter() - self._last_draw)
        if self._model.playing and wait > 0:
            if not self._later.isActive():
                self._later.start(int(wait * 1000) + 1)
            return
        self._update_curves()

    def _update_curves(self) -> None:
        self._later.stop()
        self._last_draw = time.perf_counter()
        trainer = self._model.trainer
        history = trainer.history.as_dict()
        steps = trainer.steps.as_dict()
        epochs = history["epoch"]
        self.train.setData(epochs, log10_floored(history["train_loss"]))
        self.test.setData(epochs, log10_floored(history["test_loss"]))
        x, y = thinned(steps["epoch"], steps["loss"])
        self.batch.setData(x, log10_floored(y))
        self.train_accuracy.setData(epochs, 100 * history["train_accuracy"])
        self.test_accuracy.setData(epochs, 100 * history["test_accuracy"])
        end = float(epochs[-1]) if len(epochs) else 0.0
        lr_x, lr_y = lr_staircase(steps["epoch"], steps["lr"], end)
        if not len(lr_x) and len(epochs):  # nothing trained yet: the starting rate
            lr_x, lr_y = np.array([0.0, 1.0]), np.repeat(history["lr"][-1:], 2)
        self.lr.setData(lr_x, log10_floored(lr_y), stepMode=None)
        self.accuracy_plot.setVisible(trainer.task != "regression")
        self._history = history
        self._update_change_lines(steps["epoch"])
        self._update_marker()
        self._update_readout()

    def set_presenting(self, on: bool, scale: float) -> None:
        """For a room: no lr plot (the readout and the change lines say it), so
        the loss and accuracy plots get its height; change labels larger."""
        shown = self.lr_plot.scene() is not None
        if on and shown:
            self.removeItem(self.lr_plot)
        elif not on and not shown:
            self.addItem(self.lr_plot, row=3, col=0)
            self.ci.layout.setRowStretchFactor(3, 2)
        self.accuracy_plot.setLabel("bottom", "epoch" if on else None)
        ticks = [[(v, str(v)) for v in (25, 50, 75)]] if on else None
        self.accuracy_plot.getAxis("left").setTicks(ticks)  # room for big digits
        self.change_scale = scale if on else 1.0
        for line in self.change_lines:
            line.label.setFont(self._change_font())

    def _change_font(self):
        font = self.font()
        font.setPointSizeF(8 * self.change_scale)
        return font

    def _update_change_lines(self, step_epochs: np.ndarray) -> None:
        """A dashed line on the loss and accuracy plots where a setting changed
        while training, labelled with the change on the loss plot."""
        frame = self._model.frame
        changes = frame.changes if frame is not None else ()
        plots = (self.loss_plot, self.accuracy_plot)
        while len(self.change_lines) < 2 * len(changes):
            for plot in plots:
                line = pg.InfiniteLine(
                    angle=90, pen=CHANGE_PEN, label="", labelOpts=_LABEL
                )
                plot.addItem(line, ignoreBounds=True)
                self.change_lines.append(line)
        for i, line in enumerate(self.change_lines):
            change = changes[i // 2] if i // 2 < len(changes) else None
            line.setVisible(change is not None)
            if change is None:
                continue
            row = change.step - 1
            x = step_epochs[row] if 0 <= row < step_epochs.size else change.epoch
            line.setValue(float(x))
            line.label.setFormat(change.text if i % 2 == 0 else "")

    def _update_kept(self) -> None:
        for curve in self.kept_curves:
            self.loss_plot.removeItem(curve)
            self.legend.removeItem(curve)
        self.kept_curves = []
        for i, record in enumerate(self._model.kept):
            colour = KEPT_COLOURS[i % len(KEPT_COLOURS)]
            curve = self.loss_plot.plot(
                *kept_curve(record.epochs),
                pen=pg.mkPen(colour, width=1.6, style=pg.QtCore.Qt.PenStyle.DashLine),
                connect="finite",
                name=html.escape(record.label),
            )
            curve.setZValue(-1)
            self.kept_curves.append(curve)

    def _update_marker(self) -> None:
        index = self._model.viewed
        trainer = self._model.trainer
        visible = index is not None and index < len(trainer.snapshots)
        if visible:
            snap = trainer.snapshots[index]
            x = snap.step / max(trainer.steps_per_epoch, 1)
        for marker in self.markers:
            marker.setVisible(visible)
            if visible:
                marker.setValue(x)

    def _update_readout(self) -> None:
        history = getattr(self, "_history", None)
        if history is None or not len(history["epoch"]):
            self.readout.setText("")
            return
        row = len(history["epoch"]) - 1
        prefix = "latest"
        if self._hover_epoch is not None:
            row = nearest_row(history["epoch"], self._hover_epoch)
            prefix = "hover"
        parts = [
            f"<b>{prefix}: epoch {int(history['epoch'][row])}</b>",
            (
                "<span style='color:#1f5fa8'>train loss "
                f"{format_number(history['train_loss'][row], 4)}</span>"
            ),
            (
                "<span style='color:#e0701b'>test loss "
                f"{format_number(history['test_loss'][row], 4)}</span>"
            ),
        ]
        if self._model.trainer.task != "regression":
            parts.append(
                f"accuracy {_percent(history['train_accuracy'][row])} / "
                f"{_percent(history['test_accuracy'][row])}"
            )
        parts.append(f"lr {format_number(history['lr'][row], 3)}")
        head = " · ".join(parts[:3])
        self.readout.setText(head + "<br>" + " · ".join(parts[3:]))

    def _on_mouse_moved(self, scene_pos) -> None:
        epoch = None
        for plot in (self.loss_plot, self.accuracy_plot, self.lr_plot):
            vb = plot.getViewBox()
            if plot.isVisible() and vb.sceneBoundingRect().contains(scene_pos):
                epoch = vb.mapSceneToView(scene_pos).x()
        self._hover_epoch = epoch
        for line in self.hover_lines:
            line.setVisible(epoch is not None)
            if epoch is not None:
                line.setValue(epoch)
        self._update_readout()

    def leaveEvent(self, event) -> None:
        self._hover_epoch = None
        for line in self.hover_lines:
            line.setVisible(False)
        self._update_readout()
        super().leaveEvent(event)
