"""Importing a CSV into the training lab: the Data panel names what came in,
odd labels are a question, a failed import leaves the points and its error
goes with the next good one."""

from __future__ import annotations

import pytest


def _load(qtbot, lab, path, name: str) -> None:
    assert lab.load_csv(str(path))
    qtbot.waitUntil(lambda: lab.model.dataset.name == name, timeout=10000)


def _info(lab) -> str:
    return lab.panel.data_box.info.text()


def test_an_imported_file_shows_in_the_data_panel(qtbot, training_lab, tmp_path):
    lab = training_lab
    three = tmp_path / "three.csv"
    rows = "".join(f"{i % 5};{i // 5};{i % 3}\n" for i in range(30))
    three.write_text("\ufeffx;y;label\n" + rows, encoding="utf-8")
    _load(qtbot, lab, three, "three")
    assert _info(lab).startswith("three: 30 rows, 2 inputs, 3 classes; 24 training")
    chooser = lab.dataset_chooser
    assert chooser.currentText() == "File: three"
    assert not lab.n_points.isEnabled()  # its knobs would make new points
    assert lab.status.text().startswith(f"Loaded 30 points from {three}.")
    lab.select_dataset("moons")
    assert _info(lab).startswith("moons: 200 rows, 2 inputs, 2 classes")
    assert chooser.currentText() == "Moons" and lab.n_points.isEnabled()
    assert chooser.findText("File: three") < 0
    lab.undo_stack.undo()  # back to the file's points
    assert chooser.currentText() == "File: three"


def test_a_bad_value_is_named_and_the_next_import_clears_it(
    qtbot, training_lab, tmp_path
):
    lab = training_lab
    bad = tmp_path / "bad.csv"
    bad.write_text("feature_1,feature_2,target\n0,0,0\n1,1.5.2,1\n")
    assert lab.load_csv(str(bad))
    qtbot.waitUntil(lambda: "bad.csv" in lab.status.text(), timeout=10000)
    qtbot.waitUntil(lambda: "line 3" in lab.status.text(), timeout=10000)
    assert "line 3, column 2, field 'feature_2': '1.5.2' is not a number" in (
        lab.status.text()
    )
    assert _info(lab).startswith("moons: 200 rows")  # the points stay
    good = tmp_path / "good.csv"
    good.write_text("x1\tx2\ty\n0\t0\t0\n1\t1\t1\n2\t0\t0\n0\t2\t1\n1\t2\t1\n")
    _load(qtbot, lab, good, "good")
    assert "bad.csv" not in lab.status.text()
    assert _info(lab).startswith("good: 5 rows, 2 inputs, 2 classes; 4 training")


@pytest.mark.parametrize(
    ("answer", "task", "summary"),
    [
        ("classes", "binary", "2 classes"),
        ("regression", "regression", "values to predict (regression)"),
        (None, None, None),
    ],
)
def test_signed_labels_ask_before_anything_changes(
    qtbot, training_lab, tmp_path, answer, task, summary
):
    lab = training_lab
    path = tmp_path / "signs.csv"
    path.write_text("x,y,label\n0,0,1\n1,1,-1\n2,0,1\n0,2,-1\n1,2,1\n")
    asked = []
    lab.files.ask = lambda question: asked.append(question.text) or answer
    assert lab.load_csv(str(path))
    qtbot.waitUntil(lambda: bool(asked), timeout=10000)
    assert "Learn them as numbers (regression)?" in asked[0]
    if answer is None:
        qtbot.waitUntil(lambda: "cancelled" in lab.status.text(), timeout=10000)
        assert lab.model.dataset.name == "moons"
        return
    qtbot.waitUntil(lambda: lab.model.dataset.name == "signs", timeout=10000)
    assert lab.model.dataset.task == task
    assert summary in _info(lab)
