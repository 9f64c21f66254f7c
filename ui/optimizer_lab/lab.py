"""The optimizer lab: optimizers racing live across a loss surface.

Pick a surface (or type one), click a start point, press Play: every enabled
configuration moves across the surface at once, its loss plotted against step.
The lab's state is a Qt-free model (:class:`graphviz_dl.labs.optimizer.LabModel`);
the widgets here show it and change it through undo commands.

Run ``python -m ui.optimizer_lab`` for a quick look at the lab alone.
"""

from __future__ import annotations

import numpy as np
from PySide6.QtCore import QSettings, Qt, Signal
from PySide6.QtGui import QAction, QKeySequence, QShortcut, QUndoStack
from PySide6.QtWidgets import QFileDialog, QLabel, QSplitter, QVBoxLayout, QWidget

from graphviz_dl.labs.optimizer import PRESETS, LabModel, preset_state
from graphviz_dl.labs.optimizer import settings as remembered
from graphviz_dl.surfaces import Surface
from ui.common.presenting import PresenterLook
from ui.common.settings import SettingsSaver, lab_settings, unreadable
from ui.optimizer_lab.commands import RestoreState
from ui.optimizer_lab.export import export_picture, export_trajectories
from ui.optimizer_lab.loss_plot import LossPlot
from ui.optimizer_lab.lr_plot import LrPlot
from ui.optimizer_lab.optimizer_list import OptimizerList
from ui.optimizer_lab.play_loop import PlayLoop
from ui.optimizer_lab.race_bar import RaceBar
from ui.optimizer_lab.settings_store import read_raw, source_name, write_raw
from ui.optimizer_lab.surface_bar import SurfaceBar
from ui.optimizer_lab.surface_view import SurfaceView
from ui.optimizer_lab.view_switch import ViewSwitch

