"""CSV import: big files stop early, odd fields and labels are named in words."""

from __future__ import annotations

import pytest

from graphviz_dl.datasets import DatasetFileError, read_csv
from graphviz_dl.datasets.csv_reader import MAX_ROWS


def test_a_huge_file_stops_at_the_row_cap_without_reading_the_rest(tmp_path):
    path = tmp_path / "million.csv"
    path.write_text("x0,x1,y\n" + "0.5,0.25,1\n" * 500_000)
    seen: list[float] = []
    with pytest.raises(DatasetFileError) as caught:
        read_csv(path, progress=seen.append)
    error = caught.value
    assert error.line == MAX_ROWS + 2  # the header, then the first row too many
    assert "more than 100,000 points" in str(error)
    assert str(error).startswith("million.csv, line 100002")
    assert seen == sorted(seen) and 0 < seen[-1] < 0.25  # the rest is never read


def test_reading_can_be_cancelled(tmp_path):
    path = tmp_path / "big.csv"
    path.write_text("x0,x1,y\n" + "0.5,0.25,1\n" * 10_000)
    with pytest.raises(DatasetFileError, match="cancelled"):
        read_csv(path, cancelled=lambda: True)


def test_a_five_megabyte_field_is_named_not_a_crash(tmp_path):
    path = tmp_path / "wide.csv"
    path.write_text('x0,x1,y\n0,0,0\n1,"' + "1" * 5_000_000 + '",1\n')
    with pytest.raises(DatasetFileError) as caught:
        read_csv(path)
    assert caught.value.line == 3
    assert "wide.csv, line 3: a field is longer than 131,072 characters" in str(
        caught.value
    )


def test_a_huge_label_is_not_a_class(tmp_path):
    path = tmp_path / "labels.csv"
    path.write_text("x0,x1,label\n0,0,0\n1,1,1\n2,2,1e9\n")
    with pytest.raises(DatasetFileError) as caught:
        read_csv(path)
    error = caught.value
    assert (error.line, error.field) == (4, "label")
    assert "1e+09 is not a class: class labels are small whole numbers 0 … 19" in str(
        error
    )
    assert "parameters" not in str(error)


def test_negative_labels_are_learned_as_regression_and_said_so(tmp_path):
    path = tmp_path / "signs.csv"
    path.write_text("x0,x1,y\n0,0,1\n1,1,-1\n2,0,1\n")
    notes: list[str] = []
    data = read_csv(path, notes=notes)
    assert data.task == "regression"
    (note,) = notes
    assert note.startswith("signs.csv, line 3, field 'y'")
    assert "look like regression values" in note and "such as \u22121" in note
    path.write_text("# task: regression\nx0,x1,y\n0,0,1\n1,1,-1\n")
    notes.clear()
    assert read_csv(path, notes=notes).task == "regression" and not notes
