"""The training lab: train a small network on 2-D data and watch it learn.

Pick data, shape the network, press Play: the decision boundary (or the
regression curve) redraws live under the points, the loss curves grow, the
network diagram shows each weight and each unit's picture of the plane.
Scrub the timeline back to any moment, keep runs to compare, click a point
to open its whole computation graph in the explorer, or open the loss
surface around the current weights in the optimizer lab. When the loss stops
being a number, or grows without bound, training pauses and says why.

The lab's state is :class:`graphviz_dl.labs.training.TrainingModel`; its
training runs as jobs of one :class:`ui.common.jobs.JobRunner`, one after
another. Run ``python -m ui.training_lab`` for a quick look at the lab alone.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QSettings, Qt, QTimer, Signal
from PySide6.QtGui import QAction, QKeySequence, QShortcut, QUndoStack
from PySide6.QtWidgets import QApplication, QLabel, QSplitter, QVBoxLayout, QWidget

from graphviz_dl.labs.training import DATASETS, RenderOptions, TrainingModel
from graphviz_dl.labs.training.runs import (
    DataSpec,
    check_run,
    fitted_config,
    parse_hidden,
    suggested_config,
)
from graphviz_dl.labs.training.settings import read_lab_settings, settings_to_raw
from graphviz_dl.numfmt import format_number
from graphviz_dl.training.live import LiveChange, differences, needs_new_run
from ui.common.jobs import JobRunner
from ui.common.presenting import PresenterLook
from ui.common.settings import SettingsSaver, lab_settings, unreadable
from ui.training_lab.boundary_view import BoundaryView
from ui.training_lab.commands import EditPoints, SetConfig, SetData
from ui.training_lab.curves import TrainingCurves
from ui.training_lab.data_files import DataFiles
from ui.training_lab.network_panel import NetworkPanel
from ui.training_lab.run_bar import RunBar
from ui.training_lab.settings_panel import SettingsPanel
from ui.training_lab.timeline import TrainingTimeline

SETTINGS_APP = "training-lab"


class TrainingLab(QWidget):
    """A small network learning 2-D data, live."""

    openGraphRequested = Signal(object)  # dict[str, Value]: one sample's graph
    openSurfaceRequested = Signal(object)  # (Surface, (x0, y0), path [T, 2])

    def __init__(
        self, parent: QWidget | None = None, *, settings: QSettings | None = None
    ) -> None:
        super().__init__(parent)
        self.setObjectName("trainingLab")
        self._settings = (
            settings if settings is not None else lab_settings(SETTINGS_APP)
        )
        damaged = unreadable(self._settings)
        spec, config, problems = read_lab_settings(
            {key: self._settings.value(key) for key in ("data", "config")},
            self._settings.fileName(),
        )
        self.runner = JobRunner(self, threads=1)
        self.model = TrainingModel(
            spec, config, runner=self.runner, later=self._after_paint
        )
        self.undo_stack = QUndoStack(self)
        self.last_plane = None
        self._build()
        self.files = DataFiles(self, self.status, self._push_data)
        self._connect()
        self._update_controls()
        problems = [damaged, *problems] if damaged else problems
        if problems:
            self.status.setText("Settings repaired: " + "; ".join(problems))
        app = QApplication.instance()
        if app is not None:
            app.aboutToQuit.connect(self.shutdown)

    # --- public API ---------------------------------------------------------------------
    def select_dataset(self, name: str) -> None:
        """Train on the generated set ``name`` (moons, circles, xor, spiral,
        blobs, blobs3, line), with settings that suit it."""
        if name not in DATASETS:
            raise ValueError(
                f"unknown dataset {name!r}; choose one of: {', '.join(DATASETS)}"
            )
        old = self.model.spec
        spec = DataSpec(name, old.n_points, None, old.test_fraction, old.seed)
        config = suggested_config(self.model.config, old.kind, name)
        text = f"data {spec.title}"
        self.undo_stack.push(SetData(self.model, spec, text, config=config))

    def train_epochs(self, epochs: int) -> None:
        """Train ``epochs`` epochs now and draw the result (blocks; for scripts)."""
        self.model.train_epochs(epochs)
        self.paint_now()

    def paint_now(self) -> None:
        for view in (self.boundary_view, self.curves, self.diagram):
            view.viewport().repaint()
        self.repaint()

    def open_point(self, index: int) -> None:
        """Ask for the graph of data point ``index`` at the weights shown."""
        try:
            values = self.model.sample_values(index)
        except (IndexError, ValueError) as error:
            self.status.setText(str(error))
            return
        self.status.setText(
            f"Point {index}: its graph ({len(values)} named nodes) opens in the "
            "graph explorer"
        )
        self.openGraphRequested.emit(values)

    def open_loss_surface(
        self, mode: str = "random", first: str | None = None, second: str | None = None
    ) -> None:
        """Ask the optimizer lab to show the loss around the weights shown."""
        try:
            plane = self.model.loss_plane(mode, first, second)
        except ValueError as error:
            self.status.setText(f"No loss surface: {error}")
            return
        self.last_plane = plane
        self.status.setText(
            "The loss around these weights opens in the optimizer lab "
            "(the point (0, 0) is where the network is now; the grey line is "
            "the run so far)"
        )
        path = plane.trajectory.copy()  # the run's snapshots, on the plane
        self.openSurfaceRequested.emit((plane.as_surface(), (0.0, 0.0), path))

    def load_csv(self, path: str) -> bool:
        """Read points from ``path`` in the background; False if refused now."""
        return self.files.load(path)

    def save_csv(self, path: str) -> bool:
        return self.files.save(path, self.model.dataset)

    def set_presenting(self, on: bool) -> None:
        """Presenter mode (the window's F5): bigger text in every panel, bigger
        points, and the settings column out of the way (F5 again brings it
        back; live changes are made there)."""
        if not self._look.set(on):
            return
        self.panel.setVisible(not on)
        scale = self._look.scale if on else 1.0
        self.boundary_view.set_text_scale(scale)
        self.diagram.set_text_scale(scale)
        self.curves.set_presenting(on, scale)

    @property
    def presenting(self) -> bool:
        return self._look.on

    def shutdown(self) -> None:
        """Stop playing and cancel and join the lab's jobs (the window closes)."""
        self.model.shutdown()
        self.files.shutdown()
        self.runner.shutdown()

    # --- building ---------------------------------------------------------------------------
    def _build(self) -> None:
        model = self.model
        self.panel = SettingsPanel(model)
        self.run_bar = RunBar(model, self.undo_stack)
        self.boundary_view = BoundaryView(model)
        self.timeline = TrainingTimeline(model)
        self.curves = TrainingCurves(model)
        self.network_panel = NetworkPanel(model, self.open_loss_surface)
        self.status = QLabel()
        self.status.setObjectName("trainingStatusLine")
        self.status.setWordWrap(True)
        self._expose_parts()
        self._undo_keys()
        self._look = PresenterLook(self)

        centre = QWidget()
        middle = QVBoxLayout(centre)
        middle.setContentsMargins(0, 0, 0, 0)
        middle.setSpacing(4)
        middle.addWidget(self.run_bar)
        middle.addWidget(self.boundary_view, 1)
        middle.addWidget(self.timeline)
        right = QSplitter(Qt.Orientation.Vertical)
        right.addWidget(self.curves)
        right.addWidget(self.network_panel)
        right.setStretchFactor(0, 3)
        right.setStretchFactor(1, 2)
        right.setSizes([420, 280])
        main = QSplitter(Qt.Orientation.Horizontal)
        for widget, stretch in ((self.panel, 0), (centre, 3), (right, 2)):
            main.addWidget(widget)
            main.setStretchFactor(main.count() - 1, stretch)
        main.setSizes([250, 610, 400])
        self.splitter = main
        layout = QVBoxLayout(self)
        layout.setContentsMargins(6, 6, 6, 6)
        layout.setSpacing(4)
        layout.addWidget(main, 1)
        layout.addWidget(self.status)

    def _expose_parts(self) -> None:
        """The controls under short names (scripts and tests reach them here)."""
        data, net, train = (
            self.panel.data_box,
            self.panel.model_box,
            self.panel.training_box,
        )
        self.dataset_chooser, self.n_points = data.chooser, data.n_points
        self.hidden, self.activation = net.hidden, net.activation
        self.optimizer, self.learning_rate = train.optimizer, train.learning_rate
        self.batch_size, self.config_error = train.batch_size, self.panel.error
        bar = self.run_bar
        self.play, self.step_button = bar.play, bar.step_button
        self.epoch_button, self.reset_button = bar.epoch_button, bar.reset_button
        self.message, self.run_status = bar.message, bar.run_status
        self.diagram = self.network_panel.diagram
        self.surface_button = self.network_panel.surface_button

    def _undo_keys(self) -> None:
        """Undo/Redo keys while the lab has focus (the main window may take them)."""
        stack = self.undo_stack
        for make, key in (
            (stack.createUndoAction, QKeySequence.StandardKey.Undo),
            (stack.createRedoAction, QKeySequence.StandardKey.Redo),
        ):
            action: QAction = make(self)
            action.setShortcut(key)
            action.setShortcutContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
            self.addAction(action)

    def _connect(self) -> None:
        model, panel = self.model, self.panel
        panel.data_box.datasetChosen.connect(self.select_dataset)
        panel.data_box.edited.connect(self._set_spec)
        panel.data_box.load_button.clicked.connect(self.files.load_dialog)
        panel.data_box.save_button.clicked.connect(
            lambda: self.files.save_dialog(self.model.dataset)
        )
        panel.model_box.edited.connect(self._set)
        panel.model_box.hiddenEdited.connect(self._on_hidden)
        panel.training_box.edited.connect(self._set)
        space = QShortcut(QKeySequence(Qt.Key.Key_Space), self)
        space.setContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        space.activated.connect(lambda: model.set_playing(not model.playing))
        self.boundary_view.pointClicked.connect(self.open_point)
        self.boundary_view.planeClicked.connect(self._add_point)
        model.configChanged.connect(self._update_controls)
        model.dataChanged.connect(self._update_controls)
        model.frameShown.connect(self._update_problem)
        model.failed.connect(lambda text: self.status.setText(text))
        changes = (model.configChanged, model.dataChanged)
        self._saver = SettingsSaver(self.save_settings, changes, self)

    def _after_paint(self, call: Callable[[], None]) -> None:
        """Call ``call`` once the window has drawn (pending paints run before a
        0 ms timer): training and drawing take turns instead of competing."""
        QTimer.singleShot(0, self, call)

    # --- controls → model -----------------------------------------------------------------------
    def _set(self, changes: dict) -> None:
        """Apply changed settings as one undoable step (a new run)."""
        model = self.model
        try:
            config = model.config.with_changes(**changes)
            if config == model.config:
                return
            config.check(model.dataset)
        except (TypeError, ValueError) as error:
            self.panel.show_error(str(error))
            self._update_controls()
            return
        self.panel.show_error("")
        key = next(iter(changes)) if len(changes) == 1 else None
        name = ", ".join(changes)
        new_run = needs_new_run(model.config, config)
        what = LiveChange(0, 0, differences(model.config, config)).text
        step = model.frame.step
        self.undo_stack.push(SetConfig(model, config, name, merge_key=key))
        if new_run:
            kept = " (the old one is kept for comparison)" if step else ""
            self.status.setText(f"New run: {name} changed{kept}")
        elif step:
            self.status.setText(f"{what} from step {step} on; the run goes on")
        else:
            self.status.setText(f"{what}: the run starts with it")

    def _set_spec(self, changes: dict) -> None:
        spec = self.model.spec
        try:
            new = spec.with_changes(**changes)
        except ValueError as error:
            self.panel.show_error(str(error))
            return
        if new != spec:
            self._push_data(new, f"data {', '.join(changes)}")

    def _push_data(self, spec, text: str, dataset=None, config=None) -> bool:
        try:
            made = dataset if dataset is not None else spec.make()
            problem = check_run(made, fitted_config(config or self.model.config, made))
        except ValueError as error:
            problem = str(error)
        if problem:
            self.panel.show_error(problem)
            self._update_controls()
            return False
        self.panel.show_error("")
        self.undo_stack.push(SetData(self.model, spec, text, dataset, config))
        return True

    def _on_hidden(self, text: str) -> None:
        try:
            hidden = parse_hidden(text)
        except ValueError as error:
            self.panel.show_error(str(error))
            return
        self._set({"hidden": hidden})

    def _add_point(self, x: float, y: float, label: int) -> None:
        data = self.model.dataset.copy()
        regression = data.task == "regression"
        if not regression and label >= data.n_classes:
            self.status.setText(
                f"This data has {data.n_classes} classes: left click adds "
                "class 0, right click class 1"
            )
            return
        try:
            index = (
                data.add_point([x], y) if regression else data.add_point([x, y], label)
            )
        except ValueError as error:
            self.status.setText(str(error))
            return
        what = "point" if regression else f"class {label} point"
        self.undo_stack.push(EditPoints(self.model, data, f"add {what}"))
        self.status.setText(
            f"Added {what} #{index} at ({format_number(x, 3)}, "
            f"{format_number(y, 3)}); Undo removes it"
        )

    # --- model → controls --------------------------------------------------------------------
    def _update_controls(self) -> None:
        self.panel.update_from(self.model)

    def _update_problem(self) -> None:
        if self.model.frame.problem:
            self.status.setText(self.model.frame.problem)

    # --- visibility, settings, closing ------------------------------------------------------------
    def showEvent(self, event) -> None:
        super().showEvent(event)
        self.model.set_options(RenderOptions(units=True))

    def hideEvent(self, event) -> None:
        """Pause and keep the settings when the lab goes out of sight."""
        self.model.set_playing(False)
        self._saver.flush()
        super().hideEvent(event)

    def closeEvent(self, event) -> None:
        self.shutdown()
        super().closeEvent(event)

    def save_settings(self) -> None:
        for key, value in self.session_state().items():
            self._settings.setValue(key, value)
        self._settings.sync()

    def session_state(self) -> dict[str, str]:
        """The data and settings as plain values (a session file's part)."""
        return settings_to_raw(self.model.spec, self.model.config)

    def restore_session(self, raw: dict[str, object], source: str) -> list[str]:
        """Start a run with the data and settings of :meth:`session_state`
        (validated); returns what had to be replaced."""
        spec, config, problems = read_lab_settings(raw, source)
        self.model.set_playing(False)
        self.model.set_data(spec, config=config)
        self._update_controls()
        return problems
