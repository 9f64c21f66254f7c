"""CSV import takes the tables people bring: common headers, no header,
``;``/tab separators, quotes, a byte-order mark; a bad value is named by line
and column; labels that may be classes are a question, not a silent switch."""

from __future__ import annotations

import numpy as np
import pytest

from graphviz_dl.datasets import (
    DatasetFileError,
    LabelQuestion,
    labels_as_classes,
    parse_csv,
    read_csv,
)

ROWS = [(0.5, -1.0, 0), (1.5, 2.0, 1), (-0.25, 0.75, 1), (2.0, 0.0, 0)]


def _table(header: str | None, sep: str = ",", quote: bool = False) -> str:
    def field(v) -> str:
        return f'"{v}"' if quote else str(v)

    lines = [] if header is None else [header]
    lines += [sep.join(field(v) for v in row) for row in ROWS]
    return "\n".join(lines) + "\n"


STYLES = {
    "x,y,label": _table("x,y,label"),
    "x1,x2,y": _table("x1,x2,y"),
    "feature_1,feature_2,target": _table("feature_1,feature_2,target"),
    "x0,x1,class": _table("x0,x1,class"),
    "no header": _table(None),
    "semicolons": _table("x;y;label", sep=";"),
    "tabs": _table("x1\tx2\ty", sep="\t"),
    "quoted": _table('"x","y","label"', quote=True),
    "byte-order mark": "\ufeff" + _table("x,y,label"),
    "spaces and capitals": _table(" X1 , X2 , Label "),
}


@pytest.mark.parametrize("style", STYLES)
def test_each_header_style_reads_the_same_points(tmp_path, style):
    path = tmp_path / "points.csv"
    path.write_text(STYLES[style], encoding="utf-8")
    data = read_csv(path, test_fraction=0.25, seed=3)
    assert data.X.tolist() == [[x0, x1] for x0, x1, _ in ROWS]
    assert data.y.tolist() == [label for *_, label in ROWS]
    assert (data.task, data.n_classes, data.name) == ("binary", 2, "points")
    assert (data.train_index.size, data.test_index.size) == (3, 1)


def test_a_semicolon_file_may_write_decimal_commas():
    data = parse_csv("x;y;label\n0,5;-1,25;0\n1;2;1\n")
    assert data.X.tolist() == [[0.5, -1.25], [1.0, 2.0]]


def test_two_columns_without_a_header_are_a_curve_to_fit():
    data = parse_csv("0.5,1.25\n-0.5,0.75\n1,2\n")
    assert data.task == "regression" and data.n_inputs == 1
    assert data.y.tolist() == [1.25, 0.75, 2.0]


@pytest.mark.parametrize(
    ("text", "line", "column", "field"),
    [
        ("x,y,label\n0,0,0\n1,oops,1\n", 3, 2, "y"),
        ("x;y;label\n0;0;0\n1;1;1\n2;2;zwei\n", 4, 3, "label"),
        ("\n# a comment\n0,0,0\n1,1,x\n", 4, 3, "y"),  # no header: named x0, x1, y
    ],
)
def test_a_bad_value_is_named_by_line_and_column(text, line, column, field):
    with pytest.raises(DatasetFileError) as caught:
        parse_csv(text, "bad.csv")
    error = caught.value
    assert (error.line, error.column, error.field) == (line, column, field)
    assert str(error).startswith(f"bad.csv, line {line}, column {column}, field ")
    assert "is not a number" in str(error)


@pytest.mark.parametrize(
    ("header", "words"),
    [
        ("x,y,colour", "unknown column 'colour'"),
        ("x,label,label", "target column 'label' twice"),
        ("label", "no input column"),
    ],
)
def test_a_header_that_says_nothing_usable_is_named(header, words):
    with pytest.raises(DatasetFileError, match=words) as caught:
        parse_csv(header + "\n0,0,0\n", "bad.csv")
    assert caught.value.line == 1


def test_signed_labels_are_a_question_that_classes_can_answer():
    questions: list[LabelQuestion] = []
    text = "x,y,label\n0,0,1\n1,1,-1\n2,0,1\n0,2,-1\n"
    data = parse_csv(text, "signs.csv", questions=questions)
    assert data.task == "regression"  # what it is until the person says
    (question,) = questions
    assert (question.line, question.field, question.values) == (3, "label", (-1, 1))
    assert question.text.startswith("signs.csv, line 3, field 'label'")
    assert "Learn them as numbers (regression)?" in question.text
    assert "\u22121 \u2192 0, 1 \u2192 1" in question.text
    classes = labels_as_classes(data, question.values)
    assert (classes.task, classes.n_classes) == ("binary", 2)
    assert classes.y.tolist() == [1, 0, 1, 0]
    assert np.array_equal(classes.test_index, data.test_index)


def test_many_different_labels_are_a_question_without_a_class_answer():
    rows = "".join(f"{i / 10},{i % 7},{i}\n" for i in range(40))
    questions: list[LabelQuestion] = []
    data = parse_csv("x1,x2,target\n" + rows, "many.csv", questions=questions)
    assert data.task == "regression"
    (question,) = questions
    assert question.distinct == 40 and question.values == ()
    assert "there are 40 different labels" in question.text
    with pytest.raises(ValueError, match="40 different labels cannot be classes"):
        labels_as_classes(data, tuple(range(40)))


def test_an_unknown_task_in_the_comment_is_named():
    with pytest.raises(DatasetFileError, match="unknown task 'ranking' in the comment"):
        parse_csv("# task: ranking\nx,y,label\n0,0,0\n", "odd.csv")


def test_a_file_that_says_its_task_is_not_questioned():
    questions: list[LabelQuestion] = []
    text = "# task: regression\nx,y,label\n0,0,1.5\n1,1,-1\n"
    assert parse_csv(text, questions=questions).task == "regression"
    assert questions == []
    assert parse_csv("x,y,label\n0,0,0\n1,1,1\n", questions=questions).task == "binary"
    assert questions == []
