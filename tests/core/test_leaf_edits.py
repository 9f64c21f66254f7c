"""A leaf edited in the graph changes only that number in the text."""

from __future__ import annotations

import pytest

from graphviz_dl import parse
from graphviz_dl.labs.explorer.program import leaf_edit_source, prepare_program

TYPED = """# a comment that must stay
x = 2.0   # the input
w = -3.0
c = x * 3.5 + w  # a constant inside an expression
"""
LECTURE = """a = Value(2.0, label='a')  # the lecture's style
b = Value(-3.0, label='bee')
e = a*b; e.label = 'e'
"""


def edit(source: str, label: str, value: float) -> str:
    program = prepare_program(source)
    node_id = next(i for i in program.leaf_ids if program.walk.name(i) == label)
    return leaf_edit_source(program, node_id, value)


@pytest.mark.parametrize(
    ("label", "value", "line", "expected"),
    [
        ("x", 5.0, 1, "x = 5.0   # the input"),
        ("w", -0.5, 2, "w = -0.5"),
        ("3.5", 4.25, 3, "c = x * 4.25 + w  # a constant inside an expression"),
        ("3.5", -1.0, 3, "c = x * (-1.0) + w  # a constant inside an expression"),
    ],
)
def test_typed_programs_keep_their_comments_and_layout(label, value, line, expected):
    edited = edit(TYPED, label, value)
    lines = edited.splitlines()
    assert lines[line] == expected
    assert lines[0] == "# a comment that must stay"
    assert len(lines) == len(TYPED.splitlines())
    assert list(parse(edited)) == list(parse(TYPED))  # the same names


def test_the_lectures_value_lines_keep_their_form():
    edited = edit(LECTURE, "a", 9.0)
    assert edited.splitlines()[0] == "a = Value(9.0, label='a')  # the lecture's style"
    edited = edit(LECTURE, "bee", 0.5)
    assert edited.splitlines()[1] == "b = Value(0.5, label='bee')"
    assert parse(edited)["e"].data == 1.0


def test_an_ambiguous_constant_falls_back_to_a_rewritten_program():
    source = "x = 2.0\ny = x * 3.0 + 3.0\n"
    program = prepare_program(source)
    constant = next(i for i in program.leaf_ids if program.walk.name(i) != "x")
    edited = leaf_edit_source(program, constant, 7.0)
    assert parse(edited)["y"].data in (2.0 * 7.0 + 3.0, 2.0 * 3.0 + 7.0)


def test_the_first_value_that_is_not_a_number_is_named():
    program = prepare_program(
        "a = 2.0\nb = a * 9 ** 9 ** 9 ** 9\nc = b - b\nd = c + 1\n"
    )
    problem = program.first_non_finite()
    assert problem.startswith(
        "t2 = 9^t1 is inf: overflow in a power at line 2, column 16;"
    )
    assert problem.endswith("; 4 later values follow from it")
    log = prepare_program("x = 0.0\ny = log(x)\nz = y * 2\n").first_non_finite()
    assert (
        log == "y is −inf: log of 0 at line 2, column 5; 1 later value follows from it"
    )
    assert prepare_program("a = 2.0\nb = a * 3\n").first_non_finite() is None
