"""The optimizer lab: optimizers racing live across a loss surface.

Pick a surface (or type one), click a start point, press Play: every enabled
configuration moves across the surface at once, its loss plotted against step.
The race advances on a timer, several steps per frame at high speed, without
ever taking more than a slice of each frame.

Run ``python -m ui.optimizer_lab`` for a quick look at the lab alone.
"""

from __future__ import annotations

import argparse
import difflib
import json
import math
import re
import sys
import time

import numpy as np
from PySide6.QtCore import QSettings, Qt, QTimer, Signal
from PySide6.QtGui import QAction, QKeySequence, QShortcut, QUndoStack
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QMenu,
    QPushButton,
    QSlider,
    QSplitter,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from graphviz_dl.expr import ExpressionError
from graphviz_dl.numfmt import format_number
from graphviz_dl.optimizer_menu import OPTIMIZERS
from graphviz_dl.surfaces import SURFACES, Surface, surface_from_expression

from ui.optimizer_lab.commands import RestoreState, SetSurface
from ui.optimizer_lab.lab_model import (
    PALETTE,
    PRESETS,
    SPEEDS,
    LabConfig,
    LabModel,
    LabState,
    default_config_list,
    hyper_problem,
    preset_state,
)
from ui.common.settings import SettingsSaver, lab_settings
from ui.optimizer_lab.loss_plot import LossPlot
from ui.optimizer_lab.optimizer_list import OptimizerList
from ui.common.standalone import add_screenshot_option, run_standalone
from ui.optimizer_lab.surface_view import SurfaceView

FRAME_MS = 16  # ~60 frames per second while playing
STEP_BUDGET = 0.008  # at most this many seconds of optimizer steps per frame
MIN_BUDGET = 0.001
SETTINGS_APP = "optimizer-lab"
CUSTOM = "__formula__"  # chooser entry for a typed formula
SENT = "__sent__"  # chooser entry for a surface sent by another tab (a graph's loss)


