"""The training lab's three forms: the data, the model, the training loop.

Each box shows the model's settings (``update_from``) and reports a person's
edits as a dict of changes (``edited``); the lab turns them into undoable
commands. Nothing here changes the model.
"""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QFormLayout,
    QGridLayout,
    QGroupBox,
    QLabel,
    QLineEdit,
    QPushButton,
    QWidget,
)

from graphviz_dl.labs.training import DATASETS, TrainingModel
from graphviz_dl.labs.training.runs import (
    MAX_NOISE,
    MAX_POINTS,
    MAX_SEED,
    MAX_TEST_FRACTION,
    MIN_POINTS,
)
from graphviz_dl.labs.training.settings import MAX_DROPOUT, MAX_PENALTY
from graphviz_dl.training import LOSSES_BY_TASK
from graphviz_dl.training.config import INITS
from graphviz_dl.training.features import FEATURES, raw_names
from graphviz_dl.training.network import LOSS_TITLES
from ui.training_lab.widgets import (
    LogSpinBox,
    fill_form,
    int_spin,
    side_by_side,
    signals_blocked,
    spin,
)

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
FILE_ITEM = "file"  # the chooser's item for points read from a file
SCHEDULES = (
    ("constant", ""),
    ("step ×0.5 every 50", "step:step_size=50,gamma=0.5"),
    ("exponential ×0.99", "exponential:gamma=0.99"),
    ("cosine over 200", "cosine:T_max=200"),
    ("on plateau ×0.5", "plateau:factor=0.5,patience=10"),
)


def named(widget: QWidget, name: str, tip: str = "") -> QWidget:
    widget.setObjectName(name)
    if tip:
        widget.setToolTip(tip)
    return widget


class DataBox(QGroupBox):
    """Which points: a generated set and its knobs, or a CSV file."""

    edited = Signal(dict)  # changes to the data spec
    datasetChosen = Signal(str)

    def __init__(self, model: TrainingModel, parent: QWidget | None = None) -> None:
        super().__init__("Data", parent)
        self._model = model
        self.chooser = named(QComboBox(), "datasetChooser")
        for key, (title, _, _) in DATASETS.items():
            self.chooser.addItem(title, key)
        self.n_points = named(int_spin(MIN_POINTS, MAX_POINTS), "dataPoints")
        self.n_points.setSingleStep(20)
        self.noise = named(spin(0.0, MAX_NOISE, 0.02), "dataNoise")
        self.test_share = named(spin(0.0, MAX_TEST_FRACTION, 0.05, 2), "testShare")
        self.seed = named(int_spin(0, MAX_SEED), "dataSeed")
        self.load_button = named(QPushButton("Load CSV…"), "dataLoad")
        self.save_button = named(QPushButton("Save CSV…"), "dataSave")
        self.info = named(QLabel(), "dataInfo")
        self.info.setWordWrap(True)
        self.info.setStyleSheet("color: #555;")
        fill_form(
            QFormLayout(self),
            [
                ("Set", self.chooser),
                ("Points", self.n_points),
                ("Noise", self.noise),
                ("Test share", self.test_share),
                ("Seed", self.seed),
                side_by_side(self.load_button, self.save_button),
                self.info,
            ],
        )
        self.chooser.activated.connect(self._chosen)
        for box, key, kind in (
            (self.n_points, "n_points", int),
            (self.noise, "noise", float),
            (self.test_share, "test_fraction", float),
            (self.seed, "seed", int),
        ):
            box.valueChanged.connect(
                lambda v, key=key, kind=kind: self.edited.emit({key: kind(v)})
            )

    def _chosen(self, index: int) -> None:
        key = self.chooser.itemData(index)
        if key != FILE_ITEM:  # the file's item stands for the points shown
            self.datasetChosen.emit(key)

    def update_from(self, model: TrainingModel) -> None:
        """Show the generator's knobs, or the file the points came from (its
        knobs would make new points, so they rest until a set is chosen)."""
        spec, data = model.spec, model.dataset
        from_file = not data.recipe
        boxes = (self.chooser, self.n_points, self.noise, self.test_share, self.seed)
        with signals_blocked(boxes):
            self._show_source(data.name if from_file else None, spec.kind)
            self.n_points.setValue(spec.n_points)
            self.noise.setValue(spec.noise_value)
            self.test_share.setValue(spec.test_fraction)
            self.seed.setValue(spec.seed)
        for box in boxes[1:]:
            box.setEnabled(not from_file)
        self.info.setText(data_summary(data))

    def _show_source(self, file_name: str | None, kind: str) -> None:
        index = self.chooser.findData(FILE_ITEM)
        if file_name is None:
            if index >= 0:
                self.chooser.removeItem(index)
            self.chooser.setCurrentIndex(self.chooser.findData(kind))
            return
        if index < 0:
            self.chooser.addItem("", FILE_ITEM)
            index = self.chooser.count() - 1
        self.chooser.setItemText(index, f"File: {file_name}")
        self.chooser.setCurrentIndex(index)


