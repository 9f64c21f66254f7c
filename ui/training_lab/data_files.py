"""Points from and to CSV files: reading runs as a job (a big file never
freezes the window), writing replaces the file only once it is complete."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtWidgets import QFileDialog, QLabel, QMessageBox, QWidget

from graphviz_dl.datasets import (
    Dataset,
    DatasetFileError,
    LabelQuestion,
    labels_as_classes,
    read_csv,
)
from ui.common.jobs import JobRunner

PushData = Callable[..., bool]
#: The person's answer to a LabelQuestion: "regression", "classes" or None (cancel).
Ask = Callable[[LabelQuestion], str | None]


def ask_about_labels(parent: QWidget, question: LabelQuestion) -> str | None:
    """Ask in a dialog whether odd labels are numbers to predict or classes."""
    box = QMessageBox(parent)
    box.setObjectName("labelQuestion")
    box.setIcon(QMessageBox.Icon.Question)
    box.setWindowTitle("Classes or values?")
    box.setText(question.text)
    numbers = box.addButton("As numbers (regression)", QMessageBox.ButtonRole.YesRole)
    classes = None
    if question.values:
        classes = box.addButton("As classes", QMessageBox.ButtonRole.NoRole)
    box.addButton(QMessageBox.StandardButton.Cancel)
    box.setDefaultButton(numbers)
    box.exec()
    clicked = box.clickedButton()
    if clicked is numbers:
        return "regression"
    return "classes" if classes is not None and clicked is classes else None


class DataFiles:
    """Load and save the lab's points; tells the outcome on ``status``."""

    def __init__(self, parent: QWidget, status: QLabel, push_data: PushData) -> None:
        self._parent = parent
        self._status = status
        self._push_data = push_data
        self.runner = JobRunner(parent, threads=1)
        self.runner.progressed.connect(self._on_progress)
        self._path = ""
        self.ask: Ask = lambda question: ask_about_labels(parent, question)

    def load(self, path: str) -> bool:
        """Read ``path`` in the background; the points replace the current ones
        when it is read (a newer load supersedes this one)."""
        self._path = path
        self._status.setText(f"Reading {path}…")

        def read(job) -> tuple[Dataset, list[str], list[LabelQuestion]]:
            notes: list[str] = []
            questions: list[LabelQuestion] = []
            data = read_csv(
                path,
                progress=job.progress,
                cancelled=job.cancelled,
                notes=notes,
                questions=questions,
            )
            return data, notes, questions

        return self.runner.submit(read, self._on_loaded, self._on_failed) is not None

    def save(self, path: str, dataset: Dataset) -> bool:
        try:
            dataset.to_csv(path)  # atomic in the core
        except OSError as error:
            self._status.setText(f"Could not write {path}: {error.strerror or error}")
            return False
        self._status.setText(f"Saved {dataset.n_points} points to {path}")
        return True

    def load_dialog(self) -> None:
        path, _ = QFileDialog.getOpenFileName(
            self._parent, "Load points", "", "CSV table (*.csv);;All files (*)"
        )
        if path:
            self.load(path)

    def save_dialog(self, dataset: Dataset) -> None:
        path, _ = QFileDialog.getSaveFileName(
            self._parent, "Save points", "points.csv", "CSV table (*.csv)"
        )
        if path:
            self.save(path, dataset)

    def shutdown(self) -> None:
        self.runner.shutdown()

    def _on_progress(self, fraction: float) -> None:
        self._status.setText(f"Reading {self._path}… {100 * fraction:.0f} %")

    def _on_loaded(self, result: tuple) -> None:
        dataset, notes, questions = result
        for question in questions:
            answer = self.ask(question)
            if answer is None:
                self._status.setText(f"Not loaded: {self._path} (cancelled)")
                return
            if answer == "classes":
                dataset = labels_as_classes(dataset, question.values)
                notes.append(f"Labels taken as classes: {question.mapping_text}.")
            else:
                notes.append("Labels learnt as numbers (regression).")
        if self._push_data(None, f"load {dataset.name}", dataset=dataset):
            loaded = f"Loaded {dataset.n_points} points from {self._path}."
            self._status.setText(" ".join([loaded, *notes]))

    def _on_failed(self, error: BaseException) -> None:
        if isinstance(error, DatasetFileError | ValueError):
            self._status.setText(str(error))
        elif isinstance(error, MemoryError):
            self._status.setText(f"{self._path} is too large to read into memory")
        else:
            self._status.setText(f"Could not read {self._path}: {error}")