class OptimizerLab(QWidget):
    """SGD, momentum, Adam and friends racing across one surface."""

    frameDrawn = Signal()

    def __init__(
        self, parent: QWidget | None = None, *, settings: QSettings | None = None
    ) -> None:
        super().__init__(parent)
        self.setObjectName("optimizerLab")
        self._settings = (
            settings if settings is not None else lab_settings(SETTINGS_APP)
        )
        self.model = LabModel(self)
        self.undo_stack = QUndoStack(self)
        self._formula_text = ""
        self._sent: Surface | None = None  # the last surface another tab sent here
        self._restoring = False
        self._carry = 0.0
        self._last_tick = 0.0
        self._budget = STEP_BUDGET
        self._chunk = 1
        self._rate_mark = (0.0, 0)
        self._rate: float | None = None

        self._restore_settings()
        self._build()
        self._connect()
        self._update_surface_controls()
        self._update_playing(self.model.playing)
        self._update_speed(self.model.speed)
        self._update_step_count()
        self.arrows.setChecked(
            str(self._settings.value("arrows", "false")).lower() == "true"
        )

    # --- public API --------------------------------------------------------------
    def select_surface(self, name: str) -> None:
        """Race on the built-in surface ``name``, or on a typed ``f(x, y) = …``."""
        if name in SURFACES:
            surface = SURFACES[name]
        elif re.fullmatch(r"[A-Za-z][\w-]*", name.strip()):
            close = difflib.get_close_matches(name.strip().lower(), SURFACES, n=1)
            hint = f" — did you mean {close[0]!r}?" if close else ""
            known = ", ".join(SURFACES)
            raise ValueError(f"unknown surface {name!r}{hint} Known surfaces: {known}")
        else:
            surface = surface_from_expression(name)
            self._formula_text = name
        self.undo_stack.push(SetSurface(self.model, surface))

    def show_surface(
        self,
        surface: Surface,
        start: tuple[float, float],
        path: np.ndarray | None = None,
    ) -> None:
        """Race on ``surface`` from ``start`` (undoable): e.g. a network's loss
        plane sent by the training lab, with ``path`` ([T, 2]) the training run
        projected on it, drawn whenever this surface is shown."""
        self._sent = surface
        self.surface_view.set_training_path(surface, path)
        self.undo_stack.push(SetSurface(self.model, surface, start))

    def advance(self, steps: int) -> None:
        """Run ``steps`` race steps now and redraw (for scripts and screenshots)."""
        self.model.step(steps)
        self.surface_view.ensure_grid()
        self.paint_now()

    def paint_now(self) -> None:
        """Paint everything at once (a graphics view's viewport included)."""
        for view in (self.surface_view, self.loss_plot):
            view.viewport().repaint()
        self.repaint()

    def apply_preset(self, title: str) -> None:
        """Load the preset called ``title`` (undoable)."""
        for preset in PRESETS:
            if preset.title == title:
                self.model.set_playing(False)
                state = preset_state(preset)
                self.undo_stack.push(RestoreState(self.model, state, f"preset {title}"))
                self.model.set_speed(preset.speed)
                self.story.setText(preset.story)
                self.story.setVisible(True)
                return
        raise KeyError(title)

    def export_image(self, path: str) -> None:
        """Save the surface with its paths as PNG or SVG (chosen by the suffix)."""
        from pyqtgraph.exporters import ImageExporter, SVGExporter

        view = self.surface_view
        view.ensure_grid()
        hover = view.hover.isVisible()
        view.hover.setVisible(False)
        view.legend.setVisible(True)
        try:
            target = view.ci
            if str(path).lower().endswith(".svg"):
                SVGExporter(target).export(str(path))
            else:
                exporter = ImageExporter(target)
                exporter.parameters()["width"] = max(800, view.width())
                exporter.export(str(path))
        finally:
            view.hover.setVisible(hover)
            view.legend.setVisible(False)

    def export_csv(self, path: str) -> None:
        """Save every racing trajectory (step, position, loss, …) as CSV."""
        self.model.race.to_csv(path)

    # --- building ----------------------------------------------------------------
    def _build(self) -> None:
        model = self.model
        self.surface_chooser = QComboBox()
        self.surface_chooser.setObjectName("surfaceChooser")
        for name, surface in SURFACES.items():
            self.surface_chooser.addItem(surface.title, name)
        self.surface_chooser.addItem("Typed formula", CUSTOM)
        self.surface_chooser.setToolTip("The loss surface to race on")
        self.surface_formula = QLineEdit()
        self.surface_formula.setObjectName("surfaceFormula")
        self.surface_formula.setPlaceholderText("f(x, y) = (1 - x)^2 + 100*(y - x^2)^2")
        self.surface_formula.setToolTip("Type a surface and press Enter")
        self.formula_error = QLabel()
        self.formula_error.setObjectName("surfaceFormulaError")
        self.formula_error.setStyleSheet("color: #d02020;")
        self.formula_error.setVisible(False)
        self.parameter_label = QLabel()
        self.parameter_field = QLineEdit()
        self.parameter_field.setObjectName("surfaceParameter")
        self.parameter_field.setFixedWidth(70)
        self.preset_chooser = QComboBox()
        self.preset_chooser.setObjectName("presetChooser")
        self.preset_chooser.addItem("Presets…")
        for preset in PRESETS:
            self.preset_chooser.addItem(preset.title)
        self.preset_chooser.setToolTip("Races that each tell a story")
        self.preset_chooser.setSizeAdjustPolicy(
            QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon
        )
        self.preset_chooser.setMinimumContentsLength(18)

        self.play = QPushButton("▶ Play")
        self.play.setObjectName("racePlayPause")
        self.play.setCheckable(True)
        self.play.setToolTip("Play or pause the race (Space)")
        self.step_button = QPushButton("Step")
        self.step_button.setObjectName("raceStep")
        self.step_button.setToolTip("One optimizer step for every run")
        self.reset_button = QPushButton("Reset")
        self.reset_button.setObjectName("raceReset")
        self.reset_button.setToolTip("Every run back to the start point")
        self.speed = QSlider(Qt.Orientation.Horizontal)
        self.speed.setObjectName("raceSpeed")
        self.speed.setRange(0, len(SPEEDS) - 1)
        self.speed.setPageStep(1)
        self.speed.setFixedWidth(120)
        self.speed.setToolTip("Optimizer steps per second")
        self.speed_label = QLabel()
        self.speed_label.setMinimumWidth(78)
        self.arrows = QCheckBox("Arrows")
        self.arrows.setObjectName("showArrows")
        self.arrows.setToolTip("Draw each head's last step (velocity) and −∇f")
        self.step_count = QLabel()
        self.step_count.setObjectName("raceStepCount")
        self.step_count.setMinimumWidth(170)
        self.export = QToolButton()
        self.export.setObjectName("raceExport")
        self.export.setText("Export")
        self.export.setPopupMode(QToolButton.ToolButtonPopupMode.InstantPopup)
        menu = QMenu(self.export)
        menu.addAction("Surface image (PNG)…", lambda: self._export_dialog("png"))
        menu.addAction("Surface image (SVG)…", lambda: self._export_dialog("svg"))
        menu.addAction("Trajectories (CSV)…", lambda: self._export_dialog("csv"))
        self.export.setMenu(menu)
        self._undo_action()
        self._redo_action()
        stack = self.undo_stack
        self.undo_button = QToolButton()
        self.undo_button.setObjectName("labUndo")
        self.undo_button.setText("Undo")
        self.undo_button.setEnabled(False)
        self.undo_button.clicked.connect(stack.undo)
        stack.canUndoChanged.connect(self.undo_button.setEnabled)
        stack.undoTextChanged.connect(
            lambda t: self.undo_button.setToolTip(f"Undo {t}")
        )
        self.redo_button = QToolButton()
        self.redo_button.setObjectName("labRedo")
        self.redo_button.setText("Redo")
        self.redo_button.setEnabled(False)
        self.redo_button.clicked.connect(stack.redo)
        stack.canRedoChanged.connect(self.redo_button.setEnabled)
        stack.redoTextChanged.connect(
            lambda t: self.redo_button.setToolTip(f"Redo {t}")
        )

        self.surface_view = SurfaceView(model, self.undo_stack)
        self.optimizer_list = OptimizerList(model, self.undo_stack)
        self.loss_plot = LossPlot(model)
        self.story = QLabel()
        self.story.setObjectName("presetStory")
        self.story.setWordWrap(True)
        self.story.setStyleSheet("color: palette(mid); font-style: italic;")
        self.story.setVisible(False)
        self.status = QLabel()
        self.status.setObjectName("labStatus")

        top = QHBoxLayout()
        top.addWidget(QLabel("Surface"))
        top.addWidget(self.surface_chooser)
        top.addWidget(self.parameter_label)
        top.addWidget(self.parameter_field)
        top.addWidget(QLabel("or type"))
        top.addWidget(self.surface_formula, 1)
        top.addWidget(self.preset_chooser)
        controls = QHBoxLayout()
        for w in (self.play, self.step_button, self.reset_button):
            controls.addWidget(w)
        controls.addSpacing(10)
        controls.addWidget(QLabel("Speed"))
        controls.addWidget(self.speed)
        controls.addWidget(self.speed_label)
        controls.addWidget(self.arrows)
        controls.addWidget(self.step_count)
        controls.addStretch(1)
        controls.addWidget(self.export)
        controls.addWidget(self.undo_button)
        controls.addWidget(self.redo_button)

        side = QSplitter(Qt.Orientation.Vertical)
        side.addWidget(self.optimizer_list)
        side.addWidget(self.loss_plot)
        side.setStretchFactor(0, 3)
        side.setStretchFactor(1, 2)
        main = QSplitter(Qt.Orientation.Horizontal)
        main.addWidget(self.surface_view)
        main.addWidget(side)
        main.setStretchFactor(0, 3)
        main.setStretchFactor(1, 2)
        main.setSizes([760, 500])
        self.splitter = main

        layout = QVBoxLayout(self)
        layout.setContentsMargins(6, 6, 6, 6)
        layout.setSpacing(4)
        layout.addLayout(top)
        layout.addWidget(self.formula_error)
        layout.addLayout(controls)
        layout.addWidget(self.story)
        layout.addWidget(main, 1)
        layout.addWidget(self.status)

        self.timer = QTimer(self)
        self.timer.setTimerType(Qt.TimerType.PreciseTimer)
        self.timer.setInterval(FRAME_MS)

    def _undo_action(self) -> QAction:
        action = self.undo_stack.createUndoAction(self, "Undo")
        action.setShortcut(QKeySequence.StandardKey.Undo)
        action.setShortcutContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        self.addAction(action)
        return action

    def _redo_action(self) -> QAction:
        action = self.undo_stack.createRedoAction(self, "Redo")
        action.setShortcut(QKeySequence.StandardKey.Redo)
        action.setShortcutContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        self.addAction(action)
        return action

    def _connect(self) -> None:
        model = self.model
        self.surface_chooser.activated.connect(self._on_chooser)
        self.surface_formula.returnPressed.connect(self._on_formula)
        self.surface_formula.textEdited.connect(lambda _t: self._show_formula_error(""))
        self.preset_chooser.activated.connect(self._on_preset)
        self.parameter_field.editingFinished.connect(self._on_parameter)
        self.play.toggled.connect(model.set_playing)
        self.step_button.clicked.connect(self._on_step)
        self.reset_button.clicked.connect(model.reset)
        self.speed.valueChanged.connect(lambda i: model.set_speed(SPEEDS[i]))
        self.arrows.toggled.connect(self._on_arrows)
        space = QShortcut(QKeySequence(Qt.Key.Key_Space), self)
        space.setContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        space.activated.connect(lambda: model.set_playing(not model.playing))
        self.timer.timeout.connect(self._on_frame)
        self.surface_view.gridFailed.connect(self.status.setText)

        model.surfaceChanged.connect(self._update_surface_controls)
        model.playingChanged.connect(self._update_playing)
        model.speedChanged.connect(self._update_speed)
        model.raceAdvanced.connect(self._update_step_count)
        model.raceReset.connect(self._update_step_count)
        model.limitReached.connect(self._on_limit)
        changes = (
            model.surfaceChanged,
            model.startChanged,
            model.configsChanged,
            model.configEdited,
            model.speedChanged,
        )
        self._saver = SettingsSaver(self.save_settings, changes, self)

    # --- model → controls -------------------------------------------------------------
    def _update_surface_controls(self) -> None:
        surface = self.model.surface
        if surface.name in SURFACES:
            key = surface.name
        elif surface is self._sent:
            key = SENT
            if self.surface_chooser.findData(SENT) < 0:
                self.surface_chooser.addItem("", SENT)
            self.surface_chooser.setItemText(
                self.surface_chooser.findData(SENT), surface.title
            )
        else:
            key = CUSTOM
        self.surface_chooser.setCurrentIndex(self.surface_chooser.findData(key))
        self.surface_chooser.setToolTip(surface.description or surface.title)
        if key == CUSTOM:
            self.surface_formula.setText(self._formula_text or surface.formula)
        elif key == SENT:
            self.surface_formula.clear()  # not a formula one could edit and re-type
        self._show_formula_error("")
        self.story.setText(surface.description)
        self.story.setVisible(bool(surface.description))
        parameter = surface.parameter
        for w in (self.parameter_label, self.parameter_field):
            w.setVisible(parameter is not None)
        if parameter is not None:
            self.parameter_label.setText(parameter.name)
            self.parameter_field.setText(format_number(surface.parameter_value, 4))
            self.parameter_field.setStyleSheet("")
            self.parameter_field.setToolTip(
                f"{parameter.name}: from {format_number(parameter.low)} to "
                f"{format_number(parameter.high)}"
            )

    def _update_playing(self, playing: bool) -> None:
        self.play.blockSignals(True)
        self.play.setChecked(playing)
        self.play.blockSignals(False)
        self.play.setText("⏸ Pause" if playing else "▶ Play")
        if playing:
            self._carry = 0.0
            self._last_tick = time.perf_counter()
            self._rate_mark = (self._last_tick, self.model.steps)
            self._rate = None
            self.timer.start()
            self.status.setText("")
        else:
            self.timer.stop()
        self._update_step_count()

    def _update_speed(self, speed: float) -> None:
        index = min(range(len(SPEEDS)), key=lambda i: abs(SPEEDS[i] - speed))
        self.speed.blockSignals(True)
        self.speed.setValue(index)
        self.speed.blockSignals(False)
        self.speed_label.setText(f"{speed:g} steps/s")

    def _update_step_count(self) -> None:
        """The step counter; while playing, also the rate the race really runs at
        (lower than asked when the optimizers need more time than a frame has)."""
        steps = self.model.steps
        text = f"step {steps}"
        if self.model.playing:
            now = time.perf_counter()
            t0, s0 = self._rate_mark
            if steps < s0:
                self._rate_mark = (now, steps)
            elif now - t0 >= 0.5:
                self._rate = (steps - s0) / (now - t0)
                self._rate_mark = (now, steps)
            if self._rate is not None:
                text += f" · {self._rate:.0f} steps/s"
        self.step_count.setText(text)

    def _show_formula_error(self, text: str) -> None:
        self.formula_error.setText(text)
        self.formula_error.setVisible(bool(text))
        self.surface_formula.setStyleSheet("border: 1px solid #e04040;" if text else "")

    # --- controls → model ---------------------------------------------------------------
    def _on_chooser(self, index: int) -> None:
        key = self.surface_chooser.itemData(index)
        if key == SENT:
            if self.model.surface is not self._sent:
                self.undo_stack.push(SetSurface(self.model, self._sent))
            return
        if key == CUSTOM:
            self.surface_formula.setFocus()
            if self.surface_formula.text():
                self._on_formula()
            else:
                self._update_surface_controls()
            return
        self.select_surface(key)

    def _on_formula(self) -> None:
        text = self.surface_formula.text().strip()
        if not text:
            return
        try:
            surface = surface_from_expression(text)
        except ExpressionError as exc:
            self._show_formula_error(
                f"line {exc.line}, column {exc.col}: {exc.message}"
            )
            return
        self._formula_text = text
        self.undo_stack.push(SetSurface(self.model, surface))

    def _on_parameter(self) -> None:
        surface = self.model.surface
        parameter = surface.parameter
        if parameter is None:
            return
        try:
            value = float(self.parameter_field.text().replace("\u2212", "-"))
        except ValueError:
            value = float("nan")
        if not parameter.low <= value <= parameter.high:
            self.parameter_field.setStyleSheet("border: 1px solid #e04040;")
            self.parameter_field.setToolTip(
                f"Not applied: {parameter.name} goes from "
                f"{format_number(parameter.low)} to {format_number(parameter.high)}"
            )
            return
        if value != surface.parameter_value:
            reshaped = surface.with_parameter(value)
            self.undo_stack.push(SetSurface(self.model, reshaped, self.model.start))

    def _on_preset(self, index: int) -> None:
        if index > 0:
            self.apply_preset(self.preset_chooser.itemText(index))
        self.preset_chooser.setCurrentIndex(0)

    def _on_step(self) -> None:
        self.model.set_playing(False)
        self.model.step(1)

    def _on_arrows(self, on: bool) -> None:
        self.surface_view.set_arrows_visible(on)
        self._saver.later()

    def _on_limit(self) -> None:
        self.status.setText(
            f"The race stopped at step {self.model.steps}: histories are kept whole up"
            " to there. Reset to race again."
        )

    def _on_frame(self) -> None:
        """One animation frame: the steps this frame is owed, within its budget.

        The budget adapts so that stepping plus drawing fits the frame: when
        frames come late, fewer steps per frame (smooth motion first); when they
        come on time, more.
        """
        now = time.perf_counter()
        interval = now - self._last_tick
        self._last_tick = now
        if interval > FRAME_MS * 1.15e-3:
            self._budget = max(MIN_BUDGET, self._budget * 0.8)
        elif interval < FRAME_MS * 1.05e-3:
            self._budget = min(STEP_BUDGET, self._budget * 1.1)
        self._carry += self.model.speed * min(interval, 0.25)
        owed = int(self._carry)
        if owed < 1:
            return
        self._carry -= owed
        t0 = time.perf_counter()
        taken = 0
        while taken < owed:  # in chunks, so a slow optimizer cannot overrun the frame
            done = self.model.step(min(owed - taken, self._chunk), announce=False)
            taken += done
            if not done or time.perf_counter() - t0 > self._budget:
                break
        if taken:
            per_step = (time.perf_counter() - t0) / taken
            self._chunk = max(1, int(self._budget / 4 / per_step))
        if taken < owed:
            self._carry = 0.0  # behind: drop what cannot be done, do not pile up
        if taken:
            self.model.announce_steps()
        self.frameDrawn.emit()

    def _export_dialog(self, kind: str) -> None:
        filters = {
            "png": "PNG image (*.png)",
            "svg": "SVG image (*.svg)",
            "csv": "CSV table (*.csv)",
        }
        path, _ = QFileDialog.getSaveFileName(
            self, "Export", f"race.{kind}", filters[kind]
        )
        if not path:
            return
        try:
            if kind == "csv":
                self.export_csv(path)
            else:
                self.export_image(path)
        except OSError as exc:
            self.status.setText(f"Could not write {path}: {exc.strerror or exc}")
            return
        self.status.setText(f"Saved {path}")

    def hideEvent(self, event) -> None:
        """Stop racing and keep the settings when the lab goes out of sight."""
        self.model.set_playing(False)
        self._saver.flush()
        super().hideEvent(event)

    # --- settings ----------------------------------------------------------------------
    def save_settings(self) -> None:
        """Write the lab's state to its settings now (it also happens on its own)."""
        if self._restoring:
            return
        s = self._settings
        surface = self.model.surface
        if surface is not self._sent:  # a graph's loss cannot be rebuilt from text
            builtin = surface.name in SURFACES
            s.setValue("surface", surface.name if builtin else "")
            s.setValue("formula", "" if builtin else self._formula_text)
            s.setValue("surface_parameter", surface.parameter_value or "")
            s.setValue("start", json.dumps(list(self.model.start)))
        s.setValue(
            "configs", json.dumps([_config_to_json(c) for c in self.model.configs])
        )
        s.setValue("speed", float(self.model.speed))
        s.setValue("arrows", self.arrows.isChecked())
        s.sync()

    def _restore_settings(self) -> None:
        """Load the last session; anything unreadable falls back to the defaults."""
        self._restoring = True
        s = self._settings
        try:
            surface = _surface_from_settings(s)
            if surface is not None and s.value("formula"):
                self._formula_text = str(s.value("formula"))
            surface = surface or SURFACES["rosenbrock"]
            start = _start_from_settings(s, surface)
            configs = _configs_from_settings(s) or default_config_list()
            self.model.restore(LabState(surface, start, configs))
            speed = _float(s.value("speed"), 100.0)
            if speed > 0:
                self.model.set_speed(speed)
        finally:
            self._restoring = False


