"""The network diagram under its "Loss surface here" menu."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QMenu,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from graphviz_dl.labs.training import TrainingModel
from ui.training_lab.network_diagram import NetworkDiagram

OpenSurface = Callable[..., None]


class NetworkPanel(QWidget):
    """The diagram, and the menu that opens the loss around the weights shown."""

    def __init__(
        self,
        model: TrainingModel,
        open_surface: OpenSurface,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self._model = model
        self._open_surface = open_surface
        self.diagram = NetworkDiagram(model)
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
            lambda: open_surface("random"),
        )
        menu.addAction("The run's two main directions", lambda: open_surface("pca"))
        menu.addAction("Two chosen weights…", self.choose_weights)
        self.surface_button.setMenu(menu)
        box = QVBoxLayout(self)
        box.setContentsMargins(0, 0, 0, 0)
        header = QHBoxLayout()
        header.addWidget(QLabel("Network"))
        header.addStretch(1)
        header.addWidget(self.surface_button)
        box.addLayout(header)
        box.addWidget(self.diagram, 1)

    def choose_weights(self) -> None:
        """Ask for two weights, then open the loss over them."""
        labels = self._model.trainer.network.labels
        dialog = QDialog(self)
        dialog.setObjectName("chooseWeights")
        dialog.setWindowTitle("Loss over two weights")
        form = QFormLayout(dialog)
        first, second = QComboBox(), QComboBox()
        ordered = [lab for lab in labels if lab.startswith("w")]
        ordered += [lab for lab in labels if not lab.startswith("w")]
        for box in (first, second):
            box.addItems(ordered)
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
            self._open_surface("weights", first.currentText(), second.currentText())
