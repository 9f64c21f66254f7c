"""The training lab stops its work when it closes, and reads settings safely."""

from __future__ import annotations

import json
import threading

import pyqtgraph as pg
from PySide6.QtCore import QSettings
from PySide6.QtWidgets import QApplication

from ui.training_lab.lab import TrainingLab


def _lab(qtbot, settings: QSettings) -> TrainingLab:
    pg.setConfigOptions(imageAxisOrder="row-major")
    lab = TrainingLab(settings=settings)
    qtbot.addWidget(lab)
    lab.resize(1280, 800)
    lab.show()
    qtbot.waitExposed(lab)
    return lab


def test_closing_while_training_cancels_and_joins_the_jobs(qtbot, tmp_path):
    lab = _lab(qtbot, QSettings(str(tmp_path / "t.ini"), QSettings.Format.IniFormat))
    model = lab.model
    lab.n_points.setValue(2000)  # a bigger run: each job takes longer
    lab.play.click()
    qtbot.waitUntil(lambda: model.frame.step > 20, timeout=10000)
    assert model.playing and model.busy
    lab.close()
    assert not model.playing and not lab.play.isChecked()
    assert not model.busy and lab.runner.wait(0)  # joined: nothing runs
    assert lab.runner.submit(lambda job: None) is None  # and nothing starts
    step = model.trainer.step
    for _ in range(10):
        QApplication.processEvents()
    assert model.trainer.step == step
    assert not any(t.name == "training" for t in threading.enumerate())


def test_an_unbounded_remembered_value_falls_back_and_is_named(qtbot, tmp_path):
    path = tmp_path / "t.ini"
    settings = QSettings(str(path), QSettings.Format.IniFormat)
    data = {"kind": "xor", "n_points": 1e8, "noise": None, "test_fraction": 0.2}
    settings.setValue("data", json.dumps({**data, "seed": 0}))
    settings.sync()
    lab = _lab(qtbot, settings)
    try:
        assert lab.model.spec.kind == "xor" and lab.model.dataset.n_points == 200
        assert lab.n_points.value() == 200
        text = lab.status.text()
        assert "'n_points'" in text and "t.ini" in text and "using 200" in text
    finally:
        lab.shutdown()


def test_loading_a_csv_runs_as_a_job_and_says_what_it_found(qtbot, tmp_path):
    lab = _lab(qtbot, QSettings(str(tmp_path / "t.ini"), QSettings.Format.IniFormat))
    try:
        signs = tmp_path / "signs.csv"
        signs.write_text("x0,x1,y\n0,0,1\n1,1,-1\n2,0,1\n0,2,-1\n1,2,1\n")
        assert lab.load_csv(str(signs))
        qtbot.waitUntil(lambda: lab.model.dataset.name == "signs", timeout=10000)
        text = lab.status.text()
        assert text.startswith(f"Loaded 5 points from {signs}.")
        assert "line 3, field 'y': the labels look like regression values" in text
        assert lab.model.dataset.task == "regression"
        wide = tmp_path / "wide.csv"
        wide.write_text('x0,x1,y\n0,0,0\n1,"' + "1" * 5_000_000 + '",1\n')
        lab.load_csv(str(wide))
        qtbot.waitUntil(
            lambda: "wide.csv" in lab.status.text() and "line 3" in lab.status.text(),
            timeout=10000,
        )
        assert "a field is longer than 131,072 characters" in lab.status.text()
        assert lab.model.dataset.name == "signs"  # the points stay
    finally:
        lab.shutdown()
