"""The lab's left column: the data, model and training forms, scrolling, with
the reason an edit was refused under them."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QComboBox,
    QFrame,
    QLabel,
    QLayout,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from graphviz_dl.labs.training import TrainingModel
from ui.training_lab.setting_boxes import DataBox, ModelBox
from ui.training_lab.training_box import TrainingBox

ERROR_STYLE = "color: #b01010;"


class SettingsPanel(QScrollArea):
    """Three forms in a column; ``update_from`` shows the model's settings."""

    def __init__(self, model: TrainingModel, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.data_box = DataBox(model)
        self.model_box = ModelBox(model)
        self.training_box = TrainingBox(model)
        self.error = QLabel()
        self.error.setObjectName("configError")
        self.error.setWordWrap(True)
        self.error.setStyleSheet(ERROR_STYLE)
        self.error.setVisible(False)
        self.training_box.layout().addRow(self.error)
        side = QWidget()
        column = QVBoxLayout(side)
        column.setContentsMargins(0, 0, 4, 0)
        for box in (self.data_box, self.model_box, self.training_box):
            column.addWidget(box)
        column.addStretch(1)
        # the forms' own minimum is a floor the scroll area keeps (it scrolls
        # instead of squeezing rows together before its layout catches up)
        column.setSizeConstraint(QLayout.SizeConstraint.SetMinimumSize)
        self.setWidget(side)
        self.setWidgetResizable(True)
        self.setFrameShape(QFrame.Shape.NoFrame)
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        for combo in side.findChildren(QComboBox):
            combo.setSizeAdjustPolicy(
                QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon
            )
            combo.setMinimumContentsLength(8)
            combo.setMinimumWidth(60)
        # Room for the forms beside the scroll bar: a column narrower than its
        # forms clips them on the right and squeezes wrapped rows together.
        scroll_bar = self.verticalScrollBar().sizeHint().width()
        self.setMinimumWidth(max(240, side.minimumSizeHint().width() + scroll_bar))
        self.setMaximumWidth(max(330, self.minimumWidth()))

    def update_from(self, model: TrainingModel) -> None:
        for box in (self.data_box, self.model_box, self.training_box):
            box.update_from(model)

    def show_error(self, text: str) -> None:
        self.error.setText(text)
        self.error.setVisible(bool(text))
