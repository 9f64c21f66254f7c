"""The training lab: train a small network on 2-D data and watch it learn.

Pick data, shape the network, press Play: the decision boundary (or the
regression curve) redraws live under the points, the loss curves grow, the
network diagram shows each weight and each unit's picture of the plane.
Scrub the timeline back to any moment, keep runs to compare, click a point
to open its whole computation graph in the explorer, or open the loss
surface around the current weights in the optimizer lab. When the loss stops
being a number, training pauses and says why.

Run ``python -m ui.training_lab`` for a quick look at the lab alone.
"""

from __future__ import annotations

import argparse
import json
import math
import sys

from PySide6.QtCore import QSettings, Qt, Signal
from PySide6.QtGui import QAction, QKeySequence, QShortcut, QUndoStack
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QDoubleSpinBox,
    QFileDialog,
    QFormLayout,
    QFrame,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QMenu,
    QPushButton,
    QScrollArea,
    QSizePolicy,
    QSpinBox,
    QSplitter,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from graphviz_dl.datasets import Dataset, DatasetFileError
from graphviz_dl.numfmt import format_number
from graphviz_dl.optimizer_menu import OPTIMIZERS
from graphviz_dl.training import LOSSES_BY_TASK, TrainingConfig
from graphviz_dl.training.config import INITS, MAX_LAYERS, TRAINING_OPTIMIZERS
from graphviz_dl.training.network import LOSS_TITLES

from ui.training_lab.boundary_view import BoundaryView
from ui.common.settings import SettingsSaver, lab_settings
from ui.training_lab.network_diagram import NetworkDiagram
from ui.common.standalone import add_screenshot_option, run_standalone
from ui.training_lab.commands import EditPoints, SetConfig, SetData
from ui.training_lab.curves import TrainingCurves
from ui.training_lab.training_model import (
    DATASETS,
    SUGGESTED,
    DataSpec,
    TrainingModel,
    check_run,
    config_from_json,
    config_to_json,
    fitted_config,
    spec_from_json,
    spec_to_json,
)
from ui.training_lab.timeline import TrainingTimeline
from ui.training_lab.training_worker import RenderOptions

SETTINGS_APP = "training-lab"
ACTIVATION_TITLES = {
    "relu": "ReLU",
    "leaky_relu": "leaky ReLU",
    "tanh": "tanh",
    "sigmoid": "sigmoid",
    "gelu": "GELU",
    "linear": "linear (none)",
}
INIT_TITLES = {
    "small": "small uniform U(−0.1, 0.1)",
    "uniform": "uniform U(−1, 1)",
    "xavier": "Xavier / Glorot",
    "he": "He",
}
SCHEDULES = (
    ("constant", ""),
    ("step ×0.5 every 50", "step:step_size=50,gamma=0.5"),
    ("exponential ×0.99", "exponential:gamma=0.99"),
    ("cosine over 200", "cosine:T_max=200"),
    ("on plateau ×0.5", "plateau:factor=0.5,patience=10"),
)
ERROR_STYLE = "color: #b01010;"
BANNER_STYLE = (
    "QLabel { background: #fdecea; color: #611a15; border: 1px solid #f5c2c0;"
    " border-radius: 4px; padding: 6px; }"
)


class LogSpinBox(QDoubleSpinBox):
    """A positive number stepped by factors (×10 in four clicks), shown plainly."""

    def __init__(self, low: float, high: float, parent: QWidget | None = None):
        super().__init__(parent)
        self.setDecimals(12)
        self.setRange(low, high)
        self.setKeyboardTracking(False)

    def stepBy(self, steps: int) -> None:
        self.setValue(self.value() * 10 ** (steps / 4))

    def textFromValue(self, value: float) -> str:
        return format_number(value, 4)

    def valueFromText(self, text: str) -> float:
        try:
            return float(text.replace("\u2212", "-"))
        except ValueError:
            return self.value()

    def validate(self, text, pos):
        from PySide6.QtGui import QValidator

        try:
            float(text.replace("\u2212", "-"))
        except ValueError:
            return QValidator.State.Intermediate, text, pos
        return QValidator.State.Acceptable, text, pos