def _float(value: object, default: float) -> float:
    try:
        return float(value)
    except (TypeError, ValueError):
        return default


def _config_to_json(config: LabConfig) -> dict:
    return {
        "kind": config.kind,
        "hyper": config.hyper,
        "label": config.label,
        "colour": config.colour,
        "enabled": config.enabled,
    }


def _surface_from_settings(s: QSettings) -> Surface | None:
    name = str(s.value("surface", "") or "")
    if name in SURFACES:
        surface = SURFACES[name]
        value = _float(s.value("surface_parameter"), math.nan)
        parameter = surface.parameter
        in_range = parameter is not None and parameter.low <= value <= parameter.high
        if in_range and value != surface.parameter_value:
            surface = surface.with_parameter(value)
        return surface
    formula = str(s.value("formula", "") or "")
    if formula:
        try:
            return surface_from_expression(formula)
        except ExpressionError:
            return None
    return None


def _start_from_settings(s: QSettings, surface: Surface) -> tuple[float, float]:
    try:
        x, y = json.loads(str(s.value("start", "")))
        return float(x), float(y)
    except (TypeError, ValueError):
        return tuple(surface.start)


def _configs_from_settings(s: QSettings) -> list[LabConfig]:
    """Saved configurations, keeping only kinds and hyperparameters the core knows."""
    try:
        saved = json.loads(str(s.value("configs", "")))
    except ValueError:
        return []
    configs = []
    if not isinstance(saved, list):
        return []
    for item in saved:
        try:
            kind = item["kind"]
            if kind not in OPTIMIZERS:
                continue
            names = {h.name for h in OPTIMIZERS[kind].hyperparams}
            hyper = {h.name: float(h.default) for h in OPTIMIZERS[kind].hyperparams}
            for name, value in dict(item.get("hyper", {})).items():
                if name in names and not hyper_problem(kind, {**hyper, name: value}):
                    hyper[name] = float(value)
            colour = str(item.get("colour", PALETTE[len(configs) % len(PALETTE)]))
            label = str(item.get("label") or OPTIMIZERS[kind].title)
            configs.append(
                LabConfig(kind, hyper, label, colour, bool(item.get("enabled", True)))
            )
        except (KeyError, TypeError, ValueError, AttributeError):
            continue
    return configs


