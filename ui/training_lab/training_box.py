"""The training loop's form: optimizer and its hyperparameters, batch size,
schedule, early stopping and the seed of the starting weights."""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QFormLayout,
    QGroupBox,
    QWidget,
)

from graphviz_dl.labs.training import TrainingModel
from graphviz_dl.labs.training.runs import MAX_SEED
from graphviz_dl.labs.training.settings import LR_RANGE, MAX_BATCH, MAX_PATIENCE
from graphviz_dl.optimizer_menu import OPTIMIZERS, HyperParam
from graphviz_dl.training.config import TRAINING_OPTIMIZERS
from ui.training_lab.setting_boxes import SCHEDULES, named
from ui.training_lab.widgets import (
    LogSpinBox,
    fill_form,
    int_spin,
    side_by_side,
    signals_blocked,
    spin,
)


class TrainingBox(QGroupBox):
    """How the network is trained; edits come out as ``edited`` dicts."""

    edited = Signal(dict)  # changes to the training config

    def __init__(self, model: TrainingModel, parent: QWidget | None = None) -> None:
        super().__init__("Training", parent)
        self._model = model
        self.optimizer = named(QComboBox(), "optimizerChooser")
        for kind in TRAINING_OPTIMIZERS:
            self.optimizer.addItem(OPTIMIZERS[kind].title, kind)
        self.learning_rate = named(
            LogSpinBox(*LR_RANGE),
            "learningRate",
            "Learning rate (arrows: ×1.78 per click)",
        )
        self.hyper_box = QWidget()
        self.hyper_form = QFormLayout(self.hyper_box)
        self.hyper_form.setContentsMargins(0, 0, 0, 0)
        self.hyper_widgets: dict[str, QWidget] = {}
        self.batch_size = named(
            int_spin(0, MAX_BATCH),
            "batchSize",
            "1 = stochastic gradient descent; full = batch GD",
        )
        self.batch_size.setSpecialValueText("full batch")
        self.schedule = named(QComboBox(), "schedule")
        for title, text in SCHEDULES:
            self.schedule.addItem(title, text)
        self.early_stopping = named(QCheckBox("Early stopping"), "earlyStopping")
        self.patience = named(
            int_spin(1, MAX_PATIENCE),
            "patience",
            "Patience: epochs without a better test loss",
        )
        self.patience.setSuffix(" epochs")
        self.weight_seed = named(
            int_spin(0, MAX_SEED),
            "weightSeed",
            "Seed of the starting weights, batches and dropout",
        )
        fill_form(
            QFormLayout(self),
            [
                ("Optimizer", self.optimizer),
                ("Learning rate", self.learning_rate),
                self.hyper_box,
                ("Batch size", self.batch_size),
                ("LR schedule", self.schedule),
                side_by_side(self.early_stopping, self.patience),
                ("Init seed", self.weight_seed),
            ],
        )
        self._connect()

    def _connect(self) -> None:
        emit = self.edited.emit
        self.optimizer.activated.connect(self._on_optimizer)
        self.learning_rate.valueChanged.connect(lambda v: emit({"lr": float(v)}))
        self.batch_size.valueChanged.connect(
            lambda v: emit({"batch_size": int(v) if v > 0 else None})
        )
        self.schedule.activated.connect(
            lambda i: emit({"schedule": self.schedule.itemData(i)})
        )
        self.early_stopping.toggled.connect(lambda on: emit({"early_stopping": on}))
        self.patience.valueChanged.connect(lambda v: emit({"patience": int(v)}))
        self.weight_seed.valueChanged.connect(lambda v: emit({"seed": int(v)}))

    def _on_optimizer(self, index: int) -> None:
        kind = self.optimizer.itemData(index)
        config = self._model.config
        if kind != config.optimizer:
            self.edited.emit({"optimizer": kind, "hyper": {"lr": config.lr}})

    def update_from(self, model: TrainingModel) -> None:
        config = model.config
        boxes = (
            self.optimizer, self.learning_rate, self.batch_size, self.schedule,
            self.early_stopping, self.patience, self.weight_seed,
        )  # fmt: skip
        with signals_blocked(boxes):
            self.optimizer.setCurrentIndex(self.optimizer.findData(config.optimizer))
            self.learning_rate.setValue(config.lr)
            self.batch_size.setMaximum(max(1, model.dataset.n_points))
            self.batch_size.setValue(config.batch_size or 0)
            index = self.schedule.findData(config.schedule)
            if index < 0:
                self.schedule.addItem(config.schedule, config.schedule)
                index = self.schedule.count() - 1
            self.schedule.setCurrentIndex(index)
            self.early_stopping.setChecked(config.early_stopping)
            self.patience.setValue(config.patience)
            self.weight_seed.setValue(config.seed)
        self._update_hyper_form()

    def _update_hyper_form(self) -> None:
        config = self._model.config
        params = [hp for hp in OPTIMIZERS[config.optimizer].hyperparams]
        params = [hp for hp in params if hp.name != "lr"]
        if list(self.hyper_widgets) != [hp.name for hp in params]:
            while self.hyper_form.rowCount():
                self.hyper_form.removeRow(0)
            self.hyper_widgets = {hp.name: self._hyper_row(hp) for hp in params}
        values = config.hyper_dict
        with signals_blocked(self.hyper_widgets.values()):
            for name, widget in self.hyper_widgets.items():
                if isinstance(widget, QCheckBox):
                    widget.setChecked(values[name] == 1.0)
                else:
                    widget.setValue(values[name])

    def _hyper_row(self, hp: HyperParam) -> QWidget:
        name = hp.name
        if hp.boolean:
            widget = QCheckBox(name)
            widget.toggled.connect(
                lambda on: self.edited.emit({name: 1.0 if on else 0.0})
            )
            self.hyper_form.addRow(widget)
        else:
            if hp.log:
                widget = LogSpinBox(hp.low, hp.high)
            else:
                widget = spin(hp.low, hp.high, (hp.high - hp.low) / 100, 4)
            widget.valueChanged.connect(lambda v: self.edited.emit({name: float(v)}))
            self.hyper_form.addRow(name, widget)
        return named(widget, f"hyper_{name}", hp.help)