def data_summary(data) -> str:
    """The Data panel's line: name, rows, what is learnt, the split."""
    train, test = data.train_index.size, data.test_index.size
    if data.task == "regression":
        what = "values to predict (regression)"
    else:
        what = f"{data.n_classes} classes"
    return (
        f"{data.name}: {data.n_points} rows, {data.n_inputs} inputs, {what}; "
        f"{train} training, {test} test points. Click the plane to add points; "
        "click a point to open its graph."
    )


class ModelBox(QGroupBox):
    """The network's shape, activation, initialization, loss and penalties."""

    edited = Signal(dict)  # changes to the training config
    hiddenEdited = Signal(str)  # the hidden layers' text, to be parsed

    def __init__(self, model: TrainingModel, parent: QWidget | None = None) -> None:
        super().__init__("Model", parent)
        self.features = self._feature_boxes()
        self.hidden = named(
            QLineEdit(),
            "hiddenLayers",
            "Widths of the hidden layers, e.g. 8, 8 (empty: linear)",
        )
        self.activation = named(QComboBox(), "activation")
        for key, title in ACTIVATION_TITLES.items():
            self.activation.addItem(title, key)
        self.init = named(QComboBox(), "initChooser")
        for key in INITS:
            self.init.addItem(INIT_TITLES.get(key, key), key)
        self.loss = named(QComboBox(), "lossChooser")
        self.l1 = named(LogSpinBox(0.0, MAX_PENALTY), "l1")
        self.l2 = named(LogSpinBox(0.0, MAX_PENALTY), "l2")
        for box in (self.l1, self.l2):
            box.setSpecialValueText("off")
            box.setToolTip("Penalty strength λ on the weights (0: off)")
        self.dropout = named(
            spin(0.0, MAX_DROPOUT, 0.05, 2),
            "dropout",
            "Share of hidden units switched off per sample (training only)",
        )
        fill_form(
            QFormLayout(self),
            [
                self.features,
                ("Hidden", self.hidden),
                ("Activation", self.activation),
                ("Init", self.init),
                ("Loss", self.loss),
                ("L1", self.l1),
                ("L2", self.l2),
                ("Dropout", self.dropout),
            ],
        )
        self.hidden.editingFinished.connect(
            lambda: self.hiddenEdited.emit(self.hidden.text())
        )
        for combo, key in (
            (self.activation, "activation"),
            (self.init, "init"),
            (self.loss, "loss"),
        ):
            combo.activated.connect(
                lambda i, c=combo, k=key: self.edited.emit({k: c.itemData(i)})
            )
        for box, key in ((self.l1, "l1"), (self.l2, "l2"), (self.dropout, "dropout")):
            box.valueChanged.connect(lambda v, k=key: self.edited.emit({k: float(v)}))

    def _feature_boxes(self) -> QWidget:
        """One check box per feature input; a change starts a new run."""
        grid = QWidget()
        layout = QGridLayout(grid)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setHorizontalSpacing(4)
        layout.setVerticalSpacing(0)
        layout.addWidget(QLabel("Features fed to the network"), 0, 0, 1, 4)
        self.feature_boxes: dict[str, QCheckBox] = {}
        self._n_inputs = 2
        for k, (name, (title, _, _, _)) in enumerate(FEATURES.items()):
            box = named(QCheckBox(title), f"feature_{name}", "Feed this to the network")
            box.toggled.connect(self._on_feature)
            layout.addWidget(box, 1 + k // 4, k % 4)
            self.feature_boxes[name] = box
        return grid

    def _on_feature(self) -> None:
        chosen = tuple(n for n, box in self.feature_boxes.items() if box.isChecked())
        if chosen == raw_names(self._n_inputs):
            chosen = ()  # the raw inputs: the network as without features
        self.edited.emit({"features": chosen})

    def update_from(self, model: TrainingModel) -> None:
        self._n_inputs = n_inputs = model.dataset.n_inputs
        chosen = model.config.features or raw_names(n_inputs)
        with signals_blocked(self.feature_boxes.values()):
            for name, box in self.feature_boxes.items():
                box.setChecked(name in chosen)
                box.setEnabled(FEATURES[name][1] <= n_inputs)
        config, task = model.config, model.dataset.task
        boxes = (self.hidden, self.activation, self.init, self.loss)
        with signals_blocked((*boxes, self.l1, self.l2, self.dropout)):
            self.hidden.setText(", ".join(map(str, config.hidden)))
            self.activation.setCurrentIndex(self.activation.findData(config.activation))
            self.init.setCurrentIndex(self.init.findData(config.init))
            self.loss.clear()
            auto = LOSS_TITLES[LOSSES_BY_TASK[task][0]]
            self.loss.addItem(f"auto ({auto})", "auto")
            for name in LOSSES_BY_TASK[task]:
                self.loss.addItem(LOSS_TITLES.get(name, name), name)
            self.loss.setCurrentIndex(max(0, self.loss.findData(config.loss)))
            self.l1.setValue(config.l1)
            self.l2.setValue(config.l2)
            self.dropout.setValue(config.dropout)