SETTINGS_APP = "optimizer-lab"
EXPORT_FILTERS = {
    "png": "PNG image (*.png)",
    "svg": "SVG image (*.svg)",
    "csv": "CSV table (*.csv)",
}


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
        self.model = LabModel()
        self.undo_stack = QUndoStack(self)
        self._restoring = True
        damaged = unreadable(self._settings)
        loaded = remembered.load(read_raw(self._settings), source_name(self._settings))
        problems = [damaged, *loaded.problems] if damaged else list(loaded.problems)
        self.model.restore(loaded.state)
        self.model.set_speed(loaded.speed)
        self._build()
        self._look = PresenterLook(self, keep=(self.optimizer_list,))
        self._connect()
        self.surface_bar.formula_text = loaded.formula
        self._show_views(loaded)
        self._update_surface_controls()
        self._update_playing(self.model.playing)
        self.race_bar.update_speed(self.model.speed)
        self._restoring = False
        if problems:  # say so once, and write the repaired values back
            self.status.setText("Settings repaired: " + "; ".join(problems))
            self.status.setToolTip("\n".join(problems))
            self.save_settings()

    # --- public API --------------------------------------------------------------
    def select_surface(self, name: str) -> None:
        """Race on the built-in surface ``name``, or on a typed ``f(x, y) = …``."""
        self.surface_bar.select(name)

    def show_surface(
        self,
        surface: Surface,
        start: tuple[float, float],
        path: np.ndarray | None = None,
    ) -> None:
        """Race on ``surface`` from ``start`` (undoable): e.g. a network's loss
        plane sent by the training lab, with ``path`` ([T, 2]) the training run
        projected on it, drawn whenever this surface is shown."""
        self.surface_view.set_training_path(surface, path)
        self.surface_bar.send(surface, start)

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
        preset = next((p for p in PRESETS if p.title == title), None)
        if preset is None:
            raise KeyError(title)
        self.model.set_playing(False)
        state = preset_state(preset)
        self.undo_stack.push(RestoreState(self.model, state, f"preset {title}"))
        self.model.set_speed(preset.speed)
        self.story.setText(preset.story)
        self.story.setVisible(True)

    def set_view_3d(self, on: bool) -> bool:
        """Show the surface in 3-D (or flat); returns whether 3-D is shown:
        without OpenGL the lab stays in 2-D and says why above the view."""
        return self.view_switch.set_3d(on)

    def set_internals_visible(self, on: bool) -> None:
        """Draw each racer's internals on the map and list them in its row."""
        self.view_switch.internals_action.setChecked(on)

    def menu_actions(self) -> dict[str, list[QAction]]:
        """The View menu's toggles: 3-D surface, internals."""
        switch = self.view_switch
        return {"&View": [switch.action, switch.internals_action]}

    def export_image(self, path: str) -> None:
        """Save the surface with its paths as PNG or SVG (chosen by the suffix);
        OSError says why nothing was saved (the old file is kept)."""
        export_picture(self.surface_view, path)

    def export_csv(self, path: str) -> None:
        """Save every racing trajectory (step, position, loss, …) as CSV."""
        export_trajectories(self.model.race, path)

    def set_presenting(self, on: bool) -> None:
        """Presenter mode (the window's F5): bigger text in every control and
        plot, for a projector."""
        if self._look.set(on):
            self.surface_view.set_presenting(on)

    @property
    def presenting(self) -> bool:
        return self._look.on

    def shutdown(self) -> None:
        """Stop racing, keep the settings, cancel and join the grid job: after
        this the lab holds no running timer or thread."""
        self.model.set_playing(False)
        self.loop.timer.stop()
        self._saver.flush()
        self.optimizer_list.shutdown()
        self.surface_view.shutdown()
        self.view_switch.shutdown()

    # --- building ----------------------------------------------------------------
    def _build(self) -> None:
        model, stack = self.model, self.undo_stack
        self.surface_bar = SurfaceBar(model, stack)
        self.race_bar = RaceBar(model, stack)
        self._name_controls()
        for sequence, make in (
            (QKeySequence.StandardKey.Undo, stack.createUndoAction),
            (QKeySequence.StandardKey.Redo, stack.createRedoAction),
        ):
            self._add_key_action(make(self), sequence)
        self.surface_view = SurfaceView(model, stack)
        self.optimizer_list = OptimizerList(model, stack)
        self.view_switch = ViewSwitch(model, self.surface_view)
        self.surface_3d = self.view_switch.solid
        row = self.race_bar.layout()
        at = row.indexOf(self.race_bar.arrows) + 1
        row.insertWidget(at, self.view_switch.internals_box)
        row.insertWidget(at + 1, self.view_switch.button)
        for action in (self.view_switch.action, self.view_switch.internals_action):
            action.setShortcutContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
            self.addAction(action)
        self.loss_plot = LossPlot(model)
        self.lr_plot = LrPlot(model, self.loss_plot)
        self.story = QLabel()
        self.story.setObjectName("presetStory")
        self.story.setWordWrap(True)
        self.story.setStyleSheet("color: palette(mid); font-style: italic;")
        self.story.setVisible(False)
        self.status = QLabel()
        self.status.setObjectName("labStatus")
        self.loop = PlayLoop(model, self)
        self.timer = self.loop.timer
        self._lay_out()

    def _name_controls(self) -> None:
        """The bars' controls under the lab's own names (scripts and tests use them)."""
        bar, race = self.surface_bar, self.race_bar
        self.surface_chooser = bar.chooser
        self.surface_formula = bar.formula
        self.formula_error = bar.formula_error
        self.parameter_label = bar.parameter_label
        self.parameter_field = bar.parameter_field
        self.preset_chooser = bar.preset_chooser
        self.play = race.play
        self.step_button = race.step_button
        self.reset_button = race.reset_button
        self.speed = race.speed
        self.speed_label = race.speed_label
        self.arrows = race.arrows
        self.step_count = race.step_count
        self.export = race.export
        self.undo_button = race.undo_button
        self.redo_button = race.redo_button

    def _add_key_action(self, action: QAction, sequence) -> None:
        action.setShortcut(sequence)
        action.setShortcutContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        self.addAction(action)

    def _lay_out(self) -> None:
        plots = QWidget()
        stack = QVBoxLayout(plots)
        stack.setContentsMargins(0, 0, 0, 0)
        stack.setSpacing(0)
        for plot, stretch in ((self.loss_plot, 3), (self.lr_plot, 1)):
            plot.getPlotItem().getAxis("left").setWidth(54)  # the step axes line up
            stack.addWidget(plot, stretch)
        side = QSplitter(Qt.Orientation.Vertical)
        side.addWidget(self.optimizer_list)
        side.addWidget(plots)
        side.setStretchFactor(0, 3)
        side.setStretchFactor(1, 2)
        main = QSplitter(Qt.Orientation.Horizontal)
        main.addWidget(self.view_switch)
        main.addWidget(side)
        main.setStretchFactor(0, 3)
        main.setStretchFactor(1, 2)
        main.setSizes([760, 500])
        self.splitter = main
        layout = QVBoxLayout(self)
        layout.setContentsMargins(6, 6, 6, 6)
        layout.setSpacing(4)
        layout.addWidget(self.surface_bar)
        layout.addWidget(self.formula_error)
        layout.addWidget(self.race_bar)
        layout.addWidget(self.story)
        layout.addWidget(main, 1)
        layout.addWidget(self.status)

    def _connect(self) -> None:
        model = self.model
        self.surface_bar.presetChosen.connect(self.apply_preset)
        self.race_bar.exportRequested.connect(self._export_dialog)
        self.arrows.toggled.connect(self._on_arrows)
        for show in (
            self.surface_view.set_internals_visible,
            self.optimizer_list.set_internals_visible,
        ):
            self.view_switch.internals_action.toggled.connect(show)
        for action in (self.view_switch.action, self.view_switch.internals_action):
            action.toggled.connect(lambda _on: self._saver.later())
        space = QShortcut(QKeySequence(Qt.Key.Key_Space), self)
        space.setContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        space.activated.connect(lambda: model.set_playing(not model.playing))
        self.loop.frameDrawn.connect(self.frameDrawn)
        self.surface_view.gridFailed.connect(self.status.setText)
        model.surfaceChanged.connect(self._update_surface_controls)
        model.playingChanged.connect(self._update_playing)
        model.speedChanged.connect(self.race_bar.update_speed)
        model.raceAdvanced.connect(self.race_bar.update_step_count)
        model.raceReset.connect(self.race_bar.update_step_count)
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
        self.surface_bar.update_from_model()
        description = self.model.surface.description
        self.story.setText(description)
        self.story.setVisible(bool(description))

    def _update_playing(self, playing: bool) -> None:
        self.loop.set_playing(playing)
        self.race_bar.update_playing(playing)
        if playing:
            self.status.setText("")

    def _on_arrows(self, on: bool) -> None:
        self.surface_view.set_arrows_visible(on)
        self._saver.later()

    def _on_limit(self) -> None:
        self.status.setText(
            f"The race stopped at step {self.model.steps}: histories are kept whole up"
            " to there. Reset to race again."
        )

    def _export_dialog(self, kind: str) -> None:
        path, _ = QFileDialog.getSaveFileName(
            self, "Export", f"race.{kind}", EXPORT_FILTERS[kind]
        )
        if path:
            self.export_to(kind, path)

    def export_to(self, kind: str, path: str) -> bool:
        """Export ``kind`` ("png", "svg", "csv") to ``path``; the status line says
        "Saved" only when the file was written, else why not."""
        try:
            if kind == "csv":
                self.export_csv(path)
            else:
                self.export_image(path)
        except OSError as exc:
            self.status.setText(f"Could not write {path}: {exc.strerror or exc}")
            return False
        self.status.setText(f"Saved {path}")
        return True

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
        write_raw(self._settings, self.session_state())

    def session_state(self) -> dict[str, object]:
        """The lab's state as plain values (its settings; a session file's part)."""
        return remembered.dump(
            self.model.state(),
            formula=self.surface_bar.formula_text,
            speed=self.model.speed,
            arrows=self.arrows.isChecked(),
            view_3d=self.view_switch.is_3d(),
            internals=self.view_switch.internals_action.isChecked(),
            # a graph's loss cannot be rebuilt from text: keep what was there
            remember_surface=self.model.surface is not self.surface_bar.sent,
        )

    def restore_session(self, raw: dict[str, object], source: str) -> list[str]:
        """Take the state of :meth:`session_state` (validated: a bad value falls
        back to its default); returns what had to be replaced."""
        loaded = remembered.load(raw, source)
        self.model.set_playing(False)
        self.model.restore(loaded.state)
        self.model.set_speed(loaded.speed)
        self.surface_bar.formula_text = loaded.formula
        self._show_views(loaded)
        self._update_surface_controls()
        return loaded.problems

    def _show_views(self, loaded: remembered.LabSettings) -> None:
        """The remembered view toggles: arrows, internals, 3-D (2-D without GL)."""
        self.arrows.setChecked(loaded.arrows)
        self.set_internals_visible(loaded.internals)
        if loaded.view_3d != self.view_switch.is_3d():
            self.set_view_3d(loaded.view_3d)