def main(argv: list[str] | None = None) -> int:
    """Open the lab alone in a window, or render it to a PNG (``--screenshot``)."""
    parser = argparse.ArgumentParser(prog="python -m ui.optimizer_lab")
    parser.add_argument("--surface", help="a built-in surface name or f(x, y) = …")
    parser.add_argument("--steps", type=int, default=0, help="race steps to take first")
    parser.add_argument("--arrows", action="store_true", help="draw velocity and −∇f")
    add_screenshot_option(parser)
    args = parser.parse_args(sys.argv[1:] if argv is None else argv)

    def prepare(lab: OptimizerLab) -> None:
        try:
            if args.surface:
                lab.select_surface(args.surface)
        except (ValueError, ExpressionError) as error:
            parser.error(str(error))
        lab.arrows.setChecked(args.arrows or lab.arrows.isChecked())

    def after_show(lab: OptimizerLab) -> None:
        if args.steps:
            lab.advance(args.steps)

    return run_standalone(
        lambda settings: OptimizerLab(settings=settings),
        "graphviz-dl · optimizer lab",
        args.screenshot,
        prepare=prepare,
        after_show=after_show,
        before_grab=lambda lab: lab.surface_view.ensure_grid(),
    )


if __name__ == "__main__":
    sys.exit(main())