def _spin(low: float, high: float, step: float, decimals: int = 3) -> QDoubleSpinBox:
    box = QDoubleSpinBox()
    box.setRange(low, high)
    box.setSingleStep(step)
    box.setDecimals(decimals)
    box.setKeyboardTracking(False)
    return box


def _int_spin(low: int, high: int) -> QSpinBox:
    box = QSpinBox()
    box.setRange(low, high)
    box.setKeyboardTracking(False)
    return box


def parse_hidden(text: str) -> tuple[int, ...]:
    """``"8, 8"`` → ``(8, 8)``; an empty text is a linear model."""
    parts = [p for p in text.replace(";", ",").replace(" ", ",").split(",") if p]
    widths = []
    for part in parts:
        if not part.isdigit():
            raise ValueError(
                f"hidden layers are whole numbers separated by commas, not {part!r}"
            )
        widths.append(int(part))
    if len(widths) > MAX_LAYERS:
        raise ValueError(f"at most {MAX_LAYERS} hidden layers")
    return tuple(widths)


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
        spec, config = self._read_settings()
        self.model = TrainingModel(self, spec=spec, config=config)
        self.undo_stack = QUndoStack(self)
        self.last_plane = None
        self._build()
        self._connect()
        self._update_controls()
        self._update_playing(False)
        self._update_status()

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
        config = self.model.config
        if name in SUGGESTED:
            config = config.with_changes(**SUGGESTED[name])
        title = DATASETS[name][0]
        self.undo_stack.push(SetData(self.model, spec, f"data {title}", config=config))

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
        surface = plane.as_surface()
        self.status.setText(
            "The loss around these weights opens in the optimizer lab "
            "(the point (0, 0) is where the network is now; the grey line is "
            "the run so far)"
        )
        path = plane.trajectory.copy()  # the run's snapshots, on the plane
        self.openSurfaceRequested.emit((surface, (0.0, 0.0), path))

    def load_csv(self, path: str) -> bool:
        try:
            dataset = Dataset.from_csv(path)
        except (DatasetFileError, ValueError) as error:
            self.status.setText(str(error))
            return False
        return self._push_data(None, f"load {dataset.name}", dataset=dataset)

    def save_csv(self, path: str) -> bool:
        try:
            self.model.dataset.to_csv(path)
        except OSError as error:
            self.status.setText(f"Could not write {path}: {error.strerror or error}")
            return False
        self.status.setText(f"Saved {self.model.dataset.n_points} points to {path}")
        return True

    # --- building ---------------------------------------------------------------------------
    def _build(self) -> None:
        model = self.model
        self.boundary_view = BoundaryView(model)
        self.curves = TrainingCurves(model)
        self.diagram = NetworkDiagram(model)
        self.timeline = TrainingTimeline(model)

        # data
        self.dataset_chooser = QComboBox()
        self.dataset_chooser.setObjectName("datasetChooser")
        for key, (title, _, _) in DATASETS.items():
            self.dataset_chooser.addItem(title, key)
        self.n_points = _int_spin(4, 2000)
        self.n_points.setObjectName("dataPoints")
        self.n_points.setSingleStep(20)
        self.noise = _spin(0.0, 2.0, 0.02)
        self.noise.setObjectName("dataNoise")
        self.test_share = _spin(0.0, 0.9, 0.05, 2)
        self.test_share.setObjectName("testShare")
        self.data_seed = _int_spin(0, 10**6)
        self.data_seed.setObjectName("dataSeed")
        self.load_button = QPushButton("Load CSV…")
        self.load_button.setObjectName("dataLoad")
        self.save_button = QPushButton("Save CSV…")
        self.save_button.setObjectName("dataSave")
        self.data_info = QLabel()
        self.data_info.setObjectName("dataInfo")
        self.data_info.setWordWrap(True)
        self.data_info.setStyleSheet("color: #555;")

        # model
        self.hidden = QLineEdit()
        self.hidden.setObjectName("hiddenLayers")
        self.hidden.setToolTip("Widths of the hidden layers, e.g. 8, 8 (empty: linear)")
        self.activation = QComboBox()
        self.activation.setObjectName("activation")
        for key, title in ACTIVATION_TITLES.items():
            self.activation.addItem(title, key)
        self.init = QComboBox()
        self.init.setObjectName("initChooser")
        for key in INITS:
            self.init.addItem(INIT_TITLES.get(key, key), key)
        self.loss = QComboBox()
        self.loss.setObjectName("lossChooser")
        self.l1 = LogSpinBox(0.0, 10.0)
        self.l1.setObjectName("l1")
        self.l2 = LogSpinBox(0.0, 10.0)
        self.l2.setObjectName("l2")
        for box in (self.l1, self.l2):
            box.setSpecialValueText("off")
            box.setToolTip("Penalty strength λ on the weights (0: off)")
        self.dropout = _spin(0.0, 0.9, 0.05, 2)
        self.dropout.setObjectName("dropout")
        self.dropout.setToolTip(
            "Share of hidden units switched off per sample (training only)"
        )

        # training
        self.optimizer = QComboBox()
        self.optimizer.setObjectName("optimizerChooser")
        for kind in TRAINING_OPTIMIZERS:
            self.optimizer.addItem(OPTIMIZERS[kind].title, kind)
        self.learning_rate = LogSpinBox(1e-6, 100.0)
        self.learning_rate.setObjectName("learningRate")
        self.learning_rate.setToolTip("Learning rate (arrows: ×1.78 per click)")
        self.hyper_box = QWidget()
        self.hyper_form = QFormLayout(self.hyper_box)
        self.hyper_form.setContentsMargins(0, 0, 0, 0)
        self.hyper_widgets: dict[str, QWidget] = {}
        self.batch_size = _int_spin(0, 100000)
        self.batch_size.setObjectName("batchSize")
        self.batch_size.setSpecialValueText("full batch")
        self.batch_size.setToolTip("1 = stochastic gradient descent; full = batch GD")
        self.schedule = QComboBox()
        self.schedule.setObjectName("schedule")
        for title, text in SCHEDULES:
            self.schedule.addItem(title, text)
        self.early_stopping = QCheckBox("Early stopping")
        self.early_stopping.setObjectName("earlyStopping")
        self.patience = _int_spin(1, 1000)
        self.patience.setObjectName("patience")
        self.patience.setSuffix(" epochs")
        self.patience.setToolTip("Patience: epochs without a better test loss")
        self.weight_seed = _int_spin(0, 10**6)
        self.weight_seed.setObjectName("weightSeed")
        self.weight_seed.setToolTip("Seed of the starting weights, batches and dropout")
        self.config_error = QLabel()
        self.config_error.setObjectName("configError")
        self.config_error.setWordWrap(True)
        self.config_error.setStyleSheet(ERROR_STYLE)
        self.config_error.setVisible(False)

        data_box = QGroupBox("Data")
        form = QFormLayout(data_box)
        form.addRow("Set", self.dataset_chooser)
        form.addRow("Points", self.n_points)
        form.addRow("Noise", self.noise)
        form.addRow("Test share", self.test_share)
        form.addRow("Seed", self.data_seed)
        files = QHBoxLayout()
        files.addWidget(self.load_button)
        files.addWidget(self.save_button)
        form.addRow(files)
        form.addRow(self.data_info)
        model_box = QGroupBox("Model")
        form = QFormLayout(model_box)
        form.addRow("Hidden", self.hidden)
        form.addRow("Activation", self.activation)
        form.addRow("Init", self.init)
        form.addRow("Loss", self.loss)
        form.addRow("L1", self.l1)
        form.addRow("L2", self.l2)
        form.addRow("Dropout", self.dropout)
        train_box = QGroupBox("Training")
        form = QFormLayout(train_box)
        form.addRow("Optimizer", self.optimizer)
        form.addRow("Learning rate", self.learning_rate)
        form.addRow(self.hyper_box)
        form.addRow("Batch size", self.batch_size)
        form.addRow("LR schedule", self.schedule)
        stopping = QHBoxLayout()
        stopping.addWidget(self.early_stopping)
        stopping.addWidget(self.patience)
        form.addRow(stopping)
        form.addRow("Init seed", self.weight_seed)
        form.addRow(self.config_error)
        side = QWidget()
        column = QVBoxLayout(side)
        column.setContentsMargins(0, 0, 4, 0)
        for box in (data_box, model_box, train_box):
            column.addWidget(box)
        column.addStretch(1)
        scroll = QScrollArea()
        scroll.setWidget(side)
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QFrame.Shape.NoFrame)
        scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        scroll.setMinimumWidth(240)
        scroll.setMaximumWidth(330)
        for combo in side.findChildren(QComboBox):
            combo.setSizeAdjustPolicy(
                QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon
            )
            combo.setMinimumContentsLength(8)
            combo.setMinimumWidth(60)

        # the run's controls
        self.play = QPushButton("▶ Play")
        self.play.setObjectName("trainPlayPause")
        self.play.setCheckable(True)
        self.play.setToolTip("Train or pause (Space)")
        self.step_button = QPushButton("Step batch")
        self.step_button.setObjectName("trainStep")
        self.step_button.setToolTip("One optimizer step on the next batch")
        self.epoch_button = QPushButton("Step epoch")
        self.epoch_button.setObjectName("trainStepEpoch")
        self.epoch_button.setToolTip("Steps to the end of the epoch")
        self.reset_button = QPushButton("Reset")
        self.reset_button.setObjectName("trainReset")
        self.reset_button.setToolTip("New starting weights, same settings")
        self.run_status = QLabel()
        self.run_status.setObjectName("trainStatus")
        self.run_status.setSizePolicy(
            QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred
        )
        self.undo_button = QToolButton()
        self.undo_button.setObjectName("trainingUndo")
        self.undo_button.setText("Undo")
        self.undo_button.setEnabled(False)
        self.redo_button = QToolButton()
        self.redo_button.setObjectName("trainingRedo")
        self.redo_button.setText("Redo")
        self.redo_button.setEnabled(False)
        self._undo_actions()
        self.message = QLabel()
        self.message.setObjectName("trainingMessage")
        self.message.setWordWrap(True)
        self.message.setStyleSheet(BANNER_STYLE)
        self.message.setVisible(False)
        self.status = QLabel()
        self.status.setObjectName("trainingStatusLine")
        self.status.setWordWrap(True)

        run_row = QHBoxLayout()
        for w in (self.play, self.step_button, self.epoch_button, self.reset_button):
            run_row.addWidget(w)
        run_row.addStretch(1)
        run_row.addWidget(self.undo_button)
        run_row.addWidget(self.redo_button)
        centre = QWidget()
        middle = QVBoxLayout(centre)
        middle.setContentsMargins(0, 0, 0, 0)
        middle.setSpacing(4)
        middle.addLayout(run_row)
        middle.addWidget(self.run_status)
        middle.addWidget(self.message)
        middle.addWidget(self.boundary_view, 1)
        middle.addWidget(self.timeline)

        # the network and its loss surface
        self.surface_button = QToolButton()
        self.surface_button.setObjectName("lossSurfaceHere")
        self.surface_button.setText("Loss surface here ▾")
        self.surface_button.setToolTip(
            "Open the loss around the current weights in the optimizer lab"
        )
        self.surface_button.setPopupMode(QToolButton.ToolButtonPopupMode.InstantPopup)
        menu = QMenu(self.surface_button)
        menu.addAction(
            "Two random directions (filter-normalized)",
            lambda: self.open_loss_surface("random"),
        )
        menu.addAction(
            "The run's two main directions", lambda: self.open_loss_surface("pca")
        )
        menu.addAction("Two chosen weights…", self._choose_weights)
        self.surface_button.setMenu(menu)
        diagram_box = QWidget()
        box = QVBoxLayout(diagram_box)
        box.setContentsMargins(0, 0, 0, 0)
        header = QHBoxLayout()
        header.addWidget(QLabel("Network"))
        header.addStretch(1)
        header.addWidget(self.surface_button)
        box.addLayout(header)
        box.addWidget(self.diagram, 1)
        right = QSplitter(Qt.Orientation.Vertical)
        right.addWidget(self.curves)
        right.addWidget(diagram_box)
        right.setStretchFactor(0, 3)
        right.setStretchFactor(1, 2)
        right.setSizes([420, 280])

        main = QSplitter(Qt.Orientation.Horizontal)
        main.addWidget(scroll)
        main.addWidget(centre)
        main.addWidget(right)
        main.setStretchFactor(0, 0)
        main.setStretchFactor(1, 3)
        main.setStretchFactor(2, 2)
        main.setSizes([250, 610, 400])
        self.splitter = main
        layout = QVBoxLayout(self)
        layout.setContentsMargins(6, 6, 6, 6)
        layout.setSpacing(4)
        layout.addWidget(main, 1)
        layout.addWidget(self.status)

    def _undo_actions(self) -> None:
        stack = self.undo_stack
        for make, key, button in (
            (stack.createUndoAction, QKeySequence.StandardKey.Undo, self.undo_button),
            (stack.createRedoAction, QKeySequence.StandardKey.Redo, self.redo_button),
        ):
            action: QAction = make(self)
            action.setShortcut(key)
            action.setShortcutContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
            self.addAction(action)
        self.undo_button.clicked.connect(stack.undo)
        self.redo_button.clicked.connect(stack.redo)
        stack.canUndoChanged.connect(self.undo_button.setEnabled)
        stack.canRedoChanged.connect(self.redo_button.setEnabled)
        stack.undoTextChanged.connect(
            lambda t: self.undo_button.setToolTip(f"Undo {t}")
        )
        stack.redoTextChanged.connect(
            lambda t: self.redo_button.setToolTip(f"Redo {t}")
        )

    def _connect(self) -> None:
        model = self.model
        self.dataset_chooser.activated.connect(
            lambda i: self.select_dataset(self.dataset_chooser.itemData(i))
        )
        self.n_points.valueChanged.connect(lambda v: self._set_spec(n_points=int(v)))
        self.noise.valueChanged.connect(lambda v: self._set_spec(noise=float(v)))
        self.test_share.valueChanged.connect(
            lambda v: self._set_spec(test_fraction=float(v))
        )
        self.data_seed.valueChanged.connect(lambda v: self._set_spec(seed=int(v)))
        self.load_button.clicked.connect(self._load_dialog)
        self.save_button.clicked.connect(self._save_dialog)
        self.hidden.editingFinished.connect(self._on_hidden)
        self.activation.activated.connect(
            lambda i: self._set(activation=self.activation.itemData(i))
        )
        self.init.activated.connect(lambda i: self._set(init=self.init.itemData(i)))
        self.loss.activated.connect(lambda i: self._set(loss=self.loss.itemData(i)))
        self.l1.valueChanged.connect(lambda v: self._set(l1=float(v)))
        self.l2.valueChanged.connect(lambda v: self._set(l2=float(v)))
        self.dropout.valueChanged.connect(lambda v: self._set(dropout=float(v)))
        self.optimizer.activated.connect(self._on_optimizer)
        self.learning_rate.valueChanged.connect(lambda v: self._set(lr=float(v)))
        self.batch_size.valueChanged.connect(
            lambda v: self._set(batch_size=int(v) if v > 0 else None)
        )
        self.schedule.activated.connect(
            lambda i: self._set(schedule=self.schedule.itemData(i))
        )
        self.early_stopping.toggled.connect(lambda on: self._set(early_stopping=on))
        self.patience.valueChanged.connect(lambda v: self._set(patience=int(v)))
        self.weight_seed.valueChanged.connect(lambda v: self._set(seed=int(v)))

        self.play.toggled.connect(model.set_playing)
        self.step_button.clicked.connect(model.step_batch)
        self.epoch_button.clicked.connect(model.step_epoch)
        self.reset_button.clicked.connect(model.reset)
        space = QShortcut(QKeySequence(Qt.Key.Key_Space), self)
        space.setContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        space.activated.connect(lambda: model.set_playing(not model.playing))
        self.boundary_view.pointClicked.connect(self.open_point)
        self.boundary_view.planeClicked.connect(self._add_point)

        model.playingChanged.connect(self._update_playing)
        model.messageChanged.connect(self._update_message)
        model.frameShown.connect(self._update_status)
        model.configChanged.connect(self._update_controls)
        model.dataChanged.connect(self._update_controls)
        model.failed.connect(self.status.setText)
        changes = (model.configChanged, model.dataChanged)
        self._saver = SettingsSaver(self.save_settings, changes, self)
        stop = self.model.worker.stopper()
        self.destroyed.connect(lambda *_: stop())

    # --- controls → model -----------------------------------------------------------------------
    def _set(self, **changes) -> None:
        """Apply changed settings as one undoable step (a new run)."""
        model = self.model
        try:
            config = model.config.with_changes(**changes)
            if config == model.config:
                return
            name = ", ".join(changes)
            key = next(iter(changes)) if len(changes) == 1 else None
            config.check(model.dataset)
        except (TypeError, ValueError) as error:
            self._show_config_error(str(error))
            self._update_controls()
            return
        self._show_config_error("")
        self.undo_stack.push(SetConfig(model, config, name, merge_key=key))

    def _set_spec(self, **changes) -> None:
        spec = self.model.spec
        try:
            new = DataSpec(**{**spec.__dict__, **changes})
        except ValueError as error:
            self._show_config_error(str(error))
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
            self._show_config_error(problem)
            self._update_controls()
            return False
        self._show_config_error("")
        self.undo_stack.push(SetData(self.model, spec, text, dataset, config))
        return True

    def _on_hidden(self) -> None:
        try:
            hidden = parse_hidden(self.hidden.text())
        except ValueError as error:
            self._show_config_error(str(error))
            return
        self._set(hidden=hidden)

    def _on_optimizer(self, index: int) -> None:
        kind = self.optimizer.itemData(index)
        if kind == self.model.config.optimizer:
            return
        lr = self.model.config.lr
        self._set(optimizer=kind, hyper={"lr": lr})

    def _on_hyper(self, name: str, value: float) -> None:
        self._set(**{name: float(value)})

    def _add_point(self, x: float, y: float, label: int) -> None:
        data = self.model.dataset.copy()
        try:
            if data.task == "regression":
                index = data.add_point([x], y)
            else:
                if label >= data.n_classes:
                    self.status.setText(
                        f"This data has {data.n_classes} classes: left click adds "
                        "class 0, right click class 1"
                    )
                    return
                index = data.add_point([x, y], label)
        except ValueError as error:
            self.status.setText(str(error))
            return
        what = "point" if data.task == "regression" else f"class {label} point"
        self.undo_stack.push(EditPoints(self.model, data, f"add {what}"))
        self.status.setText(
            f"Added {what} #{index} at ({format_number(x, 3)}, "
            f"{format_number(y, 3)}); Undo removes it"
        )

    def _choose_weights(self) -> None:
        labels = self.model.trainer.network.labels
        dialog = QDialog(self)
        dialog.setObjectName("chooseWeights")
        dialog.setWindowTitle("Loss over two weights")
        form = QFormLayout(dialog)
        first, second = QComboBox(), QComboBox()
        for box in (first, second):
            box.addItems(
                [lab for lab in labels if lab.startswith("w")]
                + [lab for lab in labels if not lab.startswith("w")]
            )
        second.setCurrentIndex(min(1, second.count() - 1))
        form.addRow("horizontal axis", first)
        form.addRow("vertical axis", second)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        buttons.accepted.connect(dialog.accept)
        buttons.rejected.connect(dialog.reject)
        form.addRow(buttons)
        if dialog.exec() == QDialog.DialogCode.Accepted:
            self.open_loss_surface("weights", first.currentText(), second.currentText())

    def _load_dialog(self) -> None:
        path, _ = QFileDialog.getOpenFileName(
            self, "Load points", "", "CSV table (*.csv);;All files (*)"
        )
        if path:
            self.load_csv(path)

    def _save_dialog(self) -> None:
        path, _ = QFileDialog.getSaveFileName(
            self, "Save points", "points.csv", "CSV table (*.csv)"
        )
        if path:
            self.save_csv(path)

    def _show_config_error(self, text: str) -> None:
        self.config_error.setText(text)
        self.config_error.setVisible(bool(text))

    # --- model → controls --------------------------------------------------------------------
    def _update_controls(self) -> None:
        model = self.model
        config, spec, data = model.config, model.spec, model.dataset
        widgets = [
            self.dataset_chooser, self.n_points, self.noise, self.test_share,
            self.data_seed, self.hidden, self.activation, self.init, self.loss,
            self.l1, self.l2, self.dropout, self.optimizer, self.learning_rate,
            self.batch_size, self.schedule, self.early_stopping, self.patience,
            self.weight_seed,
        ]  # fmt: skip
        for w in widgets:
            w.blockSignals(True)
        try:
            self.dataset_chooser.setCurrentIndex(
                self.dataset_chooser.findData(spec.kind)
            )
            self.n_points.setValue(spec.n_points)
            self.noise.setValue(spec.noise_value)
            self.test_share.setValue(spec.test_fraction)
            self.data_seed.setValue(spec.seed)
            self.hidden.setText(", ".join(map(str, config.hidden)))
            self.activation.setCurrentIndex(self.activation.findData(config.activation))
            self.init.setCurrentIndex(self.init.findData(config.init))
            self.loss.clear()
            self.loss.addItem(
                f"auto ({LOSS_TITLES[LOSSES_BY_TASK[data.task][0]]})", "auto"
            )
            for name in LOSSES_BY_TASK[data.task]:
                self.loss.addItem(LOSS_TITLES.get(name, name), name)
            self.loss.setCurrentIndex(max(0, self.loss.findData(config.loss)))
            self.l1.setValue(config.l1)
            self.l2.setValue(config.l2)
            self.dropout.setValue(config.dropout)
            self.optimizer.setCurrentIndex(self.optimizer.findData(config.optimizer))
            self.learning_rate.setValue(config.lr)
            self.batch_size.setMaximum(max(1, data.n_points))
            self.batch_size.setValue(config.batch_size or 0)
            index = self.schedule.findData(config.schedule)
            if index < 0:
                self.schedule.addItem(config.schedule, config.schedule)
                index = self.schedule.count() - 1
            self.schedule.setCurrentIndex(index)
            self.early_stopping.setChecked(config.early_stopping)
            self.patience.setValue(config.patience)
            self.weight_seed.setValue(config.seed)
        finally:
            for w in widgets:
                w.blockSignals(False)
        self._update_hyper_form()
        train, test = data.train_index.size, data.test_index.size
        self.data_info.setText(
            f"{data.name}: {train} training, {test} test points. Click the plane to "
            "add points; click a point to open its graph."
        )

    def _update_hyper_form(self) -> None:
        config = self.model.config
        spec = OPTIMIZERS[config.optimizer]
        values = config.hyper_dict
        names = [hp.name for hp in spec.hyperparams if hp.name != "lr"]
        if list(self.hyper_widgets) != names:
            while self.hyper_form.rowCount():
                self.hyper_form.removeRow(0)
            self.hyper_widgets = {}
            for hp in spec.hyperparams:
                if hp.name == "lr":
                    continue
                if hp.boolean:
                    widget = QCheckBox(hp.name)
                    widget.toggled.connect(
                        lambda on, n=hp.name: self._on_hyper(n, 1.0 if on else 0.0)
                    )
                    self.hyper_form.addRow(widget)
                else:
                    if hp.log:
                        widget = LogSpinBox(hp.low, hp.high)
                    else:
                        widget = _spin(hp.low, hp.high, (hp.high - hp.low) / 100, 4)
                    widget.valueChanged.connect(
                        lambda v, n=hp.name: self._on_hyper(n, v)
                    )
                    self.hyper_form.addRow(hp.name, widget)
                widget.setObjectName(f"hyper_{hp.name}")
                widget.setToolTip(hp.help)
                self.hyper_widgets[hp.name] = widget
        for name, widget in self.hyper_widgets.items():
            widget.blockSignals(True)
            if isinstance(widget, QCheckBox):
                widget.setChecked(values[name] == 1.0)
            else:
                widget.setValue(values[name])
            widget.blockSignals(False)

    def _update_playing(self, playing: bool) -> None:
        self.play.blockSignals(True)
        self.play.setChecked(playing)
        self.play.blockSignals(False)
        self.play.setText("⏸ Pause" if playing else "▶ Play")

    def _update_message(self, text: str) -> None:
        self.message.setText(text)
        self.message.setVisible(bool(text))

    def _update_status(self) -> None:
        model = self.model
        trainer = model.trainer
        frame = model.frame
        if frame is None:
            return
        parts = [f"epoch {frame.epoch}", f"step {frame.step}"]
        if model.viewed is None:
            loss = trainer.history.last("train_loss")
            test = trainer.history.last("test_loss")
            parts.append(f"train loss {format_number(loss, 3)}")
            if math.isfinite(test):
                parts.append(f"test {format_number(test, 3)}")
            accuracy = trainer.history.last("test_accuracy")
            if math.isfinite(accuracy):
                parts.append(f"test accuracy {format_number(100 * accuracy, 3)} %")
        else:
            parts.insert(0, "rewound to")
        self.run_status.setText(" · ".join(parts))
        if frame.problem:
            self.status.setText(frame.problem)

    # --- visibility, settings -----------------------------------------------------------------
    def showEvent(self, event) -> None:
        super().showEvent(event)
        self.model.set_options(RenderOptions(units=True))

    def hideEvent(self, event) -> None:
        """Pause and keep the settings when the lab goes out of sight."""
        self.model.set_playing(False)
        self._saver.flush()
        super().hideEvent(event)

    def save_settings(self) -> None:
        s = self._settings
        s.setValue("data", json.dumps(spec_to_json(self.model.spec)))
        s.setValue("config", json.dumps(config_to_json(self.model.config)))
        s.sync()

    def _read_settings(self) -> tuple[DataSpec | None, TrainingConfig | None]:
        s = self._settings
        try:
            spec = spec_from_json(json.loads(str(s.value("data", ""))))
        except ValueError:
            spec = None
        try:
            config = config_from_json(json.loads(str(s.value("config", ""))))
        except ValueError:
            config = None
        return spec, config


def main(argv: list[str] | None = None) -> int:
    """Open the lab alone in a window, or render it to a PNG (``--screenshot``)."""
    parser = argparse.ArgumentParser(prog="python -m ui.training_lab")
    parser.add_argument("--dataset", choices=list(DATASETS), help="the data to learn")
    parser.add_argument("--epochs", type=int, default=0, help="epochs to train first")
    add_screenshot_option(parser)
    args = parser.parse_args(sys.argv[1:] if argv is None else argv)

    def prepare(lab: TrainingLab) -> None:
        if args.dataset:
            lab.select_dataset(args.dataset)

    def after_show(lab: TrainingLab) -> None:
        if args.epochs:
            lab.train_epochs(args.epochs)

    return run_standalone(
        lambda settings: TrainingLab(settings=settings),
        "graphviz-dl · training lab",
        args.screenshot,
        prepare=prepare,
        after_show=after_show,
    )


if __name__ == "__main__":
    sys.exit(main())
